// pk_wbuf2 - the v2 weight buffer (ARCHITECTURE.md V2-3.2, V2-11.2, V2-11.6):
// COLS column banks of WD words of WBITS bits, both weight halves in one bank
// (WS: unit nt's words at nt * Wu .. nt * Wu + Wu - 1).  Each column bank is WI
// interleaved sub-banks (pk_sram, simple dual port): word address a lives in
// sub-bank a mod WI at row a div WI (WI a power of two).
//
// Write side: the loader's WWL lanes (ww_valid, ww_col, ww_addr, ww_data: the
// words one read-port beat completes, pk_ld2).  A beat's words for one column
// are consecutive addresses (V2-3.2: a unit's words in [k-step][column] order,
// then each column's record words), so up to WI of them fall into distinct
// sub-banks and all are written at the end of the beat's cycle: each word is
// readable from the next cycle (V2-7.1: U = D + 1) with no write FIFO.
// Sub-bank s of column c writes the word of the lane with ww_col = c and
// ww_addr mod WI = s.  Lanes WFL .. WWL - 1 carry depthwise codes only (a DW
// word is its one code widened in slot 0: 8 bits, the rest 0; pk_ld2 WFL), so
// ww_data holds WFL words of WBITS bits, then one byte per code lane, and a
// sub-bank's AND-OR over the lanes is WBITS bits wide over the first WFL lanes
// and 8 bits over the others (ice40: 2 and 6 of 8 lanes).  Whole lanes 1 .. WFL - 1
// carry at most LWB data bits (the rest zero: a word there lies in its beat past bit
// 0; pk_core2 computes LWB and gives it to pk_ld2 too, ecp5.yaml 16 of 64: V2-11.5
// "Scaling, steps 11 and 15"), so their AND terms past LWB are not built: a sub-bank's
// bits LWB .. WBITS - 1 are lane 0's alone.  pk_core2 builds only layers whose beats complete at most
// WI words per column (core/pk_v2_rtl.c pk_v2_rtl_supported, WI from
// pk_v2_rtl_params); if two lanes of one beat name one sub-bank of one column
// the word written is their OR and w_ovf rises (sticky until rst), so a
// violation is visible, not silent.
// Read side: COMPUTE (pk_seq2's k-steps and tail cycles) reads word raddr of
// every column in a cycle with re: row raddr div WI of every sub-bank, and
// rdata (column c at bits c * WBITS) one cycle later from sub-bank raddr mod
// WI (pk_sram: registered read; the select is registered with it).
module pk_wbuf2 #(
    parameter COLS = 4,
    parameter CA = 2,       // max(1, clog2 COLS)
    parameter WBITS = 64,   // word bits (V * L)
    parameter WD = 1024,    // words per column bank (both halves)
    parameter WA = 10,      // bank address bits (2^WA >= WD)
    parameter WWL = 8,      // loader write lanes
    parameter WI = 1,       // sub-banks per column (a power of two <= 2^WA)
    parameter WFL = WWL,    // lanes of whole words; lanes WFL .. WWL - 1 carry 8 data bits
    parameter LWB = WBITS,  // data bits of whole lanes 1 .. WFL - 1 (the rest zero: not read)
    parameter WDB = WFL * WBITS + (WWL - WFL) * 8   // ww_data bits
) (
    input  wire clk,
    input  wire rst,
    input  wire [WWL-1:0] ww_valid,
    input  wire [WWL*CA-1:0] ww_col,
    input  wire [WWL*WA-1:0] ww_addr,
    input  wire [WDB-1:0] ww_data,  // lane l < WFL at l * WBITS; l >= WFL: 8 bits at
                                    // WFL * WBITS + (l - WFL) * 8, the word's bits past 8 zero
    output reg  w_ovf,
    input  wire re,
    input  wire [WA-1:0] raddr,
    output wire [COLS*WBITS-1:0] rdata
);
    localparam IB = WI > 1 ? $clog2(WI) : 0;     // sub-bank select bits
    localparam SD = (WD + WI - 1) / WI;           // rows per sub-bank
    localparam SA = WA - IB > 0 ? WA - IB : 1;    // sub-bank row address bits
    localparam IS = IB > 0 ? IB : 1;
    localparam [WBITS-1:0] LWM = {WBITS{1'b1}} >> (WBITS - LWB);   // lanes 1 .. WFL - 1

    // the sub-bank of a read, one cycle after it (0 when WI = 1)
    reg [IS-1:0] rsel;
    wire [WA+IS-1:0] raddrx = {{IS{1'b0}}, raddr};
    wire [IS-1:0] rs = WI > 1 ? raddrx[IS-1:0] : {IS{1'b0}};
    wire [SA-1:0] rrow = WI > 1 ? raddrx[SA+IB-1:IB] : raddrx[SA-1:0];
    always @(posedge clk)
        if (re)
            rsel <= rs;

    wire [COLS*WI-1:0] dup;
    genvar gc, gs;
    generate
        for (gc = 0; gc < COLS; gc = gc + 1) begin : g_col
            wire [WI*WBITS-1:0] sub_q;
            for (gs = 0; gs < WI; gs = gs + 1) begin : g_sub
                reg we, two;
                reg [SA-1:0] wa;
                reg [WBITS-1:0] wd;
                reg [WA+IS-1:0] ax;
                integer l;
                always @* begin
                    we = 1'b0;
                    two = 1'b0;
                    wa = {SA{1'b0}};
                    wd = {WBITS{1'b0}};
                    ax = {(WA+IS){1'b0}};
                    // AND-OR of the lanes that name this sub-bank (at most one does,
                    // else w_ovf): shallower and smaller than a priority chain
                    for (l = 0; l < WWL; l = l + 1) begin
                        ax = {{IS{1'b0}}, ww_addr[l*WA +: WA]};
                        if (ww_valid[l] && ww_col[l*CA +: CA] == gc[CA-1:0] &&
                            (WI == 1 || ax[IS-1:0] == gs[IS-1:0])) begin
                            two = two | we;
                            we = 1'b1;
                            wa = wa | (WI > 1 ? ax[SA+IB-1:IB] : ax[SA-1:0]);
                            if (l == 0)
                                wd = wd | ww_data[WBITS-1:0];
                            else if (l < WFL)
                                wd = wd | (ww_data[(l < WFL ? l : 0)*WBITS +: WBITS] & LWM);
                            else
                                wd[7:0] = wd[7:0] | ww_data[WFL*WBITS + (l < WFL ? 0 : l - WFL)*8 +: 8];
                        end
                    end
                end
                assign dup[gc*WI + gs] = two;
                wire unused_ax = &{1'b0, ax};
                pk_sram #(.WIDTH(WBITS), .DEPTH(SD), .ABITS(SA), .WLANES(1)) u_bank (
                    .clk(clk), .we(we), .wmask(1'b1), .waddr(wa), .wdata(wd),
                    .re(re), .raddr(rrow), .rdata(sub_q[gs*WBITS +: WBITS]));
            end
            assign rdata[gc*WBITS +: WBITS] = sub_q[rsel*WBITS +: WBITS];
        end
    endgenerate

    always @(posedge clk)
        if (rst)
            w_ovf <= 1'b0;
        else if (|dup)
            w_ovf <= 1'b1;
    wire unused = &{1'b0, raddrx, rs, ww_data};   // (lanes 1 .. WFL - 1 past LWB)
endmodule
