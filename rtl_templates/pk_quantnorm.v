// pk_quantnorm - QuantNorm stage (QUANT.md t1): y = sat_s(rnd(x*m + b, s), P),
// rnd = rshr (rne = 0) or rshr_e (rne = 1).  Equals pk_q_quantnorm_rm().  Combinational.
//
// Parameters: P (internal_bits, >= 2), MB (qn_mult_bits), BB (qn_bias_bits),
// SB (qn_shift_bits).  Ports: x signed P bits; m signed MB bits; b signed BB
// bits; s unsigned SB bits; rne the rounding mode; y signed P bits.
// The product is exact in P+MB bits; the sum with b one bit wider than the
// wider of the two, so nothing wraps before the rounding shift.
module pk_quantnorm #(
    parameter P = 32,
    parameter MB = 8,
    parameter BB = 24,
    parameter SB = 5
) (
    input  wire signed [P-1:0] x,
    input  wire signed [MB-1:0] m,
    input  wire signed [BB-1:0] b,
    input  wire [SB-1:0] s,
    input  wire rne,
    output wire signed [P-1:0] y
);
    localparam WP = P + MB;
    localparam WS = (WP > BB ? WP : BB) + 1;

    // signed P x MB multiply at its natural width (both operands signed, so
    // they are sign-extended to WP): yosys builds a P x MB array, not WP x WP
    wire signed [WP-1:0] prod = x * m;
    wire signed [WS-1:0] sum = {{(WS-WP){prod[WP-1]}}, prod} + {{(WS-BB){b[BB-1]}}, b};
    wire signed [WS-1:0] r;
    pk_rshr #(.W(WS), .SB(SB)) u_rshr (.x(sum), .s(s), .rne(rne), .y(r));
    pk_sats #(.WI(WS), .WO(P)) u_sat (.x(r), .y(y));
endmodule
