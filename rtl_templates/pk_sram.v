// pk_sram - generic synchronous simple-dual-port RAM (one write port, one
// read port), written so that Yosys infers block RAM (iCE40 EBR/SPRAM,
// Xilinx BRAM): registered read, no reset on the array.
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
    output reg  [WIDTH-1:0] rdata
);
    localparam LW = WIDTH / WLANES;

    reg [WIDTH-1:0] mem [0:DEPTH-1];

    // (an address wider than the depth needs is fine: upper words unused)
    /* verilator lint_off WIDTH */
    integer i;
    always @(posedge clk) begin
        if (we)
            for (i = 0; i < WLANES; i = i + 1)
                if (wmask[i])
                    mem[waddr][i*LW +: LW] <= wdata[i*LW +: LW];
        if (re)
            rdata <= mem[raddr];
    end
    /* verilator lint_on WIDTH */
    wire unused_sram = &{1'b0, waddr, raddr};
endmodule
