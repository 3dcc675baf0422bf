// pk_resadd - residual add with scale alignment (QUANT.md t2):
//   y = sat_s(x + (r << sh), P)
// r is the decoded residual operand (pk_decode: 9-bit signed).  Equals
// pk_q_resadd().  Combinational.
//
// Parameters: P (internal_bits, >= 2), SB (bits of the shift, <= 4 from the
// 4-bit descriptor field).  Ports: x signed P; r signed 9; sh unsigned SB;
// y signed P.
module pk_resadd #(
    parameter P = 32,
    parameter SB = 4
) (
    input  wire signed [P-1:0] x,
    input  wire signed [8:0] r,
    input  wire [SB-1:0] sh,
    output wire signed [P-1:0] y
);
    localparam RW = 9 + (1 << SB) - 1;          // r << sh, exact
    localparam WS = (P > RW ? P : RW) + 1;

    wire signed [RW-1:0] rs = {{(RW-9){r[8]}}, r} <<< sh;
    wire signed [WS-1:0] sum = {{(WS-P){x[P-1]}}, x} + {{(WS-RW){rs[RW-1]}}, rs};
    pk_sats #(.WI(WS), .WO(P)) u_sat (.x(sum), .y(y));
endmodule
