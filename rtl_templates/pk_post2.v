// pk_post2 - the v2 POST engine (ARCHITECTURE_V2.md V2-3.3, V2-6.4, V2-7.4;
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
// Staging is a register array of two halves of 8 * R * C bytes, read
// combinationally by the writer, so the first beat (the cycle after the last
// code's staging write) needs no bypass.  Row r of a group starts at byte
// r * S of its half: S = PS_out when the layer's pixels fit a staging row
// (then a group of all channels is the DRAM image of its pixels), else
// 8 * C; a global pool's chunks follow each other (row r at r * ct codes).
// Padding bits are written as zero with the codes (see the write mask).
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
    localparam QMB = QN_MULT_BITS, QSB = QN_SHIFT_BITS, QBB = QN_BIAS_BITS;
    localparam DMB = DQ_MANT_BITS, DEB = DQ_EXP_BITS, APB = ACT_PARAM_BITS;

    // ---- layer registers ------------------------------------------------------------------
    reg l_glob, l_bpath, l_os, l_rs, l_qn, l_res, l_rq, l_pt, l_round;
    reg [1:0] l_ol, l_rl;
    reg [2:0] l_act;
    reg [3:0] l_ash, l_rsh;
    reg signed [15:0] l_lo, l_hi;
    reg [31:0] l_addr, l_ps, l_stride, l_rowbits;
    reg [15:0] l_oc, l_ocb, l_ct;
    reg l_tot0;
    reg l_galn;                                  // a global pool's chunk ends on a byte
    reg [7:0] f_ls, f_lb, f_lM, f_lE, f_lan, f_lap, f_lg, f_lz;   // record field LSBs

    wire [31:0] ps_chans = {16'd0, out_c_total != 16'd0 ? out_c_total : out_c};
    wire [31:0] ps_new = ((ps_chans << out_log2) + 32'd7) >> 3;
    wire prelu_fam = act_mode == 3'd3 || act_mode == 3'd4 || act_mode == 3'd5;
    wire [7:0] o_s = qn_en ? QMB[7:0] : 8'd0;
    wire [7:0] o_b = o_s + (qn_en ? QSB[7:0] : 8'd0);
    wire [7:0] o_M = o_b + (qn_en ? QBB[7:0] : 8'd0);
    wire [7:0] o_E = o_M + (rq_en ? DMB[7:0] : 8'd0);
    wire [7:0] o_an = o_E + (rq_en ? DEB[7:0] : 8'd0);
    wire [7:0] o_ap = o_an + (prelu_fam ? APB[7:0] : 8'd0);
    wire [7:0] o_g = o_ap + (act_mode == 3'd4 ? APB[7:0] : 8'd0);
    wire [7:0] o_z = o_g + 8'd16;
    always @(posedge clk) begin
        if (lay_start) begin
            l_glob <= glob;
            l_bpath <= kind == `PK_KIND_EW && res_en;
            l_os <= out_signed;     l_rs <= r_signed;
            l_qn <= qn_en;          l_res <= res_en;     l_rq <= rq_en;
            l_pt <= per_tensor;     l_round <= round;
            l_ol <= out_log2;       l_rl <= r_log2;
            l_act <= act_mode;      l_ash <= act_shift;  l_rsh <= r_shift;
            l_lo <= clip_lo;        l_hi <= clip_hi;
            l_addr <= addr_out;     l_ps <= ps_new;
            l_stride <= out_c_total == 16'd0 && ps_new <= ROW8C ? ps_new
                                                                         : ROW8C;
            l_rowbits <= glob ? {16'd0, ct} << out_log2
                              : (out_c_total == 16'd0 && ps_new <= ROW8C ? ps_new
                                                                                 : ROW8C) << 3;
            l_oc <= out_c;          l_ocb <= out_c_base; l_ct <= ct;
            l_tot0 <= out_c_total == 16'd0;
            l_galn <= (({16'd0, ct} << out_log2) & 32'd7) == 32'd0;
            f_ls <= o_s;  f_lb <= o_b;  f_lM <= o_M;  f_lE <= o_E;
            f_lan <= o_an; f_lap <= o_ap; f_lg <= o_g; f_lz <= o_z;
        end
    end
    /* verilator lint_off UNUSEDSIGNAL */
    wire [2:0] unused_rec = rec_log2p1;          // record size: implied by the switches
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
    localparam QW = 1 + 32 + RA + 1 + 16 + 16 + 3;
    wire [QW-1:0] q_in = {tile_bank, tile_p0, tile_nr, tile_c0, tile_nc, tile_open, tile_close,
                          tile_last};
    reg [QW-1:0] q0, q1;
    reg [1:0] q_n;
    wire h_bank = q0[QW-1];
    wire [31:0] h_p0 = q0[QW-2 -: 32];
    wire [RA:0] h_nr = q0[QW-34 -: RA+1];
    wire [15:0] h_c0 = q0[34 : 19];
    wire [15:0] h_nc = q0[18 : 3];
    wire h_open = q0[2], h_close = q0[1], h_last = q0[0];

    // ---- issuer ---------------------------------------------------------------------------------
    reg started, gh, cur_h;
    reg [1:0] h_free;                            // staging half free (its last group written)
    reg [RA-1:0] row;
    reg [GA-1:0] grp;
    reg [15:0] cb, orow, c0g;
    reg [31:0] rowpos;
    wire can_open = h_free[gh];
    wire issue = q_n != 2'd0 && (started || !h_open || can_open);
    wire first = issue && !started;
    wire [15:0] c0g_e = first && h_open ? h_c0 : c0g;
    wire half_e = first && h_open ? gh : cur_h;
    wire [15:0] orow_e = started ? orow : h_c0;
    wire [31:0] rowpos_e = started ? rowpos : 32'd0;
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
    wire [3:0] h_cwl = clog2c(h_nc);
    wire [31:0] h_cw = 32'd1 << h_cwl;
    wire h_pack = (h_cw << 1) <= PL32 && (!l_glob || l_galn);
    wire [31:0] h_k = h_pack ? PL32 >> h_cwl : 32'd1;
    wire [8:0] h_k9 = h_k[8:0];                  // k <= PL <= 256
    wire last_col = {16'd0, cb} + PL32 >= {16'd0, h_nc};
    wire last_row = {{(32-RA){1'b0}}, row} + h_k >= {{(31-RA){1'b0}}, h_nr};
    wire last_issue = issue && last_col && last_row;
    wire pop = last_issue;
    always @(posedge clk) begin
        if (rst) begin
            q_n <= 2'd0;
        end else begin
            if (tile_valid && !pop) begin
                if (q_n == 2'd0) q0 <= q_in; else q1 <= q_in;
                q_n <= q_n + 2'd1;
            end else if (tile_valid && pop) begin
                if (q_n == 2'd1) q0 <= q_in; else begin q0 <= q1; q1 <= q_in; end
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
            cb <= 16'd0;
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
                cb <= 16'd0;
            end else begin
                started <= 1'b1;
                if (last_col) begin
                    row <= row + h_k[RA-1:0];
                    grp <= {GA{1'b0}};
                    cb <= 16'd0;
                    rowpos <= rowpos_e + h_k9 * l_rowbits;
                    orow <= orow_e + (l_glob ? h_k9 * l_ct : 16'd0);
                end else begin
                    grp <= grp + {{(GA-1){1'b0}}, 1'b1};
                    cb <= cb + PL32[15:0];
                    rowpos <= rowpos_e;
                    orow <= orow_e;
                end
            end
        end
    end
    assign acc_bank = h_bank;
    assign acc_row = row;
    assign acc_grp = grp;
    assign acc_cwl = h_pack ? h_cwl : LPL32[3:0];
    assign bank_free = last_issue;
    assign bank_free_id = h_bank;

    // lanes of this issue: lane l is row row + lj, column lc of the tile
    // (packed: lj = l >> h_cwl < k, lc = l mod cw; else lj = 0, lc = cb + l);
    // valid when the row and column are in the tile and the channel below out_c
    wire [PL-1:0] lane_v;
    wire [PL*32-1:0] lane_j, lane_c;
    genvar gl;
    generate
        for (gl = 0; gl < PL; gl = gl + 1) begin : g_lv
            wire [31:0] l32 = gl;
            wire [31:0] lj = h_pack ? l32 >> h_cwl : 32'd0;
            wire [31:0] lc = h_pack ? l32 & (h_cw - 32'd1) : {16'd0, cb} + l32;
            wire [31:0] gch = l_glob ? lj[8:0] * {16'd0, l_ct} : 32'd0;
            assign lane_j[gl*32 +: 32] = lj;
            assign lane_c[gl*32 +: 32] = lc;
            assign lane_v[gl] = lj < h_k && {{(32-RA){1'b0}}, row} + lj < {{(31-RA){1'b0}}, h_nr} &&
                                lc < {16'd0, h_nc} && {16'd0, orow_e} + gch + lc < {16'd0, l_oc};
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
    wire [31:0] pos = rowpos_e + (({16'd0, h_c0} - {16'd0, c0g_e} + {16'd0, cb}) << l_ol);

    // ---- group capture (at the first issue of the closing tile) -----------------------------------
    wire [15:0] gl_left = l_oc - h_c0;
    wire [31:0] chans = l_glob ? (gl_left < l_ct * R32[15:0] ? {16'd0, gl_left}
                                                             : {16'd0, l_ct * R32[15:0]})
                               : {16'd0, h_c0} + {16'd0, h_nc} - {16'd0, c0g_e};
    wire [31:0] gbytes = ((chans << l_ol) + 32'd7) >> 3;
    wire whole = !l_glob && c0g_e == 16'd0 && chans == {16'd0, l_oc} && l_tot0 &&
                 l_ps == l_stride;
    wire [31:0] nr32 = {{(31-RA){1'b0}}, h_nr};
    wire [31:0] cbyte = (({16'd0, l_ocb} + {16'd0, l_glob ? h_c0 : c0g_e}) << l_ol) >> 3;
    reg [31:0] g_runs [0:1];
    reg [31:0] g_len [0:1];
    reg [31:0] g_addr [0:1];
    reg [1:0] g_last;
    always @(posedge clk)
        if (first && h_close) begin
            g_runs[half_e] <= l_glob || whole ? 32'd1 : nr32;
            g_len[half_e] <= whole ? nr32 * gbytes : gbytes;
            g_addr[half_e] <= l_addr + (l_glob ? cbyte : h_p0 * l_ps + (whole ? 32'd0 : cbyte));
            g_last[half_e] <= h_last;
        end

    // ---- fetch stage and PPU lanes --------------------------------------------------------------
    /* verilator lint_off UNUSEDSIGNAL */     // (only the selected bits of the shifts)
    wire [COLS*RECB-1:0] crec_b = h_bank ? crec1 : crec0;
    wire [ROWS*BROW-1:0] bres_b = h_bank ? bres1 : bres0;
    wire [31:0] boff = ({16'd0, h_c0} << l_rl) % WB32;
    reg f_v;
    reg [PL*ACC_BITS-1:0] f_acc;
    reg [PL*RECB-1:0] f_rec;
    reg [PL*8-1:0] f_rc;
    wire [PL*RECB-1:0] rec_sel;
    wire [PL*8-1:0] rc_sel;
    generate
        for (gl = 0; gl < PL; gl = gl + 1) begin : g_sel
            // column lc's record, row row + lj's operand-B words
            wire [COLS*RECB-1:0] crec_s = crec_b >> (lane_c[gl*32 +: 32] * RECB);
            wire [ROWS*BROW-1:0] brow_s = bres_b >>
                (({{(32-RA){1'b0}}, row} + lane_j[gl*32 +: 32]) * BROW);
            wire [BROW-1:0] bsh = brow_s[BROW-1:0] >> (boff + (lane_c[gl*32 +: 32] << l_rl));
            wire [7:0] rmask = 8'hff >> (4'd8 - (4'd1 << l_rl));
            assign rec_sel[gl*RECB +: RECB] = l_pt ? prec : crec_s[RECB-1:0];
            assign rc_sel[gl*8 +: 8] = l_bpath ? bsh[7:0] & rmask : 8'd0;
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

    wire [PL*8-1:0] y;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [PL-1:0] y_v;
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    generate
        for (gl = 0; gl < PL; gl = gl + 1) begin : g_ppu
            wire [RECB-1:0] rec = f_rec[gl*RECB +: RECB];
            wire [RECB-1:0] r_s = rec >> f_ls, r_b = rec >> f_lb;
            wire [RECB-1:0] r_M = rec >> f_lM, r_E = rec >> f_lE, r_an = rec >> f_lan;
            wire [RECB-1:0] r_ap = rec >> f_lap, r_g = rec >> f_lg, r_z = rec >> f_lz;
            pk_ppu #(.ACC_BITS(ACC_BITS), .P_BITS(P_BITS), .QN_MULT_BITS(QN_MULT_BITS),
                     .QN_BIAS_BITS(QN_BIAS_BITS), .QN_SHIFT_BITS(QN_SHIFT_BITS),
                     .DQ_MANT_BITS(DQ_MANT_BITS), .DQ_EXP_BITS(DQ_EXP_BITS),
                     .ACT_PARAM_BITS(ACT_PARAM_BITS), .ACT_SHIFT_BITS(ACT_SHIFT_BITS),
                     .RES_SHIFT_BITS(RES_SHIFT_BITS), .ACT_MASK(ACT_MASK), .RES_EN(RES_EN)) u_ppu (
                .clk(clk), .rst(rst), .in_valid(f_v), .acc(f_acc[gl*ACC_BITS +: ACC_BITS]),
                .p_m(rec[15:0]), .p_s(r_s[7:0]), .p_e(r_E[7:0]), .p_b(r_b[31:0]),
                .p_M(r_M[15:0]), .p_an(r_an[15:0]), .p_ap(r_ap[15:0]), .p_g(r_g[15:0]),
                .p_z(r_z[15:0]),
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
    // group, packed and log2 cw
    localparam MW = 1 + 1 + 32 + PL + 1 + 1 + 4;
    wire [MW-1:0] m_in = {issue, half_e, pos, lane_v, last_issue && h_close, h_pack, h_cwl};
    reg [LAT*MW-1:0] m_d;
    always @(posedge clk)
        if (rst)
            m_d <= {LAT*MW{1'b0}};
        else
            m_d <= {m_d[(LAT-1)*MW-1:0], m_in};
    wire [MW-1:0] m_o = m_d[(LAT-1)*MW +: MW];
    wire s_we = m_o[MW-1];
    wire s_half = m_o[MW-2];
    wire [31:0] s_pos = m_o[MW-3 -: 32];
    wire [PL-1:0] s_lv = m_o[PL+5:6];
    wire s_close = s_we && m_o[5];
    wire s_pack = m_o[4];
    wire [3:0] s_cwl = m_o[3:0];

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
    integer l, b;
    always @(*) begin
        sp_d = {SPW{1'b0}};
        sp_v = {SPW{1'b0}};
        for (l = 0; l < PL; l = l + 1)
            for (b = 0; b < 8; b = b + 1)
                if (b < (1 << l_ol)) begin
                    sp_d[(l << l_ol) + b] = y[l*8 + b] & s_lv[l];
                    sp_v[(l << l_ol) + b] = s_lv[l];
                end
    end
    wire [2:0] s_bit = s_pos[2:0];
    wire [31:0] s_byte = (s_half ? HB32 : 32'd0) + (s_pos >> 3);
    wire [31:0] s_rowb = l_rowbits >> 3;
    // Write slots: a segment of cw codes spans at most max(1, cw * out_bits / 8) + 1
    // bytes, so 2^s_spl = 2 * max(1, cw * out_bits / 8) slots per segment and k
    // segments fit NSL = 2 * PL slots (unpacked: one segment of all NSL slots).
    localparam NSL = 2 * PL;
    localparam [31:0] LNSL = $clog2(NSL);
    wire [31:0] s_segb = s_pack ? (32'd1 << s_cwl) << l_ol : SPW;   // bits of a segment
    wire [31:0] s_cob = {28'd0, s_cwl} + {30'd0, l_ol};
    wire [31:0] s_spl = s_pack ? (s_cob > 32'd3 ? s_cob - 32'd3 : 32'd0) + 32'd1 : LNSL;
    wire [NSL*8-1:0] sl_d, sl_m;
    wire [NSL*32-1:0] sl_a;
    genvar gx;
    generate
        for (gx = 0; gx < NSL; gx = gx + 1) begin : g_sl
            wire [31:0] x32 = gx;
            wire [31:0] seg = x32 >> s_spl;
            wire [31:0] byt = x32 & ((32'd1 << s_spl) - 32'd1);
            wire [31:0] sb0 = s_pack ? seg << s_cob : 32'd0;     // seg * s_segb
            // seg * s_rowb: seg = gx >> s_spl, a constant for each s_spl
            reg [31:0] segoff;
            integer sv;
            always @(*) begin
                segoff = 32'd0;
                for (sv = 1; sv <= LNSL; sv = sv + 1)
                    if (s_spl == sv)
                        segoff = (x32 >> sv) * s_rowb;
            end
            reg [7:0] d, v;
            reg [31:0] t;
            integer bi;
            always @(*) begin
                d = 8'd0;
                v = 8'd0;
                for (bi = 0; bi < 8; bi = bi + 1) begin
                    t = (byt << 3) + bi;                     // bit of the shifted segment
                    if (t >= {29'd0, s_bit} && t - {29'd0, s_bit} < s_segb &&
                        sb0 + t - {29'd0, s_bit} < SPW) begin
                        d[bi] = sp_d[sb0 + t - {29'd0, s_bit}];
                        v[bi] = sp_v[sb0 + t - {29'd0, s_bit}];
                    end
                end
            end
            assign sl_d[gx*8 +: 8] = d;
            assign sl_m[gx*8 +: 8] = v == 8'd0 ? 8'd0 : byt == 32'd0 ? 8'hff << s_bit : 8'hff;
            assign sl_a[gx*32 +: 32] = s_byte + segoff + byt;
        end
    endgenerate
    // One write port per slot (a generate, not a loop in one process: Verilator
    // refuses a delayed array write in a loop of more than 64 iterations, and
    // NSL = 128 at PL = 64).  The slots a write enables address distinct bytes
    // (segments never share a byte, a segment's slots are its distinct bytes),
    // so the ports need no priority.
    reg [7:0] st [0:2*HB-1];
    generate
        for (gx = 0; gx < NSL; gx = gx + 1) begin : g_sw
            always @(posedge clk)
                if (s_we && sl_m[gx*8 +: 8] != 8'd0 && sl_a[gx*32 +: 32] < 2 * HB32)
                    st[sl_a[gx*32 +: 32]] <= (st[sl_a[gx*32 +: 32]] & ~sl_m[gx*8 +: 8]) |
                                             sl_d[gx*8 +: 8];
        end
    endgenerate

    // ---- writer -----------------------------------------------------------------------------------
    reg [1:0] g_rdy;                             // group of the half fully staged, not yet taken
    reg w_act, w_half, wh, w_first, w_last;
    reg [31:0] w_runs, w_len, w_rleft, w_qleft, w_addr, w_st, w_off;
    wire ready_wh = g_rdy[wh] || (s_close && s_half == wh);
    wire [31:0] nb = w_qleft < PB32 ? w_qleft : PB32;
    wire w_take = w_act && wr_ready;
    wire q_end = w_take && w_qleft == nb;
    wire r_end = q_end && w_rleft == nb;
    wire g_end = r_end && w_runs == 32'd1;
    wire w_load = (!w_act || g_end) && ready_wh;
    wire [31:0] nlen = g_len[wh];
    wire [31:0] rleft_n = w_rleft - nb;
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
                w_qleft <= nlen < MB32 ? nlen : MB32;
                w_addr <= g_addr[wh];
                w_st <= wh ? HB32 : 32'd0;
                w_off <= 32'd0;
                w_first <= 1'b1;
            end else if (g_end) begin
                w_act <= 1'b0;
            end else if (w_take) begin
                w_first <= q_end;
                if (r_end) begin
                    w_runs <= w_runs - 32'd1;
                    w_addr <= w_addr + l_ps;
                    w_st <= w_st + l_stride;
                    w_off <= 32'd0;
                    w_rleft <= w_len;
                    w_qleft <= w_len < MB32 ? w_len : MB32;
                end else begin
                    w_off <= w_off + nb;
                    w_rleft <= rleft_n;
                    w_qleft <= q_end ? (rleft_n < MB32 ? rleft_n : MB32) : w_qleft - nb;
                end
            end
        end
    end
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] beat_a = w_addr + w_off;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [PB-1:0] strb = {PB{1'b1}} >> (PB32 - nb);
    wire [31:0] rd0 = w_st + w_off;
    wire [8*PB-1:0] st_rd;
    generate
        for (gl = 0; gl < PB; gl = gl + 1) begin : g_rd
            assign st_rd[gl*8 +: 8] = rd0 + gl < 2 * HB32 ? st[rd0 + gl] : 8'd0;
        end
    endgenerate
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
    assign inc_wr_bytes = w_take && w_first ? w_qleft : 32'd0;
    assign inc_wr_reqs = {31'd0, w_take && w_first};
endmodule
