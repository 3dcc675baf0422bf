// bnf_mul - IEEE binary float multiply (EW exponent bits, FW fraction bits),
// round to nearest even.  No subnormals: a subnormal operand is read as zero
// (DAZ) and a result below the smallest normal is flushed to a signed zero
// (FTZ, decided on the rounded result).  Overflow gives +-infinity; NaN for
// a NaN operand or 0 x infinity (returned as the quiet NaN 0 11..1 10..0).
// Combinational.  Written for benches/bench_hw.py; not part of the Pike RTL.
module bnf_mul #(
    parameter EW = 8,
    parameter FW = 23
) (
    input  wire [EW+FW:0] a,
    input  wire [EW+FW:0] b,
    output wire [EW+FW:0] p
);
    localparam N = EW + FW + 1;
    localparam XW = EW + 3;
    localparam [XW-1:0] BIAS = (1 << (EW - 1)) - 1;
    localparam [XW-1:0] EMAX = (1 << EW) - 1;

    wire sa, sb, a_z, b_z, a_nan, b_nan, a_inf, b_inf;
    wire [EW-1:0] ea, eb;
    wire [FW-1:0] fa, fb;
    bnf_class #(.EW(EW), .FW(FW)) u_ca (.x(a), .s(sa), .e(ea), .f(fa), .z(a_z), .nan(a_nan),
                                       .inf(a_inf));
    bnf_class #(.EW(EW), .FW(FW)) u_cb (.x(b), .s(sb), .e(eb), .f(fb), .z(b_z), .nan(b_nan),
                                       .inf(b_inf));
    wire s = sa ^ sb;
    wire nan = a_nan | b_nan | (a_inf & b_z) | (a_z & b_inf);
    wire inf = a_inf | b_inf;
    wire zero = a_z | b_z;

    wire [2*FW+1:0] prod = {1'b1, fa} * {1'b1, fb};   // in [2^(2FW), 2^(2FW+2))
    wire hi = prod[2*FW+1];
    wire [FW:0] mant = hi ? prod[2*FW+1:FW+1] : prod[2*FW:FW];
    wire g = hi ? prod[FW] : prod[FW-1];
    wire st = hi ? (|prod[FW-1:0]) : (|prod[FW-2:0]);
    wire up = g & (st | mant[0]);
    wire [FW+1:0] mr = {1'b0, mant} + {{(FW+1){1'b0}}, up};
    wire cy = mr[FW+1];
    // biased exponent, signed: ea + eb - BIAS + hi + cy
    wire signed [XW-1:0] e = $signed({{(XW-EW){1'b0}}, ea} + {{(XW-EW){1'b0}}, eb}
                             + {{(XW-1){1'b0}}, hi} + {{(XW-1){1'b0}}, cy} - BIAS);
    wire ovf = (e >= $signed(EMAX));
    wire unf = (e <= $signed({XW{1'b0}}));

    assign p = nan  ? {1'b0, {EW{1'b1}}, 1'b1, {(FW-1){1'b0}}}
             : inf  ? {s, {EW{1'b1}}, {FW{1'b0}}}
             : zero ? {s, {(N-1){1'b0}}}
             : ovf  ? {s, {EW{1'b1}}, {FW{1'b0}}}
             : unf  ? {s, {(N-1){1'b0}}}
             :        {s, e[EW-1:0], mr[FW-1:0]};
endmodule
