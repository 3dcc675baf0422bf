// pk_board_io - what a board top puts around a Pike core (pk_board_spi: v1's
// pk_core; pk_board2: v2's pk_core2; both cores have the same external
// ports): the on-chip memory that serves the core's read and write ports,
// and host access to the core's registers and that memory through an SPI
// slave or a UART (pk_uart_bridge, the serial command protocol of
// docs/ARCHITECTURE_V1.md 9.1; what pikehost speaks).  Use one host port at a
// time.
//
// SPI (mode 0, MSB first, spi_sclk at most clk / 8): one frame per cs_n low,
// 8 bytes: cmd, a2, a1, a0, d3, d2, d1, d0.  cmd bit7 = write, bit6 = memory
// (else register).  Register access: address a0, data d3..d0 (a read returns
// the register on miso during the data bytes).  Memory access: byte address
// {a2, a1, a0}, data d0 (a read returns the byte in d0).  Host memory access
// is meant for an idle core (it wins over the core's writes).
//
// Register PK_REG_BOARD_ID (0x07, a host address the cores leave unmapped)
// reads BOARD_ID, the board's identity word (ARCHITECTURE.md V2-11.7:
// 0 on v1's board, arch << 24 | the config fingerprint on v2's); every other
// register read is the core's.
//
// Memory: MEM_BYTES bytes in PORT_BYTES byte banks (pk_sram each, so a beat
// at any byte address is one read per bank).  Read requests are queued
// (REQ_DEPTH, at least the core's most outstanding requests) and served in
// order, one beat per cycle, with the timing of ARCHITECTURE_V1.md 7.1: the
// first beat of a request accepted in cycle I in cycle max(I + MEM_LATENCY,
// the cycle after the previous request's last beat), so the board's cycle
// counts equal pikesim's (exact for MEM_LATENCY >= 4, the queue's own
// latency; from MEM_LATENCY 5 the read data is registered once more inside
// that latency: RDR below; a request may wait at most 2^23 cycles in the queue; a request is
// 1 to 2^16 - 1 beats: the queue keeps 16 bits of the beat count, so a request
// of 0 beats or of a multiple of 2^16 streams 2^16 beats; the cores never send
// one, they split runs at MAX_BURST bytes).  UART_DIV is the UART's clock cycles
// per bit.
`include "pk_contract.vh"
module pk_board_io #(
    parameter PORT_BYTES = 2,
    parameter MEM_LATENCY = 8,
    parameter ADDR_BITS = 24,
    parameter MEM_BYTES = 8192,
    parameter REQ_DEPTH = 256,
    parameter UART_DIV = 434,     // UART clock cycles per bit (>= UART_MIN_DIV)
    parameter BOARD_ID = 0        // what register PK_REG_BOARD_ID reads
) (
    input  wire clk,
    input  wire rst,
    // pins
    input  wire spi_sclk,
    input  wire spi_cs_n,
    input  wire spi_mosi,
    output wire spi_miso,
    input  wire uart_rx,
    output wire uart_tx,
    // the core's host bus (pk_regs: host_rdata the cycle after host_re)
    output wire host_we,
    output wire host_re,
    output wire [7:0] host_addr,
    output wire [31:0] host_wdata,
    input  wire [31:0] host_rdata,
    // the core's read port (always ready) and write port (always ready)
    input  wire rd_req_valid,
    input  wire [ADDR_BITS-1:0] rd_req_addr,
    input  wire [31:0] rd_req_len,
    output wire rd_data_valid,
    output wire [8*PORT_BYTES-1:0] rd_data,
    input  wire wr_valid,
    input  wire [ADDR_BITS-1:0] wr_addr,
    input  wire [8*PORT_BYTES-1:0] wr_data,
    input  wire [PORT_BYTES-1:0] wr_strb
);
    localparam PB = PORT_BYTES;
    localparam PBL = (PB >= 64) ? 6 : (PB >= 32) ? 5 : (PB >= 16) ? 4 : (PB >= 8) ? 3 :
                     (PB >= 4) ? 2 : (PB >= 2) ? 1 : 0;
    localparam BD = MEM_BYTES / PB;             // words per bank
    localparam BA = $clog2(BD);
    localparam QA = $clog2(REQ_DEPTH);
    // a queued request keeps what serving it needs: the address bits that pick
    // a memory byte (MA), its beat count (16 bits: 64 Ki beats, far beyond
    // MEM_BYTES) and the cycle its first beat is due (TW bits, wrapping) --
    // fewer EBR than the full 24 + 32 bits
    localparam MA = BA + PBL;
    localparam TW = 24;
    localparam QW = MA + 16 + TW;
    // RDR: the beat's bytes leave through a register after the banks' read and
    // rotation (one cycle more inside MEM_LATENCY, so the memory's read is not in
    // a path into the core: V2-11.5 "Timing, step 30"); the timing above stays
    // exact where MEM_LATENCY >= 5, so shorter latencies keep the direct path
    localparam RDR = (MEM_LATENCY >= 5) ? 1 : 0;

    // ---- host access: the SPI slave's or the UART bridge's (one at a time) -----------------
    reg spi_we, spi_re;
    reg [7:0] spi_addr;
    reg [31:0] spi_wdata;
    wire u_we, u_re, u_mwe, u_mre;
    wire [7:0] u_addr, u_mdata;
    wire [31:0] u_wdata;
    wire [23:0] u_maddr;
    assign host_we = spi_we | u_we;
    assign host_re = spi_re | u_re;
    assign host_addr = (u_we | u_re) ? u_addr : spi_addr;
    assign host_wdata = u_we ? u_wdata : spi_wdata;
    // the board's own register: selected with the read, like pk_regs' host_rdata
    reg board_sel;
    always @(posedge clk) begin
        if (rst)
            board_sel <= 1'b0;
        else if (host_re)
            board_sel <= host_addr == `PK_REG_BOARD_ID;
    end
    wire [31:0] board_word = BOARD_ID;
    wire [31:0] reg_rdata = board_sel ? board_word : host_rdata;

    // ---- request queue ----------------------------------------------------------------------
    // The queue RAM is read every cycle at the head (q_out = the head request
    // from the second cycle after it was written); the head starts streaming
    // when the stream is free (or on its last beat) and its first beat falls on
    // or after its due cycle (accept cycle + MEM_LATENCY): 7.1 exactly.
    reg [QA:0] q_wr, q_wr_d, q_rd;
    reg [TW-1:0] now;             // cycle counter (wraps)
    wire [QW-1:0] q_out;
    wire [31:0] rq_beats = (rd_req_len + PB - 1) >> PBL;
    wire [TW-1:0] due = now + MEM_LATENCY[TW-1:0];
    wire [TW-1:0] q_due = q_out[TW-1:0];
    // > 0 (as signed): too early to start; RDR more cycles ahead where the beat's
    // bytes pass the read register (below)
    wire [TW-1:0] q_wait = q_due - now - (RDR ? {{(TW-2){1'b0}}, 2'd3} : {{(TW-2){1'b0}}, 2'd2});
    reg s_on;                     // streaming
    reg [MA-1:0] s_addr;          // the byte's bits in the memory (the rest is never read)
    reg [15:0] s_left;            // beats left
    wire q_head = q_rd != q_wr_d;
    wire q_start = q_head && (!s_on || s_left == 16'd1) &&
                   (q_wait[TW-1] || q_wait == {TW{1'b0}});
    wire [QA:0] q_rd_n = q_rd + {{QA{1'b0}}, q_start};
    pk_sram #(.WIDTH(QW), .DEPTH(REQ_DEPTH), .ABITS(QA), .WLANES(1)) u_q (
        .clk(clk), .we(rd_req_valid), .wmask(1'b1), .waddr(q_wr[QA-1:0]),
        .wdata({rd_req_addr[MA-1:0], rq_beats[15:0], due}), .re(1'b1),
        .raddr(q_rd_n[QA-1:0]), .rdata(q_out));

    always @(posedge clk) begin
        if (rst) begin
            q_wr <= {(QA+1){1'b0}};
            q_wr_d <= {(QA+1){1'b0}};
            q_rd <= {(QA+1){1'b0}};
            now <= {TW{1'b0}};
            s_on <= 1'b0;
        end else begin
            now <= now + 1'b1;
            q_wr_d <= q_wr;
            if (rd_req_valid)
                q_wr <= q_wr + 1'b1;
            q_rd <= q_rd_n;
            if (q_start) begin
                s_on <= 1'b1;
                s_addr <= q_out[QW-1:16+TW];
                s_left <= q_out[16+TW-1:TW];
            end else if (s_on) begin
                s_addr <= s_addr + PB[MA-1:0];
                s_left <= s_left - 16'd1;
                if (s_left == 16'd1)
                    s_on <= 1'b0;
            end
        end
    end
    wire beat_rd = s_on;

    // ---- banked memory ------------------------------------------------------------------------
    wire [PBL:0] sh;
    generate
        if (PB == 1) begin : g_sh1
            assign sh = 1'b0;
        end else begin : g_shn
            assign sh = {1'b0, s_addr[PBL-1:0]};
        end
    endgenerate
    wire [MA-1:0] s_word = s_addr >> PBL;
    wire [BA-1:0] s_word1 = s_word[BA-1:0] + {{(BA-1){1'b0}}, 1'b1};
    reg [PBL:0] sh_r;
    reg spi_mrd, spi_mwe;
    reg [23:0] spi_maddr;
    reg [7:0] spi_mdata;
    wire mem_host_rd = spi_mrd | u_mre;
    wire h_mwe = spi_mwe | u_mwe;
    wire [23:0] h_maddr = (u_mwe | u_mre) ? u_maddr : spi_maddr;
    wire [7:0] h_mdata = u_mwe ? u_mdata : spi_mdata;
    wire [8*PB-1:0] bank_q;
    // core write: lane j writes byte wr_addr + j, which is bank (wr_addr + j) % PB, word
    // (wr_addr + j) / PB; so bank b takes exactly one lane, (b - wr_addr) % PB, at word
    // wr_addr / PB, one word further where that lane wrapped past the last bank
    // (b < wr_addr % PB)
    wire [31:0] w_word = {{(32-ADDR_BITS){1'b0}}, wr_addr} >> PBL;
    wire [BA-1:0] w_word1 = w_word[BA-1:0] + {{(BA-1){1'b0}}, 1'b1};
    wire [PBL:0] wsh;
    generate
        if (PB == 1) begin : g_wsh1
            assign wsh = 1'b0;
        end else begin : g_wshn
            assign wsh = {1'b0, wr_addr[PBL-1:0]};
        end
    endgenerate
    // Byte rotations by a byte count in log2 PB steps of 2^i bytes (fewer LUTs than a
    // PB-way select per byte): the core's write data and strobes turned so that bank b
    // sees its lane, and the banks' bytes turned into beat lanes (lane j of the beat =
    // bank (sh + j) % PB).
    genvar gi, gk;
    generate
        for (gi = 0; gi <= PBL; gi = gi + 1) begin : g_rs
            // after stage gi: turned by the low gi bits of the count
            wire [8*PB-1:0] w, r;
            wire [PB-1:0] s;
            if (gi == 0) begin : g_in
                assign w = wr_data;
                assign s = wr_strb;
                assign r = bank_q;
            end else begin : g_step
                for (gk = 0; gk < PB; gk = gk + 1) begin : g_rb
                    localparam UP = (gk + PB - (1 << (gi - 1))) % PB;   // byte gk's source, turning up
                    localparam DN = (gk + (1 << (gi - 1))) % PB;        // and down
                    assign w[gk*8 +: 8] = wsh[gi-1] ? g_rs[gi-1].w[UP*8 +: 8] : g_rs[gi-1].w[gk*8 +: 8];
                    assign s[gk] = wsh[gi-1] ? g_rs[gi-1].s[UP] : g_rs[gi-1].s[gk];
                    assign r[gk*8 +: 8] = sh_r[gi-1] ? g_rs[gi-1].r[DN*8 +: 8] : g_rs[gi-1].r[gk*8 +: 8];
                end
            end
        end
    endgenerate
    wire [8*PB-1:0] w_rot = g_rs[PBL].w;
    wire [PB-1:0] ws_rot = g_rs[PBL].s;
    wire [8*PB-1:0] rot = g_rs[PBL].r;
    // the word addresses: a bank below the beat's first bank takes the next word; a
    // host access gives every bank its word
    wire [23:0] h_word = h_maddr >> PBL;
    wire [BA-1:0] w_a0 = h_mwe ? h_word[BA-1:0] : w_word[BA-1:0];
    wire [BA-1:0] w_a1 = h_mwe ? h_word[BA-1:0] : w_word1;
    wire [BA-1:0] r_a0 = mem_host_rd ? h_word[BA-1:0] : s_word[BA-1:0];
    wire [BA-1:0] r_a1 = mem_host_rd ? h_word[BA-1:0] : s_word1;
    genvar b;
    generate
        for (b = 0; b < PB; b = b + 1) begin : g_bank
            // host writes win; the address and data matter only with the enable
            wire w_en = h_mwe ? {8'd0, h_maddr} % PB == b : wr_valid && ws_rot[b];
            wire [BA-1:0] w_a = b < wsh ? w_a1 : w_a0;
            wire [7:0] w_d = h_mwe ? h_mdata : w_rot[b*8 +: 8];
            wire [BA-1:0] r_a = b < sh ? r_a1 : r_a0;
            pk_sram #(.WIDTH(8), .DEPTH(BD), .ABITS(BA), .WLANES(1)) u_bank (
                .clk(clk), .we(w_en), .wmask(1'b1), .waddr(w_a), .wdata(w_d),
                .re(1'b1), .raddr(r_a), .rdata(bank_q[b*8 +: 8]));
        end
    endgenerate
    reg beat_v;                   // the banks' read data (rot) is a beat
    always @(posedge clk) begin
        if (rst)
            beat_v <= 1'b0;
        else
            beat_v <= beat_rd;
        sh_r <= sh;
    end
    generate
        if (RDR != 0) begin : g_rdr
            reg [8*PB-1:0] rot_r;
            reg rot_v;
            always @(posedge clk) begin
                if (rst)
                    rot_v <= 1'b0;
                else
                    rot_v <= beat_v;
                rot_r <= rot;
            end
            assign rd_data_valid = rot_v;
            assign rd_data = rot_r;
        end else begin : g_rd0
            assign rd_data_valid = beat_v;
            assign rd_data = rot;
        end
    endgenerate

    // the byte at h_maddr, the cycle after a host read of it
    wire [7:0] h_mbyte = bank_q[({8'd0, h_maddr} % PB)*8 +: 8];

    // ---- SPI slave --------------------------------------------------------------------------------
    reg [2:0] sclk_s, cs_s, mosi_s;
    always @(posedge clk) begin
        sclk_s <= {sclk_s[1:0], spi_sclk};
        cs_s <= {cs_s[1:0], spi_cs_n};
        mosi_s <= {mosi_s[1:0], spi_mosi};
    end
    wire rise = sclk_s[2:1] == 2'b01;
    wire fall = sclk_s[2:1] == 2'b10;
    wire sel = !cs_s[1];
    reg [6:0] nbit;
    reg [63:0] sin;
    reg [31:0] sout;
    reg [2:0] rdly;
    wire [7:0] cmd = sin[31:24];
    always @(posedge clk) begin
        spi_we <= 1'b0;
        spi_re <= 1'b0;
        spi_mwe <= 1'b0;
        spi_mrd <= 1'b0;
        if (rst || !sel) begin
            nbit <= 7'd0;
            rdly <= 3'd0;
        end else begin
            if (rise) begin
                sin <= {sin[62:0], mosi_s[1]};
                nbit <= nbit + 7'd1;
                if (nbit == 7'd31) begin
                    // header complete (this bit included): start a read
                    spi_addr <= {sin[6:0], mosi_s[1]};
                    spi_maddr <= {sin[22:0], mosi_s[1]};
                    if (!sin[30]) begin
                        spi_re <= !sin[29];
                        spi_mrd <= sin[29];
                        rdly <= 3'd4;
                    end
                end
                if (nbit == 7'd63 && sin[62]) begin
                    // frame complete: do the write
                    if (sin[61]) begin
                        spi_mwe <= 1'b1;
                        spi_mdata <= {sin[6:0], mosi_s[1]};
                    end else begin
                        spi_we <= 1'b1;
                        spi_wdata <= {sin[30:0], mosi_s[1]};
                    end
                end
            end
            if (rdly != 3'd0) begin
                rdly <= rdly - 3'd1;
                if (rdly == 3'd1)
                    sout <= cmd[6] ? {24'd0, h_mbyte} : reg_rdata;
                if (cmd[6])
                    spi_mrd <= 1'b1;
            end else if (fall && nbit > 7'd32)
                sout <= {sout[30:0], 1'b0};
        end
    end
    assign spi_miso = sout[31];

    // ---- UART command port (ARCHITECTURE_V1.md 9.1) ------------------------------------------------
    pk_uart_bridge #(.DIV(UART_DIV), .MEM_BYTES(MEM_BYTES), .RD_LAT(2)) u_uart (
        .clk(clk), .rst(rst), .rx(uart_rx), .tx(uart_tx), .reg_we(u_we), .reg_re(u_re),
        .reg_addr(u_addr), .reg_wdata(u_wdata), .reg_rdata(reg_rdata), .mem_we(u_mwe),
        .mem_re(u_mre), .mem_addr(u_maddr), .mem_wdata(u_mdata), .mem_rdata(h_mbyte));
    wire unused_board = &{1'b0, s_word, w_word, h_word, rq_beats[31:16], rd_req_addr,
                          cs_s[2], mosi_s[2], sh_r, sin[63],
                          cmd[7], cmd[5:0]};
endmodule
