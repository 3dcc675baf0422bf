// pk_sram - generic synchronous simple-dual-port RAM (one write port, one
// read port), written so that Yosys infers block RAM (iCE40 EBR/SPRAM, ECP5
// DP16KD, Xilinx BRAM): registered read, no reset on the array.
//
// Parameters
//   WIDTH  bits per word; WLANES  write-enable lanes (WIDTH % WLANES == 0)
//   DEPTH  words; ABITS  address bits (2^ABITS >= DEPTH)
// Ports
//   we, wmask, waddr, wdata  write lane i of word waddr when we && wmask[i]
//                            (end of the cycle)
//   re, raddr -> rdata       rdata = mem[raddr] one cycle after re (held
//                            while re = 0); a read of the word being written
//                            in the same cycle returns the old word
//
// Structure: one memory per write lane, each cut into pieces of at most
// PIECE bits (all with the same address, enables and timing, so the whole
// behaves as one WIDTH-bit memory).  A 1024-bit word with 16 write lanes (the
// array buffers of a 16 x 16 array) is then 16 plain 64-bit memories that
// every block-RAM mapper handles directly, instead of one memory whose
// byte-enable mapping is searched bit by bit (Yosys memory_libmap needed more
// than 18 GB on edge.yaml's buffers).
module pk_sram #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ABITS = 4,
    parameter WLANES = 1
) (
    input  wire clk,
    input  wire we,
    input  wire [WLANES-1:0] wmask,
    input  wire [ABITS-1:0] waddr,
    input  wire [WIDTH-1:0] wdata,
    input  wire re,
    input  wire [ABITS-1:0] raddr,
    output wire [WIDTH-1:0] rdata
);
    localparam LW = WIDTH / WLANES;
    localparam PIECE = 72;                       // widest block-RAM port (Xilinx 512 x 72)
    localparam NP = (LW + PIECE - 1) / PIECE;    // pieces per lane

    genvar gl, gp;
    generate
        for (gl = 0; gl < WLANES; gl = gl + 1) begin : g_lane
            for (gp = 0; gp < NP; gp = gp + 1) begin : g_piece
                localparam LO = gp * PIECE;
                localparam PW = (LO + PIECE <= LW) ? PIECE : LW - LO;
                reg [PW-1:0] mem [0:DEPTH-1];
                reg [PW-1:0] q;
                // (an address wider than the depth needs is fine: upper words unused)
                /* verilator lint_off WIDTH */
                always @(posedge clk) begin
                    if (we && wmask[gl])
                        mem[waddr] <= wdata[gl*LW + LO +: PW];
                    if (re)
                        q <= mem[raddr];
                end
                /* verilator lint_on WIDTH */
                assign rdata[gl*LW + LO +: PW] = q;
            end
        end
    endgenerate
    wire unused_sram = &{1'b0, waddr, raddr};
endmodule
