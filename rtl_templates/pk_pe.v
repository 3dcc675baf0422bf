// pk_pe - one processing element: a registered dot product (pk_dot) and two
// accumulator banks (ARCHITECTURE.md 7.3).  Equals pk_q_acc_update() per
// accepted word.
//
// Timing: in cycle X the operands and controls are present with in_valid = 1;
// the dot product and the controls are registered at the end of X; the
// selected bank is updated at the end of X+1.  rd_acc is a combinational read
// of bank rd_bank (reading the bank being written returns the old value).
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
module pk_pe #(
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter ACC_BITS = 32,
    parameter DSP_PAIRS = 0      // pk_dot's packed mode-4 slot pairs
) (
    input  wire clk,
    input  wire rst,
    input  wire in_valid,
    input  wire [1:0] mode_log2,
    input  wire a_signed,
    input  wire [15:0] nvalid,
    input  wire [LANES*SLOT_BITS-1:0] w_word,
    input  wire [LANES*SLOT_BITS-1:0] a_word,
    input  wire [1:0] op,
    input  wire first,
    input  wire bank,
    input  wire [3:0] a_shift,
    input  wire rd_bank,
    output wire signed [ACC_BITS-1:0] rd_acc
);
    localparam A = ACC_BITS;

    wire signed [A-1:0] dot_c;
    pk_dot #(.LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES), .OUT_BITS(A),
             .DSP_PAIRS(DSP_PAIRS)) u_dot (
        .mode_log2(mode_log2), .a_signed(a_signed), .nvalid(nvalid),
        .w_word(w_word), .a_word(a_word), .dot(dot_c));

    // Stage 1: registered dot product and controls.
    reg v1;
    reg signed [A-1:0] dot_r;
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
        ash_r <= a_shift;
    end

    // Stage 2: accumulate.
    reg signed [A-1:0] acc0, acc1;
    wire signed [A-1:0] cur = bank_r ? acc1 : acc0;
    wire signed [A-1:0] acc_min = {1'b1, {(A-1){1'b0}}};

    wire signed [A-1:0] sum_v = (first_r ? {A{1'b0}} : cur) + dot_r;
    wire signed [A-1:0] max_base = first_r ? acc_min : cur;
    wire signed [A-1:0] max_v = (has_r && dot_r > max_base) ? dot_r : max_base;
    wire signed [A+14:0] shl = {{15{dot_r[A-1]}}, dot_r} <<< ash_r;
    wire signed [A-1:0] load_v;
    pk_sats #(.WI(A + 15), .WO(A)) u_load_sat (.x(shl), .y(load_v));

    reg signed [A-1:0] nxt;
    always @* begin
        case (op_r)
            2'd0: nxt = sum_v;
            2'd1: nxt = max_v;
            2'd2: nxt = load_v;
            default: nxt = cur;
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            acc0 <= {A{1'b0}};
            acc1 <= {A{1'b0}};
        end else if (v1) begin
            if (bank_r)
                acc1 <= nxt;
            else
                acc0 <= nxt;
        end
    end

    assign rd_acc = rd_bank ? acc1 : acc0;
endmodule
