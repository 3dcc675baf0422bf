// pk_rshr - rounding shift right (QUANT.md rshr / rshr_e):
//   y = x                               if s == 0
//   y = floor((x + 2^(s-1)) / 2^s)      otherwise, for every s < 2^SB (half up)
//   and with rne = 1 (round half to even) an exact tie (x mod 2^s == 2^(s-1))
//   whose half-up result is odd gives that result minus 1.
//
// Computed without the wide rounding adder: qq = {x, 0} >>> s (arithmetic, so
// any s beyond the width yields the sign) holds floor(x / 2^s) in its upper W
// bits and bit s-1 of x in bit 0 (0 when s == 0); that bit is exactly "the
// dropped remainder reaches one half", so y = qq[W:1] + qq[0].  The sum
// cannot overflow: for s >= 1, |floor(x / 2^s)| <= 2^(W-2).  The remainder is
// exactly one half when, in addition, no bit below s-1 is set, i.e. when
// qq <<< s gives back {x, 0}; half to even then adds the round bit only if
// the quotient qq[W:1] is odd (it rounds to q, even, instead of q + 1).
// Combinational.  Requires W >= 2, SB >= 1.
module pk_rshr #(
    parameter W = 32,
    parameter SB = 5
) (
    input  wire signed [W-1:0] x,
    input  wire [SB-1:0] s,
    input  wire rne,
    output wire signed [W-1:0] y
);
    wire signed [W:0] xx = {x, 1'b0};
    wire signed [W:0] qq = xx >>> s;
    // (qq <<< s) == xx, i.e. xx's bits below s are zero: a mask of s (a decoder beside
    // the shift, not a second shifter after it; ARCHITECTURE_V2.md V2-11.5 "Timing, step 6")
    wire [W:0] ones = {(W+1){1'b1}};
    wire [W:0] lowm = ~(ones << s);
    wire tie = (xx & lowm) == {(W+1){1'b0}};
    wire up = qq[0] && !(rne && tie && !qq[1]);
    assign y = qq[W:1] + {{(W-1){1'b0}}, up};
endmodule
