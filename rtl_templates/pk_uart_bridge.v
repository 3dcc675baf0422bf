// pk_uart_bridge - the board's serial command port (docs/ARCHITECTURE_V1.md
// 9.1): a UART (8N1, DIV clock cycles per bit, LSB first) whose frames read
// and write the host registers of section 9 and the board memory.  Opcodes,
// response codes and link constants are `PK_UART_* of rtl/pk_contract.vh
// (core/pk_contract.def).
//
// Frames (host -> board), each ending in a checksum byte that makes the 8-bit
// sum of the frame's bytes zero:
//   WRITE_REG  op a d0 d1 d2 d3 chk          READ_REG  op a chk
//   WRITE_MEM  op a0 a1 a2 n0 n1 byte[n] chk READ_MEM  op a0 a1 a2 n0 n1 chk
// Responses (board -> host): ACK [d0..d3 | byte[n]] chk, or NAK reason chk.
// One command at a time: the host waits for the response.  An unknown opcode
// or a byte without its stop bit gets a NAK at once and the bridge ignores the
// line until it has been quiet for UART_IDLE_BITS bit times (as it does with a
// frame cut short).  WRITE_MEM writes each byte as it arrives (a later
// checksum NAK says the bytes may be wrong, not that none were written); a
// range past MEM_BYTES writes nothing.
//
// Host side: reg_we / reg_re are one-cycle strobes with reg_addr, reg_wdata;
// reg_rdata is taken the cycle after reg_re (pk_regs).  Memory: mem_we is a
// one-cycle strobe with mem_addr, mem_wdata; a read holds mem_re and mem_addr
// and takes mem_rdata RD_LAT cycles later.
`include "pk_contract.vh"
module pk_uart_bridge #(
    parameter DIV = 434,          // clock cycles per bit (>= UART_MIN_DIV)
    parameter MEM_BYTES = 8192,   // board memory: byte addresses 0 .. MEM_BYTES-1
    parameter RD_LAT = 2          // cycles from mem_addr/mem_re to mem_rdata
) (
    input  wire clk,
    input  wire rst,
    input  wire rx,
    output reg  tx,
    output reg  reg_we,
    output reg  reg_re,
    output reg  [7:0] reg_addr,
    output reg  [31:0] reg_wdata,
    input  wire [31:0] reg_rdata,
    output reg  mem_we,
    output reg  mem_re,
    output reg  [23:0] mem_addr,
    output reg  [7:0] mem_wdata,
    input  wire [7:0] mem_rdata
);
    localparam DW = $clog2(DIV + 1);
    localparam [31:0] DIV32 = DIV;
    localparam [DW-1:0] DIVW = DIV32[DW-1:0];
    localparam [31:0] IDLE32 = `PK_UART_IDLE_BITS * DIV;
    localparam [IW-1:0] IDLE = IDLE32[IW-1:0];
    localparam [31:0] MEMB32 = MEM_BYTES;
    localparam IW = $clog2(`PK_UART_IDLE_BITS * DIV + 1);

    // ---- receiver: start bit found mid-bit, 8 data bits, stop bit checked ---------------------
    reg [1:0] rx_s;               // synchronizer
    reg [DW-1:0] r_cnt;
    reg [3:0] r_bit;              // 0 idle, 1 start, 2..9 data, 10 stop
    reg [7:0] r_sh;
    reg rx_ok, rx_bad;            // one-cycle strobes: byte r_sh received / framing error
    always @(posedge clk) begin
        rx_s <= {rx_s[0], rx};
        rx_ok <= 1'b0;
        rx_bad <= 1'b0;
        if (rst) begin
            rx_s <= 2'b11;
            r_bit <= 4'd0;
        end else if (r_bit == 4'd0) begin
            if (!rx_s[1]) begin
                r_bit <= 4'd1;
                r_cnt <= DIVW >> 1;
            end
        end else if (r_cnt != {DW{1'b0}}) begin
            r_cnt <= r_cnt - 1'b1;
        end else begin
            r_cnt <= DIVW - 1'b1;
            r_bit <= r_bit + 4'd1;
            if (r_bit == 4'd1 && rx_s[1])
                r_bit <= 4'd0;    // a glitch, not a start bit
            if (r_bit >= 4'd2 && r_bit <= 4'd9)
                r_sh <= {rx_s[1], r_sh[7:1]};
            if (r_bit == 4'd10) begin
                r_bit <= 4'd0;
                rx_ok <= rx_s[1];
                rx_bad <= !rx_s[1];
            end
        end
    end

    // ---- transmitter --------------------------------------------------------------------------
    reg [DW-1:0] t_cnt;
    reg [3:0] t_bit;              // steps left: start, 8 data, stop, end of stop (0 = idle)
    reg [8:0] t_sh;               // {data, start} then ones
    reg t_go;                     // strobe: send t_byte
    reg [7:0] t_byte;
    wire t_idle = t_bit == 4'd0 && !t_go;
    always @(posedge clk) begin
        if (rst) begin
            tx <= 1'b1;
            t_bit <= 4'd0;
        end else if (t_go) begin
            t_sh <= {t_byte, 1'b0};
            t_bit <= 4'd11;
            t_cnt <= {DW{1'b0}};
        end else if (t_bit != 4'd0) begin
            if (t_cnt == {DW{1'b0}}) begin
                tx <= t_sh[0];
                t_sh <= {1'b1, t_sh[8:1]};
                t_bit <= t_bit - 4'd1;
                t_cnt <= DIVW - 1'b1;
            end else
                t_cnt <= t_cnt - 1'b1;
        end
    end

    // ---- command state machine ------------------------------------------------------------------
    localparam S_OP = 4'd0, S_HDR = 4'd1, S_DATA = 4'd2, S_CHK = 4'd3, S_DROP = 4'd4,
               S_RD_REG = 4'd5, S_SEND = 4'd6, S_MEM_RD = 4'd7, S_SUM = 4'd8, S_NAK = 4'd9;
    reg [3:0] st;
    reg [7:0] op, sum, tsum, nak;
    reg [2:0] hleft;              // header bytes still to come
    reg [39:0] hdr;               // header bytes, the first in [7:0]
    reg [16:0] left;              // data bytes still to move
    reg bad_range;
    reg [IW-1:0] idle;            // clock cycles since the last byte
    reg [2:0] rw;                 // read wait
    reg [31:0] rd;                // register read data, sent LSB first
    reg [2:0] nsend;              // bytes of rd still to send
    reg drop;                     // after the response, ignore the line until it is quiet
    wire [7:0] nsum = sum + r_sh;
    wire [24:0] mend = {1'b0, hdr[23:0]} + {9'd0, hdr[39:24]};
    wire [7:0] opb = op;
    wire is_mem = opb == `PK_UART_OP_WRITE_MEM || opb == `PK_UART_OP_READ_MEM;
    always @(posedge clk) begin
        reg_we <= 1'b0;
        reg_re <= 1'b0;
        mem_we <= 1'b0;
        t_go <= 1'b0;
        if (rst) begin
            st <= S_OP;
            mem_re <= 1'b0;
            idle <= {IW{1'b0}};
        end else begin
            if (mem_we)
                mem_addr <= mem_addr + 24'd1;
            idle <= (rx_ok || rx_bad || st == S_OP) ? {IW{1'b0}} : idle + 1'b1;
            if (st != S_OP && st != S_DROP && st < S_RD_REG && rx_bad) begin
                nak <= `PK_UART_NAK_FRAMING;
                st <= S_NAK;
            end else if ((st == S_HDR || st == S_DATA || st == S_CHK || st == S_DROP) &&
                         idle == IDLE) begin
                st <= S_OP;       // the line went quiet mid-frame
            end else
                case (st)
                    S_OP: if (rx_ok) begin
                        op <= r_sh;
                        sum <= r_sh;
                        bad_range <= 1'b0;
                        hleft <= r_sh == `PK_UART_OP_READ_REG ? 3'd1 : 3'd5;
                        if (r_sh == `PK_UART_OP_WRITE_REG || r_sh == `PK_UART_OP_READ_REG ||
                            r_sh == `PK_UART_OP_WRITE_MEM || r_sh == `PK_UART_OP_READ_MEM)
                            st <= S_HDR;
                        else begin
                            nak <= `PK_UART_NAK_OPCODE;
                            st <= S_NAK;
                        end
                    end
                    S_HDR: if (rx_ok) begin
                        sum <= nsum;
                        hdr <= {r_sh, hdr[39:8]};
                        hleft <= hleft - 3'd1;
                        if (hleft == 3'd1)
                            st <= S_SUM;
                    end
                    S_SUM: begin  // header complete (in order if READ_REG)
                        if (opb == `PK_UART_OP_READ_REG)
                            hdr <= {32'd0, hdr[39:32]};
                        mem_addr <= hdr[23:0];
                        left <= {1'b0, hdr[39:24]};
                        bad_range <= {7'd0, mend} > MEMB32;
                        st <= (opb == `PK_UART_OP_WRITE_MEM && hdr[39:24] != 16'd0) ? S_DATA
                                                                                    : S_CHK;
                    end
                    S_DATA: if (rx_ok) begin
                        sum <= nsum;
                        mem_we <= !bad_range;
                        mem_wdata <= r_sh;
                        left <= left - 17'd1;
                        if (left == 17'd1)
                            st <= S_CHK;
                    end
                    S_CHK: if (rx_ok) begin
                        if (nsum != 8'd0) begin
                            nak <= `PK_UART_NAK_CHECKSUM;
                            st <= S_NAK;
                        end else if (bad_range && is_mem) begin
                            nak <= `PK_UART_NAK_RANGE;
                            st <= S_NAK;
                        end else begin
                            // execute, then answer ACK [data] chk
                            reg_addr <= hdr[7:0];
                            reg_wdata <= hdr[39:8];
                            reg_we <= opb == `PK_UART_OP_WRITE_REG;
                            reg_re <= opb == `PK_UART_OP_READ_REG;
                            drop <= 1'b0;
                            nsend <= opb == `PK_UART_OP_READ_REG ? 3'd4 : 3'd0;
                            t_byte <= `PK_UART_ACK;
                            tsum <= `PK_UART_ACK;
                            t_go <= 1'b1;
                            st <= opb == `PK_UART_OP_READ_REG ? S_RD_REG
                                  : opb == `PK_UART_OP_READ_MEM ? S_MEM_RD : S_SEND;
                            if (opb == `PK_UART_OP_READ_MEM)
                                mem_re <= hdr[39:24] != 16'd0;
                            rw <= RD_LAT[2:0];
                        end
                    end
                    S_RD_REG: if (rw != 3'd0) begin
                        rw <= rw - 3'd1;
                    end else begin
                        rd <= reg_rdata;
                        st <= S_SEND;
                    end
                    S_MEM_RD: if (left == 17'd0) begin
                        st <= S_SEND;
                    end else if (rw != 3'd0) begin
                        rw <= rw - 3'd1;
                    end else if (t_idle) begin
                        t_byte <= mem_rdata;
                        tsum <= tsum + mem_rdata;
                        t_go <= 1'b1;
                        mem_addr <= mem_addr + 24'd1;
                        left <= left - 17'd1;
                        rw <= RD_LAT[2:0];
                        if (left == 17'd1)
                            mem_re <= 1'b0;
                    end
                    S_SEND: if (t_idle) begin
                        // nsend register bytes, then the checksum
                        t_go <= 1'b1;
                        if (nsend != 3'd0) begin
                            t_byte <= rd[7:0];
                            tsum <= tsum + rd[7:0];
                            rd <= {8'd0, rd[31:8]};
                            nsend <= nsend - 3'd1;
                        end else begin
                            t_byte <= 8'd0 - tsum;
                            st <= drop ? S_DROP : S_OP;
                        end
                    end
                    S_NAK: if (t_idle) begin
                        // NAK reason chk; after an opcode or framing error the rest is dropped
                        t_go <= 1'b1;
                        t_byte <= `PK_UART_NAK;
                        tsum <= `PK_UART_NAK;
                        rd <= {24'd0, nak};
                        nsend <= 3'd1;
                        drop <= nak == `PK_UART_NAK_OPCODE || nak == `PK_UART_NAK_FRAMING;
                        st <= S_SEND;
                    end
                    default: ;    // S_DROP: wait for the line to go quiet
                endcase
        end
    end
endmodule
