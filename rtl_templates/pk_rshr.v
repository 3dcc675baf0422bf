// pk_rshr - rounding shift right (QUANT.md rshr / rshr_e):
//   y = x                               if s == 0
//   y = floor((x + 2^(s-1)) / 2^s)      otherwise, for every s < 2^SB (half up)
//   and with rne = 1 (round half to even) an exact tie (x mod 2^s == 2^(s-1))
//   whose half-up result is odd gives that result minus 1.
//
// Its two halves joined (combinational): pk_rshr_sh (the shift, the round bit,
// the tie) and pk_rshr_fin (the round decision and the +1), at P = W.
// Computed without the wide rounding adder: qq = {x, 0} >>> s (arithmetic, so
// any s beyond the width yields the sign) holds floor(x / 2^s) in its upper W
// bits and bit s-1 of x in bit 0 (0 when s == 0); that bit is exactly "the
// dropped remainder reaches one half", so y = qq[W:1] + qq[0].  The sum
// cannot overflow: for s >= 1, |floor(x / 2^s)| <= 2^(W-2).  The remainder is
// exactly one half when, in addition, no bit below s-1 is set; half to even
// then adds the round bit only if the quotient qq[W:1] is odd (it rounds to
// q, even, instead of q + 1).  Requires W >= 2, SB >= 1.
module pk_rshr #(
    parameter W = 32,
    parameter SB = 5
) (
    input  wire signed [W-1:0] x,
    input  wire [SB-1:0] s,
    input  wire rne,
    output wire signed [W-1:0] y
);
    wire [W:0] pa;
    wire s_lo, tie, fits, neg, rne_o;
    pk_rshr_sh #(.W(W), .SB(SB), .P(W)) u_sh (
        .clk(1'b0), .x(x), .s(s), .en(1'b1), .xb(x), .rne(rne),
        .pa(pa), .s_lo(s_lo), .tie(tie), .fits(fits), .neg(neg), .rne_o(rne_o));
    // q fits W bits by construction; y is the unsaturated q + up
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [W-1:0] y_s, q;
    wire up, sat, bneg;
    /* verilator lint_on UNUSEDSIGNAL */
    pk_rshr_fin #(.P(W)) u_fin (
        .pa(pa), .s_lo(s_lo), .tie(tie), .fits(fits), .neg(neg), .rne(rne_o),
        .y(y_s), .inc(y), .q(q), .up(up), .sat(sat), .bneg(bneg));
endmodule
