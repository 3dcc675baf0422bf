// ctrl2_top - test top of tests/rtl/ctrl2_harness.cpp: the v2 layer
// controller (pk_ctrl2) reading the descriptor RAM (pk_desc2) and streaming
// the parameter words into the parameter registers (pk_par2), as pk_core2
// will connect them; the harness plays the host, the loader (descriptor
// beats), COMPUTE (comp_busy / comp_done) and POST (lay_done).
`include "pk_contract.vh"
module ctrl2_top #(
    parameter PB = 8,
    parameter DLW = 1,                      // words a read row (pk_v2_desc_load_lanes(PB))
    parameter WA = $clog2(`PK_DESC2_WORDS),
    parameter DLL = DLW > 1 ? $clog2(DLW) : 0,
    parameter ROWB = PB < 4 ? 4 : PB,
    parameter RWA = WA + 1 - ((ROWB / 4) > 1 ? $clog2(ROWB / 4) : 0),
    parameter LANES = ROWB / PB,
    parameter LA = LANES > 1 ? $clog2(LANES) : 1
) (
    input  wire clk,
    input  wire rst,
    input  wire start,
    input  wire [31:0] cmd_base,
    input  wire [15:0] cmd_count,
    output wire busy,
    output wire done,
    output wire [15:0] layer,
    output wire fin,
    output wire dreq_valid,
    output wire [31:0] dreq_addr,
    output wire dreq_entry,
    input  wire dreq_ready,
    input  wire desc_done,
    input  wire we,
    input  wire [RWA-1:0] wrow,
    input  wire [LA-1:0] wlane,
    input  wire [8*PB-1:0] wdata,
    output wire pw_valid,
    output wire [WA-DLL-1:0] pw_idx,
    output wire [32*DLW-1:0] pw_data,
    output wire lay_start,
    input  wire lay_done,
    input  wire comp_busy,
    input  wire comp_done,
    output wire inc_cycles,
    output wire inc_busy,
    output wire inc_stall
);
    wire dr_re;
    wire [WA-DLL:0] dr_addr;
    wire [32*DLW-1:0] dr_data;
    pk_desc2 #(.WA(WA), .PB(PB), .DLW(DLW)) desc (
        .clk(clk), .we(we), .wrow(wrow), .wlane(wlane), .wdata(wdata),
        .re(dr_re), .raddr(dr_addr), .rdata(dr_data));
    pk_ctrl2 #(.WA(WA), .DLW(DLW)) ctrl (
        .clk(clk), .rst(rst), .start(start), .cmd_base(cmd_base), .cmd_count(cmd_count),
        .busy(busy), .done(done), .layer(layer), .fin(fin),
        .dreq_valid(dreq_valid), .dreq_addr(dreq_addr), .dreq_entry(dreq_entry),
        .dreq_ready(dreq_ready), .desc_done(desc_done),
        .dr_re(dr_re), .dr_addr(dr_addr), .dr_data(dr_data),
        .pw_valid(pw_valid), .pw_idx(pw_idx), .pw_data(pw_data), .lay_start(lay_start),
        .lay_done(lay_done), .comp_busy(comp_busy), .comp_done(comp_done),
        .inc_cycles(inc_cycles), .inc_busy(inc_busy), .inc_stall(inc_stall));
    // the engines' parameter registers (pk_par2, generated from the contract
    // into the contract directory) on the word stream, as pk_core2 will
    // connect them; the harness reads their l_* registers through the model's
    // public signals (the outputs go nowhere here)
    /* verilator lint_off PINMISSING */
    pk_par2 #(.WA(WA), .DLW(DLW)) par (
        .clk(clk), .rst(rst), .pw_valid(pw_valid), .pw_idx(pw_idx), .pw_data(pw_data));
    /* verilator lint_on PINMISSING */
endmodule
