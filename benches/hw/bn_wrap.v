// bn_wrap - timing wrapper for one batch-norm unit (bench_hw.py nextpnr Fmax):
// the unit's inputs come from a shift register loaded through one pin and its
// output is captured into a register that shifts out through one pin, so the
// only register-to-register paths of interest run through the unit and the
// design fits a 48-pin package.  U selects the unit: 0 bn_qn, 1 bn_fp16,
// 2 bn_fp32.  Written for benches/bench_hw.py; not part of the Pike RTL.
module bn_wrap #(
    parameter U = 0,
    parameter P = 32,
    parameter MB = 8,
    parameter BB = 24,
    parameter SB = 5
) (
    input  wire clk,
    input  wire din,
    input  wire cap,
    output wire dout
);
    localparam IW = (U == 0) ? P + MB + BB + SB : (U == 1) ? P + 32 : P + 64;
    reg [IW-1:0] sin;
    reg [P-1:0] yo;
    wire [P-1:0] y;
    always @(posedge clk) begin
        sin <= {sin[IW-2:0], din};
        yo <= cap ? y : {yo[P-2:0], 1'b0};
    end
    assign dout = yo[P-1];
    generate
        if (U == 0) begin : g_qn
            bn_qn #(.P(P), .MB(MB), .BB(BB), .SB(SB)) u (
                .acc(sin[P-1:0]), .m(sin[P +: MB]), .b(sin[P+MB +: BB]),
                .s(sin[P+MB+BB +: SB]), .y(y));
        end else if (U == 1) begin : g_16
            bn_fp16 #(.P(P)) u (.acc(sin[P-1:0]), .scale(sin[P +: 16]),
                .bias(sin[P+16 +: 16]), .y(y));
        end else begin : g_32
            bn_fp32 #(.P(P)) u (.acc(sin[P-1:0]), .scale(sin[P +: 32]),
                .bias(sin[P+32 +: 32]), .y(y));
        end
    endgenerate
endmodule
