// pk_seq2 - COMPUTE of the v2 core (ARCHITECTURE.md V2-7.3, V2-11):
// the step loop nest, the start rule, the tail, and the tile events to POST.
// This version runs the WS order (pixel tile outer, n-tile inner, one step
// per tile) and the IS order (l_is: weight block b of l_nb n-tiles outer,
// then pixel tile, then the block's n-tiles, one step per tile) with its WB
// form (l_wbo: the input streamed again per block) and its NS form (l_ns: blocks
// of one n-tile whose unit spans both weight halves); KC is refused by pikecheck
// until built.
//
// IS (V2-5, V2-6.1).  Block b holds n-tiles b * NB .. min(NT, (b + 1) * NB) - 1
// in weight half b mod 2; its pixel tiles restart at 0 (p0, the window
// generators' ox1 and f from l_ox1 / l_f0), its n-tiles at the block's first
// (c0 too), and its staging groups close at the block's last n-tile.  The
// weight need is the block's run index: w_done >= b + 1.  The A need is
// tracked as in WS and restarts with each block: rows are fetched once (the
// ring holds every needed row), so in blocks after the first a_done = NA
// already and the need holds.  a_free stays 0 until the last block (a fetch
// is free once its LAST reading step has ended: every block reads every
// row), then rises as in WS; w_free (weight runs whose last step has ended)
// rises at each block's last step.  The accumulator bank alternates per tile
// in loop order (t mod 2, t counting across blocks).  COMPUTE's weight-buffer
// read base is w_half * wbuf_depth + w_nt * Wu (V2-3.2; pk_core2 forms it).
//
// NS (l_ns with l_is; V2-5, V2-11.4 item 10): IS with blocks of NB n-tiles (one,
// outside channel groups) whose units fill both halves from word 0: w_half is 0.
// The rest is IS's: the weight need w_done >= b + 1, w_free +1 at a block's last
// step (the loader issues block b once w_free >= b), a_free 0 before the last block.
//
// WB (l_wbo with l_is; V2-5, V2-6.1, V2-11.4 item 9): as IS, but block b reads
// pass b of the input (fetches b * NA .. (b + 1) * NA - 1, the ring holding
// fewer rows): abase = b * NA (+ l_na at each block's last step) is added to
// the A need (a_done - abase >= min(f, NA)) and to a_free, which rises as in
// WS within every block (abase + the tile's releases) and to abase + NA at
// the block's last step (every fetch of the pass has been read).
// With a resident prefix (l_pre = P > 0, V2-5 item 3, V2-11.4 item 12) pass b >= 1 fetches rows
// P .. only, from fetch NA + (b - 1)(NA - P): abase = b * (NA - P) (+ NA - P at each block's
// change), so the same need abase + min(f, NA) asks in pass b >= 1 for row y1's fetch when y1 >=
// P, and for at most the pass's first fetch when the tile reads prefix rows only (which the
// previous block's last step already needed); a_free is abase + max(0, fr - P): the released
// fetches less the P prefix rows (never released), so that pk_ld2's rule q < a_free + cap is
// the prefix's q - cs < released (cs = cap - P streaming slots) and a_free never falls.
//
// Start rule (V2-7.3, V2-11.4 item 5).  Step (mt, nt) starts in the first
// cycle X, not before the previous step's end, with
//   a_done >= need_a   A rows written, in fetch order; need_a = the rows
//                      the tile reads, min(l_na, f) with f = oy1 * e + c0
//                      for the tile's last output row oy1 (advanced per
//                      pixel tile by the window generators' R mod / div out_w)
//   w_done >= r + 1    weight runs written, in fetch order (WS: unit r = nt;
//                      IS: block r = b)
//   bank (tile mod 2) not held: a bank is held from its tile's first k-step
//                      until POST's bank_free for it
// The step is l_ks k-steps (k_valid, k_first on the first) and l_tail tail
// cycles (tail_valid, tail_idx: record / operand-B words to POST); it ends
// E = X + l_ks + l_tail.  tile_valid is in cycle E + V2_ARRAY_LAT - 1 (= E + 2)
// with the tile's fields (V2-11.3).  `done` is high once the layer's last
// step has ended; `start` (one cycle) begins a layer with the l_* inputs
// held until done.  For pk_core2's glue (the one place the loop nest is
// kept): step_end (the step's last cycle), tile_end (... of the pixel
// tile's last step; a global pool: the pass's), blk_end (... of the weight
// block's last step: IS, the block's last pixel tile's last n-tile, the
// layer's last step included; WS 0), s_nt_last (the step's n-tile is the
// layer's last: its columns are NC_LAST) and s_mt_last (its pixel tile is
// the block's last: its rows are NR_LAST), both steady from the step's first
// k-step to its last cycle.
//
// Operand B (RES = 1, an EW layer with l_has_b; V2-7.3, V2-11.4 items 1, 5):
// the B rows a tile reads are its output rows, which for an EW layer (flat A
// of the output's shape, as pk_ld2 builds B) are its A rows: the step also
// needs b_done >= min(f, l_na), and the loader's b_free is a_free.  The
// tile's last step has tail = max(l_tail, bw) cycles, bw = jb1 - jb0 + 1 the
// operand-B words of its channels (jb0 = floor(c0 r_bits / WBITS), jb1 =
// floor(((c0 + nc) r_bits - 1) / WBITS); c0 r_bits a running sum, so the
// divisions are by the constant WBITS: shifts for a power-of-two word);
// tail_b marks the tail cycles i < bw, in which pk_core2 reads B word tail_jb
// = jb0 + i of every row (V2-11.4 item 1).  A channel-wise multiply (l_b_mul,
// V2-6.1) has one B row, its one pixel, which every step reads: its steps need
// b_done >= 1; its tails are an add's.  RES = 0 builds none of it.
// Global pool (l_glob, V2-4.4): pixel tile mt is pass mt over the image (rows =
// channel chunks), one step per input row (l_gh = in_h steps of l_ks = in_w
// k-steps each, no tail: a global pool has no per-channel records).  Step y of
// pass mt needs A fetch gneed (the row itself: fetches counted on across
// passes when the ring does not hold the image, l_grefetch; else row y + 1 of
// the one pass), and its bank free only at the pass's first step (the pass
// holds its bank throughout).  k_first marks the pass's first k-step (the
// accumulators start there); the tile event, the bank change, tile_end and
// the next pass follow the pass's last step.  a_free (V2-11.4 item 6): when
// re-fetching, after every step the fetches read so far (gneed); else 0 (a
// later pass reads every row again, and the ring holds the image: no fetch
// waits for space).
`include "pk_contract.vh"
module pk_seq2 #(
    parameter ROWS = 4,
    parameter RA = 2,
    // a full n-tile's columns (l_ct, l_nc_last, the tile's nc) are <= C: CA + 1 bits
    // (PK_PAR2_FIELDS' CT / NC_LAST rows); 15 takes the 16-bit fields whole
    parameter CA = 15,
    // A-row counts (a_done, l_na, l_f0, l_rde and the start rule's f): in_h + kh + 1 fits
    // signed (V2-11.6 "sized widths"); 32 takes the descriptor fields whole
    parameter YW = 32,
    parameter WBITS = 64,        // ring word bits (operand B's words)
    parameter RES = 1            // operand B built
) (
    input  wire clk,
    input  wire rst,
    input  wire start,
    // layer constants
    input  wire [15:0] l_mt, l_nt, l_ks,
    input  wire l_is,                        // IS order (V2-5): blocks of l_nb n-tiles
    input  wire l_wbo,                        // ... WB: each block a new pass (with l_is)
    input  wire l_ns,                         // ... NS: a block's units in both halves (with l_is)
    input  wire [15:0] l_nb,                 // n-tiles per weight block (IS; descriptor NB)
    input  wire [7:0] l_tail,
    input  wire [CA:0] l_ct, l_nc_last,      // columns of a full / the last n-tile (<= C)
    input  wire [RA:0] l_nr_last,            // valid rows of the last pixel tile
    input  wire [7:0] l_nw,                  // n-tiles per staging group
    input  wire [15:0] l_out_w,
    input  wire [RA:0] l_rm,                 // R mod out_w (<= R)
    input  wire [RA-1:0] l_ox1,              // (R - 1) mod out_w: pixel tile 0's last column
    input  wire [YW-1:0] l_na,               // needed A rows of the layer
    input  wire signed [YW-1:0] l_f0,        // f of pixel tile 0
    input  wire [3:0] l_e,                   // rows per output row (min(kh, s) <= 15)
    input  wire [RA+3:0] l_rde,              // (R div out_w) * e (<= 15 R)
    input  wire [7:0] l_kh,                  // kh (a_free only)
    input  wire [7:0] l_pre,                 // WB with a resident prefix: its rows P (0: none)
    input  wire l_has_b,                     // EW with operand B (RES)
    input  wire l_b_mul,                     // ... of one pixel, B row 0 (a channel-wise multiply)
    input  wire [1:0] l_rlog,                // log2 r_bits
    input  wire l_glob,                      // global pool (V2-4.4)
    input  wire [15:0] l_gh,                 // global pool: steps per pass (in_h)
    input  wire l_grefetch,                  // global pool: each pass fetches the image again
    // engines
    input  wire [YW-1:0] a_done,
    input  wire [15:0] w_done,
    input  wire [15:0] b_done,               // B rows written (RES)
    input  wire bank_free,
    input  wire bank_free_id,
    // to the array and the window generators
    output wire k_valid,
    output wire k_first,
    output wire k_bank,
    output wire tail_valid,
    output wire [7:0] tail_idx,
    output wire tail_b,                      // operand B: the tail reads B word tail_jb of each row
    output wire [15:0] tail_jb,
    // tile events (pk_post2)
    output reg tile_valid,
    output reg tile_bank,
    output wire [31:0] tile_p0,              // (mt * R < 2^16 R: PW bits, zero-extended)
    output reg [RA:0] tile_nr,
    output reg [15:0] tile_c0,
    output wire [15:0] tile_nc,              // (<= C: CA + 1 bits, zero-extended)
    output reg tile_open,
    output reg tile_close,
    output reg tile_last,
    // to the loader (V2-11.4 item 6) and pk_core2's weight-buffer address
    output reg [15:0] a_free,                // A fetches no later step reads
    output reg [15:0] w_free,                // weight runs whose last step has ended: WS the
                                             // n-tiles whose step of the last pixel tile
                                             // ended, IS the blocks whose last step ended
    output wire [15:0] w_nt,                 // the step's n-tile within its block (WS: nt)
    output wire w_half,                      // the block's weight half, b mod 2 (WS: 0)
    output wire step_end,                    // the step's last cycle
    output wire tile_end,                    // ... and the pixel tile's last step
    output wire blk_end,                     // ... and the weight block's last step (IS; WS 0)
    output wire s_nt_last,                   // the step's n-tile is the layer's last
    output wire s_mt_last,                   // the step's pixel tile is its block's last
    output wire done
);
    localparam [RA:0] RR = ROWS[RA:0];
    localparam [15:0] RR16 = ROWS[15:0];
    // a pixel tile's first pixel p0 = mt * R, mt < 2^16 (the 16-bit MT field)
    localparam PW = 16 + RA;

    reg run;                     // a layer is running
    reg [15:0] mt, nt;           // the next (or current) step
    reg [15:0] j;                // nt's index within its block (WS: nt)
    reg [15:0] c0b;              // the block's first channel (IS)
    reg [15:0] k;                // k-step of the current step
    reg [7:0] tl;                // tail cycle
    reg ink, intl;               // in the k-steps / the tail
    reg bank;                    // tile count mod 2
    reg [1:0] held;
    reg [PW-1:0] p0;
    reg [15:0] c0, ox1;
    reg signed [YW-1:0] f;
    reg [7:0] grp;               // n-tiles of the open group so far
    reg fin;
    reg [15:0] gy;               // global pool: the step's input row
    reg [YW-1:0] gneed;          // global pool: A fetches the step needs
    reg [YW-1:0] abase;          // WB: the pass's first fetch, b * NA (else 0); prefix b * (NA - P)
    // WB with a resident prefix (V2-5 item 3, V2-11.4 item 12): the next block's abase (abn_r)
    // and abase - P (abp_r), stepped by NA - P at each block's change
    reg [YW-1:0] abn_r, abp_r;
    wire [YW-1:0] pre_y = {{(YW-8){1'b0}}, l_pre};
    wire [YW-1:0] nap = l_na - pre_y;

    wire [31:0] l_ct32 = {{(31-CA){1'b0}}, l_ct};
    wire [15:0] l_ct16 = l_ct32[15:0];
    // The loop-nest tests are registers formed a beat ahead (ARCHITECTURE.md V2-11.5
    // "Timing, step 6"): each holds its test of the register's current value, and is
    // loaded with the test of the value the register takes (the candidates' tests from
    // the registers and the layer's fields, which are held from start until done):
    // lmt_r = (mt + 1 >= l_mt), lntg_r = (nt + 1 >= l_nt), ljb_r = (j + 1 >= l_nb),
    // kl_r = (k + 1 >= l_ks), glast_r = (gy + 1 >= l_gh), need_r = min(f, l_na) (f >= 0),
    // bw_r / tlen_r the tail of the step at cb0 and lntg_r; a_free's f - kh (+ e) below.  Only the ports s_nt_last
    // and s_mt_last keep the tests of the registers in the same cycle (as before).
    reg lmt_r, lntg_r, ljb_r, kl_r, glast_r;
    reg [YW-1:0] need_r;
    reg [7:0] bw_r, tlen_r;
    reg tlz_r;                                   // tlen_r == 0
    wire last_mt = lmt_r;
    wire last_ntg = lntg_r;                      // the layer's last n-tile
    wire last_nt = last_ntg || (l_is && ljb_r);  // ... or the block's
    // the step's weight run: WS n-tile nt, IS block b (= w_free: blocks ended)
    wire [15:0] run_idx = l_is ? w_free : nt;
    // a_done >= need_a = max(0, min(f, l_na)), without forming need_a; w_done >= nt + 1
    // (WB: fetches of the block's pass, a_done - abase; a_done >= abase: the previous
    // block's last step needed its pass's NA fetches)
    // (f >= 0: a_rel >= f || a_rel >= l_na is a_rel >= min(f, l_na)).  a_rel >= need_r is
    // a_done >= abase + need_r (a_done >= abase, and abase + need_r is at most the layer's
    // fetches, which a_done's 16 bits count: no wrap), kept in a register needa_r formed
    // with need_r and abase (V2-11.5 "Timing, step 18": the compare then starts at a_done,
    // not at a subtraction), from abna_r = abase + l_na and fa_r = abase + f, formed with
    // abase and f
    reg [YW-1:0] needa_r, abna_r, fa_r;
    wire a_ok = l_glob ? a_done >= gneed : f < 0 || a_done >= needa_r;
    wire g_mid = l_glob && gy != 16'd0;          // a global pool's pass holds its bank
    // operand B: b_done >= the same need (EW: B rows = A rows = output rows)
    wire has_b = RES != 0 && l_has_b;
    wire [31:0] b_done32 = {16'd0, b_done};
    wire [YW-1:0] b_done_y = b_done32[YW-1:0];
    wire b_ok = !has_b || (l_b_mul ? b_done != 16'd0 : f < 0 || b_done_y >= need_r);
    // the B words of the step's channels: c0 * r_bits (cb0) .. + nc * r_bits - 1
    // (c0 < 2^16 and r_bits <= 8: CB = 19 bits hold every bit offset)
    localparam CB = 19;
    reg [CB-1:0] cb0;
    wire [CB-1:0] ncbl = {{(CB-1-CA){1'b0}}, l_nc_last} << l_rlog;   // the last n-tile's
    wire [CB-1:0] ctb = {{(CB-1-CA){1'b0}}, l_ct} << l_rlog;          // a full n-tile's
    localparam integer WBI = WBITS;
    localparam [CB-1:0] WBC = WBI[CB-1:0];
    wire [CB-1:0] jb0 = cb0 / WBC;
    // bw of the channel bits cbv .. cbv + nb - 1: jb1 - jb0 + 1 (its low 8 bits).  For a
    // power-of-two word of 2^LWB <= 2^(CB-8) bits the same low 8 bits from cbv mod
    // WBITS alone: ((cbv mod WBITS) + nb - 1) / WBITS + 1 (cbv's upper bits, and a wrap
    // of the sum at 2^CB, change jb1 - jb0 by multiples of 2^(CB-LWB), 0 mod 2^8)
    localparam LWB = $clog2(WBITS);
    localparam WP2 = (1 << LWB) == WBITS && LWB <= CB - 8;
    localparam [CB-1:0] WLM = WBC - 1'b1;
    function [7:0] bwf(input [CB-1:0] cbv, input [CB-1:0] nb);
        /* verilator lint_off UNUSEDSIGNAL */
        reg [CB-1:0] b0, b1, d;                  // (d above bit 7 unused)
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            if (WP2) begin
                b1 = ((cbv & WLM) + nb - 1'b1) / WBC;
                d = b1 + 1'b1;
            end else begin
                b0 = cbv / WBC;
                b1 = (cbv + nb - 1'b1) / WBC;
                d = b1 - b0 + 1'b1;
            end
            bwf = d[7:0];
        end
    endfunction
    function [7:0] tlf(input [7:0] bwv);         // the step's tail from its bw
        tlf = has_b && bwv > l_tail ? bwv : l_tail;
    endfunction
    wire [7:0] bw = bw_r;
    wire [7:0] tail_len = tlen_r;
    wire ready = run && !ink && !intl && !fin && a_ok && b_ok && w_done > run_idx && (!held[bank] || g_mid);
    wire go = ready;                             // the step's first k-step is this cycle
    wire g_last = glast_r;
    wire tend = !l_glob || g_last;               // the step ends its tile (global: its pass)
    wire k_last = go ? 16'd1 >= l_ks : kl_r;     // ((go ? 0 : k) + 1 >= l_ks)
    wire kv = go || ink;
    wire tv = intl;
    wire t_last = tl + 8'd1 >= tail_len;
    // the step's last cycle: its last k-step without a tail, or its last tail cycle; formed for
    // go and for !go from the registers and selected by go, which is late (V2-11.5 "Timing,
    // step 18"; go: no k-step or tail cycle before it, so kv, k_last = 1 >= l_ks, no tv)
    wire se_go = 16'd1 >= l_ks && tlz_r;
    wire se_ng = (ink && kl_r && tlz_r) || (tv && t_last);
    wire s_end = go ? se_go : se_ng;
    wire te_c = last_nt && tend;                 // (s_end &&) the step ends its tile

    assign k_valid = kv;
    assign k_first = go && !g_mid;
    assign k_bank = bank;
    assign tail_valid = tv;
    assign tail_idx = tl;
    assign tail_b = tv && has_b && tl < bw;
    wire [CB-1:0] tjb = jb0 + {{(CB-8){1'b0}}, tl};
    assign tail_jb = has_b ? tjb[15:0] : 16'd0;   // RES = 0: cb0 and the divisions unused
    assign done = fin;
    assign step_end = s_end;
    assign tile_end = go ? se_go && te_c : se_ng && te_c;
    // IS: the block's last pixel tile's last n-tile (the last block's too: the layer's end)
    wire be_c = l_is && te_c && last_mt;
    assign blk_end = go ? se_go && be_c : se_ng && be_c;
    assign s_nt_last = nt + 16'd1 >= l_nt;      // (lntg_r while a layer runs)
    assign s_mt_last = mt + 16'd1 >= l_mt;      // (lmt_r ...)
    assign w_nt = j;
    assign w_half = l_is && !l_ns && w_free[0];

    // a_free (V2-11.4 item 6): at the end of pixel tile mt's last step, the
    // fetches of the rows above the next tile's first output row oy0: the
    // needed rows < oy0 * s - pad, oy0 * e - nneg of them (both kh >= s and
    // kh < s), = f - kh (oy0 = oy1: the next tile starts in this tile's last
    // output row) or f - kh + e (ox1 = out_w - 1: it starts on the next row),
    // f = oy1 * e + kh - nneg; clamped to [0, l_na]
    // (registers formed with f and ox1: fk_r = f - kh, fke_r = f - kh + e, ow1_r =
    // (ox1 + 1 == out_w))
    reg signed [YW-1:0] fk_r, fke_r;
    reg ow1_r;
    wire signed [YW-1:0] fr = ow1_r ? fke_r : fk_r;
    // (WB: at the block's last step every fetch of the pass, NA)
    wire [YW-1:0] fr_c = fr < 0 ? {YW{1'b0}} : $unsigned(fr) > l_na || (l_wbo && last_mt) ? l_na :
                         $unsigned(fr);
    // (a resident prefix: a_free counts from pass b's first fetch less P, abase; the prefix
    // rows, never released, are not counted: abase + max(0, fr_c - P), as pk_ld2's space rule
    // reads it; P = 0: abase + fr_c)
    wire [YW-1:0] fr_a = fr_c >= pre_y ? abp_r + fr_c : abase;

    // tile event: the step's last cycle delayed by V2_ARRAY_LAT (cycle E + 2)
    reg [`PK_V2_ARRAY_LAT-1:0] ev;
    reg [PW-1:0] ev_p0;
    reg [RA:0] ev_nr;
    reg [15:0] ev_c0;
    reg [CA:0] ev_nc;
    reg [PW-1:0] tile_p0_r;
    reg [CA:0] tile_nc_r;
    assign tile_p0 = {{(32-PW){1'b0}}, tile_p0_r};
    wire [31:0] tile_nc32 = {{(31-CA){1'b0}}, tile_nc_r};
    assign tile_nc = tile_nc32[15:0];
    reg ev_bank, ev_open, ev_close, ev_last;
    // the fields ride along the event: a tile may complete every cycle (one-k-step
    // steps), so with V2_ARRAY_LAT > 2 each event stage holds its own copy
    localparam AL = `PK_V2_ARRAY_LAT;
    localparam FW = PW + (RA + 1) + 16 + (CA + 1) + 4;
    wire [FW-1:0] ev_f0 = {ev_p0, ev_nr, ev_c0, ev_nc, ev_bank, ev_open, ev_close, ev_last};
    wire [FW-1:0] ev_fl;
    genvar gq;
    generate
        if (AL > 2) begin : g_evq
            // stage q (q = 0 .. AL - 3) at bits [q*FW, (q+1)*FW), loaded with its event
            reg [(AL-2)*FW-1:0] ev_fq;
            for (gq = 0; gq < AL - 2; gq = gq + 1) begin : g_q
                always @(posedge clk)
                    if (ev[gq])
                        ev_fq[gq*FW +: FW] <= gq == 0 ? ev_f0 : ev_fq[(gq == 0 ? 0 : gq - 1)*FW +: FW];
            end
            assign ev_fl = ev_fq[(AL-3)*FW +: FW];
        end else begin : g_ev0
            assign ev_fl = ev_f0;
        end
    endgenerate

    wire closes = last_nt || grp + 8'd1 >= l_nw;
    wire [15:0] l_rm16 = {{(15-RA){1'b0}}, l_rm};
    wire [15:0] l_ox1_16 = {{(16-RA){1'b0}}, l_ox1};
    wire [15:0] ox1_n = ox1 + l_rm16 >= l_out_w ? ox1 + l_rm16 - l_out_w : ox1 + l_rm16;
    wire ox1_wrap = ox1 + l_rm16 >= l_out_w;
    // the next pixel tile's f (within a block)
    wire signed [YW-1:0] f_nx = f + $signed({{(YW-RA-4){1'b0}}, l_rde}) +
                                (ox1_wrap ? $signed({{(YW-4){1'b0}}, l_e}) : {YW{1'b0}});
    wire signed [YW-1:0] khs = $signed({{(YW-8){1'b0}}, l_kh});
    wire signed [YW-1:0] es = $signed({{(YW-4){1'b0}}, l_e});
    wire signed [YW-1:0] f0k = l_f0 - khs;       // fk_r, fke_r, ow1_r at f = l_f0, ox1 = l_ox1
    wire signed [YW-1:0] f0ke = f0k + es;
    wire ow0 = l_ox1_16 + 16'd1 == l_out_w;
    wire signed [YW-1:0] fnk = f_nx - khs;       // ... at f = f_nx, ox1 = ox1_n
    wire signed [YW-1:0] fnke = fnk + es;
    // own = (ox1_n + 1 == out_w) (mod 2^16, as the sums above): the sum s = ox1 + R mod out_w
    // equals out_w - 1 (no wrap) or 2 out_w - 1 (a wrap, ox1_n = s - out_w), each a compare
    // of s with a register formed from l_out_w in every cycle (read from start + 1 on;
    // V2-11.5 "Timing, step 18")
    reg [15:0] owm1_r, ow2m1_r;
    always @(posedge clk) begin
        owm1_r <= l_out_w - 16'd1;
        ow2m1_r <= {l_out_w[14:0], 1'b0} - 16'd1;
    end
    wire [15:0] ox1_s = ox1 + l_rm16;
    wire own = ox1_wrap ? ox1_s == ow2m1_r : ox1_s == owm1_r;

    // the tests of the values the registers take (16-bit sums as in the tests they replace)
    wire mt_f0 = 16'd1 >= l_mt;                  // mt = 0
    wire mt_fi = mt + 16'd2 >= l_mt;             // mt + 1
    wire nt_f0 = 16'd1 >= l_nt;                  // nt = 0
    wire nt_fi = nt + 16'd2 >= l_nt;             // nt + 1
    wire nt_fb = nt - j + 16'd1 >= l_nt;         // nt - j (the block's first)
    wire j_f0 = 16'd1 >= l_nb;                   // j = 0
    wire j_fi = j + 16'd2 >= l_nb;               // j + 1
    wire k_f1 = 16'd2 >= l_ks;                   // k = 1 (k = 0: 16'd1 >= l_ks)
    wire k_fi = k + 16'd2 >= l_ks;               // k + 1
    wire g_f0 = 16'd1 >= l_gh;                   // gy = 0
    wire g_fi = gy + 16'd2 >= l_gh;              // gy + 1
    wire [YW-1:0] na_f0 = $unsigned(l_f0) > l_na ? l_na : $unsigned(l_f0);   // f = l_f0
    wire [YW-1:0] na_fi = $unsigned(f_nx) > l_na ? l_na : $unsigned(f_nx);   // f = f_nx
    // the same at abase + f: fa_r + the step of f_nx; abase + na_fi; at a block's change
    // (abase' = abase + l_na = abna_r with WB) abase' + l_f0 and abase' + na_f0
    wire [YW-1:0] fa_nx = fa_r + {{(YW-RA-4){1'b0}}, l_rde} +
                          (ox1_wrap ? {{(YW-4){1'b0}}, l_e} : {YW{1'b0}});
    wire [YW-1:0] naa_fi = $unsigned(f_nx) > l_na ? abna_r : fa_nx;
    wire [YW-1:0] ab_b = l_wbo ? abn_r : abase;
    wire [YW-1:0] fa_b = ab_b + $unsigned(l_f0);
    wire [YW-1:0] naa_b = ab_b + na_f0;
    // the tail at cb0 = 0 (a pixel tile's first n-tile) and at cb0 + ctb (the next
    // n-tile), for a full and for the last n-tile
    // (cbp_r = cb0 + ctb, a register beside cb0)
    reg [CB-1:0] cbp_r;
    wire [CB-1:0] cb_nx = cbp_r;
    wire [7:0] bw0f = bwf({CB{1'b0}}, ctb);
    wire [7:0] bw0l = bwf({CB{1'b0}}, ncbl);
    wire [7:0] bwif = bwf(cb_nx, ctb);
    wire [7:0] bwil = bwf(cb_nx, ncbl);
    // each candidate's {bw, tail, tail == 0}, then the choice: 0 start (nt = 0), 1 the
    // next block (nt + 1, cb0 = 0), 2 the next pixel tile (nt - j, cb0 = 0), 3 the next
    // n-tile (nt + 1, cb0 + ctb)
    function [16:0] tcand(input [7:0] bwv);
        reg [7:0] t;
        begin
            t = tlf(bwv);
            tcand = {bwv, t, t == 8'd0};
        end
    endfunction
    wire [16:0] tc0f = tcand(bw0f), tc0l = tcand(bw0l), tcif = tcand(bwif), tcil = tcand(bwil);
    // (the tails at cb0 = 0 take only the l_* inputs: registered in every cycle for the steps
    // after start, which read them from start + 1 on, when they hold the layer's values;
    // start itself takes them from the inputs: V2-11.5 "Timing, step 18")
    reg [16:0] tc0f_r, tc0l_r;
    always @(posedge clk) begin
        tc0f_r <= tc0f;
        tc0l_r <= tc0l;
    end
    reg [16:0] tc_nx;
    reg tl_ld;
    always @* begin
        tl_ld = 1'b1;
        if (start)
            tc_nx = nt_f0 ? tc0l : tc0f;
        else if (run && s_end && tend && last_nt && last_mt && !last_ntg)
            tc_nx = nt_fi ? tc0l_r : tc0f_r;
        else if (run && s_end && tend && last_nt)
            tc_nx = nt_fb ? tc0l_r : tc0f_r;
        else if (run && s_end && tend)
            tc_nx = nt_fi ? tcil : tcif;
        else begin
            tc_nx = {bw_r, tlen_r, tlz_r};
            tl_ld = 1'b0;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            run <= 1'b0;
            ink <= 1'b0;
            intl <= 1'b0;
            fin <= 1'b0;
            held <= 2'b00;
            ev <= {`PK_V2_ARRAY_LAT{1'b0}};
        end else begin
            ev <= {ev[`PK_V2_ARRAY_LAT-2:0], s_end && tend};
            if (bank_free)
                held[bank_free_id] <= 1'b0;
            if (start) begin
                run <= 1'b1;
                fin <= 1'b0;
                mt <= 16'd0;
                nt <= 16'd0;
                k <= 16'd0;
                tl <= 8'd0;
                bank <= 1'b0;
                held <= 2'b00;
                a_free <= 16'd0;
                w_free <= 16'd0;
                j <= 16'd0;
                c0b <= 16'd0;
                p0 <= {PW{1'b0}};
                c0 <= 16'd0;
                cb0 <= {CB{1'b0}};
                cbp_r <= ctb;
                ox1 <= l_ox1_16;
                f <= l_f0;
                fk_r <= f0k;
                fke_r <= f0ke;
                ow1_r <= ow0;
                need_r <= na_f0;
                needa_r <= na_f0;
                abna_r <= l_na;
                fa_r <= $unsigned(l_f0);
                lmt_r <= mt_f0;
                lntg_r <= nt_f0;
                ljb_r <= j_f0;
                kl_r <= 16'd1 >= l_ks;
                glast_r <= g_f0;
                grp <= 8'd0;
                gy <= 16'd0;
                gneed <= {{(YW-1){1'b0}}, 1'b1};
                abase <= {YW{1'b0}};
                abn_r <= nap;
                abp_r <= {YW{1'b0}} - pre_y;
            end else if (run) begin
                if (go)
                    held[bank] <= 1'b1;
                // k-steps, then the tail
                if (kv) begin
                    k <= k_last ? 16'd0 : (go ? 16'd1 : k + 16'd1);
                    kl_r <= k_last ? 16'd1 >= l_ks : (go ? k_f1 : k_fi);
                    ink <= !k_last;
                    intl <= k_last && tail_len != 8'd0;
                end
                if (tv) begin
                    tl <= t_last ? 8'd0 : tl + 8'd1;
                    intl <= !t_last;
                end
                if (s_end && l_glob) begin
                    // global pool: the next input row (of this pass, or the next pass's first)
                    gy <= g_last ? 16'd0 : gy + 16'd1;
                    glast_r <= g_last ? g_f0 : g_fi;
                    gneed <= g_last && !l_grefetch ? {{(YW-1){1'b0}}, 1'b1} : gneed + 1'b1;
                    if (l_grefetch)
                        a_free <= gneed[15:0];
                end
                if (s_end && tend) begin
                    // the step's tile is complete: its event fields, then the next step
                    ev_p0 <= l_glob ? {PW{1'b0}} : p0;
                    ev_nr <= last_mt ? l_nr_last : RR;
                    ev_c0 <= c0;
                    ev_nc <= last_ntg && !l_glob ? l_nc_last : l_ct;
                    ev_bank <= bank;
                    ev_open <= grp == 8'd0;
                    ev_close <= closes;
                    ev_last <= last_mt && last_ntg;
                    bank <= !bank;
                    grp <= closes ? 8'd0 : grp + 8'd1;
                    // a weight run's last step: WS any step of the last pixel tile, IS
                    // the block's last (a global pool has no weight runs)
                    if (!l_glob && last_mt && (!l_is || last_nt))
                        w_free <= w_free + 16'd1;
                    if (last_nt) begin
                        // IS: no fetch is free before the last block (every block reads it);
                        // WB: every block's pass as WS
                        if (!l_glob && (last_ntg || l_wbo))
                            a_free <= fr_a[15:0];
                        j <= 16'd0;
                        ljb_r <= j_f0;
                        if (last_mt && !last_ntg) begin
                            // IS: the next block (its first n-tile follows), pixel tile 0
                            // (WB: and the next pass)
                            if (l_wbo) begin
                                abase <= abn_r;
                                abn_r <= abn_r + nap;
                                abp_r <= abp_r + nap;
                                abna_r <= abna_r + nap;
                            end
                            needa_r <= naa_b;
                            fa_r <= fa_b;
                            nt <= nt + 16'd1;
                            lntg_r <= nt_fi;
                            c0 <= c0 + l_ct16;
                            c0b <= c0 + l_ct16;
                            mt <= 16'd0;
                            lmt_r <= mt_f0;
                            p0 <= {PW{1'b0}};
                            ox1 <= l_ox1_16;
                            f <= l_f0;
                            fk_r <= f0k;
                            fke_r <= f0ke;
                            ow1_r <= ow0;
                            need_r <= na_f0;
                        end else begin
                            // the next pixel tile from the block's first n-tile
                            nt <= nt - j;
                            lntg_r <= nt_fb;
                            // global pool: pass mt + 1's first channel (mt + 1) * R * Ct
                            c0 <= l_glob ? c0 + l_ct16 * RR16 : c0b;
                            mt <= mt + 16'd1;
                            lmt_r <= mt_fi;
                            p0 <= p0 + {{(PW-RA-1){1'b0}}, RR};
                            ox1 <= ox1_n;
                            f <= f_nx;
                            fk_r <= fnk;
                            fke_r <= fnke;
                            ow1_r <= own;
                            need_r <= na_fi;
                            needa_r <= naa_fi;
                            fa_r <= fa_nx;
                        end
                        cb0 <= {CB{1'b0}};
                        cbp_r <= ctb;
                        if (last_mt && last_ntg) begin
                            run <= 1'b0;
                            fin <= 1'b1;
                        end
                    end else begin
                        nt <= nt + 16'd1;
                        lntg_r <= nt_fi;
                        j <= j + 16'd1;
                        ljb_r <= j_fi;
                        c0 <= c0 + l_ct16;
                        cb0 <= cb_nx;
                        cbp_r <= cb_nx + ctb;
                    end
                end
            end
        end
    end

    always @(posedge clk)
        if (tl_ld)
            {bw_r, tlen_r, tlz_r} <= tc_nx;

    always @(posedge clk) begin
        if (rst)
            tile_valid <= 1'b0;
        else
            tile_valid <= ev[`PK_V2_ARRAY_LAT-2];
        if (ev[`PK_V2_ARRAY_LAT-2])
            {tile_p0_r, tile_nr, tile_c0, tile_nc_r, tile_bank, tile_open, tile_close, tile_last}
                <= ev_fl;
    end

    wire unused = &{1'b0, ev[`PK_V2_ARRAY_LAT-1], fr_a, tjb[CB-1:16], b_done32,
                    l_ct32, tile_nc32};
endmodule
