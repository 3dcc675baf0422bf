// bn_fp32 - batch norm in IEEE binary32 (bn_fp with EW 8, FW 23): acc (signed
// P bits) -> fp32, * scale, + bias, -> signed P-bit integer (RNE, saturating).
// Written for benches/bench_hw.py; not part of the Pike RTL.
module bn_fp32 #(
    parameter P = 32
) (
    input  wire signed [P-1:0] acc,
    input  wire [31:0] scale,
    input  wire [31:0] bias,
    output wire signed [P-1:0] y
);
    bn_fp #(.P(P), .EW(8), .FW(23), .CWP($clog2(P)), .CWM(5)) u_bn (
        .acc(acc), .scale(scale), .bias(bias), .y(y));
endmodule
