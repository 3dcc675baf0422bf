// pk_board_spi - a small board top for pin-limited FPGAs (iCE40 UP5K, 48
// pins; the ULX3S's ECP5): v1's core inside pk_board_io (the on-chip
// memory serving its read and write ports with ARCHITECTURE_V1.md 7.1 timing,
// host access through an SPI slave or a UART: the serial command protocol of
// docs/ARCHITECTURE_V1.md 9.1, what pikehost speaks; see pk_board_io.v for the
// SPI frame and the memory's timing).  Pins: clk, rst, spi_sclk, spi_cs_n,
// spi_mosi, spi_miso, uart_rx, uart_tx, led (= done).  The core is
// pikegen's pike_top (pk_core with every parameter of the config), so the
// board repeats none of them: it sets only the rows the memory shares with
// the core (PORT_BYTES, MEM_LATENCY, ADDR_BITS, which pikegen's pike_board
// gives pike_top's values) and the core's event counters, CORE_CNT_BITS (32)
// wide here (ARCHITECTURE_V1.md section 8).  Register PK_REG_BOARD_ID reads 0 (a
// v1 board).  pk_board2 is the same board around v2's pike_top.
module pk_board_spi #(
    parameter PORT_BYTES = 2,     // the core's port (pike_top's value)
    parameter MEM_LATENCY = 8,    // the core's read latency (pike_top's value)
    parameter ADDR_BITS = 24,     // address bits (pike_top's value)
    parameter MEM_BYTES = 8192,
    parameter REQ_DEPTH = 256,
    parameter CORE_CNT_BITS = 32, // event counters of the board's core (pike_top CNT_BITS)
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
    pike_top #(.PORT_BYTES(PB), .MEM_LATENCY(MEM_LATENCY), .ADDR_BITS(ADDR_BITS),
               .CNT_BITS(CORE_CNT_BITS)) u_core (
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
