// pk_array - the ROWS x COLS array of pk_pe (ARCHITECTURE_V1.md 2, 4, 7.3).
//
// PE (r, c) computes output pixel row r of the tile and output channel
// column c.  Operands per kind (cycle X = in_valid):
//   CONV       a = patch word of row r, w = weight word of column c,
//              nvalid = nv of row r (operands loaded; 0 for a hole)
//   DW         a = slot c of row r's word moved to slot 0, w = weight word of
//              column c (slot 0), nvalid = (c < nv of row r)
//   POOL*, EW  a = slot c of row r moved to slot 0, w = +1 in slot 0,
//              nvalid = (c < nv of row r)
// op: 0 sum (CONV, DW, POOLSUM), 1 max (POOLMAX), 2 load (EW).
// The POST side reads PP_LANES accumulators at a time: row rd_row, columns
// rd_grp * PP_LANES + l, bank rd_bank (combinational); with RD_PACK several
// rows of 2^rd_cwl columns (see the read mux).
// Kind codes: pk_contract.vh (core/pk_contract.def).
// PIPE = 1 (v2, ARCHITECTURE.md V2-7.3: V2_ARRAY_LAT = ARRAY_LAT + 1): the
// inputs of cycle X (after each row's CONV mask and thermometer) and the
// controls are registered at the end of X and reach the PEs in X + 1, so the
// PEs, their banks and tile timing are one cycle later; the read port is not
// delayed.  PIPE = 0 (v1): the PEs take cycle X's inputs.
// With PIPE and pk_dot's packed pairs (DSP_PAIRS; ARCHITECTURE.md V2-11.5
// "Timing, step 21") the PEs' operands that depend only on cycle X's inputs
// are formed in front of that register: each PE's slot-0 operand (the kind,
// mode and thermometer selects), the pairs' packed X (per row; pair 0 per PE)
// and Y (per column), so a PE's stage is the multipliers, the tree and dot_r;
// and (pk_pe PROD_REG, "Timing, step 23") the PEs register the products
// instead of dot_r, so the first PE stage ends beside the multipliers and the
// tree is in the second, in front of the accumulate.
`include "pk_contract.vh"
module pk_array #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter ACC_BITS = 32,
    parameter PP_LANES = 4,
    parameter NVW = 7,
    parameter RA = 2,
    parameter GA = 1,
    // accumulator read port: 0 one row per read (v1), 1 packed rows (v2,
    // rd_cwl; ARCHITECTURE.md V2-11.4 item 2)
    parameter RD_PACK = 0,
    // 1: operand register before the PEs (v2; above)
    parameter PIPE = 0,
    // pk_dot's packed mode-4 slot pairs per PE (two 4-bit products per
    // hardware multiplier): the ECP5 flow defines PK_DSP_PAIRS when it reads
    // the RTL (gen/pk_genecp5.c); 0 (LUT multipliers) everywhere else
`ifdef PK_DSP_PAIRS
    parameter DSP_PAIRS = `PK_DSP_PAIRS
`else
    parameter DSP_PAIRS = 0
`endif
) (
    input  wire clk,
    input  wire rst,
    input  wire in_valid,
    input  wire [2:0] kind,
    input  wire [1:0] mode_log2,
    input  wire a_signed,
    input  wire [3:0] a_shift,
    input  wire first,
    input  wire bank,
    input  wire [ROWS*LANES*SLOT_BITS-1:0] a_rows,
    input  wire [ROWS*NVW-1:0] nv_rows,
    input  wire [COLS*LANES*SLOT_BITS-1:0] w_cols,
    input  wire rd_bank,
    input  wire [RA-1:0] rd_row,
    input  wire [GA-1:0] rd_grp,
    input  wire [3:0] rd_cwl,
    output wire [PP_LANES*ACC_BITS-1:0] rd_acc
);
    localparam WBITS = LANES * SLOT_BITS;
    localparam NG = COLS / PP_LANES;
    localparam LPL = PP_LANES > 1 ? $clog2(PP_LANES) : 0;   // ceil(log2 PP_LANES)
    localparam [31:0] LPL32 = PP_LANES > 1 ? $clog2(PP_LANES) : 0;
    localparam [3:0] LPL4 = LPL32[3:0];
    // cycle X's kind (the rows' CONV mask) and, after the operand register
    // (PIPE), the PEs' controls: p_*
    wire is_conv_x = kind == `PK_KIND_CONV;
    wire p_valid, p_signed, p_first, p_bank;
    wire [2:0] p_kind;
    wire [1:0] p_mode;
    wire [3:0] p_shift;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [COLS*LANES*SLOT_BITS-1:0] p_wcols;    // (pk_dot's pairs packed here: unused past w_lo)
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (PIPE != 0) begin : g_pc
            reg v_r, sg_r, f_r, b_r;
            reg [2:0] k_r;
            reg [1:0] m_r;
            reg [3:0] sh_r;
            reg [COLS*LANES*SLOT_BITS-1:0] w_r;
            always @(posedge clk) begin
                v_r <= !rst && in_valid;
                sg_r <= a_signed;
                f_r <= first;
                b_r <= bank;
                k_r <= kind;
                m_r <= mode_log2;
                sh_r <= a_shift;
                w_r <= w_cols;
            end
            assign {p_valid, p_signed, p_first, p_bank, p_kind, p_mode, p_shift, p_wcols} =
                {v_r, sg_r, f_r, b_r, k_r, m_r, sh_r, w_r};
        end else begin : g_pn
            assign {p_valid, p_signed, p_first, p_bank, p_kind, p_mode, p_shift, p_wcols} =
                {in_valid, a_signed, first, bank, kind, mode_log2, a_shift, w_cols};
        end
    endgenerate
    wire is_conv = p_kind == `PK_KIND_CONV;
    wire is_dw = p_kind == `PK_KIND_DW;
    wire [1:0] op = p_kind == `PK_KIND_POOLMAX ? 2'd1 : p_kind == `PK_KIND_EW ? 2'd2 : 2'd0;

    wire [ROWS*COLS*ACC_BITS-1:0] accs;

    // pk_dot's packed mode-4 pairs per PE (its NPK); PIN: packed here, in front of the
    // operand register (pk_pe PAIRS_IN); WORDS: the PE still reads its words (another
    // mode is built, or mode 4 has slots past the pairs), else they are not registered
    localparam VP4 = WBITS / 4;
    localparam NPK = (DSP_PAIRS > 0 && MODES[2] && SLOT_BITS >= 4) ?
                     (DSP_PAIRS < VP4 / 2 ? DSP_PAIRS : VP4 / 2) : 0;
    localparam PIN = PIPE != 0 && NPK > 0;
    localparam WORDS = !PIN || 2 * NPK < VP4 || MODES[0] || (MODES[1] && SLOT_BITS >= 2) ||
                       (MODES[3] && SLOT_BITS >= 8);
    localparam PPW = 28 * (DSP_PAIRS > 0 ? DSP_PAIRS : 1);    // pk_pe's pair_ops
    // a pair's operands (pk_dot: X = a0 + a1 2^9, Y = w1 + w0 2^9, 14 bits each) from its
    // two 4-bit slots, in the bits that are not sign copies: X = {a1 - a0[4], sx9(a0)}
    // (5 + 5 bits kept), Y = {w0 - w1[3], sx9(w1)} (5 + 4)
    function [9:0] pk_xc;
        input [7:0] a;      // slots 2e, 2e + 1 of the activation word
        input sg;           // a_signed
        reg [4:0] a0, a1;
        begin
            a0 = {sg & a[3], a[3:0]};
            a1 = {sg & a[7], a[7:4]};
            pk_xc = {a1 - {4'd0, a0[4]}, a0};
        end
    endfunction
    function [8:0] pk_yc;
        input [7:0] w;      // slots 2e, 2e + 1 of the weight word
        begin
            pk_yc = {{w[3], w[3:0]} - {4'd0, w[7]}, w[7:4]};
        end
    endfunction
    function [27:0] pk_xy;  // pk_dot's pair_ops entry: {Y, X}
        input [9:0] xc;
        input [8:0] yc;
        begin
            pk_xy = {yc[8:4], {5{yc[3]}}, yc[3:0], xc[9:5], {4{xc[4]}}, xc[4:0]};
        end
    endfunction
    // cycle X's kind decode for the selects in front of the register (PIN)
    /* verilator lint_off UNUSEDSIGNAL */
    wire cd_x = kind == `PK_KIND_CONV || kind == `PK_KIND_DW;
    /* verilator lint_on UNUSEDSIGNAL */

    // the bit planes of every PE take a pre-masked activation word (pk_pe
    // PREMASKED) and max / load see a dot of SLOT_BITS + 1 bits (pk_pe
    // OPND_BITS: a pooling or EW word is one activation times +1)
    localparam OPB = SLOT_BITS + 1;
    wire cd = is_conv | is_dw;                  // the weight word is used
    localparam TL = WBITS > COLS ? WBITS : COLS;  // thermometer of nv

    // the columns' packed Y (PIN), registered: cycle X's weight word with the +1 of POOL / EW
    wire [(COLS*NPK*9 > 0 ? COLS*NPK*9 : 1)-1:0] yc_p;
    genvar r, c, gm, e;
    generate
        if (PIN) begin : g_py
            for (c = 0; c < COLS; c = c + 1) begin : g_c
                /* verilator lint_off UNUSEDSIGNAL */
                wire [WBITS-1:0] ww_x;      // (the slots past the pairs: unused)
                /* verilator lint_on UNUSEDSIGNAL */
                if (WBITS == SLOT_BITS) begin : g_w1
                    assign ww_x = cd_x ? w_cols[c*WBITS +: SLOT_BITS] : {{(SLOT_BITS-1){1'b0}}, 1'b1};
                end else begin : g_wn
                    assign ww_x = {w_cols[c*WBITS+SLOT_BITS +: WBITS-SLOT_BITS],
                                   cd_x ? w_cols[c*WBITS +: SLOT_BITS] : {{(SLOT_BITS-1){1'b0}}, 1'b1}};
                end
                for (e = 0; e < NPK; e = e + 1) begin : g_e
                    reg [8:0] yc_r;
                    always @(posedge clk)
                        yc_r <= pk_yc(ww_x[e*8 +: 8]);
                    assign yc_p[(c*NPK + e)*9 +: 9] = yc_r;
                end
            end
        end else begin : g_pyn
            assign yc_p = {(COLS*NPK*9 > 0 ? COLS*NPK*9 : 1){1'b0}};
        end
    endgenerate

    generate
        for (r = 0; r < ROWS; r = r + 1) begin : g_r
            wire [WBITS-1:0] arow_x = a_rows[r*WBITS +: WBITS];
            wire [NVW-1:0] nv_x = nv_rows[r*NVW +: NVW];
            // once per row, shared by its COLS PEs: th[k] = (nv > k), a
            // thermometer (a decoder, no comparator per k), and the CONV
            // operand with the slots >= nv in the layer's mode zeroed (0 in
            // other kinds and in modes not built)
            wire [TL-1:0] th_x = ~({TL{1'b1}} << nv_x);
            reg [WBITS-1:0] aconv_x;
            integer b, k;
            always @* begin
                for (b = 0; b < WBITS; b = b + 1) begin
                    aconv_x[b] = 1'b0;
                    for (k = 0; k < 4; k = k + 1)
                        if (MODES[k] && (1 << k) <= SLOT_BITS && {30'd0, mode_log2} == k)
                            aconv_x[b] = arow_x[b] & is_conv_x & th_x[b >> k];
                end
            end
            // the row's operands as the PEs take them (PIPE: registered)
            // (arow: only the slots c < COLS are read, by DW / POOL / EW)
            /* verilator lint_off UNUSEDSIGNAL */
            wire [WBITS-1:0] arow;
            wire [WBITS-1:0] aconv;
            /* verilator lint_on UNUSEDSIGNAL */
            wire [NVW-1:0] nv;
            wire [COLS-1:0] thc;
            if (PIPE != 0) begin : g_pr
                reg [NVW-1:0] nv_r;
                reg [COLS-1:0] thc_r;
                always @(posedge clk) begin
                    nv_r <= nv_x;
                    thc_r <= th_x[COLS-1:0];
                end
                assign {nv, thc} = {nv_r, thc_r};
                if (!PIN) begin : g_ar
                    reg [WBITS-1:0] arow_r;
                    always @(posedge clk)
                        arow_r <= arow_x;
                    assign arow = arow_r;
                end else begin : g_arn
                    assign arow = {WBITS{1'b0}};    // slot 0's select is in front (a_lo)
                end
                if (WORDS) begin : g_ac
                    reg [WBITS-1:0] aconv_r;
                    always @(posedge clk)
                        aconv_r <= aconv_x;
                    assign aconv = aconv_r;
                end else begin : g_acn
                    assign aconv = {WBITS{1'b0}};
                end
            end else begin : g_pw
                assign {arow, aconv, nv, thc} = {arow_x, aconv_x, nv_x, th_x[COLS-1:0]};
            end
            // the row's packed X of pairs 1 .. NPK - 1 (PIN), registered
            wire [(NPK > 1 ? NPK : 2)*10-1:0] xc_p;
            if (PIN && NPK > 1) begin : g_px
                for (e = 1; e < NPK; e = e + 1) begin : g_e
                    reg [9:0] xc_r;
                    always @(posedge clk)
                        xc_r <= pk_xc(aconv_x[e*8 +: 8], a_signed);
                    assign xc_p[e*10 +: 10] = xc_r;
                end
                assign xc_p[9:0] = 10'd0;       // pair 0: per PE (xc0)
            end else begin : g_pxn
                assign xc_p = {(NPK > 1 ? NPK : 2)*10{1'b0}};
            end
            for (c = 0; c < COLS; c = c + 1) begin : g_c
                // slot c of the row at each built mode, moved to slot 0: from cycle X's
                // inputs when PIN (then registered), else from the PEs' operands
                // (srow: only the slots c < COLS are read)
                /* verilator lint_off UNUSEDSIGNAL */
                wire [WBITS-1:0] srow = PIN ? arow_x : arow;
                /* verilator lint_on UNUSEDSIGNAL */
                wire [1:0] smode = PIN ? mode_log2 : p_mode;
                wire sconv = PIN ? is_conv_x : is_conv;
                wire sth = PIN ? th_x[c] : thc[c];
                wire [SLOT_BITS-1:0] sconv_lo = PIN ? aconv_x[SLOT_BITS-1:0] : aconv[SLOT_BITS-1:0];
                wire [4*SLOT_BITS-1:0] sel;
                for (gm = 0; gm < 4; gm = gm + 1) begin : g_m
                    if (MODES[gm] && (1 << gm) == SLOT_BITS && c < (WBITS >> gm)) begin : g_full
                        assign sel[gm*SLOT_BITS +: SLOT_BITS] = srow[c*SLOT_BITS +: SLOT_BITS];
                    end else if (MODES[gm] && (1 << gm) < SLOT_BITS && c < (WBITS >> gm)) begin : g_on
                        assign sel[gm*SLOT_BITS +: SLOT_BITS] =
                            {{(SLOT_BITS - (1 << gm)){1'b0}}, srow[c*(1 << gm) +: (1 << gm)]};
                    end else begin : g_off
                        assign sel[gm*SLOT_BITS +: SLOT_BITS] = {SLOT_BITS{1'b0}};
                    end
                end
                wire [SLOT_BITS-1:0] s0 = sel[smode*SLOT_BITS +: SLOT_BITS];
                // DW / POOL / EW: slot c in slot 0, masked by nvalid = (c < nv)
                wire [SLOT_BITS-1:0] a_lo_s = sconv_lo | (s0 & {SLOT_BITS{!sconv && sth}});
                wire [15:0] nvc = is_conv ? {{(16-NVW){1'b0}}, nv} : {15'd0, thc[c]};
                // the PE's slot 0 and pair 0's packed X (PIN: registered)
                wire [SLOT_BITS-1:0] a_lo;
                wire [9:0] xc0;
                if (PIN) begin : g_p0
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire [WBITS-1:0] aw_x;      // (pair 0's slots read)
                    /* verilator lint_on UNUSEDSIGNAL */
                    if (WBITS == SLOT_BITS) begin : g_a1
                        assign aw_x = a_lo_s;
                    end else begin : g_an
                        assign aw_x = {aconv_x[WBITS-1:SLOT_BITS], a_lo_s};
                    end
                    reg [9:0] xc0_r;
                    always @(posedge clk)
                        xc0_r <= pk_xc(aw_x[7:0], a_signed);
                    assign xc0 = xc0_r;
                    if (WORDS) begin : g_lo
                        reg [SLOT_BITS-1:0] a_lo_r;
                        always @(posedge clk)
                            a_lo_r <= a_lo_s;
                        assign a_lo = a_lo_r;
                    end else begin : g_lon
                        assign a_lo = {SLOT_BITS{1'b0}};
                    end
                end else begin : g_p0n
                    assign xc0 = 10'd0;
                    assign a_lo = a_lo_s;
                end
                // only slot 0 of the activation is nonzero outside CONV, so
                // only the weight bits [0, SLOT_BITS) need the +1 of POOL / EW
                wire [SLOT_BITS-1:0] one = {{(SLOT_BITS-1){1'b0}}, 1'b1};
                wire [SLOT_BITS-1:0] w_lo = cd ? p_wcols[c*WBITS +: SLOT_BITS] : one;
                wire [WBITS-1:0] a_w, w_w;
                if (!WORDS) begin : g_a0
                    assign a_w = {WBITS{1'b0}};     // every product is a packed pair
                    assign w_w = {WBITS{1'b0}};
                end else if (WBITS == SLOT_BITS) begin : g_a1
                    assign a_w = a_lo;
                    assign w_w = w_lo;
                end else begin : g_an
                    assign a_w = {aconv[WBITS-1:SLOT_BITS], a_lo};
                    assign w_w = {p_wcols[c*WBITS+SLOT_BITS +: WBITS-SLOT_BITS], w_lo};
                end
                wire [PPW-1:0] pops;
                for (e = 0; e < PPW / 28; e = e + 1) begin : g_po
                    if (e < NPK) begin : g_on
                        assign pops[e*28 +: 28] = pk_xy(e == 0 ? xc0 : xc_p[e*10 +: 10],
                                                        yc_p[(c*NPK + e)*9 +: 9]);
                    end else begin : g_off
                        assign pops[e*28 +: 28] = 28'd0;
                    end
                end
                /* verilator lint_off UNUSEDSIGNAL */
                wire unused_ops = &{1'b0, a_lo, w_lo, xc0, xc_p, yc_p};  // by PIN / WORDS
                /* verilator lint_on UNUSEDSIGNAL */
                wire [ACC_BITS-1:0] acc;
                pk_pe #(.LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES), .ACC_BITS(ACC_BITS),
                        .DSP_PAIRS(DSP_PAIRS), .PREMASKED(1), .PAIRS_IN(PIN ? 1 : 0),
                        .PROD_REG(PIN ? 1 : 0), .OPND_BITS(OPB)) u_pe (
                    .clk(clk), .rst(rst), .in_valid(p_valid), .mode_log2(p_mode),
                    .a_signed(p_signed), .nvalid(nvc), .w_word(w_w), .a_word(a_w),
                    .pair_ops(pops), .op(op), .first(p_first), .bank(p_bank),
                    .a_shift(p_shift), .rd_bank(rd_bank), .rd_acc(acc));
                assign accs[(r*COLS + c)*ACC_BITS +: ACC_BITS] = acc;
            end
        end
    endgenerate

    // read mux: PP_LANES accumulators of bank rd_bank.  RD_PACK = 0 (v1): row
    // rd_row, columns rd_grp * PP_LANES + l.  RD_PACK = 1 (v2, ARCHITECTURE.md
    // V2-11.4 item 2): with s = min(rd_cwl, LPL), lane l reads row rd_row + (l >> s),
    // column l mod 2^s when s < LPL (one read returns PP_LANES / 2^s rows of 2^s
    // columns), else column rd_grp * PP_LANES + l; rows past ROWS read 0.
    genvar l, sj;
    generate
        if (RD_PACK == 0) begin : g_rd1
            for (l = 0; l < PP_LANES; l = l + 1) begin : g_l
                wire [ROWS*NG*ACC_BITS-1:0] cands;
                for (r = 0; r < ROWS; r = r + 1) begin : g_rr
                    for (c = 0; c < NG; c = c + 1) begin : g_gg
                        assign cands[(r*NG + c)*ACC_BITS +: ACC_BITS] =
                            accs[(r*COLS + c*PP_LANES + l)*ACC_BITS +: ACC_BITS];
                    end
                end
                wire [31:0] idx = {{(32-RA){1'b0}}, rd_row} * NG + {{(32-GA){1'b0}}, rd_grp};
                assign rd_acc[l*ACC_BITS +: ACC_BITS] =
                    (idx < ROWS * NG) ? cands[idx*ACC_BITS +: ACC_BITS] : {ACC_BITS{1'b0}};
            end
            /* verilator lint_off UNUSEDSIGNAL */
            wire [3:0] unused_cwl = rd_cwl;
            /* verilator lint_on UNUSEDSIGNAL */
        end else begin : g_rdk
            // per lane and row: LPL packed column choices (l mod 2^s, s < LPL),
            // then NG column groups
            localparam NCH = LPL + NG;
            wire [3:0] s_cl = rd_cwl > LPL4 ? LPL4 : rd_cwl;
            for (l = 0; l < PP_LANES; l = l + 1) begin : g_l
                wire [ROWS*NCH*ACC_BITS-1:0] cands;
                for (r = 0; r < ROWS; r = r + 1) begin : g_rr
                    for (sj = 0; sj < LPL; sj = sj + 1) begin : g_ss
                        assign cands[(r*NCH + sj)*ACC_BITS +: ACC_BITS] =
                            accs[(r*COLS + (l % (1 << sj)))*ACC_BITS +: ACC_BITS];
                    end
                    for (c = 0; c < NG; c = c + 1) begin : g_gg
                        assign cands[(r*NCH + LPL + c)*ACC_BITS +: ACC_BITS] =
                            accs[(r*COLS + c*PP_LANES + l)*ACC_BITS +: ACC_BITS];
                    end
                end
                wire [31:0] l32 = l;
                wire [31:0] rowl = {{(32-RA){1'b0}}, rd_row} + (l32 >> s_cl);
                wire [31:0] ch = s_cl != LPL4 ? {28'd0, s_cl} : LPL32 + {{(32-GA){1'b0}}, rd_grp};
                // candidate rowl * NCH + ch (0 when rowl >= ROWS or ch >= NCH) as an AND-OR
                // over the ROWS * NCH candidates, each selected by its own two compares: a
                // shift by rowl * NCH + ch (NCH is not a power of two) mapped to wide LUTs
                // (V2-11.5 "Scaling, step 16")
                reg [ACC_BITS-1:0] o;
                integer rr, jj;
                always @* begin
                    o = {ACC_BITS{1'b0}};
                    for (rr = 0; rr < ROWS; rr = rr + 1)
                        for (jj = 0; jj < NCH; jj = jj + 1)
                            o = o | (cands[(rr*NCH + jj)*ACC_BITS +: ACC_BITS] &
                                     {ACC_BITS{rowl == rr && ch == jj}});
                end
                assign rd_acc[l*ACC_BITS +: ACC_BITS] = o;
            end
        end
    endgenerate
endmodule
