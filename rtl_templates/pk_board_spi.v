// pk_board_spi - a small board top for pin-limited FPGAs (iCE40 UP5K, 48
// pins; the ULX3S's ECP5): v1's pk_core inside pk_board_io (the on-chip
// memory serving its read and write ports with ARCHITECTURE.md 7.1 timing,
// host access through an SPI slave or a UART: the serial command protocol of
// docs/ARCHITECTURE.md 9.1, what pikehost speaks; see pk_board_io.v for the
// SPI frame and the memory's timing).  Pins: clk, rst, spi_sclk, spi_cs_n,
// spi_mosi, spi_miso, uart_rx, uart_tx, led (= done).  The core's event
// counters are CNT_BITS (32) wide here (ARCHITECTURE.md section 8).  Register
// PK_REG_BOARD_ID reads 0 (a v1 board).  pk_board2 is the same board around
// v2's pk_core2.
module pk_board_spi #(
    parameter ROWS = 1,
    parameter COLS = 8,
    parameter LANES = 8,
    parameter SLOT_BITS = 4,
    parameter MODES = 4'b0110,
    parameter WMASK = 4'b0110,
    parameter AMASK = 4'b0110,
    parameter ACC_BITS = 20,
    parameter P_BITS = 24,
    parameter PP_LANES = 1,
    parameter QN_MULT_BITS = 8,
    parameter QN_BIAS_BITS = 16,
    parameter QN_SHIFT_BITS = 5,
    parameter DQ_MANT_BITS = 8,
    parameter DQ_EXP_BITS = 5,
    parameter ACT_PARAM_BITS = 8,
    parameter ACT_SHIFT_BITS = 4,
    parameter ACT_MASK = 6'b001111,
    parameter RES_EN = 1,
    parameter RES_SHIFT_BITS = 3,
    parameter POOL_MASK = 3'b011,
    parameter WBUF_DEPTH = 128,
    parameter PBUF_DEPTH = 128,
    parameter PORT_BYTES = 2,
    parameter MEM_LATENCY = 8,
    parameter ADDR_BITS = 24,
    parameter VERSION = 0,
    parameter MEM_BYTES = 8192,
    parameter REQ_DEPTH = 256,
    parameter CNT_BITS = 32,      // event counters of the board's core (pk_core CNT_BITS)
    parameter UART_DIV = 434      // UART clock cycles per bit (>= UART_MIN_DIV)
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
    pk_core #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
              .WMASK(WMASK), .AMASK(AMASK), .ACC_BITS(ACC_BITS), .P_BITS(P_BITS),
              .PP_LANES(PP_LANES), .QN_MULT_BITS(QN_MULT_BITS), .QN_BIAS_BITS(QN_BIAS_BITS),
              .QN_SHIFT_BITS(QN_SHIFT_BITS), .DQ_MANT_BITS(DQ_MANT_BITS),
              .DQ_EXP_BITS(DQ_EXP_BITS), .ACT_PARAM_BITS(ACT_PARAM_BITS),
              .ACT_SHIFT_BITS(ACT_SHIFT_BITS), .ACT_MASK(ACT_MASK), .RES_EN(RES_EN),
              .RES_SHIFT_BITS(RES_SHIFT_BITS), .POOL_MASK(POOL_MASK), .WBUF_DEPTH(WBUF_DEPTH),
              .PBUF_DEPTH(PBUF_DEPTH), .PORT_BYTES(PB), .MEM_LATENCY(MEM_LATENCY),
              .ADDR_BITS(ADDR_BITS), .VERSION(VERSION), .CNT_BITS(CNT_BITS)) u_core (
        .clk(clk), .rst(rst), .host_we(host_we), .host_re(host_re), .host_addr(host_addr),
        .host_wdata(host_wdata), .host_rdata(host_rdata), .rd_req_valid(rd_req_valid),
        .rd_req_ready(1'b1), .rd_req_addr(rd_req_addr), .rd_req_len(rd_req_len),
        .rd_data_valid(rd_data_valid), .rd_data(rd_data), .wr_valid(wr_valid),
        .wr_ready(1'b1), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb), .irq(irq));
    assign led = irq;

    pk_board_io #(.PORT_BYTES(PB), .MEM_LATENCY(MEM_LATENCY), .ADDR_BITS(ADDR_BITS),
                  .MEM_BYTES(MEM_BYTES), .REQ_DEPTH(REQ_DEPTH), .UART_DIV(UART_DIV),
                  .BOARD_ID(0)) u_io (
        .clk(clk), .rst(rst), .spi_sclk(spi_sclk), .spi_cs_n(spi_cs_n), .spi_mosi(spi_mosi),
        .spi_miso(spi_miso), .uart_rx(uart_rx), .uart_tx(uart_tx), .host_we(host_we),
        .host_re(host_re), .host_addr(host_addr), .host_wdata(host_wdata),
        .host_rdata(host_rdata), .rd_req_valid(rd_req_valid), .rd_req_addr(rd_req_addr),
        .rd_req_len(rd_req_len), .rd_data_valid(rd_data_valid), .rd_data(rd_data),
        .wr_valid(wr_valid), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb));
endmodule
