// bn_qn - Pike's QuantNorm unit (pk_quantnorm from the generated bundle, at
// the config's post-processing widths) under the same port names as the
// floating-point units: y = sat_s(rshr(acc * m + b, s), P) (docs/QUANT.md).
// Written for benches/bench_hw.py; not part of the Pike RTL.
module bn_qn #(
    parameter P = 32,
    parameter MB = 8,
    parameter BB = 24,
    parameter SB = 5
) (
    input  wire signed [P-1:0] acc,
    input  wire signed [MB-1:0] m,
    input  wire signed [BB-1:0] b,
    input  wire [SB-1:0] s,
    output wire signed [P-1:0] y
);
    pk_quantnorm #(.P(P), .MB(MB), .BB(BB), .SB(SB)) u_qn (
        .clk(1'b0), .x(acc), .m(m), .b(b), .s(s), .en(1'b1), .y(y));
endmodule
