// pk_pe - one processing element: a registered dot product (pk_dot) and two
// accumulator banks (ARCHITECTURE_V1.md 7.3).  Equals pk_q_acc_update() per
// accepted word.
//
// Timing: in cycle X the operands and controls are present with in_valid = 1;
// the dot product (PROD_REG: its first sums) and the controls are registered
// at the end of X; the selected bank is updated at the end of X+1.  rd_acc is
// a combinational read of bank rd_bank (reading the bank being written returns
// the old value).
// rst is synchronous, active high: clears the pipeline valid bit and both
// banks.
//
// Update of bank `bank` (A = ACC_BITS), by op:
//   0 sum : first ? dot : acc + dot     (no saturation; the config bounds acc)
//   1 max : base = first ? -2^(A-1) : acc; nvalid != 0 ? max(base, dot) : base
//           (a word without valid slots, e.g. a padding tap, is excluded)
//   2 load: sat_s(dot << a_shift, A)    (EW layers: operand A)
//   3     : unchanged
// Pooling feeds a weight word holding +1 in slot 0 and the activation in slot
// 0 with nvalid = 1; mode_log2 / a_signed / nvalid are those of pk_dot.
//
// Narrowing parameters (ARCHITECTURE_V1.md 10.2; the defaults give the plain
// contract above for any input, which the unit tests check):
//   PREMASKED  1: the caller has zeroed a_word's bits of the slots >= nvalid
//              (in the layer's mode), so the dot product's bit planes take no
//              slot masks (pk_dot PREMASKED); nvalid still drives mode 1,
//              the packed pairs and max's "no valid slot" test
//   PAIRS_IN   1: pk_dot's packed pairs take their operands from pair_ops,
//              formed by the caller in front of its operand register
//              (pk_dot PAIRS_IN; pk_array PIPE); 0: pair_ops unused
//   PROD_REG   1 (with DSP_PAIRS > 0): pk_dot registers its products' first
//              sums (and its mode) instead of this module registering dot,
//              so stage 1 ends a carry chain after the multipliers and the
//              rest of pk_dot's adder tree is in stage 2, in front of the
//              accumulate (pk_dot PROD_REG; pk_array PIPE with packed pairs;
//              ARCHITECTURE.md V2-11.5 "Timing, step 23"); the same dot
//              reaches stage 2 in X + 1, and the value written no longer
//              waits for max's compare (below)
//   OPND_BITS  the width of dot, signed, in ops max and load (the caller's
//              guarantee: pk_array's pooling and EW words are one slot-0
//              activation times +1, SLOT_BITS + 1 bits); the compare, the
//              shift and the saturation are built that wide, not ACC_BITS
// An op 3 word writes nothing (bank write enable off).
module pk_pe #(
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter ACC_BITS = 32,
    parameter DSP_PAIRS = 0,     // pk_dot's packed mode-4 slot pairs
    parameter PREMASKED = 0,
    parameter PAIRS_IN = 0,
    parameter PROD_REG = 0,
    parameter OPND_BITS = ACC_BITS
) (
    input  wire clk,
    input  wire rst,
    input  wire in_valid,
    input  wire [1:0] mode_log2,
    input  wire a_signed,
    input  wire [15:0] nvalid,
    input  wire [LANES*SLOT_BITS-1:0] w_word,
    input  wire [LANES*SLOT_BITS-1:0] a_word,
    input  wire [28*(DSP_PAIRS > 0 ? DSP_PAIRS : 1)-1:0] pair_ops,
    input  wire [1:0] op,
    input  wire first,
    input  wire bank,
    input  wire [3:0] a_shift,
    input  wire rd_bank,
    output wire signed [ACC_BITS-1:0] rd_acc
);
    localparam A = ACC_BITS;
    localparam PR = PROD_REG != 0 && DSP_PAIRS > 0;     // pk_dot's PR

    // dot_c: cycle X's dot product, or (PR) cycle X - 1's from pk_dot's register
    wire signed [A-1:0] dot_c;
    pk_dot #(.LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES), .OUT_BITS(A),
             .DSP_PAIRS(DSP_PAIRS), .PREMASKED(PREMASKED), .PAIRS_IN(PAIRS_IN),
             .PROD_REG(PR ? 1 : 0)) u_dot (
        .clk(clk), .mode_log2(mode_log2), .a_signed(a_signed), .nvalid(nvalid),
        .w_word(w_word), .a_word(a_word), .pair_ops(pair_ops), .dot(dot_c));

    // Stage 1: registered dot product (PR: in pk_dot, its first sums) and controls.
    reg v1;
    reg signed [A-1:0] dot_r;       // (PR: unused)
    reg [1:0] op_r;
    reg first_r, bank_r, has_r;
    reg [3:0] ash_r;
    always @(posedge clk) begin
        if (rst)
            v1 <= 1'b0;
        else
            v1 <= in_valid;
        dot_r <= dot_c;
        op_r <= op;
        first_r <= first;
        bank_r <= bank;
        has_r <= (nvalid != 16'd0);
        ash_r <= op[1] ? a_shift : 4'd0;    // max: shift 0
    end

    // Stage 2: accumulate, from dot_s: dot_r, or (PR) pk_dot's dot of its registered sums
    wire signed [A-1:0] dot_s = PR ? dot_c : dot_r;
    localparam W = OPND_BITS < A ? OPND_BITS : A;   // max / load operand
    localparam SHW = W + 15;                        // dot << a_shift, exact
    reg signed [A-1:0] acc0, acc1;
    wire signed [A-1:0] cur = bank_r ? acc1 : acc0;
    wire signed [A-1:0] acc_min = {1'b1, {(A-1){1'b0}}};

    wire signed [A-1:0] sum_v = (first_r ? {A{1'b0}} : cur) + dot_s;

    // max and load see dot as a W-bit value, sign-extended
    wire signed [W-1:0] dn = dot_s[W-1:0];
    // dn > max_base: against acc_min (first) every W-bit value but acc_min
    // itself is larger; against cur, when W < A, cur lies in W bits iff its
    // bits [A-1:W-1] all equal, else it is below (negative) or above every
    // W-bit value
    wire gt_min, gt_cur;
    generate
        if (W < A) begin : g_gt_n
            wire [A-W:0] top = cur[A-1:W-1];
            wire inr = (top == {(A-W+1){1'b0}}) | (top == {(A-W+1){1'b1}});
            wire signed [W-1:0] cl = cur[W-1:0];
            assign gt_min = 1'b1;
            assign gt_cur = inr ? (dn > cl) : cur[A-1];
        end else begin : g_gt_f
            assign gt_min = dn != acc_min;
            assign gt_cur = dn > cur;
        end
    endgenerate
    wire gt = first_r ? gt_min : gt_cur;

    // the W-bit operand of max (shift 0) and load (a_shift), saturated
    wire signed [SHW-1:0] shl = {{15{dn[W-1]}}, dn} <<< ash_r;
    wire signed [A-1:0] opnd;
    pk_sats #(.WI(SHW), .WO(A)) u_load_sat (.x(shl), .y(opnd));

    // op 0 writes the sum; op 2 the shifted operand; op 1 the operand when
    // the word has a valid slot and dot > base, else the base: acc_min after
    // first, else cur, which is no write; op 3 writes nothing.  PR: the
    // value written does not wait for the compare, which then drives only the
    // write enable: op 1 writes acc_min only after first without a valid
    // slot (with W < A that is the only write of the base; with W = A also
    // dot = acc_min after first, whose operand is acc_min too), else opnd
    wire take = op_r[1] | (has_r & gt);
    wire base_min = op_r == 2'd1 && first_r && !has_r;
    wire signed [A-1:0] nxt = op_r == 2'd0 ? sum_v : (PR ? !base_min : take) ? opnd : acc_min;
    wire wen = v1 && op_r != 2'd3 && (op_r != 2'd1 || take || first_r);

    always @(posedge clk) begin
        if (rst) begin
            acc0 <= {A{1'b0}};
            acc1 <= {A{1'b0}};
        end else if (wen) begin
            if (bank_r)
                acc1 <= nxt;
            else
                acc0 <= nxt;
        end
    end

    assign rd_acc = rd_bank ? acc1 : acc0;
endmodule
