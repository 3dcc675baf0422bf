// pk_rshr_fin - the second half of pk_rshr (QUANT.md rshr / rshr_e) and
// sat_s: from pk_rshr_sh's outputs, the last LB steps of the shift and the
// tie of the bits they drop, the round decision, the +1 and the saturation:
//   q    = (pa >> s_lo)'s bits P..1: floor(x / 2^s)'s low P bits
//   rb   = (pa >> s_lo)'s bit 0: the round bit (bit s-1 of x)
//   up   = rb && !(rne && tie' && !q[0]), tie' = tie and pa's bits below
//          s_lo all 0 (half to even rounds an exact tie to the even q)
//   inc  = q + up in P bits (pk_rshr's y when P = W: it cannot wrap then)
//   y    = sat_s(q + up, P): not fits: the bound of neg's sign; inc wrapped
//          (only from q = 2^(P-1) - 1, up = 1): the maximum; else inc
//   sat  = y is a bound (!fits or inc wrapped); bneg = y is the lower bound
// Combinational.  pk_ppu uses it twice (stages 2 and 4), pk_quantnorm,
// pk_requant and pk_rshr once.  Requires P >= 2, LB >= 0.
module pk_rshr_fin #(
    parameter P = 32,
    parameter LB = 0
) (
    input  wire [P+(1<<LB)-1:0] pa,
    input  wire [(LB > 0 ? LB : 1)-1:0] s_lo,
    input  wire tie,
    input  wire fits,
    input  wire neg,
    input  wire rne,
    output wire signed [P-1:0] y,
    output wire signed [P-1:0] inc,
    output wire signed [P-1:0] q,
    output wire up,
    output wire sat,
    output wire bneg
);
    localparam N = 1 << LB;
    wire rb, tie_a;
    generate
        if (LB > 0) begin : g_sh
            /* verilator lint_off UNUSEDSIGNAL */
            wire [P+N-1:0] qq = pa >> s_lo;
            /* verilator lint_on UNUSEDSIGNAL */
            wire [N-2:0] lm = ~({(N-1){1'b1}} << s_lo);
            assign q = qq[P:1];
            assign rb = qq[0];
            assign tie_a = tie && ((pa[N-2:0] & lm) == {(N-1){1'b0}});
        end else begin : g_nosh
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_s = s_lo[0];
            /* verilator lint_on UNUSEDSIGNAL */
            assign q = pa[P:1];
            assign rb = pa[0];
            assign tie_a = tie;
        end
    endgenerate
    assign up = rb && !(rne && tie_a && !q[0]);
    assign inc = q + {{(P-1){1'b0}}, up};
    wire ovf = !q[P-1] && inc[P-1];
    assign sat = !fits || ovf;
    assign bneg = !fits && neg;
    assign y = !fits ? {neg, {(P-1){!neg}}} : ovf ? {1'b0, {(P-1){1'b1}}} : inc;
endmodule
