// bnf_class - the fields and class of one IEEE binary float operand (EW
// exponent bits, FW fraction bits) as bnf_add and bnf_mul read it: sign,
// exponent, fraction; z = zero exponent (zero, or a subnormal read as zero:
// DAZ), nan, inf.  Combinational.
// Written for benches/bench_hw.py; not part of the Pike RTL.
module bnf_class #(
    parameter EW = 8,
    parameter FW = 23
) (
    input  wire [EW+FW:0] x,
    output wire s,
    output wire [EW-1:0] e,
    output wire [FW-1:0] f,
    output wire z,
    output wire nan,
    output wire inf
);
    wire xmax = (e == {EW{1'b1}});
    assign s = x[EW+FW];
    assign e = x[EW+FW-1:FW];
    assign f = x[FW-1:0];
    assign z = (e == {EW{1'b0}});
    assign nan = xmax & (f != {FW{1'b0}});
    assign inf = xmax & (f == {FW{1'b0}});
endmodule
