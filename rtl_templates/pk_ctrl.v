// pk_ctrl - the controller (ARCHITECTURE_V1.md 6, 7.5, 8): walks the layer
// descriptors, decodes each, iterates its steps for the three engines and
// starts every job in the first cycle the scoreboard of 7.5 allows.
//
// Layer FSM: IDLE -(CTRL.start)-> FETCH (descriptor fetch = a LOAD job) ->
// RUN (steps) -> FETCH of the next layer in the cycle the last POST job ends,
// or IDLE with STATUS.done.  A descriptor the hardware cannot run (no kind,
// a width or mode not built) ends the run with STATUS.error.
//
// Each engine has its own step iterator (nt, mt, q as n0, p_base, k0): no
// division, only compares (q last when k0 + KC_MAX >= Ks, mt last when
// p_base + ROWS >= M, nt last when n0 + Ct >= out_c).  The scoreboard counts
// finished jobs per layer: with s the step a job is for,
//   LOAD(s):    load engine idle, comp_done >= s - 1,
//               and, if it loads params or residual, post_done >= t(s) - 1
//   COMPUTE(s): load_done >= s + 1, compute engine idle,
//               and, if q(s) == 0, post_done >= t(s) - 1
//   POST(t):    tiles whose last COMPUTE ended > t, post engine idle
// which is 7.5 with every E(x) replaced by "job x has ended".
// The job counts and step/tile indices are SBW-bit wrapping counters compared
// through their signed difference: every compared pair stays within a few
// jobs of each other (a job waits for the ones it depends on), far inside
// +-2^(SBW-1), so the compares equal the unbounded ones.  The POST job's
// row offset o_pb * PS_out is a register stepped by ROWS * PS_out per tile.
//
// COMPUTE job of a chunk of n k-steps started in S: buffer reads of k-step i
// in S + i, array input in S + i + 1, done in S + n + 1 (ends at S + n + 2).
// POST job of a tile started in S: one (row, group) issue per cycle in
// S .. S + R*G - 1 (pk_core runs the fetch stage, the PPU lanes and the
// staging writes from po_*); pk_core starts pk_dma_wr when the last issue
// reaches the staging buffer and reports its end on post_done.
//
// Descriptor field positions, the descriptor and record sizes and the array
// latency come from pk_contract.vh (core/pk_contract.def).
`include "pk_contract.vh"
module pk_ctrl #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter WMASK = 4'b1111,
    parameter AMASK = 4'b1111,
    parameter PP_LANES = 4,
    parameter KC_MAX = 16,
    parameter NVW = 7,
    parameter RA = 2,
    parameter GA = 1
) (
    input  wire clk,
    input  wire rst,
    // host
    input  wire start,
    input  wire [31:0] cmd_base,
    input  wire [31:0] cmd_count,
    output wire st_busy,
    output reg  st_done,
    output reg  st_error,
    output reg  [31:0] layer,
    // descriptor
    input  wire desc_we,
    input  wire [`PK_DESC_BYTES*8-1:0] desc_data,
    // layer fields (stable during RUN)
    output wire [2:0] kind,
    output wire [1:0] mlog2, al, ol, rl,
    output wire a_signed, o_signed, r_signed,
    output wire qn_en, res_en, rq_en, per_tensor,
    output wire [2:0] act_mode,
    output wire [15:0] in_h, in_w, in_c, out_h, out_w, out_c,
    output wire [7:0] kh, kw,
    output wire [3:0] stride, pad, a_shift, r_shift, act_shift,
    output wire [3:0] stride_w, pad_l,
    output wire [15:0] clip_lo, clip_hi,
    output wire [31:0] addr_in, addr_res,
    output wire [31:0] ps_in, ps_res,
    output wire [31:0] m_pix,
    output wire [15:0] vp, vp_bytes, cd,
    // LOAD job bus (valid in the ld_start cycle)
    output wire ld_start,
    output wire j_desc,
    output wire [31:0] j_desc_addr,
    output wire j_lpar,
    output wire [31:0] j_par_addr, j_par_len,
    output wire [15:0] j_nrec,
    output wire j_lw,
    output wire [31:0] j_w_addr, j_w_len,
    output wire j_lres,
    output wire j_first_chunk, j_first_tile,
    output wire [15:0] j_nk,
    output wire [31:0] j_pb,
    output wire [15:0] j_n0, j_ncv,
    output wire j_phalf, j_whalf, j_rhalf, j_parhalf,
    input  wire ld_done,
    // COMPUTE: buffer reads (this cycle) and array controls (next cycle)
    output wire c_re,
    output wire c_phalf,
    output wire c_whalf,
    output wire [15:0] c_k,
    output reg  a_in_valid,
    output reg  a_first,
    output wire a_bank,
    input  wire [ROWS*NVW-1:0] nv_rows,
    // POST issue (this cycle)
    output wire po_issue,
    output wire [RA-1:0] po_row,
    output wire [GA-1:0] po_grp,
    output wire po_bank,
    output wire po_phalf,
    output wire po_last,
    output wire [15:0] po_goff,       // first channel of the group
    // POST job (stable during the job) for pk_dma_wr
    output wire [31:0] pw_addr, pw_ps,
    output wire [15:0] pw_nrows, pw_nbytes, pw_ncv,
    input  wire post_done,
    // counter increments
    output wire [31:0] inc_cycles, inc_busy, inc_stall, inc_macs, inc_pool, inc_wbuf_rd,
                       inc_pbuf_rd, inc_qn, inc_res, inc_rq, inc_act, inc_out, inc_parbuf_rd,
                       inc_resbuf_rd
);
    localparam VL = LANES * SLOT_BITS;
    localparam WBYTES = VL / 8;
    localparam ROWB = COLS * WBYTES;
    localparam PL = PP_LANES;
    localparam [15:0] PL16 = PP_LANES[15:0];
    localparam [1:0] S_IDLE = 2'd0, S_FETCH = 2'd1, S_RUN = 2'd2;
    localparam SBW = 8;                       // scoreboard count / index bits (see header)
    localparam CVW = $clog2(COLS + 1);        // bits of a tile's channel count (<= COLS)
    localparam DESC_SH = $clog2(`PK_DESC_BYTES);  // descriptor i at cmd_base + i * DESC_BYTES
    localparam PAR_SH = $clog2(`PK_PARAM_BYTES);  // record c at addr_param + c * PARAM_BYTES
    localparam [15:0] AL1 = `PK_ARRAY_LAT - 1;    // COMPUTE job: done in S + n + ARRAY_LAT - 1

    // ---- descriptor and decode -------------------------------------------------------
    // The descriptor is pk_dma_rd's assembly register itself (no copy): it
    // changes only while a descriptor fetch receives its beats (S_FETCH, when
    // no engine uses the layer fields) and is complete when the fetch ends.
    wire [`PK_DESC_BYTES*8-1:0] d = desc_data;
    reg [1:0] st;
    reg fetch_started, ld_busy, run_first;

    wire [3:0] kind4 = d[`PK_DESC_KIND];
    wire [1:0] wl = d[`PK_DESC_W_LOG2];
    assign kind = kind4[2:0];
    assign al = d[`PK_DESC_A_LOG2];
    assign a_signed = d[`PK_DESC_A_SIGNED];
    assign ol = d[`PK_DESC_OUT_LOG2];
    assign o_signed = d[`PK_DESC_OUT_SIGNED];
    assign rl = d[`PK_DESC_R_LOG2];
    assign r_signed = d[`PK_DESC_R_SIGNED];
    assign qn_en = d[`PK_DESC_QN_EN];
    assign res_en = d[`PK_DESC_RES_EN];
    assign rq_en = d[`PK_DESC_RQ_EN];
    assign per_tensor = d[`PK_DESC_PER_TENSOR];
    assign act_mode = d[`PK_DESC_ACT_MODE];
    assign in_h = d[`PK_DESC_IN_H];
    assign in_w = d[`PK_DESC_IN_W];
    assign in_c = d[`PK_DESC_IN_C];
    assign out_c = d[`PK_DESC_OUT_C];
    assign out_h = d[`PK_DESC_OUT_H];
    assign out_w = d[`PK_DESC_OUT_W];
    assign kh = d[`PK_DESC_KH];
    assign kw = d[`PK_DESC_KW];
    assign stride = d[`PK_DESC_STRIDE];
    assign pad = d[`PK_DESC_PAD];
    assign stride_w = d[`PK_DESC_STRIDE_W];
    assign pad_l = d[`PK_DESC_PAD_LEFT];
    assign a_shift = d[`PK_DESC_A_SHIFT];
    assign r_shift = d[`PK_DESC_R_SHIFT];
    assign clip_lo = d[`PK_DESC_CLIP_LO];
    assign clip_hi = d[`PK_DESC_CLIP_HI];
    assign act_shift = d[`PK_DESC_ACT_SHIFT];
    assign addr_in = d[`PK_DESC_ADDR_IN];
    wire [31:0] addr_w = d[`PK_DESC_ADDR_W];
    wire [31:0] addr_param = d[`PK_DESC_ADDR_PARAM];
    assign addr_res = d[`PK_DESC_ADDR_RES];
    wire [31:0] addr_out = d[`PK_DESC_ADDR_OUT];

    wire is_conv = kind4 == `PK_KIND_CONV;
    wire is_dw = kind4 == `PK_KIND_DW;
    wire is_pool = kind4 == `PK_KIND_POOLMAX || kind4 == `PK_KIND_POOLSUM;
    wire is_ew = kind4 == `PK_KIND_EW;
    assign mlog2 = (is_conv || is_dw) ? (wl > al ? wl : al) : al;
    assign vp = VL[15:0] >> mlog2;
    assign cd = (COLS < vp) ? COLS[15:0] : vp;
    wire [15:0] ct = is_conv ? COLS[15:0] : cd;
    // J = ceil(in_c * 2^m / VL) < 2^16 (VL >= 8); kh * kw < 2^16: one 16 x 16 product
    wire [18:0] in_cm = {3'd0, in_c} << mlog2;
    localparam VL_LOG2 = $clog2(VL);
    wire [31:0] jn_num = {13'd0, in_cm} + VL - 1;
    wire [31:0] jn32 = (VL == (1 << VL_LOG2)) ? jn_num >> VL_LOG2 : jn_num / VL;
    wire [15:0] jn = jn32[15:0];
    // kh * kw by shift-add (keeps this small product out of the DSP blocks)
    reg [15:0] khw;
    integer hi;
    always @* begin
        khw = 16'd0;
        for (hi = 0; hi < 8; hi = hi + 1)
            if (kw[hi])
                khw = khw + ({8'd0, kh} << hi);
    end
    wire [31:0] khw_jn = khw * jn;
    wire [31:0] ks = is_conv ? khw_jn : is_ew ? 32'd1 : {16'd0, khw};
    assign m_pix = {16'd0, out_h} * {16'd0, out_w};
    // descriptor word 13: the layer may read a channel slice of a wider tensor
    wire [15:0] ic_total = d[`PK_DESC_IN_C_TOTAL];
    wire [15:0] ic_stride = ic_total != 16'd0 ? ic_total : in_c;
    assign ps_in = (({16'd0, ic_stride} << al) + 32'd7) >> 3;
    // res_mul (channel-wise multiply): operand B is one pixel, read for every row
    assign ps_res = d[`PK_DESC_RES_MUL] ? 32'd0 : (({16'd0, out_c} << rl) + 32'd7) >> 3;
    // descriptor word 12: the layer may write a channel slice of a wider tensor
    wire [15:0] oc_total = d[`PK_DESC_OUT_C_TOTAL];
    wire [15:0] oc_base = d[`PK_DESC_OUT_C_BASE];
    wire [15:0] oc_stride = oc_total != 16'd0 ? oc_total : out_c;
    wire [31:0] ps_out = (({16'd0, oc_stride} << ol) + 32'd7) >> 3;
    assign vp_bytes = (vp << al) >> 3;
    wire uses_params = qn_en || rq_en || act_mode == 3'd3 || act_mode == 3'd4 || act_mode == 3'd5;
    wire bad = kind4 >= `PK_KIND_COUNT || !MODES[mlog2] || !AMASK[al] ||
               ((is_conv || is_dw) && !WMASK[wl]) || (1 << mlog2) > SLOT_BITS;

    // ---- scoreboard counts (per layer) -------------------------------------------------
    reg [SBW-1:0] n_ld, n_cd, n_tcd, n_pd;
    // load iterator
    reg [SBW-1:0] l_s, l_t;
    reg [31:0] l_pb, l_k0, l_wb;
    reg [15:0] l_n0;
    reg l_ntp, l_end;
    // compute iterator
    reg [SBW-1:0] c_s, c_t;
    reg [31:0] c_pb, c_k0;
    reg [15:0] c_n0;
    reg c_ntp, c_end, c_busy;
    // post iterator
    reg [SBW-1:0] o_t;
    reg [31:0] o_pb, o_poff;
    reg [15:0] o_n0;
    reg o_ntp, o_end, p_busy;

    wire run = st == S_RUN && !run_first_bad;
    wire run_first_bad = run_first && bad;

    // ---- LOAD ----------------------------------------------------------------------------
    wire l_lastq = l_k0 + KC_MAX >= ks;
    wire l_lastm = l_pb + ROWS >= m_pix;
    wire [15:0] l_ncv_full = out_c - l_n0;
    wire [15:0] l_ncv = l_ncv_full < ct ? l_ncv_full : ct;
    wire [31:0] l_nk = l_lastq ? ks - l_k0 : KC_MAX;
    assign j_desc = st == S_FETCH;
    assign j_desc_addr = cmd_base + (layer << DESC_SH);
    assign j_lpar = uses_params && l_pb == 32'd0 && l_k0 == 32'd0;
    assign j_nrec = per_tensor ? 16'd1 : l_ncv;
    assign j_par_addr = addr_param + ({16'd0, l_n0} << PAR_SH);
    assign j_par_len = {16'd0, j_nrec} << PAR_SH;
    assign j_lw = (is_conv || is_dw) && (ks > KC_MAX || l_pb == 32'd0);
    assign j_w_addr = addr_w + (l_wb + l_k0) * ROWB;
    assign j_w_len = l_nk * ROWB;
    assign j_lres = res_en && l_lastq;
    assign j_first_chunk = l_k0 == 32'd0;
    assign j_first_tile = l_pb == 32'd0;
    assign j_nk = l_nk[15:0];
    assign j_pb = l_pb;
    assign j_n0 = l_n0;
    assign j_ncv = l_ncv;
    assign j_phalf = l_s[0];
    assign j_whalf = ks > KC_MAX ? l_s[0] : l_ntp;
    assign j_rhalf = l_t[0];
    assign j_parhalf = l_ntp;

    wire ld_go_desc = st == S_FETCH && !fetch_started;
    wire [SBW-1:0] d_cd_ls = n_cd + 1'b1 - l_s;       // n_cd + 1 >= l_s
    wire [SBW-1:0] d_pd_lt = n_pd + 1'b1 - l_t;       // n_pd + 1 >= l_t
    wire ld_go_step = run && !l_end && !ld_busy && !d_cd_ls[SBW-1] &&
                      (!(j_lpar || j_lres) || !d_pd_lt[SBW-1]);
    assign ld_start = ld_go_desc || ld_go_step;
    wire ld_fin = ld_busy && ld_done;

    // ---- COMPUTE -------------------------------------------------------------------------
    wire c_lastq = c_k0 + KC_MAX >= ks;
    wire c_lastm = c_pb + ROWS >= m_pix;
    wire [31:0] c_nk = c_lastq ? ks - c_k0 : KC_MAX;
    wire [15:0] c_ncv_full = out_c - c_n0;
    wire [15:0] c_ncv = c_ncv_full < ct ? c_ncv_full : ct;
    wire [SBW-1:0] d_ld_cs = n_ld - c_s;              // n_ld > c_s
    wire [SBW-1:0] d_pd_ct = n_pd + 1'b1 - c_t;       // n_pd + 1 >= c_t
    wire comp_go = run && !c_end && !c_busy && !d_ld_cs[SBW-1] && d_ld_cs != {SBW{1'b0}} &&
                   (c_k0 != 32'd0 || !d_pd_ct[SBW-1]);
    reg [15:0] cj_n, c_i, c_cc;                       // n <= KC_MAX <= 2^15
    reg cj_phalf, cj_whalf, cj_bank, cj_lastq;
    reg [CVW-1:0] cj_ncv;
    wire comp_fin = c_busy && c_cc == cj_n + AL1;  // ends ARRAY_LAT cycles after the last read
    assign c_re = comp_go || (c_busy && c_i < cj_n);
    assign c_k = comp_go ? 16'd0 : c_i;
    assign c_phalf = comp_go ? c_s[0] : cj_phalf;
    assign c_whalf = comp_go ? (ks > KC_MAX ? c_s[0] : c_ntp) : cj_whalf;
    assign a_bank = cj_bank;

    // ---- POST ----------------------------------------------------------------------------
    wire o_lastm = o_pb + ROWS >= m_pix;
    wire [15:0] o_ncv_full = out_c - o_n0;
    wire [15:0] o_ncv = o_ncv_full < ct ? o_ncv_full : ct;
    wire [SBW-1:0] d_tcd_ot = n_tcd - o_t;            // n_tcd > o_t
    wire post_go = run && !o_end && !p_busy && !d_tcd_ot[SBW-1] && d_tcd_ot != {SBW{1'b0}};
    reg p_iss;
    reg [RA-1:0] pr;
    reg [GA-1:0] pg;
    reg [15:0] pgoff;
    reg pj_bank, pj_phalf, pj_lastt;
    reg [31:0] pj_pb, pj_addr;
    reg [15:0] pj_ncv, pj_nrows;
    wire [RA-1:0] cur_r = post_go ? {RA{1'b0}} : pr;
    wire [GA-1:0] cur_g = post_go ? {GA{1'b0}} : pg;
    wire [15:0] cur_goff = post_go ? 16'd0 : pgoff;
    wire [15:0] cur_ncv = post_go ? o_ncv : pj_ncv;
    wire [31:0] cur_pb = post_go ? o_pb : pj_pb;
    wire g_last = cur_goff + PL16 >= ct;
    wire r_last = {{(32-RA){1'b0}}, cur_r} == ROWS - 1;
    assign po_issue = post_go || p_iss;
    assign po_row = cur_r;
    assign po_grp = cur_g;
    assign po_goff = cur_goff;
    assign po_bank = post_go ? o_t[0] : pj_bank;
    assign po_phalf = post_go ? o_ntp : pj_phalf;
    assign po_last = g_last && r_last;
    wire [31:0] m_rem = m_pix - o_pb;
    wire [15:0] o_nrows = m_rem < ROWS ? m_rem[15:0] : ROWS[15:0];
    assign pw_addr = pj_addr;
    assign pw_ps = ps_out;
    assign pw_nrows = pj_nrows;
    assign pw_nbytes = (({pj_ncv} << ol) + 16'd7) >> 3;
    assign pw_ncv = pj_ncv;
    wire post_fin = p_busy && post_done;

    // ---- FSM, iterators ----------------------------------------------------------------
    assign st_busy = st != S_IDLE;

    always @(posedge clk) begin
        if (rst) begin
            st <= S_IDLE;
            st_done <= 1'b0;
            st_error <= 1'b0;
            layer <= 32'd0;
            fetch_started <= 1'b0;
            ld_busy <= 1'b0;
            c_busy <= 1'b0;
            p_busy <= 1'b0;
            p_iss <= 1'b0;
            run_first <= 1'b0;
            a_in_valid <= 1'b0;
            a_first <= 1'b0;
        end else begin
            a_in_valid <= c_re;
            a_first <= comp_go && c_k0 == 32'd0;
            run_first <= 1'b0;
            if (ld_start)
                ld_busy <= 1'b1;
            else if (ld_fin)
                ld_busy <= 1'b0;

            case (st)
                S_IDLE:
                    if (start) begin
                        st_done <= 1'b0;
                        st_error <= 1'b0;
                        layer <= 32'd0;
                        if (cmd_count == 32'd0)
                            st_done <= 1'b1;
                        else begin
                            st <= S_FETCH;
                            fetch_started <= 1'b0;
                        end
                    end
                S_FETCH: begin
                    if (ld_go_desc)
                        fetch_started <= 1'b1;
                    if (ld_fin) begin
                        st <= S_RUN;
                        run_first <= 1'b1;
                        n_ld <= {SBW{1'b0}}; n_cd <= {SBW{1'b0}}; n_tcd <= {SBW{1'b0}};
                        n_pd <= {SBW{1'b0}};
                        l_s <= {SBW{1'b0}}; l_t <= {SBW{1'b0}}; l_pb <= 32'd0; l_k0 <= 32'd0;
                        l_wb <= 32'd0; l_n0 <= 16'd0; l_ntp <= 1'b0; l_end <= 1'b0;
                        c_s <= {SBW{1'b0}}; c_t <= {SBW{1'b0}}; c_pb <= 32'd0; c_k0 <= 32'd0;
                        c_n0 <= 16'd0; c_ntp <= 1'b0; c_end <= 1'b0;
                        o_t <= {SBW{1'b0}}; o_pb <= 32'd0; o_poff <= 32'd0; o_n0 <= 16'd0;
                        o_ntp <= 1'b0; o_end <= 1'b0;
                    end
                end
                S_RUN: begin
                    if (run_first_bad) begin
                        st <= S_IDLE;
                        st_done <= 1'b1;
                        st_error <= 1'b1;
                    end
                    // LOAD
                    if (ld_fin)
                        n_ld <= n_ld + 1'b1;
                    if (ld_go_step) begin
                        l_s <= l_s + 1'b1;
                        if (!l_lastq)
                            l_k0 <= l_k0 + KC_MAX;
                        else begin
                            l_k0 <= 32'd0;
                            l_t <= l_t + 1'b1;
                            if (!l_lastm)
                                l_pb <= l_pb + ROWS;
                            else begin
                                l_pb <= 32'd0;
                                l_wb <= l_wb + ks;
                                l_ntp <= ~l_ntp;
                                if ({16'd0, l_n0} + {16'd0, ct} >= {16'd0, out_c})
                                    l_end <= 1'b1;
                                l_n0 <= l_n0 + ct;
                            end
                        end
                    end
                    // COMPUTE
                    if (comp_go) begin
                        c_busy <= 1'b1;
                        cj_n <= c_nk[15:0];
                        c_i <= 16'd1;
                        c_cc <= 16'd1;
                        cj_phalf <= c_phalf;
                        cj_whalf <= c_whalf;
                        cj_bank <= c_t[0];
                        cj_lastq <= c_lastq;
                        cj_ncv <= c_ncv[CVW-1:0];
                        c_s <= c_s + 1'b1;
                        if (!c_lastq)
                            c_k0 <= c_k0 + KC_MAX;
                        else begin
                            c_k0 <= 32'd0;
                            c_t <= c_t + 1'b1;
                            if (!c_lastm)
                                c_pb <= c_pb + ROWS;
                            else begin
                                c_pb <= 32'd0;
                                c_ntp <= ~c_ntp;
                                if ({16'd0, c_n0} + {16'd0, ct} >= {16'd0, out_c})
                                    c_end <= 1'b1;
                                c_n0 <= c_n0 + ct;
                            end
                        end
                    end else if (c_busy) begin
                        c_cc <= c_cc + 16'd1;
                        if (c_i < cj_n)
                            c_i <= c_i + 16'd1;
                        if (comp_fin) begin
                            c_busy <= 1'b0;
                            n_cd <= n_cd + 1'b1;
                            if (cj_lastq)
                                n_tcd <= n_tcd + 1'b1;
                        end
                    end
                    // POST
                    if (post_go) begin
                        p_busy <= 1'b1;
                        pj_bank <= o_t[0];
                        pj_phalf <= o_ntp;
                        pj_pb <= o_pb;
                        pj_ncv <= o_ncv;
                        pj_nrows <= o_nrows;
                        pj_addr <= addr_out + o_poff + (({16'd0, oc_base} + {16'd0, o_n0}) << ol >> 3);
                        pj_lastt <= o_lastm && {16'd0, o_n0} + {16'd0, ct} >= {16'd0, out_c};
                        o_t <= o_t + 1'b1;
                        if (!o_lastm) begin
                            o_pb <= o_pb + ROWS;
                            o_poff <= o_poff + ps_out * ROWS;
                        end else begin
                            o_pb <= 32'd0;
                            o_poff <= 32'd0;
                            o_ntp <= ~o_ntp;
                            if ({16'd0, o_n0} + {16'd0, ct} >= {16'd0, out_c})
                                o_end <= 1'b1;
                            o_n0 <= o_n0 + ct;
                        end
                    end
                    if (po_issue) begin
                        p_iss <= !po_last;
                        if (g_last) begin
                            pg <= {GA{1'b0}};
                            pgoff <= 16'd0;
                            pr <= cur_r + 1'b1;
                        end else begin
                            pg <= cur_g + 1'b1;
                            pgoff <= cur_goff + PL16;
                            pr <= cur_r;
                        end
                    end
                    if (post_fin) begin
                        p_busy <= 1'b0;
                        n_pd <= n_pd + 1'b1;
                        if (pj_lastt) begin
                            if (layer + 32'd1 < cmd_count) begin
                                layer <= layer + 32'd1;
                                st <= S_FETCH;
                                fetch_started <= 1'b0;
                            end else begin
                                st <= S_IDLE;
                                st_done <= 1'b1;
                            end
                        end
                    end
                end
                default: st <= S_IDLE;
            endcase
        end
    end

    // ---- counter increments -------------------------------------------------------------
    integer ri;
    localparam NSW = NVW + RA + 1;            // bits of a sum of ROWS nvalid values
    reg [NSW-1:0] nv_sum;
    always @* begin
        nv_sum = {NSW{1'b0}};
        for (ri = 0; ri < ROWS; ri = ri + 1)
            nv_sum = nv_sum + {{(NSW-NVW){1'b0}}, nv_rows[ri*NVW +: NVW]};
    end
    reg [NSW+CVW-1:0] nv_macs;                // nv_sum * cj_ncv, shift-add
    integer mi;
    always @* begin
        nv_macs = {(NSW+CVW){1'b0}};
        for (mi = 0; mi < CVW; mi = mi + 1)
            if (cj_ncv[mi])
                nv_macs = nv_macs + ({{CVW{1'b0}}, nv_sum} << mi);
    end
    wire comp_act = comp_go || c_busy;
    assign inc_cycles = {31'd0, st != S_IDLE};
    assign inc_busy = {31'd0, comp_act};
    assign inc_stall = {31'd0, st == S_RUN && !comp_act && !c_end};
    assign inc_pbuf_rd = a_in_valid ? ROWS : 32'd0;
    assign inc_wbuf_rd = (a_in_valid && (is_conv || is_dw)) ? COLS : 32'd0;
    assign inc_macs = !a_in_valid ? 32'd0 : is_conv ? {{(32-NSW-CVW){1'b0}}, nv_macs} :
                      is_dw ? {{(32-NSW){1'b0}}, nv_sum} : 32'd0;
    assign inc_pool = (a_in_valid && is_pool) ? {{(32-NSW){1'b0}}, nv_sum} : 32'd0;

    wire row_valid = cur_pb + {{(32-RA){1'b0}}, cur_r} < m_pix;
    wire [15:0] lanes_left = cur_ncv - cur_goff;
    wire [31:0] nl = (!po_issue || !row_valid || cur_goff >= cur_ncv) ? 32'd0 :
                     (lanes_left < PL16 ? {16'd0, lanes_left} : {16'd0, PL16});
    assign inc_out = nl;
    assign inc_qn = qn_en ? nl : 32'd0;
    assign inc_res = res_en ? nl : 32'd0;
    assign inc_resbuf_rd = res_en ? nl : 32'd0;
    assign inc_rq = rq_en ? nl : 32'd0;
    assign inc_act = act_mode != 3'd0 ? nl : 32'd0;
    assign inc_parbuf_rd = (po_issue && uses_params) ? PL : 32'd0;

    // (the descriptor bits that are no field are unused too)
    wire unused_ctrl = &{1'b0, desc_we, is_ew, jn32[31:16], c_nk[31:16], c_ncv[15:CVW], d};
endmodule
