// pk_dot_planes - pk_dot's bit-plane datapath: one PE's dot product in every
// built mode m >= 2 on one shared set of adders (ARCHITECTURE.md 10.1).
// Combinational; equals pk_q_dot() for m >= 2 (0 in mode 1 or an unbuilt
// mode: pk_dot selects its XNOR-popcount sum there).
//
// Parameters
//   LANES, SLOT_BITS, MODES, OUT_BITS  as pk_dot (V, L, mode mask, width)
//   MMAX       the widest built mode >= 2 (2, 4 or 8; pk_dot computes it)
// Ports: as pk_dot.
//
// Plane j (j < L) is activation bit j of every lane.  In mode m it is bit
// k = j % m of its slot, of weight 2^k, negated for k = m - 1 when a_signed
// (the slot's sign bit).  Hence dot = sum_j s_j 2^(j % m) P_j with
// P_j = sum over lanes i of a_ij * u_ij, u_ij = the m-bit signed weight of
// the slot holding bit j of lane i, sign-extended to MMAX bits (0 when the
// slot is invalid: the activation bit is masked).  Per (lane, plane) the mode
// only picks u_ij; the L plane trees (V terms of MMAX bits) and the final
// tree (L shifted planes and one constant) are the same adders in every mode.
// A negated plane enters as ~P_j; the mode's +1 corrections, 2^(m-1) for each
// of its L / m top planes, are the final tree's last term.
module pk_dot_planes #(
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter MMAX = 8,
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
    localparam UW = MMAX;                    // u_ij
    localparam PW = UW + $clog2(V);          // P_j, exact
    // a shifted plane (shift < MMAX) and the corrections term, at most
    // (L / MMAX) * 2^(MMAX-1) (its value in mode MMAX, the largest)
    localparam TW0 = PW + MMAX - 1;
    localparam CW = $clog2((L / MMAX) * (1 << (MMAX - 1)) + 1) + 1;
    localparam TW = TW0 > CW ? TW0 : CW;
    localparam NT = L + 1;
    localparam SW = TW + $clog2(NT);         // final sum, exact
    // mode 2^k built (k = 1, 2, 3)
    localparam [3:1] B = {MODES[3] && L >= 8, MODES[2] && L >= 4, MODES[1] && L >= 2};

    wire [3:1] msel;                         // the layer's mode, if built
    assign msel[1] = B[1] && mode_log2 == 2'd1;
    assign msel[2] = B[2] && mode_log2 == 2'd2;
    assign msel[3] = B[3] && mode_log2 == 2'd3;

    // term of lane i in plane j at bits [(j*V + i)*UW +: UW]; one process
    // over the word's bits (no generate block per bit: Icarus elaborates a
    // PE array of those several times slower)
    reg [L*V*UW-1:0] terms;
    reg [UW-1:0] u;
    reg vld;
    integer b;
    always @* begin
        terms = {(L*V*UW){1'b0}};
        for (b = 0; b < V * L; b = b + 1) begin
            // bit b is in slot b / m; its weight, sign-extended to UW bits
            u = {UW{1'b0}};
            vld = 1'b0;
            if (msel[1]) begin
                vld = {16'd0, nvalid} > b / 2;
                u = slot_w(w_word, b / 2 * 2, 2);
            end
            if (msel[2]) begin
                vld = {16'd0, nvalid} > b / 4;
                u = slot_w(w_word, b / 4 * 4, 4);
            end
            if (msel[3]) begin
                vld = {16'd0, nvalid} > b / 8;
                u = slot_w(w_word, b / 8 * 8, 8);
            end
            if (vld && a_word[b])
                terms[((b % L) * V + b / L) * UW +: UW] = u;
        end
    end

    // the m-bit code at bits [lo, lo + m) of w, sign-extended to UW bits
    function [UW-1:0] slot_w;
        input [V*L-1:0] w;
        input integer lo, m;
        integer q;
        begin
            for (q = 0; q < UW; q = q + 1)
                slot_w[q] = w[lo + (q < m ? q : m - 1)];
        end
    endfunction

    wire [NT*TW-1:0] planes;
    genvar j;
    generate
        for (j = 0; j < L; j = j + 1) begin : g_plane
            // shift and sign of plane j in mode 2^k; modes 1 and unbuilt (all
            // terms 0) take the smallest built mode's shift, so a plane whose
            // shift is the same in every built mode has no multiplexer
            localparam SH1 = j % 2, SH2 = j % 4, SH3 = j % 8;
            localparam SHD = B[1] ? SH1 : B[2] ? SH2 : SH3;
            localparam [0:0] N1 = (SH1 == 1), N2 = (SH2 == 3), N3 = (SH3 == 7);
            wire signed [PW-1:0] p;
            pk_addtree #(.N(V), .W(UW)) u_tree (.terms(terms[j*V*UW +: V*UW]), .sum(p));
            wire neg = a_signed & ((msel[1] & N1) | (msel[2] & N2) | (msel[3] & N3));
            wire signed [TW-1:0] px = {{(TW-PW){p[PW-1]}}, p} ^ {TW{neg}};
            assign planes[j*TW +: TW] = msel[3] ? px <<< SH3 : msel[2] ? px <<< SH2 : px <<< SHD;
        end
    endgenerate

    // the +1 of every negated plane: L / m planes of weight 2^(m-1)
    localparam integer CI1 = L, CI2 = L * 2, CI3 = L * 16;
    localparam [TW-1:0] C1 = CI1[TW-1:0], C2 = CI2[TW-1:0], C3 = CI3[TW-1:0];
    assign planes[L*TW +: TW] = !a_signed ? {TW{1'b0}} : msel[3] ? C3 : msel[2] ? C2
                              : msel[1] ? C1 : {TW{1'b0}};

    wire signed [SW-1:0] s;
    pk_addtree #(.N(NT), .W(TW)) u_sum (.terms(planes), .sum(s));
    generate
        if (SW > OUT_BITS) begin : g_wrap
            assign dot = s[OUT_BITS-1:0];
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_hi = &{1'b0, s[SW-1:OUT_BITS]};
            /* verilator lint_on UNUSEDSIGNAL */
        end else if (SW == OUT_BITS) begin : g_fit
            assign dot = s;
        end else begin : g_ext
            assign dot = {{(OUT_BITS-SW){s[SW-1]}}, s};
        end
    endgenerate
endmodule
