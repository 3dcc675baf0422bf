// pk_requant - Double-Quantized requantization (QUANT.md t3):
//   y = sat_s(rnd(x * M, E), P),  M unsigned mantissa, E exponent, rnd = rshr
// (rne = 0) or rshr_e (rne = 1).  Equals pk_q_requant_rm().  Combinational.
//
// Parameters: P (internal_bits, >= 2), MB (dq_mant_bits), EB (dq_exp_bits).
// Ports: x signed P; M unsigned MB; E unsigned EB; rne; y signed P.
module pk_requant #(
    parameter P = 32,
    parameter MB = 8,
    parameter EB = 5
) (
    input  wire signed [P-1:0] x,
    input  wire [MB-1:0] M,
    input  wire [EB-1:0] E,
    input  wire rne,
    output wire signed [P-1:0] y
);
    localparam WP = P + MB + 1;  // signed x unsigned, exact

    wire signed [WP-1:0] prod = {{(MB+1){x[P-1]}}, x} * {{(P+1){1'b0}}, M};
    wire signed [WP-1:0] r;
    pk_rshr #(.W(WP), .SB(EB)) u_rshr (.x(prod), .s(E), .rne(rne), .y(r));
    pk_sats #(.WI(WP), .WO(P)) u_sat (.x(r), .y(y));
endmodule
