// pk_core - the Pike accelerator (ARCHITECTURE_V1.md): host registers, the
// controller, the LOAD engine (pk_gather + pk_dma_rd), the buffers, the
// R x C PE array, the POST engine (fetch stage, PP_LANES pk_ppu lanes,
// output staging, pk_dma_wr) and the event counters.
//
// Ports
//   clk, rst                 rst synchronous, active high
//   host_*                   register bus (section 9): write in the cycle of
//                            host_we; host_rdata valid the cycle after host_re
//   rd_req_*, rd_data*       off-chip read port (7.1, see pk_dma_rd): one
//                            request per cycle (addr, len in bytes), beats of
//                            PORT_BYTES in request order, no back-pressure
//   wr_*                     off-chip write port (see pk_dma_wr): one beat per
//                            cycle with byte strobes, held while !wr_ready
//   irq                      = STATUS.done
// rd_req_len is 32 bits wide (a weight chunk can exceed 64 KiB).
//
// Buffers (two halves each): weights (one pk_sram row = one k-step of all
// COLS columns), patch words (one row = one k-step of all ROWS rows, per-row
// write enables) and their valid counts (nv), parameter records (registers,
// 2 x COLS), residual codes (pk_sram, 2 x ROWS rows of COLS bytes); output
// staging (pk_sram, ROWS rows of COLS bytes, per-group write enables).
//
// Requirements on the parameters (checked by the config loader):
// PORT_BYTES <= COLS * word bytes; PP_LANES divides COLS.
//
// Counter indices, record field positions, sizes and PPU_LAT come from
// pk_contract.vh (core/pk_contract.def).
`include "pk_contract.vh"
module pk_core #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter WMASK = 4'b1111,
    parameter AMASK = 4'b1111,
    parameter ACC_BITS = 32,
    parameter P_BITS = 32,
    parameter PP_LANES = 4,
    parameter QN_MULT_BITS = 8,
    parameter QN_BIAS_BITS = 24,
    parameter QN_SHIFT_BITS = 5,
    parameter DQ_MANT_BITS = 8,
    parameter DQ_EXP_BITS = 5,
    parameter ACT_PARAM_BITS = 8,
    parameter ACT_SHIFT_BITS = 4,
    parameter ACT_MASK = 6'b111111,
    parameter RES_EN = 1,
    parameter RES_SHIFT_BITS = 4,
    parameter POOL_MASK = 3'b111,
    parameter WBUF_DEPTH = 16,
    parameter PBUF_DEPTH = 16,
    parameter PORT_BYTES = 8,
    parameter MEM_LATENCY = 4,
    parameter ADDR_BITS = 32,
    parameter VERSION = 0,
    parameter CNT_BITS = 64     // event counter width (section 8: 64; fewer wrap, HI reads 0-extended)
) (
    input  wire clk,
    input  wire rst,
    input  wire host_we,
    input  wire host_re,
    input  wire [7:0] host_addr,
    input  wire [31:0] host_wdata,
    output wire [31:0] host_rdata,
    output wire rd_req_valid,
    input  wire rd_req_ready,
    output wire [ADDR_BITS-1:0] rd_req_addr,
    output wire [31:0] rd_req_len,
    input  wire rd_data_valid,
    input  wire [8*PORT_BYTES-1:0] rd_data,
    output wire wr_valid,
    input  wire wr_ready,
    output wire [ADDR_BITS-1:0] wr_addr,
    output wire [8*PORT_BYTES-1:0] wr_data,
    output wire [PORT_BYTES-1:0] wr_strb,
    output wire irq
);
    localparam WBITS = LANES * SLOT_BITS;
    localparam WB = WBITS / 8;
    localparam ROWB = COLS * WB;
    localparam PB = PORT_BYTES;
    localparam KC_MAX = WBUF_DEPTH < PBUF_DEPTH ? WBUF_DEPTH : PBUF_DEPTH;
    localparam WA = $clog2(2 * WBUF_DEPTH);
    localparam PA = $clog2(2 * PBUF_DEPTH);
    localparam KA = KC_MAX > 1 ? $clog2(KC_MAX) : 1;
    localparam RA = ROWS > 1 ? $clog2(ROWS) : 1;
    localparam NG = COLS / PP_LANES;
    localparam GA = NG > 1 ? $clog2(NG) : 1;
    localparam NVW = $clog2(WBITS + 1);
    localparam NPB = (WB + PB - 1) / PB;
    localparam NRB = (COLS + PB - 1) / PB;
    localparam NBW = $clog2((NPB > NRB ? NPB : NRB) + 1);
    localparam TQA = $clog2(ROWS * KC_MAX + ROWS + 3);
    localparam RB = `PK_PARAM_BYTES;                // bytes of a parameter record
    localparam RECS = (PB >= RB) ? PB / RB : 1;
    localparam RUB = `PK_PARAM_USED_BYTES * 8;      // record bits that carry fields
    localparam NCNT = `PK_CNT_COUNT;
    localparam PD = `PK_PPU_LAT - 1;                // PPU stages after the fetch stage

    // ---- registers and counters ---------------------------------------------------------
    wire start, clear, st_busy, st_done, st_error;
    wire [31:0] cmd_base, cmd_count, layer;
    wire [$clog2(NCNT)-1:0] cnt_sel;
    wire [63:0] cnt_value;
    pk_regs #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .WMASK(WMASK),
              .AMASK(AMASK), .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .VERSION(VERSION)) u_regs (
        .clk(clk), .rst(rst), .host_we(host_we), .host_re(host_re), .host_addr(host_addr),
        .host_wdata(host_wdata), .host_rdata(host_rdata), .start(start), .clear(clear),
        .cmd_base(cmd_base), .cmd_count(cmd_count), .st_busy(st_busy), .st_done(st_done),
        .st_error(st_error), .layer(layer), .cnt_sel(cnt_sel), .cnt_value(cnt_value));
    assign irq = st_done;

    // ---- controller ---------------------------------------------------------------------
    wire desc_we;
    wire [`PK_DESC_BYTES*8-1:0] desc_data;
    wire [2:0] kind, act_mode;
    wire [1:0] mlog2, al, ol, rl;
    wire a_signed, o_signed, r_signed, qn_en, res_en, rq_en, per_tensor;
    wire [15:0] in_h, in_w, in_c, out_h, out_w, out_c, clip_lo, clip_hi, vp, vp_bytes, cd;
    wire [7:0] kh, kw;
    wire [3:0] stride, pad, a_shift, r_shift, act_shift, stride_w, pad_l;
    wire [31:0] addr_in, addr_res, ps_in, ps_res, m_pix;
    wire ld_start, j_desc, j_lpar, j_lw, j_lres, j_first_chunk, j_first_tile;
    wire j_phalf, j_whalf, j_rhalf, j_parhalf;
    wire [31:0] j_desc_addr, j_par_addr, j_par_len, j_w_addr, j_w_len, j_pb;
    wire [15:0] j_nrec, j_nk, j_n0, j_ncv;
    wire ld_done;
    wire c_re, c_phalf, c_whalf, a_in_valid, a_first, a_bank;
    wire [15:0] c_k;
    wire [ROWS*NVW-1:0] nv_rows, nv_arr;   // ctrl (pad positions 0) / array
    wire po_issue, po_bank, po_phalf, po_last;
    wire [RA-1:0] po_row;
    wire [GA-1:0] po_grp;
    wire [15:0] po_goff;
    wire [31:0] pw_addr, pw_ps;
    wire [15:0] pw_nrows, pw_nbytes, pw_ncv;
    wire post_done;
    wire [31:0] inc_cycles, inc_busy, inc_stall, inc_macs, inc_pool, inc_wbuf_rd, inc_pbuf_rd,
                inc_qn, inc_res, inc_rq, inc_act, inc_out, inc_parbuf_rd, inc_resbuf_rd;

    pk_ctrl #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
              .WMASK(WMASK), .AMASK(AMASK), .PP_LANES(PP_LANES), .KC_MAX(KC_MAX), .NVW(NVW),
              .RA(RA), .GA(GA)) u_ctrl (
        .clk(clk), .rst(rst), .start(start), .cmd_base(cmd_base), .cmd_count(cmd_count),
        .st_busy(st_busy), .st_done(st_done), .st_error(st_error), .layer(layer),
        .desc_we(desc_we), .desc_data(desc_data),
        .kind(kind), .mlog2(mlog2), .al(al), .ol(ol), .rl(rl), .a_signed(a_signed),
        .o_signed(o_signed), .r_signed(r_signed), .qn_en(qn_en), .res_en(res_en), .rq_en(rq_en),
        .per_tensor(per_tensor), .act_mode(act_mode), .in_h(in_h), .in_w(in_w), .in_c(in_c),
        .out_h(out_h), .out_w(out_w), .out_c(out_c), .kh(kh), .kw(kw), .stride(stride),
        .pad(pad), .stride_w(stride_w), .pad_l(pad_l), .a_shift(a_shift), .r_shift(r_shift), .act_shift(act_shift),
        .clip_lo(clip_lo), .clip_hi(clip_hi), .addr_in(addr_in), .addr_res(addr_res),
        .ps_in(ps_in), .ps_res(ps_res), .m_pix(m_pix), .vp(vp), .vp_bytes(vp_bytes), .cd(cd),
        .ld_start(ld_start), .j_desc(j_desc), .j_desc_addr(j_desc_addr), .j_lpar(j_lpar),
        .j_par_addr(j_par_addr), .j_par_len(j_par_len), .j_nrec(j_nrec), .j_lw(j_lw),
        .j_w_addr(j_w_addr), .j_w_len(j_w_len), .j_lres(j_lres), .j_first_chunk(j_first_chunk),
        .j_first_tile(j_first_tile), .j_nk(j_nk), .j_pb(j_pb), .j_n0(j_n0), .j_ncv(j_ncv),
        .j_phalf(j_phalf), .j_whalf(j_whalf), .j_rhalf(j_rhalf), .j_parhalf(j_parhalf),
        .ld_done(ld_done),
        .c_re(c_re), .c_phalf(c_phalf), .c_whalf(c_whalf), .c_k(c_k), .a_in_valid(a_in_valid),
        .a_first(a_first), .a_bank(a_bank), .nv_rows(nv_rows),
        .po_issue(po_issue), .po_row(po_row), .po_grp(po_grp), .po_bank(po_bank),
        .po_phalf(po_phalf), .po_last(po_last), .po_goff(po_goff),
        .pw_addr(pw_addr), .pw_ps(pw_ps), .pw_nrows(pw_nrows), .pw_nbytes(pw_nbytes),
        .pw_ncv(pw_ncv), .post_done(post_done),
        .inc_cycles(inc_cycles), .inc_busy(inc_busy), .inc_stall(inc_stall), .inc_macs(inc_macs),
        .inc_pool(inc_pool), .inc_wbuf_rd(inc_wbuf_rd), .inc_pbuf_rd(inc_pbuf_rd),
        .inc_qn(inc_qn), .inc_res(inc_res), .inc_rq(inc_rq), .inc_act(inc_act),
        .inc_out(inc_out), .inc_parbuf_rd(inc_parbuf_rd), .inc_resbuf_rd(inc_resbuf_rd));

    // ---- LOAD engine --------------------------------------------------------------------
    wire walking, g_req;
    wire [31:0] g_addr, g_len;
    wire [2:0] g_type;
    wire [KA-1:0] g_k;
    wire [RA-1:0] g_r;
    wire [NBW-1:0] g_nb;
    wire nv_we;
    wire [PA-1:0] nv_addr;
    wire [RA-1:0] nv_lane;
    wire [NVW-1:0] nv_val;
    wire nv_pad;
    wire [31:0] inc_pbuf_wr, inc_resbuf_wr;

    // input zero point (descriptor IN_ZP): padding taps of CONV / DW / POOLSUM
    // are operands of this code when it is nonzero (QUANT.md "Input zero point")
    wire [7:0] zp_code = desc_data[`PK_DESC_IN_ZP];
    wire zp_pad = zp_code != 8'd0 && (kind == `PK_KIND_CONV || kind == `PK_KIND_DW ||
                                      kind == `PK_KIND_POOLSUM);

    pk_gather #(.ROWS(ROWS), .PORT_BYTES(PB), .PBUF_DEPTH(PBUF_DEPTH), .PA(PA), .KA(KA),
                .RA(RA), .NVW(NVW), .NBW(NBW)) u_gather (
        .clk(clk), .rst(rst), .start(ld_start), .j_desc(j_desc), .j_desc_addr(j_desc_addr),
        .j_lpar(j_lpar), .j_par_addr(j_par_addr), .j_par_len(j_par_len), .j_lw(j_lw),
        .j_w_addr(j_w_addr), .j_w_len(j_w_len), .j_lres(j_lres), .j_first_chunk(j_first_chunk),
        .j_first_tile(j_first_tile), .j_nk(j_nk), .j_pb(j_pb), .j_n0(j_n0), .j_ncv(j_ncv),
        .j_phalf(j_phalf),
        .kind(kind), .al(al), .rl(rl), .in_h(in_h), .in_w(in_w), .in_c(in_c), .out_h(out_h),
        .out_w(out_w), .kh(kh), .kw(kw), .stride(stride), .pad(pad), .stride_w(stride_w),
        .pad_l(pad_l), .addr_in(addr_in),
        .addr_res(addr_res), .ps_in(ps_in), .ps_res(ps_res), .m_pix(m_pix), .vp(vp),
        .vp_bytes(vp_bytes), .cd(cd), .zp_pad(zp_pad),
        .walking(walking), .req(g_req), .req_addr(g_addr), .req_len(g_len), .tag_type(g_type),
        .tag_k(g_k), .tag_r(g_r), .tag_nb(g_nb), .nv_we(nv_we), .nv_addr(nv_addr),
        .nv_lane(nv_lane), .nv_val(nv_val), .nv_pad(nv_pad), .inc_pbuf_wr(inc_pbuf_wr),
        .inc_resbuf_wr(inc_resbuf_wr));

    wire [RECS-1:0] par_we;
    wire [15:0] par_idx;
    wire [RECS*RB*8-1:0] par_data;
    wire w_we, p_we, r_we;
    wire [WA-1:0] w_waddr;
    wire [ROWB*8-1:0] w_wdata;
    wire [PA-1:0] p_waddr;
    wire [RA-1:0] p_lane;
    wire [WBITS-1:0] p_wdata;
    wire [RA:0] r_waddr;
    wire [COLS*8-1:0] r_wdata;
    wire [31:0] rd_addr32, inc_rd_bytes, inc_rd_reqs, inc_parbuf_wr, inc_wbuf_wr;

    pk_dma_rd #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
                .AMASK(AMASK), .PORT_BYTES(PB), .WBUF_DEPTH(WBUF_DEPTH), .PBUF_DEPTH(PBUF_DEPTH),
                .WA(WA), .PA(PA), .KA(KA), .RA(RA), .NBW(NBW), .TQA(TQA)) u_dma_rd (
        .clk(clk), .rst(rst), .start(ld_start), .j_whalf(j_whalf), .j_phalf(j_phalf),
        .j_rhalf(j_rhalf), .j_nrec(j_nrec), .mlog2(mlog2), .al(al), .a_signed(a_signed),
        .rl(rl), .walking(walking), .req(g_req), .req_addr(g_addr), .req_len(g_len),
        .tag_type(g_type), .tag_k(g_k), .tag_r(g_r), .tag_nb(g_nb),
        .rd_req_valid(rd_req_valid), .rd_req_ready(rd_req_ready), .rd_req_addr(rd_addr32),
        .rd_req_len(rd_req_len), .rd_data_valid(rd_data_valid), .rd_data(rd_data),
        .done(ld_done), .desc_we(desc_we), .desc_data(desc_data), .par_we(par_we),
        .par_idx(par_idx), .par_data(par_data), .w_we(w_we), .w_addr(w_waddr), .w_data(w_wdata),
        .p_we(p_we), .p_addr(p_waddr), .p_lane(p_lane), .p_data(p_wdata), .r_we(r_we),
        .r_addr(r_waddr), .r_data(r_wdata), .inc_rd_bytes(inc_rd_bytes),
        .inc_rd_reqs(inc_rd_reqs), .inc_parbuf_wr(inc_parbuf_wr), .inc_wbuf_wr(inc_wbuf_wr));
    assign rd_req_addr = rd_addr32[ADDR_BITS-1:0];

    // ---- buffers ------------------------------------------------------------------------
    wire [WA-1:0] w_raddr = c_whalf ? WBUF_DEPTH[WA-1:0] + c_k[WA-1:0] : c_k[WA-1:0];
    wire [PA-1:0] p_raddr = c_phalf ? PBUF_DEPTH[PA-1:0] + c_k[PA-1:0] : c_k[PA-1:0];
    wire [COLS*WBITS-1:0] w_rdata;
    wire [ROWS*WBITS-1:0] p_rdata;

    pk_sram #(.WIDTH(COLS*WBITS), .DEPTH(2*WBUF_DEPTH), .ABITS(WA), .WLANES(1)) u_wbuf (
        .clk(clk), .we(w_we), .wmask(1'b1), .waddr(w_waddr), .wdata(w_wdata),
        .re(c_re), .raddr(w_raddr), .rdata(w_rdata));
    pk_sram #(.WIDTH(ROWS*WBITS), .DEPTH(2*PBUF_DEPTH), .ABITS(PA), .WLANES(ROWS)) u_pbuf (
        .clk(clk), .we(p_we), .wmask(onehot_r(p_lane)), .waddr(p_waddr),
        .wdata({ROWS{p_wdata}}), .re(c_re), .raddr(p_raddr), .rdata(p_rdata));
    // patch-valid words: per row the operand count and the pad flag
    wire [ROWS*(NVW+1)-1:0] nvp_rows;
    pk_sram #(.WIDTH(ROWS*(NVW+1)), .DEPTH(2*PBUF_DEPTH), .ABITS(PA), .WLANES(ROWS)) u_nvbuf (
        .clk(clk), .we(nv_we), .wmask(onehot_r(nv_lane)), .waddr(nv_addr),
        .wdata({ROWS{nv_pad, nv_val}}), .re(c_re), .raddr(p_raddr), .rdata(nvp_rows));

    // zero-point word: the code widened to the mode's m-bit slot (section 4:
    // sign- or zero-extended from the input width), in every slot (the upper
    // bits are unused when the widest built mode is narrower than 8)
    /* verilator lint_off UNUSEDSIGNAL */
    reg [7:0] zp_ext;
    /* verilator lint_on UNUSEDSIGNAL */
    always @*
        case (al)
            2'd1: zp_ext = {{6{a_signed & zp_code[1]}}, zp_code[1:0]};
            2'd2: zp_ext = {{4{a_signed & zp_code[3]}}, zp_code[3:0]};
            2'd3: zp_ext = zp_code;
            default: zp_ext = {7'd0, zp_code[0]};
        endcase
    wire [4*WBITS-1:0] zp_modes;
    genvar zm;
    generate
        for (zm = 0; zm < 4; zm = zm + 1) begin : g_zp
            if (MODES[zm] && (1 << zm) <= SLOT_BITS) begin : g_on
                assign zp_modes[zm*WBITS +: WBITS] = {(WBITS >> zm){zp_ext[(1 << zm)-1:0]}};
            end else begin : g_off
                assign zp_modes[zm*WBITS +: WBITS] = {WBITS{1'b0}};
            end
        end
    endgenerate
    wire [WBITS-1:0] zp_word = zp_modes[mlog2*WBITS +: WBITS];
    // the array sees the zero-point word on pad positions; the counters
    // (pk_ctrl) count only positions inside the input
    wire [ROWS*WBITS-1:0] a_rows;
    genvar nr;
    generate
        for (nr = 0; nr < ROWS; nr = nr + 1) begin : g_nv
            wire pad_r = nvp_rows[nr*(NVW+1) + NVW];
            assign a_rows[nr*WBITS +: WBITS] = pad_r ? zp_word : p_rdata[nr*WBITS +: WBITS];
            assign nv_arr[nr*NVW +: NVW] = nvp_rows[nr*(NVW+1) +: NVW];
            assign nv_rows[nr*NVW +: NVW] = pad_r ? {NVW{1'b0}} : nvp_rows[nr*(NVW+1) +: NVW];
        end
    endgenerate

    function [ROWS-1:0] onehot_r(input [RA-1:0] i);
        integer k;
        begin
            for (k = 0; k < ROWS; k = k + 1)
                onehot_r[k] = {{(32-RA){1'b0}}, i} == k;
        end
    endfunction

    // parameter records: 2 halves x COLS, fields kept at their configured widths,
    // stored packed at the configured widths (m, s, E, b, M, an, ap; g and z 16):
    // PRW bits instead of RUB, unpacked zero-extended = the RUB-bit record & mask
    localparam FM = QN_MULT_BITS, FS = QN_SHIFT_BITS, FE = DQ_EXP_BITS, FB = QN_BIAS_BITS;
    localparam FMM = DQ_MANT_BITS, FA = ACT_PARAM_BITS;
    localparam FG = 16, FZ = 16;                     // (the record's g and z, whole)
    localparam PRW = FM + FS + FE + FB + FMM + 2 * FA + FG + FZ;
    /* verilator lint_off UNUSEDSIGNAL */     // (the record bits above each field's width)
    function [PRW-1:0] rec_pack(input [RUB-1:0] r);
        begin
            rec_pack = {r[`PK_PARAM_Z_LSB +: FZ], r[`PK_PARAM_G_LSB +: FG], r[`PK_PARAM_AP_LSB +: FA],
                        r[`PK_PARAM_AN_LSB +: FA], r[`PK_PARAM_MM_LSB +: FMM], r[`PK_PARAM_B_LSB +: FB],
                        r[`PK_PARAM_E_LSB +: FE], r[`PK_PARAM_S_LSB +: FS], r[`PK_PARAM_M_LSB +: FM]};
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    function [RUB-1:0] rec_unpack(input [PRW-1:0] q);
        begin
            rec_unpack = {RUB{1'b0}};
            rec_unpack[`PK_PARAM_M_LSB +: FM] = q[0 +: FM];
            rec_unpack[`PK_PARAM_S_LSB +: FS] = q[FM +: FS];
            rec_unpack[`PK_PARAM_E_LSB +: FE] = q[FM+FS +: FE];
            rec_unpack[`PK_PARAM_B_LSB +: FB] = q[FM+FS+FE +: FB];
            rec_unpack[`PK_PARAM_MM_LSB +: FMM] = q[FM+FS+FE+FB +: FMM];
            rec_unpack[`PK_PARAM_AN_LSB +: FA] = q[FM+FS+FE+FB+FMM +: FA];
            rec_unpack[`PK_PARAM_AP_LSB +: FA] = q[FM+FS+FE+FB+FMM+FA +: FA];
            rec_unpack[`PK_PARAM_G_LSB +: FG] = q[FM+FS+FE+FB+FMM+2*FA +: FG];
            rec_unpack[`PK_PARAM_Z_LSB +: FZ] = q[FM+FS+FE+FB+FMM+2*FA+FG +: FZ];
        end
    endfunction
    reg [PRW-1:0] par [0:2*COLS-1];
    reg parhalf_r;
    always @(posedge clk)
        if (ld_start)
            parhalf_r <= j_parhalf;
    integer pi;
    always @(posedge clk)
        for (pi = 0; pi < RECS; pi = pi + 1)
            if (par_we[pi] && {16'd0, par_idx} + pi < COLS)
                par[(parhalf_r ? COLS : 0) + {16'd0, par_idx} + pi] <= rec_pack(par_data[pi*RB*8 +: RUB]);

    wire [COLS*8-1:0] r_rdata;
    wire [RA:0] r_raddr = po_bank ? ROWS[RA:0] + {1'b0, po_row} : {1'b0, po_row};
    pk_sram #(.WIDTH(COLS*8), .DEPTH(2*ROWS), .ABITS(RA+1), .WLANES(1)) u_resbuf (
        .clk(clk), .we(r_we), .wmask(1'b1), .waddr(r_waddr), .wdata(r_wdata),
        .re(po_issue), .raddr(r_raddr), .rdata(r_rdata));

    // ---- array --------------------------------------------------------------------------
    wire [PP_LANES*ACC_BITS-1:0] rd_acc;
    pk_array #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
               .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .NVW(NVW), .RA(RA), .GA(GA)) u_array (
        .clk(clk), .rst(rst), .in_valid(a_in_valid), .kind(kind), .mode_log2(mlog2),
        .a_signed(a_signed), .a_shift(a_shift), .first(a_first), .bank(a_bank),
        .a_rows(a_rows), .nv_rows(nv_arr), .w_cols(w_rdata), .rd_bank(po_bank),
        .rd_row(po_row), .rd_grp(po_grp), .rd_cwl(4'd0), .rd_acc(rd_acc));

    // ---- POST: fetch stage, PPU lanes, staging --------------------------------------------
    reg f_v, f_last;
    reg [RA-1:0] f_r;
    reg [GA-1:0] f_g;
    reg [PP_LANES*ACC_BITS-1:0] f_acc;
    reg [PP_LANES*RUB-1:0] f_par;
    // The fetched records: lane li of the group at channel po_goff reads record
    // po_goff + li of the half (record 0 per tensor).  pk_ctrl's po_goff is 0
    // or the previous group's + PP_LANES, below COLS, and PP_LANES divides COLS
    // (pk_config), so po_goff = k * PP_LANES, k < NG: each lane chooses among
    // the 2 * NG records it can read (constant indices) instead of reading all
    // 2 * COLS at an arbitrary index (edge.yaml: 2 instead of 32 inputs to each
    // lane's multiplexer of a PRW-bit record).
    wire [NG-1:0] goff_k;
    wire [PP_LANES*PRW-1:0] par_q;
    wire [PRW-1:0] rec0 = po_phalf ? par[COLS] : par[0];
    genvar pk_g, pk_l;
    generate
        for (pk_g = 0; pk_g < NG; pk_g = pk_g + 1) begin : g_goff
            assign goff_k[pk_g] = {16'd0, po_goff} == pk_g * PP_LANES;
        end
        for (pk_l = 0; pk_l < PP_LANES; pk_l = pk_l + 1) begin : g_parrd
            reg [PRW-1:0] q;
            integer k;
            always @* begin
                q = per_tensor ? rec0 : {PRW{1'b0}};
                for (k = 0; k < NG; k = k + 1)
                    if (!per_tensor && goff_k[k])
                        q = po_phalf ? par[COLS + k * PP_LANES + pk_l] : par[k * PP_LANES + pk_l];
            end
            assign par_q[pk_l*PRW +: PRW] = q;
        end
    endgenerate
    integer li;
    always @(posedge clk) begin
        if (rst)
            f_v <= 1'b0;
        else
            f_v <= po_issue;
        f_last <= po_last;
        f_r <= po_row;
        f_g <= po_grp;
        f_acc <= rd_acc;
        for (li = 0; li < PP_LANES; li = li + 1)
            f_par[li*RUB +: RUB] <= rec_unpack(par_q[li*PRW +: PRW]);
    end

    // residual codes of the fetched group
    wire res_mul = desc_data[`PK_DESC_RES_MUL];
    wire [PP_LANES*8-1:0] f_res = r_rdata[f_g*PP_LANES*8 +: PP_LANES*8];

    wire [PP_LANES*8-1:0] y;
    wire [PP_LANES-1:0] y_v;
    genvar gl;
    generate
        for (gl = 0; gl < PP_LANES; gl = gl + 1) begin : g_ppu
            wire [RUB-1:0] rec = f_par[gl*RUB +: RUB];
            // res_mul (channel-wise multiply, QUANT.md): the QuantNorm multiplier is
            // operand B's value instead of the record's m, and the residual add is off
            wire signed [8:0] r_val;
            pk_decode u_rdec (.code(f_res[gl*8 +: 8]), .log2b(rl), .is_signed(r_signed), .val(r_val));
            wire [15:0] p_m = res_mul ? {{7{r_val[8]}}, r_val} : rec[`PK_PARAM_M];
            pk_ppu #(.ACC_BITS(ACC_BITS), .P_BITS(P_BITS), .QN_MULT_BITS(QN_MULT_BITS),
                     .QN_BIAS_BITS(QN_BIAS_BITS), .QN_SHIFT_BITS(QN_SHIFT_BITS),
                     .DQ_MANT_BITS(DQ_MANT_BITS), .DQ_EXP_BITS(DQ_EXP_BITS),
                     .ACT_PARAM_BITS(ACT_PARAM_BITS), .ACT_SHIFT_BITS(ACT_SHIFT_BITS),
                     .RES_SHIFT_BITS(RES_SHIFT_BITS), .ACT_MASK(ACT_MASK), .RES_EN(RES_EN)) u_ppu (
                .clk(clk), .rst(rst), .in_valid(f_v), .acc(f_acc[gl*ACC_BITS +: ACC_BITS]),
                .p_m(p_m), .p_s(rec[`PK_PARAM_S]), .p_e(rec[`PK_PARAM_E]),
                .p_b(rec[`PK_PARAM_B]), .p_M(rec[`PK_PARAM_MM]), .p_an(rec[`PK_PARAM_AN]),
                .p_ap(rec[`PK_PARAM_AP]), .p_g(rec[`PK_PARAM_G]), .p_z(rec[`PK_PARAM_Z]), .r_code(f_res[gl*8 +: 8]), .r_log2(rl), .r_signed(r_signed),
                .qn_en(qn_en), .res_en(res_en & ~res_mul), .rq_en(rq_en), .act_mode(act_mode),
                .act_shift(act_shift), .r_shift(r_shift), .clip_lo(clip_lo), .clip_hi(clip_hi),
                .out_log2(ol), .out_signed(o_signed), .round(desc_data[`PK_DESC_ROUND]),
                .out_valid(y_v[gl]),
                .y_code(y[gl*8 +: 8]));
        end
    endgenerate

    // (row, group, last) of each PPU stage: the result is written to staging
    // PD = PPU_LAT - 1 cycles after the fetch stage.
    reg [PD-1:0] d_v, d_last;
    reg [PD*RA-1:0] d_r;
    reg [PD*GA-1:0] d_g;
    always @(posedge clk) begin
        if (rst)
            d_v <= {PD{1'b0}};
        else
            d_v <= {d_v[PD-2:0], f_v};
        d_last <= {d_last[PD-2:0], f_last};
        d_r <= {d_r[(PD-1)*RA-1:0], f_r};
        d_g <= {d_g[(PD-1)*GA-1:0], f_g};
    end
    wire s_we = d_v[PD-1];
    wire [RA-1:0] s_row = d_r[(PD-1)*RA +: RA];
    wire [GA-1:0] s_grp = d_g[(PD-1)*GA +: GA];
    wire wr_start = s_we && d_last[PD-1];

    function [NG-1:0] onehot_g(input [GA-1:0] i);
        integer k;
        begin
            for (k = 0; k < NG; k = k + 1)
                onehot_g[k] = {{(32-GA){1'b0}}, i} == k;
        end
    endfunction

    wire st_re;
    wire [RA-1:0] st_raddr;
    wire [COLS*8-1:0] st_rdata;
    pk_sram #(.WIDTH(COLS*8), .DEPTH(ROWS), .ABITS(RA), .WLANES(NG)) u_stage (
        .clk(clk), .we(s_we), .wmask(onehot_g(s_grp)), .waddr(s_row), .wdata({NG{y}}),
        .re(st_re), .raddr(st_raddr), .rdata(st_rdata));

    wire [31:0] wr_addr32, inc_wr_bytes, inc_wr_reqs;
    pk_dma_wr #(.ROWS(ROWS), .COLS(COLS), .PORT_BYTES(PB), .RA(RA)) u_dma_wr (
        .clk(clk), .rst(rst), .start(wr_start), .j_addr(pw_addr), .j_ps(pw_ps),
        .j_nrows(pw_nrows), .j_nbytes(pw_nbytes), .j_ncv(pw_ncv), .j_ol(ol), .st_re(st_re),
        .st_raddr(st_raddr), .st_rdata(st_rdata), .wr_valid(wr_valid), .wr_ready(wr_ready),
        .wr_addr(wr_addr32), .wr_data(wr_data), .wr_strb(wr_strb), .done(post_done),
        .inc_wr_bytes(inc_wr_bytes), .inc_wr_reqs(inc_wr_reqs));
    assign wr_addr = wr_addr32[ADDR_BITS-1:0];

    // ---- counters (section 8 order) ---------------------------------------------------------
    wire [NCNT*32-1:0] inc;
    assign inc[`PK_CNT_CYCLES*32 +: 32] = inc_cycles;
    assign inc[`PK_CNT_BUSY*32 +: 32] = inc_busy;
    assign inc[`PK_CNT_STALL*32 +: 32] = inc_stall;
    assign inc[`PK_CNT_MACS*32 +: 32] = inc_macs;
    assign inc[`PK_CNT_QN_OPS*32 +: 32] = inc_qn;
    assign inc[`PK_CNT_RES_OPS*32 +: 32] = inc_res;
    assign inc[`PK_CNT_RQ_OPS*32 +: 32] = inc_rq;
    assign inc[`PK_CNT_ACT_OPS*32 +: 32] = inc_act;
    assign inc[`PK_CNT_POOL_OPS*32 +: 32] = inc_pool;
    assign inc[`PK_CNT_OUT_ELEMS*32 +: 32] = inc_out;
    assign inc[`PK_CNT_WBUF_RD*32 +: 32] = inc_wbuf_rd;
    assign inc[`PK_CNT_WBUF_WR*32 +: 32] = inc_wbuf_wr;
    assign inc[`PK_CNT_PBUF_RD*32 +: 32] = inc_pbuf_rd;
    assign inc[`PK_CNT_PBUF_WR*32 +: 32] = inc_pbuf_wr;
    assign inc[`PK_CNT_PARBUF_RD*32 +: 32] = inc_parbuf_rd;
    assign inc[`PK_CNT_PARBUF_WR*32 +: 32] = inc_parbuf_wr;
    assign inc[`PK_CNT_RESBUF_RD*32 +: 32] = inc_resbuf_rd;
    assign inc[`PK_CNT_RESBUF_WR*32 +: 32] = inc_resbuf_wr;
    assign inc[`PK_CNT_DRAM_RD_BYTES*32 +: 32] = inc_rd_bytes;
    assign inc[`PK_CNT_DRAM_WR_BYTES*32 +: 32] = inc_wr_bytes;
    assign inc[`PK_CNT_DRAM_RD_REQS*32 +: 32] = inc_rd_reqs;
    assign inc[`PK_CNT_DRAM_WR_REQS*32 +: 32] = inc_wr_reqs;
    pk_counters #(.N(NCNT), .IW(32), .CNT_BITS(CNT_BITS)) u_cnt (
        .clk(clk), .rst(rst), .clear(clear), .inc(inc), .sel(cnt_sel), .value(cnt_value));

    wire unused_core = &{1'b0, y_v, in_h[0], out_c, c_k, rd_addr32, wr_addr32, POOL_MASK[0],
                         MEM_LATENCY[0]};
endmodule
