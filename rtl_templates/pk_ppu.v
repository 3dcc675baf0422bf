// pk_ppu - one post-processing lane (QUANT.md "Post-processing"): the whole
// chain acc -> QuantNorm -> residual add -> requant -> activation -> output
// code, in exactly 4 register stages.  Equals pk_q_ppu(); `round` (descriptor
// ROUND: 0 half up, 1 half to even) selects the rounding of every stage.
//
// Timing: every input (acc, the per-channel record fields, the residual code
// and the layer controls) is sampled in the same cycle X as in_valid; the code
// appears on y_code with out_valid = 1 at the end of cycle X+3 (out_valid is
// in_valid delayed by 4 clock edges).  The pipeline never stalls: one element
// may enter every cycle.  rst (synchronous, active high) clears the valid bits.
//
//   stage 1: t0 = sx(acc) ; t1 = qn_en ? pk_quantnorm(t0) : t0
//   stage 2: t2 = res_en ? pk_resadd(t1, decode(r_code)) : t1   (RES_EN = 1)
//   stage 3: t3 = rq_en ? pk_requant(t2) : t2
//   stage 4: y  = pk_sat(pk_act(t3))
// with the end of QuantNorm's and requant's rounding shift (the round bit's
// add) and their saturation in the next stage (ARCHITECTURE.md V2-11.5
// "Timing, step 11"): the lane instantiates pk_quantnorm and pk_requant with
// REG = 1, their register between pk_rshr_sh and pk_rshr_fin (V2-11.5
// "Review, step 1").  Stage 1 registers floor((x m + b) / 2^s) shifted by all
// but s's low 2 bits, the tie, whether the quotient fits P bits; stage 2
// shifts the rest and forms t1 before the residual add; stage 3 registers
// floor(x M / 2^E)'s low P bits, the round bit, the tie, the fit; stage 4
// forms t3 and, from its quotient and round decision, the compares of clip
// and relu (below) before the code.  The same units at REG = 0 are the
// combinational reference units (their harness sets check them alone).
//
// Record fields arrive raw (16/32-bit ports); the unit keeps the low bits the
// parameters give (sign- or zero-extended as in QUANT.md), so an out-of-range
// value wraps identically to pk_q_ppu().  act_shift / r_shift keep their low
// min(ACT_SHIFT_BITS, 4) / min(RES_SHIFT_BITS, 4) bits.  With RES_EN = 0 no
// residual logic is built and res_en is ignored; activation modes whose
// ACT_MASK bit is 0 act as none.  y_code holds the code in its low 2^out_log2
// bits, upper bits 0.
//
// Requires ACC_BITS <= P_BITS, QN_SHIFT_BITS and DQ_EXP_BITS <= 8,
// QN_MULT_BITS, DQ_MANT_BITS, ACT_PARAM_BITS <= 16, QN_BIAS_BITS <= 32.
module pk_ppu #(
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
    parameter RES_EN = 1
) (
    input  wire clk,
    input  wire rst,
    input  wire in_valid,
    input  wire signed [ACC_BITS-1:0] acc,
    input  wire signed [15:0] p_m,
    input  wire [7:0] p_s,
    input  wire [7:0] p_e,
    input  wire signed [31:0] p_b,
    input  wire [15:0] p_M,
    input  wire signed [15:0] p_an,
    input  wire signed [15:0] p_ap,
    input  wire signed [15:0] p_g,
    input  wire signed [15:0] p_z,
    input  wire [7:0] r_code,
    input  wire [1:0] r_log2,
    input  wire r_signed,
    input  wire qn_en,
    input  wire res_en,
    input  wire rq_en,
    input  wire [2:0] act_mode,
    input  wire [3:0] act_shift,
    input  wire [3:0] r_shift,
    input  wire signed [15:0] clip_lo,
    input  wire signed [15:0] clip_hi,
    input  wire [1:0] out_log2,
    input  wire out_signed,
    input  wire round,
    output wire out_valid,
    output wire [7:0] y_code
);
    localparam P = P_BITS;
    localparam AW = P > 16 ? P : 16;
    localparam APB = ACT_PARAM_BITS;
    localparam ASB = ACT_SHIFT_BITS < 4 ? ACT_SHIFT_BITS : 4;
    localparam RSB = RES_SHIFT_BITS < 4 ? RES_SHIFT_BITS : 4;
    localparam MB = DQ_MANT_BITS;
    localparam EB = DQ_EXP_BITS;

    // ---- stages 1 and 2: QuantNorm; then the residual add in stage 2 --------
    // pk_quantnorm with its register (REG = 1) between pk_rshr_sh and
    // pk_rshr_fin (LB = min(QN_SHIFT_BITS, 2), its default): stage 1 registers
    // the low P + 4 bits of the sum x m + b shifted by s without its low 2
    // bits, s[1:0], the tie of the bits below, whether the quotient fits P
    // bits and the sum's sign; stage 2 shifts by s[1:0] (a 4:1 multiplexer),
    // rounds (up from the register's round bit and tie) and saturates into
    // t1_r.  qn_en = 0: t0, shift 0, fits.
    wire signed [P-1:0] t0;
    pk_sats #(.WI(ACC_BITS), .WO(P)) u_t0 (.x(acc), .y(t0));
    wire signed [P-1:0] t1_r;
    pk_quantnorm #(.P(P), .MB(QN_MULT_BITS), .BB(QN_BIAS_BITS), .SB(QN_SHIFT_BITS),
                   .REG(1)) u_qn (
        .clk(clk), .x(t0), .m(p_m[QN_MULT_BITS-1:0]), .b(p_b[QN_BIAS_BITS-1:0]),
        .s(p_s[QN_SHIFT_BITS-1:0]), .rne(round), .en(qn_en), .y(t1_r));

    reg [4:1] v;
    // fields used by later stages: _1 registered after stage 1, and so on
    reg rq_en_1, rq_en_2;
    reg [MB-1:0] M_1, M_2;
    reg [EB-1:0] E_1, E_2;
    reg [2:0] mode_1, mode_2, mode_3;
    reg [ASB-1:0] ash_1, ash_2, ash_3;
    reg signed [APB-1:0] an_1, an_2, an_3, ap_1, ap_2, ap_3;
    reg signed [15:0] g_1, g_2, g_3, z_1, z_2, z_3, lo_1, lo_2, lo_3, hi_1, hi_2, hi_3;
    reg [1:0] ol_1, ol_2, ol_3;
    reg os_1, os_2, os_3;
    reg rn_1, rn_2, rn_3;

    always @(posedge clk) begin
        if (rst)
            v <= 4'd0;
        else
            v <= {v[3:1], in_valid};
        rq_en_1 <= rq_en;      rq_en_2 <= rq_en_1;
        M_1 <= p_M[MB-1:0];     M_2 <= M_1;
        E_1 <= p_e[EB-1:0];     E_2 <= E_1;
        mode_1 <= act_mode;    mode_2 <= mode_1;  mode_3 <= mode_2;
        ash_1 <= act_shift[ASB-1:0]; ash_2 <= ash_1; ash_3 <= ash_2;
        an_1 <= p_an[APB-1:0]; an_2 <= an_1;      an_3 <= an_2;
        ap_1 <= p_ap[APB-1:0]; ap_2 <= ap_1;      ap_3 <= ap_2;
        g_1 <= p_g;            g_2 <= g_1;        g_3 <= g_2;
        z_1 <= p_z;            z_2 <= z_1;        z_3 <= z_2;
        lo_1 <= clip_lo;       lo_2 <= lo_1;      lo_3 <= lo_2;
        hi_1 <= clip_hi;       hi_2 <= hi_1;      hi_3 <= hi_2;
        ol_1 <= out_log2;      ol_2 <= ol_1;      ol_3 <= ol_2;
        os_1 <= out_signed;    os_2 <= os_1;      os_3 <= os_2;
        rn_1 <= round;         rn_2 <= rn_1;      rn_3 <= rn_2;
    end

    wire signed [P-1:0] t2;
    generate
        if (RES_EN != 0) begin : g_res
            reg res_en_1;
            reg [7:0] rc_1;
            reg [1:0] rl_1;
            reg rs_1;
            reg [RSB-1:0] rsh_1;
            always @(posedge clk) begin
                res_en_1 <= res_en;
                rc_1 <= r_code;
                rl_1 <= r_log2;
                rs_1 <= r_signed;
                rsh_1 <= r_shift[RSB-1:0];
            end
            wire signed [8:0] r_val;
            wire signed [P-1:0] ra;
            pk_decode u_dec (.code(rc_1), .log2b(rl_1), .is_signed(rs_1), .val(r_val));
            pk_resadd #(.P(P), .SB(RSB)) u_res (.x(t1_r), .r(r_val), .sh(rsh_1), .y(ra));
            assign t2 = res_en_1 ? ra : t1_r;
        end else begin : g_nores
            assign t2 = t1_r;
        end
    endgenerate

    reg signed [P-1:0] t2_r;
    always @(posedge clk)
        t2_r <= t2;

    // ---- stages 3 and 4: requant; then the activation and code in stage 4 ---
    // pk_requant with its register (REG = 1) between pk_rshr_sh and
    // pk_rshr_fin: stage 3 registers the product's quotient's low P bits, the
    // round bit, the tie, whether it fits P bits and its sign (rq_en = 0: t2,
    // round bit 0, fits); stage 4 rounds and saturates into t3_r, and gives
    // q3_lo = q, q3_up = up, q3_sat / q3_bneg (t3 is a bound / the lower one)
    // to the compares below.
    wire signed [P-1:0] t3_r, q3_lo;
    wire q3_up, q3_sat, q3_bneg;
    pk_requant #(.P(P), .MB(MB), .EB(EB), .REG(1)) u_rq (
        .clk(clk), .x(t2_r), .M(M_2), .E(E_2), .rne(rn_2), .en(rq_en_2),
        .y(t3_r), .q(q3_lo), .up(q3_up), .sat(q3_sat), .bneg(q3_bneg));
    // None, relu and clip without a compare after the increment: the
    // compares of t3 = q3_lo + up with lo / hi are those of q3_lo with
    // lo - up / hi - up (t3 < lo iff q3_lo < lo - up; t3 > hi iff q3_lo >= hi
    // when up), a saturated t3 (2^(P-1) - 1 or -2^(P-1)) takes compares made in
    // stage 3, and the code of the clipped value is that of x, lo or hi
    // (clip(x) = x < lo ? (lo > hi ? hi : lo) : (x > hi ? hi : x)); the codes of
    // lo, hi and lo - 1, lo > hi come from stage 3's registers.
    localparam CW = AW + 2;
    wire signed [AW-1:0] lo2_a = {{(AW-16){lo_2[15]}}, lo_2};
    wire signed [AW-1:0] hi2_a = {{(AW-16){hi_2[15]}}, hi_2};
    wire signed [CW-1:0] lo2_c = {{(CW-16){lo_2[15]}}, lo_2};
    wire signed [CW-1:0] hi2_c = {{(CW-16){hi_2[15]}}, hi_2};
    wire signed [CW-1:0] pmax_c = {{(CW-P+1){1'b0}}, {(P-1){1'b1}}};
    wire signed [CW-1:0] pmin_c = {{(CW-P+1){1'b1}}, {(P-1){1'b0}}};
    wire [7:0] clo_2, chi_2;
    pk_sat #(.P(AW)) u_slo (.x(lo2_a), .out_log2(ol_2), .out_signed(os_2), .code(clo_2));
    pk_sat #(.P(AW)) u_shi (.x(hi2_a), .out_log2(ol_2), .out_signed(os_2), .code(chi_2));
    reg [7:0] clo_3, chi_3;
    reg signed [CW-1:0] lom1_3;
    reg lohi_3, maxlt_3, minlt_3, maxgt_3, mingt_3;
    always @(posedge clk) begin
        clo_3 <= clo_2;
        chi_3 <= chi_2;
        lom1_3 <= lo2_c - {{(CW-1){1'b0}}, 1'b1};
        lohi_3 <= lo2_c > hi2_c;
        maxlt_3 <= pmax_c < lo2_c;
        minlt_3 <= pmin_c < lo2_c;
        maxgt_3 <= pmax_c > hi2_c;
        mingt_3 <= pmin_c > hi2_c;
    end
    wire signed [CW-1:0] q3_c = {{(CW-P){q3_lo[P-1]}}, q3_lo};
    wire signed [CW-1:0] lo3_c = {{(CW-16){lo_3[15]}}, lo_3};
    wire signed [CW-1:0] hi3_c = {{(CW-16){hi_3[15]}}, hi_3};
    wire lt_lo = q3_sat ? (q3_bneg ? minlt_3 : maxlt_3)
                        : (q3_up ? q3_c < lom1_3 : q3_c < lo3_c);
    wire gt_hi = q3_sat ? (q3_bneg ? mingt_3 : maxgt_3)
                        : (q3_up ? q3_c >= hi3_c : q3_c > hi3_c);
    wire t3_neg = q3_sat ? q3_bneg : (q3_lo[P-1] && !(q3_up && (&q3_lo)));
    wire signed [AW-1:0] t3_a = {{(AW-P){t3_r[P-1]}}, t3_r};
    wire [7:0] code_x, code;
    pk_sat #(.P(AW)) u_sat (.x(t3_a), .out_log2(ol_3), .out_signed(os_3), .code(code_x));
    wire [7:0] code_relu = t3_neg ? {7'd0, ol_3 == 2'd0} : code_x;
    wire [7:0] code_clip = lt_lo ? (lohi_3 ? chi_3 : clo_3) : gt_hi ? chi_3 : code_x;
    generate
        if (ACT_MASK[5:3] != 3'd0) begin : g_prelu
            // the PReLU modes through pk_act (built for them only)
            wire signed [AW-1:0] t4;
            wire [7:0] code_p;
            pk_act #(.P(P), .APB(APB), .SHB(ASB), .ACT_MASK({ACT_MASK[5:3], 3'b000})) u_act (
                .x(t3_r), .mode(mode_3), .an(an_3), .ap(ap_3), .g(g_3), .z(z_3), .sh(ash_3),
                .rne(rn_3), .clip_lo(lo_3), .clip_hi(hi_3), .y(t4));
            pk_sat #(.P(AW)) u_satp (.x(t4), .out_log2(ol_3), .out_signed(os_3), .code(code_p));
            assign code = (mode_3 == 3'd1 && ACT_MASK[1]) ? code_relu
                        : (mode_3 == 3'd2 && ACT_MASK[2]) ? code_clip
                        : (mode_3 == 3'd3 || mode_3 == 3'd4 || mode_3 == 3'd5) ? code_p : code_x;
        end else begin : g_noprelu
            assign code = (mode_3 == 3'd1 && ACT_MASK[1]) ? code_relu
                        : (mode_3 == 3'd2 && ACT_MASK[2]) ? code_clip : code_x;
        end
    endgenerate
    reg [7:0] y_r;
    always @(posedge clk)
        y_r <= code;

    assign out_valid = v[4];
    assign y_code = y_r;

    // Upper bits of the raw record ports (and the residual inputs when
    // RES_EN = 0) are unused by design.
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ok = &{1'b0, p_m, p_s, p_e, p_b, p_M, p_an, p_ap, r_code, r_log2, r_signed,
                       res_en, r_shift, act_shift, an_3, ap_3, g_3, z_3, ash_3, rn_3};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
