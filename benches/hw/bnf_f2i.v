// bnf_f2i - IEEE binary float (EW exponent bits, FW fraction bits) to a signed
// P-bit integer, round to nearest even, saturating: +inf and values above
// 2^(P-1)-1 give 2^(P-1)-1, -inf and values below -2^(P-1) give -2^(P-1);
// NaN gives 0; a subnormal input is read as zero.  Combinational.  The
// shifter is only as wide as the format's finite range needs (fp16: 17-bit
// integer part).  Written for benches/bench_hw.py; not part of the Pike RTL.
module bnf_f2i #(
    parameter P = 32,
    parameter EW = 8,
    parameter FW = 23
) (
    input  wire [EW+FW:0] f,
    output wire signed [P-1:0] y
);
    localparam N = EW + FW + 1;
    localparam XW = EW + 3;
    localparam integer BIASI = (1 << (EW - 1)) - 1;
    localparam [XW-1:0] BIAS = (1 << (EW - 1)) - 1;
    // finite, not tiny, not saturating: unbiased exponent in [-1, EHI]
    localparam integer EHI = (P - 2 < BIASI) ? P - 2 : BIASI;
    localparam SMAX = EHI + 1;                  // shift amounts 0 .. SMAX
    localparam CWS = $clog2(SMAX + 1);
    localparam WL = FW + 1 + SMAX;              // (1.fraction) << SMAX fits
    localparam MW = SMAX + 1;                   // rounded magnitude, <= 2^SMAX

    wire s = f[N-1];
    wire [EW-1:0] eb = f[N-2:FW];
    wire [FW-1:0] fr = f[FW-1:0];
    wire ex = (eb == {EW{1'b1}});
    wire nan = ex & (fr != {FW{1'b0}});
    wire signed [XW-1:0] eu = $signed({{(XW-EW){1'b0}}, eb} - BIAS);   // unbiased exponent
    localparam signed [XW-1:0] EM1 = -1;
    localparam integer EP1I = P - 1;
    localparam signed [XW-1:0] EP1 = EP1I[XW-1:0];
    wire tiny = (eu < EM1);                     // |f| < 1/2 (includes zero / subnormal)
    wire big = ex | (eu >= EP1);                // inf, or |f| >= 2^(P-1)

    // |f| * 2^(FW+1) = (1.fr << (eu + 1)) for eu in [-1, EHI]
    wire [CWS-1:0] sh = eu[CWS-1:0] + 1'b1;
    wire [WL-1:0] lv = {{SMAX{1'b0}}, 1'b1, fr} << sh;
    wire [SMAX-1:0] ip = lv[WL-1:FW+1];
    wire g = lv[FW];
    wire st = |lv[FW-1:0];
    wire up = g & (st | ip[0]);
    wire [MW-1:0] mag = {1'b0, ip} + {{SMAX{1'b0}}, up};
    wire [P-1:0] magp;
    generate
        if (MW < P) begin : g_ext
            assign magp = {{(P-MW){1'b0}}, mag};
        end else begin : g_same
            assign magp = mag;
        end
    endgenerate
    wire pos_ovf = ~s & magp[P-1];              // rounded up to 2^(P-1)
    wire [P-1:0] smax = {1'b0, {(P-1){1'b1}}};
    wire [P-1:0] smin = {1'b1, {(P-1){1'b0}}};

    assign y = nan  ? {P{1'b0}}
             : tiny ? {P{1'b0}}
             : big  ? (s ? smin : smax)
             : pos_ovf ? smax
             : s    ? (~magp + 1'b1)
             :        magp;
endmodule
