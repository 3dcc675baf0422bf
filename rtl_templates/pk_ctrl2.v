// pk_ctrl2 - the v2 layer controller (ARCHITECTURE.md V2-7.5, V2-11.1,
// V2-11.6): runs cmd_count layers from cmd_base, one after the other.
//
// Cycle 0 is the cycle after `start` (CTRL.START).  Layer L:
//   S_L   its start: cycle 0, or the cycle after the previous layer's
//         lay_done (POST: its last write beat; the layer ended);
//   T_L   = max(S_L, U_desc): the first cycle in which both the layer has
//         started and its descriptor is in the RAM (desc_done counts the
//         descriptors the loader has written; the one of desc_done's cycle
//         is readable in the next);
//   load  words 0 .. LOAD_WORDS - 1 of entry L mod 2 in NR = ceil(LOAD_WORDS
//         / DLW) read rows of DLW words (pk_desc2's read row; DLW =
//         pk_v2_desc_load_lanes(PB), pk_core2's parameter), row r (words
//         r DLW .. r DLW + DLW - 1, word w in lane w mod DLW) read in cycle
//         T_L + r; each read's row is on pw_* in the next cycle (pw_idx = r;
//         the engines latch their fields from it);
//   A_L   = T_L + DL: lay_start, one cycle; the engines run.  DL =
//         max(NR + 1, (LOAD_WORDS - 2) / DLW + 3) (pk_v2_desc_load_cycles):
//         LOAD_WORDS + 1 at DLW = 1, NR + 2 at DLW >= 2, so that every word
//         but the last is in its register a cycle before lay_start (as with
//         one word a row: registers formed from fields in every cycle,
//         V2-11.5 "Timing, step 18").
// Descriptor requests to the loader (dreq_*; taken in a cycle with
// dreq_ready): descriptor 0 from cycle 0, descriptor L + 1 from A_L (the
// loader takes it after layer L's last fetch unit, V2-7.5; its entry held
// layer L - 1's descriptor, loaded before A_{L-1}).  The run ends in the
// cycle after the last layer's lay_done: busy falls, done rises (sticky
// until the next start), `fin` pulses.
// Counter increments (V2-9 item 8), one per cycle: cycles while running;
// busy = comp_busy (a COMPUTE k-step or tail cycle); stall = a cycle from
// A_L until COMPUTE's last step of the layer has ended (comp_done, which
// pk_seq2 clears at lay_start) without comp_busy.
//
// Design: one load counter (0 .. DL) and the layer index; the
// descriptor fields are not kept here (V2-8: the descriptor stays in its RAM,
// the engines latch only the fields they use from the word stream).
`include "pk_contract.vh"
module pk_ctrl2 #(
    parameter ADDR_BITS = 32,
    parameter WA = $clog2(`PK_DESC2_WORDS),
    parameter DESC_BYTES = `PK_DESC2_BYTES,
    parameter LOAD_WORDS = `PK_DESC2_LOAD_WORDS,  // pk_v2_desc_load_words()
    parameter DLW = 1,                            // words a read row (pk_v2_desc_load_lanes)
    parameter DLL = DLW > 1 ? $clog2(DLW) : 0
) (
    input  wire clk,
    input  wire rst,
    // host registers
    input  wire start,
    input  wire [ADDR_BITS-1:0] cmd_base,
    input  wire [15:0] cmd_count,
    output reg  busy,                         // STATUS.BUSY
    output reg  done,                         // STATUS.DONE
    output wire [15:0] layer,                 // LAYER
    output wire fin,                          // one cycle: the run has ended
    // descriptor fetch (to the loader)
    output wire dreq_valid,
    output wire [ADDR_BITS-1:0] dreq_addr,
    output wire dreq_entry,
    input  wire dreq_ready,
    input  wire desc_done,                    // the requested descriptor's last beat is written
    // descriptor RAM read port (pk_desc2)
    output wire dr_re,
    output wire [WA-DLL:0] dr_addr,
    input  wire [32*DLW-1:0] dr_data,
    // parameter words to the engines, then lay_start
    output reg  pw_valid,
    output reg  [WA-DLL-1:0] pw_idx,       // the read row
    output wire [32*DLW-1:0] pw_data,
    output wire lay_start,
    // layer end and COMPUTE state
    input  wire lay_done,
    input  wire comp_busy,
    input  wire comp_done,
    // counter increments
    output wire inc_cycles,
    output wire inc_busy,
    output wire inc_stall
);
    localparam integer NRI = (LOAD_WORDS + DLW - 1) / DLW;     // rows read
    localparam integer R2I = (LOAD_WORDS - 2) / DLW + 2;       // row of word LOAD_WORDS - 2, + 2
    localparam integer KSI = NRI > R2I ? NRI : R2I;           // DL - 1
    localparam [WA+1:0] NR = NRI[WA+1:0];
    localparam [WA+1:0] KS = KSI[WA+1:0];

    reg [15:0] lay;          // the layer running (or loading)
    reg [15:0] dreq_n;       // descriptors requested
    reg [15:0] ddone_n;      // descriptors written
    reg loading;             // in the load phase of layer lay
    reg [WA+1:0] k;          // load counter
    reg ls_r;                // loading && k == KS + 1, formed a cycle ahead (V2-11.5 "Timing, step 8")
    reg started;             // lay_start of layer lay has happened
    reg comp_on;             // COMPUTE of layer lay may still run
    reg fin_r;

    wire ready = ddone_n != lay;               // lay's descriptor is in the RAM
    wire adv = loading && (k != 0 || ready) && !ls_r;   // (k != KS + 1)
    assign dr_re = loading && k < NR && (k != 0 || ready);
    assign dr_addr = {lay[0], k[WA-DLL-1:0]};
    assign pw_data = dr_data;
    assign lay_start = ls_r;
    assign layer = lay;
    assign fin = fin_r;

    // (descriptor L + 1 from A_L itself, lay_start's cycle: pk_core2 holds the request
    // (nd_valid) from A_L + 1, when a layer whose program is one unit, a 1-row pool
    // without a record, already ends it; from A_L + 1 the loader found no next descriptor
    // and went idle, and the run never ended)
    assign dreq_valid = busy && dreq_n < cmd_count &&
                        (dreq_n == 16'd0 || (dreq_n == lay + 16'd1 && (started || lay_start)));
    /* verilator lint_off WIDTH */
    assign dreq_addr = cmd_base + dreq_n * DESC_BYTES;
    /* verilator lint_on WIDTH */
    assign dreq_entry = dreq_n[0];
    wire last = lay + 16'd1 == cmd_count;

    assign inc_cycles = busy;
    assign inc_busy = comp_busy;
    assign inc_stall = (lay_start || (comp_on && !comp_done)) && !comp_busy;

    always @(posedge clk) begin
        fin_r <= 1'b0;
        pw_valid <= dr_re;
        pw_idx <= k[WA-DLL-1:0];
        if (rst)
            pw_valid <= 1'b0;
        if (rst || (start && !busy)) begin
            // a run of cmd_count layers (none: done at once)
            busy <= !rst && cmd_count != 16'd0;
            done <= !rst && cmd_count == 16'd0;
            loading <= !rst && cmd_count != 16'd0;
            lay <= 16'd0;
            dreq_n <= 16'd0;
            ddone_n <= 16'd0;
            k <= 0;
            ls_r <= 1'b0;
            started <= 1'b0;
            comp_on <= 1'b0;
        end else if (busy) begin
            if (dreq_valid && dreq_ready)
                dreq_n <= dreq_n + 16'd1;
            if (desc_done)
                ddone_n <= ddone_n + 16'd1;
            if (adv) begin
                k <= k + 1'b1;
                ls_r <= k == KS;    // (adv: loading, k != KS + 1)
            end
            if (lay_start) begin
                ls_r <= 1'b0;       // (not adv: k == KS + 1; loading falls)
                loading <= 1'b0;
                started <= 1'b1;
                comp_on <= 1'b1;
            end else if (comp_done)
                comp_on <= 1'b0;
            if (lay_done) begin
                started <= 1'b0;
                k <= 0;
                ls_r <= 1'b0;
                if (last) begin
                    busy <= 1'b0;
                    done <= 1'b1;
                    fin_r <= 1'b1;
                end else begin
                    lay <= lay + 16'd1;
                    loading <= 1'b1;
                end
            end
        end
    end
endmodule
