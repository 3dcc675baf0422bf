// pk_regs - the host register file (ARCHITECTURE.md section 9).
//
// Host bus: synchronous; a write (host_we, host_addr, host_wdata) takes effect
// at the end of its cycle; host_rdata holds the word addressed by host_addr in
// a cycle with host_re from the next cycle on.  CTRL (0x02) is write-only:
// bit0 start pulses `start` in the write cycle (the run begins the next
// cycle), bit1 pulses `clear` (counters).  cnt_sel selects the counter the
// host addresses (0x20 + 2i, 0x21 + 2i) for pk_counters.
module pk_regs #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter WMASK = 4'b1111,
    parameter AMASK = 4'b1111,
    parameter ACC_BITS = 32,
    parameter PP_LANES = 4,
    parameter VERSION = 0
) (
    input  wire clk,
    input  wire rst,
    input  wire host_we,
    input  wire host_re,
    input  wire [7:0] host_addr,
    input  wire [31:0] host_wdata,
    output reg  [31:0] host_rdata,
    output wire start,
    output wire clear,
    output reg  [31:0] cmd_base,
    output reg  [31:0] cmd_count,
    input  wire st_busy,
    input  wire st_done,
    input  wire st_error,
    input  wire [31:0] layer,
    output wire [4:0] cnt_sel,
    input  wire [63:0] cnt_value
);
    assign start = host_we && host_addr == 8'h02 && host_wdata[0];
    assign clear = host_we && host_addr == 8'h02 && host_wdata[1];
    wire [7:0] cnt_off = host_addr - 8'h20;
    assign cnt_sel = cnt_off[5:1];

    wire unused_regs = &{1'b0, cnt_off[7:6], cnt_off[0]};

    always @(posedge clk) begin
        if (rst) begin
            cmd_base <= 32'd0;
            cmd_count <= 32'd0;
        end else if (host_we) begin
            if (host_addr == 8'h04)
                cmd_base <= host_wdata;
            if (host_addr == 8'h05)
                cmd_count <= host_wdata;
        end
    end

    reg [31:0] rd;
    always @* begin
        rd = 32'd0;
        case (host_addr)
            8'h00: rd = 32'h50494B45;
            8'h01: rd = VERSION;
            8'h03: rd = {29'd0, st_error, st_done, st_busy};
            8'h04: rd = cmd_base;
            8'h05: rd = cmd_count;
            8'h06: rd = layer;
            8'h08: rd = ROWS;
            8'h09: rd = COLS;
            8'h0A: rd = LANES;
            8'h0B: rd = SLOT_BITS;
            8'h0C: rd = {28'd0, WMASK[3:0]};
            8'h0D: rd = {28'd0, AMASK[3:0]};
            8'h0E: rd = ACC_BITS;
            8'h0F: rd = PP_LANES;
            default:
                if (host_addr >= 8'h20 && host_addr < 8'h20 + 8'd44)
                    rd = host_addr[0] ? cnt_value[63:32] : cnt_value[31:0];
        endcase
    end

    always @(posedge clk) begin
        if (rst)
            host_rdata <= 32'd0;
        else if (host_re)
            host_rdata <= rd;
    end
endmodule
