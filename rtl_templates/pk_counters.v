// pk_counters - the event counters of ARCHITECTURE_V1.md section 8.
//
// N counters of CNT_BITS bits (default 64, the width of section 8; a small
// board top or the v2 top may ask for fewer: the counter then wraps at
// 2^CNT_BITS and value reads it zero-extended to 64 bits).  KEEP bit i = 0
// builds no counter i: it reads 0 (the v2 top keeps the 14 of
// ARCHITECTURE.md V2-9).  Every cycle counter i adds inc[i] (IW bits,
// unsigned; only its low CNT_BITS bits matter).  clear (one cycle) zeroes all
// of them; an increment in the same cycle is lost.  The host reads one counter
// at a time through sel: value is combinational (pk_regs registers it).  N and
// the select width come from pk_contract.vh (the counter rows of
// core/pk_contract.def).
//
// The read multiplexes only the built counters: they are packed in index
// order (the k-th kept counter's parts at bits [k*EW +: EW] of kc), sel is mapped to
// that number k by a constant table, and one NK-way multiplexer picks it (a
// one-hot AND-OR over the N slots cost 618 of the 1,277 SB_LUT4 at ice40's
// 14 counters of 47 bits, ARCHITECTURE.md V2-11.5 "Lean control, step 8").
//
// A counter is held split (ARCHITECTURE.md V2-11.5 "Timing, step 6"): its low
// LB bits lo with the carry out of their last add cy, its high bits hi, and the
// increment's bits LB .. min(CW, IW) - 1 of the last cycle pend.  Every cycle
// {cy, lo} <= lo + inc[LB-1:0], pend <= inc's bits above LB and hi <= hi + pend
// + cy: the count is {hi + pend + cy, lo} (modulo 2^CW) in every cycle, so the
// event inputs reach a register through an LB-bit adder only (was CW bits) and
// the read adds hi + pend + cy after the multiplexer.
`include "pk_contract.vh"
module pk_counters #(
    parameter N = `PK_CNT_COUNT,
    parameter IW = 32,
    parameter CNT_BITS = 64,
    parameter [N-1:0] KEEP = {N{1'b1}}
) (
    input  wire clk,
    input  wire rst,
    input  wire clear,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [N*IW-1:0] inc,      // (a dropped counter's increment is unused)
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [$clog2(`PK_CNT_COUNT)-1:0] sel,
    output wire [63:0] value
);
    localparam CW = CNT_BITS;
    localparam XW = CW > IW ? CW : IW;
    // the low part: CW - 40 bits (pikegen's CNT_BITS is 41 + clog2 of the most events
    // a cycle: an increment fits), at least 8, at most CW
    localparam LB0 = CW - 40 > 8 ? CW - 40 : 8;
    localparam LB = LB0 < CW ? LB0 : CW;
    localparam HB = CW - LB;                     // high bits (0: no high part)
    localparam IB = CW < IW ? CW : IW;           // the increment's bits that count
    localparam PB = IB > LB ? IB - LB : 0;       // pend bits (0: none)
    localparam HW = HB > 0 ? HB : 1;
    localparam PWD = PB > 0 ? PB : 1;
    localparam EW = LB + HW + PWD + 1;           // a packed entry: {cy, pend, hi, lo}

    // KTAB byte i: counter i's place among the kept ones (the kept counters below i)
    function [8*N-1:0] ktab(input integer n);
        integer q, t;
        begin
            ktab = {(8*N){1'b0}};
            t = 0;
            for (q = 0; q < n; q = q + 1) begin
                ktab[q*8 +: 8] = t[7:0];
                if (KEEP[q])
                    t = t + 1;
            end
        end
    endfunction
    localparam [8*N-1:0] KTAB = ktab(N);
    localparam integer NK = {24'd0, KTAB[(N-1)*8 +: 8]} + (KEEP[N-1] ? 32'd1 : 32'd0);
    localparam KB = NK > 1 ? $clog2(NK) : 1;
    wire [NK*EW-1:0] kc;             // the kept counters' parts, packed

    genvar g;
    // (bits of incx above CW are unused when CNT_BITS < IW)
    /* verilator lint_off UNUSEDSIGNAL */
    generate
        for (g = 0; g < N; g = g + 1) begin : g_cnt
            if (KEEP[g]) begin : g_keep
                // the increment, zero-extended (or truncated) to CW bits
                wire [XW-1:0] incx;
                if (XW > IW) begin : g_zx
                    assign incx = {{(XW-IW){1'b0}}, inc[g*IW +: IW]};
                end else begin : g_same
                    assign incx = inc[g*IW +: IW];
                end
                reg [LB-1:0] lo;
                reg cy;
                reg [HW-1:0] hi;
                reg [PWD-1:0] pend;
                reg [HW-1:0] pend_x;             // pend, zero-extended
                wire [LB:0] lo_s = {1'b0, lo} + {1'b0, incx[LB-1:0]};
                wire [PWD-1:0] pend_d;
                if (PB > 0) begin : g_pend
                    assign pend_d = incx[LB +: PWD];
                end else begin : g_nopend
                    assign pend_d = {PWD{1'b0}};
                end
                always @* begin
                    pend_x = {HW{1'b0}};
                    pend_x[PWD-1:0] = pend;
                end
                always @(posedge clk) begin
                    if (rst || clear) begin
                        lo <= {LB{1'b0}};
                        cy <= 1'b0;
                        hi <= {HW{1'b0}};
                        pend <= {PWD{1'b0}};
                    end else begin
                        lo <= lo_s[LB-1:0];
                        cy <= lo_s[LB] && HB > 0;
                        hi <= hi + pend_x + {{(HW-1){1'b0}}, cy};
                        pend <= pend_d;
                    end
                end
                assign kc[KTAB[g*8 +: 8]*EW +: EW] = {cy, pend, hi, lo};
            end
        end
    endgenerate
    /* verilator lint_on UNUSEDSIGNAL */

    // the read: sel's place among the kept counters, then one NK-way multiplexer
    // (0 for a dropped counter and for sel >= N)
    reg [KB-1:0] kidx;
    reg khit;
    integer i;
    always @* begin
        kidx = {KB{1'b0}};
        khit = 1'b0;
        for (i = 0; i < N; i = i + 1)
            if (KEEP[i] && {{(32-$clog2(`PK_CNT_COUNT)){1'b0}}, sel} == i) begin
                kidx = KTAB[i*8 +: KB];
                khit = 1'b1;
            end
    end
    // as 4-way multiplexers by kidx[1:0] over groups of four (kept as nets: g4), then a
    // binary tree over the groups, level v selecting with bit v + 2 of kidx (node n of a
    // level from nodes 2n and 2n + 1 of the one below, in place).  kc[kidx*CW +: CW]
    // alone (a shift by a multiple of CW) cost 1,831 LUT4 at ecp5.yaml's 14 counters
    // of 49 bits, this 1,166 (ARCHITECTURE.md V2-11.5 "Scaling, step 9"; the
    // entries are EW bits since "Timing, step 6")
    localparam KBP = KB < 2 ? 2 : KB;            // kidx bits, at least 2
    localparam NG = 1 << (KBP - 2);              // groups of 4 kept counters
    reg [KBP-1:0] kx;                            // kidx, zero-extended
    reg [4*NG*EW-1:0] kcp;                       // kc, zero-padded to 4 * NG counters
    always @* begin
        kx = {KBP{1'b0}};
        kx[KB-1:0] = kidx;
        kcp = {(4*NG*EW){1'b0}};
        kcp[NK*EW-1:0] = kc;
    end
    (* keep *) wire [NG*EW-1:0] g4;
    genvar gg;
    for (gg = 0; gg < NG; gg = gg + 1) begin : g_g4
        assign g4[gg*EW +: EW] = kx[1] ? (kx[0] ? kcp[(4*gg+3)*EW +: EW] : kcp[(4*gg+2)*EW +: EW])
                                       : (kx[0] ? kcp[(4*gg+1)*EW +: EW] : kcp[4*gg*EW +: EW]);
    end
    reg [NG*EW-1:0] mv;
    integer v, n;
    always @* begin
        mv = g4;
        for (v = 0; v < KBP - 2; v = v + 1)
            for (n = 0; n < (NG >> (v + 1)); n = n + 1)
                mv[n*EW +: EW] = kx[v+2] ? mv[(2*n+1)*EW +: EW] : mv[2*n*EW +: EW];
    end
    // the selected counter's parts, then its count {hi + pend + cy, lo}
    wire [EW-1:0] se = mv[0 +: EW];
    wire [HW-1:0] se_hi = se[LB +: HW];
    reg [HW-1:0] se_px;                         // its pend, zero-extended
    always @* begin
        se_px = {HW{1'b0}};
        se_px[PWD-1:0] = se[LB+HW +: PWD];
    end
    wire se_cy = se[EW-1];
    wire [CW-1:0] cnt_v;
    generate
        if (HB > 0) begin : g_hl
            wire [HW-1:0] se_hs = se_hi + se_px + {{(HW-1){1'b0}}, se_cy};
            assign cnt_v = {se_hs, se[LB-1:0]};
        end else begin : g_lo
            assign cnt_v = se[LB-1:0];
        end
    endgenerate
    wire [CW-1:0] sel_v = khit ? cnt_v : {CW{1'b0}};
    generate
        if (CW < 64) begin : g_ext
            assign value = {{(64-CW){1'b0}}, sel_v};
        end else begin : g_full
            assign value = sel_v;
        end
    endgenerate
endmodule
