// tb_bn - functional check of the three batch-norm units (bench_hw.py): reads
// NV random vectors from hex files in the working directory (acc.hex, qn.hex =
// {m, b, s}, f16.hex = {scale, bias}, f32.hex = {scale, bias}), applies them to
// bn_qn, bn_fp16 and bn_fp32, and writes one line per vector to out.hex:
// "<qn y> <fp16 y> <fp32 y>" (hex).  bench_hw.py compares with its numpy
// reference.  Icarus: iverilog -g2005 -P tb_bn.NV=... -P tb_bn.P=... ...
`timescale 1ns / 1ps
module tb_bn;
    parameter NV = 16;
    parameter P = 32;
    parameter MB = 8;
    parameter BB = 24;
    parameter SB = 5;
    localparam QW = MB + BB + SB;

    reg [P-1:0] acc_v [0:NV-1];
    reg [QW-1:0] qn_v [0:NV-1];
    reg [31:0] f16_v [0:NV-1];
    reg [63:0] f32_v [0:NV-1];

    reg signed [P-1:0] acc;
    reg [QW-1:0] q;
    reg [31:0] h;
    reg [63:0] w;
    wire signed [P-1:0] y_qn;
    wire signed [P-1:0] y_16;
    wire signed [P-1:0] y_32;

    bn_qn #(.P(P), .MB(MB), .BB(BB), .SB(SB)) u_qn (
        .acc(acc), .m(q[QW-1 -: MB]), .b(q[SB +: BB]), .s(q[SB-1:0]), .y(y_qn));
    bn_fp16 #(.P(P)) u_16 (.acc(acc), .scale(h[31:16]), .bias(h[15:0]), .y(y_16));
    bn_fp32 #(.P(P)) u_32 (.acc(acc), .scale(w[63:32]), .bias(w[31:0]), .y(y_32));

    integer i;
    integer fd;
    initial begin
        $readmemh("acc.hex", acc_v);
        $readmemh("qn.hex", qn_v);
        $readmemh("f16.hex", f16_v);
        $readmemh("f32.hex", f32_v);
        fd = $fopen("out.hex", "w");
        if (fd == 0) begin
            $display("tb_bn: cannot open out.hex");
            $finish;
        end
        for (i = 0; i < NV; i = i + 1) begin
            acc = acc_v[i];
            q = qn_v[i];
            h = f16_v[i];
            w = f32_v[i];
            #1;
            $fwrite(fd, "%h %h %h\n", y_qn, y_16, y_32);
        end
        $fclose(fd);
        $display("tb_bn: %0d vectors", NV);
        $finish;
    end
endmodule
