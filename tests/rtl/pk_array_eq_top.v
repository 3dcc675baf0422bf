// pk_array_eq_top - two pk_array on the same inputs (tests/rtl/array_eq_harness.cpp):
// u_ref with DSP_PAIRS 0 (pk_dot's bit-plane datapath, no packed pairs) and u_dut with
// DSP_PAIRS, both with PIPE, so with PIPE = 1 u_dut packs its pairs' operands in front of
// the operand register (ARCHITECTURE.md V2-11.5 "Timing, step 21").  The harness
// compares every accumulator of both through their read ports.
`include "pk_contract.vh"
module pk_array_eq_top #(
    parameter ROWS = 2,
    parameter COLS = 8,
    parameter LANES = 16,
    parameter SLOT_BITS = 4,
    parameter MODES = 4'b0100,
    parameter ACC_BITS = 20,
    parameter PP_LANES = 2,
    parameter NVW = 5,
    parameter RA = 1,
    parameter GA = 2,
    parameter PIPE = 1,
    parameter DSP_PAIRS = 8
) (
    input  wire clk,
    input  wire rst,
    input  wire in_valid,
    input  wire [2:0] kind,
    input  wire [1:0] mode_log2,
    input  wire a_signed,
    input  wire [3:0] a_shift,
    input  wire first,
    input  wire bank,
    input  wire [ROWS*LANES*SLOT_BITS-1:0] a_rows,
    input  wire [ROWS*NVW-1:0] nv_rows,
    input  wire [COLS*LANES*SLOT_BITS-1:0] w_cols,
    input  wire rd_bank,
    input  wire [RA-1:0] rd_row,
    input  wire [GA-1:0] rd_grp,
    output wire [PP_LANES*ACC_BITS-1:0] rd_ref,
    output wire [PP_LANES*ACC_BITS-1:0] rd_dut
);
    pk_array #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
               .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .NVW(NVW), .RA(RA), .GA(GA),
               .RD_PACK(0), .PIPE(PIPE), .DSP_PAIRS(0)) u_ref (
        .clk(clk), .rst(rst), .in_valid(in_valid), .kind(kind), .mode_log2(mode_log2),
        .a_signed(a_signed), .a_shift(a_shift), .first(first), .bank(bank), .a_rows(a_rows),
        .nv_rows(nv_rows), .w_cols(w_cols), .rd_bank(rd_bank), .rd_row(rd_row),
        .rd_grp(rd_grp), .rd_cwl(4'd0), .rd_acc(rd_ref));
    pk_array #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
               .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .NVW(NVW), .RA(RA), .GA(GA),
               .RD_PACK(0), .PIPE(PIPE), .DSP_PAIRS(DSP_PAIRS)) u_dut (
        .clk(clk), .rst(rst), .in_valid(in_valid), .kind(kind), .mode_log2(mode_log2),
        .a_signed(a_signed), .a_shift(a_shift), .first(first), .bank(bank), .a_rows(a_rows),
        .nv_rows(nv_rows), .w_cols(w_cols), .rd_bank(rd_bank), .rd_row(rd_row),
        .rd_grp(rd_grp), .rd_cwl(4'd0), .rd_acc(rd_dut));
endmodule
