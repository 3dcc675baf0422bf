// bn_fp16 - batch norm in IEEE binary16 (bn_fp with EW 5, FW 10): acc (signed
// P bits) -> fp16, * scale, + bias, -> signed P-bit integer (RNE, saturating).
// Written for benches/bench_hw.py; not part of the Pike RTL.
module bn_fp16 #(
    parameter P = 32
) (
    input  wire signed [P-1:0] acc,
    input  wire [15:0] scale,
    input  wire [15:0] bias,
    output wire signed [P-1:0] y
);
    bn_fp #(.P(P), .EW(5), .FW(10), .CWP(4), .CWM(4)) u_bn (
        .acc(acc), .scale(scale), .bias(bias), .y(y));
endmodule
