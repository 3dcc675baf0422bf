// pk_board2 - the board top of v2 (ARCHITECTURE.md V2-11.7): pk_core2
// inside pk_board_io, exactly as pk_board_spi puts v1's pk_core there (the
// two cores have the same external ports): the on-chip memory serving the
// core's read and write ports with ARCHITECTURE_V1.md 7.1 timing (the memory
// pikecheck's harness models for both archs) and host access through an SPI
// slave or a UART (the serial command protocol of docs/ARCHITECTURE_V1.md 9.1,
// what pikehost --arch v2 speaks).  Pins: clk, rst, spi_sclk, spi_cs_n,
// spi_mosi, spi_miso, uart_rx, uart_tx, led (= done), as pk_board_spi.
// The core is pikegen's pike_top (pk_core2 with every parameter of
// core/pk_v2_rtl.c pk_v2_rtl_params set from the config, CNT_BITS included:
// the board's counters wrap as pike_top's, V2-9 item 8), so a new row of
// that table needs no edit here.  Parameters: the three the memory shares
// with the core (PORT_BYTES, MEM_LATENCY, ADDR_BITS: passed to pike_top too,
// so the two sides cannot disagree), the memory's (MEM_BYTES, REQ_DEPTH),
// UART_DIV, and BOARD_ID, the word register PK_REG_BOARD_ID reads (pikegen:
// core/pk_v2_rtl.c pk_v2_rtl_board_id, which pikehost checks).
`include "pk_contract.vh"
module pk_board2 #(
    parameter PORT_BYTES = 8,            // the core's port (pike_top's value)
    parameter MEM_LATENCY = 4,           // read latency LAT (pike_top's value)
    parameter ADDR_BITS = 32,            // address bits (pike_top's value)
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
    pike_top #(.PORT_BYTES(PB), .MEM_LATENCY(MEM_LATENCY), .ADDR_BITS(ADDR_BITS)) u_core (
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
