// pk_desc2 - the v2 descriptor RAM (ARCHITECTURE.md V2-11.1, V2-7.5):
// two entries of 2^WA 32-bit words (entry L mod 2 holds layer L's
// descriptor; layer L + 1's is written into the other while L runs).
//
// Write side (the loader): one read-port beat of PB bytes per cycle, so a
// descriptor is usable in the cycle after its last beat's write (the
// model's U = D + 1).  A write row is ROWB = max(PB, 4) bytes; with PB < 4 a
// beat fills lane `wlane` (PB bytes) of a one-word row.  Beat b of entry e
// is write row e * (2^WA * 4 / ROWB) + b (wrow).
// Read side (the controller): one read row of DLW 32-bit words per cycle
// (pk_v2_desc_load_lanes: min(8, max(1, PB / 2))), read row `raddr` (entry
// in the top bit; words raddr * DLW .. raddr * DLW + DLW - 1 of the entry,
// word w in rdata[32 (w mod DLW) +: 32]); rdata one cycle after re
// (registered: the pk_sram block RAM), held while re = 0.
//
// Design: one pk_sram of MB = max(ROWB, 4 DLW)-byte rows with MB / PB write
// lanes of PB bytes (one lane when MB = PB); a beat's RAM row and lane are
// the high and low bits of its index {wrow, wlane}.  A read selects the DLW-word group
// inside the RAM row (when the row holds more than DLW words, PB > 2 DLW)
// with the group offset registered beside the RAM's own output register.
// 2 x 64 words = 4 kbit: one iCE40 EBR at PB <= 2 (DLW = 1).
`include "pk_contract.vh"
module pk_desc2 #(
    parameter WA = $clog2(`PK_DESC2_WORDS),   // log2 of the words per descriptor
    parameter PB = 8,                         // read-port bytes per beat (power of two)
    parameter DLW = 1,                        // words a read (power of two, <= 2^WA)
    parameter ROWB = PB < 4 ? 4 : PB,         // bytes per write row
    parameter RWA = WA + 1 - ((ROWB / 4) > 1 ? $clog2(ROWB / 4) : 0),  // write row address bits
    parameter LANES = ROWB / PB,
    parameter LA = LANES > 1 ? $clog2(LANES) : 1,
    parameter DLL = DLW > 1 ? $clog2(DLW) : 0,
    parameter RDA = WA + 1 - DLL              // read row address bits (with the entry)
) (
    input  wire clk,
    // loader: one beat per cycle
    input  wire we,
    input  wire [RWA-1:0] wrow,
    input  wire [LA-1:0] wlane,
    input  wire [8*PB-1:0] wdata,
    // controller: one read row of DLW words per cycle
    input  wire re,
    input  wire [RDA-1:0] raddr,
    output wire [32*DLW-1:0] rdata
);
    localparam MB = ROWB > 4 * DLW ? ROWB : 4 * DLW;   // bytes per RAM row
    localparam ML = MB / PB;                           // RAM write lanes (of PB bytes)
    localparam MLL = ML > 1 ? $clog2(ML) : 0;
    localparam MLA = ML > 1 ? MLL : 1;
    localparam GB = RWA + (LANES > 1 ? LA : 0);        // beat index bits
    localparam MRA = GB - MLL;                         // RAM row address bits
    localparam NG = MB / (4 * DLW);                    // read groups per RAM row
    localparam GL = NG > 1 ? $clog2(NG) : 1;

    // the beat's index in PB-byte units (write row, lane), and its RAM row and lane
    wire [GB-1:0] beat;
    wire [MRA-1:0] mrow;
    wire [MLA-1:0] mlane;
    generate
        if (LANES > 1) begin : g_bl
            assign beat = {wrow, wlane};
        end else begin : g_b1
            assign beat = wrow;
        end
        if (MLL > 0) begin : g_ml
            assign mrow = beat[GB-1:MLL];
            assign mlane = beat[MLL-1:0];
        end else begin : g_m1
            assign mrow = beat;
            assign mlane = 1'b0;
        end
    endgenerate
    wire [ML-1:0] wmask;
    wire [8*MB-1:0] mdata;
    genvar gl;
    generate
        for (gl = 0; gl < ML; gl = gl + 1) begin : g_lane
            assign wmask[gl] = ML == 1 || mlane == gl[MLA-1:0];
            assign mdata[gl*8*PB +: 8*PB] = wdata;
        end
    endgenerate

    wire [8*MB-1:0] q;
    wire [MRA-1:0] rrow;
    reg [GL-1:0] roff;
    generate
        if (NG > 1) begin : g_off
            assign rrow = raddr[RDA-1:GL];
            always @(posedge clk)
                if (re)
                    roff <= raddr[GL-1:0];
        end else begin : g_group
            assign rrow = raddr;
            always @(posedge clk)
                roff <= 1'b0;
        end
    endgenerate

    pk_sram #(.WIDTH(8 * MB), .DEPTH(1 << MRA), .ABITS(MRA), .WLANES(ML)) u_ram (
        .clk(clk), .we(we), .wmask(wmask), .waddr(mrow), .wdata(mdata),
        .re(re), .raddr(rrow), .rdata(q));

    assign rdata = q[roff*32*DLW +: 32*DLW];
    wire unused_desc2 = &{1'b0, wlane, mlane};
endmodule
