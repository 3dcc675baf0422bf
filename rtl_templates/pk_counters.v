// pk_counters - the event counters of ARCHITECTURE.md section 8.
//
// N counters of CNT_BITS bits (default 64, the width of section 8; a small
// board top may ask for fewer: the counter then wraps at 2^CNT_BITS and value
// reads it zero-extended to 64 bits).  Every cycle counter i adds inc[i] (IW
// bits, unsigned; only its low CNT_BITS bits matter).  clear (one cycle)
// zeroes all of them; an increment in the same cycle is lost.  The host reads one counter at a time through sel: value is
// combinational (pk_regs registers it).  N and the select width come from
// pk_contract.vh (the counter rows of core/pk_contract.def).
`include "pk_contract.vh"
module pk_counters #(
    parameter N = `PK_CNT_COUNT,
    parameter IW = 32,
    parameter CNT_BITS = 64
) (
    input  wire clk,
    input  wire rst,
    input  wire clear,
    input  wire [N*IW-1:0] inc,
    input  wire [$clog2(`PK_CNT_COUNT)-1:0] sel,
    output wire [63:0] value
);
    localparam CW = CNT_BITS;
    localparam XW = CW > IW ? CW : IW;
    reg [CW-1:0] cnt [0:N-1];

    genvar g;
    // (bits of incx above CW are unused when CNT_BITS < IW)
    /* verilator lint_off UNUSEDSIGNAL */
    generate
        for (g = 0; g < N; g = g + 1) begin : g_cnt
            // the increment, zero-extended (or truncated) to CW bits
            wire [XW-1:0] incx;
            if (XW > IW) begin : g_zx
                assign incx = {{(XW-IW){1'b0}}, inc[g*IW +: IW]};
            end else begin : g_same
                assign incx = inc[g*IW +: IW];
            end
            always @(posedge clk) begin
                if (rst || clear)
                    cnt[g] <= {CW{1'b0}};
                else
                    cnt[g] <= cnt[g] + incx[CW-1:0];
            end
        end
    endgenerate
    /* verilator lint_on UNUSEDSIGNAL */

    wire [CW-1:0] sel_v = (sel < N) ? cnt[sel] : {CW{1'b0}};
    generate
        if (CW < 64) begin : g_ext
            assign value = {{(64-CW){1'b0}}, sel_v};
        end else begin : g_full
            assign value = sel_v;
        end
    endgenerate
endmodule
