// pk_rshr_sh - the first half of pk_rshr (QUANT.md rshr / rshr_e) with the
// test for sat_s's range: the shift of x by s, the round bit and the tie, up
// to the point where pk_rshr_fin takes over (adds the round bit, saturates).
// pk_rshr, pk_quantnorm and pk_requant are this half and pk_rshr_fin joined;
// pk_ppu's stages 1 and 3 end here (REG = 1), stages 2 and 4 begin with
// pk_rshr_fin (ARCHITECTURE.md V2-11.5 "Timing, step 11", "Review, step 1").
//
// xx = {x, 0} >>> s holds q = floor(x / 2^s) in bits W..1 and bit s-1 of x,
// the round bit, in bit 0.  This half shifts by s without its low LB bits
// (sh = s & ~(2^LB - 1)) and leaves the last LB steps to pk_rshr_fin:
//   pa    = ({x, 0} >>> sh)'s low P + 2^LB bits (q's low P bits and the round
//           bit once pk_rshr_fin shifts them by s_lo)
//   s_lo  = s's low LB bits (0 when LB = 0)
//   tie   = {x, 0}'s bits below sh are all 0 (pk_rshr_fin adds the bits it
//           drops: the remainder is then exactly one half when the round bit is 1)
//   fits  = q fits P bits: x's bits from s + P - 1 up all equal its sign
//           (a mask of s beside the shift, no compare after it)
//   neg   = x's sign (the bound sat_s takes when q does not fit)
// en = 0 gives xb instead (P bits, as a quotient of shift 0: pa = {xb, 0}
// sign-extended, s_lo 0, fits 1).  rne passes through to rne_o.
//
// REG = 0: combinational.  REG = 1: every output registered at clk (the
// stage boundary), rne_o the rne of the element registered.
// Requires W >= 2, SB >= 1, P >= 2, 0 <= LB <= SB.
module pk_rshr_sh #(
    parameter W = 32,
    parameter SB = 5,
    parameter P = 32,
    parameter LB = 0,
    parameter REG = 0
) (
    input  wire clk,
    input  wire signed [W-1:0] x,
    input  wire [SB-1:0] s,
    input  wire en,
    input  wire signed [P-1:0] xb,
    input  wire rne,
    output wire [P+(1<<LB)-1:0] pa,
    output wire [(LB > 0 ? LB : 1)-1:0] s_lo,
    output wire tie,
    output wire fits,
    output wire neg,
    output wire rne_o
);
    localparam N = 1 << LB;
    localparam PA = P + N;
    localparam LBW = LB > 0 ? LB : 1;
    localparam XW = (W + 1 > PA ? W + 1 : PA) + 1;

    wire signed [W:0] xx = {x, 1'b0};
    wire [SB-1:0] sh = (s >> LB) << LB;
    wire signed [XW-1:0] xw = {{(XW-W-1){xx[W]}}, xx};
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [XW-1:0] qa = xw >>> sh;                 // bits PA ..: fits below
    wire [PA:0] xbx = {{N{xb[P-1]}}, xb, 1'b0};          // bit PA: its sign again
    wire [SB:0] s_x = {1'b0, s};
    /* verilator lint_on UNUSEDSIGNAL */
    // xx's bits below sh are zero: a mask of sh (a decoder beside the shift,
    // not a second shifter after it; V2-11.5 "Timing, step 6")
    wire [W:0] lowm = ~({(W+1){1'b1}} << sh);
    wire tie_c = (xx & lowm) == {(W+1){1'b0}};
    wire [W-1:0] him = ({W{1'b1}} << (P - 1)) << s;
    wire fits_c = ((x ^ {W{x[W-1]}}) & him) == {W{1'b0}};

    wire [PA-1:0] pa_c = en ? qa[PA-1:0] : xbx[PA-1:0];
    wire [LBW-1:0] s_lo_c = (en && LB > 0) ? s_x[LBW-1:0] : {LBW{1'b0}};
    wire fits_e = !en || fits_c;

    generate
        if (REG != 0) begin : g_reg
            reg [PA-1:0] pa_r;
            reg [LBW-1:0] s_lo_r;
            reg tie_r, fits_r, neg_r, rne_r;
            always @(posedge clk) begin
                pa_r <= pa_c;
                s_lo_r <= s_lo_c;
                tie_r <= tie_c;
                fits_r <= fits_e;
                neg_r <= x[W-1];
                rne_r <= rne;
            end
            assign pa = pa_r;
            assign s_lo = s_lo_r;
            assign tie = tie_r;
            assign fits = fits_r;
            assign neg = neg_r;
            assign rne_o = rne_r;
        end else begin : g_comb
            assign pa = pa_c;
            assign s_lo = s_lo_c;
            assign tie = tie_c;
            assign fits = fits_e;
            assign neg = x[W-1];
            assign rne_o = rne;
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_clk = clk;
            /* verilator lint_on UNUSEDSIGNAL */
        end
    endgenerate
endmodule
