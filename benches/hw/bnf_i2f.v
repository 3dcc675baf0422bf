// bnf_i2f - signed P-bit integer to IEEE binary float (EW exponent bits, FW
// fraction bits), round to nearest even; a magnitude beyond the largest
// finite value gives +-infinity (IEEE overflow under RNE).  Combinational.
// When the format's range is narrower than P bits (fp16 and a 32-bit
// accumulator), only the low LW = BIAS + 1 bits are normalized: any higher
// bit set means overflow.  Written for benches/bench_hw.py; not part of the
// Pike RTL.  Requires min(P, BIAS + 1) >= FW + 3, 2^CW >= min(P, BIAS + 1).
module bnf_i2f #(
    parameter P = 32,
    parameter EW = 8,
    parameter FW = 23,
    parameter CW = 5
) (
    input  wire signed [P-1:0] x,
    output wire [EW+FW:0] f
);
    localparam XW = EW + 3;                     // exponent arithmetic
    localparam integer BIASI = (1 << (EW - 1)) - 1;
    localparam LW = (P < BIASI + 1) ? P : BIASI + 1;
    localparam [XW-1:0] BIAS = (1 << (EW - 1)) - 1;
    localparam [XW-1:0] EMAX = (1 << EW) - 1;   // all-ones exponent field
    localparam integer TOPI = LW - 1;
    localparam [XW-1:0] TOP = TOPI[XW-1:0];

    wire s = x[P-1];
    wire [P-1:0] mag = s ? (~x + 1'b1) : x;     // |x|; |-2^(P-1)| = 2^(P-1) unsigned
    wire hi;                                    // a bit at or above 2^LW: overflow
    generate
        if (LW < P) begin : g_hi
            assign hi = |mag[P-1:LW];
        end else begin : g_nohi
            assign hi = 1'b0;
        end
    endgenerate
    wire [LW-1:0] nrm;
    wire [CW-1:0] lz;
    bnf_clz #(.W(LW), .CW(CW)) u_clz (.a(mag[LW-1:0]), .y(nrm), .n(lz));

    wire [FW:0] mant = nrm[LW-1 -: FW+1];
    wire g = nrm[LW-2-FW];
    wire st = |nrm[LW-3-FW:0];
    wire up = g & (st | mant[0]);
    wire [FW+1:0] mr = {1'b0, mant} + {{(FW+1){1'b0}}, up};
    wire cy = mr[FW+1];                         // rounded up to the next binade (fraction 0)
    wire [XW-1:0] e = TOP - {{(XW-CW){1'b0}}, lz} + {{(XW-1){1'b0}}, cy} + BIAS;
    wire zero = (mag == {P{1'b0}});
    wire ovf = hi | (e >= EMAX);
    assign f = zero ? {(EW+FW+1){1'b0}}
             : ovf  ? {s, {EW{1'b1}}, {FW{1'b0}}}
             :        {s, e[EW-1:0], mr[FW-1:0]};
endmodule
