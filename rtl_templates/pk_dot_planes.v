// pk_dot_planes - pk_dot's bit-plane datapath: one PE's dot product in every
// built mode m >= 2 on one shared set of adders (ARCHITECTURE_V1.md 10.1).
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
// only picks u_ij; the L plane trees (V terms of MMAX bits), the L / 2 pair
// adders and the final tree are the same adders in every mode.  Planes 2k and
// 2k+1 differ in shift by 1 in every mode m >= 2, so each pair is summed
// first, D_k = P_2k + 2 s P_2k+1, s = -1 when plane 2k+1 is its slot's sign
// plane ((2k+1) % m == m-1) and a_signed, else 1; a negated plane enters the
// pair adder as ~P_2k+1 with carry-in 1 (no correction constant), and the
// final tree sums the L / 2 terms D_k << (2k % m).
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
    // D_k = P_2k + 2 s P_2k+1, exact in PW + 2 bits; shifted by < MMAX - 1
    localparam NPAIR = L / 2;
    localparam DW = PW + 2;
    localparam TW = DW + MMAX - 2;
    localparam SW = TW + $clog2(NPAIR);      // final sum, exact
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
    wire [NPAIR*TW-1:0] pairs;
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

    // plane sums P_j
    wire [L*PW-1:0] psum;
    genvar j;
    generate
        for (j = 0; j < L; j = j + 1) begin : g_plane
            pk_addtree #(.N(V), .W(UW)) u_tree (.terms(terms[j*V*UW +: V*UW]),
                                                 .sum(psum[j*PW +: PW]));
        end
    endgenerate

    // plane pairs (2k, 2k+1): in every mode m >= 2 plane 2k+1 has the shift
    // of plane 2k plus 1, so D_k = P_2k + 2 s P_2k+1 (s = -1 when plane 2k+1
    // is its slot's sign plane and a_signed) is one adder in every mode; the
    // negation is ~P + 1, its +1 the adder's carry-in (bit 0 of D_k is bit 0
    // of P_2k).  D_k enters the final tree shifted by 2k mod m.
    genvar k;
    generate
        for (k = 0; k < NPAIR; k = k + 1) begin : g_pair
            localparam SH1 = 0, SH2 = (2 * k) % 4, SH3 = (2 * k) % 8;
            localparam SHD = B[1] ? SH1 : B[2] ? SH2 : SH3;
            localparam [0:0] N2 = ((2 * k + 1) % 4 == 3), N3 = ((2 * k + 1) % 8 == 7);
            wire signed [PW-1:0] p0 = psum[(2*k)*PW +: PW];
            wire signed [PW-1:0] p1 = psum[(2*k+1)*PW +: PW];
            wire neg = a_signed & (msel[1] | (msel[2] & N2) | (msel[3] & N3));
            wire [PW-1:0] p1x = p1 ^ {PW{neg}};
            wire [PW:0] hi = {{2{p0[PW-1]}}, p0[PW-1:1]} + {p1x[PW-1], p1x} + {{PW{1'b0}}, neg};
            wire signed [DW-1:0] d = {hi, p0[0]};
            wire signed [TW-1:0] dx = {{(TW-DW){d[DW-1]}}, d};
            assign pairs[k*TW +: TW] = msel[3] ? dx <<< SH3 : msel[2] ? dx <<< SH2 : dx <<< SHD;
        end
    endgenerate

    wire signed [SW-1:0] s;
    pk_addtree #(.N(NPAIR), .W(TW)) u_sum (.terms(pairs), .sum(s));
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
