// pk_quantnorm - QuantNorm stage (QUANT.md t1): y = sat_s(rnd(x*m + b, s), P),
// rnd = rshr (rne = 0) or rshr_e (rne = 1); en = 0 gives y = x.  Equals
// pk_q_quantnorm_rm() (en = 1).
//
// Parameters: P (internal_bits, >= 2), MB (qn_mult_bits), BB (qn_bias_bits),
// SB (qn_shift_bits); LB, REG: where the unit is cut (below).  Ports: x signed
// P bits; m signed MB bits; b signed BB bits; s unsigned SB bits; rne the
// rounding mode; en; y signed P bits.
// The product is exact in P+MB bits; the sum with b one bit wider than the
// wider of the two, so nothing wraps before the rounding shift.  The shift and
// the saturation are pk_rshr_sh (shift by s without its low LB bits, round bit,
// tie, whether the quotient fits P bits) then pk_rshr_fin (the last LB steps,
// the round decision, the +1, sat_s); LB (default min(SB, 2), as pk_ppu
// has it) makes no difference to y.  REG = 0: combinational (the reference
// unit).  REG = 1: pk_rshr_sh's outputs registered at clk, so y is the result
// for the inputs (and rne, en) of the cycle before: pk_ppu's stages 1 and 2.
// Requires LB <= SB.
module pk_quantnorm #(
    parameter P = 32,
    parameter MB = 8,
    parameter BB = 24,
    parameter SB = 5,
    parameter LB = SB < 2 ? SB : 2,
    parameter REG = 0
) (
    input  wire clk,
    input  wire signed [P-1:0] x,
    input  wire signed [MB-1:0] m,
    input  wire signed [BB-1:0] b,
    input  wire [SB-1:0] s,
    input  wire rne,
    input  wire en,
    output wire signed [P-1:0] y
);
    localparam WP = P + MB;
    localparam WS = (WP > BB ? WP : BB) + 1;
    localparam LBW = LB > 0 ? LB : 1;

    // signed P x MB multiply at its natural width (both operands signed, so
    // they are sign-extended to WP): yosys builds a P x MB array, not WP x WP
    wire signed [WP-1:0] prod = x * m;
    wire signed [WS-1:0] sum = {{(WS-WP){prod[WP-1]}}, prod} + {{(WS-BB){b[BB-1]}}, b};
    wire [P+(1<<LB)-1:0] pa;
    wire [LBW-1:0] s_lo;
    wire tie, fits, neg, rne_f;
    pk_rshr_sh #(.W(WS), .SB(SB), .P(P), .LB(LB), .REG(REG)) u_sh (
        .clk(clk), .x(sum), .s(s), .en(en), .xb(x), .rne(rne),
        .pa(pa), .s_lo(s_lo), .tie(tie), .fits(fits), .neg(neg), .rne_o(rne_f));
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [P-1:0] inc, q;
    wire up, sat, bneg;
    /* verilator lint_on UNUSEDSIGNAL */
    pk_rshr_fin #(.P(P), .LB(LB)) u_fin (
        .pa(pa), .s_lo(s_lo), .tie(tie), .fits(fits), .neg(neg), .rne(rne_f),
        .y(y), .inc(inc), .q(q), .up(up), .sat(sat), .bneg(bneg));
endmodule
