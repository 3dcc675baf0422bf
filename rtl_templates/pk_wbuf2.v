// pk_wbuf2 - the v2 weight buffer (ARCHITECTURE_V2.md V2-3.2, V2-11.2): COLS
// column banks of WD words of WBITS bits (pk_sram, simple dual port), both
// weight halves in one bank (WS: unit nt's words at nt * Wu .. nt * Wu + Wu - 1).
//
// Write side: the loader's WWL lanes (ww_valid, ww_col, ww_addr, ww_data: the
// words one read-port beat completes, pk_ld2).  Column c writes the word of
// the lane with ww_col = c at the end of the beat's cycle, so the word is
// readable from the next cycle (V2-7.1: U = D + 1).  A bank has one write
// port: pk_core2 builds only layers whose beats complete at most one word
// per column (core/pk_v2_rtl.c pk_v2_rtl_supported); if two lanes of one
// beat name one column the highest lane wins and w_ovf rises (sticky until
// rst), so a violation is visible, not silent.
// Read side: COMPUTE (pk_seq2's k-steps and tail cycles) reads word raddr of
// every column in a cycle with re; rdata (column c at bits c * WBITS) one
// cycle later (pk_sram: registered read).
module pk_wbuf2 #(
    parameter COLS = 4,
    parameter CA = 2,       // max(1, clog2 COLS)
    parameter WBITS = 64,   // word bits (V * L)
    parameter WD = 1024,    // words per column bank (both halves)
    parameter WA = 10,      // bank address bits (2^WA >= WD)
    parameter WWL = 8       // loader write lanes
) (
    input  wire clk,
    input  wire rst,
    input  wire [WWL-1:0] ww_valid,
    input  wire [WWL*CA-1:0] ww_col,
    input  wire [WWL*WA-1:0] ww_addr,
    input  wire [WWL*WBITS-1:0] ww_data,
    output reg  w_ovf,
    input  wire re,
    input  wire [WA-1:0] raddr,
    output wire [COLS*WBITS-1:0] rdata
);
    wire [COLS-1:0] dup;
    genvar gc;
    generate
        for (gc = 0; gc < COLS; gc = gc + 1) begin : g_col
            reg we, two;
            reg [WA-1:0] wa;
            reg [WBITS-1:0] wd;
            integer l;
            always @* begin
                we = 1'b0;
                two = 1'b0;
                wa = {WA{1'b0}};
                wd = {WBITS{1'b0}};
                for (l = 0; l < WWL; l = l + 1)
                    if (ww_valid[l] && ww_col[l*CA +: CA] == gc[CA-1:0]) begin
                        two = two | we;
                        we = 1'b1;
                        wa = ww_addr[l*WA +: WA];
                        wd = ww_data[l*WBITS +: WBITS];
                    end
            end
            assign dup[gc] = two;
            pk_sram #(.WIDTH(WBITS), .DEPTH(WD), .ABITS(WA), .WLANES(1)) u_bank (
                .clk(clk), .we(we), .wmask(1'b1), .waddr(wa), .wdata(wd),
                .re(re), .raddr(raddr), .rdata(rdata[gc*WBITS +: WBITS]));
        end
    endgenerate

    always @(posedge clk)
        if (rst)
            w_ovf <= 1'b0;
        else if (|dup)
            w_ovf <= 1'b1;
endmodule
