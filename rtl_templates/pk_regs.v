// pk_regs - the host register file (ARCHITECTURE_V1.md section 9).
// Addresses, bit fields and the counter window come from pk_contract.vh
// (written by pikegen from core/pk_contract.def).
//
// Host bus: synchronous; a write (host_we, host_addr, host_wdata) takes effect
// at the end of its cycle; host_rdata holds the word addressed by host_addr in
// a cycle with host_re from the next cycle on.  CTRL (0x02) is write-only:
// bit0 start pulses `start` in the write cycle (the run begins the next
// cycle), bit1 pulses `clear` (counters).  cnt_sel selects the counter the
// host addresses (CNT_BASE + 2i, CNT_BASE + 2i + 1) for pk_counters.
`include "pk_contract.vh"
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
    output wire [$clog2(`PK_CNT_COUNT)-1:0] cnt_sel,
    input  wire [63:0] cnt_value
);
    localparam CSW = $clog2(`PK_CNT_COUNT);
    assign start = host_we && host_addr == `PK_REG_CTRL && host_wdata[`PK_CTRL_START];
    assign clear = host_we && host_addr == `PK_REG_CTRL && host_wdata[`PK_CTRL_CLEAR];
    wire [7:0] cnt_off = host_addr - `PK_REG_CNT_BASE;
    assign cnt_sel = cnt_off[CSW:1];

    wire unused_regs = &{1'b0, cnt_off[7:CSW+1], cnt_off[0]};

    always @(posedge clk) begin
        if (rst) begin
            cmd_base <= 32'd0;
            cmd_count <= 32'd0;
        end else if (host_we) begin
            if (host_addr == `PK_REG_CMD_BASE)
                cmd_base <= host_wdata;
            if (host_addr == `PK_REG_CMD_COUNT)
                cmd_count <= host_wdata;
        end
    end

    reg [31:0] status;
    always @* begin
        status = 32'd0;
        status[`PK_STATUS_BUSY] = st_busy;
        status[`PK_STATUS_DONE] = st_done;
        status[`PK_STATUS_ERROR] = st_error;
    end

    reg [31:0] rd;
    always @* begin
        rd = 32'd0;
        case (host_addr)
            `PK_REG_ID: rd = `PK_ID_VALUE;
            `PK_REG_VERSION: rd = VERSION;
            `PK_REG_STATUS: rd = status;
            `PK_REG_CMD_BASE: rd = cmd_base;
            `PK_REG_CMD_COUNT: rd = cmd_count;
            `PK_REG_LAYER: rd = layer;
            `PK_REG_HW_ROWS: rd = ROWS;
            `PK_REG_HW_COLS: rd = COLS;
            `PK_REG_HW_LANES: rd = LANES;
            `PK_REG_HW_SLOT_BITS: rd = SLOT_BITS;
            `PK_REG_HW_WMASK: rd = {28'd0, WMASK[3:0]};
            `PK_REG_HW_AMASK: rd = {28'd0, AMASK[3:0]};
            `PK_REG_HW_ACC_BITS: rd = ACC_BITS;
            `PK_REG_HW_PP_LANES: rd = PP_LANES;
            default:
                if (host_addr >= `PK_REG_CNT_BASE && host_addr < `PK_REG_CNT_BASE + 2 * `PK_CNT_COUNT)
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
