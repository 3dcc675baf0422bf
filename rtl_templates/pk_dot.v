// pk_dot - one PE's dot product of a word pair (QUANT.md "Dot product",
// ARCHITECTURE.md sections 4 and 10).  Combinational; equals pk_q_dot().
//
// Parameters
//   LANES      V, reduction lanes
//   SLOT_BITS  L, bits per lane (1, 2, 4, 8)
//   MODES      bit i set: mode m = 2^i is supported (modes with m > L are
//              ignored); all supported modes share one datapath
//   OUT_BITS   width of dot (the exact sum, sign-extended or wrapped)
// Ports
//   mode_log2  log2(m) of the layer's mode; an unsupported mode gives dot = 0
//   a_signed   activation slots read as sx (1) or zx (0); unused in mode 1
//   nvalid     slots [0, nvalid) count (all VP = V*L/m slots if nvalid >= VP)
//   w_word, a_word  slot e of mode m at bits [e*m, (e+1)*m)
//
// One fused datapath for every mode (ARCHITECTURE.md 10.1).  Each lane is an
// L x L partial-product matrix pp(i, j) = w_i & a'_j, where a' is the lane's
// activation bits with the slot order reversed for the current mode (slot f of
// a' holds slot S-1-f of a, S = L/m).  In mode m exactly the blocks where
// w slot e meets a' slot S-1-e are enabled, so every product of the lane lands
// at the same weight 2^(L-m) and the matrix sums to (sum of the lane's slot
// products) << (L-m).  Signs are Baugh-Wooley: a pp bit with exactly one
// negative factor (w slot MSB; a slot MSB when a_signed) is inverted and its
// weight is subtracted once, as a constant K(mode, a_signed) for the whole PE
// (masking w of an invalid slot to 0 keeps that identity exact).  Mode 1
// (XNOR-popcount) uses the anti-diagonal only, as w ^ a with both operands
// masked: dot = n - 2 * (number of valid differing bits).  The rows are summed
// over lanes first (pk_addtree, unsigned) and then shifted together, so the
// only per-mode logic is the a' selection, the enables and the final shift.
module pk_dot #(
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter OUT_BITS = 32
) (
    input  wire [1:0] mode_log2,
    input  wire a_signed,
    input  wire [15:0] nvalid,
    input  wire [LANES*SLOT_BITS-1:0] w_word,
    input  wire [LANES*SLOT_BITS-1:0] a_word,
    output wire signed [OUT_BITS-1:0] dot
);
    localparam V = LANES;
    localparam L = SLOT_BITS;
    localparam WB = V * L;
    localparam NB = $clog2(WB + 1);       // T = valid bits, 0..WB
    localparam SU = 2 * L + $clog2(V);    // unsigned matrix sum over the PE
    localparam WT = SU + 1;               // sum + K, exact as signed

    // mode 2^k is built when MODES has bit k and 2^k <= L
    function built;
        input integer k;
        begin
            built = (((MODES >> k) & 1) == 1) && ((1 << k) <= L);
        end
    endfunction

    // block (i / m, j / m) is enabled in mode m = 2^k
    function active;
        input integer k, i, j;
        begin
            active = built(k) && ((i >> k) + (j >> k) == (L >> k) - 1);
        end
    endfunction

    // bit i is the MSB of its slot in mode m = 2^k > 1 (a negative weight)
    function slot_msb;
        input integer k, i;
        begin
            slot_msb = (k > 0) && ((i & ((1 << k) - 1)) == (1 << k) - 1);
        end
    endfunction

    // a' bit j of mode 2^k comes from lane bit rev(k, j) of a
    function integer rev;
        input integer k, j;
        begin
            rev = ((L >> k) - 1 - (j >> k)) * (1 << k) + (j & ((1 << k) - 1));
        end
    endfunction

    // V * (sum of the weights of the inverted pp bits) in mode 2^k
    function [63:0] kneg;
        input integer k, s;
        integer i, j;
        begin
            kneg = 64'd0;
            for (i = 0; i < L; i = i + 1)
                for (j = 0; j < L; j = j + 1)
                    if (active(k, i, j) && (slot_msb(k, i) != (s != 0 && slot_msb(k, j))))
                        kneg = kneg + (64'd1 << (i + j));
            kneg = kneg * V;
        end
    endfunction

    genvar gk, gg, gl, gi, gj;

    // ---- mode decode, valid bits, masked operands --------------------------
    wire [3:0] on;          // one-hot of the layer's mode, 0 when not built
    wire [4*NB-1:0] tk;     // valid bits of mode 2^k: min(nvalid, VP) << k
    generate
        for (gk = 0; gk < 4; gk = gk + 1) begin : g_mode
            if (built(gk)) begin : g_on
                localparam integer VPK = WB >> gk;
                localparam integer WBI = WB;
                assign on[gk] = (mode_log2 == gk);
                assign tk[gk*NB +: NB] = !on[gk] ? {NB{1'b0}}
                                      : (nvalid >= VPK[15:0]) ? WBI[NB-1:0] : (nvalid[NB-1:0] << gk);
            end else begin : g_off
                assign on[gk] = 1'b0;
                assign tk[gk*NB +: NB] = {NB{1'b0}};
            end
        end
    endgenerate
    wire [NB-1:0] T = tk[0 +: NB] | tk[NB +: NB] | tk[2*NB +: NB] | tk[3*NB +: NB];

    wire [WB-1:0] vbit;     // word bit g belongs to a valid slot
    generate
        for (gg = 0; gg < WB; gg = gg + 1) begin : g_valid
            localparam [NB-1:0] G = gg;
            assign vbit[gg] = T > G;
        end
    endgenerate
    wire [WB-1:0] wm = w_word & vbit;
    wire [WB-1:0] am = a_word & (vbit | {WB{~on[0]}});   // masked for mode 1 only

    // ---- per-position enables and inversions (shared by all lanes) ---------
    wire [L*L-1:0] en, inv;
    generate
        for (gi = 0; gi < L; gi = gi + 1) begin : g_pi
            for (gj = 0; gj < L; gj = gj + 1) begin : g_pj
                localparam [3:0] ACT = {active(3, gi, gj), active(2, gi, gj), active(1, gi, gj), active(0, gi, gj)};
                localparam [3:0] NW = ACT & {slot_msb(3, gi), slot_msb(2, gi), slot_msb(1, gi), 1'b0};
                localparam [3:0] NA = ACT & {slot_msb(3, gj), slot_msb(2, gj), slot_msb(1, gj), 1'b0};
                assign en[gi*L + gj] = |(on & ACT);
                assign inv[gi*L + gj] = (|(on & NW)) ^ (a_signed & (|(on & NA)));
            end
        end
    endgenerate

    // ---- lanes: a' and the partial-product rows ----------------------------
    // rows[i] holds row i (w bit i times a') of every lane, lane l at [l*L +: L]
    wire [L*WB-1:0] rows;
    generate
        for (gl = 0; gl < V; gl = gl + 1) begin : g_lane
            wire [L-1:0] wl = wm[gl*L +: L];
            wire [L-1:0] ap;
            for (gj = 0; gj < L; gj = gj + 1) begin : g_ap
                wire [3:0] src;
                for (gk = 0; gk < 4; gk = gk + 1) begin : g_src
                    if (built(gk)) begin : g_on
                        assign src[gk] = on[gk] & am[gl*L + rev(gk, gj)];
                    end else begin : g_off
                        assign src[gk] = 1'b0;
                    end
                end
                assign ap[gj] = |src;
            end
            for (gi = 0; gi < L; gi = gi + 1) begin : g_row
                for (gj = 0; gj < L; gj = gj + 1) begin : g_pp
                    assign rows[gi*WB + gl*L + gj] = en[gi*L + gj] &
                        (on[0] ? (wl[gi] ^ ap[gj]) : ((wl[gi] & ap[gj]) ^ inv[gi*L + gj]));
                end
            end
        end
    endgenerate

    // ---- sums: each row over the lanes, then the rows at their weights -----
    localparam RW = L + $clog2(V);
    wire [L*RW-1:0] rsum;
    // part[i] = sum of rows 0 .. i-1, weighted (split_var: no false loop)
    wire [(L+1)*SU-1:0] part /* verilator split_var */;
    assign part[0 +: SU] = {SU{1'b0}};
    generate
        for (gi = 0; gi < L; gi = gi + 1) begin : g_rsum
            if (V > 1) begin : g_tree
                pk_addtree #(.N(V), .W(L), .SIGNED(0)) u_tree (
                    .terms(rows[gi*WB +: WB]), .sum(rsum[gi*RW +: RW]));
            end else begin : g_one
                assign rsum[gi*RW +: RW] = rows[gi*WB +: WB];
            end
            wire [SU-1:0] r_at = {{(SU-RW){1'b0}}, rsum[gi*RW +: RW]} << gi;
            assign part[(gi+1)*SU +: SU] = part[gi*SU +: SU] + r_at;
        end
    endgenerate
    wire [SU-1:0] msum = part[L*SU +: SU];

    // ---- correction, shift and mode select ---------------------------------
    // kk / dk: the correction and the result of mode 2^k, 0 unless selected
    wire [4*WT-1:0] kk, dk;
    wire [WT-1:0] kc = kk[0 +: WT] | kk[WT +: WT] | kk[2*WT +: WT] | kk[3*WT +: WT];
    wire signed [WT-1:0] tot = {1'b0, msum} + kc;

    // mode 1: n - 2 * (differing valid bits), the differing bits at 2^(L-1)
    // (at most WB of them, so NB bits hold the count; NB + 2 <= WT)
    wire signed [NB+1:0] d1n = $signed({2'b00, T}) - $signed({1'b0, msum[L-1 +: NB], 1'b0});
    wire signed [WT-1:0] d1 = {{(WT-NB-2){d1n[NB+1]}}, d1n};

    generate
        for (gk = 0; gk < 4; gk = gk + 1) begin : g_sel
            if (built(gk) && gk == 0) begin : g_xnor
                assign kk[0 +: WT] = {WT{1'b0}};
                assign dk[0 +: WT] = on[0] ? d1 : {WT{1'b0}};
            end else if (built(gk)) begin : g_mul
                localparam [63:0] K0 = 64'd0 - kneg(gk, 0);
                localparam [63:0] K1 = 64'd0 - kneg(gk, 1);
                wire signed [WT-1:0] sh = tot >>> (L - (1 << gk));
                assign kk[gk*WT +: WT] = !on[gk] ? {WT{1'b0}} : a_signed ? K1[WT-1:0] : K0[WT-1:0];
                assign dk[gk*WT +: WT] = on[gk] ? sh : {WT{1'b0}};
            end else begin : g_off
                assign kk[gk*WT +: WT] = {WT{1'b0}};
                assign dk[gk*WT +: WT] = {WT{1'b0}};
            end
        end
    endgenerate
    wire [WT-1:0] dsel = dk[0 +: WT] | dk[WT +: WT] | dk[2*WT +: WT] | dk[3*WT +: WT];

    generate
        if (WT >= OUT_BITS) begin : g_wrap
            assign dot = dsel[OUT_BITS-1:0];
        end else begin : g_ext
            assign dot = {{(OUT_BITS-WT){dsel[WT-1]}}, dsel};
        end
    endgenerate

    // Bits some parameter sets leave unused (a_signed with mode 1 only, low
    // matrix bits, high result bits when OUT_BITS is narrow).
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ok = &{1'b0, a_signed, msum, dsel, tot, T, d1};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
