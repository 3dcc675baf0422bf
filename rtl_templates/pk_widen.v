// pk_widen - a word of weight codes widened to their slots (pk_q_widen).
//
// Code e of w_bits bits goes to slot e of m bits, sign-extended (a 1-bit code
// is -1 / +1: bit 0 set, the bits above its complement); one fixed wiring per
// (w_bits, m) pair MODES enables (bit 4 * log2 w_bits + log2 m), selected by
// `mode` = {log2 w_bits, log2 m}; a pair MODES does not enable gives 0.
// SLOT0: slot 0 only (a depthwise word's one code; the bits past m are 0).
// Combinational.  pk_ld2 instantiates one a lane, so that Yosys derives the
// wiring once instead of inlining it into every lane (docs/FPGA.md "Xilinx").
module pk_widen #(
    parameter W = 64,
    parameter [15:0] MODES = 16'hffff,
    parameter SLOT0 = 0
) (
    input  wire [3:0] mode,
    input  wire [W-1:0] src,
    output reg  [W-1:0] o
);
    integer p, b, a, m, e, i, idx;
    reg [W-1:0] c;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        o = {W{1'b0}}; c = {W{1'b0}}; a = 0; m = 0; b = 0; e = 0; i = 0; idx = 0;
        for (p = 0; p < 16; p = p + 1)
            if (MODES[p]) begin
                a = 1 << (p / 4);
                m = 1 << (p % 4);
                for (b = 0; b < W; b = b + 1) begin
                    e = b / m;
                    i = b % m;
                    idx = e * a + (i < a ? i : a - 1);
                    if (idx >= W || (SLOT0 != 0 && b >= m))
                        c[b] = 1'b0;
                    else if (a == 1 && m > 1)
                        c[b] = i == 0 ? 1'b1 : ~src[idx];
                    else
                        c[b] = src[idx];
                end
                if (mode == p[3:0])
                    o = c;
            end
    end
endmodule
