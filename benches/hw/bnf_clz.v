// bnf_clz - normalize left: y = a << n with n = count of leading zeros of a
// (for a != 0; for a == 0, y = 0 and n is meaningless).  Combinational,
// log-depth: step k shifts by 2^k when the top 2^k bits are all zero.
// Written for benches/bench_hw.py (the fp16/fp32 batch-norm units); not part
// of the Pike RTL.  Requires 2^CW >= W.
module bnf_clz #(
    parameter W = 32,
    parameter CW = 5
) (
    input  wire [W-1:0] a,
    output reg  [W-1:0] y,
    output reg  [CW-1:0] n
);
    integer k;
    always @* begin
        y = a;
        n = {CW{1'b0}};
        for (k = CW - 1; k >= 0; k = k - 1)
            if ((1 << k) < W && (y >> (W - (1 << k))) == {W{1'b0}}) begin
                y = y << (1 << k);
                n[k] = 1'b1;
            end
    end
endmodule
