// bnf_add - IEEE binary float add (EW exponent bits, FW fraction bits), round
// to nearest even, with guard/round/sticky bits.  No subnormals: a subnormal
// operand is read as zero (DAZ), a result below the smallest normal is
// flushed to a signed zero (FTZ).  Overflow gives +-infinity; NaN for a NaN
// operand or inf - inf (the quiet NaN 0 11..1 10..0).  An exact zero sum is
// +0 (-0 only for -0 + -0).  Combinational.
// Written for benches/bench_hw.py; not part of the Pike RTL.
module bnf_add #(
    parameter EW = 8,
    parameter FW = 23,
    parameter CW = 5            // 2^CW >= FW + 4
) (
    input  wire [EW+FW:0] a,
    input  wire [EW+FW:0] b,
    output wire [EW+FW:0] y
);
    localparam N = EW + FW + 1;
    localparam XW = EW + 3;
    localparam M = FW + 4;                      // 1.fraction + guard, round, sticky
    localparam [XW-1:0] EMAX = (1 << EW) - 1;
    localparam [EW-1:0] DMAX = M + 1;           // any larger alignment: all sticky

    wire sa, sb, a_z, b_z, a_nan, b_nan, a_inf, b_inf;
    wire [EW-1:0] ea, eb;
    wire [FW-1:0] fa, fb;
    bnf_class #(.EW(EW), .FW(FW)) u_ca (.x(a), .s(sa), .e(ea), .f(fa), .z(a_z), .nan(a_nan),
                                       .inf(a_inf));
    bnf_class #(.EW(EW), .FW(FW)) u_cb (.x(b), .s(sb), .e(eb), .f(fb), .z(b_z), .nan(b_nan),
                                       .inf(b_inf));
    wire nan = a_nan | b_nan | (a_inf & b_inf & (sa != sb));
    wire inf = a_inf | b_inf;
    wire inf_s = a_inf ? sa : sb;

    // order by magnitude: L >= S
    wire swap = {eb, fb} > {ea, fa};
    wire sl = swap ? sb : sa;
    wire ss = swap ? sa : sb;
    wire [EW-1:0] el = swap ? eb : ea;
    wire [EW-1:0] es = swap ? ea : eb;
    wire [FW-1:0] fl = swap ? fb : fa;
    wire [FW-1:0] fs = swap ? fa : fb;
    wire [EW-1:0] d = el - es;
    wire [EW-1:0] dc = (d > DMAX) ? DMAX : d;

    wire [M-1:0] ml = {1'b1, fl, 3'b000};
    wire [2*M-1:0] wide = {1'b1, fs, 3'b000, {M{1'b0}}} >> dc;
    wire [M-1:0] ms = {wide[2*M-1:M+1], wide[M] | (|wide[M-1:0])};
    wire sub = sl ^ ss;
    wire [M:0] sum = sub ? ({1'b0, ml} - {1'b0, ms}) : ({1'b0, ml} + {1'b0, ms});
    wire exact0 = (sum == {(M+1){1'b0}});

    // normalize: one right shift on carry-out, else left by the leading zeros
    wire [M-1:0] nl;
    wire [CW-1:0] lz;
    bnf_clz #(.W(M), .CW(CW)) u_clz (.a(sum[M-1:0]), .y(nl), .n(lz));
    wire cyo = sum[M];
    wire [M-1:0] n = cyo ? {sum[M:2], sum[1] | sum[0]} : nl;
    wire [FW:0] mant = n[M-1:3];
    wire up = n[2] & (n[1] | n[0] | mant[0]);
    wire [FW+1:0] mr = {1'b0, mant} + {{(FW+1){1'b0}}, up};
    wire cy = mr[FW+1];
    wire signed [XW-1:0] e = $signed({{(XW-EW){1'b0}}, el} + {{(XW-1){1'b0}}, cyo}
                             + {{(XW-1){1'b0}}, cy} - (cyo ? {XW{1'b0}} : {{(XW-CW){1'b0}}, lz}));
    wire ovf = (e >= $signed(EMAX));
    wire unf = (e <= $signed({XW{1'b0}}));

    assign y = nan          ? {1'b0, {EW{1'b1}}, 1'b1, {(FW-1){1'b0}}}
             : inf          ? {inf_s, {EW{1'b1}}, {FW{1'b0}}}
             : (a_z & b_z)  ? {sa & sb, {(N-1){1'b0}}}
             : a_z          ? b
             : b_z          ? a
             : exact0       ? {N{1'b0}}
             : ovf          ? {sl, {EW{1'b1}}, {FW{1'b0}}}
             : unf          ? {sl, {(N-1){1'b0}}}
             :                {sl, e[EW-1:0], mr[FW-1:0]};
endmodule
