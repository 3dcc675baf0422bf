// pk_post2 - the v2 POST engine (ARCHITECTURE.md V2-3.3, V2-6.4, V2-7.4;
// interface and exact timing in V2-11.3): tile events in, the PPU pass over
// the tile's accumulators (per cycle one read of pk_array's packed read port,
// RD_PACK = 1: k = floor(PL / cw) rows of cw = pow2_ceil(nc) columns when
// cw <= PL / 2, else one row of a group of PL columns; PL pk_ppu lanes),
// codes packed into output staging, staging groups written to the off-chip
// write port.
//
// Design.  Four small engines, each a few registers:
//   queue    two tile events (one per accumulator bank), head = current tile;
//   issuer   walks the head tile row-major (k rows, or a row's column
//            groups), one issue per cycle; a tile that opens a staging group waits until that half
//            is free (V2-7.4: W_E(g - 2)); the last issue pops the tile and
//            raises bank_free;
//   PPU      fetch registers (accumulators, decoded compact records, operand
//            B codes) then pk_ppu: codes leave PK_PPU_LAT cycles after the
//            issue and are written to staging at the bit position of their
//            channel (out_bits codes, LSB first);
//   writer   one group at a time in group order: its runs (whole pixels: one
//            run; else one per pixel; global pool: one), split at MAX_BURST,
//            PB-byte beats with strobes, one per cycle.
// Staging: two halves of 8 * R * C bytes.  At PL = 1 (ARCHITECTURE.md
// V2-11.5, "Lean control, step 4") block RAM: max(PB, 2) byte banks, each read
// (registered) in the cycle before the beat at the next beat's row, with a
// bypass of the bits written in that cycle, so the first beat (the cycle
// after the last code's staging write) carries them.  At PL >= 2 (V2-11.5,
// "Scaling, step 3") block RAM too, read and bypassed the same way, in NPL =
// min(PL, R) planes (group row r in plane r mod NPL) of pow2_ceil(max(PB, PL))
// byte banks, so that no bank takes two writes in a cycle, each written by whole
// bytes (the bits the mask keeps read in the write's cycle: LUT RAM; "Scaling,
// step 5"), when the planes hold at most 64 KiB (edge: 16 of 4 KiB; not cloud); else a
// register array (PB byte banks
// when PB is a power of two dividing them; PL write ports a bank, V2-11.5
// "Scaling, step 2") read combinationally by the writer.  Every quantity is sized to what it holds at
// the parameters (V2-11.5, "Lean control, step 2").  Row r of a group starts at byte
// r * S of its half: S = PS_out when the layer's pixels fit a staging row
// (then a group of all channels is the DRAM image of its pixels), else
// 8 * C; a global pool's chunks follow each other (row r at r * ct codes).
// Padding bits are written as zero with the codes (see the write mask).
// A group's DRAM address takes p0 * PS without a multiplier: a closing tile's
// tile_p0 is 0, the previous closing tile's, or that plus R (V2-11.3, "Tile
// semantics"; pk_seq2's pixel tiles in order), so the product is 0, the
// previous group's, or that plus R * PS.
// Records (per tensor, or per column and accumulator bank) are decoded in the
// order of pk_v2_record_fields (core/pk_compile_v2.c): m s b (qn_en), M E
// (rq_en), an (prelu family), ap (dprelu), g z (rprelu), LSB first.
// Timing (V2-11.3; the model is sim/pk_v2.c): an issue in cycle X drives
// acc_*, its fetch registers load at the end of X, pk_ppu takes them in
// X + 1 and its codes are written to staging at the end of X + PK_PPU_LAT;
// a group's first beat is in the cycle after its last code's write (or after
// the previous group's last beat).  wr_ready = 0 holds the beat (and, by the
// half not being free, the next group's first issue).
`include "pk_contract.vh"

module pk_post2 #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter ACC_BITS = 32,
    parameter PP_LANES = 4,
    parameter P_BITS = 32,
    parameter QN_MULT_BITS = 8,
    parameter QN_BIAS_BITS = 24,
    parameter QN_SHIFT_BITS = 5,
    parameter DQ_MANT_BITS = 8,
    parameter DQ_EXP_BITS = 5,
    parameter ACT_PARAM_BITS = 8,
    parameter ACT_SHIFT_BITS = 4,
    parameter RES_SHIFT_BITS = 4,
    parameter ACT_MASK = 6'b111111,
    parameter RES_EN = 1,
    parameter PORT_BYTES = 8,
    parameter MAX_BURST = 64,
    parameter ADDR_BITS = 32,
    parameter REC_WORDS = 2,
    parameter B_WORDS = 2,
    // the most bytes the planar staging's planes may hold (NPL * 2 * HB, V2-11.5 "Scaling,
    // step 3" item 4); larger staging is flip-flops.  pk_core2 keeps the default; the
    // tests set it lower to build the flip-flop forms at small shapes
    parameter PLN_BYTES = 65536,
    // derived (not to be overridden)
    parameter RA = ROWS > 1 ? $clog2(ROWS) : 1,
    parameter GA = COLS / PP_LANES > 1 ? $clog2(COLS / PP_LANES) : 1,
    parameter RIW = REC_WORDS > 1 ? $clog2(REC_WORDS) : 1,
    parameter BIW = B_WORDS > 1 ? $clog2(B_WORDS) : 1
) (
    input  wire clk,
    input  wire rst,
    // layer parameters, sampled in the cycle of lay_start
    input  wire lay_start,
    input  wire [2:0] kind,
    input  wire glob,
    input  wire [1:0] out_log2,
    input  wire out_signed,
    input  wire [1:0] r_log2,
    input  wire r_signed,
    input  wire qn_en,
    input  wire res_en,
    input  wire res_mul,                 // channel-wise multiply: decode(B) is the QuantNorm m
    input  wire rq_en,
    input  wire per_tensor,
    input  wire [2:0] act_mode,
    input  wire [3:0] act_shift,
    input  wire [3:0] r_shift,
    input  wire round,
    input  wire signed [15:0] clip_lo,
    input  wire signed [15:0] clip_hi,
    input  wire [2:0] rec_log2p1,
    input  wire [31:0] addr_out,
    input  wire [15:0] out_c,
    input  wire [15:0] out_c_total,
    input  wire [15:0] out_c_base,
    input  wire [15:0] ct,
    // accumulator read (pk_array rd_*), combinational
    output wire acc_bank,
    output wire [RA-1:0] acc_row,
    output wire [GA-1:0] acc_grp,
    output wire [3:0] acc_cwl,                   // pk_array rd_cwl: log2 cw when packing
    input  wire [PP_LANES*ACC_BITS-1:0] acc_data,
    // per-tensor record (loader)
    input  wire prec_we,
    input  wire [RIW-1:0] prec_idx,
    input  wire [LANES*SLOT_BITS-1:0] prec_data,
    // per-channel records (COMPUTE's tail)
    input  wire crec_we,
    input  wire crec_bank,
    input  wire [RIW-1:0] crec_idx,
    input  wire [COLS*LANES*SLOT_BITS-1:0] crec_data,
    // operand B (COMPUTE's tail)
    input  wire res_we,
    input  wire res_bank,
    input  wire [BIW-1:0] res_idx,
    input  wire [ROWS*LANES*SLOT_BITS-1:0] res_data,
    // tile events (COMPUTE)
    input  wire tile_valid,
    input  wire tile_bank,
    input  wire [31:0] tile_p0,
    input  wire [RA:0] tile_nr,
    input  wire [15:0] tile_c0,
    input  wire [15:0] tile_nc,
    input  wire tile_open,
    input  wire tile_close,
    input  wire tile_last,
    output wire bank_free,
    output wire bank_free_id,
    // off-chip write port
    output wire wr_valid,
    input  wire wr_ready,
    output wire [ADDR_BITS-1:0] wr_addr,
    output wire [8*PORT_BYTES-1:0] wr_data,
    output wire [PORT_BYTES-1:0] wr_strb,
    output wire lay_done,
    output wire [31:0] inc_out,
    output wire [31:0] inc_wr_bytes,
    output wire [31:0] inc_wr_reqs
);
    localparam PL = PP_LANES;
    localparam WBITS = LANES * SLOT_BITS;
    localparam RECB = REC_WORDS * WBITS;         // bits of one record latch
    localparam BROW = B_WORDS * WBITS;           // bits of one row's operand-B words
    localparam PB = PORT_BYTES;
    localparam HB = 8 * ROWS * COLS;             // bytes of one staging half
    localparam SPW = PL * 8;                     // bits one issue writes at most
    localparam LAT = `PK_PPU_LAT;
    localparam [31:0] HB32 = HB;
    localparam [31:0] PB32 = PB;
    localparam [31:0] MB32 = MAX_BURST;
    localparam [31:0] PL32 = PL;
    localparam [31:0] R32 = ROWS;
    localparam [31:0] WB32 = WBITS;
    localparam [31:0] ROW8C = 8 * COLS;
    localparam [31:0] LPL32 = PL > 1 ? $clog2(PL) : 0;   // ceil(log2 PL)
    // Sized quantities (V2-11.5 "Lean control"): a staging byte address (both halves)
    // SA bits, a bit position SA + 3, a run length, its bytes left and a beat's offset
    // SA bits (a group fits a half), a run count RA + 1 (at most R runs), DRAM
    // addresses ADDR_BITS (every address sum is taken mod 2^ADDR_BITS at the port),
    // a tile's column count and the column of a lane NW bits (nc <= C, a lane's
    // column < C + PL), a pixel's DRAM bytes 16 (ceil(65535 * 8 / 8)).
    localparam SA = $clog2(2 * HB);
    // staging planes at PL >= 2 (V2-11.5 "Scaling, step 3"): group row r in plane r mod NPL
    localparam NPL = PL < ROWS ? PL : ROWS;
    localparam PW = NPL > 1 ? $clog2(NPL) : 1;
    localparam [31:0] NPL32 = NPL;
    localparam NBP = 1 << $clog2(PB > PL ? PB : PL);   // its banks (staging, below)
    localparam PLN = PL >= 2 && (2 * HB) % NBP == 0 && NPL * 2 * HB <= PLN_BYTES;
    localparam BW = SA + 3;
    localparam NW = $clog2(COLS + PL + 1);
    localparam AB = ADDR_BITS;
    localparam [SA-1:0] HBS = HB32[SA-1:0];
    localparam QMB = QN_MULT_BITS, QSB = QN_SHIFT_BITS, QBB = QN_BIAS_BITS;
    localparam DMB = DQ_MANT_BITS, DEB = DQ_EXP_BITS, APB = ACT_PARAM_BITS;

    // ---- layer registers ------------------------------------------------------------------
    reg l_glob, l_bpath, l_os, l_rs, l_qn, l_res, l_mul, l_rq, l_pt, l_round;
    reg [1:0] l_ol, l_rl;
    reg [2:0] l_act;
    reg [3:0] l_ash, l_rsh;
    reg signed [15:0] l_lo, l_hi;
    reg [AB-1:0] l_addr;
    reg [15:0] l_ps;                             // a pixel's DRAM bytes
    reg [AB-1:0] l_rps;                          // R * PS mod 2^ADDR_BITS: a pixel tile's bytes
    reg [SA-1:0] l_stride;                       // staging row bytes S <= 8 C
    reg [BW-1:0] l_rowbits;                      // staging row bits (mod 2^BW)
    reg [15:0] l_oc, l_ocb, l_ct;
    reg l_tot0;
    reg l_galn;                                  // a global pool's chunk ends on a byte
    /* verilator lint_off UNUSEDSIGNAL */    // (only planar staging uses it)
    wire l_pln = !l_glob || l_galn;              // staging rows on bytes: planes by row
    /* verilator lint_on UNUSEDSIGNAL */

    wire [31:0] ps_chans = {16'd0, out_c_total != 16'd0 ? out_c_total : out_c};
    wire [31:0] ps_new = ((ps_chans << out_log2) + 32'd7) >> 3;
    wire [31:0] rps_new = {16'd0, ps_new[15:0]} * R32;   // R <= 2^16: no overflow
    // (the staging row's bytes and bits a cycle after lay_start, from the registers:
    // V2-11.5 "Timing, step 15"; a layer's first issue is two cycles after its lay_start
    // at the earliest, its first staging read later still)
    reg lay_d;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] ps32 = {16'd0, l_ps};            // (a pixel's bytes < 2^16)
    wire [31:0] rowbits_new = l_glob ? {16'd0, l_ct} << l_ol
                                     : (l_tot0 && ps32 <= ROW8C ? ps32 : ROW8C) << 3;
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        lay_d <= lay_start;
        if (lay_d) begin
            l_stride <= l_tot0 && ps32 <= ROW8C ? ps32[SA-1:0] : ROW8C[SA-1:0];
            l_rowbits <= rowbits_new[BW-1:0];
        end
    end
    always @(posedge clk) begin
        if (lay_start) begin
            l_glob <= glob;
            l_bpath <= kind == `PK_KIND_EW && res_en;
            l_os <= out_signed;     l_rs <= r_signed;
            l_qn <= qn_en;          l_rq <= rq_en;
            // a channel-wise multiply (V2-6.1, QUANT.md): B's code decoded is the
            // QuantNorm multiplier, and there is no residual add
            l_res <= res_en && !res_mul;
            l_mul <= RES_EN != 0 && res_en && res_mul;
            l_pt <= per_tensor;     l_round <= round;
            l_ol <= out_log2;       l_rl <= r_log2;
            l_act <= act_mode;      l_ash <= act_shift;  l_rsh <= r_shift;
            l_lo <= clip_lo;        l_hi <= clip_hi;
            l_addr <= addr_out[AB-1:0];  l_ps <= ps_new[15:0];
            l_rps <= rps_new[AB-1:0];
            l_oc <= out_c;          l_ocb <= out_c_base; l_ct <= ct;
            l_tot0 <= out_c_total == 16'd0;
            l_galn <= (({16'd0, ct} << out_log2) & 32'd7) == 32'd0;
        end
    end
    /* verilator lint_off UNUSEDSIGNAL */
    wire [2:0] unused_rec = rec_log2p1;          // record size: implied by the switches
    wire [47:0] unused_lay = {addr_out, ps_new[31:16]};
    wire [31:0] unused_rps = rps_new;            // (bits ADDR_BITS and up)
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- record and operand-B latches ---------------------------------------------------------
    reg [RECB-1:0] prec;
    reg [COLS*RECB-1:0] crec0, crec1;
    reg [ROWS*BROW-1:0] bres0, bres1;
    integer i, k;
    always @(posedge clk) begin
        for (k = 0; k < REC_WORDS; k = k + 1)
            if (prec_we && {{(32-RIW){1'b0}}, prec_idx} == k)
                prec[k*WBITS +: WBITS] <= prec_data;
        for (i = 0; i < COLS; i = i + 1)
            for (k = 0; k < REC_WORDS; k = k + 1)
                if (crec_we && {{(32-RIW){1'b0}}, crec_idx} == k) begin
                    if (crec_bank)
                        crec1[(i*REC_WORDS + k)*WBITS +: WBITS] <= crec_data[i*WBITS +: WBITS];
                    else
                        crec0[(i*REC_WORDS + k)*WBITS +: WBITS] <= crec_data[i*WBITS +: WBITS];
                end
        for (i = 0; i < ROWS; i = i + 1)
            for (k = 0; k < B_WORDS; k = k + 1)
                if (res_we && {{(32-BIW){1'b0}}, res_idx} == k) begin
                    if (res_bank)
                        bres1[(i*B_WORDS + k)*WBITS +: WBITS] <= res_data[i*WBITS +: WBITS];
                    else
                        bres0[(i*B_WORDS + k)*WBITS +: WBITS] <= res_data[i*WBITS +: WBITS];
                end
    end

    // ---- tile queue: head q0, q1 behind it -------------------------------------------------------
    // (p0 mod 2^ADDR_BITS: it only forms a DRAM address; nc <= C in NW bits)
    localparam QW = 1 + AB + RA + 1 + 16 + NW + 3;
    wire [QW-1:0] q_in = {tile_bank, tile_p0[AB-1:0], tile_nr, tile_c0, tile_nc[NW-1:0], tile_open,
                          tile_close, tile_last};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [47:0] unused_tile = {tile_p0, tile_nc};
    /* verilator lint_on UNUSEDSIGNAL */
    // (bits above QW: the tile's log2 cw, packing, k and channels left, formed as it
    // enters the queue: below)
    localparam KW = $clog2(PL + 1);
    localparam QX = QW + 4 + 1 + KW + 17;
    reg [QX-1:0] q0, q1;
    reg [1:0] q_n;
    wire h_bank = q0[QW-1];
    wire [AB-1:0] h_p0 = q0[QW-2 -: AB];
    wire [RA:0] h_nr = q0[NW+RA+19 -: RA+1];
    wire [15:0] h_c0 = q0[NW+18 -: 16];
    wire [NW-1:0] h_ncn = q0[NW+2 : 3];
    wire h_open = q0[2], h_close = q0[1], h_last = q0[0];

    // ---- issuer ---------------------------------------------------------------------------------
    // a * b for a small b (a row count k <= PL, a lane's row lj < PL, a tile's nr <= R):
    // shifts and adds over b's bits, no MULT18X18D in front of a register (V2-11.5
    // "Timing, step 9"; bits of b that are constant 0 add nothing)
    function [31:0] smul(input [31:0] a, input [15:0] bm);
        integer q;
        begin
            smul = 32'd0;
            for (q = 0; q < 16; q = q + 1)
                if (bm[q])
                    smul = smul + (a << q);
        end
    endfunction
    reg started, gh, cur_h;
    reg [1:0] h_free;                            // staging half free (its last group written)
    reg [RA-1:0] row;
    reg [GA-1:0] grp;
    reg [15:0] c0g;
    reg [16:0] gl_r;                             // out_c - the issue's first channel (17-bit signed)
    reg [NW-1:0] cb_r;                           // first column of the issue (< nc <= C)
    wire [15:0] cb = {{(16-NW){1'b0}}, cb_r};
    reg [BW-1:0] rowpos;
    wire can_open = h_free[gh];
    wire issue = q_n != 2'd0 && (started || !h_open || can_open);
    wire first = issue && !started;
    // (without issue: an issue's group start c0g_e and half; when there is no issue
    // neither is used: pos is delayed with issue = 0, the captures need first)
    wire [15:0] c0g_e = !started && h_open ? h_c0 : c0g;
    wire half_e = !started && h_open ? gh : cur_h;
    wire [16:0] oleft_e = started ? gl_r : h_ocl;
    wire [BW-1:0] rowpos_e = started ? rowpos : {BW{1'b0}};
    // row packing (V2-7.4): cw = pow2_ceil(nc) = 2^h_cwl; when 2 * cw <= PL (a
    // global pool: and its chunks end on a byte) one issue takes k = floor(PL /
    // cw) rows, lane l row row + (l >> h_cwl), column l mod cw; else k = 1
    function [3:0] clog2c(input [15:0] v);      // ceil(log2 v), v >= 1, at most 15
        integer q;
        begin
            clog2c = 4'd15;
            for (q = 15; q >= 0; q = q - 1)
                if ({16'd0, v} <= (32'd1 << q))
                    clog2c = q[3:0];
        end
    endfunction
    // A tile's log2 cw, whether it packs, its k and its channels left (out_c - c0, 17-bit
    // signed): formed at its tile event, held in the queue (V2-11.5 "Timing, step 9",
    // "Timing, step 15": not a priority encoder, a 32-bit compare or a 16-bit subtraction
    // of q0 in front of the lanes).  The layer registers they read are those of the
    // tile's layer: a layer's first tile_valid comes after its lay_start, and a queued
    // tile leaves before the layer's lay_done.
    wire [3:0] in_cwl = clog2c({{(16-NW){1'b0}}, tile_nc[NW-1:0]});
    // (2 cw <= PL: log2 cw < floor(log2 PL))
    localparam [31:0] FL2_32 = $clog2(PL + 1) - 1;
    localparam [3:0] FL2 = FL2_32[3:0];
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] in_k32 = PL32 >> in_cwl;
    wire [16:0] in_ocl = {1'b0, l_oc} - {1'b0, tile_c0};
    /* verilator lint_on UNUSEDSIGNAL */
    wire in_pack = PL > 1 && in_cwl < FL2 && (!l_glob || l_galn);
    wire [KW-1:0] in_k = in_pack ? in_k32[KW-1:0] : {{(KW-1){1'b0}}, 1'b1};
    wire [QX-QW-1:0] in_x = {in_ocl, in_k, in_pack, in_cwl};
    wire [3:0] h_cwl = q0[QW+3 -: 4];
    wire h_pack = PL > 1 && q0[QW+4];            // (a constant 0 at PL = 1)
    wire [KW-1:0] h_kn = q0[QW+5 +: KW];         // k <= PL
    wire [16:0] h_ocl = q0[QW+5+KW +: 17];
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] h_k = {{(32-KW){1'b0}}, h_kn};
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] kn_rb = smul({{(32-BW){1'b0}}, l_rowbits}, {{(16-KW){1'b0}}, h_kn});
    wire [31:0] kn_ct = smul({16'd0, l_ct}, {{(16-KW){1'b0}}, h_kn});
    /* verilator lint_on UNUSEDSIGNAL */
    // (the tests in their widths: NW + 1 bits for columns, LW for rows)
    localparam LW = (NW > RA + 1 ? NW : RA + 1) + 1;
    localparam [NW:0] PLN1 = PL32[NW:0];
    wire last_col = {1'b0, cb_r} + PLN1 >= {1'b0, h_ncn};
    wire last_row = {{(LW-RA){1'b0}}, row} + {{(LW-KW){1'b0}}, h_kn} >= {{(LW-RA-1){1'b0}}, h_nr};
    wire last_issue = issue && last_col && last_row;
    wire pop = last_issue;
    always @(posedge clk) begin
        if (rst) begin
            q_n <= 2'd0;
        end else begin
            if (tile_valid && !pop) begin
                if (q_n == 2'd0) q0 <= {in_x, q_in}; else q1 <= {in_x, q_in};
                q_n <= q_n + 2'd1;
            end else if (tile_valid && pop) begin
                if (q_n == 2'd1) q0 <= {in_x, q_in}; else begin q0 <= q1; q1 <= {in_x, q_in}; end
            end else if (pop) begin
                q0 <= q1;
                q_n <= q_n - 2'd1;
            end
        end
    end
    always @(posedge clk) begin
        if (rst || lay_start) begin
            started <= 1'b0;
            row <= {RA{1'b0}};
            grp <= {GA{1'b0}};
            cb_r <= {NW{1'b0}};
            gh <= 1'b0;
        end else if (issue) begin
            if (first && h_open) begin
                gh <= ~gh;
                cur_h <= gh;
                c0g <= h_c0;
            end
            if (last_issue) begin
                started <= 1'b0;
                row <= {RA{1'b0}};
                grp <= {GA{1'b0}};
                cb_r <= {NW{1'b0}};
            end else begin
                started <= 1'b1;
                if (last_col) begin
                    row <= row + h_k[RA-1:0];
                    grp <= {GA{1'b0}};
                    cb_r <= {NW{1'b0}};
                    rowpos <= rowpos_e + kn_rb[BW-1:0];
                    gl_r <= oleft_e - (l_glob ? kn_ct[16:0] : 17'd0);
                end else begin
                    grp <= grp + {{(GA-1){1'b0}}, 1'b1};
                    cb_r <= cb_r + PL32[NW-1:0];
                    rowpos <= rowpos_e;
                    gl_r <= oleft_e;
                end
            end
        end
    end
    assign acc_bank = h_bank;
    assign acc_row = row;
    assign acc_grp = grp;
    // (acc_cwl from the layer registers as before, also when no tile is queued)
    assign acc_cwl = PL > 1 && h_cwl < FL2 && (!l_glob || l_galn) ? h_cwl : LPL32[3:0];
    assign bank_free = last_issue;
    assign bank_free_id = h_bank;

    // lanes of this issue: lane l is row row + lj, column lc of the tile
    // (packed: lj = l >> h_cwl < k, lc = l mod cw; else lj = 0, lc = cb + l);
    // valid when the row and column are in the tile and the channel below out_c
    // (lj < PL, lc < C + PL: NW bits).  The channel test orow + gch + lc < out_c
    // (orow the row's first channel, gch = lj * ct) as gch + lc < out_c - orow
    // (oleft_e: the tile's out_c - c0 from the queue, then gl_r; a row's first
    // channel is below out_c < 2^16, so it fits 17 bits signed), without gch
    // unless a global pool (V2-11.5 "Timing, step 15")
    wire [PL-1:0] lane_v;
    wire [PL*NW-1:0] lane_j, lane_c;
    wire [NW-1:0] h_cwm = ~({NW{1'b1}} << h_cwl);
    localparam PPL2 = (PL & (PL - 1)) == 0;
    localparam VW = 17 + NW;                     // gch + lc < 2^(16 + NW) + 2^NW
    genvar gl;
    generate
        for (gl = 0; gl < PL; gl = gl + 1) begin : g_lv
            localparam [NW-1:0] LN = gl;
            wire [NW-1:0] lj = h_pack ? LN >> h_cwl : {NW{1'b0}};
            // (cb_r is a multiple of PL: at PL a power of two cb_r + LN is cb_r | LN)
            wire [NW-1:0] lc = h_pack ? LN & h_cwm : PPL2 ? cb_r | LN : cb_r + LN;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [31:0] gch = smul({16'd0, l_ct}, {{(16-NW){1'b0}}, lj});
            /* verilator lint_on UNUSEDSIGNAL */
            wire [VW-1:0] gv = gch[VW-1:0] + {{(VW-NW){1'b0}}, lc};
            wire ch_g = gv < {{(VW-16){1'b0}}, oleft_e[15:0]};
            wire ch_n = |oleft_e[15:NW] || lc < oleft_e[NW-1:0];
            assign lane_j[gl*NW +: NW] = lj;
            assign lane_c[gl*NW +: NW] = lc;
            assign lane_v[gl] = {1'b0, lj} < {{(NW+1-KW){1'b0}}, h_kn} &&
                                {{(LW-RA){1'b0}}, row} + {{(LW-NW){1'b0}}, lj} <
                                    {{(LW-RA-1){1'b0}}, h_nr} &&
                                lc < h_ncn && !oleft_e[16] && (l_glob ? ch_g : ch_n);
        end
    endgenerate
    function [31:0] popc(input [PL-1:0] v);
        integer j;
        begin
            popc = 32'd0;
            for (j = 0; j < PL; j = j + 1)
                popc = popc + {31'd0, v[j]};
        end
    endfunction
    assign inc_out = issue ? popc(lane_v) : 32'd0;
    // staging bit position of lane 0 within the half
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] cofs = ({16'd0, h_c0} - {16'd0, c0g_e} + {16'd0, cb}) << l_ol;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [BW-1:0] pos = rowpos_e + cofs[BW-1:0];

    // ---- group capture (at the first issue of the closing tile) -----------------------------------
    // The tile's fields are registered at its first issue (cp_*), the group's runs,
    // length and address offset formed from them a cycle later (cq_*), its address a
    // cycle after that (V2-11.5 "Timing, step 15"): the writer reads them when the
    // group is staged, at least PK_PPU_LAT >= 3 cycles after that issue, and a half's
    // next capture waits for its group's last beat.  (At the first issue started = 0,
    // so c0g_e = h_open ? h_c0 : c0g.)  whole's chans == out_c (c0g = 0: c0 + nc ==
    // out_c) is nc == out_c - c0, the tile's h_ocl.
    reg cp_v, cp_half, cp_last;
    reg [15:0] cp_c0, cp_c0g;
    reg [16:0] cp_ocl;
    reg [NW-1:0] cp_nc;
    reg [RA:0] cp_nr;
    reg [AB-1:0] cp_p0;
    always @(posedge clk) begin
        cp_v <= first && h_close;
        cp_half <= half_e;
        cp_last <= h_last;
        cp_c0 <= h_c0;
        cp_c0g <= h_open ? h_c0 : c0g;
        cp_nc <= h_ncn;
        cp_nr <= h_nr;
        cp_p0 <= h_p0;
        cp_ocl <= h_ocl;
    end
    wire [15:0] gl_left = l_oc - cp_c0;
    wire [31:0] chans = l_glob ? (gl_left < l_ct * R32[15:0] ? {16'd0, gl_left}
                                                             : {16'd0, l_ct * R32[15:0]})
                               : {16'd0, cp_c0} + {{(32-NW){1'b0}}, cp_nc} - {16'd0, cp_c0g};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] gbytes = ((chans << l_ol) + 32'd7) >> 3;
    /* verilator lint_on UNUSEDSIGNAL */
    wire whole = !l_glob && cp_c0g == 16'd0 && cp_ocl == {{(17-NW){1'b0}}, cp_nc} && l_tot0 &&
                 {16'd0, l_ps} == {{(32-SA){1'b0}}, l_stride};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] nr_ps = smul({16'd0, l_ps}, {{(15-RA){1'b0}}, cp_nr});
    /* verilator lint_on UNUSEDSIGNAL */
    // ((ocb + c0) << out_log2) >> 3 < 2^17: the byte of a channel
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] cbyte = (({16'd0, l_ocb} + {16'd0, l_glob ? cp_c0 : cp_c0g}) << l_ol) >> 3;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [AB-1:0] cbyte_a = cbyte[AB-1:0];
    wire [AB-1:0] ps_a = {{(AB-16){1'b0}}, l_ps};
    // runs: 1 or nr <= R; a run's bytes <= HB (the group fits its half)
    reg [RA:0] g_runs [0:1];
    reg [SA-1:0] g_len [0:1];
    reg [AB-1:0] g_addr [0:1];
    reg [1:0] g_last;
    // p0 * PS without a multiplier (V2-11.3 "Tile semantics"): the closing tile's
    // p0 is 0, the previous group's p0 or that plus R (pk_seq2: pixel tiles in
    // order, restarted at 0 by a layer or an IS block), so its product is 0, the
    // previous group's product or that plus R * PS (all mod 2^ADDR_BITS)
    reg [AB-1:0] a_p0, a_p0ps;                  // the last group's p0 and p0 * PS
    wire [AB-1:0] p0ps = cp_p0 == {AB{1'b0}} ? {AB{1'b0}} : cp_p0 == a_p0 ? a_p0ps : a_p0ps + l_rps;
    reg cq_v, cq_half, cq_last;
    reg [RA:0] cq_runs;
    reg [SA-1:0] cq_len;
    reg [AB-1:0] cq_off;
    always @(posedge clk) begin
        cq_v <= cp_v;
        cq_half <= cp_half;
        cq_last <= cp_last;
        cq_runs <= l_glob || whole ? {{RA{1'b0}}, 1'b1} : cp_nr;
        // (whole: chans = out_c, out_c_total = 0, so gbytes = PS: nr * PS)
        cq_len <= whole ? nr_ps[SA-1:0] : gbytes[SA-1:0];
        cq_off <= l_glob ? cbyte_a : p0ps + (whole ? {AB{1'b0}} : cbyte_a);
        if (cp_v) begin
            a_p0 <= cp_p0;
            a_p0ps <= p0ps;
        end
    end
    always @(posedge clk)
        if (cq_v) begin
            g_runs[cq_half] <= cq_runs;
            g_len[cq_half] <= cq_len;
            g_addr[cq_half] <= l_addr + cq_off;
            g_last[cq_half] <= cq_last;
        end

    // ---- fetch stage and PPU lanes --------------------------------------------------------------
    /* verilator lint_off UNUSEDSIGNAL */     // (only the selected bits of the shifts)
    wire [COLS*RECB-1:0] crec_b = h_bank ? crec1 : crec0;
    wire [ROWS*BROW-1:0] bres_b = h_bank ? bres1 : bres0;
    wire [31:0] c0rb = {16'd0, h_c0} << l_rl;
    localparam WPOW2 = (WBITS & (WBITS - 1)) == 0;
    wire [31:0] boff = WPOW2 ? c0rb & (WB32 - 32'd1) : c0rb % WB32;
    localparam AMW = $clog2(WBITS + 8 * (COLS + PL)) + 1;   // B bit offset of a lane
    reg f_v;
    reg [PL*ACC_BITS-1:0] f_acc;
    reg [PL*RECB-1:0] f_rec;
    reg [PL*8-1:0] f_rc;
    wire [PL*RECB-1:0] rec_sel;
    wire [PL*8-1:0] rc_sel;
    generate
        for (gl = 0; gl < PL; gl = gl + 1) begin : g_sel
            // column lc's record, row row + lj's operand-B words (zero past C, R):
            // one-hot selects over the C columns and R rows
            wire [NW-1:0] lc = lane_c[gl*NW +: NW];
            // (a channel-wise multiply: every row's B is the one pixel's, which the tail gave
            // row 0: V2-6.1)
            wire [NW+RA:0] lr = l_mul ? {(NW+RA+1){1'b0}} :
                                {{(NW+1){1'b0}}, row} + {{(RA+1){1'b0}}, lane_j[gl*NW +: NW]};
            reg [RECB-1:0] crec_s;
            reg [BROW-1:0] brow_s;
            if (PL > 1) begin : g_cs
                // the columns lane gl can read (V2-11.5 "Scaling, step 13"): unpacked cb + gl
                // with cb a multiple of PL below C (NG of them), packed gl mod cw with 2 cw <=
                // PL (NPK of them), instead of a select over all C + PL columns
                localparam NG = (COLS + PL - 1) / PL;
                localparam NGW = NG > 1 ? $clog2(NG) : 1;
                localparam NPK = $clog2(PL + 1) - 1;   // floor(log2 PL)
                localparam PPW = NPK > 1 ? $clog2(NPK) : 1;
                localparam PPL = (PL & (PL - 1)) == 0;
                wire [NG*RECB-1:0] cu;
                wire [NPK*RECB-1:0] cp;
                genvar gq;
                for (gq = 0; gq < NG; gq = gq + 1) begin : g_cu
                    localparam CU = gq * PL + gl;
                    if (CU < COLS) begin : g_in
                        assign cu[gq*RECB +: RECB] = crec_b[CU*RECB +: RECB];
                    end else begin : g_out
                        assign cu[gq*RECB +: RECB] = {RECB{1'b0}};
                    end
                end
                for (gq = 0; gq < NPK; gq = gq + 1) begin : g_cp
                    localparam CP = gl % (1 << gq);
                    if (CP < COLS) begin : g_in
                        assign cp[gq*RECB +: RECB] = crec_b[CP*RECB +: RECB];
                    end else begin : g_out
                        assign cp[gq*RECB +: RECB] = {RECB{1'b0}};
                    end
                end
                wire [31:0] cq = {{(32-NW){1'b0}}, cb_r} >> LPL32;
                reg [RECB-1:0] crec_u;
                integer q;
                always @(*) begin
                    if (PPL) begin
                        crec_u = cu[cq[NGW-1:0]*RECB +: RECB];
                    end else begin
                        crec_u = {RECB{1'b0}};
                        for (q = 0; q < NG; q = q + 1)
                            if ({{(32-NW){1'b0}}, cb_r} == q * PL)
                                crec_u = cu[q*RECB +: RECB];
                    end
                    crec_s = h_pack ? cp[h_cwl[PPW-1:0]*RECB +: RECB] : crec_u;
                end
            end else begin : g_cs1
                always @(*)
                    crec_s = {{(32-NW){1'b0}}, lc} < COLS ? crec_b[lc*RECB +: RECB] : {RECB{1'b0}};
            end
            always @(*)
                brow_s = {{(31-NW-RA){1'b0}}, lr} < ROWS ? bres_b[lr*BROW +: BROW] : {BROW{1'b0}};
            wire [AMW-1:0] bam = boff[AMW-1:0] + ({{(AMW-NW){1'b0}}, lc} << l_rl);
            // (brow_s >> bam)[7:0] & rmask: bam is a multiple of the code's 2^l_rl bits
            // (boff and lc << l_rl are; WBITS a multiple of 8), so code bit j (j < 2^l_rl,
            // whose low q = clog2(j + 1) bits are j's) is bit bam | j: a shift by bam with
            // its low q bits j's constants (2^(AMW - q)-way, zero past BROW)
            wire [7:0] bx;
            genvar gj;
            for (gj = 0; gj < 8; gj = gj + 1) begin : g_bx
                localparam Q = gj == 0 ? 0 : gj < 2 ? 1 : gj < 4 ? 2 : 3;
                localparam [AMW-1:0] JM = (1 << Q) - 1;
                localparam [AMW-1:0] JV = gj;
                wire [AMW-1:0] bix = (bam & ~JM) | JV;
                wire [BROW-1:0] bsh = brow_s >> bix;
                assign bx[gj] = bsh[0];
            end
            wire [7:0] rmask = 8'hff >> (4'd8 - (4'd1 << l_rl));
            assign rec_sel[gl*RECB +: RECB] = l_pt ? prec : crec_s;
            assign rc_sel[gl*8 +: 8] = l_bpath ? bx & rmask : 8'd0;
        end
    endgenerate
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        if (rst)
            f_v <= 1'b0;
        else
            f_v <= issue;
        f_acc <= acc_data;
        f_rec <= rec_sel;
        f_rc <= rc_sel;
    end

    wire l_pf = l_act == 3'd3 || l_act == 3'd4 || l_act == 3'd5;   // PReLU family: an
    wire l_a4 = l_act == 3'd4;                                         // dprelu: ap
    // (the field bits pk_ppu keeps: masks of the low bits)
    localparam [31:0] FM_M = (32'd1 << QMB) - 32'd1;
    localparam [31:0] FM_S = (32'd1 << QSB) - 32'd1;
    localparam [31:0] FM_E = (32'd1 << DEB) - 32'd1;
    localparam [63:0] FM_B = (64'd1 << QBB) - 64'd1;
    localparam [31:0] FM_MM = (32'd1 << DMB) - 32'd1;
    localparam [31:0] FM_A = (32'd1 << APB) - 32'd1;
    wire [PL*8-1:0] y;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [PL-1:0] y_v;
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    generate
        for (gl = 0; gl < PL; gl = gl + 1) begin : g_ppu
            wire [RECB-1:0] rec = f_rec[gl*RECB +: RECB];
            // record fields (pk_v2_record_fields): each field's LSB is a sum of
            // switched constants, so its extraction is a chain of constant shifts
            wire [RECB-1:0] r_s = l_qn ? rec >> QMB : rec;
            wire [RECB-1:0] r_b = l_qn ? rec >> (QMB + QSB) : rec;
            wire [RECB-1:0] r_M = l_qn ? rec >> (QMB + QSB + QBB) : rec;
            wire [RECB-1:0] r_E = l_rq ? r_M >> DMB : r_M;
            wire [RECB-1:0] r_an = l_rq ? r_E >> DEB : r_E;
            wire [RECB-1:0] r_ap = l_pf ? r_an >> APB : r_an;
            wire [RECB-1:0] r_g = l_a4 ? r_ap >> APB : r_ap;
            wire [RECB-1:0] r_z = r_g >> 16;
            // pk_ppu's field ports carry only the bits it keeps (their low QN_MULT_BITS,
            // QN_SHIFT_BITS, QN_BIAS_BITS, DQ_MANT_BITS, DQ_EXP_BITS, ACT_PARAM_BITS), and
            // an, ap, g, z zero where no ACT_MASK mode reads them (an: the PReLU family,
            // ap: dprelu, g and z: rprelu; pk_act): the same codes, and under -noflatten
            // the record bits and selects behind the rest are not built (V2-11.5
            // "Scaling, step 17")
            // (a multiply: decode(B), sign-extended; pk_ppu keeps its low QN_MULT_BITS, as
            // pk_q_ppu_mul's pk_q_sx)
            wire signed [8:0] r_val;
            pk_decode u_rdec (.code(f_rc[gl*8 +: 8]), .log2b(l_rl), .is_signed(l_rs), .val(r_val));
            wire [15:0] p_m = (l_mul ? {{7{r_val[8]}}, r_val} : rec[15:0]) & FM_M[15:0];
            wire [7:0] p_s = r_s[7:0] & FM_S[7:0];
            wire [7:0] p_e = r_E[7:0] & FM_E[7:0];
            wire [31:0] p_b = r_b[31:0] & FM_B[31:0];
            wire [15:0] p_M = r_M[15:0] & FM_MM[15:0];
            wire [15:0] p_an = ACT_MASK[5:3] != 3'd0 ? r_an[15:0] & FM_A[15:0] : 16'd0;
            wire [15:0] p_ap = ACT_MASK[4] ? r_ap[15:0] & FM_A[15:0] : 16'd0;
            wire [15:0] p_g = ACT_MASK[5] ? r_g[15:0] : 16'd0;
            wire [15:0] p_z = ACT_MASK[5] ? r_z[15:0] : 16'd0;
            pk_ppu #(.ACC_BITS(ACC_BITS), .P_BITS(P_BITS), .QN_MULT_BITS(QN_MULT_BITS),
                     .QN_BIAS_BITS(QN_BIAS_BITS), .QN_SHIFT_BITS(QN_SHIFT_BITS),
                     .DQ_MANT_BITS(DQ_MANT_BITS), .DQ_EXP_BITS(DQ_EXP_BITS),
                     .ACT_PARAM_BITS(ACT_PARAM_BITS), .ACT_SHIFT_BITS(ACT_SHIFT_BITS),
                     .RES_SHIFT_BITS(RES_SHIFT_BITS), .ACT_MASK(ACT_MASK), .RES_EN(RES_EN)) u_ppu (
                .clk(clk), .rst(rst), .in_valid(f_v), .acc(f_acc[gl*ACC_BITS +: ACC_BITS]),
                .p_m(p_m), .p_s(p_s), .p_e(p_e), .p_b(p_b), .p_M(p_M), .p_an(p_an),
                .p_ap(p_ap), .p_g(p_g), .p_z(p_z),
                .r_code(f_rc[gl*8 +: 8]), .r_log2(l_rl), .r_signed(l_rs),
                .qn_en(l_qn), .res_en(l_res), .rq_en(l_rq), .act_mode(l_act),
                .act_shift(l_ash), .r_shift(l_rsh), .clip_lo(l_lo), .clip_hi(l_hi),
                .out_log2(l_ol), .out_signed(l_os), .round(l_round),
                .out_valid(y_v[gl]), .y_code(y[gl*8 +: 8]));
        end
    endgenerate
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- staging ----------------------------------------------------------------------------------
    // per issue, delayed to the codes: valid, half, bit position, lane mask, closes its
    // group, packed, log2 of a segment's bits (log2 cw + out_log2 <= 18) and of its
    // write slots (below; formed at the issue, V2-11.5 "Timing, step 15")
    localparam MW = 1 + 1 + BW + PL + 1 + 1 + 10;
    wire [4:0] i_cob5 = {1'b0, h_cwl} + {3'd0, l_ol};
    wire [4:0] i_spl5 = i_cob5 > 5'd3 ? i_cob5 - 5'd2 : 5'd1;       // (packed)
    wire [MW-1:0] m_in = {issue, half_e, pos, lane_v, last_issue && h_close, h_pack, i_cob5, i_spl5};
    reg [LAT*MW-1:0] m_d;
    always @(posedge clk)
        if (rst)
            m_d <= {LAT*MW{1'b0}};
        else
            m_d <= {m_d[(LAT-1)*MW-1:0], m_in};
    wire [MW-1:0] m_o = m_d[(LAT-1)*MW +: MW];
    wire s_we = m_o[MW-1];
    wire s_half = m_o[MW-2];
    wire s_close = s_we && m_o[11];
    // the write's geometry (slots, banks, rows, masks) from m_g: at PLN two stages
    // before m_o, the slots' masks and shifts and each bank's slot, row and enable
    // registered (sv_r, so_r, g_ws's sl_r), then each bank's select of its slot registered
    // for the write (V2-11.5 "Timing, step 9", "Timing, step 15"), so only the codes
    // y reach the write's cycle; the layer registers it reads change only at
    // lay_start, when no write is pending (LAT >= 3)
    localparam GS = PLN ? 2 : 0;
    wire [MW-1:0] m_g = m_d[(LAT-1-GS)*MW +: MW];
    /* verilator lint_off UNUSEDSIGNAL */    // (m_g's close flag: s_close from m_o)
    wire [MW-1:0] unused_mg = m_g;
    /* verilator lint_on UNUSEDSIGNAL */
    wire g_we = m_g[MW-1];
    wire g_half = m_g[MW-2];
    wire [BW-1:0] s_pos = m_g[MW-3 -: BW];
    wire [PL-1:0] s_lv = m_g[PL+11:12];
    wire s_pack = m_g[10];
    wire [4:0] s_cob5 = m_g[9:5];
    wire [4:0] s_spl5 = m_g[4:0];
    // planar staging (PLN): the issue's row mod NPL, delayed as m_d
    /* verilator lint_off UNUSEDSIGNAL */
    wire [PW-1:0] s_rp;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (PLN) begin : g_rpd
            // the issue's row mod NPL (0 when !l_pln), as row: (row + k) mod NPL, k <= NPL
            // whenever the tile has rows left (k > NPL = R only packed, a last issue)
            reg [PW-1:0] rowp;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [31:0] rowp_t = {{(32-PW){1'b0}}, rowp} + h_k;
            wire [31:0] rowp_n = !l_pln ? 32'd0 : rowp_t >= NPL32 ? rowp_t - NPL32 : rowp_t;
            /* verilator lint_on UNUSEDSIGNAL */
            always @(posedge clk)
                if (rst || lay_start || last_issue)
                    rowp <= {PW{1'b0}};
                else if (issue && last_col)
                    rowp <= rowp_n[PW-1:0];
            reg [(LAT-GS)*PW-1:0] rp_d;        // (to m_g's stage LAT - GS - 1)
            always @(posedge clk)
                rp_d <= {rp_d[(LAT-GS-1)*PW-1:0], rowp};
            assign s_rp = rp_d[(LAT-1-GS)*PW +: PW];
        end else begin : g_rp0
            assign s_rp = {PW{1'b0}};
        end
    endgenerate

    // The codes at out_bits each (lane l at bits l * out_bits) and their
    // validity.  An issue writes one segment per row it read: segment j (lanes
    // j * cw .. j * cw + cw - 1 when packed, else all lanes as segment 0) at bit
    // s_pos + j * row_bits of the half (row_bits: the staging row, or a global
    // pool's chunk, a whole number of bytes when packed), so segments never share
    // a byte.  A segment's valid lanes are a prefix of it, so each byte holding a
    // valid code is written whole except below the first code (the write mask
    // covers the rest of the byte holding the last valid code).  Codes reach a
    // group's bytes in ascending bit order per row (n-tiles, then column groups;
    // a global pool's chunks), so zeroing the end of a byte never loses a code,
    // and every padding bit of a run is written as zero without clearing the half.
    reg [SPW-1:0] sp_d, sp_v;
    /* verilator lint_off UNUSEDSIGNAL */    // (sp_y: planar staging; sp_d: the others)
    reg [SPW-1:0] sp_y;                          // the codes packed, lanes not masked (PLN)
    /* verilator lint_on UNUSEDSIGNAL */
    integer l, b;
    generate
        if (PL > 1) begin : g_spn
            // the four packings (out_bits 1, 2, 4, 8) wired, then one 4-way select
            reg [4*SPW-1:0] pk_d, pk_v, pk_y;
            integer o;
            always @(*) begin
                pk_d = {(4*SPW){1'b0}};
                pk_v = {(4*SPW){1'b0}};
                pk_y = {(4*SPW){1'b0}};
                for (o = 0; o < 4; o = o + 1)
                    for (l = 0; l < PL; l = l + 1)
                        for (b = 0; b < (1 << o); b = b + 1) begin
                            pk_d[o*SPW + (l << o) + b] = y[l*8 + b] & s_lv[l];
                            pk_v[o*SPW + (l << o) + b] = s_lv[l];
                            pk_y[o*SPW + (l << o) + b] = y[l*8 + b];
                        end
                sp_d = pk_d[l_ol*SPW +: SPW];
                sp_v = pk_v[l_ol*SPW +: SPW];
                sp_y = pk_y[l_ol*SPW +: SPW];
            end
        end else begin : g_sp1
            always @(*) begin
                sp_d = {SPW{1'b0}};
                sp_v = {SPW{1'b0}};
                sp_y = {SPW{1'b0}};
                for (l = 0; l < PL; l = l + 1)
                    for (b = 0; b < 8; b = b + 1)
                        if (b < (1 << l_ol)) begin
                            sp_d[(l << l_ol) + b] = y[l*8 + b] & s_lv[l];
                            sp_v[(l << l_ol) + b] = s_lv[l];
                        end
            end
        end
    endgenerate
    wire [2:0] s_bit = s_pos[2:0];
    // staging byte addresses mod 2^SA (every written byte is < 2 * HB)
    wire [SA-1:0] s_byte = (g_half ? HBS : {SA{1'b0}}) + s_pos[BW-1:3];
    wire [SA-1:0] s_rowb = l_rowbits[BW-1:3];
    // Write slots: a segment of cw codes spans at most max(1, cw * out_bits / 8) + 1
    // bytes, so 2^s_spl = 2 * max(1, cw * out_bits / 8) slots per segment and k
    // segments fit NSL = 2 * PL slots (unpacked: one segment of all NSL slots).
    localparam NSL = 2 * PL;
    localparam [31:0] LNSL = $clog2(NSL);
    /* verilator lint_off UNUSEDSIGNAL */     // (bits TW and up: s_segb <= SPW)
    wire [31:0] s_segb = s_pack ? 32'd1 << s_cob5 : SPW;   // bits of a segment
    /* verilator lint_on UNUSEDSIGNAL */
    // (log2 of a segment's bits and its slots in 5 bits, from the issue: 32-bit sums
    // here were a 32-bit compare's carry chain in front of the slots)
    wire [31:0] s_cob = {27'd0, s_cob5};
    wire [31:0] s_spl = s_pack ? {27'd0, s_spl5} : LNSL;
    // (planar staging addresses a bank from its segment and shifts the codes itself:
    // sl_o, the shift, and sl_v, the bits the codes' lanes hold, instead of sl_d and
    // sl_m: its mask follows from sl_v, Scaling, step 18)
    localparam OSW = $clog2(SPW + 8);
    /* verilator lint_off UNUSEDSIGNAL */
    wire [NSL*8-1:0] sl_m, sl_d, sl_v;
    wire [NSL*SA-1:0] sl_a;
    wire [NSL*OSW-1:0] sl_o;
    /* verilator lint_on UNUSEDSIGNAL */
    // a slot's bit arithmetic in TW bits: its bit t < 8 NSL, a segment's first code
    // bit sb0 < NSL^2 (seg < NSL / 2, a packed segment <= 2 NSL bits), s_segb <= 4 NSL
    localparam TW = $clog2(8 * NSL * NSL + 1) + 1;
    /* verilator lint_off UNUSEDSIGNAL */     // (PL = 1: g_w32 below)
    wire [TW-1:0] segb_t = s_segb[TW-1:0];
    wire [TW-1:0] sbit_t = {{(TW-3){1'b0}}, s_bit};
    /* verilator lint_on UNUSEDSIGNAL */
    // (planar staging: each slot's shift o8, bounds em, first-byte flag and s_bit from
    // the stage before m_g (m_t), registered: V2-11.5 "Timing, step 15"; m_d is a shift
    // register and the layer registers hold, so they are m_g's; else m_t = m_g)
    localparam GH = PLN ? 1 : 0;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [MW-1:0] m_t = m_d[(LAT-1-GS-GH)*MW +: MW];
    wire [BW-1:0] t_pos = m_t[MW-3 -: BW];
    wire t_pack = m_t[10];
    wire [31:0] t_cob = {27'd0, m_t[9:5]};
    wire [31:0] t_spl = t_pack ? {27'd0, m_t[4:0]} : LNSL;
    wire [31:0] t_segb = t_pack ? 32'd1 << m_t[9:5] : SPW;
    wire [TW-1:0] tsegb_t = t_segb[TW-1:0];
    wire [TW-1:0] tbit_t = {{(TW-3){1'b0}}, t_pos[2:0]};
    wire [TW-1:0] t_e8 = tsegb_t + tbit_t;      // the segment's end bit (< 8 NSL^2)
    wire [TW-1:0] t_e8h = t_e8 >> 3;
    wire [7:0] t_lom = 8'hff << t_pos[2:0];      // bits bi >= s_bit
    wire [7:0] t_him = ~(8'hff << t_e8[2:0]);    // bits bi < e8 mod 8
    /* verilator lint_on UNUSEDSIGNAL */
    genvar gx;
    generate
        for (gx = 0; gx < NSL; gx = gx + 1) begin : g_sl
            /* verilator lint_off UNUSEDSIGNAL */
            wire [31:0] x32 = gx;
            wire [31:0] seg = x32 >> s_spl;
            wire [31:0] byt = x32 & ((32'd1 << s_spl) - 32'd1);
            /* verilator lint_on UNUSEDSIGNAL */
            /* verilator lint_off UNUSEDSIGNAL */
            wire [TW-1:0] sb0 = s_pack ? seg[TW-1:0] << s_cob : {TW{1'b0}};   // seg * s_segb
            /* verilator lint_on UNUSEDSIGNAL */
            // seg * s_rowb: seg = gx >> s_spl, a constant for each s_spl (mod 2^SA)
            reg [SA-1:0] segoff;
            integer sv;
            always @(*) begin
                segoff = {SA{1'b0}};
                for (sv = 1; sv <= LNSL; sv = sv + 1)
                    if (s_spl == sv)
                        segoff = (gx >> sv) * s_rowb;
            end
            reg [7:0] d, v;
            wire bz;                             // byt == 0 (m_g's)
            wire [2:0] sbm;                      // s_bit (m_g's)
            if (PL > 1) begin : g_tw
                // bit bi of the slot is code bit ti = sb0 + t - s_bit (t = 8 byt + bi) when
                // s_bit <= t < s_bit + s_segb and ti < SPW: one shift of the codes with 8
                // zero bits below by o8 = sb0 + 8 byt + 8 - s_bit (zero past SPW), the
                // segment's bounds a mask em of the bits t in [s_bit, s_bit + s_segb)
                // (all in TW bits: o8, t, s_bit + s_segb < 8 NSL^2)
                // (formed from m_t: t_*)
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] t_seg = x32 >> t_spl;
                wire [31:0] t_byt = x32 & ((32'd1 << t_spl) - 32'd1);
                /* verilator lint_on UNUSEDSIGNAL */
                wire [TW-1:0] t_sb0 = t_pack ? t_seg[TW-1:0] << t_cob : {TW{1'b0}};
                wire [TW-1:0] o8_t = t_sb0 + (t_byt[TW-1:0] << 3) + 8 - tbit_t;
                // em's bit bi: t = 8 byt + bi in [s_bit, e8), e8 = s_bit + s_segb, as byte
                // compares (bi < 8, s_bit < 8): t >= s_bit iff byt != 0 or bi >= s_bit;
                // t < e8 iff byt < e8 / 8, or byt == e8 / 8 and bi < e8 mod 8 (the two
                // bit masks shared by the slots: t_lom, t_him)
                wire [TW-1:0] tbyt = t_byt[TW-1:0];
                wire [7:0] em_t = (tbyt == {TW{1'b0}} ? t_lom : 8'hff) &
                                  (tbyt < t_e8h ? 8'hff : tbyt == t_e8h ? t_him : 8'h00);
                wire [TW-1:0] o8;
                wire [7:0] em;
                if (PLN) begin : g_t2
                    reg [TW-1:0] o8_r;
                    reg [7:0] em_r;
                    reg bz_r;
                    reg [2:0] sb_r;
                    always @(posedge clk) begin
                        o8_r <= o8_t;
                        em_r <= em_t;
                        bz_r <= t_byt == 32'd0;
                        sb_r <= t_pos[2:0];
                    end
                    assign o8 = o8_r;
                    assign em = em_r;
                    assign bz = bz_r;
                    assign sbm = sb_r;
                end else begin : g_t1
                    assign o8 = o8_t;
                    assign em = em_t;
                    assign bz = t_byt == 32'd0;
                    assign sbm = t_pos[2:0];
                end
                /* verilator lint_off UNUSEDSIGNAL */
                wire [SPW+7:0] xd = {sp_d, 8'd0} >> o8;
                wire [SPW+7:0] xv = {sp_v, 8'd0} >> o8;
                /* verilator lint_on UNUSEDSIGNAL */
                always @(*) begin
                    d = xd[7:0] & em;
                    v = xv[7:0] & em;
                end
                // (v != 0 only when o8 < SPW + 8: its low OSW bits)
                assign sl_o[gx*OSW +: OSW] = o8[OSW-1:0];
            end else begin : g_w32
                // PL = 1 (no packing, sb0 = 0): the 32-bit form (ice40.yaml: 2,324 SB_LUT4, 2,385 in TW bits)
                reg [31:0] t;
                integer bi;
                always @(*) begin
                    d = 8'd0;
                    v = 8'd0;
                    for (bi = 0; bi < 8; bi = bi + 1) begin
                        t = (byt << 3) + bi;                     // bit of the shifted segment
                        if (t >= {29'd0, s_bit} && t - {29'd0, s_bit} < s_segb &&
                            t - {29'd0, s_bit} < SPW) begin
                            d[bi] = sp_d[t - {29'd0, s_bit}];
                            v[bi] = sp_v[t - {29'd0, s_bit}];
                        end
                    end
                end
                assign sl_o[gx*OSW +: OSW] = {OSW{1'b0}};
                assign bz = byt == 32'd0;
                assign sbm = s_bit;
            end
            assign sl_d[gx*8 +: 8] = d;
            assign sl_v[gx*8 +: 8] = v;
            assign sl_m[gx*8 +: 8] = v == 8'd0 ? 8'd0 : bz ? 8'hff << sbm : 8'hff;
            assign sl_a[gx*SA +: SA] = s_byte + segoff + byt[SA-1:0];
        end
    endgenerate
    // (planar staging: the slots' masks, lane bits and shifts registered, a stage
    // before each bank's select of its slot; unused otherwise)
    /* verilator lint_off UNUSEDSIGNAL */
    reg [NSL*8-1:0] sv_r, sv_w;
    reg [NSL*OSW-1:0] so_r, so_w;
    reg [2:0] sbit_r;                            // s_bit
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        sbit_r <= s_bit;
        sv_r <= sl_v;
        so_r <= sl_o;
        sv_w <= sv_r;
        so_w <= so_r;
    end
    // (planar staging: each slot's byte in the write's cycle, the codes shifted by its
    // o8 and kept to its lanes' bits (sl_d's bits: sp_d >> o8 & em = sp_y >> o8 & v),
    // once a slot, so that a bank selects a byte, not a shift of all the codes: V2-11.5
    // "Scaling, step 18"; and snz, a slot's mask not zero, which is its holding a lane's
    // bit (sl_m), a stage earlier; unused otherwise)
    /* verilator lint_off UNUSEDSIGNAL */
    wire [NSL*8-1:0] sl_y;
    wire [NSL-1:0] snz;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        for (gx = 0; gx < NSL; gx = gx + 1) begin : g_sy
            /* verilator lint_off UNUSEDSIGNAL */
            wire [SPW+7:0] ys = {sp_y, 8'd0} >> so_w[gx*OSW +: OSW];
            /* verilator lint_on UNUSEDSIGNAL */
            assign sl_y[gx*8 +: 8] = ys[7:0] & sv_w[gx*8 +: 8];
            assign snz[gx] = sv_r[gx*8 +: 8] != 8'd0;
        end
    endgenerate
    // Staging: PB byte banks when PB is a power of two dividing 2 * HB (byte a in
    // bank a mod PB, row a / PB), so a beat reads one row of each bank and rotates
    // the PB bytes; else one byte array read at PB addresses.  One write port per
    // slot and bank (a generate, not a loop in one process: Verilator refuses a
    // delayed array write in a loop of more than 64 iterations, and NSL = 128 at
    // PL = 64), a write enable per bit (the mask) instead of a read-modify-write.
    // The slots a write enables address distinct bytes (segments never share a
    // byte, a segment's slots are its distinct bytes), so the ports need no priority.
    // (V2-11.5 "Scaling, step 2": with PB >= 2 slots 2p and 2p + 1, two consecutive
    // bytes of one segment, never share a bank, so a bank takes at most one of them:
    // NPT = PL ports a bank, each byte the AND-OR of the ports that name its row.)
    localparam LPB = PB > 1 ? $clog2(PB) : 0;
    localparam BANKED = (PB == (1 << LPB)) && ((2 * HB) % PB == 0);
    localparam DEP = BANKED ? 2 * HB / PB : 2 * HB;          // words of a bank
    localparam RWB = DEP > 1 ? $clog2(DEP) : 1;
    localparam [31:0] PBM = PB32 - 32'd1;
    // Flip-flop banks with NPT = PL write ports of explicit row decodes (g_p) when PB >= 2
    // and DEP * NPT <= 1024 (ecp5.yaml: 64); larger (cloud.yaml) memories with NSL
    // write ports (g_m): the row decodes would be DEP * NPT comparisons a bank (cloud:
    // 65,536), which take a Verilator build minutes and gigabytes.
    localparam NPT = NSL / 2;
    localparam FFP = PB >= 2 && DEP * NPT <= 1024;
    wire [8*PB-1:0] st_rd;
    wire [SA-1:0] rd0, rd0_n;                    // staging byte of the beat's first byte (next cycle's)
    /* verilator lint_off UNUSEDSIGNAL */    // (only planar staging uses it)
    wire [PB*PW-1:0] bt_pl;                      // the plane of each byte of the beat
    /* verilator lint_on UNUSEDSIGNAL */
    // Block-RAM staging (EBR, when PL = 1: the two slots are two consecutive
    // bytes, so with NB = max(PB, 2) banks, byte a in bank a mod NB, row a / NB,
    // they never share a bank and each bank needs one write port).  A bank is a
    // memory with per-bit write enables and a registered read (what Yosys maps to
    // SB_RAM40_4K / DP16KD / BRAM), read a cycle early at the next beat's row
    // (rd0_n); its byte written in that same cycle is not in the read (read-old),
    // so a bypass register takes it over the read data.  (Not pk_sram: its write
    // lanes are separate memories, eight one-bit memories for a byte.)  Packed
    // issues (PL >= 2) write segments of several rows in one cycle, which a
    // bank may receive twice: at PL >= 2 planar block-RAM staging (PLN, below).
    localparam NBE = PB > 2 ? PB : 2;
    localparam EBR = PL == 1 && PB == (1 << LPB) && (2 * HB) % NBE == 0;
    // Planar block-RAM staging (PLN, PL >= 2; V2-11.5 "Scaling, step 3"): NPL =
    // min(PL, R) planes of NB = pow2_ceil(max(PB, PL)) byte banks, each a memory
    // of 2 * HB / NB rows as EBR's (read a cycle early at the next beat's row, a
    // bypass of that cycle's write; written by whole bytes: "Scaling, step 7").  Byte a of staging row
    // r (a global pool's chunk r; plane 0 when its chunks do not end on bytes:
    // then it never packs) is kept in plane r mod NPL, bank a mod NB, row a / NB
    // (every plane spans both halves, so a plane is read at the beat's rows as
    // EBR's banks).  Writes: a packed issue's k <= PL segments are k consecutive
    // rows, so distinct planes, and a segment's written bytes are at most PL <= NB
    // consecutive bytes (PL codes of at most 8 bits, byte-aligned at 8 bits), so
    // distinct banks: each bank of each plane has one write port (the slot of its
    // plane and bank, at most one).  Reads: the beat's PB <= NB consecutive bytes
    // are in distinct banks; beat byte l takes bank (rd0 + l) mod NB of the plane
    // of its row, which the writer follows byte by byte (bt_pl), so a beat that
    // crosses row ends (a whole-group run with PS < PB) needs no split.
    localparam NB = PLN ? NBP : NBE;
    localparam LNB = $clog2(NB);
    localparam DEPE = 2 * HB / NB;               // rows of an EBR or PLN bank
    localparam REB = DEPE > 1 ? $clog2(DEPE) : 1;
    localparam [31:0] NBM = NB - 1;
    // both banked forms end in one rotation (g_rot below) of NR bank outputs
    // (bk_q), beat byte 0 in bank bk_lo
    localparam NR = EBR ? NB : PB;          // (PLN rotates its own planes)
    localparam LNR = NR > 1 ? $clog2(NR) : 1;
    localparam [31:0] NRM = NR - 1;
    /* verilator lint_off UNUSEDSIGNAL */    // (g_flat ties them off)
    wire [8*NR-1:0] bk_q;
    wire [LNR-1:0] bk_lo;
    /* verilator lint_on UNUSEDSIGNAL */
    genvar gb, gp;
    generate
        if (EBR || PLN) begin : g_br
            // EBR: one plane; PLN: NPL planes (a segment's plane: its row mod NPL)
            localparam NPX = PLN ? NPL : 1;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [31:0] rn32 = {{(32-SA){1'b0}}, rd0_n};
            wire [31:0] rn_lo = rn32 & NBM;
            wire [SA-1:0] unused_rd0 = rd0;
            /* verilator lint_on UNUSEDSIGNAL */
            reg [LNB-1:0] rd_lo;                 // rd0 mod NB of the beat read
            always @(posedge clk)
                rd_lo <= rn_lo[LNB-1:0];
            wire [8*NB*NPX-1:0] pq;              // plane p, bank b at (p * NB + b) * 8
            for (gp = 0; gp < NPX; gp = gp + 1) begin : g_p
                // PLN: the one segment that can write this plane (V2-11.5 "Scaling, step
                // 12"): seg = (gp - s_rp) mod NPL (segments holding codes are rows < R of
                // one issue, seg < NPL), its first byte pbase = s_byte + seg * s_rowb; its
                // written bytes are at most NB consecutive slots from its first, so bank
                // gb's byte is slot (seg << s_spl) + ((gb - pbase) mod NB), row pbase / NB
                // or the next one (the slots of other segments in this plane, and a
                // segment's slots NB and more, hold no code: a zero mask)
                /* verilator lint_off UNUSEDSIGNAL */     // (EBR: only g_wl below)
                localparam [PW:0] GPW = gp;
                wire [PW:0] pdif = GPW - {1'b0, s_rp};
                wire [PW:0] pseg = pdif[PW] ? pdif + NPL32[PW:0] : pdif;   // < NPL
                reg [31:0] psof;
                integer qv;
                always @(*) begin
                    psof = 32'd0;
                    for (qv = 1; qv < NPL; qv = qv + 1)
                        if ({{(31-PW){1'b0}}, pseg} == qv)
                            psof = qv * {{(32-SA){1'b0}}, s_rowb};
                end
                wire [SA-1:0] pbase = s_byte + psof[SA-1:0];
                /* verilator lint_on UNUSEDSIGNAL */
                for (gb = 0; gb < NB; gb = gb + 1) begin : g_b
                    // the write of this bank: the slot of this plane whose byte falls in it
                    // (at most one)
                    reg [REB-1:0] wa;
                    reg [7:0] wm, wd;
                    if (PLN) begin : g_ws
                        // (wa and wd are don't-cares when wm = 0: nothing written or bypassed)
                        localparam [LNB-1:0] GB = gb;
                        localparam SPB = $clog2(LNSL + 1);
                        localparam SLW = PW + LNSL + 1;
                        wire [SPB-1:0] spl = s_spl[SPB-1:0];          // <= LNSL
                        wire [LNB-1:0] plo = pbase[LNB-1:0];
                        wire [LNB-1:0] idx = GB - plo;
                        wire [SLW-1:0] slot = ({{LNSL{1'b0}}, pseg} << spl) +
                                              {{(SLW-LNB){1'b0}}, idx};
                        /* verilator lint_off CMPCONST */
                        /* verilator lint_off UNUSEDSIGNAL */
                        wire [31:0] wr32 = {{(32-REB){1'b0}}, pbase[SA-1:LNB]} +
                                           (plo > GB ? 32'd1 : 32'd0);
                        /* verilator lint_on UNUSEDSIGNAL */
                        /* verilator lint_on CMPCONST */
                        wire [REB-1:0] wrow = wr32[REB-1:0];
                        wire sok = g_we && (idx >> spl) == {LNB{1'b0}} &&
                                   {{(32-SLW){1'b0}}, slot} < NSL &&
                                   (DEPE == (1 << REB) || {{(32-REB){1'b0}}, wrow} < DEPE);
                        // registered for the write in the next cycle (m_g is a stage ahead of
                        // m_o; reset clears m_d, so no write in the cycle after rst); the
                        // mask: a slot's mask is zero or, for the segment's byte idx, 8'hff <<
                        // s_bit at idx 0 and 8'hff after it (sl_m), so the bank selects only
                        // whether it is zero (snz); the data: the byte of the slot (sl_y, its
                        // lanes' bits only, inside the mask) (two stages: the slot, enable,
                        // row and idx == 0, then the mask and the slot again for sl_y; rst
                        // clears both enables)
                        reg [LNSL-1:0] sl_r, sl_w;
                        reg sok_r, i0_r;
                        reg [REB-1:0] wrow_r;
                        always @(posedge clk) begin
                            sl_r <= slot[LNSL-1:0];
                            sok_r <= sok && !rst;
                            wrow_r <= wrow;
                            i0_r <= idx == {LNB{1'b0}};
                        end
                        reg [REB-1:0] wa_r;
                        reg [7:0] wm_r;
                        always @(posedge clk) begin
                            wa_r <= wrow_r;
                            wm_r <= sok_r && !rst && snz[sl_r] ? (i0_r ? 8'hff << sbit_r : 8'hff)
                                                               : 8'd0;
                            sl_w <= sl_r;
                        end
                        always @(*) begin
                            wa = wa_r;
                            wm = wm_r;
                            wd = sl_y[sl_w*8 +: 8];
                        end
                    end else begin : g_wl
                        integer sx;
                        always @(*) begin
                            wa = {REB{1'b0}};
                            wm = 8'd0;
                            wd = 8'd0;
                            for (sx = 0; sx < NSL; sx = sx + 1)
                                if (g_we &&
                                    {{(32-SA){1'b0}}, sl_a[sx*SA +: SA]} < 2 * HB32 &&
                                    ({{(32-SA){1'b0}}, sl_a[sx*SA +: SA]} & NBM) == gb) begin
                                    wa = sl_a[sx*SA + LNB +: REB];
                                    wm = sl_m[sx*8 +: 8];
                                    wd = sl_d[sx*8 +: 8];
                                end
                        end
                    end
                    // the beat's byte in this bank: row rd0_n / NB, or the next one below rd0_n
                    // mod NB: (rd0_n + NB - 1 - gb) / NB, one short add (mod 2^REB)
                    localparam [31:0] RK32 = NB - 1 - gb;
                    localparam [SA:0] RK = RK32[SA:0];
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire [SA:0] rsum = {1'b0, rd0_n} + RK;
                    /* verilator lint_on UNUSEDSIGNAL */
                    wire [REB-1:0] ra = rsum[LNB +: REB];
                    // (a read of the row being written: the written bits come from the
                    // bypass, so the memory's value of them is a don't-care: Yosys then
                    // adds no read-old logic of its own for SB_RAM40_4K)
                    (* no_rw_check *) reg [7:0] m [0:DEPE-1];
                    reg [7:0] q;
                    if (PLN) begin : g_wb
                        // whole-byte writes (V2-11.5 "Scaling, step 7"): the bits the mask
                        // keeps read back in the write's cycle, so the bank is one 8-bit-wide
                        // memory (LUT RAM) instead of eight 1-bit ones; the bypass takes the
                        // byte written in the read's cycle whole
                        wire [7:0] mo = m[wa];
                        wire [7:0] wb = (mo & ~wm) | wd;   // (PLN: wd is zero outside wm)
                        always @(posedge clk) begin
                            if (wm != 8'd0)
                                m[wa] <= wb;
                            q <= m[ra];
                        end
                        reg bp_v;
                        reg [7:0] bp_d;
                        always @(posedge clk) begin
                            bp_v <= wa == ra && wm != 8'd0;
                            bp_d <= wb;
                        end
                        assign pq[(gp*NB + gb)*8 +: 8] = bp_v ? bp_d : q;
                    end else begin : g_wm
                        // per-bit write enables (SB_RAM40_4K's mask)
                        integer bi;
                        always @(posedge clk) begin
                            for (bi = 0; bi < 8; bi = bi + 1)
                                if (wm[bi])
                                    m[wa][bi] <= wd[bi];
                            q <= m[ra];
                        end
                        // bypass: the bits written in the read's cycle
                        reg [7:0] bp_m, bp_d;
                        always @(posedge clk) begin
                            bp_m <= wa == ra ? wm : 8'd0;
                            bp_d <= wd & wm;
                        end
                        assign pq[(gp*NB + gb)*8 +: 8] = (q & ~bp_m) | (bp_d & bp_m);
                    end
                end
            end
            if (PLN) begin : g_pr
                // beat byte l: bank (rd0 + l) mod NB of plane bt_pl[l]: each plane's banks
                // rotated by rd0 mod NB (one log shifter a plane), then a plane a byte
                wire [8*PB*NPL-1:0] pr;          // plane p's beat bytes at p * 8 PB
                for (gp = 0; gp < NPL; gp = gp + 1) begin : g_r
                    wire [8*NB-1:0] pb = pq[gp*8*NB +: 8*NB];
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire [16*NB-1:0] rot = {pb, pb} >> {rd_lo, 3'b000};
                    /* verilator lint_on UNUSEDSIGNAL */
                    assign pr[gp*8*PB +: 8*PB] = rot[8*PB-1:0];
                end
                for (gl = 0; gl < PB; gl = gl + 1) begin : g_l
                    wire [PW-1:0] psel = bt_pl[gl*PW +: PW];
                    reg [7:0] rb;
                    integer pj;
                    always @(*) begin
                        rb = 8'd0;
                        for (pj = 0; pj < NPL; pj = pj + 1)
                            if ({{(32-PW){1'b0}}, psel} == pj)
                                rb = pr[(pj*PB + gl)*8 +: 8];
                    end
                    assign st_rd[gl*8 +: 8] = rb;
                end
                assign bk_q = {(8*NR){1'b0}};
                assign bk_lo = {LNR{1'b0}};
            end else begin : g_er
                // EBR: the NB banks rotated by g_rot
                assign bk_q = pq;
                assign bk_lo = rd_lo;
            end
        end else if (BANKED) begin : g_bk
            wire [31:0] rd32 = {{(32-SA){1'b0}}, rd0};
            /* verilator lint_off UNUSEDSIGNAL */
            wire [SA-1:0] unused_rdn = rd0_n;
            wire [31:0] rd_lo = rd32 & PBM;
            wire [31:0] rd_row = rd32 >> LPB;
            /* verilator lint_on UNUSEDSIGNAL */
            wire [8*PB-1:0] bk_out;
            for (gb = 0; gb < PB; gb = gb + 1) begin : g_b
              if (FFP) begin : g_p
                // NPT = PL write ports: port p takes slot 2p or 2p + 1 (two consecutive
                // bytes of one segment: at most one of them in this bank), its row, mask
                // and data; the ports' bytes are distinct, so each byte's write is the
                // AND-OR of the ports that name its row (no priority, no memory ports)
                reg [NPT*RWB-1:0] prow;
                reg [NPT*8-1:0] pm, pd;
                reg [NPT-1:0] pen;
                reg [31:0] ax;
                integer p, sx;
                always @(*) begin
                    pen = {NPT{1'b0}};
                    prow = {(NPT*RWB){1'b0}};
                    pm = {(NPT*8){1'b0}};
                    pd = {(NPT*8){1'b0}};
                    ax = 32'd0;
                    for (p = 0; p < NPT; p = p + 1)
                        for (sx = 2 * p; sx < 2 * p + 2; sx = sx + 1) begin
                            ax = {{(32-SA){1'b0}}, sl_a[sx*SA +: SA]};
                            if (g_we && ax < 2 * HB32 && (ax & PBM) == gb) begin
                                pen[p] = 1'b1;
                                prow[p*RWB +: RWB] = ax[LPB +: RWB];
                                pm[p*8 +: 8] = sl_m[sx*8 +: 8];
                                pd[p*8 +: 8] = sl_d[sx*8 +: 8] & sl_m[sx*8 +: 8];
                            end
                        end
                end
                wire [8*DEP-1:0] mv;
                genvar gr;
                for (gr = 0; gr < DEP; gr = gr + 1) begin : g_r
                    reg [7:0] mr, rset, rdat;
                    integer pr;
                    always @(*) begin
                        rset = 8'd0;
                        rdat = 8'd0;
                        for (pr = 0; pr < NPT; pr = pr + 1)
                            if (pen[pr] && {{(32-RWB){1'b0}}, prow[pr*RWB +: RWB]} == gr) begin
                                rset = rset | pm[pr*8 +: 8];
                                rdat = rdat | pd[pr*8 +: 8];
                            end
                    end
                    integer rb;
                    always @(posedge clk)
                        for (rb = 0; rb < 8; rb = rb + 1)
                            if (rset[rb])
                                mr[rb] <= rdat[rb];
                    assign mv[gr*8 +: 8] = mr;
                end
                // the beat's byte in this bank: row rd0 / PB, or the next one below rd0 mod PB
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] rrow32 = rd_row + (gb < rd_lo ? 32'd1 : 32'd0);
                /* verilator lint_on UNUSEDSIGNAL */
                wire [RWB-1:0] rrow = rrow32[RWB-1:0];
                assign bk_out[gb*8 +: 8] = DEP == (1 << RWB) || {{(32-RWB){1'b0}}, rrow} < DEP ?
                                           mv[rrow*8 +: 8] : 8'd0;
              end else begin : g_m
                reg [7:0] m [0:DEP-1];
                for (gx = 0; gx < NSL; gx = gx + 1) begin : g_w
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire [31:0] a32 = {{(32-SA){1'b0}}, sl_a[gx*SA +: SA]};
                    /* verilator lint_on UNUSEDSIGNAL */
                    wire [RWB-1:0] wrow = a32[LPB +: RWB];
                    wire [7:0] wm = sl_m[gx*8 +: 8];
                    wire wen = g_we && wm != 8'd0 && a32 < 2 * HB32 && (a32 & PBM) == gb;
                    integer bi;
                    always @(posedge clk)
                        if (wen)
                            for (bi = 0; bi < 8; bi = bi + 1)
                                if (wm[bi])
                                    m[wrow][bi] <= sl_d[gx*8 + bi];
                end
                // the beat's byte in this bank: row rd0 / PB, or the next one below rd0 mod PB
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] rrow32 = rd_row + (gb < rd_lo ? 32'd1 : 32'd0);
                /* verilator lint_on UNUSEDSIGNAL */
                wire [RWB-1:0] rrow = rrow32[RWB-1:0];
                assign bk_out[gb*8 +: 8] = DEP == (1 << RWB) || {{(32-RWB){1'b0}}, rrow} < DEP ? m[rrow]
                                                                                  : 8'd0;
              end
            end
            assign bk_q = bk_out;
            assign bk_lo = rd_lo[LNR-1:0];
        end else begin : g_flat
            reg [7:0] st [0:2*HB-1];
            /* verilator lint_off UNUSEDSIGNAL */
            wire [SA-1:0] unused_rdn = rd0_n;
            /* verilator lint_on UNUSEDSIGNAL */
            for (gx = 0; gx < NSL; gx = gx + 1) begin : g_w
                wire [SA-1:0] a = sl_a[gx*SA +: SA];
                wire [7:0] wm = sl_m[gx*8 +: 8];
                integer bi;
                always @(posedge clk)
                    if (g_we && wm != 8'd0 && {{(32-SA){1'b0}}, a} < 2 * HB32)
                        for (bi = 0; bi < 8; bi = bi + 1)
                            if (wm[bi])
                                st[a][bi] <= sl_d[gx*8 + bi];
            end
            for (gl = 0; gl < PB; gl = gl + 1) begin : g_rd
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] ra = {{(32-SA){1'b0}}, rd0} + gl;
                /* verilator lint_on UNUSEDSIGNAL */
                assign st_rd[gl*8 +: 8] = ra < 2 * HB32 ? st[ra[SA-1:0]] : 8'd0;
            end
            assign bk_q = {(8*NR){1'b0}};
            assign bk_lo = {LNR{1'b0}};
        end
        // the beat's PB bytes from the NR bank outputs of either banked form: beat
        // byte l is bank (bk_lo + l) mod NR's
        if (EBR || BANKED && !PLN) begin : g_rot
            for (gl = 0; gl < PB; gl = gl + 1) begin : g_l
                /* verilator lint_off UNUSEDSIGNAL */
                wire [31:0] bsel = ({{(32-LNR){1'b0}}, bk_lo} + gl) & NRM;
                /* verilator lint_on UNUSEDSIGNAL */
                reg [7:0] rb;
                integer bj;
                always @(*) begin
                    rb = 8'd0;
                    for (bj = 0; bj < NR; bj = bj + 1)
                        if (bsel == bj)
                            rb = bk_q[bj*8 +: 8];
                end
                assign st_rd[gl*8 +: 8] = rb;
            end
        end
    endgenerate

    // ---- writer -----------------------------------------------------------------------------------
    reg [1:0] g_rdy;                             // group of the half fully staged, not yet taken
    reg w_act, w_half, wh, w_first, w_last;
    reg [RA:0] w_runs;
    reg [SA-1:0] w_len, w_rleft, w_qleft, w_st, w_off;
    reg [AB-1:0] w_addr;
    wire ready_wh = g_rdy[wh] || (s_close && s_half == wh);
    wire [31:0] qleft32 = {{(32-SA){1'b0}}, w_qleft};
    // The beat's tests as registers formed from the next w_qleft, w_rleft and w_runs
    // (V2-11.5 "Timing, step 15"): nb = min(w_qleft, PB), the request's last beat
    // (w_qleft == nb: w_qleft <= PB), the run's (w_rleft == nb), the group's (one run
    // left); read only while w_act, and every w_load sets them from the loaded values
    reg [SA-1:0] nb_r;
    reg qle_r, rle_r, run1_r;
    wire [31:0] nb = {{(32-SA){1'b0}}, nb_r};
    wire [SA-1:0] nb_s = nb_r;
    wire w_take = w_act && wr_ready;
    wire q_end = w_take && qle_r;
    wire r_end = q_end && rle_r;
    wire g_end = r_end && run1_r;
    wire w_load = (!w_act || g_end) && ready_wh;
    wire [SA-1:0] nlen = g_len[wh];
    wire [SA-1:0] rleft_n = w_rleft - nb_s;
    // min(v, MAX_BURST) of a run length v < 2^SA
    function [SA-1:0] mbmin(input [SA-1:0] v);
        mbmin = {{(32-SA){1'b0}}, v} < MB32 ? v : MB32[SA-1:0];
    endfunction
    // the beat's staging position (w_st: its run's first byte, w_off: the beat's
    // offset) in the next cycle, so that block-RAM staging can read it a cycle early
    wire w_hold = rst || lay_start;
    wire [SA-1:0] w_st_n = w_hold ? w_st : w_load ? (wh ? HBS : {SA{1'b0}})
                         : !g_end && w_take && r_end ? w_st + l_stride : w_st;
    wire [SA-1:0] w_off_n = w_hold ? w_off : w_load ? {SA{1'b0}}
                          : g_end || !w_take ? w_off : r_end ? {SA{1'b0}} : w_off + nb_s;
    // rd0_n = w_st_n + w_off_n as a select of sums formed from the registers (rd0_r
    // = w_st + w_off, registered)
    reg [SA-1:0] rd0_r;
    always @(posedge clk) begin
        w_st <= w_st_n;
        w_off <= w_off_n;
        rd0_r <= rd0_n;
    end
    wire [SA-1:0] rd_st = w_st + l_stride;
    wire [SA-1:0] rd_nb = rd0_r + nb_s;
    assign rd0_n = w_hold ? rd0_r : w_load ? (wh ? HBS : {SA{1'b0}})
                 : g_end || !w_take ? rd0_r : r_end ? rd_st : rd_nb;
    // Planar staging (PLN): the plane of the beat's first byte (w_pl), the bytes left
    // in its staging row (w_rem = S - column, S = l_rowbits / 8, mod 2^SA; a row end
    // after byte j when w_rem - j == 1) and the plane of the run's first row (w_rp: a
    // group's runs are rows 0, 1, .. or one run from row 0).  The beat's row ends
    // (never when !l_pln: plane 0) as flags (V2-11.5 "Timing, step 9"): byte j ends a
    // row when w_rem == j + 1 (the first end) or an end at byte i < j and S divides
    // j - i (then every S bytes), each byte's plane (bt_pl) the count of the ends
    // before it, and the next beat's w_rem a candidate formed whole: w_rem - nb, or
    // S - m for m bytes after the beat's last row end.
    generate
        if (PLN) begin : g_wpl
            /* verilator lint_off UNUSEDSIGNAL */
            reg [PW-1:0] w_pl, w_rp;
            reg [SA-1:0] w_rem;
            reg [PB*PW-1:0] ch_pl;
            reg [PW-1:0] ch_p, nx_pl;
            reg [SA-1:0] nx_rem;
            reg [PB-1:0] fe, re, pd;             // w_rem == j + 1; row end at byte j; S divides d
            reg [PB*SA-1:0] rm, sm;              // w_rem - (j + 1), S - j
            reg crossed;
            reg [31:0] rem32, rowb32, t32;
            integer cl, cm, cf;
            always @(*) begin
                rem32 = {{(32-SA){1'b0}}, w_rem};
                rowb32 = {{(32-SA){1'b0}}, s_rowb};
                for (cl = 0; cl < PB; cl = cl + 1) begin
                    fe[cl] = rem32 == cl + 1;
                    t32 = rem32 - cl - 1;
                    rm[cl*SA +: SA] = t32[SA-1:0];
                    t32 = rowb32 - cl;
                    sm[cl*SA +: SA] = t32[SA-1:0];
                    // d = cl: 0, or S <= d with S | d
                    pd[cl] = cl == 0;
                    for (cf = 1; cf <= cl; cf = cf + 1)
                        if (cl % cf == 0 && rowb32 == cf)
                            pd[cl] = 1'b1;
                end
                for (cl = 0; cl < PB; cl = cl + 1) begin
                    re[cl] = 1'b0;
                    for (cf = 0; cf <= cl; cf = cf + 1)
                        if (fe[cf] && pd[cl - cf])
                            re[cl] = l_pln;
                end
                ch_p = w_pl;
                nx_pl = w_pl;
                nx_rem = w_rem;
                ch_pl = {(PB*PW){1'b0}};
                crossed = 1'b0;
                cm = 0;
                for (cl = 0; cl < PB; cl = cl + 1) begin
                    ch_pl[cl*PW +: PW] = ch_p;
                    if (re[cl]) begin
                        crossed = 1'b1;
                        cm = 0;
                        ch_p = {{(32-PW){1'b0}}, ch_p} + 32'd1 == NPL32 ? {PW{1'b0}}
                                                                      : ch_p + {{(PW-1){1'b0}}, 1'b1};
                    end else begin
                        cm = cm + 1;
                    end
                    if (cl + 1 == nb) begin
                        nx_pl = ch_p;
                        nx_rem = crossed ? sm[cm*SA +: SA] : rm[cl*SA +: SA];
                    end
                end
            end
            assign bt_pl = ch_pl;
            wire [PW-1:0] rp_inc = {{(32-PW){1'b0}}, w_rp} + 32'd1 == NPL32 ? {PW{1'b0}}
                                                                            : w_rp + {{(PW-1){1'b0}}, 1'b1};
            wire [PW-1:0] w_pl_n = w_hold ? w_pl : w_load ? {PW{1'b0}}
                                 : g_end || !w_take ? w_pl : r_end ? rp_inc : nx_pl;
            wire [SA-1:0] w_rem_n = w_hold ? w_rem : w_load ? s_rowb
                                  : g_end || !w_take ? w_rem : r_end ? s_rowb : nx_rem;
            wire [PW-1:0] w_rp_n = w_hold ? w_rp : w_load ? {PW{1'b0}}
                                 : !g_end && w_take && r_end ? rp_inc : w_rp;
            /* verilator lint_on UNUSEDSIGNAL */
            always @(posedge clk) begin
                w_pl <= w_pl_n;
                w_rem <= w_rem_n;
                w_rp <= w_rp_n;
            end
        end else begin : g_wpl0
            assign bt_pl = {(PB*PW){1'b0}};
        end
    endgenerate
    // (the next w_qleft, w_rleft, w_runs as the block below sets them; the flags from them)
    wire [SA-1:0] w_qleft_n = w_hold || !w_load && (g_end || !w_take) ? w_qleft
                            : w_load ? mbmin(nlen) : r_end ? mbmin(w_len)
                            : q_end ? mbmin(rleft_n) : w_qleft - nb_s;
    wire [SA-1:0] w_rleft_n = w_hold || !w_load && (g_end || !w_take) ? w_rleft
                            : w_load ? nlen : r_end ? w_len : rleft_n;
    wire [RA:0] w_runs_n = w_hold || !w_load && (g_end || !w_take) ? w_runs
                         : w_load ? g_runs[wh] : r_end ? w_runs - {{RA{1'b0}}, 1'b1} : w_runs;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] qn32 = {{(32-SA){1'b0}}, w_qleft_n};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [SA-1:0] nb_n = qn32 < PB32 ? w_qleft_n : PB32[SA-1:0];
    always @(posedge clk) begin
        nb_r <= nb_n;
        qle_r <= qn32 <= PB32;
        rle_r <= w_rleft_n == nb_n;
        run1_r <= w_runs_n == {{RA{1'b0}}, 1'b1};
    end
    always @(posedge clk) begin
        if (rst || lay_start) begin
            w_act <= 1'b0;
            wh <= 1'b0;
            g_rdy <= 2'b00;
            h_free <= 2'b11;
        end else begin
            if (s_close)
                g_rdy[s_half] <= 1'b1;
            if (first && h_open)
                h_free[half_e] <= 1'b0;
            if (g_end)
                h_free[w_half] <= 1'b1;
            if (w_load) begin
                g_rdy[wh] <= 1'b0;
                wh <= ~wh;
                w_act <= 1'b1;
                w_half <= wh;
                w_last <= g_last[wh];
                w_runs <= g_runs[wh];
                w_len <= nlen;
                w_rleft <= nlen;
                w_qleft <= mbmin(nlen);
                w_addr <= g_addr[wh];
                w_first <= 1'b1;
            end else if (g_end) begin
                w_act <= 1'b0;
            end else if (w_take) begin
                w_first <= q_end;
                if (r_end) begin
                    w_runs <= w_runs - {{RA{1'b0}}, 1'b1};
                    w_addr <= w_addr + ps_a;
                    w_rleft <= w_len;
                    w_qleft <= mbmin(w_len);
                end else begin
                    w_rleft <= rleft_n;
                    w_qleft <= q_end ? mbmin(rleft_n) : w_qleft - nb_s;
                end
            end
        end
    end
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] beat_a = {{(32-AB){1'b0}}, w_addr} + {{(32-SA){1'b0}}, w_off};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [PB-1:0] strb = {PB{1'b1}} >> (PB32 - nb);
    assign rd0 = rd0_r;
    wire [8*PB-1:0] bmask;
    generate
        for (gl = 0; gl < PB; gl = gl + 1) begin : g_bm
            assign bmask[gl*8 +: 8] = {8{strb[gl]}};
        end
    endgenerate
    assign wr_valid = w_act;
    assign wr_addr = beat_a[ADDR_BITS-1:0];
    assign wr_strb = w_act ? strb : {PB{1'b0}};
    assign wr_data = w_act ? st_rd & bmask : {8*PB{1'b0}};
    assign lay_done = g_end && w_last;
    assign inc_wr_bytes = w_take && w_first ? qleft32 : 32'd0;
    assign inc_wr_reqs = {31'd0, w_take && w_first};
endmodule
