// pk_ld2 - the v2 loader (ARCHITECTURE.md V2-6, V2-11.1, V2-11.4 items
// 3, 5, 6): the fetch-program walker, request issue with bursts split at
// MAX_BURST, the request FIFO, and the done counters.
//
// Built so far: the WS order (V2-5) of a layer without operand B (windowed,
// x-folded, flat or global ring: CONV, DW, pools, global pool).  Its fetch program
// (V2-6.1: each step's units before it, in the WS loop order pixel tile,
// n-tile) is, from `start`: the per-tensor record (l_prec bytes at
// l_addr_param, when l_prec > 0); the weight unit of n-tile 0 (l_has_w); the
// input rows of pixel tile 0 (up to l_y1_0); the weight units of n-tiles 1
// .. Nt - 1; the other input rows; the next layer's descriptor (DESC_BYTES at
// l_desc_addr, when l_has_next).  Nothing but the port, the request FIFO and
// the ring's space gates a unit (as the model's port: a unit issues at
// max(next, ready)), so after pixel tile 0 the program is the remaining rows
// in ascending order, with no walk over pixel tiles.  Rows are the needed
// ones: (y + pad) mod s < kh, so from a needed row the next is y + 1, or y +
// s - kh + 1 after the last of a group (l_jump rows, l_jump_bytes); the first
// is l_y0, the last l_ymax.  A global pool (V2-4.4) fetches every row
// (l_s = l_kh = 1) in l_passes passes (V2-6.1: its mt passes of channel
// chunks when the ring does not hold the image, else 1): after the last row
// the walk restarts at l_y0.  With the channel-slice fetch (l_gsl; V2-4.4, V2-6.1) pass t's
// row y is one unit of in_w runs of SL = l_wb bytes at a stride of l_gps (PS_in) from
// l_addr_y0 + y * row_bytes + t * SL: the walker's pass base ga0n_r adds SL at each restart,
// the issue stage walks the runs (u_ra the run's start, u_x its pixel), and the request FIFO's
// unit end (a_done, aq) is the last run's last request.  Channel groups in block slices (l_cgs;
// V2-5 item 2, V2-11.4 item 14): a windowed row of block b is the same unit, in_w runs of SB
// bytes at the pixel stride PS_in (a group layer has no operand B: its B loader inputs l_b_awrap
// and l_b_jw carry SB and PS_in), from l_addr_y0 + b * SB + y * row_bytes: the pass base ga0n_r
// adds SB after each pass's first row (pass 0's reads l_addr_y0 itself; after a per-tensor
// record it is not a pf_r row, so the layer's first row counts too: !rowd_r).  A CONV
// reading a channel slice (l_csl; V2-6.1: a group of a grouped conv) is the same unit with
// one slice: in_w runs of SL = l_b_awrap bytes at the stride l_b_jw (PS_in) from
// l_addr_y0 + y * row_bytes (row_bytes the DRAM row), no base advance (each WB pass reads the
// same slice).  The
// walker emits one unit per cycle into a
// two-unit queue, at a phase's end the next phase's first unit, and in the
// cycle of `start` the first unit (straight to the issue stage when the
// queue is empty), so the first request may issue in the cycle after
// `start`.  No multiplier or divider: the products are l_* constants
// (core/pk_v2ldconst.c).
//
// Issue (V2-6.2, V2-7.1): a unit of n bytes is ceil(n / MAX_BURST) requests
// in consecutive cycles, one per cycle; A-row fetch q (counted from 0 per
// layer) waits until q < a_free + l_cap (V2-11.4 item 6: its ring slot's
// previous row is released); the others need no space.  The request FIFO
// holds one entry per request in flight (its beats, destination and whether
// it ends its unit), QD = LAT + 2 entries (V2-11.4 item 3); a request
// waits while it is full.  An entry is freed in the cycle after its last
// beat.
//
// Done counters (V2-11.4 item 5), visible from the row's or unit's usable
// cycle: w_done (weight units) from D + 1, a_done (A rows) from D + 1 +
// RING_WR_LAT, D the cycle after the last beat.
//
// Beats (V2-11.4 item 3, V2-3.2 "Loader write order"): the request FIFO
// entry holds the request's beats, its destination (descriptor, per-tensor
// record, weight unit, A row) and whether it ends its unit; the position
// inside the destination is the running state of that destination's
// unpacker, since beats come in request order and each destination's units
// in program order.  A head beat goes, in its cycle, to
//   A row: pk_ld2a (ring words r_*, up to RWL a beat, for pk_ring2);
//   weight unit: the weight unpacker (weight-buffer words ww_*, up to WWL a
//     beat: column, address, data; V2-3.2);
//   descriptor: pk_desc2's write port (d_*), entry l_desc_entry;
//   record: a RECB-byte register (<= 16), then POST's prec_* port, one word per cycle
//     from the cycle after the record's last beat.
//
// A layer whose beats complete more than WWL weight words raises ww_ovf (its
// words past the lanes are lost), and so does a CONV or record word on a lane
// past WFL (lanes WFL .. WWL - 1 carry 8-bit depthwise codes: ww_data is WFL
// words of WBITS bits, then WWL - WFL bytes), or an n-tile's first code on a
// code lane past lane WFL (IS: the code lanes take the codes of lane WFL's
// n-tile only, in closed form; pk_v2_rtl_supported refuses all three).  The weight buffer (pk_wbuf2)
// takes up to WI words of one column a beat in its interleaved sub-banks.
//
// Operand B (RES = 1; V2-3.1, V2-6.1, V2-11.4 items 5, 6): an EW layer with
// l_has_b (flat A, no weight units, in_h = out_h, in_w = out_w) fetches, before
// each step, its missing A rows, then its missing B rows (V2-6.1).  Both are
// the rows of the pixel tile's output pixels, so the program is groups: A rows
// y .. ge, then B rows y .. ge, ge the last row of the next pixel tile that
// reaches a new row (one row a group when R div out_w = 0, else the tile's last
// row, advanced by l_rdiv / l_rmod as the window generators).  B row y is
// l_b_row_bytes at l_addr_b + y * l_b_row_bytes; B fetch q waits until q <
// b_free + l_cap_b; b_done counts B rows from D + 1 + RING_WR_LAT.  Its beats
// are unpacked by a second pk_ld2a (flat, raw bytes: the (8, 8) mode, Jr = l_b_jw
// words a pixel) whose addresses are offset by l_b_base (DA_A: the ring's B
// half).  A channel-wise multiply (l_b_mul, V2-6.1) has one B row, its one
// pixel (l_b_row_bytes = its bytes), which every step reads: the program is
// pixel tile 0's A rows, B row 0, then every other A row in ascending order (one
// group to l_ymax); its second pk_ld2a takes a row of one pixel.  RES = 0 builds
// none of it (l_has_b is then ignored).
//
// The IS order (l_is; V2-5, V2-6.1, V2-11.4 item 8): weight blocks of l_nb n-tiles, block b
// in weight half b mod 2.  The program is the record, block 0 (l_blk_bytes), every needed row
// in ascending order (the ring holds them all), blocks 1 .. (the last of l_wu_last + l_nbl1 *
// l_wu_bytes bytes: an adder stepped from `start`), the descriptor.  Block (weight run) r
// issues once r <= w_free + 1 (V2-11.4 item 6: its half's block r - 2 has ended); w_done
// counts blocks.  Its n-tile j goes to weight-buffer words (b mod 2) * l_whalf + j * Wu ..;
// the unpacker starts n-tile j + 1 in the lane after n-tile j's last word, in the same beat.
//
// The WB order (l_wbo with l_is; V2-5, V2-6.1, V2-11.4 item 9): as IS, but the ring does not
// hold every needed row, so each block is followed by a new pass over the rows: the program is
// the record, block 0, the rows (pass 0), block 1, the rows again (pass 1), .., the last block,
// its pass, the descriptor.  A block's emission restarts the walk at l_y0; the pass's first row
// goes into the request FIFO as K_A0 (an A row whose beats tell pk_ld2a, pass0, to take the
// layer's first windowed row state; the slot goes on).  Fetches are counted on across passes
// (aq, a_done), so the slot rule q < a_free + l_cap is unchanged.
// With a resident prefix (l_pre = P > 0, V2-5 item 3, V2-11.4 item 12; flat WB): a block's pass
// restarts at row P (the address row P had in pass 0), and a pass b >= 1 fetch also waits for
// the previous pass's last release (the drain: a_free + P >= the pass's first fetch; pk_seq2's
// a_free leaves the prefix rows out, so q < a_free + l_cap is the prefix's slot rule).
//
// The NS order (l_ns with l_is; V2-5, V2-11.4 item 10): as IS with blocks of NB n-tiles (one,
// outside channel groups) whose units fill both weight halves from word 0 (unit j at j * Wu),
// so block r issues once r <= w_free (block r - 1 has ended: not double-buffered).
//
// Channel groups (V2-5 item 2, V2-11.4 item 11: a DW / pool layer in WB or NS whose ring holds a
// block's chunks of each pixel; l_jin, field LD_JIN, not 0): as WB (pk_core2 drives l_wbo in NS
// too), pk_ld2a keeping pass b's chunks; a pool (l_is without l_has_w) walks its blocks as units
// that issue no request, block 0 passed at `start`.
//
// Not built yet (see V2-11.6): the KC order.
`include "pk_contract.vh"
module pk_ld2 #(
    parameter PORT_BYTES = 8,    // PB
    parameter MAX_BURST = `PK_MAX_BURST_DEFAULT,  // bytes, a multiple of PB
    parameter ADDR_BITS = 32,    // <= 32
    parameter LAT = 20,          // offchip.latency
    parameter QA = 5,            // request FIFO index bits: 2^QA >= LAT + 2
    parameter RING_WR_LAT = `PK_RING_WR_LAT,  // V2-11.4 item 4, >= 1
    parameter DESC_BYTES = `PK_DESC2_BYTES,
    parameter ROWS = 4,          // R (ring banks)
    parameter RA = 2,            // max(1, clog2 ROWS)
    parameter CA = 2,            // max(1, clog2 C): weight-buffer column bank bits
    parameter WBITS = 64,        // buffer word bits
    parameter AW = 10,           // ring bank address bits
    parameter WA = 10,           // weight-buffer column address bits (both halves)
    parameter RWL = 8,           // ring write lanes (most ring words one beat completes)
    parameter WWL = 8,           // weight write lanes (most weight-buffer words one beat completes)
    parameter WFL = WWL,         // of them the first WFL are whole words (CONV, records); the others
                                 // carry depthwise codes only: 8 data bits (ww_data: WDB bits)
    parameter FXL = 3,           // pk_ld2a: largest log2 x-fold built (0: none)
    parameter FPX = RWL,         // pk_ld2a: most pixels of an x-folded layer one beat completes
    parameter GLOB = 1,          // pk_ld2a: global-pool layout built
    parameter WMODES = 16'hFFFF, // (w_bits, m) pairs the config has: bit 4 * log2 w_bits + log2 m
    parameter LB = ADDR_BITS,    // unit length bits: every unit (weight unit, block, row, record,
                                 // DESC_BYTES) < 2^LB bytes; a unit lies in the address space
    parameter MODES = 16'hFFFF,  // pk_ld2a MODES: the config's (a_bits, m) pairs
    parameter RES = 1,           // operand B built (EW with res_en)
    parameter RECB = 16,         // per-tensor record register bytes: >= the layer's record, <= 16
                                 // (the largest compact record; pk_core2: min(16, REC_WORDS * WB))
    parameter LWB = WBITS,       // data bits of whole weight lanes 1 .. WFL - 1, the rest zero (pk_core2:
                                 // the most such a lane's word can have, V2-11.5 "Scaling, step 11")
    parameter DLA = PORT_BYTES < 4 ? $clog2(4 / PORT_BYTES) : 1,   // pk_desc2 LA
    parameter DRA = $clog2(2 * DESC_BYTES / (PORT_BYTES < 4 ? 4 : PORT_BYTES)),  // pk_desc2 RWA
    parameter WDB = WFL * WBITS + (WWL - WFL) * 8   // ww_data bits
) (
    input  wire clk,
    input  wire rst,
    input  wire start,           // one cycle: the layer's constants are valid from here
    // layer constants (core/pk_v2ldconst.c), held for the layer
    input  wire [15:0] l_nt,
    input  wire l_has_w,
    input  wire [31:0] l_wu_bytes,       // an n-tile's unit (weights + records)
    input  wire [31:0] l_wu_last,        // the last n-tile's unit
    input  wire [ADDR_BITS-1:0] l_addr_w,
    input  wire [23:0] l_row_bytes,
    input  wire [15:0] l_cap,
    input  wire [15:0] l_ymax,           // last needed input row
    input  wire [15:0] l_y1_0,           // last row pixel tile 0 needs
    input  wire [15:0] l_y0,             // first needed row
    input  wire [ADDR_BITS-1:0] l_addr_y0, // its address
    input  wire [3:0] l_ym0,             // (l_y0 + pad) mod s
    input  wire [3:0] l_s,
    input  wire [7:0] l_kh,
    input  wire [15:0] l_jump,           // s - kh + 1 (kh < s)
    input  wire [31:0] l_jump_bytes,     // l_jump * row_bytes
    input  wire [15:0] l_passes,         // passes over the rows: (GLOBAL && CAP < IN_H) ? MT : 1
                                         // (glue in pk_core2; core/pk_v2ldconst.c k.passes)
    input  wire [7:0] l_prec,            // per-tensor record bytes (0: none)
    input  wire [ADDR_BITS-1:0] l_addr_param,
    input  wire l_has_next,
    input  wire [ADDR_BITS-1:0] l_desc_addr,
    input  wire l_desc_entry,            // pk_desc2 entry of the next layer's descriptor
    // operand B (RES; core/pk_v2ldconst.c)
    input  wire l_has_b,                 // an EW layer with operand B
    input  wire l_b_mul,                 // ... of one pixel, B row 0 (a channel-wise multiply)
    input  wire [ADDR_BITS-1:0] l_addr_b, // addr_res
    input  wire [23:0] l_b_row_bytes,
    input  wire [15:0] l_cap_b,          // B rows the ring holds
    input  wire [15:0] l_rdiv, l_rmod,   // R div out_w, R mod out_w
    input  wire [15:0] l_ox1_0,          // (min(R, M) - 1) mod out_w: pixel tile 0's last column
    input  wire [15:0] l_b_jw, l_b_lbits, l_b_lnch,  // Jr; the last word's bits and bytes
    input  wire [AW-1:0] l_b_awrap,      // (capPB / R) * Jr
    input  wire [AW-1:0] l_b_base,       // DA_A: the B half's first address
    // the ring-word unpacker's constants (pk_ld2a; l_ym0, l_s, l_kh above)
    input  wire l_flat,
    input  wire [1:0] l_alog,
    input  wire l_asigned,
    input  wire [1:0] l_mlog,            // log2 m (also the weights' slots)
    input  wire [15:0] l_in_w, l_jw, l_cbits, l_lbits, l_lnch, l_pskip,
    input  wire [7:0] l_sp,
    input  wire [AW-1:0] l_sjw,
    input  wire [7:0] l_u0,
    input  wire [RA-1:0] l_q0,
    input  wire [AW-1:0] l_g0, l_a0, l_awrap, l_wb,
    input  wire [AW:0] l_cap_wb,
    input  wire [RA-1:0] l_rb0, l_owm,
    input  wire [1:0] l_fxlog,           // x-fold: log2 fx (0: none): field FX_LOG2
    input  wire [2:0] l_cplog,           // x-fold: log2 cp: field CP_LOG2
    input  wire [2:0] l_fu0,             // x-fold: pad mod fx = PAD & (fx - 1) (glue in pk_core2)
    input  wire l_glob,                  // global-pool layout: field GLOBAL
    input  wire l_gsl,                   // a global pool's channel-slice fetch (V2-4.4): GSL;
                                         // its slice SL is l_wb (field WB)
    input  wire [15:0] l_gps,            // ... its pixel stride PS_in (field GX)
    input  wire l_csl,                   // a CONV's channel slice (V2-6.1): CSL; runs as CGS's
    input  wire l_cgs,                   // channel groups in block slices (V2-5 item 2): CGS;
                                         // SB is l_b_awrap, PS_in l_b_jw (fields LD_B_AWRAP,
                                         // LD_B_JW: a group layer has no operand B)
    input  wire [15:0] l_jin,            // channel groups: LD_JIN, the pixel's chunks (pk_ld2a)
    // the weight unpacker's constants (V2-3.2)
    input  wire l_dw,                    // one code per word, in slot 0
    input  wire [1:0] l_wlog,            // log2 w_bits
    input  wire [15:0] l_ks, l_ct, l_nc_last,
    input  wire [15:0] l_wcb,            // source bits of a weight word
    input  wire [15:0] l_wskip, l_wskip_last,  // bits from the weights' end to the records
    input  wire [7:0] l_rw,              // record words per column (0: none)
    input  wire [7:0] l_rbits,           // source bits of a record word
    input  wire [WA-1:0] l_wu,           // Wu: words per unit and column
    // the IS order (V2-5: weight blocks of NB n-tiles in the weight halves; V2-6.1)
    input  wire l_is,                    // ORDER = IS or WB (weight blocks)
    input  wire l_wbo,                   // ORDER = WB, or NS in channel groups (V2-5 item 2):
                                         // a pass over the rows after each block
    input  wire l_ns,                    // ORDER = NS (with l_is): a block in both halves
    input  wire [WA-1:0] l_nb,           // NB: n-tiles per block (a block's units fit a weight half:
                                         // NB <= WD / 2; pk_par2's NB is WA bits)
    input  wire [15:0] l_nbl1,           // LD_NBL1: (Nt - 1) mod NB, the last block's n-tiles - 1
                                         // (< NB: its low WA bits are read)
    input  wire [31:0] l_blk_bytes,      // BLOCK_BYTES: a full block's bytes (NB units)
    input  wire [WA-1:0] l_whalf,        // words of a weight half per column (wbuf_depth; a
                                         // config constant: pk_core2 ties it to WD / 2)
    // COMPUTE's free counters (V2-11.4 item 6)
    input  wire [15:0] a_free,
    input  wire [7:0] l_pre,             // WB with a resident prefix: its rows P (0: none)
    input  wire [15:0] w_free,           // weight runs (IS: blocks) whose last step has ended
    input  wire [15:0] b_free,           // B fetches whose last reading step has ended
    // off-chip read port (v1 protocol)
    output wire rd_req_valid,
    output wire [ADDR_BITS-1:0] rd_req_addr,
    output wire [31:0] rd_req_len,
    input  wire rd_req_ready,
    input  wire rd_data_valid,
    input  wire [8*PORT_BYTES-1:0] rd_data,
    // ring write lanes (pk_ring2)
    output wire [RWL-1:0] r_valid,
    output wire [RWL*RA-1:0] r_bank,
    output wire [RWL*AW-1:0] r_addr,
    output wire [RWL*WBITS-1:0] r_data,
    // weight-buffer write lanes: word ww_data of column bank ww_col at ww_addr
    output wire [WWL-1:0] ww_valid,
    output wire [WWL*CA-1:0] ww_col,
    output wire [WWL*WA-1:0] ww_addr,
    output wire [WDB-1:0] ww_data,       // lane l < WFL: WBITS bits at l * WBITS (l >= 1: those
                                         // past LWB zero); l >= WFL: 8 bits at WFL * WBITS + (l -
                                         // WFL) * 8
    output reg  ww_ovf,                  // a beat completes more than WWL words (they are lost),
                                         // or a whole word on a lane past WFL (its data cut to 8 bits)
    // descriptor RAM write port (pk_desc2)
    output wire d_we,
    output wire [DRA-1:0] d_wrow,
    output wire [DLA-1:0] d_wlane,
    output wire [8*PORT_BYTES-1:0] d_wdata,
    // per-tensor record to POST (pk_post2 prec_*): word prec_idx, LSB first
    output wire prec_we,
    output wire [3:0] prec_idx,
    output wire [WBITS-1:0] prec_data,
    // done counters (V2-11.4 item 5)
    output reg  [15:0] a_done,
    output reg  [15:0] w_done,
    output reg  [15:0] b_done,
    output wire busy                     // the program or a request is not finished
);
    localparam QD = LAT + 2;
    localparam WL = RING_WR_LAT;
    localparam [31:0] MB = MAX_BURST;
    localparam [31:0] PBW = PORT_BYTES;
    localparam [2:0] K_DESC = 3'd0, K_W = 3'd1, K_A = 3'd2, K_REC = 3'd3, K_B = 3'd4;
    // an A row that begins a pass (WB): kind[1:0] = 2'b10 is an A row, kind[2] its pass flag
    localparam [2:0] K_A0 = 3'd6;
    wire has_b = RES != 0 && l_has_b;

    // ---- fetch-program walker ---------------------------------------------------------
    // phases: the record, weight unit 0, pixel tile 0's rows, weight units 1 .. Nt - 1, the
    // other rows, the descriptor; each cycle the walker emits the phase's next unit, or at the
    // phase's end the next phase's first one (no cycle without a unit until the program ends)
    localparam [2:0] P_IDLE = 3'd0, P_REC = 3'd1, P_W0 = 3'd2, P_ROWS0 = 3'd3, P_WREST = 3'd4,
                     P_ROWS = 3'd5, P_BLK = 3'd6;
    reg [2:0] ph_r;
    reg [15:0] nt_r, y_r;
    reg [3:0] ym_r;
    reg [ADDR_BITS-1:0] wa_r, ya_r;  // next weight unit's and row y's address
    reg [15:0] pass_r;               // passes over the rows begun before this one
    reg pf_r;                        // WB: the next row begins a pass
    // the walker's state this cycle: the registers, or the layer's first state at start; past
    // the last row with a pass to go, the next pass's first row
    // (a pool in channel groups, V2-5 item 2: weight blocks without weights, l_is without
    // l_has_w: block 0 is passed at `start` (nt_r = NB) and blocks 1 .. are walked as units
    // that issue no request, so that each block's pass follows it as in WB; the model's weight
    // fetch of 0 bytes is usable at once)
    wire nwblk = l_is && !l_has_w;
    wire [2:0] ph = start ? (l_prec != 8'd0 ? P_REC : has_b ? P_ROWS : l_has_w ? P_W0 : P_ROWS0) :
                    ph_r;
    // operand B: the next B row, its address, the group's last row, pixel tile's last pixel
    reg [15:0] yb_r, ge_r, oy1_r, ox1_r;
    reg [ADDR_BITS-1:0] yba_r;
    wire [15:0] yb = start ? 16'd0 : yb_r;
    wire [ADDR_BITS-1:0] yba = start ? l_addr_b : yba_r;
    wire [15:0] ge = start ? l_y1_0 : ge_r;
    wire [15:0] oy1 = start ? l_y1_0 : oy1_r;
    wire [15:0] ox1 = start ? l_ox1_0 : ox1_r;
    wire [16:0] ox1_n = {1'b0, ox1} + {1'b0, l_rmod};
    wire ox1_c = ox1_n >= {1'b0, l_in_w};
    wire [15:0] ox1_nx = ox1_c ? ox1_n[15:0] - l_in_w : ox1_n[15:0];
    wire [15:0] oy1_nx = oy1 + l_rdiv + {15'd0, ox1_c};
    wire [15:0] ge_raw = l_rdiv == 16'd0 ? ge + 16'd1 : oy1_nx;
    wire [15:0] ge_nx = ge_raw > l_ymax ? l_ymax : ge_raw;
    wire [31:0] yb_inc = {8'd0, l_b_row_bytes};
    wire [15:0] nt = start ? 16'd0 : nt_r;
    wire [15:0] pass = start ? 16'd0 : pass_r;
    // (pass = pass_r where it counts: not at `start`)
    wire restart = !start && y_r > l_ymax && pass_r + 16'd1 < l_passes;
    // (WB: after a block, pf_r, the block's pass begins at the first row)
    wire y_first = start || restart || pf_r;
    // WB with a resident prefix (l_pre = P > 0; V2-5 item 3, V2-11.4 item 12; flat: y0 = 0, every
    // row needed): a block's pass begins at row P, at the address yap_r that row P had in pass 0
    // (taken when the walker emitted it), rows 0 .. P - 1 staying in the ring for the layer
    wire pre_on = l_pre != 8'd0;
    reg rowd_r;                     // a row has been emitted this layer (pass 0 has begun)
    wire y_pre = !start && !restart && pf_r && pre_on && rowd_r;
    wire [15:0] pre16 = {8'd0, l_pre};
    reg [ADDR_BITS-1:0] yap_r;
    // a channel-slice fetch (l_gsl): the next pass's first row's address, l_addr_y0 + (t + 1) * SL
    // (l_addr_y0 itself without it, so that a WB pass's first row reads it as before)
    reg [ADDR_BITS-1:0] ga0n_r;
    wire [ADDR_BITS-1:0] gsl_w = l_gsl ? {{(ADDR_BITS-AW){1'b0}}, l_wb} : {ADDR_BITS{1'b0}};
    // block slices (l_cgs): the next block pass's first row, l_addr_y0 + (b + 1) * SB
    wire [ADDR_BITS-1:0] cgs_w = {{(ADDR_BITS-AW){1'b0}}, l_b_awrap};
    wire [15:0] y = y_pre ? pre16 : y_first ? l_y0 : y_r;
    wire [3:0] ym = y_first ? l_ym0 : ym_r;
    wire [ADDR_BITS-1:0] wa = start ? l_addr_w : wa_r;
    wire [ADDR_BITS-1:0] ya = y_pre ? yap_r : start ? l_addr_y0 : y_first ? ga0n_r : ya_r;

    wire last_nt = nt + 16'd1 >= l_nt;
    // (the row tests formed for both of y's sources before its multiplexer: V2-11.5 "Timing,
    // step 12")
    wire row0 = y_first ? l_y0 <= l_y1_0 : y_r <= l_y1_0;    // a row of pixel tile 0 is next
    wire row_any = y_pre ? pre16 <= l_ymax : y_first ? l_y0 <= l_ymax : y_r <= l_ymax;
                                                             // a needed row is next
    // WS: weight units 1 .. Nt - 1 are next (nt_r = 1 after unit 0)
    wire w_more = l_has_w && nt != 16'd0 && !l_is;
    // IS (nt: the next block's first n-tile): blocks 1 .. follow the rows; the last block's
    // bytes l_wu_last + l_nbl1 * l_wu_bytes come from an adder stepped once a cycle from
    // `start` (l_nbl1 < NB cycles: the last block, block 2 or later, issues only after block
    // 0's NB steps, w_free >= 1, so the sum is ready long before; a last block the walker
    // reaches first waits for it, which with a COMPUTE that keeps the rule delays no issue)
    wire [16:0] nb17 = {{(17-WA){1'b0}}, l_nb};
    wire [16:0] nt_nb = {1'b0, nt} + nb17;
    wire blk_more = l_is && nt < l_nt;
    wire blk_last = nt_nb >= {1'b0, l_nt};
    // unit lengths in LB bits (the l_* byte counts' upper bits are 0 for a unit that exists)
    wire [LB-1:0] wu_bytes = l_wu_bytes[LB-1:0];
    reg [LB-1:0] blast;
    reg [WA-1:0] bcnt;
    always @(posedge clk)
        if (rst || start) begin
            blast <= l_wu_last[LB-1:0];
            bcnt <= rst ? {WA{1'b0}} : l_nbl1[WA-1:0];
        end else if (bcnt != {WA{1'b0}}) begin
            blast <= blast + wu_bytes;
            bcnt <= bcnt - 1'b1;
        end
    wire group_end = {4'd0, ym} + 8'd1 >= l_kh;  // the last needed row of its group (kh < s)
    wire jump = l_kh < {4'd0, l_s} && group_end;
    wire [31:0] ya_inc = jump ? l_jump_bytes : {8'd0, l_row_bytes};  // to the next needed row

    // what the walker emits this cycle: e_w a weight unit, e_row a row, e_desc the descriptor
    reg e_rec, e_w, e_row, e_desc, e_b;
    wire ea_g = start ? l_y0 <= l_y1_0 : y_first ? l_y0 <= ge_r : y_r <= ge_r;  // operand B: an A
                                     // row of the group is next (y <= ge; at `start` y_first)
    wire eb_g = l_b_mul ? yb == 16'd0 : yb <= ge;  // ... else a B row of the group (a
                                     // multiply: its one B row, after pixel tile 0's A rows)
    always @(*) begin
        e_rec = 1'b0;
        e_w = 1'b0;
        e_row = 1'b0;
        e_desc = 1'b0;
        e_b = 1'b0;
        case (ph)
            P_REC: e_rec = 1'b1;
            P_W0, P_WREST: e_w = 1'b1;
            P_ROWS0: begin
                e_row = row0 || (!w_more && row_any);
                e_w = !row0 && (w_more || (!row_any && blk_more));
                e_desc = !row0 && !w_more && !row_any && !blk_more && l_has_next;
            end
            P_ROWS: begin
                if (has_b) begin
                    e_row = ea_g;
                    e_b = !ea_g && eb_g;
                    e_desc = !ea_g && !eb_g && l_has_next;
                end else begin
                    e_row = row_any;
                    e_w = !row_any && blk_more;
                    e_desc = !row_any && !blk_more && l_has_next;
                end
            end
            P_BLK: begin
                e_w = blk_more;
                e_desc = !blk_more && l_has_next;
            end
            default: ;
        endcase
    end
    wire e_valid = e_rec || (e_w && l_has_w) || e_row || e_desc || e_b;
    wire e_wait = !start && e_w && l_is && blk_last && bcnt != {WA{1'b0}};  // the last block's bytes
    wire [LB-1:0] w_len = l_is ? (blk_last ? blast : l_blk_bytes[LB-1:0]) :
                          last_nt ? l_wu_last[LB-1:0] : wu_bytes;
    wire [ADDR_BITS-1:0] e_addr = e_rec ? l_addr_param : e_w ? wa : e_row ? ya : e_b ? yba :
                                  l_desc_addr;
    localparam LBX = LB < 24 ? 24 : LB;
    wire [LBX-1:0] prec_x = {{(LBX-8){1'b0}}, l_prec};
    wire [LBX-1:0] rowb_x = {{(LBX-24){1'b0}}, l_row_bytes};
    wire [LBX-1:0] browb_x = {{(LBX-24){1'b0}}, l_b_row_bytes};
    localparam [LBX-1:0] DESC_X = DESC_BYTES;
    // a slice's run: SL (l_gsl, l_csl) or SB (l_cgs) (LB > AW)
    wire b_sl = l_cgs || l_csl;                        // the run and stride in the B words
    wire [LB-1:0] gsl_l = {{(LB-AW){1'b0}}, b_sl ? l_b_awrap : l_wb};
    wire g_on = l_gsl || b_sl;                         // a row is in_w runs
    wire [LB-1:0] e_len = e_rec ? prec_x[LB-1:0] : e_w ? w_len :
                          e_row ? (g_on ? gsl_l : rowb_x[LB-1:0]) :
                          e_b ? browb_x[LB-1:0] : DESC_X[LB-1:0];
    wire [2:0] e_kind = e_w ? K_W : e_row ? (pf_r ? K_A0 : K_A) : e_rec ? K_REC : e_b ? K_B : K_DESC;

    // unit queue (2 entries) between the walker and the issue
    reg [ADDR_BITS-1:0] qa [0:1];
    reg [LB-1:0] ql [0:1];
    reg [2:0] qk [0:1];
    reg qw, qr;
    reg [1:0] qn;
    wire q_full = qn == 2'd2;
    wire walk = (start || ph_r != P_IDLE) && !q_full && !e_wait;
    wire push = walk && e_valid;

    always @(posedge clk) begin
        if (rst) begin
            ph_r <= P_IDLE;
            nt_r <= 16'd0;
            y_r <= 16'd0;
            ym_r <= 4'd0;
            wa_r <= {ADDR_BITS{1'b0}};
            ya_r <= {ADDR_BITS{1'b0}};
            pass_r <= 16'd0;
            yb_r <= 16'd0;
            ge_r <= 16'd0;
            oy1_r <= 16'd0;
            ox1_r <= 16'd0;
            yba_r <= {ADDR_BITS{1'b0}};
            pf_r <= 1'b0;
            yap_r <= {ADDR_BITS{1'b0}};
        end else if (walk) begin
            yb_r <= yb;
            yba_r <= yba;
            ge_r <= ge;
            oy1_r <= oy1;
            ox1_r <= ox1;
            if (e_b) begin
                yb_r <= yb + 16'd1;
                yba_r <= yba + yb_inc[ADDR_BITS-1:0];
                if (l_b_mul)         // a multiply: the other A rows are one group
                    ge_r <= l_ymax;
                else if (yb == ge) begin  // the group's last B row: the next group
                    ge_r <= ge_nx;
                    oy1_r <= oy1_nx;
                    ox1_r <= ox1_nx;
                end
            end
            nt_r <= nt;
            pass_r <= restart && e_row ? pass + 16'd1 : pass;
            y_r <= y;
            ym_r <= ym;
            wa_r <= wa;
            ya_r <= ya;
            if (e_w && l_is) begin   // IS: a block of NB n-tiles
                wa_r <= wa + l_blk_bytes[ADDR_BITS-1:0];
                nt_r <= nt_nb[16] ? 16'hFFFF : nt_nb[15:0];
            end else if (e_w) begin
                wa_r <= wa + l_wu_bytes[ADDR_BITS-1:0];
                nt_r <= last_nt ? 16'd0 : nt + 16'd1;
            end
            if (start && nwblk)      // (no weights: block 0 is passed)
                nt_r <= nb17[15:0];
            if (start)
                pf_r <= 1'b0;
            if (e_w && l_wbo)        // WB: the block's pass over the rows follows
                pf_r <= 1'b1;
            if (e_row && y == pre16)  // (the prefix's pass restart address)
                yap_r <= ya;
            if (e_row) begin
                pf_r <= 1'b0;
                y_r <= y + (jump ? l_jump : 16'd1);
                ym_r <= jump ? 4'd0 : ym + 4'd1;
                ya_r <= ya + ya_inc[ADDR_BITS-1:0];
            end
            // the phase of the next cycle
            case (ph)
                P_REC: ph_r <= has_b ? P_ROWS : l_has_w ? P_W0 : P_ROWS0;
                P_W0: ph_r <= P_ROWS0;
                P_ROWS0: ph_r <= e_row && row0 ? P_ROWS0 : e_w && l_is ? (l_wbo ? P_ROWS : P_BLK) :
                                 e_w && !last_nt ? P_WREST : e_w || e_row ? P_ROWS : P_IDLE;
                P_WREST: ph_r <= last_nt ? P_ROWS : P_WREST;
                P_ROWS: ph_r <= e_row || e_b || (e_w && l_wbo) ? P_ROWS : e_w ? P_BLK : P_IDLE;
                P_BLK: ph_r <= e_w ? P_BLK : P_IDLE;
                default: ph_r <= P_IDLE;
            endcase
        end
    end

    always @(posedge clk)
        if (rst)
            ga0n_r <= {ADDR_BITS{1'b0}};
        else if (start)                      // (block slices: pass 0's first row at `start`)
            ga0n_r <= l_addr_y0 + gsl_w + (l_cgs && walk && e_row ? cgs_w : {ADDR_BITS{1'b0}});
        else if (walk && restart && e_row)   // (a slice fetch: the pass after the next)
            ga0n_r <= ga0n_r + gsl_w;
        else if (walk && l_cgs && e_row && (pf_r || !rowd_r))  // (block slices: a pass's first
            ga0n_r <= ga0n_r + cgs_w;                         // row, pass 0's too)

    always @(posedge clk)
        if (rst)
            rowd_r <= 1'b0;
        else if (start)
            rowd_r <= walk && e_row;
        else if (walk && e_row)
            rowd_r <= 1'b1;

    // ---- issue: the current unit, one request per cycle ---------------------------------
    reg [ADDR_BITS-1:0] u_addr;
    reg [LB-1:0] u_left;
    reg [2:0] u_kind;
    reg [15:0] aq;                  // A fetches issued this layer
    reg [15:0] bq;                  // B fetches issued this layer
    reg [15:0] wq;                  // weight runs issued this layer
    reg [QA:0] fcnt;                // request FIFO entries in use
    wire fifo_full = fcnt >= QD[QA:0];
    wire in_unit = u_left != {LB{1'b0}};
    // (a resident prefix: pk_seq2's a_free counts the released fetches less the P prefix rows,
    // so q < a_free + cap is the prefix's rule q - cs < released, cs = cap - P; and a pass b >= 1
    // waits for the previous pass's last release (the drain): its rows' slots are not those
    // the fetch numbers rotate through, as the stream restarts at slot P: a_free + P >= the
    // pass's first fetch pb (aq itself for the pass's first row, K_A0))
    reg [15:0] pb_r;                // the current pass's first A fetch (0 in pass 0)
    wire [16:0] af_p = {1'b0, a_free} + {9'd0, l_pre};
    wire drain_ok = !pre_on || af_p >= {1'b0, u_kind == K_A0 ? aq : pb_r};
    wire a_space = {1'b0, aq} < {1'b0, a_free} + {1'b0, l_cap} && drain_ok;
    wire b_space = {1'b0, bq} < {1'b0, b_free} + {1'b0, l_cap_b};
    // IS: weight run (block) r goes to half r mod 2, free once block r - 2's last step ended;
    // NS: both halves, free once block r - 1's last step ended
    wire w_space = !l_is || {1'b0, wq} <= {1'b0, w_free} + {16'd0, !l_ns};
    wire u_a = u_kind[1:0] == K_A[1:0];  // an A row (K_A, K_A0)
    wire can_issue = in_unit && !fifo_full && (!u_a || a_space) &&
                     (u_kind != K_B || b_space) && (u_kind != K_W || w_space);
    // a request's length min(u_left, MB) in RLB bits (MB < 2^RLB, u_left < 2^LB)
    localparam MBB = $clog2(MAX_BURST + 1);
    localparam RLB = LB > MBB ? LB : MBB;
    wire [RLB-1:0] u_left_r = {{(RLB-LB){1'b0}}, u_left};
    localparam [RLB-1:0] MBR = MB[RLB-1:0];
    wire r_last = u_left_r <= MBR;  // the run's last request
    // a channel-slice row (l_gsl): in_w runs, u_x the run's pixel, u_ra its first byte; the
    // unit ends with the last run's last request (r_end), else the next run follows at + PS_in
    reg [ADDR_BITS-1:0] u_ra;
    reg [15:0] u_x;
    wire g_row = g_on && u_a;
    wire r_end = r_last && (!g_row || u_x + 16'd1 >= l_in_w);
    wire [RLB-1:0] r_len_r = r_last ? u_left_r : MBR;
    wire [MBB-1:0] r_len = r_len_r[MBB-1:0];   // <= MB
    localparam PBS = $clog2(PORT_BYTES);          // PB a power of two
    wire [MBB:0] r_beats = ({1'b0, r_len} + PBW[MBB:0] - 1'b1) >> PBS;
    assign rd_req_valid = can_issue;
    assign rd_req_addr = u_addr;
    assign rd_req_len = {{(32-MBB){1'b0}}, r_len};
    wire issue = can_issue && rd_req_ready;
    wire want_unit = !in_unit || (issue && r_end);        // the next unit may load
    wire [15:0] g_ps = b_sl ? l_b_jw : l_gps;            // the pixel stride PS_in
    wire [ADDR_BITS-1:0] g_next = u_ra + {{(ADDR_BITS-16){1'b0}}, g_ps};  // the next run
    wire take = want_unit && qn != 2'd0;                 // from the queue
    wire direct = want_unit && qn == 2'd0 && push;       // from the walker (queue empty)

    always @(posedge clk) begin
        if (rst) begin
            qw <= 1'b0;
            qr <= 1'b0;
            qn <= 2'd0;
            u_left <= {LB{1'b0}};
            u_addr <= {ADDR_BITS{1'b0}};
            u_kind <= K_DESC;
            u_ra <= {ADDR_BITS{1'b0}};
            u_x <= 16'd0;
            aq <= 16'd0;
            bq <= 16'd0;
            wq <= 16'd0;
        end else begin
            if (push && !direct) begin
                qa[qw] <= e_addr;
                ql[qw] <= e_len;
                qk[qw] <= e_kind;
                qw <= ~qw;
            end
            if (take) begin
                u_addr <= qa[qr];
                u_left <= ql[qr];
                u_kind <= qk[qr];
                qr <= ~qr;
                u_ra <= qa[qr];
                u_x <= 16'd0;
            end else if (direct) begin
                u_addr <= e_addr;
                u_left <= e_len;
                u_kind <= e_kind;
                u_ra <= e_addr;
                u_x <= 16'd0;
            end else if (issue && r_last && !r_end) begin  // a slice row's next run
                u_addr <= g_next;
                u_ra <= g_next;
                u_left <= gsl_l;
                u_x <= u_x + 16'd1;
            end else if (issue) begin
                u_addr <= u_addr + MB[ADDR_BITS-1:0];
                u_left <= u_left - r_len_r[LB-1:0];
            end
            qn <= qn + {1'b0, push && !direct} - {1'b0, take};
            if (start)
                aq <= 16'd0;
            else if (issue && r_end && u_a)
                aq <= aq + 16'd1;
            if (start)
                pb_r <= 16'd0;
            else if (issue && r_end && u_kind == K_A0)
                pb_r <= aq;
            if (start)
                bq <= 16'd0;
            else if (issue && r_last && u_kind == K_B)
                bq <= bq + 16'd1;
            if (start)
                wq <= 16'd0;
            else if (issue && r_last && u_kind == K_W)
                wq <= wq + 16'd1;
        end
    end

    // ---- request FIFO: beats, destination, whether the request ends its unit --------------
    localparam BB = $clog2(MAX_BURST / PORT_BYTES + 1);  // a request's beats: 1 .. MAX_BURST / PB
    localparam [BB-1:0] B1 = 1;
    reg [BB-1:0] fb [0:(1<<QA)-1];  // beats
    reg [2:0] fk [0:(1<<QA)-1];     // destination (unit kind)
    reg fl [0:(1<<QA)-1];           // the unit's last request
    reg [QA-1:0] fw, fr;
    reg [BB-1:0] beat;              // beats of the head request so far
    wire head_done = rd_data_valid && beat + B1 >= fb[fr];
    always @(posedge clk) begin
        if (rst) begin
            fw <= {QA{1'b0}};
            fr <= {QA{1'b0}};
            fcnt <= {(QA+1){1'b0}};
            beat <= {BB{1'b0}};
        end else begin
            if (issue) begin
                fb[fw] <= r_beats[BB-1:0];
                fk[fw] <= u_kind;
                fl[fw] <= r_end;
                fw <= fw + 1'b1;
            end
            if (rd_data_valid)
                beat <= head_done ? {BB{1'b0}} : beat + B1;
            if (head_done)
                fr <= fr + 1'b1;
            fcnt <= fcnt + {{QA{1'b0}}, issue} - {{QA{1'b0}}, head_done};
        end
    end
    // the head request's destination fk[fr] in flip-flops (V2-11.5 "Timing, step 29"), so the
    // beat's kind (pass0, b_a .. b_b, the RES lanes' select) is not a LUT-RAM read: the next
    // cycle's head is entry fr + 1 after head_done, else fr, and reads what the cycle writes
    // there when issue writes it (the FIFO empty, or emptied by head_done: fw == fr or fr + 1;
    // it is never full at 2^QA entries, QD <= 2^QA), else the stored fk.  Before the first
    // issue after rst, fk[fr] is not written and read by nothing (b_*, head_done need
    // rd_data_valid; pk_ld2a's lanes are 0 without a beat): hk_r starts at K_DESC.  The flags of
    // hk_r's kinds are flip-flops loaded from the same next value
    wire [QA-1:0] fr1 = fr + 1'b1;
    reg [2:0] hk_r;                 // = fk[fr]
    reg hka_r, hk0_r, hkw_r, hkd_r, hkr_r, hkb_r;
    wire [2:0] hk_n = head_done ? (issue && fw == fr1 ? u_kind : fk[fr1])
                                : (issue && fw == fr ? u_kind : hk_r);
    always @(posedge clk) begin
        hk_r <= rst ? K_DESC : hk_n;
        hka_r <= !rst && hk_n[1:0] == K_A[1:0];
        hk0_r <= !rst && hk_n == K_A0;
        hkw_r <= !rst && hk_n == K_W;
        hkd_r <= rst || hk_n == K_DESC;
        hkr_r <= !rst && hk_n == K_REC;
        hkb_r <= !rst && hk_n == K_B;
    end

    // ---- done counters: a unit's last beat in cycle D - 1 -> usable from D + 1 (+ WL) -----
    reg w_pulse;
    reg [WL:0] a_pipe, b_pipe;
    always @(posedge clk) begin
        if (rst || start) begin
            w_pulse <= 1'b0;
            a_pipe <= {(WL+1){1'b0}};
            b_pipe <= {(WL+1){1'b0}};
            a_done <= 16'd0;
            w_done <= 16'd0;
            b_done <= 16'd0;
        end else begin
            w_pulse <= head_done && fl[fr] && hkw_r;
            a_pipe <= {a_pipe[WL-1:0], head_done && fl[fr] && hka_r};
            b_pipe <= {b_pipe[WL-1:0], head_done && fl[fr] && hkb_r};
            if (w_pulse)
                w_done <= w_done + 16'd1;
            if (a_pipe[WL])
                a_done <= a_done + 16'd1;
            if (b_pipe[WL])
                b_done <= b_done + 16'd1;
        end
    end


    // ---- beats: the head request's destination (V2-11.4 item 3) ------------------------------
    // (the kind from hk_r's flags, above)
    wire h_end = head_done && fl[fr];   // the unit's last beat
    wire b_a = rd_data_valid && hka_r;
    wire b_w = rd_data_valid && hkw_r;
    wire b_d = rd_data_valid && hkd_r;
    wire b_r = rd_data_valid && hkr_r;
    wire b_b = rd_data_valid && hkb_r;

    // A rows -> ring words (pk_ld2a: widening, zero slots, bank and address)
    wire [RWL-1:0] ra_valid;
    wire [RWL*RA-1:0] ra_bank;
    wire [RWL*AW-1:0] ra_addr;
    wire [RWL*WBITS-1:0] ra_data;
    pk_ld2a #(.ROWS(ROWS), .RA(RA), .WBITS(WBITS), .AW(AW), .PORT_BYTES(PORT_BYTES),
              .WL(RWL), .MODES(MODES), .FXL(FXL), .FPX(FPX), .GLOB(GLOB), .RAW(0)) u_ring (
        .clk(clk), .rst(rst), .start(start),
        .l_flat(l_flat), .l_alog(l_alog), .l_asigned(l_asigned), .l_mlog(l_mlog),
        .l_in_w(l_in_w), .l_jw(l_jw), .l_cbits(l_cbits), .l_lbits(l_lbits), .l_lnch(l_lnch),
        .l_pskip(l_pskip), .l_sp(l_sp), .l_sjw(l_sjw), .l_u0(l_u0), .l_q0(l_q0), .l_g0(l_g0),
        .l_a0(l_a0), .l_awrap(l_awrap), .l_wb(l_wb), .l_cap_wb(l_cap_wb), .l_rb0(l_rb0),
        .l_owm(l_owm), .l_ym0(l_ym0), .l_s(l_s), .l_kh(l_kh), .l_fxlog(l_fxlog),
        .l_cplog(l_cplog), .l_fu0(l_fu0), .l_glob(l_glob), .l_jin(l_jin), .l_prun(l_csl),
        .l_pre(pre_on), .beat(b_a), .pass0(hk0_r), .beat_data(rd_data),
        .w_valid(ra_valid), .w_bank(ra_bank), .w_addr(ra_addr), .w_data(ra_data));

    // B rows -> ring words of the B half (RES): raw bytes, flat, Jr words a pixel, at l_b_base +
    // the flat address; on the same ring lanes (a beat is A or B, never both)
    generate
        if (RES != 0) begin : g_res
            wire [RWL-1:0] rb_valid;
            wire [RWL*RA-1:0] rb_bank;
            wire [RWL*AW-1:0] rb_addr, rb_addr0;
            wire [RWL*WBITS-1:0] rb_data;
            pk_ld2a #(.ROWS(ROWS), .RA(RA), .WBITS(WBITS), .AW(AW), .PORT_BYTES(PORT_BYTES),
                      .WL(RWL), .MODES(16'h8000), .FXL(0), .FPX(RWL), .GLOB(0), .RAW(1)) u_rb (
                .clk(clk), .rst(rst), .start(start),
                .l_flat(1'b1), .l_alog(2'd3), .l_asigned(1'b0), .l_mlog(2'd3),
                .l_in_w(l_b_mul ? 16'd1 : l_in_w), .l_jw(l_b_jw), .l_cbits(WBITS[15:0]), .l_lbits(l_b_lbits),
                .l_lnch(l_b_lnch), .l_pskip(16'd0), .l_sp(8'd1), .l_sjw(l_b_jw[AW-1:0]),
                .l_u0(8'd0), .l_q0({RA{1'b0}}), .l_g0({AW{1'b0}}), .l_a0({AW{1'b0}}),
                .l_awrap(l_b_awrap), .l_wb({AW{1'b0}}), .l_cap_wb({(AW+1){1'b0}}),
                .l_rb0({RA{1'b0}}), .l_owm({RA{1'b0}}), .l_ym0(4'd0), .l_s(4'd1), .l_kh(8'd1),
                .l_fxlog(2'd0), .l_cplog(3'd0), .l_fu0(3'd0), .l_glob(1'b0), .l_jin(16'd0), .l_prun(1'b0),
                .l_pre(1'b0),
                .beat(b_b), .pass0(1'b0), .beat_data(rd_data),
                .w_valid(rb_valid), .w_bank(rb_bank), .w_addr(rb_addr0), .w_data(rb_data));
            genvar bl;
            for (bl = 0; bl < RWL; bl = bl + 1) begin : g_bl
                assign rb_addr[bl*AW +: AW] = rb_addr0[bl*AW +: AW] + l_b_base;
            end
            assign r_valid = hkb_r ? rb_valid : ra_valid;
            assign r_bank = hkb_r ? rb_bank : ra_bank;
            assign r_addr = hkb_r ? rb_addr : ra_addr;
            assign r_data = hkb_r ? rb_data : ra_data;
        end else begin : g_nores
            assign r_valid = ra_valid;
            assign r_bank = ra_bank;
            assign r_addr = ra_addr;
            assign r_data = ra_data;
        end
    endgenerate

    // descriptor beats -> pk_desc2: beat b of entry e is row e * DRPE + b / DLANES, lane
    // b mod DLANES (rows of max(PB, 4) bytes)
    localparam DROWB = PORT_BYTES < 4 ? 4 : PORT_BYTES;
    localparam DLANES = DROWB / PORT_BYTES;
    localparam DLS = DLANES > 1 ? $clog2(DLANES) : 0;
    localparam integer DRPEI = DESC_BYTES / DROWB;
    localparam [15:0] DRPE = DRPEI[15:0];
    reg [15:0] db;                  // beat of the descriptor unit
    always @(posedge clk)
        if (rst || start)
            db <= 16'd0;
        else if (b_d)
            db <= h_end ? 16'd0 : db + 16'd1;
    wire [15:0] d_row16 = (l_desc_entry ? DRPE : 16'd0) + (db >> DLS);
    assign d_we = b_d;
    assign d_wrow = d_row16[DRA-1:0];
    assign d_wlane = DLANES > 1 ? db[DLA-1:0] : {DLA{1'b0}};
    assign d_wdata = rd_data;

    // per-tensor record -> a register of RECB bytes (bytes past l_prec stay 0), then POST's
    // prec_* port: word i in the i-th cycle after the record's last beat
    localparam integer WBY = WBITS / 8;
    reg [8*RECB-1:0] rbuf;
    reg [7:0] roff;                 // record bytes so far
    reg psend;
    reg [3:0] pi;
    // roff is a multiple of PB (0, PB, 2 PB, ..): the beat's byte i is record byte roff + i, so
    // record byte j comes from beat byte j mod PB in the beat with roff div PB = j div PB
    localparam PBL = $clog2(PORT_BYTES);
    wire [7:0] pwords = l_prec > WBY[7:0] ? l_prec / WBY[7:0] : 8'd1;  // WB a power of two: a shift
    integer j;
    always @(posedge clk) begin
        if (rst || start) begin
            rbuf <= {(8*RECB){1'b0}};
            roff <= 8'd0;
            psend <= 1'b0;
            pi <= 4'd0;
        end else begin
            if (b_r) begin
                for (j = 0; j < RECB; j = j + 1)
                    if (({24'd0, roff} >> PBL) == (j >> PBL) && j < l_prec)
                        rbuf[8*j +: 8] <= rd_data[8*(j % PORT_BYTES) +: 8];
                roff <= roff + PBW[7:0];
            end
            if (b_r && h_end) begin
                psend <= 1'b1;
                pi <= 4'd0;
            end else if (psend) begin
                psend <= {4'd0, pi} + 8'd1 < pwords;
                pi <= pi + 4'd1;
            end
        end
    end
    // word pi of the record (0 past its words): a multiplexer over its RECW words
    localparam RECW = (8 * RECB + WBITS - 1) / WBITS;
    wire [8*RECB+WBITS-1:0] rext = {{WBITS{1'b0}}, rbuf};
    reg [WBITS-1:0] pword;
    integer j2;
    always @(*) begin
        pword = {WBITS{1'b0}};
        for (j2 = 0; j2 < RECW; j2 = j2 + 1)
            if ({28'd0, pi} == j2)
                pword = rext[j2*WBITS +: WBITS];
    end
    assign prec_we = psend;
    assign prec_idx = pi;
    assign prec_data = pword;

    // ---- weight units -> weight-buffer words (V2-3.2) -------------------------------------
    // A unit (n-tile nt, nc columns) is the stream: Ks * nc weight words of l_wcb bits in
    // [k-step][column] order, the skip to the records' first byte (l_wskip: under 16 bits),
    // then per column its l_rw record words of l_rbits bits (whole bytes).  Weight word (k, c)
    // goes to column c at nt * Wu + k, record word (c, i) to column c at nt * Wu + Ks + i; a
    // word is emitted in the beat that holds its last bit (the weights' last word: the last bit
    // of the skip), up to WWL a beat.
    //
    // Structure (table-free, byte-granular, as pk_ld2a): the buffer is {rd_data, wpend}, fixed
    // wiring of WNB = WBITS / 8 + 2 + PB bytes; wpend holds the last WBITS / 8 + 2 bytes of the
    // previous beat's buffer (a word, its bit offset and the skip are under WBITS / 8 + 3
    // bytes), of which the top WNB - wsr are unread (wsr: the next word's byte in the next beat's
    // buffer, the beat's end moved down by PB).  A word starts at bit wp of the buffer (byte
    // ws = wp / 8, bit offset wboff = wp mod 8: non-zero for a depthwise code of 1, 2 or 4
    // bits, and for a CONV word of VP * w_bits bits that is not whole bytes (no valid config
    // has one: lanes * w_bits is whole bytes; only WMODES pairs with WBITS * w_bits / m not a
    // multiple of 8 build it; without either the offset bits are constant 0)); a lane's word
    // ends at wp + its bits (with the skip after the weights' last word) and is complete when
    // that is <= 8 * WNB: one adder and a constant compare a lane.
    // Each lane takes its word with a log byte shifter (lane 0: the buffer by its start byte
    // ws <= WPD; later lanes: the beat by ws - WPD < PB, a word before them in the beat ended in
    // it; V2-11.5 "Scaling, step 8"): a CONV word's WBITS bits, a depthwise code's 8
    // bits (both shifted by wboff), a record word's bytes (those past l_rbits zero).  Lanes
    // WFL .. WWL - 1 (code lanes, V2-11.6: pk_v2_rtl_params WFL is 1 + the highest lane a CONV
    // or record word takes in a beat) take a depthwise code only: a 16-bit window, 8 bits of
    // ww_data, no phase or row state of their own: they are a closed form of lane WFL's state
    // (V2-11.5 "Lean control, step 6", below: lane WFL + j's code at bit wp + j * w_bits, its
    // column and k-step lane WFL's advanced by j); a whole word there stops the lanes and
    // raises ww_ovf (pk_v2_rtl_supported refuses such a layer).  Codes are widened by a fixed
    // wiring per (w_bits, m) pair the parameter WMODES enables (bit 4 * log2 w_bits + log2 m;
    // default all 16), selected by l_wlog / l_mlog.  A whole lane's state is the phase, the
    // column c and one row counter (k-step k, then Ks + i for record word i: address wbs +
    // row), tested for their last values (nc - 1, Ks - 1, Ks + rw - 1) by flag vectors: the
    // registers' compares with the targets less 0 .. WWL + 1, shifted down a step from lane to
    // lane, constants after a restart (V2-11.5 "Timing, step 2"); lane l starts where lane l - 1
    // ended, computed for all lanes at
    // once (each lane's state as if the lanes before it emitted, its start a prefix sum of their
    // needs: V2-11.5 "Timing, step 1"), not as a chain of positions.
    // The counters are sized to the weight buffer: k < Ks <= Wu with nt * Wu <= 2^WA (WS: all
    // of the layer's units are in the buffer; IS: a block's in a half), c < nc <= Ct <= C <=
    // 2^CA.
    localparam WPD = WBY + 2;                       // pending bytes
    localparam WNB = WPD + PORT_BYTES;              // buffer bytes: pending + the beat
    localparam WNW = $clog2(WBITS + 23);            // bits from a word's first byte to its end
    localparam WSW0 = $clog2(WNB + 1) + 1;          // byte positions 0 .. WNB (+ a carry)
    localparam WSW = WSW0 > WNW - 2 ? WSW0 : WNW - 2;
    localparam KB = WA < 16 ? WA + 1 : 16;          // k-step counter
    localparam CB = CA < 16 ? CA + 1 : 16;          // column counter
    localparam [WSW-1:0] WPDS = WPD[WSW-1:0];
    localparam [1:0] W_W = 2'd0, W_R = 2'd1, W_END = 2'd2;

    // a bit offset inside a byte: a CONV word not whole bytes (WBOFFC), or a depthwise code of
    // under 8 bits, in an enabled pair
    function wboff_used(input [15:0] modes, input conv_only);
        integer wl, ml;
        begin
            wboff_used = 1'b0;
            for (wl = 0; wl < 4; wl = wl + 1)
                for (ml = 0; ml < 4; ml = ml + 1)
                    if (modes[4 * wl + ml] && (((WBITS << wl) >> ml) % 8 != 0 ||
                                               (!conv_only && wl < 3)))
                        wboff_used = 1'b1;
        end
    endfunction
    localparam WBOFFC = wboff_used(WMODES, 1'b1);
    localparam WBOFF = wboff_used(WMODES, 1'b0);

    // whole lanes past lane 0 carry LWB data bits (pk_core2's late_bits: V2-11.5 "Scaling, steps
    // 11 and 15"); the bits above are zero (LWM), and so is the logic behind them
    localparam [WBITS-1:0] LWM = {WBITS{1'b1}} >> (WBITS - LWB);

    // widening: code e of w_bits in slot e of m bits as pk_q_widen (sign-extended; a 1-bit code
    // is -1 / +1), one fixed wiring per enabled pair: pk_widen, one a lane
    reg [1:0] ld_wlog, ld_mlog;     // l_wlog, l_mlog registered at `start` (below)
    wire [3:0] wmode = {ld_wlog, ld_mlog};
    // the w_bits of the enabled pairs (bit log2 w_bits)
    localparam [3:0] WLEN = {|WMODES[15:12], |WMODES[11:8], |WMODES[7:4], |WMODES[3:0]};

    reg [8*WPD-1:0] wpend;
    reg [WSW-1:0] wsr;              // the next word's first byte in the next beat's buffer
    reg [2:0] wboff_r;              // the next word's first bit in its byte
    // (not an FSM for Yosys: its next state depends on every lane's words, and fsm_extract's
    // transition table over those inputs ran for more than 26 CPU-minutes at ice40's shape)
    (* fsm_encoding = "none" *)
    reg [1:0] wph_r;
    // the word's row in its unit: k (weights), then Ks + i (record word i of the column), one
    // counter: the weights' last k-step + 1 is the records' first row, a column's records
    // restart at Ks
    reg [KB-1:0] wkk_r;
    reg [CB-1:0] wc_r;
    // the n-tile being unpacked, as the n-tiles after it: in the layer (wntl_r = Nt - 1 - nt)
    // and, IS, in its block (wjbl_r = NB - 1 - j); a beat's lanes start d <= WWL n-tiles, so
    // lane tests read the registered compares of the registers with d (ntz / nbz) instead of
    // adding 16-bit counters
    reg [15:0] wntl_r;
    reg [WA-1:0] wbase;             // its first word: WS nt * Wu; IS (b mod 2) * WHALF + j * Wu;
                                    // NS j * Wu
    reg [WA-1:0] wjbl_r;            // (NB - 1 - j < NB <= 2^WA)
    reg whalf_r;                    // IS: the block's half
    wire [KB-1:0] wks = l_ks[KB-1:0];
    wire [15:0] wrw16 = {8'd0, l_rw};
    wire [KB-1:0] wrw = wrw16[KB-1:0];
    wire [WNW-1:0] wcb = l_wcb[WNW-1:0];            // <= WBITS
    wire [15:0] wrb16 = {8'd0, l_rbits};
    wire [WNW-1:0] wrb = wrb16[WNW-1:0];            // <= WBITS
    localparam [CB-1:0] C1 = 1;
    localparam [KB-1:0] K1 = 1;
    localparam NF = WWL + 2;                        // flag vector bits (below)
    localparam NX = 2 * NF;                         // with the next beat's (V2-11.5 "Timing, step 14")
    // the layer's constants of the lanes, registered once at `start` (V2-11.5 "Timing, step 8"):
    // the fields hold for the layer, and the lanes read these only in a weight beat, never in
    // `start`'s cycle (no request is in flight then: the previous layer's last unit, the next
    // descriptor, ended before pk_ctrl2's load; this layer's first beat comes LAT cycles after
    // its first request, which issues in `start`'s cycle at the earliest), so a lane sees the
    // values it read from the fields before.  The last column, k-step and record row, once for
    // all lanes (a lane compares for equality: c < nc, k < Ks, Ks + i < Ks + rw hold); a whole
    // lane's need, a multiplexer of these: the weights' last word with its skip (the last
    // n-tile's or another's), any other weight word, a record word; the flag vectors' constants
    // (below: tc0 .. trs) and whether the layer has records
    reg [CB-1:0] wncm, wnclm;
    reg [KB-1:0] wksm, wrwm;
    reg [WNW-1:0] wcb_s, wcb_sl;
    reg [NX-1:0] tc0, tcl0, tk0, trs;
    reg [NX-1:0] tc_st, tcl_st, tk_st;
    reg wrw_nz;
    integer lc;
    always @(*)
        for (lc = 0; lc < NX; lc = lc + 1) begin
            tc_st[lc] = l_ct[CB-1:0] - C1 == lc[CB-1:0];
            tcl_st[lc] = l_nc_last[CB-1:0] - C1 == lc[CB-1:0];
            tk_st[lc] = wks - K1 == lc[KB-1:0];
        end
    always @(posedge clk)
        if (start) begin
            wncm <= l_ct[CB-1:0] - C1;
            wnclm <= l_nc_last[CB-1:0] - C1;
            wksm <= wks - K1;
            wrwm <= wks + wrw - K1;
            wcb_s <= wcb + {{(WNW-4){1'b0}}, l_wskip[3:0]};
            wcb_sl <= wcb + {{(WNW-4){1'b0}}, l_wskip_last[3:0]};
            wrw_nz <= l_rw != 8'd0;
            tc0 <= tc_st;
            tcl0 <= tcl_st;
            tk0 <= tk_st;
            for (lc = 0; lc < NX; lc = lc + 1)
                trs[lc] <= wrw - K1 == lc[KB-1:0];
        end
    // a word's place as one bit position in the buffer: byte wp / 8, bit wp mod 8 (no offset
    // built: every word, skip and record is whole bytes, the low bits stay 0)
    localparam WPB = WSW + 3;
    localparam [31:0] WNB32 = 8 * WNB;
    localparam [WPB-1:0] WNBB = WNB32[WPB-1:0];

    wire [8*WNB-1:0] wbuf = {rd_data, wpend};
    wire [8*WNB+WBITS+7:0] wbufx = {{(WBITS+8){1'b0}}, wbuf};
    reg [WPB-1:0] wp;
    reg [WNW-1:0] wneed;
    reg [WPB-1:0] wneedx;
    localparam WS0B = $clog2(WPD + 1);              // lane 0's start bits (ws <= WPD)
    reg [KB+WA-1:0] wkx;
    reg [KB-1:0] wkk;
    reg [CB-1:0] wc;
    localparam DB = $clog2(WWL + 4);               // n-tiles started in a beat: 0 .. WWL + 3
    localparam [DB-1:0] D1 = 1;
    localparam NZ = WWL + 4;
    // the n-tiles after the beat's: wntl_r - d_end (- 1 at a unit's end) and wjbl_r - d_end, d_end
    // the n-tiles the beat started (s_d of the lane it ends in), as candidates wntl_r - d / wjbl_r
    // - d (d = 0 .. WFL + 2, subtracts of the registers formed beside the lanes) selected by d_end
    // (<= WFL + 1: a lane starts at most one n-tile), so no carry chain follows the beat's end
    // (V2-11.5 "Timing, step 17"); each lane's candidate selected by its s_d beside the lanes' fit
    // tests, then the lane the beat ends in by the same one-hot as its state (V2-11.5 "Timing,
    // step 25"), with no encoded d_end and its decode after the fit tests
    reg [15:0] wntl_nx, wntl_hx;
    reg [WA-1:0] wjbl_nx;
    reg wde, esel;
    reg [NZ-1:0] cz_n, cz_b;
    reg [15:0] cw_n, cw_h;
    reg [WA-1:0] cw_j;
    integer e6;
    // ntz[d] = (wntl_r == d), nbz[d] = (wjbl_r == d): n-tile nt + d is the layer's (its block's)
    // last; registers (V2-11.5 "Timing, step 2"), formed a beat ahead: the next beat's tests are
    // this beat's compares of wntl_r / wjbl_r with d + d_end (+ 1 at a unit's end) for d = 0 ..
    // NZ - 1 (NE of them, constants; d_end <= WFL + 1: a lane starts at most one n-tile),
    // selected by d_end, so they equal the compares of the updated registers
    localparam NE = NZ + WFL + 2;
    reg [NZ-1:0] ntz_r, nbz_r;
    wire [NZ-1:0] ntz = ntz_r, nbz = nbz_r;
    reg [NE-1:0] ntze, nbze;
    // (nbz[d] only for d < 2^WA: wjbl_r < 2^WA)
    localparam [NZ-1:0] NZM = NZ > (1 << WA) ? {NZ{1'b1}} >> (NZ - (1 << WA)) : {NZ{1'b1}};
    reg [NZ-1:0] ntz_nx, nbz_nx, ntz_st, nbz_st;
    wire [WA-1:0] wnbm = l_nb - 1'b1;
    wire [15:0] wnbm16 = {{(16-WA){1'b0}}, wnbm};
    // the layer fields a weight beat reads, registered at `start` next to the lanes (V2-11.5
    // "Timing, step 26"; as the constants above, Timing, step 8): the fields hold from `start`
    // for the layer (pk_par2 loads them only in the parameter load, which ends before pk_ctrl2's
    // lay_start, and the loader's layer is COMPUTE's: no weight beat of a layer comes before its
    // `start` or after the next one), and no weight beat is in `start`'s cycle, so a beat reads
    // the values the fields have; without them the lanes' paths began at pk_par2's field
    // registers and pk_core2's decodes (ORDER into l_is), across the chip.  The state loaded at
    // `start` itself (wntl_r, wjbl_r, ntz_r / nbz_r, fx_r / rx_r) still reads the fields.
    reg ld_is, ld_ns, ld_dw;
    reg [KB-1:0] ld_ks;
    reg [WNW-1:0] ld_wcb, ld_wrb;
    reg [4:0] ld_rby;               // record bytes (l_rbits / 8)
    reg [3:0] ld_wsk, ld_wskl;
    reg [WA-1:0] ld_wu, ld_whalf, ld_nbm;
    reg [NZ-1:0] nbz_h;             // nbz at a block's first n-tile (nbz_st of the layer)
    always @(posedge clk)
        if (start) begin
            ld_is <= l_is;
            ld_ns <= l_ns;
            ld_dw <= l_dw;
            ld_wlog <= l_wlog;
            ld_mlog <= l_mlog;
            ld_ks <= wks;
            ld_wcb <= wcb;
            ld_wrb <= wrb;
            ld_rby <= l_rbits[7:3];
            ld_wsk <= l_wskip[3:0];
            ld_wskl <= l_wskip_last[3:0];
            ld_wu <= l_wu;
            ld_whalf <= l_whalf;
            ld_nbm <= wnbm;
            nbz_h <= nbz_st;
        end
    integer k3, k4;
    reg [WA-1:0] wbs;
    reg wgo;
    wire [1:0] wph_e;
    wire [KB-1:0] wkk_e;
    wire [CB-1:0] wc_e;
    wire [WA-1:0] wbs_end;
    wire [WPB-1:0] wp_e;             // the next word's bit in the next beat's buffer (8 PB down)

    // ---- code lanes WFL .. WWL - 1 in closed form (V2-11.5 "Lean control, step 6") --------
    // They carry depthwise codes only, of the n-tile current at lane F = WFL (an IS n-tile
    // that starts at lane F included; one starting on a later code lane is refused by
    // pk_v2_rtl_supported and raises ww_ovf): a beat's codes on them are consecutive in the
    // stream, so code lane F + j takes the j-th code after the whole lanes.  Lane F's code
    // starts at bit wp, in the beat (the whole lane before it ended there); code j at wp + j *
    // w_bits (DW: wcb = w_bits): its 8 data bits are bits j << l_wlog of the beat shifted down
    // once by wp - 8 WPD.  It is complete when (j + 1) << l_wlog <= 8 WNB - wp (the n-tile's
    // last code: minus its skip), i.e. ps[F] <= r0 - ((j + 1) << l_wlog) (- skip), with 8 WNB -
    // wp = r0 - ps[F], r0 = 8 WNB - wp0 the beat's room (a register's) and ps[F] the whole lanes'
    // needs: one compare a lane after the prefix sum, against thresholds of the registers
    // (V2-11.5 "Timing, steps 1 and 2").  Its column and k-step are lane F's advanced by j in
    // [k][c] order (column (c + j) mod nc, k-step k + qq, qq = (c + j) div nc: a CA-bit column
    // count and the small quotient qq <= j + 1, the only count from lane to lane; the tests
    // "column nc - 1" and "k-step + qq = Ks - 1" are lane F's flag vectors, shifted), its
    // address wbs + k + qq.  No phase, n-tile, row or position state per lane: the beat's state
    // is lane F's advanced by m, the codes emitted.
    localparam NCL = WWL - WFL;                      // code lanes
    localparam NV = NCL + 1;                         // virtual lanes 0 .. NCL (NCL: after them)
    localparam QB0 = $clog2(NCL + 2);
    localparam QB = QB0 < KB ? QB0 : KB;             // qq <= min(j + 1, Ks)
    localparam STW0 = $clog2(8 * WNB + 8 * NV + 8) + 1;  // a bit position, with margin
    localparam STW = STW0 > WPB + 1 ? STW0 : WPB + 1;
    localparam XW0 = KB + WA + STW;                  // a zero-extension width
    localparam [31:0] WPD8 = 8 * WPD;
    localparam [STW-1:0] WPDT = WPD8[STW-1:0];
    localparam BXB = 8 * PORT_BYTES + 8 * NV + 8;    // the shifted beat, zero-extended
    localparam [QB-1:0] Q1 = 1;
    reg [NV-1:0] v_last, v_past, v_fit, v_emit;
    reg [NV*CB-1:0] v_cc;
    reg [NV*QB-1:0] v_qq;
    reg [NV*KB-1:0] v_kk;           // the candidate ends of each virtual lane (V2-11.5 "Timing,
    reg [NV*STW-1:0] v_stb;         // step 5"): k-step wkk + qq, position stf + offset
    reg [CB-1:0] cc;
    reg [QB-1:0] qq;
    reg past, ovfm, cgo, wfit_f, c_ovf, more_nt, selm, selx, vsel;
    reg [NV-1:0] v_ok;              // virtual lane l's code would emit (cgo aside)
    reg [3:0] skip1, skipa, skipb;
    reg [STW-1:0] st0, lcnt, r0x, psx;
    // the overflow after code l (its n-tile ended before it: a record word, or IS the next
    // n-tile's first code, complete after it) as compares of ps[F] with thresholds of the
    // registers, as fita: st0 + (l << l_wlog) + skip + need <= 8 WNB iff ps[F] <= r0 - (l <<
    // l_wlog) - skip - need (st0 = wp0 + ps[F] when a code emits; no wrap in STW bits)
    reg [NV-1:0] v_ovf, ovr, ovn;
    reg [STW:0] thr, thn;
    reg [STW-1:0] kl0;
    reg [XW0-1:0] qqx, wpx, s1x, wrbx, wcbx;
    reg [BXB-1:0] bx;
    // the whole lanes in parallel (V2-11.5 "Timing, step 1"): lane l's state as if lanes before
    // it emitted (l = WFL: lane F), its start wp0 + ps[l] (ps[l]: the needs of lanes 0 .. l - 1),
    // whether lanes 0 .. l - 1 fit (okv[l]); r0 = 8 WNB - wp0, the beat's room
    localparam NL = WFL + 1;
    wire [NL*2-1:0] s_ph;
    wire [NL*KB-1:0] s_kk;
    wire [NL*CB-1:0] s_c;
    wire [NL*DB-1:0] s_d;
    wire [NL*WA-1:0] s_bs;
    reg [NL-1:0] s_go;
    reg [(NL+1)*WPB-1:0] ps;
    reg [WPB-1:0] wp0, r0, wpb0;
    reg [STW-1:0] stf;
    localparam [31:0] PB8_32 = 8 * PORT_BYTES;
    localparam [WPB-1:0] PB8 = PB8_32[WPB-1:0];
    reg [NL:0] okv;
    // the lanes' last-column and last-row tests as flag vectors (V2-11.5 "Timing, step 2"): lfc[j]
    // = (c == ncm - j), lfcl[j] = (c == nclm - j) (the layer's last n-tile), lfk[j] = (k == Ks - 1 -
    // j), lfr[j] = (k == Ks + rw - 1 - j), all modulo the counters' widths; a step c + 1 (k + 1)
    // shifts a vector down, c = 0 (k = 0, k = Ks) loads constants, so a lane's tests are bit 0 of
    // multiplexed vectors, no incrementer or compare from lane to lane (the counters themselves
    // are still stepped, for the addresses and the state after the lanes).  zt / zb: ntz / nbz
    // shifted by the lane's n-tile d.  A lane reads bit 0 after at most WWL steps: NF bits.
    // (NF = WWL + 2, above)
    // A lane carries two of them (V2-11.5 "Timing, step 14"): lfx, its n-tile's column vector
    // (zt[0] ? lfcl : lfc), and lrx, its phase's row vector (W: lfk; R: lfr; at a restart of
    // the row, k = 0 or Ks, constants), so a lane's tests are bits 0 of two vectors.  Both
    // start the beat from registers (fx_r, rx_r: the vectors of the state registered at the
    // previous beat's end, which equal the compares of wc_r / wkk_r, below); their bits NF ..
    // NX - 1, which only the next beat's registers read (a vector shifted at most WWL + 1
    // times in a beat keeps NF exact bits), are the compares.
    reg [NX-1:0] fx0, rx0, vfc, vfk;
    wire [NL*NX-1:0] s_fx, s_rx;
    reg [NV*NX-1:0] v_fx, v_rx;
    wire [NX-1:0] fx_e, rx_e;
    // the state after the lanes by the words emitted (below): thermometer tt, tree tn
    localparam TP0 = WFL + NCL + 1;
    localparam TP = 1 << $clog2(TP0);
    localparam FW = 2 + KB + CB + 2 * NX + WPB + WA;
    reg [TP-1:0] tt;
    reg [NF-1:0] fx_r, rx_r;
    reg [CB-1:0] dfc, dfcl;
    reg [KB-1:0] dfk, dfr;
    wire ztF;
    // the code lanes' fit tests as compares of ps[F] with thresholds from the registers: (l + 1)
    // << l_wlog <= (8 WNB - wp0) - ps[F] (less the skip) iff ps[F] <= r0 - ((l + 1) << l_wlog)
    // (- skip), r0 = 8 WNB - wp0 (signed, STW + 1 bits)
    reg [NV-1:0] fita, fitb, fitb_a, fitb_b, ovr_a, ovr_b, ovn_a, ovn_b;
    // p <= th, th signed STW + 1 bits (negative: never), as the borrow of a subtraction (a
    // carry chain: ABC made the compare a ripple of LUTs after ps; V2-11.5 "Timing, step 28")
    function fle(input [STW:0] th, input [STW-1:0] p);
        reg [STW:0] df;
        begin
            df = {1'b0, th[STW-1:0]} - {1'b0, p};
            fle = !th[STW] && !df[STW];
        end
    endfunction
    reg [STW:0] tha, thb;
    reg [STW-1:0] kl;
    reg [7:0] code;
    reg [WA-1:0] base1;
    // ---- each lane's class in closed form (V2-11.5 "Timing, step 22") --------------------
    // Word i = 0 .. WWL of the beat (whole lane i, or code lane i - WFL) is, counted from the
    // beat's state (wph_r, the vectors fx_r / rx_r, ntz / nbz), a weight word (kW), the weights'
    // last word of its n-tile (kL), a record word (kR) or none (the lanes end): outside IS, with
    // p0 the first set bit of fx_r (columns after this one) and t that of rx_r (W: k-steps after
    // this one), the weights' last word is i = L = p0 + t nc, the records i = L + 1 .. E, E = L
    // + rw nc (R: E = r0 + t rw, r0 from rx_r, t from fx_r; END: E = -1); as a sum over the
    // (p0, t) pairs whose quotient (i - p0) / t is whole, each term the two vectors' bits and a
    // registered flag nc == q (rw == q), so no lane waits for the lane before it.  IS: past E
    // a new n-tile starts (n-tile nt + n + 1 when none of nt .. nt + n is its layer's or block's
    // last: ntz / nbz), from the constant state, repeating with period P = (Ks + rw) nc; the
    // class of word E + 1 + o is a per-layer pattern of o (its n-tile n = o div P, its class in
    // a full n-tile or, when that n-tile is the layer's last, with nc_last), registered at
    // `start` (V2-11.5 "Timing, step 8": the lanes read these only in weight beats).  The
    // counts are saturated at SM (SM: >= SM), so their products are small.  The lane chain
    // below still steps the columns, k-steps and vectors (for the addresses and the next
    // beat's state); the needs, ps, okv, cgo and the code lanes' v_last / v_past read these.
    localparam NI = WWL + 1;
    localparam SM = WWL + 2;
    localparam SB = $clog2(SM + 1);
    localparam [31:0] SM32 = SM;
    localparam [SB-1:0] SMV = SM32[SB-1:0];
    reg [SB-1:0] ks_s, nc_s, ncl_s, rw_s;
    reg [SB-1:0] ks_r, nc_r, ncl_r, rw_r, ksr_s;
    reg [SB:0] ksr_w;
    reg [2*SB-1:0] ksnc_p, kscl_p, pp_p, ppl_p, rwnc_p, rwncl_p;
    reg [SB-1:0] ksnc_s, kscl_s, pp_s, ppl_s, rwnc_s, rwncl_s;
    reg [NI-1:0] ncq_st, nclq_st, ncg_st, nclg_st, rwq_st, rwg_st, rwnq_st, rwnlq_st;
    wire [NI-1:0] fW_st, fL_st, fR_st, gW_st, gL_st, gR_st;
    wire [NI*NI-1:0] fi_st;
    reg [NI-1:0] ncq_r, nclq_r, ncg_r, nclg_r, rwq_r, rwg_r, rwnq_r, rwnlq_r;
    reg [NI-1:0] fW_r, fL_r, fR_r, gW_r, gL_r, gR_r;
    reg [NI*NI-1:0] fi_r;
    reg st1_r;                      // the cycle after `start`: the second stage loads
    integer o1;
    function [SB-1:0] satv(input [15:0] x);
        satv = x >= SM32[15:0] ? SMV : x[SB-1:0];
    endfunction
    // (a product of two small counts by shifts and adds: a few LUTs, no multiplier block)
    function [2*SB-1:0] smul(input [SB-1:0] ma, input [SB-1:0] mb);
        integer b;
        begin
            smul = {(2*SB){1'b0}};
            for (b = 0; b < SB; b = b + 1)
                if (mb[b])
                    smul = smul + ({{SB{1'b0}}, ma} << b);
        end
    endfunction
    function [SB-1:0] satp(input [2*SB-1:0] x);
        satp = x >= {{(2*SB-SB){1'b0}}, SMV} ? SMV : x[SB-1:0];
    endfunction
    // (the column counts as the CB-bit counters take them: Ct mod 2^CB, 0 for 2^CB)
    wire [CB-1:0] ncm_st = l_ct[CB-1:0] - C1, nclm_st = l_nc_last[CB-1:0] - C1;
    wire [15:0] ncx = {{(16-CB){1'b0}}, ncm_st} + 16'd1;
    wire [15:0] nclx = {{(16-CB){1'b0}}, nclm_st} + 16'd1;
    // stage 1 (registered at `start`): the saturated counts and their flags
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        ncq_st = 0; nclq_st = 0; ncg_st = 0; nclg_st = 0; rwq_st = 0; rwg_st = 0;
        ks_s = satv({{(16-KB){1'b0}}, wks});
        nc_s = satv(ncx);
        ncl_s = satv(nclx);
        rw_s = satv({8'd0, l_rw});
        for (o1 = 0; o1 < NI; o1 = o1 + 1) begin
            ncq_st[o1] = nc_s == o1[SB-1:0];
            nclq_st[o1] = ncl_s == o1[SB-1:0];
            ncg_st[o1] = nc_s > o1[SB-1:0];
            nclg_st[o1] = ncl_s > o1[SB-1:0];
            rwq_st[o1] = rw_s == o1[SB-1:0];
            rwg_st[o1] = rw_s > o1[SB-1:0];
        end
    end
    always @(posedge clk) begin
        st1_r <= start && !rst;
        if (start) begin
            ks_r <= ks_s;
            nc_r <= nc_s;
            ncl_r <= ncl_s;
            rw_r <= rw_s;
            ncq_r <= ncq_st;
            nclq_r <= nclq_st;
            ncg_r <= ncg_st;
            nclg_r <= nclg_st;
            rwq_r <= rwq_st;
            rwg_r <= rwg_st;
        end
    end
    // stage 2 (registered in the cycle after `start`, from stage 1's registers: the first
    // weight beat comes LAT >= 1 cycles after the first request, which issues in the cycle
    // after `start` at the earliest): the products (of counts under SM: small) and the
    // patterns of a new n-tile
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        rwnq_st = 0; rwnlq_st = 0;
        ksr_w = {1'b0, ks_r} + {1'b0, rw_r};
        ksr_s = ksr_w >= {1'b0, SMV} ? SMV : ksr_w[SB-1:0];
        ksnc_p = smul(ks_r, nc_r);
        kscl_p = smul(ks_r, ncl_r);
        pp_p = smul(ksr_s, nc_r);
        ppl_p = smul(ksr_s, ncl_r);
        rwnc_p = smul(rw_r, nc_r);
        rwncl_p = smul(rw_r, ncl_r);
        ksnc_s = satp(ksnc_p);
        kscl_s = satp(kscl_p);
        pp_s = satp(pp_p);
        ppl_s = satp(ppl_p);
        rwnc_s = satp(rwnc_p);
        rwncl_s = satp(rwncl_p);
        for (o1 = 0; o1 < NI; o1 = o1 + 1) begin
            rwnq_st[o1] = rwnc_s == o1[SB-1:0];
            rwnlq_st[o1] = rwncl_s == o1[SB-1:0];
        end
    end
    // offset o from a new n-tile's first word: n-tile n = o div P, position r = o mod P in it
    // (a full n-tile: weights 0 .. Ks nc - 1, records to P - 1; the layer's last: with nc_last,
    // none past its P); one process per offset (in one process, the NI x SM compares' branches
    // made Yosys' frontend quadratic in their number: docs/FPGA.md "Xilinx")
    genvar go;
    generate
        for (go = 0; go < NI; go = go + 1) begin : g_off
            reg [NI-1:0] fi_o;
            reg fW_o, fL_o, fR_o, gW_o, gL_o, gR_o;
            integer p1, n1;
            reg [SB-1:0] r1;
            always @(*) begin
                n1 = 0;
                r1 = {SB{1'b0}};
                fi_o = {NI{1'b0}};
                fW_o = 1'b0;
                fL_o = 1'b0;
                fR_o = 1'b0;
                gW_o = 1'b0;
                gL_o = 1'b0;
                gR_o = 1'b0;
                for (p1 = 1; p1 <= SM; p1 = p1 + 1)
                    if (pp_s == p1[SB-1:0]) begin
                        // r1: the position o mod P counted from 1 (<= SM), so r1 == Ks nc is
                        // the weights' last word; n1 (an integer, then the n-tile o div P) only
                        // narrows it without a width warning
                        n1 = go % p1 + 1;
                        r1 = n1[SB-1:0];
                        n1 = go / p1;
                        fi_o = {{(NI-1){1'b0}}, 1'b1} << n1;
                        fW_o = r1 < ksnc_s;
                        fL_o = r1 == ksnc_s;
                        fR_o = r1 > ksnc_s;
                        gW_o = r1 < kscl_s;
                        gL_o = r1 == kscl_s;
                        gR_o = r1 > kscl_s && r1 <= ppl_s;
                    end
            end
            assign fi_st[go*NI +: NI] = fi_o;
            assign fW_st[go] = fW_o;
            assign fL_st[go] = fL_o;
            assign fR_st[go] = fR_o;
            assign gW_st[go] = gW_o;
            assign gL_st[go] = gL_o;
            assign gR_st[go] = gR_o;
        end
    endgenerate
    always @(posedge clk)
        if (st1_r) begin
            rwnq_r <= rwnq_st;
            rwnlq_r <= rwnlq_st;
            fi_r <= fi_st;
            fW_r <= fW_st;
            fL_r <= fL_st;
            fR_r <= fR_st;
            gW_r <= gW_st;
            gL_r <= gL_st;
            gR_r <= gR_st;
        end
    // the beat's words: n-tile 0 (the state's) to E, then new n-tiles (IS)
    reg [NI-1:0] ncq0, ncg0, rwnq0, eqL, eqR, eqEW, eqE, exa, zta, zba;
    wire [NI-1:0] kW, kL, kR, kzt, kzb;
    reg [NI-1:0] exn;
    reg cph_w, cph_r, cph_e;
    integer i5, p5, t5, q5;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        exa = 0; zta = 0; zba = 0; eqL = 0; eqR = 0; p5 = 0; t5 = 0; q5 = 0; eqEW = 0; eqE = 0;
        cph_w = wph_r == W_W;
        cph_r = wph_r == W_R;
        cph_e = wph_r == W_END;
        ncq0 = ntz[0] ? nclq_r : ncq_r;
        ncg0 = ntz[0] ? nclg_r : ncg_r;
        rwnq0 = ntz[0] ? rwnlq_r : rwnq_r;
        // new n-tile n + 1 exists: none of n-tiles 0 .. n is the layer's or the block's last
        exn[0] = ld_is && !ntz[0] && !nbz[0];
        for (i5 = 1; i5 < NI; i5 = i5 + 1)
            exn[i5] = exn[i5-1] && !ntz[i5] && !nbz[i5];
        for (i5 = 0; i5 < NI; i5 = i5 + 1) begin
            exa[i5] = |(fi_r[i5*NI +: NI] & exn);
            zta[i5] = |(fi_r[i5*NI +: NI] & ntz[NI:1]);
            zba[i5] = |(fi_r[i5*NI +: NI] & nbz[NI:1]);
        end
        // (word i = p + t q, q > p: the triples enumerated directly, not the (i, p, t) cube with
        // a divisibility test, whose unrolled iterations held Yosys' frontend: docs/FPGA.md)
        for (i5 = 0; i5 < NI; i5 = i5 + 1) begin
            eqL[i5] = fx_r[i5] && rx_r[0] && ncg0[i5];
            eqR[i5] = rx_r[i5] && fx_r[0] && rwg_r[i5];
        end
        for (p5 = 0; 2 * p5 + 1 < NI; p5 = p5 + 1)
            for (t5 = 1; p5 + t5 * (p5 + 1) < NI; t5 = t5 + 1)
                for (q5 = p5 + 1; p5 + t5 * q5 < NI; q5 = q5 + 1) begin
                    eqL[p5 + t5 * q5] = eqL[p5 + t5 * q5] || (fx_r[p5] && rx_r[t5] && ncq0[q5]);
                    eqR[p5 + t5 * q5] = eqR[p5 + t5 * q5] || (rx_r[p5] && fx_r[t5] && ncg0[t5] && rwq_r[q5]);
                end
        for (i5 = 0; i5 < NI; i5 = i5 + 1) begin
            eqEW[i5] = 1'b0;
            for (p5 = 0; p5 <= i5; p5 = p5 + 1)
                eqEW[i5] = eqEW[i5] || (eqL[p5] && rwnq0[i5-p5]);
            eqE[i5] = (cph_w && eqEW[i5]) || (cph_r && eqR[i5]);
        end
    end
    // word i's class, one process a word: aL / aE, a word before it is its n-tile's weights'
    // last (the records' last, END); stv[p]: the beat's state or word p - 1 is an n-tile's end,
    // so a new n-tile's word i - p follows
    localparam [NI-1:0] NI1 = {NI{1'b1}};
    wire [NI-1:0] stv = {eqE[NI-2:0], cph_e};
    genvar gi;
    generate
        for (gi = 0; gi < NI; gi = gi + 1) begin : g_cls
            wire aL = |(eqL & ~(NI1 << gi));
            wire aE = cph_e || |(eqE & ~(NI1 << gi));
            reg cw, cl, cr, czt, czb;
            integer pc;
            always @(*) begin
                // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
                pc = 0;
                cw = cph_w && !aL && !eqL[gi];
                cl = cph_w && eqL[gi];
                cr = !aE && (cph_r || (cph_w && aL));
                czt = !aE && ntz[0];
                czb = !aE && nbz[0];
                for (pc = 0; pc <= gi; pc = pc + 1) begin
                    cw = cw || (stv[pc] && exa[gi-pc] && (zta[gi-pc] ? gW_r[gi-pc] : fW_r[gi-pc]));
                    cl = cl || (stv[pc] && exa[gi-pc] && (zta[gi-pc] ? gL_r[gi-pc] : fL_r[gi-pc]));
                    cr = cr || (stv[pc] && exa[gi-pc] && (zta[gi-pc] ? gR_r[gi-pc] : fR_r[gi-pc]));
                    czt = czt || (stv[pc] && zta[gi-pc]);
                    czb = czb || (stv[pc] && zba[gi-pc]);
                end
            end
            assign kW[gi] = cw;
            assign kL[gi] = cl;
            assign kR[gi] = cr;
            assign kzt[gi] = czt;
            assign kzb[gi] = czb;
        end
    endgenerate
    // The beat's lanes, as separate processes: the beat's start (below), the state chain (one
    // process a lane: lane l's state from lane l - 1's), the needs' prefix sum and fit tests,
    // each whole lane's word (one process a lane), lane F with the code lanes, and the state
    // after the lanes (a tree of 2:1 multiplexers, wires).  The logic is the one serial chain
    // of V2-11.5 "Timing, step 1"; it is split because Yosys' frontend time grows with a
    // process's size times its number of assignments (one process for all of it ran for more
    // than 20 CPU-minutes at edge.yaml's WWL 64: docs/FPGA.md "Xilinx").
    integer la;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        fx0 = 0; rx0 = 0;
        wp0 = {wsr, WBOFF ? wboff_r : 3'd0};
        r0 = WNBB - wp0;
        wpb0 = wp0 - PB8;               // the next beat's buffer is this one's moved down by PB
        // (c == T - j iff T - c == j: one subtract a vector; at k = Ks (wksm = Ks - 1), Ks == Ks -
        // 1 - j iff j == -1 modulo 2^KB, and Ks == Ks + rw - 1 - j iff rw - 1 == j)
        dfc = wncm - wc_r;
        dfcl = wnclm - wc_r;
        dfk = wksm - wkk_r;
        dfr = wrwm - wkk_r;
        // (bits 0 .. NF - 1, all a lane reads, the registers' (formed a beat ahead); the bits
        // above, which only the next beat's registers read, the counters' compares)
        for (la = 0; la < NX; la = la + 1) begin
            if (la < NF) begin
                fx0[la] = fx_r[la];
                rx0[la] = rx_r[la];
            end else begin
                fx0[la] = ntz[0] ? dfcl == la[CB-1:0] : dfc == la[CB-1:0];
                rx0[la] = wph_r == W_W ? dfk == la[KB-1:0] : dfr == la[KB-1:0];
            end
        end
    end
    // whole lanes 0 .. WFL - 1 and lane F's word, in parallel (V2-11.5 "Timing, step 1"): lane
    // l's state (phase, k-step, column, n-tile, base) is lane 0's advanced as if lanes 0 .. l - 1
    // emitted (a chain of small counters and compares, no position in it); its need (bits of its
    // word, with the skip after the weights' last) follows from its class alone (a multiplexer
    // of constant sums); its end is wp0 plus the needs of lanes 0 .. l (ps[l + 1], a prefix sum
    // of adders clog2(WFL + 1) deep), complete when ps[l + 1] <= r0 = 8 WNB - wp0; it emits when
    // every lane before it did and its word is complete.  The lanes that emit are a prefix 0 ..
    // m - 1 (a serial chain stops at the first that does not), so this is the serial chain's
    // result: after the lanes the state is lane m's, at wp0 + ps[m].
    // c_*[l]: the state lane l starts from (lane 0: the registers'; lane l > 0: lane l - 1's
    // after its word); s_*[l]: lane l's own (after an IS n-tile that starts at it)
    wire [NL*2-1:0] c_ph /* verilator split_var */;
    wire [NL*KB-1:0] c_kk /* verilator split_var */;
    wire [NL*CB-1:0] c_c /* verilator split_var */;
    wire [NL*DB-1:0] c_d /* verilator split_var */;
    wire [NL*WA-1:0] c_bs /* verilator split_var */;
    wire [NL*NZ-1:0] c_zt /* verilator split_var */;
    wire [NL*NZ-1:0] c_zb /* verilator split_var */;
    wire [NL*NX-1:0] c_fx /* verilator split_var */;
    wire [NL*NX-1:0] c_rx /* verilator split_var */;
    // each whole lane's window, for the next lane (a start out of its range keeps the window of
    // the lane before; lane 0: zero)
    wire [NL*(WBITS+8)-1:0] wwc /* verilator split_var */;
    assign c_ph[0 +: 2] = wph_r;
    assign c_kk[0 +: KB] = wkk_r;
    assign c_c[0 +: CB] = wc_r;
    assign c_d[0 +: DB] = {DB{1'b0}};
    assign c_bs[0 +: WA] = wbase;
    assign c_zt[0 +: NZ] = ntz;
    assign c_zb[0 +: NZ] = nbz;
    assign c_fx[0 +: NX] = fx0;
    assign c_rx[0 +: NX] = rx0;
    assign wwc[0 +: WBITS+8] = {(WBITS+8){1'b0}};
    genvar gl;
    generate
        for (gl = 0; gl <= WFL; gl = gl + 1) begin : g_lane
            reg [1:0] lph, nph;
            reg [KB-1:0] lkk, nkk;
            reg [CB-1:0] lcol, ncol;
            reg [DB-1:0] lnd;
            reg [WA-1:0] lbs;
            reg [NZ-1:0] lzt, lzb;
            reg [NX-1:0] lfx, lrx, nfx, nrx;
            always @(*) begin
                lph = c_ph[gl*2 +: 2];
                lkk = c_kk[gl*KB +: KB];
                lcol = c_c[gl*CB +: CB];
                lnd = c_d[gl*DB +: DB];
                lbs = c_bs[gl*WA +: WA];
                lzt = c_zt[gl*NZ +: NZ];
                lzb = c_zb[gl*NZ +: NZ];
                lfx = c_fx[gl*NX +: NX];
                lrx = c_rx[gl*NX +: NX];
                // IS: the block's n-tile j ended (its last byte is whole: records or the skip end
                // it), n-tile j + 1 starts at the next byte, in this beat
                if (ld_is && lph == W_END && !lzb[0] && !lzt[0]) begin
                    lph = W_W;
                    lkk = {KB{1'b0}};
                    lcol = {CB{1'b0}};
                    lnd = lnd + D1;
                    lbs = lbs + ld_wu;
                    lzt = lzt >> 1;
                    lzb = lzb >> 1;
                    lfx = lzt[0] ? tcl0 : tc0;
                    lrx = tk0;
                end
                // the state after lane l's word (the next lane's, as if it emitted); its last
                // column and k-step: bits 0 of its vectors
                nph = lph;
                nkk = lkk;
                ncol = lcol;
                nfx = lfx;
                nrx = lrx;
                if (lph == W_W) begin
                    if (lfx[0]) begin
                        ncol = {CB{1'b0}};
                        nfx = lzt[0] ? tcl0 : tc0;
                        nkk = lkk + K1;             // after the last k-step: Ks, the first record
                        nrx = lrx >> 1;
                        if (lrx[0]) begin
                            nph = wrw_nz ? W_R : W_END;
                            nrx = trs;             // k = Ks: Ks + rw - 1 - Ks == j iff rw - 1 == j
                        end
                    end else begin
                        ncol = lcol + C1;
                        nfx = lfx >> 1;
                    end
                end else if (lph == W_R) begin
                    if (lrx[0]) begin
                        nkk = ld_ks;
                        nrx = trs;
                        if (lfx[0]) begin
                            nph = W_END;
                        end else begin
                            ncol = lcol + C1;
                            nfx = lfx >> 1;
                        end
                    end else begin
                        nkk = lkk + K1;
                        nrx = lrx >> 1;
                    end
                end
            end
            assign s_ph[gl*2 +: 2] = lph;
            assign s_kk[gl*KB +: KB] = lkk;
            assign s_c[gl*CB +: CB] = lcol;
            assign s_d[gl*DB +: DB] = lnd;
            assign s_bs[gl*WA +: WA] = lbs;
            assign s_fx[gl*NX +: NX] = lfx;
            assign s_rx[gl*NX +: NX] = lrx;
            if (gl < WFL) begin : g_next
                assign c_ph[(gl+1)*2 +: 2] = nph;
                assign c_kk[(gl+1)*KB +: KB] = nkk;
                assign c_c[(gl+1)*CB +: CB] = ncol;
                assign c_d[(gl+1)*DB +: DB] = lnd;
                assign c_bs[(gl+1)*WA +: WA] = lbs;
                assign c_zt[(gl+1)*NZ +: NZ] = lzt;
                assign c_zb[(gl+1)*NZ +: NZ] = lzb;
                assign c_fx[(gl+1)*NX +: NX] = nfx;
                assign c_rx[(gl+1)*NX +: NX] = nrx;
                // whole lane l's word, when it emits (b_w, lanes 0 .. l complete)
                reg ev;
                reg [KB+WA-1:0] kx;
                reg [WPB-1:0] p;
                reg [WSW-1:0] s, s1;
                reg [2:0] bo;
                reg [8*WNB+WBITS+7:0] sh0;
                reg [8*PORT_BYTES+WBITS+7:0] sh1;
                reg [WBITS+7:0] win, wsh;
                reg [15:0] c16;
                reg [WBITS-1:0] src, dat;
                reg [CA-1:0] col;
                reg [WA-1:0] addr;
                integer sb, ib;
                always @(*) begin
                    // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
                    col = 0; addr = 0; sh0 = 0; sh1 = 0; s1 = 0; sb = 0;
                    win = wwc[gl*(WBITS+8) +: WBITS+8];
                    ev = b_w && okv[gl+1];
                    kx = {{WA{1'b0}}, lkk};
                    // lane l starts at wp0 + ps[l] (lane 0: wp0, in wpend or at the beat's first
                    // byte, ws <= WPD; a later lane in the beat, where the word before it ended
                    // (that word was not complete before this beat, or the previous beat raised
                    // ww_ovf): WNB or PB positions)
                    p = wp0 + ps[gl*WPB +: WPB];
                    s = p[WPB-1:3];
                    bo = p[2:0];
                    if (ev) begin
                        col = lcol[CA-1:0];
                        addr = lbs + kx[WA-1:0];
                        // its window, a log byte shifter (lane 0: the buffer from byte ws <= WPD;
                        // a later lane: the beat from byte ws - WPD, WPD <= ws < WNB); a start out
                        // of that range keeps the window of the lane before (lane 0: zero), as a
                        // byte select would
                        if (gl == 0) begin
                            sh0 = wbufx;
                            for (sb = 0; sb < WS0B; sb = sb + 1)
                                if (s[sb])
                                    sh0 = sh0 >> (8 << sb);
                            if (s <= WPDS)
                                win = sh0[WBITS+7:0];
                        end else begin
                            s1 = s - WPDS;
                            sh1 = {{(WBITS+8){1'b0}}, rd_data};
                            for (sb = 0; sb < PBS; sb = sb + 1)
                                if (s1[sb])
                                    sh1 = sh1 >> (8 << sb);
                            if ((s1 >> PBS) == {WSW{1'b0}})  // WPD <= ws < WNB (2^WSW > WNB: no wrap)
                                win = sh1[WBITS+7:0];
                        end
                    end
                    wsh = win >> bo;
                    c16 = win[15:0] >> bo;
                    src = WBOFFC ? wsh[WBITS-1:0] : win[WBITS-1:0];
                end
                // its data: a record word's bytes (those past l_rbits zero), a depthwise code
                // widened in slot 0, or a CONV word widened
                wire [WBITS-1:0] wwd;
                wire [7:0] dwd;
                pk_widen #(.W(WBITS), .MODES(WMODES), .SLOT0(0)) u_ww (.mode(wmode), .src(src), .o(wwd));
                pk_widen #(.W(8), .MODES(WMODES), .SLOT0(1)) u_dw (.mode(wmode), .src(c16[7:0]), .o(dwd));
                always @(*) begin
                    // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
                    dat = 0; ib = 0;
                    if (ev) begin
                        if (lph == W_R) begin
                            for (ib = 0; ib < WBY; ib = ib + 1)
                                dat[8*ib +: 8] = ib[7:0] < {3'd0, ld_rby} ? src[8*ib +: 8] : 8'd0;
                        end else if (ld_dw) begin
                            dat[7:0] = dwd;
                        end else begin
                            dat = wwd;
                        end
                        if (gl > 0)
                            dat = dat & LWM;
                    end
                end
                assign wwc[(gl+1)*(WBITS+8) +: WBITS+8] = win;
                assign ww_valid[gl] = ev;
                assign ww_col[gl*CA +: CA] = col;
                assign ww_addr[gl*WA +: WA] = addr;
                assign ww_data[gl*WBITS +: WBITS] = dat;
                wire unused_em = &{1'b0, wsh, c16, s1, sh0, sh1, kx};
            end else begin : g_f
                assign ztF = lzt[0];
                wire unused_f = &{1'b0, nph, nkk, ncol, nfx, nrx, lzt, lzb};
            end
        end
    endgenerate
    // each lane's need (its class: kW / kL / kR, above) and the prefix sum of the needs; okv[l +
    // 1]: lanes 0 .. l complete their words (the beat aside)
    integer lb, sp;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        wneed = 0; wneedx = 0; s_go = 0; ps = 0; okv = 0;
        for (lb = 0; lb <= WFL; lb = lb + 1) begin
            // (the skip: under 16 bits, wcb_s / wcb_sl)
            wneed = !(kW[lb] || kL[lb]) ? ld_wrb : !kL[lb] ? ld_wcb : kzt[lb] ? wcb_sl : wcb_s;
            wneedx = {{(WPB-WNW){1'b0}}, wneed[WNW-1:3], WBOFF ? wneed[2:0] : 3'd0};
            s_go[lb] = kW[lb] || kL[lb] || kR[lb];
            ps[(lb+1)*WPB +: WPB] = wneedx;
        end
        // ps[l + 1]: the needs of lanes 0 .. l (Hillis-Steele prefix sum; WPB bits: for a lane
        // whose lanes before it fit, under 8 WNB + a need, below 2^WPB); lane l ends at wp0 +
        // ps[l + 1], complete when ps[l + 1] <= r0 (no adder of wp before the compare)
        ps[0 +: WPB] = {WPB{1'b0}};
        for (sp = 1; sp <= WFL + 1; sp = sp * 2)
            for (lb = WFL + 1; lb >= sp; lb = lb - 1)
                ps[lb*WPB +: WPB] = ps[lb*WPB +: WPB] + ps[(lb-sp)*WPB +: WPB];
        okv[0] = 1'b1;
        for (lb = 0; lb <= WFL; lb = lb + 1)
            okv[lb+1] = okv[lb] && s_go[lb] && fle({{(STW+1-WPB){1'b0}}, r0},
                                                   {{(STW-WPB){1'b0}}, ps[(lb+1)*WPB +: WPB]});
    end
    // lane F's word (or, WWL = WFL, the word after the lanes) and the code lanes
    localparam NCL1 = NCL > 0 ? NCL : 1;
    reg [NCL1-1:0] cv_valid;
    reg [NCL1*CA-1:0] cv_col;
    reg [NCL1*WA-1:0] cv_addr;
    reg [NCL1*8-1:0] cv_code;           // each code lane's code (0: none)
    wire [NCL1*8-1:0] cv_data;
    integer lv;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        ww_ovf = 0; lcnt = 0; kl = 0; tha = 0; fita = 0; kl0 = 0; thb = 0; fitb_a = 0; fitb_b = 0;
        fitb = 0; thr = 0; thn = 0; ovr_a = 0; ovn_a = 0; ovr_b = 0; ovn_b = 0; ovr = 0; ovn = 0;
        vsel = 0; cv_valid = 0; cv_col = 0; cv_addr = 0; cv_code = 0;
        // with every whole lane emitted, lane F's state and position (the code lanes below read
        // them: they emit only then)
        wgo = b_w && okv[WFL];
        wkk = s_kk[WFL*KB +: KB];
        wc = s_c[WFL*CB +: CB];
        wbs = s_bs[WFL*WA +: WA];
        wp = wp0 + ps[WFL*WPB +: WPB];
        wfit_f = b_w && okv[WFL+1];
        // code lanes (WWL = WFL: none; a word complete at lane F is one too many)
        v_last = {NV{1'b0}};
        v_past = {NV{1'b0}};
        v_fit = {NV{1'b0}};
        v_emit = {NV{1'b0}};
        v_cc = {(NV*CB){1'b0}};
        v_qq = {(NV*QB){1'b0}};
        v_kk = {(NV*KB){1'b0}};
        v_stb = {(NV*STW){1'b0}};
        c_ovf = 1'b0;
        ovfm = 1'b0;
        v_fx = {(NV*NX){1'b0}};
        v_rx = {(NV*NX){1'b0}};
        v_ovf = {NV{1'b0}};
        selm = 1'b0;
        selx = 1'b0;
        v_ok = {NV{1'b0}};
        code = 8'd0;
        // lane F's n-tile: its last column and k-step after lane F's, its skip (whole bytes
        // without sub-byte codes, as wneedx)
        cgo = wgo && (kW[WFL] || kL[WFL]) && ld_dw;
        skipa = WBOFF ? ld_wsk : {ld_wsk[3], 3'd0};
        skipb = WBOFF ? ld_wskl : {ld_wskl[3], 3'd0};
        skip1 = kzt[WFL] ? skipb : skipa;
        // (IS, no records: the next n-tile follows the skip, not built on the code lanes)
        more_nt = ld_is && !wrw_nz && !kzb[WFL] && !kzt[WFL];
        wpx = {XW0{1'b0}};
        wpx[WPB-1:0] = wp;
        s1x = {XW0{1'b0}};
        s1x[3:0] = skip1;
        wrbx = {XW0{1'b0}};
        wrbx[WNW-1:0] = ld_wrb;
        wcbx = {XW0{1'b0}};
        wcbx[WNW-1:0] = ld_wcb;
        st0 = wpx[STW-1:0];
        stf = {STW{1'b0}};
        stf[WPB-1:0] = wpb0 + ps[WFL*WPB +: WPB];   // st0 - 8 PB (mod 2^WPB)
        wkx = {{WA{1'b0}}, wkk};
        base1 = wbs + wkx[WA-1:0];      // lane F's k-step's address
        // the beat from lane F's code on (it starts in the beat: bit wp - 8 WPD of rd_data)
        bx = {{(BXB-8*PORT_BYTES){1'b0}}, rd_data} >> (st0 - WPDT);
        cc = wc;
        qq = {QB{1'b0}};
        past = 1'b0;
        qqx = {XW0{1'b0}};
        // code l fits after wp when (l + 1) << l_wlog <= 8 WNB - wp = r0 - ps[F] (the n-tile's
        // last: with its skip): ps[F] against thresholds of the beat's registers (fita; fitb less
        // the skip of lane F's n-tile)
        r0x = {STW{1'b0}};
        r0x[WPB-1:0] = r0;
        psx = {STW{1'b0}};
        psx[WPB-1:0] = ps[WFL*WPB +: WPB];
        for (lv = 0; lv < NV; lv = lv + 1) begin
            lcnt = lv[STW-1:0] + 1'b1;
            kl = lcnt << ld_wlog;
            tha = {1'b0, r0x} - {1'b0, kl};
            fita[lv] = fle(tha, psx);
            kl0 = lv[STW-1:0] << ld_wlog;
            // (both skips, the class picks after the compares: no threshold waits for kzt)
            thb = tha - {{(STW-3){1'b0}}, skipa};
            fitb_a[lv] = fle(thb, psx);
            thb = tha - {{(STW-3){1'b0}}, skipb};
            fitb_b[lv] = fle(thb, psx);
            fitb[lv] = kzt[WFL] ? fitb_b[lv] : fitb_a[lv];
            thr = {1'b0, r0x} - {1'b0, kl0} - {{(STW-3){1'b0}}, skipa} - {1'b0, wrbx[STW-1:0]};
            thn = {1'b0, r0x} - {1'b0, kl0} - {{(STW-3){1'b0}}, skipa} - {1'b0, wcbx[STW-1:0]};
            ovr_a[lv] = fle(thr, psx);
            ovn_a[lv] = fle(thn, psx);
            thr = {1'b0, r0x} - {1'b0, kl0} - {{(STW-3){1'b0}}, skipb} - {1'b0, wrbx[STW-1:0]};
            thn = {1'b0, r0x} - {1'b0, kl0} - {{(STW-3){1'b0}}, skipb} - {1'b0, wcbx[STW-1:0]};
            ovr_b[lv] = fle(thr, psx);
            ovn_b[lv] = fle(thn, psx);
            ovr[lv] = kzt[WFL] ? ovr_b[lv] : ovr_a[lv];
            ovn[lv] = kzt[WFL] ? ovn_b[lv] : ovn_a[lv];
        end
        // lane F's column flags against its n-tile's last column, its k-step flags (code l is the
        // n-tile's last when k + qq = Ks - 1 and cc = its last column)
        // (lane F's n-tile's column vector; its row vector is its k-step's: a code emits in W)
        vfc = s_fx[WFL*NX +: NX];
        vfk = s_rx[WFL*NX +: NX];
        if (WWL > WFL) begin
            for (lv = 0; lv < NV; lv = lv + 1) begin
                // virtual lane l: column, quotient; past: lane F's n-tile ended before it
                v_cc[lv*CB +: CB] = cc;
                v_qq[lv*QB +: QB] = qq;
                v_past[lv] = past;
                v_fx[lv*NX +: NX] = vfc;
                v_rx[lv*NX +: NX] = vfk;
                qqx = {XW0{1'b0}};
                qqx[QB-1:0] = qq;
                v_kk[lv*KB +: KB] = wkk + qqx[KB-1:0];
                v_stb[lv*STW +: STW] = stf + (lv[STW-1:0] << ld_wlog) +
                                       (past ? s1x[STW-1:0] : {STW{1'b0}});
                v_last[lv] = !past && kL[WFL+lv];
                v_fit[lv] = v_last[lv] ? fitb[lv] : fita[lv];
                v_ovf[lv] = past ? (wrw_nz && ovr[lv]) || (more_nt && ovn[lv]) : v_fit[lv];
                past = past || v_last[lv];
                if (vfc[0]) begin
                    cc = {CB{1'b0}};
                    vfc = ztF ? tcl0 : tc0;
                    qq = qq + Q1;
                    vfk = vfk >> 1;
                end else begin
                    cc = cc + C1;
                    vfc = vfc >> 1;
                end
            end
            for (lv = 0; lv < NCL; lv = lv + 1) begin
                // (v_fit falls with l, and past rises: the emitting lanes are a prefix)
                v_ok[lv] = !v_past[lv] && v_fit[lv];
                v_emit[lv] = cgo && v_ok[lv];
                if (v_emit[lv]) begin
                    cv_valid[lv] = 1'b1;
                    cv_col[lv*CA +: CA] = v_cc[lv*CB +: CA];
                    qqx = {XW0{1'b0}};
                    qqx[QB-1:0] = v_qq[lv*QB +: QB];
                    cv_addr[lv*WA +: WA] = base1 + qqx[WA-1:0];
                    case (ld_wlog)
                        2'd0: code = WLEN[0] ? bx[lv +: 8] : 8'd0;
                        2'd1: code = WLEN[1] ? bx[2*lv +: 8] : 8'd0;
                        2'd2: code = WLEN[2] ? bx[4*lv +: 8] : 8'd0;
                        default: code = WLEN[3] ? bx[8*lv +: 8] : 8'd0;
                    endcase
                    cv_code[lv*8 +: 8] = code;
                end
            end
            // virtual lane m, m >= 1 the codes emitted (the emitting lanes are a prefix, so one
            // l is selected: an AND-OR, no priority chain) for the overflow; its state is
            // selected below by the same prefix (V2-11.5 "Timing, steps 17, 24 and 27")
            for (lv = 1; lv <= NCL; lv = lv + 1) begin
                vsel = v_ok[lv-1] && (lv == NCL || !v_ok[lv]);
                selx = selx || vsel;
                ovfm = ovfm || (vsel && v_ovf[lv]);
            end
        end
        selm = cgo && selx;
        if (WWL > WFL) begin
            // no code emitted: a word complete at lane F is a whole word (CONV, record) there;
            // else a code complete after the last lane (too few lanes), a record word on a code
            // lane or after them, or the next n-tile's code (IS): lost (v_ovf[m])
            c_ovf = selm ? ovfm : wfit_f && !cgo;
            ww_ovf = c_ovf;
        end else begin
            // one more word complete in this beat: the lanes are too few for the layer
            ww_ovf = wfit_f;
        end
        // the words the beat emitted, n, as a thermometer: okv[1 .. WFL], then cgo && v_ok[0 ..
        // NCL - 1] (both prefixes, cgo only with okv[WFL])
        tt = {TP{1'b0}};
        tt[0] = 1'b1;
        for (lv = 1; lv <= WFL; lv = lv + 1)
            tt[lv] = okv[lv];
        for (lv = 0; lv < NCL; lv = lv + 1)
            tt[WFL+1+lv] = cgo && v_ok[lv];
    end
    genvar gc;
    generate
        if (NCL > 0) begin : g_cl
            // (a w_bits no enabled pair has: pk_widen gives 0 whatever the code)
            for (gc = 0; gc < NCL; gc = gc + 1) begin : g_cw
                wire [7:0] cw;
                pk_widen #(.W(8), .MODES(WMODES), .SLOT0(1)) u_cw (.mode(wmode), .src(cv_code[gc*8 +: 8]),
                                                                   .o(cw));
                assign cv_data[gc*8 +: 8] = cv_valid[gc] ? cw : 8'd0;
            end
            assign ww_valid[WWL-1:WFL] = cv_valid;
            assign ww_col[WWL*CA-1:WFL*CA] = cv_col;
            assign ww_addr[WWL*WA-1:WFL*WA] = cv_addr;
            assign ww_data[WDB-1:WFL*WBITS] = cv_data;
        end else begin : g_nocl
            assign cv_data = 8'd0;
        end
    endgenerate
    // the state after the lanes (registered at the beat's end; V2-11.5 "Timing, steps 24 and
    // 27"): the state of word n, n the words the beat emitted: a whole lane n < WFL that did
    // not complete its word (nothing on the lanes after it: lane n's state, at lane n - 1's
    // end), or, every whole lane fit (okv[WFL]), virtual lane m = n - WFL, lane F's state
    // advanced by the m codes emitted (m = 0: lane F's own; after the n-tile's last: k = Ks,
    // the records or its end).  n is the thermometer tt, so the state is a binary tree of 2:1
    // multiplexers on its bits (node b of level s: bit b + s picks the upper half), no one-hot
    // decode in front of an AND-OR: level 0 the candidates, level s + 1 from level s (wires)
    localparam TL = $clog2(TP);
    wire [(TL+1)*TP*FW-1:0] tnv /* verilator split_var */;
    genvar gt, gs;
    generate
        for (gt = 0; gt < TP; gt = gt + 1) begin : g_tn
            if (gt <= WFL) begin : g_w
                assign tnv[gt*FW +: FW] = {s_ph[gt*2 +: 2], s_kk[gt*KB +: KB], s_c[gt*CB +: CB],
                                           s_fx[gt*NX +: NX], s_rx[gt*NX +: NX],
                                           wpb0 + ps[gt*WPB +: WPB], s_bs[gt*WA +: WA]};
            end else if (WWL > WFL && gt <= WFL + NCL) begin : g_v
                // virtual lane m = l - WFL (k-step wkk + v_qq[m]; k = Ks after the n-tile's last:
                // the records' row vector, R; END: unread)
                assign tnv[gt*FW +: FW] = {v_past[gt-WFL] ? (wrw_nz ? W_R : W_END) : s_ph[WFL*2 +: 2],
                                           v_kk[(gt-WFL)*KB +: KB], v_cc[(gt-WFL)*CB +: CB],
                                           v_fx[(gt-WFL)*NX +: NX],
                                           v_past[gt-WFL] ? trs : v_rx[(gt-WFL)*NX +: NX],
                                           v_stb[(gt-WFL)*STW +: WPB], s_bs[WFL*WA +: WA]};
            end else begin : g_z
                assign tnv[gt*FW +: FW] = {FW{1'b0}};
            end
        end
        for (gs = 0; gs < TL; gs = gs + 1) begin : g_tl
            for (gt = 0; gt < TP; gt = gt + 1) begin : g_tm
                if (gt % (2 << gs) == 0) begin : g_m
                    assign tnv[((gs+1)*TP+gt)*FW +: FW] =
                        tt[gt+(1<<gs)] ? tnv[(gs*TP+gt+(1<<gs))*FW +: FW] : tnv[(gs*TP+gt)*FW +: FW];
                end else begin : g_k
                    assign tnv[((gs+1)*TP+gt)*FW +: FW] = tnv[(gs*TP+gt)*FW +: FW];
                end
            end
        end
    endgenerate
    assign {wph_e, wkk_e, wc_e, fx_e, rx_e, wp_e, wbs_end} = tnv[TL*TP*FW +: FW];
    // the n-tile tests of the next beat (registered): wntl_r - d_end (- 1) == d iff wntl_r ==
    // d + d_end (+ 1), a constant (< NE <= 2^16); wjbl_r - d_end == d (mod 2^WA, d < 2^WA) iff
    // wjbl_r == d + d_end (mod 2^WA)
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        ntze = 0; nbze = 0; cz_n = 0; cz_b = 0; cw_n = 0; cw_h = 0; cw_j = 0; wde = 0; k4 = 0;
        esel = 0; ntz_st = 0; nbz_st = 0;
        for (k3 = 0; k3 < NE; k3 = k3 + 1) begin
            ntze[k3] = wntl_r == k3[15:0];
            nbze[k3] = wjbl_r == k3[WA-1:0];
        end
        // (one candidate a value of lane e's s_d: an AND-OR, not a chain of ifs; then the lane
        // the beat ends in, esel: okv[e] && !okv[e + 1], or every whole lane fit, e = WFL; one-hot,
        // okv a prefix)
        ntz_nx = {NZ{1'b0}};
        nbz_nx = {NZ{1'b0}};
        wntl_nx = 16'd0;
        wntl_hx = 16'd0;
        wjbl_nx = {WA{1'b0}};
        for (e6 = 0; e6 <= WFL; e6 = e6 + 1) begin
            cz_n = {NZ{1'b0}};
            cz_b = {NZ{1'b0}};
            cw_n = 16'd0;
            cw_h = 16'd0;
            cw_j = {WA{1'b0}};
            for (k3 = 0; k3 <= WFL + 1; k3 = k3 + 1) begin
                // (whole vectors, not a bit at a time: Yosys' frontend time grows with a
                // process's assignments, docs/FPGA.md "Xilinx")
                wde = s_d[e6*DB +: DB] == k3[DB-1:0];
                cz_n = cz_n | ({NZ{wde}} & (h_end ? ntze[k3+1 +: NZ] : ntze[k3 +: NZ]));
                cz_b = cz_b | ({NZ{wde}} & nbze[k3 +: NZ] & NZM);
                cw_n = cw_n | ({16{wde}} & (wntl_r - k3[15:0]));
                cw_h = cw_h | ({16{wde}} & (wntl_r - k3[15:0] - 16'd1));
                cw_j = cw_j | ({WA{wde}} & (wjbl_r - k3[WA-1:0]));
            end
            esel = e6 < WFL ? okv[e6] && !okv[e6+1] : okv[WFL];
            ntz_nx = ntz_nx | ({NZ{esel}} & cz_n);
            nbz_nx = nbz_nx | ({NZ{esel}} & cz_b);
            wntl_nx = wntl_nx | ({16{esel}} & cw_n);
            wntl_hx = wntl_hx | ({16{esel}} & cw_h);
            wjbl_nx = wjbl_nx | ({WA{esel}} & cw_j);
        end
        for (k4 = 0; k4 < NZ; k4 = k4 + 1) begin
            ntz_st[k4] = l_nt - 16'd1 == k4[15:0];
            nbz_st[k4] = wnbm16 == k4[15:0];
        end
    end
    always @(posedge clk) begin
        if (rst || start) begin
            ntz_r <= ntz_st;
            nbz_r <= nbz_st;
        end else if (b_w) begin
            ntz_r <= ntz_nx;
            nbz_r <= h_end ? nbz_h : nbz_nx;
        end
    end
    // the next beat's start vectors (bits 0 .. NF - 1 of the end state's): a restart's
    // constants, at `start` the new layer's (tc0 .. tk0 load then); the end state (the latest
    // input) at the last 2:1 multiplexer, its select from the early controls (V2-11.5 "Timing,
    // step 27")
    reg [NF-1:0] fx_a, rx_a;
    wire fe_sel = b_w && !h_end && !start && !rst;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        fx_a = 0; rx_a = 0;
        if (start) begin
            fx_a = ntz_st[0] ? tcl_st[NF-1:0] : tc_st[NF-1:0];
            rx_a = tk_st[NF-1:0];
        end else if (rst) begin
            fx_a = ntz_st[0] ? tcl0[NF-1:0] : tc0[NF-1:0];
            rx_a = tk0[NF-1:0];
        end else begin
            fx_a = ntz_nx[0] ? tcl0[NF-1:0] : tc0[NF-1:0];
            rx_a = tk0[NF-1:0];
        end
    end
    always @(posedge clk)
        if (start || rst || b_w) begin
            fx_r <= fe_sel ? fx_e[NF-1:0] : fx_a;
            rx_r <= fe_sel ? rx_e[NF-1:0] : rx_a;
        end
    always @(posedge clk) begin
        if (rst || start || (b_w && h_end)) begin   // a unit's last beat: the next unit
            wpend <= {(8*WPD){1'b0}};
            wsr <= WPDS;
            wboff_r <= 3'd0;
            wph_r <= W_W;
            wkk_r <= {KB{1'b0}};
            wc_r <= {CB{1'b0}};
        end else if (b_w) begin
            // what is left of the beat (less than a word with its offset and skip) waits for
            // the next one
            wpend <= wbuf[8*WNB-1 -: 8*WPD];
            wsr <= wp_e[WPB-1:3];
            wboff_r <= wp_e[2:0];
            wph_r <= wph_e;
            wkk_r <= wkk_e;
            wc_r <= wc_e;
        end
        // the n-tile: the lanes' last (IS: a block's n-tiles follow in its beats); after a
        // unit's last beat the next one's first n-tile: WS at + Wu, IS the other half's word 0
        if (rst || start) begin
            wntl_r <= l_nt - 16'd1;
            wbase <= {WA{1'b0}};
            wjbl_r <= l_nb - 1'b1;
            whalf_r <= 1'b0;
        end else if (b_w && h_end) begin
            wntl_r <= wntl_hx;
            // (WS: the lanes change the base only at an IS n-tile's end, so wbs_end = wbase)
            wbase <= ld_is ? (whalf_r || ld_ns ? {WA{1'b0}} : ld_whalf) : wbase + ld_wu;
            wjbl_r <= ld_nbm;
            whalf_r <= ~whalf_r;
        end else if (b_w) begin
            wntl_r <= wntl_nx;
            wbase <= wbs_end;
            wjbl_r <= wjbl_nx;
        end
    end

    assign busy = psend || ph_r != P_IDLE || qn != 2'd0 || in_unit || fcnt != {(QA+1){1'b0}};
    // (ADDR_BITS < 32: high bits; the weight constants' bits past the sized counters)
    wire unused_ld2 = &{1'b0, ya_inc, yb_inc, l_b_jw, l_b_base, l_b_awrap, l_b_lbits, l_b_lnch, b_b, l_wu_bytes, l_wu_last, l_blk_bytes, r_beats, prec_x, rowb_x, browb_x,
                        rext[8*RECB+WBITS-1:8*RECB], d_row16, l_ct, l_nc_last, wneed, l_wskip, l_wskip_last, l_ks, l_rw, l_wcb,
                        wrb16, wrw16, wwc[NL*(WBITS+8)-1:WFL*(WBITS+8)], tnv[TL*TP*FW-1:0], tnv[(TL+1)*TP*FW-1:TL*TP*FW+FW], wkx, qqx, wpx, s1x, wrbx, wcbx, bx,
                        v_cc, v_past, v_fit, v_emit, v_ovf, v_fx, v_rx, fx_e[NX-1:NF], rx_e[NX-1:NF], ovr, ovn, thr, thn, v_stb, v_kk[KB-1:0], tt[0], eqE[NI-1], s_d[WFL*DB +: DB], cv_valid, cv_col, cv_addr, cv_code, cv_data,
                        l_nbl1};
endmodule
