// pk_sat - output code of a post-processed value (QUANT.md y):
//   bo == 1      : code = (x >= 0)                  (binarize: 1 = +1)
//   out_signed   : code = low bo bits of sat_s(x, bo)
//   else         : code = sat_u(x, bo)
// with bo = 2^out_log2; code bits above bo are 0.  Equals pk_q_out_code().
// Combinational.  Parameter P: width of x (internal_bits, >= 2).
module pk_sat #(
    parameter P = 32
) (
    input  wire signed [P-1:0] x,
    input  wire [1:0] out_log2,
    input  wire out_signed,
    output reg [7:0] code
);
    wire signed [1:0] s2;
    wire signed [3:0] s4;
    wire signed [7:0] s8;
    wire [1:0] u2;
    wire [3:0] u4;
    wire [7:0] u8;
    pk_sats #(.WI(P), .WO(2)) u_s2 (.x(x), .y(s2));
    pk_sats #(.WI(P), .WO(4)) u_s4 (.x(x), .y(s4));
    pk_sats #(.WI(P), .WO(8)) u_s8 (.x(x), .y(s8));
    pk_satu #(.WI(P), .WO(2)) u_u2 (.x(x), .y(u2));
    pk_satu #(.WI(P), .WO(4)) u_u4 (.x(x), .y(u4));
    pk_satu #(.WI(P), .WO(8)) u_u8 (.x(x), .y(u8));

    always @* begin
        case (out_log2)
            2'd0: code = {7'd0, ~x[P-1]};
            2'd1: code = {6'd0, out_signed ? s2 : u2};
            2'd2: code = {4'd0, out_signed ? s4 : u4};
            default: code = out_signed ? s8 : u8;
        endcase
    end
endmodule
