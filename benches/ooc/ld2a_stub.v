// pk_ld2a stub for pk_ld2's out-of-context measurement (benches/ooc/ld2_ooc.sh; not built by
// the suite): pk_ld2a's ports and parameters, every input into a flip-flop and every output
// from one (each output bit the registered parity of two input bits), so pk_ld2's paths into
// u_ring / u_rb end at a register and those out of them start at one, and pk_ld2a's own paths
// (measured alone: V2-11.5 "Timing, steps 13 and 16") are not in the netlist.
module pk_ld2a #(
    parameter ROWS = 4,
    parameter RA = 2,
    parameter WBITS = 64,
    parameter AW = 10,
    parameter PORT_BYTES = 8,
    parameter WL = 8,
    parameter MODES = 16'hFFFF,
    parameter FXL = 3,
    parameter FPX = WL,
    parameter GLOB = 1,
    parameter RAW = 0
) (
    input  wire clk,
    input  wire rst,
    input  wire start,
    input  wire l_flat,
    input  wire [1:0] l_alog,
    input  wire l_asigned,
    input  wire [1:0] l_mlog,
    input  wire [15:0] l_in_w,
    input  wire [15:0] l_jw,
    input  wire [15:0] l_cbits,
    input  wire [15:0] l_lbits,
    input  wire [15:0] l_lnch,
    input  wire [15:0] l_pskip,
    input  wire [7:0] l_sp,
    input  wire [AW-1:0] l_sjw,
    input  wire [7:0] l_u0,
    input  wire [RA-1:0] l_q0,
    input  wire [AW-1:0] l_g0,
    input  wire [AW-1:0] l_a0,
    input  wire [AW-1:0] l_awrap,
    input  wire [AW-1:0] l_wb,
    input  wire [AW:0] l_cap_wb,
    input  wire [RA-1:0] l_rb0,
    input  wire [RA-1:0] l_owm,
    input  wire [3:0] l_ym0, l_s,
    input  wire [7:0] l_kh,
    input  wire [1:0] l_fxlog,
    input  wire [2:0] l_cplog,
    input  wire [2:0] l_fu0,
    input  wire l_glob,
    input  wire [15:0] l_jin,
    input  wire l_prun,
    input  wire l_pre,
    input  wire beat,
    input  wire pass0,
    input  wire [8*PORT_BYTES-1:0] beat_data,
    output reg  [WL-1:0] w_valid,
    output reg  [WL*RA-1:0] w_bank,
    output reg  [WL*AW-1:0] w_addr,
    output reg  [WL*WBITS-1:0] w_data
);
    localparam NI = 8 * PORT_BYTES + 165 + 6 * AW + 3 * RA;  // the bits below
    wire [NI-1:0] in = {beat, pass0, beat_data,
        rst, start, l_flat, l_alog, l_asigned, l_mlog, l_in_w, l_jw, l_cbits, l_lbits, l_lnch,
        l_pskip, l_sp, l_sjw, l_u0, l_q0, l_g0, l_a0, l_awrap, l_wb, l_cap_wb, l_rb0, l_owm,
        l_ym0, l_s, l_kh, l_fxlog, l_cplog, l_fu0, l_glob, l_jin, l_prun, l_pre};
    localparam NO = WL + WL * RA + WL * AW + WL * WBITS;
    reg [NI-1:0] in_r;
    reg [NO-1:0] out_r;
    integer i;
    always @(posedge clk) begin
        in_r <= in;
        for (i = 0; i < NO; i = i + 1)
            out_r[i] <= in_r[i % NI] ^ in_r[(7 * i + 3) % NI];
    end
    always @(*) begin
        {w_valid, w_bank, w_addr, w_data} = out_r;
    end
endmodule
