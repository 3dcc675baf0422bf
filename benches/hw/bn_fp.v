// bn_fp - a floating-point batch-norm unit doing QuantNorm's job in IEEE
// binary float (EW exponent bits, FW fraction bits):
//     y = sat_P(rne_int(fl(fl(fl(acc) * scale) + bias)))
// acc: signed P-bit accumulator; scale, bias: per-channel IEEE floats;
// fl() rounds to nearest even at every step (int->float conversion, one
// multiply, one add), and the result goes back to a signed P-bit integer,
// round to nearest even, saturating (NaN -> 0).  No subnormals (DAZ/FTZ, see
// bnf_mul/bnf_add).  Combinational, like pk_quantnorm.
// Written for benches/bench_hw.py (issue 5 item 4: QuantNorm vs fp batch
// norm in silicon); not part of the Pike RTL.
module bn_fp #(
    parameter P = 32,
    parameter EW = 8,
    parameter FW = 23,
    parameter CWP = 5,          // 2^CWP >= P
    parameter CWM = 5           // 2^CWM >= FW + 4
) (
    input  wire signed [P-1:0] acc,
    input  wire [EW+FW:0] scale,
    input  wire [EW+FW:0] bias,
    output wire signed [P-1:0] y
);
    wire [EW+FW:0] fa;
    wire [EW+FW:0] fp;
    wire [EW+FW:0] fs;
    bnf_i2f #(.P(P), .EW(EW), .FW(FW), .CW(CWP)) u_i2f (.x(acc), .f(fa));
    bnf_mul #(.EW(EW), .FW(FW)) u_mul (.a(fa), .b(scale), .p(fp));
    bnf_add #(.EW(EW), .FW(FW), .CW(CWM)) u_add (.a(fp), .b(bias), .y(fs));
    bnf_f2i #(.P(P), .EW(EW), .FW(FW)) u_f2i (.f(fs), .y(y));
endmodule
