// pk_dot - one PE's dot product of a word pair (QUANT.md "Dot product",
// ARCHITECTURE_V1.md section 4).  Combinational (PROD_REG = 0); equals pk_q_dot().
//
// Parameters
//   LANES      V, reduction lanes
//   SLOT_BITS  L, bits per lane (1, 2, 4, 8)
//   MODES      bit i set: mode m = 2^i is supported (modes with m > L are
//              ignored)
//   OUT_BITS   width of dot (the exact sum, sign-extended or wrapped)
//   DSP_PAIRS  0: the modes m >= 2 share one bit-plane datapath (below);
//              > 0: every mode has its own multiplier set and in mode 4 the
//              slot pairs (2j, 2j+1), j < DSP_PAIRS, are each computed by one
//              wide multiplication (two 4-bit products per hardware
//              multiplier, below)
//   PREMASKED  1: a_word's bits of the slots >= nvalid are 0 (the caller
//              masked them in the layer's mode), so the bit planes need no
//              slot mask (they then ignore nvalid; mode 1 and the per-mode
//              datapath still use it); 0: any a_word
//   PAIRS_IN   1: the packed pairs' operands come formed on pair_ops (the
//              caller packs them in front of its operand register: pk_array
//              PIPE, ARCHITECTURE.md V2-11.5 "Timing, step 21"), and
//              w_word / a_word / nvalid do not reach those pairs; the caller
//              forms them from a PREMASKED word, so without the weight mask
//              (below), and gives X = 0 in a mode that is not built (pk_array:
//              its words are 0 there), so with mode 4 the only mode built and
//              each of its slots in a pair, dot is the pairs' sum without a
//              mode multiplexer; 0: pk_dot packs them itself (pair_ops unused)
//   PROD_REG   1 (with DSP_PAIRS > 0; pk_pe PROD_REG): the first level of
//              each mode's adder tree (the sums of its terms 2j and 2j + 1)
//              and mode_log2 are registered at the end of cycle X, the rest
//              of the trees and the mode multiplexer follow the register, so
//              dot in X + 1 is cycle X's dot product (ARCHITECTURE.md
//              V2-11.5 "Timing, step 23"); 0: combinational (clk unused)
// Ports
//   clk        PROD_REG's register
//   mode_log2  log2(m) of the layer's mode; an unsupported mode gives dot = 0
//   a_signed   activation slots read as sx (1) or zx (0); unused in mode 1
//   nvalid     slots [0, nvalid) count (all VP = V*L/m slots if nvalid >= VP)
//   w_word, a_word  slot e of mode m at bits [e*m, (e+1)*m)
//   pair_ops   PAIRS_IN = 1: pair e's X at [e*28 +: 14], Y at [e*28+14 +: 14]
//              (below), for e < min(DSP_PAIRS, VP / 2)
//
// Mode 1 (XNOR-popcount): each valid slot contributes +1 when the bits agree
// and -1 otherwise; invalid slots contribute 0; a balanced adder tree
// (pk_addtree) sums the +-1 terms.
//
// Bit planes (DSP_PAIRS = 0, modes m >= 2; ARCHITECTURE_V1.md 10.1): activation
// bit j of every lane (plane j, j < L) lies at position k = j % m of its
// slot, whose value is sum_k a_k 2^k with the top bit's weight negated when
// a_signed.  So dot = sum_j s_j 2^(j % m) P_j, P_j = sum over lanes i of
// a_ij * u_ij, u_ij = the weight of the slot holding bit j of lane i (an
// m-bit signed code, sign-extended to the widest built mode; 0 when that
// slot is invalid), s_j = -1 for the slots' top planes when a_signed, else
// +1.  The only per-mode logic is the choice of u_ij (a multiplexer per
// weight bit) and of the plane's shift and sign; the L plane sums (pk_addtree
// over the lanes), the sums of plane pairs (2k, 2k+1) and the final sum are
// shared by every mode.  -P is formed as ~P + 1, the +1 as the pair adder's
// carry-in (pk_dot_planes).
//
// Mode m > 1 with DSP_PAIRS > 0: VP products of an m-bit signed weight and an
// m-bit activation, both extended to m+1 bits (the activation by a_signed),
// so one signed (m+1)x(m+1) multiplier per slot, summed by pk_addtree.
//
// Packed pair (ARCHITECTURE_V1.md 10.1): with K = 9, X = a0 + a1*2^K (a 5-bit
// signed) and Y = w1 + w0*2^K (w 4-bit signed), 14 bits each,
// T = X*Y = a0*w1 + (a0*w0 + a1*w1)*2^K + a1*w0*2^(2K).  The low digit
// a0*w1 lies in [-120, 105], so T[K-1] is its sign and the middle digit, the
// pair's dot product S in [-240, 210], is T[2K-1:K] + T[K-1] (9 bits,
// wrapping); the tree adds each pair's T[2K-1:K] and, as one more term, the
// count of the pairs' T[K-1] bits.  The weight masks (w0, w1 zero for an
// invalid slot) are not needed when the activation is premasked: an invalid
// slot's a is 0, and the middle digit is exact for any w in [-8, 7] (the low
// digit a0*w1 stays in [-120, 105]); a caller that packs (PAIRS_IN) leaves
// them out.  Written as bits, X = {a1 - a0[4], sx9(a0)} and Y = {w0 - w1[3],
// sx9(w1)} (a 5-bit difference above, a sign extension below).  Both operands are wider than the ECP5
// flow's DSP threshold (gen/pk_genecp5.c), so each pair takes one MULT18X18D
// instead of two LUT multipliers; everywhere else DSP_PAIRS is 0.
module pk_dot #(
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter OUT_BITS = 32,
    parameter DSP_PAIRS = 0,
    parameter PREMASKED = 0,
    parameter PAIRS_IN = 0,
    parameter PROD_REG = 0
) (
    input  wire clk,
    input  wire [1:0] mode_log2,
    input  wire a_signed,
    input  wire [15:0] nvalid,
    input  wire [LANES*SLOT_BITS-1:0] w_word,
    input  wire [LANES*SLOT_BITS-1:0] a_word,
    input  wire [28*(DSP_PAIRS > 0 ? DSP_PAIRS : 1)-1:0] pair_ops,
    output reg signed [OUT_BITS-1:0] dot
);
    localparam WB = LANES * SLOT_BITS;
    localparam L = SLOT_BITS;
    localparam FUSE = (DSP_PAIRS == 0);
    // widest built mode (0: none >= 2)
    localparam MMAX = (MODES[3] && L >= 8) ? 8 : (MODES[2] && L >= 4) ? 4
                    : (MODES[1] && L >= 2) ? 2 : 0;
    localparam HAS_F = FUSE && MMAX >= 2;
    // the trees' first level registered (only with the per-mode multipliers: the bit
    // planes have their own tree)
    localparam PR = PROD_REG != 0 && !FUSE;

    // Sum of mode 2^i from its own datapath, OUT_BITS wide (0 when the mode
    // is not built or is on the bit-plane datapath).
    wire [4*OUT_BITS-1:0] sums;
    wire [3:0] used_a_signed;

    genvar i, e;
    generate
        for (i = 0; i < 4; i = i + 1) begin : g_mode
            localparam M = 1 << i;
            if (MODES[i] && M <= SLOT_BITS && !(FUSE && i > 0)) begin : g_on
                localparam VP = WB / M;
                // term width: |w| <= 2^(M-1) and |a| <= 2^M - 1, so a product
                // lies in [-(2^(2M-1) - 2^(M-1)), 2^(2M-2)]: 2M bits signed
                localparam PW = (M == 1) ? 2 : 2 * M;
                // packed pairs (mode 4): NPK terms of 9 bits, then the
                // remaining VP - 2*NPK products, all NT terms TW bits wide
                localparam NPK = (M != 4) ? 0 : (DSP_PAIRS < VP / 2) ? DSP_PAIRS : VP / 2;
                // + 1 term: the pairs' T[K-1] corrections, counted
                localparam NT = VP - NPK + (NPK > 0 ? 1 : 0);
                localparam TW = (NPK > 0) ? PW + 1 : PW;
                localparam SW = TW + $clog2(NT);           // exact sum width
                wire [NT*TW-1:0] terms;
                wire signed [SW-1:0] s;
                wire [NPK > 0 ? NPK - 1 : 0:0] neg;
                if (NPK > 0) begin : g_negs
                    // how many pairs' low digits are negative (each middle
                    // digit is 1 short), as the tree's last term
                    wire [NPK*2-1:0] nbits;
                    for (e = 0; e < NPK; e = e + 1) begin : g_nb
                        assign nbits[e*2 +: 2] = {1'b0, neg[e]};
                    end
                    wire signed [2+$clog2(NPK)-1:0] ncount;
                    pk_addtree #(.N(NPK), .W(2)) u_negs (.terms(nbits), .sum(ncount));
                    assign terms[(NT-1)*TW +: TW] = {{(TW-2-$clog2(NPK)){1'b0}}, ncount};
                end else begin : g_nonegs
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire unused_neg = neg[0];
                    /* verilator lint_on UNUSEDSIGNAL */
                    assign neg = 1'b0;
                end
                for (e = 0; e < NPK; e = e + 1) begin : g_pair
                    wire signed [13:0] x, y;
                    if (PAIRS_IN != 0) begin : g_in
                        assign x = pair_ops[e*28 +: 14];
                        assign y = pair_ops[e*28+14 +: 14];
                    end else begin : g_pack
                        localparam [15:0] E0 = 2 * e, E1 = 2 * e + 1;
                        wire [3:0] w0c = w_word[(2*e)*4 +: 4], w1c = w_word[(2*e+1)*4 +: 4];
                        wire [3:0] a0c = a_word[(2*e)*4 +: 4], a1c = a_word[(2*e+1)*4 +: 4];
                        wire signed [3:0] w0 = (nvalid > E0) ? w0c : 4'd0;
                        wire signed [3:0] w1 = (nvalid > E1) ? w1c : 4'd0;
                        wire signed [4:0] a0 = {a_signed & a0c[3], a0c};
                        wire signed [4:0] a1 = {a_signed & a1c[3], a1c};
                        assign x = {a1, 9'd0} + {{9{a0[4]}}, a0};
                        assign y = {w0[3], w0, 9'd0} + {{10{w1[3]}}, w1};
                    end
                    wire signed [27:0] t = x * y;
                    // the middle digit T[2K-1:K]; the low digit's sign T[K-1], with PR
                    // from the operands (beside the multiplier, not after it, so the
                    // count is in front of the register): the low digit a0 w1 lies in
                    // [-120, 105], so T[K-1] = (a0 w1 < 0), a0 = X[4:0] and w1 = Y[3:0]
                    assign terms[e*TW +: TW] = t[17:9];
                    if (PR) begin : g_ns
                        assign neg[e] = (x[4:0] != 5'd0) & (y[3:0] != 4'd0) & (x[4] ^ y[3]);
                    end else begin : g_nt
                        assign neg[e] = t[8];
                    end
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire unused_t = &{1'b0, t[27:18], t[8:0]};
                    /* verilator lint_on UNUSEDSIGNAL */
                end
                for (e = 0; e < VP; e = e + 1) begin : g_slot
                    if (e >= 2 * NPK) begin : g_lut
                        localparam [15:0] E16 = e;
                        wire valid = nvalid > E16;
                        wire [M-1:0] wc = w_word[e*M +: M];
                        wire [M-1:0] ac = a_word[e*M +: M];
                        wire [PW-1:0] p;
                        if (M == 1) begin : g_xnor
                            // +1 = 2'b01, -1 = 2'b11, 0 = 2'b00
                            assign p = valid ? {wc[0] ^ ac[0], 1'b1} : 2'b00;
                        end else begin : g_mul
                            // an invalid slot multiplies by 0 (masking the M-bit
                            // operand is cheaper than masking the product); a
                            // signed M x (M+1) multiply, not a PW x PW one
                            wire signed [M-1:0] wv = valid ? wc : {M{1'b0}};
                            wire signed [M:0] av = {a_signed & ac[M-1], ac};
                            wire signed [PW-1:0] pm = wv * av;
                            assign p = pm;
                        end
                        if (TW > PW) begin : g_sx
                            assign terms[(e-NPK)*TW +: TW] = {p[PW-1], p};
                        end else begin : g_eq
                            assign terms[(e-NPK)*TW +: TW] = p;
                        end
                    end
                end
                if (PR) begin : g_t2
                    // PR: the tree's first level (pk_addtree's sums of the terms 2j and
                    // 2j + 1, TW + 1 bits) in front of the register, the rest after it;
                    // the same sum (SW = HW + clog2(NH) when NT >= 2, else 1 bit more)
                    localparam NH = (NT + 1) / 2;
                    localparam HW = TW + 1;
                    localparam S2 = HW + $clog2(NH);
                    wire [NH*HW-1:0] hs;
                    for (e = 0; e < NH; e = e + 1) begin : g_h
                        wire signed [TW-1:0] ta = terms[(2*e)*TW +: TW];
                        wire signed [HW-1:0] hc;
                        if (2 * e + 1 < NT) begin : g_2
                            wire signed [TW-1:0] tb = terms[(2*e+1)*TW +: TW];
                            assign hc = {ta[TW-1], ta} + {tb[TW-1], tb};
                        end else begin : g_1
                            assign hc = {ta[TW-1], ta};
                        end
                        reg [HW-1:0] h_r;
                        always @(posedge clk)
                            h_r <= hc;
                        assign hs[e*HW +: HW] = h_r;
                    end
                    wire signed [S2-1:0] s2;
                    pk_addtree #(.N(NH), .W(HW)) u_tree (.terms(hs), .sum(s2));
                    assign s = s2[SW-1:0];
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire unused_s2 = &{1'b0, s2};
                    /* verilator lint_on UNUSEDSIGNAL */
                end else begin : g_t1
                    pk_addtree #(.N(NT), .W(TW)) u_tree (.terms(terms), .sum(s));
                end
                if (SW > OUT_BITS) begin : g_wrap
                    // only when OUT_BITS is narrower than any possible sum
                    assign sums[i*OUT_BITS +: OUT_BITS] = s[OUT_BITS-1:0];
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire unused_hi = &{1'b0, s[SW-1:OUT_BITS]};
                    /* verilator lint_on UNUSEDSIGNAL */
                end else if (SW == OUT_BITS) begin : g_fit
                    assign sums[i*OUT_BITS +: OUT_BITS] = s;
                end else begin : g_ext
                    assign sums[i*OUT_BITS +: OUT_BITS] = {{(OUT_BITS-SW){s[SW-1]}}, s};
                end
                assign used_a_signed[i] = (M > 1) & a_signed;
            end else begin : g_off
                assign sums[i*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b0}};
                assign used_a_signed[i] = 1'b0;
            end
        end
    endgenerate

    // the bit-plane datapath's sum (modes >= 2), OUT_BITS wide
    wire signed [OUT_BITS-1:0] fsum;
    generate
        if (HAS_F) begin : g_fuse
            pk_dot_planes #(.LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
                            .MMAX(MMAX), .OUT_BITS(OUT_BITS)) u_planes (
                .mode_log2(mode_log2), .a_signed(a_signed),
                .nvalid(PREMASKED != 0 ? 16'hffff : nvalid),
                .w_word(w_word), .a_word(a_word), .dot(fsum));
        end else begin : g_nofuse
            assign fsum = {OUT_BITS{1'b0}};
        end
    endgenerate

    // fsum is 0 in mode 1, and so is sums[0] when mode 1 is not built: then
    // dot = fsum in every mode, without a multiplexer
    localparam ONLY_F = HAS_F && !MODES[0];
    // PAIRS_IN with mode 4 the only mode built and each of its slots in a pair: the
    // caller's pair operands are 0 in the other modes (they are not built), so sums[2]
    // is 0 there too and dot = sums[2] in every mode, without a multiplexer
    localparam VP4 = WB / 4;
    localparam ONLY_P = PAIRS_IN != 0 && !FUSE && MODES[2] && L >= 4 && DSP_PAIRS >= VP4 / 2 &&
                        VP4 % 2 == 0 && !MODES[0] && !(MODES[1] && L >= 2) && !(MODES[3] && L >= 8);
    // the multiplexer's mode: cycle X's, registered with the first sums (PR)
    wire [1:0] msel;
    generate
        if (PR && !ONLY_P) begin : g_mr
            reg [1:0] m_r;
            always @(posedge clk)
                m_r <= mode_log2;
            assign msel = m_r;
        end else begin : g_mc
            assign msel = mode_log2;
        end
    endgenerate
    always @* begin
        if (ONLY_P)
            dot = sums[2*OUT_BITS +: OUT_BITS];
        else case (msel)
            2'd0: dot = ONLY_F ? fsum : sums[0*OUT_BITS +: OUT_BITS];
            2'd1: dot = HAS_F ? fsum : sums[1*OUT_BITS +: OUT_BITS];
            2'd2: dot = HAS_F ? fsum : sums[2*OUT_BITS +: OUT_BITS];
            default: dot = HAS_F ? fsum : sums[3*OUT_BITS +: OUT_BITS];
        endcase
    end

    // a_signed is unused when only mode 1 is built.
    /* verilator lint_off UNUSEDSIGNAL */
    // (PAIRS_IN: the words' pair slots and all of pair_ops' bits past the pairs)
    wire unused_ok = &{1'b0, a_signed, used_a_signed, nvalid, pair_ops, w_word, a_word,
                       mode_log2, msel, sums, clk};   // (ONLY_P: one mode's sum; PR: clk)
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
