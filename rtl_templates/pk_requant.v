// pk_requant - Double-Quantized requantization (QUANT.md t3):
//   y = sat_s(rnd(x * M, E), P),  M unsigned mantissa, E exponent, rnd = rshr
// (rne = 0) or rshr_e (rne = 1); en = 0 gives y = x.  Equals
// pk_q_requant_rm() (en = 1).
//
// Parameters: P (internal_bits, >= 2), MB (dq_mant_bits), EB (dq_exp_bits);
// REG: where the unit is cut (below).  Ports: x signed P; M unsigned MB;
// E unsigned EB; rne; en; y signed P; and pk_rshr_fin's q, up, sat, bneg for
// compares that follow (pk_ppu's stage 4).
// The shift and the saturation are pk_rshr_sh (shift by E, round bit, tie,
// whether the quotient fits P bits) then pk_rshr_fin (the round decision, the
// +1, sat_s).  REG = 0: combinational (the reference unit).  REG = 1:
// pk_rshr_sh's outputs registered at clk, so y (q, up, sat, bneg) are those
// of the inputs (and rne, en) of the cycle before: pk_ppu's stages 3 and 4.
module pk_requant #(
    parameter P = 32,
    parameter MB = 8,
    parameter EB = 5,
    parameter REG = 0
) (
    input  wire clk,
    input  wire signed [P-1:0] x,
    input  wire [MB-1:0] M,
    input  wire [EB-1:0] E,
    input  wire rne,
    input  wire en,
    output wire signed [P-1:0] y,
    output wire signed [P-1:0] q,
    output wire up,
    output wire sat,
    output wire bneg
);
    localparam WP = P + MB + 1;  // signed x unsigned, exact

    wire signed [WP-1:0] prod = {{(MB+1){x[P-1]}}, x} * {{(P+1){1'b0}}, M};
    wire [P:0] pa;
    wire s_lo, tie, fits, neg, rne_f;
    pk_rshr_sh #(.W(WP), .SB(EB), .P(P), .REG(REG)) u_sh (
        .clk(clk), .x(prod), .s(E), .en(en), .xb(x), .rne(rne),
        .pa(pa), .s_lo(s_lo), .tie(tie), .fits(fits), .neg(neg), .rne_o(rne_f));
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [P-1:0] inc;
    /* verilator lint_on UNUSEDSIGNAL */
    pk_rshr_fin #(.P(P)) u_fin (
        .pa(pa), .s_lo(s_lo), .tie(tie), .fits(fits), .neg(neg), .rne(rne_f),
        .y(y), .inc(inc), .q(q), .up(up), .sat(sat), .bneg(bneg));
endmodule
