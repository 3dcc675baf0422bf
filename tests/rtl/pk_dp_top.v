// pk_dp_top - test wrapper: every datapath unit of rtl_templates/ side by side,
// each with its own ports, so one Verilated model per parameter set serves all
// unit tests (dp_harness.cpp).  Not part of the generated design.
module pk_dp_top #(
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter ACC_BITS = 32,
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
    parameter DSP_PAIRS = 0,
    parameter NARROW = 0         // pk_dot / pk_pe as pk_array has them
) (
    input  wire clk,
    input  wire rst,
    // pk_dot
    input  wire [1:0] dot_mode,
    input  wire dot_asigned,
    input  wire [15:0] dot_nvalid,
    input  wire [LANES*SLOT_BITS-1:0] dot_w,
    input  wire [LANES*SLOT_BITS-1:0] dot_a,
    output wire signed [ACC_BITS-1:0] dot_out,
    // pk_pe
    input  wire pe_in_valid,
    input  wire [1:0] pe_mode,
    input  wire pe_asigned,
    input  wire [15:0] pe_nvalid,
    input  wire [LANES*SLOT_BITS-1:0] pe_w,
    input  wire [LANES*SLOT_BITS-1:0] pe_a,
    input  wire [1:0] pe_op,
    input  wire pe_first,
    input  wire pe_bank,
    input  wire [3:0] pe_ashift,
    input  wire pe_rd_bank,
    output wire signed [ACC_BITS-1:0] pe_rd_acc,
    // rounding mode of pk_rshr, pk_quantnorm, pk_requant, pk_act (1: half to even)
    input  wire rne,
    // pk_rshr (P bits, 6-bit shift)
    input  wire signed [P_BITS-1:0] rs_x,
    input  wire [5:0] rs_s,
    output wire signed [P_BITS-1:0] rs_y,
    // pk_quantnorm
    input  wire signed [P_BITS-1:0] qn_x,
    input  wire signed [QN_MULT_BITS-1:0] qn_m,
    input  wire signed [QN_BIAS_BITS-1:0] qn_b,
    input  wire [QN_SHIFT_BITS-1:0] qn_s,
    output wire signed [P_BITS-1:0] qn_y,
    // pk_decode + pk_resadd
    input  wire signed [P_BITS-1:0] ra_x,
    input  wire [7:0] ra_code,
    input  wire [1:0] ra_log2,
    input  wire ra_signed,
    input  wire [(RES_SHIFT_BITS < 4 ? RES_SHIFT_BITS : 4)-1:0] ra_sh,
    output wire signed [8:0] ra_rval,
    output wire signed [P_BITS-1:0] ra_y,
    // pk_requant
    input  wire signed [P_BITS-1:0] rq_x,
    input  wire [DQ_MANT_BITS-1:0] rq_M,
    input  wire [DQ_EXP_BITS-1:0] rq_E,
    output wire signed [P_BITS-1:0] rq_y,
    // pk_act
    input  wire signed [P_BITS-1:0] act_x,
    input  wire [2:0] act_mode,
    input  wire signed [ACT_PARAM_BITS-1:0] act_an,
    input  wire signed [ACT_PARAM_BITS-1:0] act_ap,
    input  wire signed [15:0] act_g,
    input  wire signed [15:0] act_z,
    input  wire [(ACT_SHIFT_BITS < 4 ? ACT_SHIFT_BITS : 4)-1:0] act_sh,
    input  wire signed [15:0] act_lo,
    input  wire signed [15:0] act_hi,
    output wire signed [(P_BITS > 16 ? P_BITS : 16)-1:0] act_y,
    // pk_sat
    input  wire signed [P_BITS-1:0] sat_x,
    input  wire [1:0] sat_log2,
    input  wire sat_signed,
    output wire [7:0] sat_code,
    // pk_ppu
    input  wire ppu_in_valid,
    input  wire signed [ACC_BITS-1:0] ppu_acc,
    input  wire signed [15:0] ppu_m,
    input  wire [7:0] ppu_s,
    input  wire [7:0] ppu_e,
    input  wire signed [31:0] ppu_b,
    input  wire [15:0] ppu_M,
    input  wire signed [15:0] ppu_an,
    input  wire signed [15:0] ppu_ap,
    input  wire signed [15:0] ppu_g,
    input  wire signed [15:0] ppu_z,
    input  wire [7:0] ppu_rcode,
    input  wire [1:0] ppu_rlog2,
    input  wire ppu_rsigned,
    input  wire ppu_qn_en,
    input  wire ppu_res_en,
    input  wire ppu_rq_en,
    input  wire [2:0] ppu_act_mode,
    input  wire [3:0] ppu_act_shift,
    input  wire [3:0] ppu_r_shift,
    input  wire signed [15:0] ppu_clip_lo,
    input  wire signed [15:0] ppu_clip_hi,
    input  wire [1:0] ppu_out_log2,
    input  wire ppu_out_signed,
    input  wire ppu_round,
    output wire ppu_out_valid,
    output wire [7:0] ppu_y
);
    // pk_dot / pk_pe pack their pairs themselves here (PAIRS_IN = 0); pk_array's
    // packing in front of its register: tests/rtl/array_eq_harness.cpp
    wire [28*(DSP_PAIRS > 0 ? DSP_PAIRS : 1)-1:0] no_pairs = 0;
    pk_dot #(.LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES), .OUT_BITS(ACC_BITS),
             .DSP_PAIRS(DSP_PAIRS), .PREMASKED(NARROW)) u_dot (
        .clk(clk), .mode_log2(dot_mode), .a_signed(dot_asigned), .nvalid(dot_nvalid),
        .w_word(dot_w), .a_word(dot_a), .pair_ops(no_pairs), .dot(dot_out));

    // (NARROW with pairs: pk_dot registers its tree's first sums, the rest in pk_pe's
    // stage 2, as pk_array's PIPE has it; V2-11.5 "Timing, step 23")
    pk_pe #(.LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES), .ACC_BITS(ACC_BITS),
            .DSP_PAIRS(DSP_PAIRS), .PREMASKED(NARROW), .PROD_REG(NARROW),
            .OPND_BITS(NARROW != 0 ? SLOT_BITS + 1 : ACC_BITS)) u_pe (
        .clk(clk), .rst(rst), .in_valid(pe_in_valid), .mode_log2(pe_mode),
        .a_signed(pe_asigned), .nvalid(pe_nvalid), .w_word(pe_w), .a_word(pe_a), .pair_ops(no_pairs),
        .op(pe_op), .first(pe_first), .bank(pe_bank), .a_shift(pe_ashift),
        .rd_bank(pe_rd_bank), .rd_acc(pe_rd_acc));

    pk_rshr #(.W(P_BITS), .SB(6)) u_rshr (.x(rs_x), .s(rs_s), .rne(rne), .y(rs_y));

    pk_quantnorm #(.P(P_BITS), .MB(QN_MULT_BITS), .BB(QN_BIAS_BITS), .SB(QN_SHIFT_BITS)) u_qn (
        .clk(clk), .x(qn_x), .m(qn_m), .b(qn_b), .s(qn_s), .rne(rne), .en(1'b1), .y(qn_y));

    pk_decode u_dec (.code(ra_code), .log2b(ra_log2), .is_signed(ra_signed), .val(ra_rval));
    pk_resadd #(.P(P_BITS), .SB(RES_SHIFT_BITS < 4 ? RES_SHIFT_BITS : 4)) u_res (
        .x(ra_x), .r(ra_rval), .sh(ra_sh), .y(ra_y));

    // pk_rshr_fin's outputs for compares after requant (pk_ppu's stage 4)
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [P_BITS-1:0] rq_q;
    wire rq_up, rq_sat, rq_bneg;
    /* verilator lint_on UNUSEDSIGNAL */
    pk_requant #(.P(P_BITS), .MB(DQ_MANT_BITS), .EB(DQ_EXP_BITS)) u_rq (
        .clk(clk), .x(rq_x), .M(rq_M), .E(rq_E), .rne(rne), .en(1'b1), .y(rq_y),
        .q(rq_q), .up(rq_up), .sat(rq_sat), .bneg(rq_bneg));

    pk_act #(.P(P_BITS), .APB(ACT_PARAM_BITS), .SHB(ACT_SHIFT_BITS < 4 ? ACT_SHIFT_BITS : 4),
             .ACT_MASK(ACT_MASK)) u_act (
        .x(act_x), .mode(act_mode), .an(act_an), .ap(act_ap), .g(act_g), .z(act_z),
        .sh(act_sh), .rne(rne), .clip_lo(act_lo), .clip_hi(act_hi), .y(act_y));

    pk_sat #(.P(P_BITS)) u_sat (.x(sat_x), .out_log2(sat_log2), .out_signed(sat_signed),
                               .code(sat_code));

    pk_ppu #(.ACC_BITS(ACC_BITS), .P_BITS(P_BITS), .QN_MULT_BITS(QN_MULT_BITS),
             .QN_BIAS_BITS(QN_BIAS_BITS), .QN_SHIFT_BITS(QN_SHIFT_BITS),
             .DQ_MANT_BITS(DQ_MANT_BITS), .DQ_EXP_BITS(DQ_EXP_BITS),
             .ACT_PARAM_BITS(ACT_PARAM_BITS), .ACT_SHIFT_BITS(ACT_SHIFT_BITS),
             .RES_SHIFT_BITS(RES_SHIFT_BITS), .ACT_MASK(ACT_MASK), .RES_EN(RES_EN)) u_ppu (
        .clk(clk), .rst(rst), .in_valid(ppu_in_valid), .acc(ppu_acc),
        .p_m(ppu_m), .p_s(ppu_s), .p_e(ppu_e), .p_b(ppu_b), .p_M(ppu_M),
        .p_an(ppu_an), .p_ap(ppu_ap), .p_g(ppu_g), .p_z(ppu_z),
        .r_code(ppu_rcode), .r_log2(ppu_rlog2), .r_signed(ppu_rsigned),
        .qn_en(ppu_qn_en), .res_en(ppu_res_en), .rq_en(ppu_rq_en), .act_mode(ppu_act_mode),
        .act_shift(ppu_act_shift), .r_shift(ppu_r_shift), .clip_lo(ppu_clip_lo),
        .clip_hi(ppu_clip_hi), .out_log2(ppu_out_log2), .out_signed(ppu_out_signed), .round(ppu_round),
        .out_valid(ppu_out_valid), .y_code(ppu_y));
endmodule
