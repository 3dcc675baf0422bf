// pk_counters - the event counters of ARCHITECTURE.md section 8.
//
// N counters of 64 bits.  Every cycle counter i adds inc[i] (IW bits,
// unsigned).  clear (one cycle) zeroes all of them; an increment in the same
// cycle is lost.  The host reads one counter at a time through sel: value is
// combinational (pk_regs registers it).
module pk_counters #(
    parameter N = 22,
    parameter IW = 32
) (
    input  wire clk,
    input  wire rst,
    input  wire clear,
    input  wire [N*IW-1:0] inc,
    input  wire [4:0] sel,
    output wire [63:0] value
);
    reg [63:0] cnt [0:N-1];

    integer i;
    always @(posedge clk) begin
        for (i = 0; i < N; i = i + 1) begin
            if (rst || clear)
                cnt[i] <= 64'd0;
            else
                cnt[i] <= cnt[i] + {{(64-IW){1'b0}}, inc[i*IW +: IW]};
        end
    end

    assign value = (sel < N) ? cnt[sel] : 64'd0;
endmodule
