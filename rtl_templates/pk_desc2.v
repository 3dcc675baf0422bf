// pk_desc2 - the v2 descriptor RAM (ARCHITECTURE_V2.md V2-11.1, V2-7.5):
// two entries of 2^WA 32-bit words (entry L mod 2 holds layer L's
// descriptor; layer L + 1's is written into the other while L runs).
//
// Write side (the loader): one read-port beat of PB bytes per cycle, so a
// descriptor is usable in the cycle after its last beat's write (the
// model's U = D + 1).  A row is max(PB, 4) bytes; with PB < 4 a beat
// fills lane `wlane` (PB bytes) of a one-word row.  Beat b of entry e is
// row e * (2^WA * 4 / ROWB) + b (wrow).
// Read side (the controller): one 32-bit word per cycle, word `raddr` (entry
// in the top bit); rdata one cycle after re (registered: the pk_sram block
// RAM), held while re = 0.
//
// Design: one pk_sram of ROWB-byte rows with ROWB / PB write lanes (one lane
// when PB >= 4); the read selects the word inside the row with the word
// offset registered beside the RAM's own output register.  2 x 64 words =
// 4 kbit: one iCE40 EBR at PB <= 2.
`include "pk_contract.vh"
module pk_desc2 #(
    parameter WA = $clog2(`PK_DESC2_WORDS),   // log2 of the words per descriptor
    parameter PB = 8,                         // read-port bytes per beat (power of two)
    parameter ROWB = PB < 4 ? 4 : PB,         // bytes per RAM row
    parameter RWA = WA + 1 - ((ROWB / 4) > 1 ? $clog2(ROWB / 4) : 0),  // row address bits
    parameter LANES = ROWB / PB,
    parameter LA = LANES > 1 ? $clog2(LANES) : 1
) (
    input  wire clk,
    // loader: one beat per cycle
    input  wire we,
    input  wire [RWA-1:0] wrow,
    input  wire [LA-1:0] wlane,
    input  wire [8*PB-1:0] wdata,
    // controller: one word per cycle
    input  wire re,
    input  wire [WA:0] raddr,
    output wire [31:0] rdata
);
    localparam WPR = ROWB / 4;                // words per row
    localparam OB = WPR > 1 ? $clog2(WPR) : 1;

    wire [LANES-1:0] wmask;
    wire [8*ROWB-1:0] wrow_data;
    genvar gl;
    generate
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_lane
            assign wmask[gl] = LANES == 1 || wlane == gl[LA-1:0];
            assign wrow_data[gl*8*PB +: 8*PB] = wdata;
        end
    endgenerate

    wire [8*ROWB-1:0] q;
    wire [RWA-1:0] rrow;
    reg [OB-1:0] roff;
    generate
        if (WPR > 1) begin : g_off
            assign rrow = raddr[WA:OB];
            always @(posedge clk)
                if (re)
                    roff <= raddr[OB-1:0];
        end else begin : g_word
            assign rrow = raddr;
            always @(posedge clk)
                roff <= 1'b0;
        end
    endgenerate

    pk_sram #(.WIDTH(8 * ROWB), .DEPTH(1 << RWA), .ABITS(RWA), .WLANES(LANES)) u_ram (
        .clk(clk), .we(we), .wmask(wmask), .waddr(wrow), .wdata(wrow_data),
        .re(re), .raddr(rrow), .rdata(q));

    assign rdata = q[roff*32 +: 32];
    wire unused_desc2 = &{1'b0, wlane};
endmodule
