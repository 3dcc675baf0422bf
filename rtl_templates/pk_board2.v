// pk_board2 - the board top of v2 (ARCHITECTURE_V2.md V2-11.7): pk_core2
// inside pk_board_io, exactly as pk_board_spi puts v1's pk_core there (the
// two cores have the same external ports): the on-chip memory serving the
// core's read and write ports with ARCHITECTURE.md 7.1 timing (the memory
// pikecheck's harness models for both archs) and host access through an SPI
// slave or a UART (the serial command protocol of docs/ARCHITECTURE.md 9.1,
// what pikehost --arch v2 speaks).  Pins: clk, rst, spi_sclk, spi_cs_n,
// spi_mosi, spi_miso, uart_rx, uart_tx, led (= done), as pk_board_spi.
// Parameters: pk_core2's (core/pk_v2_rtl.c pk_v2_rtl_params: pikegen writes
// the same values as into pike_top, CNT_BITS included: the board's counters
// wrap as pike_top's, V2-9 item 8), the memory's (MEM_BYTES, REQ_DEPTH),
// UART_DIV, and BOARD_ID, the word register PK_REG_BOARD_ID reads (pikegen:
// core/pk_v2_rtl.c pk_v2_rtl_board_id, which pikehost checks).
`include "pk_contract.vh"
module pk_board2 #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter WMASK = 4'b1111,
    parameter AMASK = 4'b1111,
    parameter ACC_BITS = 32,
    parameter P_BITS = 32,
    parameter PP_LANES = 4,
    parameter QN_MULT_BITS = 8,
    parameter QN_BIAS_BITS = 24,
    parameter QN_SHIFT_BITS = 5,
    parameter DQ_MANT_BITS = 8,
    parameter DQ_EXP_BITS = 5,
    parameter ACT_PARAM_BITS = 8,
    parameter ACT_SHIFT_BITS = 4,
    parameter ACT_MASK = 6'b111111,
    parameter RES_EN = 1,
    parameter RES_SHIFT_BITS = 4,
    parameter POOL_MASK = 3'b111,
    parameter PORT_BYTES = 8,
    parameter MEM_LATENCY = 4,
    parameter ADDR_BITS = 32,
    parameter MAX_BURST = `PK_MAX_BURST_DEFAULT,
    parameter QA = 3,                   // loader request FIFO: 2^QA >= MEM_LATENCY + 2
    parameter RA = ROWS > 1 ? $clog2(ROWS) : 1,
    parameter CA = COLS > 1 ? $clog2(COLS) : 1,
    parameter WBITS = LANES * SLOT_BITS,
    parameter DA = 256,                 // ring words per bank
    parameter AW = 8,                   // clog2 DA
    parameter XW = 12,                  // clog2(ROWS * DA) + 2
    parameter YW = 18,
    parameter WD = 256,                 // weight-buffer words per column (both halves)
    parameter WA = 8,                   // clog2 WD
    parameter RWL = PORT_BYTES,         // loader ring write lanes
    parameter WWL = COLS,               // loader weight write lanes
    parameter WFL = WWL,                // of them whole-word lanes (the others 8-bit DW codes)
    parameter WI = 1,                   // weight-buffer sub-banks per column (pk_wbuf2)
    parameter SLOTS = 8,                // the widest VP
    parameter WBW = $clog2(WBITS + 1),  // bits of a count of word bits 0 .. WBITS (pk_par2)
    parameter LD_MODES = 16'hFFFF,      // pk_ld2a MODES
    parameter LD_WMODES = 16'hFFFF,     // pk_ld2 WMODES (the weight widenings built)
    parameter REC_WORDS = 2,
    parameter B_WORDS = 1,
    parameter FXL = 3,                  // pk_ld2a: largest log2 fx built (0: no x-fold)
    parameter FPX = RWL,                // pk_ld2a: x-folded pixels one beat completes
    parameter GLOB = 1,                 // pk_ld2a: global-pool layout built
    parameter CNT_BITS = 64,            // event counter bits (V2-9 item 8: wrap at 2^CNT_BITS)
    parameter VERSION = 0,
    parameter MEM_BYTES = 8192,          // board memory bytes (pk_board_io)
    parameter REQ_DEPTH = 256,           // read requests queued (pk_board_io; >= the core's outstanding)
    parameter UART_DIV = 434,            // UART clock cycles per bit (>= UART_MIN_DIV)
    parameter BOARD_ID = 32'h02000000    // register PK_REG_BOARD_ID: 2 << 24 | config fingerprint
) (
    input  wire clk,
    input  wire rst,
    input  wire spi_sclk,
    input  wire spi_cs_n,
    input  wire spi_mosi,
    output wire spi_miso,
    input  wire uart_rx,
    output wire uart_tx,
    output wire led
);
    localparam PB = PORT_BYTES;
    // ---- the core -------------------------------------------------------------------------
    wire host_we, host_re;
    wire [7:0] host_addr;
    wire [31:0] host_wdata;
    wire [31:0] host_rdata;
    wire rd_req_valid, wr_valid, irq;
    wire [ADDR_BITS-1:0] rd_req_addr, wr_addr;
    wire [31:0] rd_req_len;
    wire rd_data_valid;
    wire [8*PB-1:0] rd_data, wr_data;
    wire [PB-1:0] wr_strb;
    pk_core2 #(
              .ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
              .WMASK(WMASK), .AMASK(AMASK), .ACC_BITS(ACC_BITS), .P_BITS(P_BITS),
              .PP_LANES(PP_LANES), .QN_MULT_BITS(QN_MULT_BITS), .QN_BIAS_BITS(QN_BIAS_BITS),
              .QN_SHIFT_BITS(QN_SHIFT_BITS), .DQ_MANT_BITS(DQ_MANT_BITS),
              .DQ_EXP_BITS(DQ_EXP_BITS), .ACT_PARAM_BITS(ACT_PARAM_BITS),
              .ACT_SHIFT_BITS(ACT_SHIFT_BITS), .ACT_MASK(ACT_MASK), .RES_EN(RES_EN),
              .RES_SHIFT_BITS(RES_SHIFT_BITS), .POOL_MASK(POOL_MASK), .PORT_BYTES(PB),
              .MEM_LATENCY(MEM_LATENCY), .ADDR_BITS(ADDR_BITS), .MAX_BURST(MAX_BURST), .QA(QA),
              .RA(RA), .CA(CA), .WBITS(WBITS), .DA(DA), .AW(AW), .XW(XW), .YW(YW), .WD(WD),
              .WA(WA), .RWL(RWL), .WWL(WWL), .WFL(WFL), .WI(WI), .SLOTS(SLOTS), .WBW(WBW),
              .LD_MODES(LD_MODES), .LD_WMODES(LD_WMODES), .REC_WORDS(REC_WORDS), .B_WORDS(B_WORDS), .FXL(FXL),
              .FPX(FPX), .GLOB(GLOB),
              .CNT_BITS(CNT_BITS), .VERSION(VERSION)) u_core (
        .clk(clk), .rst(rst), .host_we(host_we), .host_re(host_re), .host_addr(host_addr),
        .host_wdata(host_wdata), .host_rdata(host_rdata), .rd_req_valid(rd_req_valid),
        .rd_req_ready(1'b1), .rd_req_addr(rd_req_addr), .rd_req_len(rd_req_len),
        .rd_data_valid(rd_data_valid), .rd_data(rd_data), .wr_valid(wr_valid),
        .wr_ready(1'b1), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb), .irq(irq));
    assign led = irq;

    pk_board_io #(.PORT_BYTES(PB), .MEM_LATENCY(MEM_LATENCY), .ADDR_BITS(ADDR_BITS),
                  .MEM_BYTES(MEM_BYTES), .REQ_DEPTH(REQ_DEPTH), .UART_DIV(UART_DIV),
                  .BOARD_ID(BOARD_ID)) u_io (
        .clk(clk), .rst(rst), .spi_sclk(spi_sclk), .spi_cs_n(spi_cs_n), .spi_mosi(spi_mosi),
        .spi_miso(spi_miso), .uart_rx(uart_rx), .uart_tx(uart_tx), .host_we(host_we),
        .host_re(host_re), .host_addr(host_addr), .host_wdata(host_wdata),
        .host_rdata(host_rdata), .rd_req_valid(rd_req_valid), .rd_req_addr(rd_req_addr),
        .rd_req_len(rd_req_len), .rd_data_valid(rd_data_valid), .rd_data(rd_data),
        .wr_valid(wr_valid), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb));
endmodule
