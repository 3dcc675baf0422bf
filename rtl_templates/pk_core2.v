// pk_core2 - the v2 top (ARCHITECTURE.md V2-2, V2-11.1, V2-11.2): the same
// external ports as v1's pk_core (host bus, read port, write port, irq), so
// that pikecheck's Verilator harness drives either.  It instantiates v1's
// pk_regs and pk_counters, and the v2 engines:
//   pk_ctrl2 (layer FSM, descriptor requests, parameter word stream)
//   pk_desc2 (descriptor RAM), pk_par2 (generated: the layer's fields)
//   pk_ld2 (+ pk_ld2a: loader), pk_ring2 (activation ring), pk_wbuf2 (weight
//   buffer), pk_win2 (window generators), pk_seq2 (COMPUTE), pk_array
//   (RD_PACK = 1, PP_LANES = PL), pk_post2 (POST and the writer)
// and the glue between them (this file): the fetch of descriptor 0 (the loader
// fetches descriptor L + 1 at the end of layer L's program, from pk_ctrl2's
// request: relative to CMD_BASE; nothing runs before layer 0), desc_done, the
// loader's constants (descriptor fields LD_*, core/pk_v2ldconst.c; ymax =
// Y_END - 1), the flat ring's read address (pk_win2 builds the windowed one),
// the weight-buffer read address, the array's operand counts, the record
// hand-over of COMPUTE's tail to POST, and the counter increments.
//
// Built for what the engines build (V2-11.6): the WS order, CONV layers
// (x-folded too: the window generators' slot mask on the ring word, V2-4.2)
// and DW / pool / EW layers of one n-tile, global pools (V2-4.4: the global
// read below, pk_seq2's passes; R a power of two, a chunk inside one ring
// word), operand B for an EW layer of the output's shape (pk_ld2 fetches B
// into the ring's B half from DA / 2; COMPUTE's tail reads B word jb of every
// row at DA / 2 + (mt mod (capPB / R)) * Jr + jb, rotation jb mod R, into
// POST's res_* port), at most one weight word a column a beat.  core/pk_v2_rtl.c
// pk_v2_rtl_supported() names the reason for every other layer; pikecheck
// refuses them.  Parameters: core/pk_v2_rtl.c pk_v2_rtl_params() (pikegen
// writes them; the defaults here are one consistent small shape).
`include "pk_contract.vh"
module pk_core2 #(
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
    parameter PORT_BYTES = 8,
    parameter MEM_LATENCY = 4,
    parameter ADDR_BITS = 32,
    parameter MAX_BURST = `PK_MAX_BURST_DEFAULT,
    parameter QA = 3,                   // loader request FIFO: 2^QA >= MEM_LATENCY + 2
    parameter RA = ROWS > 1 ? $clog2(ROWS) : 1,
    parameter CA = COLS > 1 ? $clog2(COLS) : 1,
    parameter WBITS = LANES * SLOT_BITS,
    parameter DA = 256,                 // ring words per bank
    parameter AW = 8,                   // clog2 DA
    parameter XW = 12,                  // clog2(ROWS * DA) + 2
    parameter YW = 18,
    parameter WD = 256,                 // weight-buffer words per column (both halves)
    parameter WA = 8,                   // clog2 WD
    parameter RWL = PORT_BYTES,         // loader ring write lanes
    parameter WWL = COLS,               // loader weight write lanes
    parameter WFL = WWL,                // of them whole-word lanes (the others 8-bit DW codes)
    parameter WI = 1,                   // weight-buffer sub-banks per column (pk_wbuf2)
    parameter SLOTS = 8,                // the widest VP
    parameter WBW = $clog2(WBITS + 1),  // bits of a count of word bits 0 .. WBITS (pk_par2)
    parameter LD_MODES = 16'hFFFF,      // pk_ld2a MODES
    parameter LD_WMODES = 16'hFFFF,     // pk_ld2 WMODES (the weight widenings built)
    parameter REC_WORDS = 2,
    parameter B_WORDS = 1,
    parameter FXL = 3,                  // pk_ld2a: largest log2 fx built (0: no x-fold)
    parameter FPX = RWL,                // pk_ld2a: x-folded pixels one beat completes
    parameter GLOB = 1,                 // pk_ld2a: global-pool layout built
    parameter CNT_BITS = 64,            // event counter bits (V2-9 item 8: wrap at 2^CNT_BITS)
    parameter CNT_IW = 32,              // counter increment bits (core/pk_v2_rtl.c: every event fits)
    parameter DLW = 1,                  // descriptor words read a cycle (pk_v2_desc_load_lanes, V2-7.5)
    parameter VERSION = 0
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
    localparam NCNT = `PK_CNT_COUNT;
    localparam GA = COLS / PP_LANES > 1 ? $clog2(COLS / PP_LANES) : 1;
    localparam NVW = $clog2(SLOTS + 1);                 // operand count bits of pk_array
    localparam DWA = $clog2(`PK_DESC2_WORDS);           // descriptor word address bits
    localparam DLL = DLW > 1 ? $clog2(DLW) : 0;         // log2 of the words a read row
    localparam DROWB = PORT_BYTES < 4 ? 4 : PORT_BYTES; // pk_desc2 row bytes
    localparam DLA = PORT_BYTES < 4 ? $clog2(4 / PORT_BYTES) : 1;
    localparam DRA = $clog2(2 * `PK_DESC2_BYTES / DROWB);
    localparam DBEATS = `PK_DESC2_BYTES / PORT_BYTES;   // beats of one descriptor
    localparam DBW = $clog2(DBEATS + 1);
    localparam RIW = REC_WORDS > 1 ? $clog2(REC_WORDS) : 1;
    localparam BIW = B_WORDS > 1 ? $clog2(B_WORDS) : 1;
    // the data bits a whole weight lane past lane 0 can carry (pk_ld2's ww_data lanes 1 ..
    // WFL - 1; V2-11.5 "Scaling, steps 11 and 15"), given to pk_ld2 and pk_wbuf2: such a lane's
    // word lies wholly in its beat from beat bit 1 on (lane 0's word ends in the beat, as it was
    // not complete a beat earlier, or it starts at the beat's first bit: a unit's first word;
    // after a beat that raised ww_ovf the words are lost anyway), so it has at most 8 PB - 1
    // bits: a CONV word (WBITS * w_bits / m code bits, WBITS bits widened) only where an
    // enabled pair has WBITS * w_bits / m < 8 PB; else a record word of 8 min(rq, WBITS / 8)
    // bits (rq a power of two; it starts on a byte, so at most PB - 1 bytes) or a depthwise
    // code (8 bits).  ecp5.yaml: 16 of 64 bits; ice40.yaml 8 of 32.
    function integer late_bits(input integer pb, input integer wbits, input [15:0] wmodes);
        integer p, q, b, wby;
        begin
            wby = wbits / 8;
            b = 8;
            for (q = 1; q <= wby; q = q * 2)
                if (q <= pb - 1 && 8 * q > b)
                    b = 8 * q;
            if (wby <= pb - 1 && 8 * wby > b)
                b = 8 * wby;
            for (p = 0; p < 16; p = p + 1)
                if (wmodes[p] && ((wbits >> (p % 4)) << (p / 4)) < 8 * pb)
                    b = wbits;
            late_bits = b < wbits ? b : wbits;
        end
    endfunction
    localparam integer LWB = late_bits(PORT_BYTES, WBITS, LD_WMODES[15:0]);

    // ---- host registers and counters ---------------------------------------------------------
    wire start, clear, st_busy, st_done;
    wire [31:0] cmd_base, cmd_count;
    wire [15:0] layer;
    wire [$clog2(NCNT)-1:0] cnt_sel;
    wire [63:0] cnt_value;
    pk_regs #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .WMASK(WMASK),
              .AMASK(AMASK), .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .VERSION(VERSION)) u_regs (
        .clk(clk), .rst(rst), .host_we(host_we), .host_re(host_re), .host_addr(host_addr),
        .host_wdata(host_wdata), .host_rdata(host_rdata), .start(start), .clear(clear),
        .cmd_base(cmd_base), .cmd_count(cmd_count), .st_busy(st_busy), .st_done(st_done),
        .st_error(1'b0), .layer({16'd0, layer}), .cnt_sel(cnt_sel), .cnt_value(cnt_value));
    assign irq = st_done;

    // ---- controller, descriptor RAM, parameter registers ---------------------------------------
    wire fin, dreq_valid, dreq_entry, dreq_ready, desc_done, dr_re, pw_valid, lay_start;
    wire lay_done, comp_busy, comp_done, inc_cycles, inc_busy, inc_stall;
    wire [ADDR_BITS-1:0] dreq_addr;
    wire [DWA-DLL:0] dr_addr;
    wire [32*DLW-1:0] dr_data, pw_data;
    wire [DWA-DLL-1:0] pw_idx;
    pk_ctrl2 #(.ADDR_BITS(ADDR_BITS), .DLW(DLW)) u_ctrl (
        .clk(clk), .rst(rst), .start(start), .cmd_base(cmd_base[ADDR_BITS-1:0]),
        .cmd_count(cmd_count[15:0]), .busy(st_busy), .done(st_done), .layer(layer), .fin(fin),
        .dreq_valid(dreq_valid), .dreq_addr(dreq_addr), .dreq_entry(dreq_entry),
        .dreq_ready(dreq_ready), .desc_done(desc_done), .dr_re(dr_re), .dr_addr(dr_addr),
        .dr_data(dr_data), .pw_valid(pw_valid), .pw_idx(pw_idx), .pw_data(pw_data),
        .lay_start(lay_start), .lay_done(lay_done), .comp_busy(comp_busy),
        .comp_done(comp_done), .inc_cycles(inc_cycles), .inc_busy(inc_busy),
        .inc_stall(inc_stall));

    wire d_we, ld_d_we;
    wire [DRA-1:0] d_wrow, ld_d_wrow;
    wire [DLA-1:0] d_wlane, ld_d_wlane;
    wire [8*PORT_BYTES-1:0] d_wdata, ld_d_wdata;
    pk_desc2 #(.PB(PORT_BYTES), .DLW(DLW)) u_desc (
        .clk(clk), .we(d_we), .wrow(d_wrow), .wlane(d_wlane), .wdata(d_wdata),
        .re(dr_re), .raddr(dr_addr), .rdata(dr_data));

    wire [`PK_DESC_KIND_WIDTH-1:0] l_kind;
    wire [`PK_DESC_W_LOG2_WIDTH-1:0] l_w_log2;
    wire [`PK_DESC_A_LOG2_WIDTH-1:0] l_a_log2;
    wire [`PK_DESC_A_SIGNED_WIDTH-1:0] l_a_signed;
    wire [`PK_DESC_OUT_LOG2_WIDTH-1:0] l_out_log2;
    wire [`PK_DESC_OUT_SIGNED_WIDTH-1:0] l_out_signed;
    wire [`PK_DESC_R_LOG2_WIDTH-1:0] l_r_log2;
    wire [`PK_DESC_R_SIGNED_WIDTH-1:0] l_r_signed;
    wire [`PK_DESC_QN_EN_WIDTH-1:0] l_qn_en;
    wire [`PK_DESC_RES_EN_WIDTH-1:0] l_res_en;
    wire [`PK_DESC_RES_MUL_WIDTH-1:0] l_res_mul;
    wire [`PK_DESC_RQ_EN_WIDTH-1:0] l_rq_en;
    wire [`PK_DESC_PER_TENSOR_WIDTH-1:0] l_per_tensor;
    wire [`PK_DESC_ACT_MODE_WIDTH-1:0] l_act_mode;
    wire [`PK_DESC_IN_H_WIDTH-1:0] l_in_h;
    wire [`PK_DESC_IN_W_WIDTH-1:0] l_in_w;
    wire [`PK_DESC_IN_C_WIDTH-1:0] l_in_c;
    wire [`PK_DESC_OUT_C_WIDTH-1:0] l_out_c;
    wire [`PK_DESC_OUT_W_WIDTH-1:0] l_out_w;
    wire [`PK_DESC_KH_WIDTH-1:0] l_kh;
    wire [`PK_DESC_KW_WIDTH-1:0] l_kw;
    wire [`PK_DESC_STRIDE_WIDTH-1:0] l_stride;
    wire [`PK_DESC_PAD_WIDTH-1:0] l_pad;
    wire [`PK_DESC_PAD_LEFT_WIDTH-1:0] l_pad_left;
    wire [`PK_DESC_A_SHIFT_WIDTH-1:0] l_a_shift;
    wire [`PK_DESC_R_SHIFT_WIDTH-1:0] l_r_shift;
    wire [`PK_DESC_CLIP_LO_WIDTH-1:0] l_clip_lo;
    wire [`PK_DESC_CLIP_HI_WIDTH-1:0] l_clip_hi;
    wire [`PK_DESC_ACT_SHIFT_WIDTH-1:0] l_act_shift;
    wire [`PK_DESC_ROUND_WIDTH-1:0] l_round;
    wire [`PK_DESC_IN_ZP_WIDTH-1:0] l_in_zp;
    wire [`PK_DESC_ADDR_IN_WIDTH-1:0] l_addr_in;
    wire [`PK_DESC_ADDR_W_WIDTH-1:0] l_addr_w;
    wire [`PK_DESC_ADDR_PARAM_WIDTH-1:0] l_addr_param;
    wire [`PK_DESC_ADDR_RES_WIDTH-1:0] l_addr_res;
    wire [`PK_DESC_ADDR_OUT_WIDTH-1:0] l_addr_out;
    wire [`PK_DESC_OUT_C_TOTAL_WIDTH-1:0] l_out_c_total;
    wire [`PK_DESC_OUT_C_BASE_WIDTH-1:0] l_out_c_base;
    wire [`PK_DESC2_ORDER_WIDTH-1:0] l_order;
    wire [`PK_DESC2_FX_LOG2_WIDTH-1:0] l_fx_log2;
    wire [`PK_DESC2_GLOBAL_WIDTH-1:0] l_global;
    wire [`PK_DESC2_FLAT_WIDTH-1:0] l_flat;
    wire [`PK_DESC2_REC_LOG2P1_WIDTH-1:0] l_rec_log2p1;
    wire [`PK_DESC2_NW_WIDTH-1:0] l_nw;
    wire [`PK_DESC2_PRE_WIDTH-1:0] l_pre;
    wire [`PK_DESC2_NB_WIDTH-1:0] l_nb;
    wire [`PK_DESC2_CT_WIDTH-1:0] l_ct;
    wire [`PK_DESC2_CAP_WIDTH-1:0] l_cap;
    wire [`PK_DESC2_CAP_B_WIDTH-1:0] l_cap_b;
    wire [`PK_DESC2_KS_WIDTH-1:0] l_ks;
    wire [`PK_DESC2_KC_WIDTH-1:0] l_kc;
    wire [`PK_DESC2_JW_WIDTH-1:0] l_jw;
    wire [`PK_DESC2_GSL_WIDTH-1:0] l_gsl;   // global pool, channel-slice fetch (V2-4.4)
    wire [`PK_DESC2_GX_WIDTH-1:0] l_gx;     // (GSL: PS_in; WB: the slice SL)
    wire [`PK_DESC2_CGS_WIDTH-1:0] l_cgs;   // channel groups in block slices (V2-5 item 2)
    wire [`PK_DESC2_CSL_WIDTH-1:0] l_csl;   // a CONV's channel slice (V2-6.1)
    wire [`PK_DESC2_KWF_WIDTH-1:0] l_kwf;
    wire [`PK_DESC2_SF_WIDTH-1:0] l_sf;
    wire [`PK_DESC2_WB_WIDTH-1:0] l_wb;
    wire [`PK_DESC2_ROW_BYTES_WIDTH-1:0] l_row_bytes;
    wire [`PK_DESC2_B_ROW_BYTES_WIDTH-1:0] l_b_row_bytes;
    wire [`PK_DESC2_UNIT_BYTES_WIDTH-1:0] l_unit_bytes;
    wire [`PK_DESC2_MT_WIDTH-1:0] l_mt;
    wire [`PK_DESC2_NT_WIDTH-1:0] l_nt;
    wire [`PK_DESC2_R_MOD_OW_WIDTH-1:0] l_r_mod_ow;
    wire [`PK_DESC2_OW_GSJ_WIDTH-1:0] l_ow_gsj;
    wire [`PK_DESC2_CAP_WB_WIDTH-1:0] l_cap_wb;
    wire [`PK_DESC2_SJ_WIDTH-1:0] l_sj;
    wire [`PK_DESC2_OW_G_WIDTH-1:0] l_ow_g;
    wire [`PK_DESC2_OW_Q_WIDTH-1:0] l_ow_q;
    wire [`PK_DESC2_E_ROWS_WIDTH-1:0] l_e_rows;
    wire [`PK_DESC2_RM_X_WIDTH-1:0] l_rm_x;
    wire [`PK_DESC2_OW_X_WIDTH-1:0] l_ow_x;
    wire [`PK_DESC2_RD_Y_WIDTH-1:0] l_rd_y;
    wire [`PK_DESC2_RDE_CAP_WIDTH-1:0] l_rde_cap;
    wire [`PK_DESC2_RDE_CAP_WB_WIDTH-1:0] l_rde_cap_wb;
    wire [`PK_DESC2_EM_WIDTH-1:0] l_em;
    wire [`PK_DESC2_EM_WB_WIDTH-1:0] l_em_wb;
    wire [`PK_DESC2_SB0_WIDTH-1:0] l_sb0;
    wire [`PK_DESC2_SB0_WB_WIDTH-1:0] l_sb0_wb;
    wire [`PK_DESC2_RW_WIDTH-1:0] l_rw;
    wire [`PK_DESC2_CP_LOG2_WIDTH-1:0] l_cp_log2;
    wire [`PK_DESC2_NR_LAST_WIDTH-1:0] l_nr_last;
    wire [`PK_DESC2_NC_LAST_WIDTH-1:0] l_nc_last;
    wire [`PK_DESC2_OX1_WIDTH-1:0] l_ox1;
    wire [`PK_DESC2_NA_WIDTH-1:0] l_na;
    wire [`PK_DESC2_F0_WIDTH-1:0] l_f0;
    wire [`PK_DESC2_RDE_WIDTH-1:0] l_rde;
    wire [`PK_DESC2_Y_PH0_WIDTH-1:0] l_y_ph0;
    wire [`PK_DESC2_Y_END_WIDTH-1:0] l_y_end;
    wire [`PK_DESC2_UNIT_TOTAL_WIDTH-1:0] l_unit_total;
    wire [`PK_DESC2_UNIT_LAST_WIDTH-1:0] l_unit_last;
    wire [`PK_DESC2_BLOCK_BYTES_WIDTH-1:0] l_block_bytes;
    wire [`PK_DESC2_LD_ADDR_Y0_WIDTH-1:0] l_ld_addr_y0;
    wire [`PK_DESC2_LD_JUMP_BYTES_WIDTH-1:0] l_ld_jump_bytes;
    wire [`PK_DESC2_LD_Y1_0_WIDTH-1:0] l_ld_y1_0;
    wire [`PK_DESC2_LD_JUMP_WIDTH-1:0] l_ld_jump;
    wire [`PK_DESC2_LD_CBITS_WIDTH-1:0] l_ld_cbits;
    wire [`PK_DESC2_LD_LBITS_WIDTH-1:0] l_ld_lbits;
    wire [`PK_DESC2_LD_LNCH_WIDTH-1:0] l_ld_lnch;
    wire [`PK_DESC2_LD_PSKIP_WIDTH-1:0] l_ld_pskip;
    wire [`PK_DESC2_LD_WCB_WIDTH-1:0] l_ld_wcb;
    wire [`PK_DESC2_LD_WU_WIDTH-1:0] l_ld_wu;
    wire [`PK_DESC2_LD_WSKIP_WIDTH-1:0] l_ld_wskip;
    wire [`PK_DESC2_LD_WSKIP_LAST_WIDTH-1:0] l_ld_wskip_last;
    wire [`PK_DESC2_LD_Y0_WIDTH-1:0] l_ld_y0;
    wire [`PK_DESC2_LD_YM0_WIDTH-1:0] l_ld_ym0;
    wire [`PK_DESC2_LD_PREC_WIDTH-1:0] l_ld_prec;
    wire [`PK_DESC2_LD_MLOG_WIDTH-1:0] l_ld_mlog;
    wire [`PK_DESC2_LD_HAS_W_WIDTH-1:0] l_ld_has_w;
    wire [`PK_DESC2_LD_DW_WIDTH-1:0] l_ld_dw;
    wire [`PK_DESC2_LD_U0_WIDTH-1:0] l_ld_u0;
    wire [`PK_DESC2_LD_Q0_WIDTH-1:0] l_ld_q0;
    wire [`PK_DESC2_LD_RB0_WIDTH-1:0] l_ld_rb0;
    wire [`PK_DESC2_LD_RBITS_WIDTH-1:0] l_ld_rbits;
    wire [`PK_DESC2_LD_G0_WIDTH-1:0] l_ld_g0;
    wire [`PK_DESC2_LD_A0_WIDTH-1:0] l_ld_a0;
    wire [`PK_DESC2_LD_AWRAP_WIDTH-1:0] l_ld_awrap;
    wire [`PK_DESC2_LD_SJW_WIDTH-1:0] l_ld_sjw;
    wire [`PK_DESC2_LD_SP_WIDTH-1:0] l_ld_sp;
    wire [`PK_DESC2_LD_OWM_WIDTH-1:0] l_ld_owm;
    wire [`PK_DESC2_LD_B_JW_WIDTH-1:0] l_ld_b_jw;
    wire [`PK_DESC2_LD_B_LNCH_WIDTH-1:0] l_ld_b_lnch;
    wire [`PK_DESC2_LD_B_AWRAP_WIDTH-1:0] l_ld_b_awrap;
    wire [`PK_DESC2_LD_NBL1_WIDTH-1:0] l_ld_nbl1;
    wire [`PK_DESC2_PASS_WB_WIDTH-1:0] l_pass_wb;
    wire [`PK_DESC2_LD_JIN_WIDTH-1:0] l_ld_jin;
    // sized: each register keeps the bits of its field read here, or all its value takes at
    // this config (PK_PAR2_FIELDS' sizes; pk_v2_rtl_supported refuses a field that does not fit)
    pk_par2 #(.DLW(DLW), .SIZED(1), .SZ_ADDR_BITS(ADDR_BITS), .SZ_AW(AW), .SZ_XW(XW), .SZ_YW(YW), .SZ_RA(RA),
              .SZ_WA(WA), .SZ_CA(CA), .SZ_WBW(WBW)) u_par (
        .clk(clk), .rst(rst), .pw_valid(pw_valid), .pw_idx(pw_idx), .pw_data(pw_data),
        .l_kind(l_kind), .l_w_log2(l_w_log2), .l_a_log2(l_a_log2), .l_a_signed(l_a_signed),
        .l_out_log2(l_out_log2), .l_out_signed(l_out_signed), .l_r_log2(l_r_log2),
        .l_r_signed(l_r_signed), .l_qn_en(l_qn_en), .l_res_en(l_res_en), .l_res_mul(l_res_mul),
        .l_rq_en(l_rq_en), .l_per_tensor(l_per_tensor), .l_act_mode(l_act_mode), .l_in_h(l_in_h), .l_in_w(l_in_w),
        .l_in_c(l_in_c), .l_out_c(l_out_c), .l_out_w(l_out_w), .l_kh(l_kh), .l_kw(l_kw),
        .l_stride(l_stride), .l_pad(l_pad), .l_pad_left(l_pad_left), .l_a_shift(l_a_shift), .l_r_shift(l_r_shift),
        .l_clip_lo(l_clip_lo), .l_clip_hi(l_clip_hi), .l_act_shift(l_act_shift), .l_round(l_round), .l_in_zp(l_in_zp),
        .l_addr_in(l_addr_in), .l_addr_w(l_addr_w), .l_addr_param(l_addr_param),
        .l_addr_res(l_addr_res), .l_addr_out(l_addr_out), .l_out_c_total(l_out_c_total),
        .l_out_c_base(l_out_c_base), .l_order(l_order), .l_fx_log2(l_fx_log2), .l_global(l_global),
        .l_flat(l_flat), .l_rec_log2p1(l_rec_log2p1), .l_nw(l_nw), .l_pre(l_pre), .l_nb(l_nb), .l_ct(l_ct),
        .l_cap(l_cap), .l_cap_b(l_cap_b), .l_ks(l_ks), .l_kc(l_kc), .l_jw(l_jw), .l_kwf(l_kwf),
        .l_sf(l_sf), .l_wb(l_wb), .l_row_bytes(l_row_bytes), .l_b_row_bytes(l_b_row_bytes),
        .l_unit_bytes(l_unit_bytes), .l_mt(l_mt), .l_nt(l_nt), .l_r_mod_ow(l_r_mod_ow),
        .l_ow_gsj(l_ow_gsj), .l_cap_wb(l_cap_wb), .l_sj(l_sj), .l_ow_g(l_ow_g), .l_ow_q(l_ow_q),
        .l_e_rows(l_e_rows), .l_rm_x(l_rm_x), .l_ow_x(l_ow_x), .l_rd_y(l_rd_y),
        .l_rde_cap(l_rde_cap), .l_rde_cap_wb(l_rde_cap_wb), .l_em(l_em), .l_em_wb(l_em_wb),
        .l_sb0(l_sb0), .l_sb0_wb(l_sb0_wb), .l_rw(l_rw), .l_cp_log2(l_cp_log2),
        .l_nr_last(l_nr_last), .l_nc_last(l_nc_last), .l_ox1(l_ox1), .l_na(l_na), .l_f0(l_f0),
        .l_rde(l_rde), .l_y_ph0(l_y_ph0), .l_y_end(l_y_end), .l_unit_total(l_unit_total),
        .l_unit_last(l_unit_last), .l_block_bytes(l_block_bytes), .l_ld_addr_y0(l_ld_addr_y0),
        .l_ld_jump_bytes(l_ld_jump_bytes), .l_ld_y1_0(l_ld_y1_0), .l_ld_jump(l_ld_jump),
        .l_ld_cbits(l_ld_cbits), .l_ld_lbits(l_ld_lbits), .l_ld_lnch(l_ld_lnch),
        .l_ld_pskip(l_ld_pskip), .l_ld_wcb(l_ld_wcb), .l_ld_wu(l_ld_wu), .l_ld_wskip(l_ld_wskip),
        .l_ld_wskip_last(l_ld_wskip_last), .l_ld_y0(l_ld_y0), .l_ld_ym0(l_ld_ym0),
        .l_ld_prec(l_ld_prec), .l_ld_mlog(l_ld_mlog), .l_ld_has_w(l_ld_has_w), .l_ld_dw(l_ld_dw),
        .l_ld_u0(l_ld_u0), .l_ld_q0(l_ld_q0), .l_ld_rb0(l_ld_rb0), .l_ld_rbits(l_ld_rbits),
        .l_ld_g0(l_ld_g0), .l_ld_a0(l_ld_a0), .l_ld_awrap(l_ld_awrap), .l_ld_sjw(l_ld_sjw),
        .l_ld_sp(l_ld_sp), .l_ld_owm(l_ld_owm), .l_ld_b_jw(l_ld_b_jw), .l_ld_b_lnch(l_ld_b_lnch),
        .l_ld_b_awrap(l_ld_b_awrap), .l_ld_nbl1(l_ld_nbl1), .l_pass_wb(l_pass_wb),
        .l_ld_jin(l_ld_jin), .l_gsl(l_gsl), .l_gx(l_gx), .l_cgs(l_cgs), .l_csl(l_csl));
    // IS, WB or NS (V2-5: weight blocks; pk_v2_rtl_supported: WS, IS, WB or NS); WB: each
    // block a new pass over the input rows (V2-6.1); NS: a block's units in both weight
    // halves, the next block loaded once it has ended (V2-11.4 item 10)
    wire wb_order = l_order == `PK_ORDER_WB;
    wire ns_order = l_order == `PK_ORDER_NS;
    wire is_order = l_order == `PK_ORDER_IS || wb_order || ns_order;
    // channel groups (V2-5 item 2, V2-11.4 item 11): a DW / pool layer in WB or NS whose ring
    // holds a block's Jw chunks of each pixel (LD_JIN, the pixel's chunks, not 0): a pass over
    // the input per block (pk_ld2, pk_seq2: as WB, also in NS), the loader keeps the block's
    // chunks (pk_ld2a), the window reads the block-local chunk (n_jc0 below); in block slices
    // (CGS, V2-11.4 item 14) LD_JIN is 0 (pk_ld2a takes each run as a pixel of the block's
    // chunks) and pk_ld2 fetches only the block's bytes of each pixel
    wire cgs = l_cgs[0];
    wire cgroups = l_ld_jin != {`PK_DESC2_LD_JIN_WIDTH{1'b0}} || cgs;
    // NS with passes (V2-5 item 3, V2-11.4 item 16; pk_v2_desc_ns_passes): a flat NS layer of
    // blocks of several n-tiles, each block a pass over the input as WB's (its flat stream and
    // resident prefix below too)
    wire ns_pass = ns_order && l_flat[0] && !l_global[0] && l_nb > {{(`PK_DESC2_NB_WIDTH-1){1'b0}}, 1'b1};
    wire wbf = wb_order || ns_pass;    // a flat layer's pass per block
    wire pass_order = wbf || cgroups;
    wire [15:0] ld_jin16 = {{(16-`PK_DESC2_LD_JIN_WIDTH){1'b0}}, l_ld_jin};
    wire [15:0] seq_w_free;            // pk_seq2 -> pk_ld2: weight runs whose last step ended
    // pk_seq2's loop nest, for the glue below: blk_end (IS: the end of a block's last step, its
    // last pixel tile's last n-tile; the window generators, the flat read address and the DW
    // chunk restart at pixel tile 0, every row still in the ring: V2-5), and whether the
    // step's n-tile is the layer's last (its columns: NC_LAST) and its pixel tile the block's
    // last (its rows: NR_LAST)
    wire blk_end, seq_nt_last, seq_mt_last;

    // ---- descriptor fetches ---------------------------------------------------------------------
    // Descriptor 0 (pk_ctrl2's first request of a run): fetched here, one request of
    // PK_DESC2_BYTES (<= MAX_BURST), its beats written into entry 0 while the loader is
    // idle (nothing else is on the port before layer 0 starts).  Descriptor L + 1
    // (requested from layer L's lay_start): taken into nd_* and fetched by the loader at
    // the end of layer L's program (l_has_next).
    reg boot_req, boot_rx, nd_valid, nd_entry, first_req;
    reg [ADDR_BITS-1:0] boot_addr, nd_addr;
    reg [DBW-1:0] dbeat;                         // beats of the descriptor being written
    wire ld_req_valid, ld_req_ready;
    wire [ADDR_BITS-1:0] ld_req_addr;
    wire [31:0] ld_req_len;
    // (descriptor L + 1 is requested in A_L, lay_start's cycle (pk_ctrl2), which also clears
    // layer L - 1's request: the loader may reach the end of a one-unit program, a 1-row pool
    // without a record, in A_L + 1)
    assign dreq_ready = first_req ? !boot_req && !boot_rx : !nd_valid || lay_start;
    assign rd_req_valid = boot_req || ld_req_valid;
    assign rd_req_addr = boot_req ? boot_addr : ld_req_addr;
    assign rd_req_len = boot_req ? `PK_DESC2_BYTES : ld_req_len;
    assign ld_req_ready = rd_req_ready && !boot_req;
    wire boot_beat = boot_rx && rd_data_valid;
    wire [DRA-1:0] boot_row;
    wire [DLA-1:0] boot_lane;
    generate
        if (DROWB > PORT_BYTES) begin : g_dl
            assign boot_row = {{(DRA-DBW+DLA){1'b0}}, dbeat[DBW-1:DLA]};
            assign boot_lane = dbeat[DLA-1:0];
        end else begin : g_d1
            assign boot_row = {{(DRA-DBW){1'b0}}, dbeat};
            assign boot_lane = 1'b0;
        end
    endgenerate
    assign d_we = boot_beat || ld_d_we;
    assign d_wrow = boot_beat ? boot_row : ld_d_wrow;
    assign d_wlane = boot_beat ? boot_lane : ld_d_wlane;
    assign d_wdata = boot_beat ? rd_data : ld_d_wdata;
    /* verilator lint_off WIDTH */
    wire dlast = dbeat == DBEATS - 1;
    /* verilator lint_on WIDTH */
    // pk_ctrl2 counts a descriptor in the cycle after its last beat's write (the model's
    // D: the last beat is in D - 1, the descriptor readable from D + 1, V2-7.5)
    reg desc_done_r;
    always @(posedge clk)
        desc_done_r <= !rst && d_we && dlast;
    assign desc_done = desc_done_r;
    always @(posedge clk) begin
        if (rst || (start && !st_busy)) begin
            boot_req <= 1'b0;
            boot_rx <= 1'b0;
            nd_valid <= 1'b0;
            first_req <= 1'b1;
            dbeat <= {DBW{1'b0}};
        end else begin
            if (lay_start)
                nd_valid <= 1'b0;     // layer L - 1's request (taken by its loader); L's below
            if (dreq_valid && dreq_ready) begin
                first_req <= 1'b0;
                if (first_req) begin
                    boot_req <= 1'b1;
                    boot_addr <= dreq_addr;
                end else begin
                    nd_valid <= 1'b1;
                    nd_addr <= dreq_addr;
                    nd_entry <= dreq_entry;
                end
            end
            if (boot_req && rd_req_ready) begin
                boot_req <= 1'b0;
                boot_rx <= 1'b1;
            end
            if (d_we)
                dbeat <= dlast ? {DBW{1'b0}} : dbeat + 1'b1;
            if (boot_beat && dlast)
                boot_rx <= 1'b0;
        end
    end

    // ---- the loader's layer constants: descriptor fields (LD_*: core/pk_v2ldconst.c) -------------
    wire is_conv = l_kind == `PK_KIND_CONV;
    wire [1:0] mlog = l_ld_mlog;                                        // log2 m
    wire [15:0] vp = WBITS[15:0] >> mlog;                              // slots a word
    wire [15:0] lnch = l_ld_lnch;                                      // the last chunk's codes
    // ymax: a register formed from the field in every cycle (V2-11.5 "Timing, step 18").  pk_ld2
    // reads it from lay_start's cycle on; the field is in descriptor word Y_END_WORD, which
    // pk_par2 takes at least a cycle before lay_start unless it is the last word loaded
    // (V2-7.5: read row r = w / DLW read in T + r, in its register from T + r + 2, lay_start
    // at T + max(NR + 1, (LOAD_WORDS - 2) / DLW + 3)), so for any word but the last one
    // loaded the register holds Y_END - 1 from lay_start's cycle until the next layer's load.
    // A descriptor layout with Y_END in the last word stops elaboration:
    reg [15:0] ymax;
    always @(posedge clk)
        ymax <= l_y_end - 16'd1;
    generate
        if (`PK_DESC2_Y_END_WORD >= `PK_DESC2_LOAD_WORDS - 1) begin : g_yend_late
            pk_core2_y_end_in_the_last_loaded_word u_err ();
        end
    endgenerate
    // x-fold / global-pool inputs of the loader (V2-11.6): fields, and two glue values
    // (a global pool fetches the image once per pass unless the ring holds it: grefetch)
    // (grefetch and ld_passes are registers formed from the fields in every cycle, V2-11.5
    // "Timing, step 18": their readers (pk_ld2's restart, pk_seq2's a global pool's step ends,
    // the global read's ga / gbk) read them only while the layer runs, from the cycle after
    // lay_start on, when they hold the values of the layer's fields: the fields change only
    // in the parameter load, which ends before lay_start)
    wire glob = l_global[0];
    // (a channel-slice fetch, GSL: every pass fetches its slice, V2-4.4)
    wire gsl = l_gsl[0];
    wire grefetch_d = glob && (l_cap < {16'd0, l_in_h} || gsl);
    reg grefetch;
    reg [15:0] ld_passes;
    always @(posedge clk) begin
        grefetch <= grefetch_d;
        ld_passes <= grefetch_d ? l_mt : 16'd1;
    end
    wire [2:0] ld_fu0 = l_pad_left[2:0] & ((3'd1 << l_fx_log2) - 3'd1);
    wire [15:0] wu16 = l_ld_wu;
    wire [31:0] awrap32 = {16'd0, l_ld_awrap};
    wire [AW:0] awrap = awrap32[AW:0];          // flat: (capP / R) * Jw (<= DA)
    wire [31:0] jw32 = {16'd0, l_jw};

    // ---- loader ---------------------------------------------------------------------------------
    wire [RWL-1:0] r_valid;
    wire [RWL*RA-1:0] r_bank;
    wire [RWL*AW-1:0] r_addr;
    wire [RWL*WBITS-1:0] r_data;
    wire [WWL-1:0] ww_valid;
    wire [WWL*CA-1:0] ww_col;
    wire [WWL*WA-1:0] ww_addr;
    wire [WFL*WBITS+(WWL-WFL)*8-1:0] ww_data;  // lanes past WFL: 8 bits (pk_ld2 WDB)
    wire ww_ovf, prec_we, ld_busy;
    wire [3:0] prec_idx;
    wire [WBITS-1:0] prec_data;
    wire [15:0] a_done, w_done, a_free, b_done;
    // operand B (EW with res_en): the B half of the ring starts at DA / 2 (V2-3.1: DA_A)
    wire has_b = RES_EN != 0 && l_b_row_bytes != {`PK_DESC2_B_ROW_BYTES_WIDTH{1'b0}};
    // a channel-wise multiply (RES_MUL, V2-6.1): operand B is one pixel, B row 0, read by
    // every step; its tail reads that pixel's words for every array row
    wire b_mul = has_b && l_res_mul[0];
    localparam integer DAA = DA / 2;
    localparam [AW-1:0] B_BASE = DAA[AW-1:0];
    wire [15:0] b_jw16 = l_ld_b_jw;
    wire [15:0] b_lnch16 = {8'd0, l_ld_b_lnch};
    wire ld_rd_valid = rd_data_valid && !boot_rx;
    pk_ld2 #(.PORT_BYTES(PORT_BYTES), .MAX_BURST(MAX_BURST), .ADDR_BITS(ADDR_BITS),
             .LAT(MEM_LATENCY), .QA(QA), .ROWS(ROWS), .RA(RA), .CA(CA), .WBITS(WBITS), .AW(AW),
             .WA(WA), .RWL(RWL), .WWL(WWL), .WFL(WFL), .MODES(LD_MODES[15:0]), .FXL(FXL), .FPX(FPX),
             .GLOB(GLOB), .RES(RES_EN), .WMODES(LD_WMODES[15:0]),
             .RECB(REC_WORDS * WBITS / 8 < 16 ? REC_WORDS * WBITS / 8 : 16), .LWB(LWB)) u_ld (
        .clk(clk), .rst(rst), .start(lay_start),
        .l_nt(l_nt), .l_has_w(l_ld_has_w[0]), .l_wu_bytes(l_unit_total),
        .l_wu_last(l_unit_last), .l_addr_w(l_addr_w[ADDR_BITS-1:0]),
        .l_row_bytes(l_row_bytes[23:0]), .l_cap(l_cap[15:0]), .l_ymax(ymax),
        .l_y1_0(l_ld_y1_0), .l_y0({12'd0, l_ld_y0}), .l_addr_y0(l_ld_addr_y0[ADDR_BITS-1:0]),
        .l_ym0(l_ld_ym0), .l_s(glob ? 4'd1 : l_stride), .l_kh(glob ? 8'd1 : l_kh),
        .l_jump({8'd0, l_ld_jump}),
        .l_jump_bytes(l_ld_jump_bytes), .l_prec(l_ld_prec),
        .l_addr_param(l_addr_param[ADDR_BITS-1:0]), .l_has_next(nd_valid),
        .l_desc_addr(nd_addr), .l_desc_entry(nd_entry), .l_flat(l_flat[0]),
        .l_alog(l_a_log2), .l_asigned(l_a_signed[0]), .l_mlog(l_ld_mlog),
        .l_in_w(l_in_w), .l_jw(l_jw), .l_cbits(l_ld_cbits), .l_lbits(l_ld_lbits),
        .l_lnch(l_ld_lnch), .l_pskip(l_ld_pskip), .l_sp(l_ld_sp), .l_sjw(l_ld_sjw[AW-1:0]),
        .l_u0(l_ld_u0), .l_q0(l_ld_q0[RA-1:0]), .l_g0(l_ld_g0[AW-1:0]), .l_a0(l_ld_a0[AW-1:0]),
        .l_awrap(l_ld_awrap[AW-1:0]), .l_wb(l_wb[AW-1:0]), .l_cap_wb(l_cap_wb[AW:0]),
        .l_rb0(l_ld_rb0[RA-1:0]), .l_owm(l_ld_owm[RA-1:0]), .l_dw(l_ld_dw[0]),
        .l_wlog(l_w_log2), .l_ks(l_ks), .l_ct(l_ct), .l_nc_last(l_nc_last), .l_wcb(l_ld_wcb),
        .l_wskip(l_ld_wskip), .l_wskip_last(l_ld_wskip_last), .l_rw(l_rw),
        .l_rbits(l_ld_rbits), .l_wu(l_ld_wu[WA-1:0]), .a_free(a_free), .l_pre(l_pre),
        // IS (V2-11.4 item 8): blocks of NB units into weight half b mod 2 of WD / 2 words,
        // block r once pk_seq2's w_free >= r - 1
        .l_is(is_order), .l_wbo(pass_order), .l_ns(ns_order), .l_nb(l_nb[WA-1:0]), .l_nbl1(l_ld_nbl1),
        .l_blk_bytes(l_block_bytes),
        .l_whalf(WD[WA:1]), .w_free(seq_w_free),
        .l_passes(ld_passes), .l_fxlog(l_fx_log2), .l_cplog(l_cp_log2[2:0]), .l_fu0(ld_fu0),
        .l_glob(l_global[0]), .l_jin(ld_jin16), .l_gsl(gsl), .l_gps(l_gx), .l_cgs(cgs), .l_csl(l_csl[0]),
        .l_has_b(has_b), .l_b_mul(b_mul), .l_addr_b(l_addr_res[ADDR_BITS-1:0]),
        .l_b_row_bytes(l_b_row_bytes[23:0]), .l_cap_b(l_cap_b[15:0]), .l_rdiv(l_rde[15:0]),
        .l_rmod(l_r_mod_ow), .l_ox1_0(l_ox1), .l_b_jw(b_jw16), .l_b_lbits(b_lnch16 << 3),
        .l_b_lnch(b_lnch16), .l_b_awrap(l_ld_b_awrap[AW-1:0]), .l_b_base(B_BASE),
        .b_free(a_free), .b_done(b_done),
        .rd_req_valid(ld_req_valid), .rd_req_addr(ld_req_addr), .rd_req_len(ld_req_len),
        .rd_req_ready(ld_req_ready), .rd_data_valid(ld_rd_valid), .rd_data(rd_data),
        .r_valid(r_valid), .r_bank(r_bank), .r_addr(r_addr), .r_data(r_data),
        .ww_valid(ww_valid), .ww_col(ww_col), .ww_addr(ww_addr), .ww_data(ww_data),
        .ww_ovf(ww_ovf), .d_we(ld_d_we), .d_wrow(ld_d_wrow), .d_wlane(ld_d_wlane),
        .d_wdata(ld_d_wdata), .prec_we(prec_we), .prec_idx(prec_idx), .prec_data(prec_data),
        .a_done(a_done), .w_done(w_done), .busy(ld_busy));

    // ---- COMPUTE: sequencer, window generators, ring, weight buffer, array ----------------------
    wire k_valid, k_first, k_bank, tail_valid, step_end, tile_end;
    wire [7:0] tail_idx;
    wire tail_b;
    wire [15:0] tail_jb;
    wire tile_valid, tile_bank, tile_open, tile_close, tile_last, bank_free, bank_free_id;
    wire [31:0] tile_p0;
    wire [RA:0] tile_nr;
    wire [15:0] tile_c0, tile_nc;
    // a layer without weight units (pools) waits for none (the model's port_unit of 0 bytes)
    wire [15:0] w_done_q = l_ld_has_w[0] ? w_done : 16'hFFFF;
    // IS (V2-5): pk_seq2's loop nest of blocks (w_free to the loader; w_nt / w_half: the
    // step's n-tile in its block and the block's weight half, for the weight-buffer read)
    wire [15:0] seq_w_nt;
    wire seq_w_half;
    pk_seq2 #(.ROWS(ROWS), .RA(RA), .CA(CA), .YW(YW), .WBITS(WBITS), .RES(RES_EN)) u_seq (
        .clk(clk), .rst(rst), .start(lay_start),
        .l_mt(l_mt), .l_nt(l_nt), .l_ks(glob ? l_in_w : l_ks), .l_tail(l_rw), .l_ct(l_ct[CA:0]),
        .l_is(is_order), .l_wbo(pass_order), .l_ns(ns_order), .l_nb(is_order ? l_nb : l_nt), .w_free(seq_w_free),
        .w_nt(seq_w_nt),
        .w_half(seq_w_half),
        .l_nc_last(l_nc_last[CA:0]), .l_nr_last(l_nr_last[RA:0]), .l_nw(l_nw), .l_out_w(l_out_w),
        .l_rm(l_r_mod_ow[RA:0]), .l_ox1(l_ox1[RA-1:0]), .l_na(l_na[YW-1:0]), .l_f0(l_f0[YW-1:0]),
        .l_e(l_e_rows[3:0]), .l_rde(l_rde[RA+3:0]), .l_kh(l_kh), .l_pre(l_pre),
        .l_glob(glob), .l_gh(l_in_h), .l_grefetch(grefetch),
        .a_done({{(YW-16){1'b0}}, a_done}), .w_done(w_done_q),
        .l_has_b(has_b), .l_b_mul(b_mul), .l_rlog(l_r_log2), .b_done(b_done), .tail_b(tail_b), .tail_jb(tail_jb),
        .bank_free(bank_free),
        .bank_free_id(bank_free_id), .k_valid(k_valid), .k_first(k_first), .k_bank(k_bank),
        .tail_valid(tail_valid), .tail_idx(tail_idx), .tile_valid(tile_valid),
        .tile_bank(tile_bank), .tile_p0(tile_p0), .tile_nr(tile_nr), .tile_c0(tile_c0),
        .tile_nc(tile_nc), .tile_open(tile_open), .tile_close(tile_close),
        .tile_last(tile_last), .a_free(a_free), .step_end(step_end), .tile_end(tile_end),
        .blk_end(blk_end), .s_nt_last(seq_nt_last), .s_mt_last(seq_mt_last),
        .done(comp_done));
    assign comp_busy = k_valid || tail_valid;

    // ---- DW / pool n-tiles (V2-4.3): n-tile nt (channels c0 = nt * Cd ..) reads chunk jc0 =
    // floor(c0 / VP) of each tap's pixel, its column c from slot off + c, off = c0 mod VP: an
    // accumulator of Cd (= Ct) modulo VP, advanced at each step's end (its last cycle, so the
    // next step's first k-step sees the new chunk), restarted with each pixel tile (IS: at the
    // block's first n-tile)
    // (sized: off < VP <= SLOTS in NVW bits; jc0 <= Jw in AW + 1 bits, PK_PAR2_FIELDS' JW;
    // Ct <= C in CA + 1 bits; off + Ct in NOW bits)
    localparam NOW = (NVW > CA + 1 ? NVW : CA + 1) + 1;
    reg [AW:0] n_jc0;
    reg [NVW-1:0] n_off;
    reg [RA-1:0] n_jc0m;
    // IS: the block's first n-tile's (jc0, off, jc0 mod R), restored with each pixel tile
    reg [AW:0] nb_jc0;
    reg [NVW-1:0] nb_off;
    reg [RA-1:0] nb_jc0m;
    wire [NOW-1:0] vp_n = vp[NOW-1:0];
    wire [NOW-1:0] n_offn = {{(NOW-NVW){1'b0}}, n_off} + {{(NOW-CA-1){1'b0}}, l_ct[CA:0]};
    wire n_carry = n_offn >= vp_n;
    wire [NVW-1:0] n_off_a = n_carry ? n_offn[NVW-1:0] - vp_n[NVW-1:0] : n_offn[NVW-1:0];  // next
    wire [AW:0] n_jc0_a = n_carry ? n_jc0 + 1'b1 : n_jc0;
    /* verilator lint_off WIDTH */
    wire [RA-1:0] n_jc0m_a = !n_carry ? n_jc0m : n_jc0m + 1'b1 >= ROWS ? {RA{1'b0}} : n_jc0m + 1'b1;
    /* verilator lint_on WIDTH */
    always @(posedge clk) begin
        if (lay_start) begin
            n_jc0 <= {(AW+1){1'b0}};
            n_off <= {NVW{1'b0}};
            n_jc0m <= {RA{1'b0}};
            nb_jc0 <= {(AW+1){1'b0}};
            nb_off <= {NVW{1'b0}};
            nb_jc0m <= {RA{1'b0}};
        end else if (blk_end) begin
            // (channel groups: the next block's chunks lie from ring word 0 of a pixel's Jw, in
            // banks rotated by the absolute chunk, as pk_ld2a stores them: jc0 restarts at 0,
            // jc0 mod R goes on; a block starts on a chunk, n_off_a = 0)
            n_jc0 <= cgroups ? {(AW+1){1'b0}} : n_jc0_a;
            n_off <= n_off_a;
            n_jc0m <= n_jc0m_a;
            nb_jc0 <= cgroups ? {(AW+1){1'b0}} : n_jc0_a;
            nb_off <= n_off_a;
            nb_jc0m <= n_jc0m_a;
        end else if (step_end && tile_end) begin
            n_jc0 <= nb_jc0;
            n_off <= nb_off;
            n_jc0m <= nb_jc0m;
        end else if (step_end) begin
            n_jc0 <= n_jc0_a;
            n_off <= n_off_a;
            n_jc0m <= n_jc0m_a;
        end
    end
    wire [AW:0] dw_jc0 = is_conv ? {(AW+1){1'b0}} : n_jc0;
    wire [RA-1:0] dw_jc0m = is_conv ? {RA{1'b0}} : n_jc0m;

    wire [RA-1:0] w_rot;
    wire [ROWS*AW-1:0] w_raddr;
    wire [ROWS-1:0] w_rvalid;
    wire [7:0] w_sub;
    wire [SLOTS-1:0] w_smask;
    wire [ROWS*4-1:0] w_nsv;
    wire w_last_k, w_last_c;
    // the slot of output row 0's first row as its WB multiple, at pk_win2's init: SB0_WB at
    // lay_start; at a block's end (blk_end) + PASS_WB mod cap * WB (WB: pass b's fetches start
    // at b * NA, V2-6.1; IS: PASS_WB = 0, the same rows again)
    reg [AW:0] psb;
    wire [AW+1:0] psb_s = {1'b0, psb} + {1'b0, l_pass_wb[AW:0]};
    wire [AW+1:0] capwb_x = {1'b0, l_cap_wb[AW:0]};
    wire [AW+1:0] psb_m = psb_s >= capwb_x ? psb_s - capwb_x : psb_s;
    wire [AW:0] sb_in = lay_start ? l_sb0_wb[AW:0] : psb_m[AW:0];
    always @(posedge clk)
        if (lay_start || blk_end)
            psb <= sb_in;
    pk_win2 #(.ROWS(ROWS), .AW(AW), .RA(RA), .SLOTS(SLOTS), .XW(XW)) u_win (
        .clk(clk), .rst(rst), .l_in_h(l_in_h), .l_in_w(l_in_w), .l_s(l_stride), .l_pad(l_pad), .l_pad_l(l_pad_left),
        .l_sf(l_sf[3:0]), .l_fxl(l_fx_log2), .l_kh(l_kh), .l_kwf(l_kwf[7:0]), .l_kw(l_kw),
        .l_cpl(l_cp_log2), .l_jc0(dw_jc0), .l_njc(is_conv ? l_jw[AW:0] : {{AW{1'b0}}, 1'b1}),
        .l_jw(l_jw[AW-1:0]), .l_wb(l_wb[AW-1:0]), .l_cap_wb(l_cap_wb[AW:0]),
        .l_sj(l_sj[AW-1:0]), .l_ow_q(l_ow_q[RA-1:0]),
        .l_rm_q(l_r_mod_ow[RA:0]), .l_ow_gsj(l_ow_gsj[AW-1:0]), .l_rm_x(l_rm_x[XW-1:0]),
        .l_ow_x(l_ow_x[XW-1:0]), .l_rd_y(l_rd_y[RA+3:0]),
        .l_rde_wb(l_rde_cap_wb[AW:0]), .l_em_wb(l_em_wb[AW:0]),
        .l_sb0_wb(sb_in), .l_jc0m(dw_jc0m),
        .init(lay_start || blk_end), .next_tile(tile_end), .next_k(k_valid),
        .rot(w_rot), .addr(w_raddr), .valid(w_rvalid), .sub(w_sub), .smask(w_smask),
        .nsv(w_nsv), .last_c(w_last_c), .last_k(w_last_k));

    // Flat layout (V2-3.1: 1x1, stride 1, no pad; pk_win2 builds the windowed one): pixel p's
    // chunk jc is word (p div R mod (capP / R)) * Jw + jc of bank (p + jc) mod R, so in pixel
    // tile mt (p0 = mt * R) every row reads address fa + jc, fa = (mt mod (capP / R)) * Jw
    // (wrapping at awrap = (capP / R) * Jw, the loader's l_awrap), with the rotation jc mod R;
    // every row is valid (rows past the layer's pixels are not written out by POST).
    reg [AW:0] fa;
    reg [AW-1:0] fjc;
    reg [RA-1:0] fjcm;
    wire [AW:0] fa_n = fa + jw32[AW:0];
    wire [AW:0] f_addr = fa + {1'b0, fjc} + dw_jc0;  // (+ a DW / pool n-tile's chunk)
    /* verilator lint_off WIDTH */
    wire f_last = fjc + 1'b1 >= l_ks;
    wire [RA-1:0] fjcm_n = fjcm + 1'b1 >= ROWS ? {RA{1'b0}} : fjcm + 1'b1;
    /* verilator lint_on WIDTH */
    // WB (V2-11.4 item 9): the pixel stream goes on into the next pass, pixel p of pass b at
    // n = b * M + p = (fa's ring row) * R + fbr + p, M = in_h * in_w: row r of a tile reads ring
    // row fa when r + fbr < R, else the next one (fa_w), in bank (r + fbr + jc) mod R.  At a
    // block's end fbr += M mod R (from NR_LAST = M - (Mt - 1) R) and fa advances past the last
    // tile only on the carry (fbr + NR_LAST >= R); R | M keeps fbr = 0 and always advances.
    reg [RA-1:0] fbr;
    // WB with a resident prefix (l_pre = P > 0, V2-11.4 item 12; flat): pixel p is at p below NP
    // = P * in_w, else at NP + (p - NP) mod S (S a multiple of R), the same place in every pass,
    // its bank (p + jc) mod R: every pass reads as pass 0 (fa from 0 at each block, fbr 0), the
    // address wrapping at awrap (LD_AWRAP) to pz_r = floor(NP / R) * Jw (LD_G0), + Jw when NP mod
    // R (LD_Q0) != 0: then the stream wraps inside ring row LD_A0, so the tile at fa = LD_A0 reads
    // its rows r >= NP mod R (pixels past NP + S) at LD_G0 (f_st)
    wire pre = l_pre != 8'd0;
    reg [AW:0] pz_r;
    reg pw_r;
    always @(posedge clk) begin
        pz_r <= {1'b0, l_ld_g0[AW-1:0]} + (l_ld_q0[RA-1:0] != {RA{1'b0}} ? jw32[AW:0] : {(AW+1){1'b0}});
        pw_r <= pre && l_ld_q0[RA-1:0] != {RA{1'b0}};
    end
    wire f_st = pw_r && fa == {1'b0, l_ld_a0[AW-1:0]};
    wire [AW:0] fa_w = fa_n >= awrap ? (pre ? pz_r : {(AW+1){1'b0}}) : fa_n;
    wire [AW:0] f_hb = pre ? {1'b0, l_ld_g0[AW-1:0]} : fa_w;
    wire [AW:0] f_addr_hi = f_hb + {1'b0, fjc} + dw_jc0;
    /* verilator lint_off WIDTH */
    wire [RA+1:0] fbr_s = {2'b00, fbr} + {1'b0, l_nr_last[RA:0]};
    wire fbr_c = fbr_s >= ROWS;
    wire [RA+1:0] fbr_n = fbr_c ? fbr_s - ROWS : fbr_s;
    /* verilator lint_on WIDTH */
    wire [ROWS*AW-1:0] f_raddr;
    genvar fr;
    generate
        for (fr = 0; fr < ROWS; fr = fr + 1) begin : g_fr
            /* verilator lint_off WIDTH */
            /* verilator lint_off CMPCONST */
            wire f_hi = fr + fbr >= ROWS || (f_st && fr >= l_ld_q0[RA-1:0]);
            /* verilator lint_on CMPCONST */
            /* verilator lint_on WIDTH */
            assign f_raddr[fr*AW +: AW] = f_hi ? f_addr_hi[AW-1:0] : f_addr[AW-1:0];
        end
    endgenerate
    always @(posedge clk) begin
        if (lay_start)
            fbr <= {RA{1'b0}};
        else if (blk_end && wbf && !pre)
            fbr <= fbr_n[RA-1:0];
        if (lay_start || (blk_end && (!wbf || pre))) begin
            fa <= {(AW+1){1'b0}};
            fjc <= {AW{1'b0}};
            fjcm <= {RA{1'b0}};
        end else begin
            if (blk_end)
                fa <= fbr_c ? fa_w : fa;
            else if (tile_end)
                fa <= fa_w;
            if (tile_end || (k_valid && f_last)) begin
                fjc <= {AW{1'b0}};
                fjcm <= {RA{1'b0}};
            end else if (k_valid) begin
                fjc <= fjc + 1'b1;
                fjcm <= fjcm_n;
            end
        end
    end
    // operand B's tail reads (V2-11.4 item 1): B word jb of pixel p0 + r is in bank (r + jb) mod
    // R at DA / 2 + (mt mod (capPB / R)) * Jr + jb (p0 = mt * R): one address for every row,
    // the rotation jb mod R; ba advances by Jr per pixel tile, wrapping at LD_B_AWRAP.  A
    // multiply's one pixel (pixel 0 of B row 0) stays at ba = 0: row 0 reads its word jb (bank
    // jb mod R), which pk_post2 gives every row (res_mul)
    reg [AW:0] ba;
    wire [AW:0] ba_n = ba + {1'b0, l_ld_b_jw[AW-1:0]};
    wire [31:0] b_awrap32 = {16'd0, l_ld_b_awrap};
    wire [AW:0] b_awrap = b_awrap32[AW:0];
    wire [AW:0] b_raddr = ba + {1'b0, B_BASE} + {1'b0, tail_jb[AW-1:0]};
    localparam integer ROWSI = ROWS;
    localparam [15:0] ROWS16 = ROWSI[15:0];
    wire [15:0] b_rot16 = tail_jb % ROWS16;
    always @(posedge clk) begin
        if (lay_start)
            ba <= {(AW+1){1'b0}};
        else if (tile_end && !b_mul)
            ba <= ba_n >= b_awrap ? {(AW+1){1'b0}} : ba_n;
    end
    wire flat = l_flat[0];

    // Global pool (V2-4.4, V2-3.1 global layout): word w of the layer's stream is at bank
    // w mod R, address floor(w / R) mod DA (R a power of two: pk_v2_rtl_supported).  In
    // k-step k (input pixel k of the pass) row r reads chunk j = t * R + r of the pixel:
    // word gw + floor(j * Cd / VP), slot (j * Cd) mod VP (a chunk inside one word), with
    // gw = pass base + k * Jw held as (ga, gb) = (address, bank); the pass base is 0, or
    // the stream's position when every pass fetches the image again (grefetch).  Chunk
    // positions (word offset, slot offset) run along the rows as a chain: row r + 1 is row
    // r plus Cd slots, and pass t + 1's row 0 is pass t's row R (with the channel-slice fetch,
    // GSL, pass t's ring pixel holds its slice only, Jw = Js: row 0 at chunk 0).  The rows' words are
    // consecutive (rows may share one), so bank b reads the one word of [W0, W0 + R) it
    // holds (W0 row 0's word): address A0 (b >= B0) or A0 + 1, with the rotation 0; row r
    // then takes bank (B0 + q_r - q_0) mod R and shifts it down by its slot offset.
    localparam RL = ROWS > 1 ? $clog2(ROWS) : 0;
    wire [15:0] g_jq = l_jw >> RL;                                        // Jw div R
    wire [RA-1:0] g_jr = ROWS > 1 ? l_jw[RA-1:0] : {RA{1'b0}};            // Jw mod R
    wire [15:0] g_vp = vp;
    reg [AW-1:0] ga;
    reg [RA-1:0] gbk;
    reg [15:0] gq0, go0;                     // pass row 0's chunk: word offset, slot offset
    genvar gc;
    generate
        // the chain: rows 0 .. R (R: the next pass's row 0)
        for (gc = 0; gc <= ROWS; gc = gc + 1) begin : g_ch
            wire [15:0] q, o;
            if (gc == 0) begin : g_c0
                assign q = gq0;
                assign o = go0;
            end else begin : g_cn
                wire [15:0] o1 = g_ch[gc-1].o + l_ct;
                wire wr = o1 >= g_vp;
                assign q = g_ch[gc-1].q + {15'd0, wr};
                assign o = wr ? 16'd0 : o1;
            end
        end
    endgenerate
    // (ga, gb) + q: q div R added to the address, q mod R to the bank (carry), mod DA
    // (qd < DA: a pixel's Jw words fit the ring, so two compare-subtracts wrap at DA)
    function [AW+RA-1:0] gadd(input [AW-1:0] a, input [RA-1:0] b, input [15:0] qd,
                              input [RA-1:0] qr);
        reg [RA:0] bs;
        reg [AW+16:0] as;
        begin
            bs = {1'b0, b} + {1'b0, qr};
            /* verilator lint_off WIDTH */
            as = a + qd + (bs >= ROWS);
            if (DA != (1 << AW)) begin      // (DA = 2^AW: subtracting DA keeps the AW bits kept)
                as = as >= DA ? as - DA : as;
                as = as >= DA ? as - DA : as;
            end
            /* verilator lint_on WIDTH */
            gadd = {as[AW-1:0], bs >= ROWS[RA:0] ? bs[RA-1:0] - ROWS[RA-1:0] : bs[RA-1:0]};
        end
    endfunction
    wire [RA-1:0] q0r = ROWS > 1 ? gq0[RA-1:0] : {RA{1'b0}};
    wire [AW+RA-1:0] g_w0 = gadd(ga, gbk, gq0 >> RL, q0r);  // row 0's word (A0, B0)
    wire [AW-1:0] g_a0 = g_w0[AW+RA-1:RA];
    wire [RA-1:0] g_b0 = g_w0[RA-1:0];
    /* verilator lint_off WIDTH */
    wire [AW-1:0] g_a1 = g_a0 + 1'b1 >= DA ? {AW{1'b0}} : g_a0 + 1'b1;
    /* verilator lint_on WIDTH */
    wire [ROWS*AW-1:0] g_raddr;
    wire [ROWS*RA-1:0] g_sel;                // row r's bank
    wire [ROWS*16-1:0] g_off;                // row r's slot offset
    generate
        for (gc = 0; gc < ROWS; gc = gc + 1) begin : g_rd
            /* verilator lint_off WIDTH */
            assign g_raddr[gc*AW +: AW] = gc >= g_b0 ? g_a0 : g_a1;
            wire [15:0] dq = g_ch[gc].q - gq0;        // < R
            wire [RA:0] bs = {1'b0, g_b0} + dq[RA:0];
            assign g_sel[gc*RA +: RA] = ROWS > 1 ? bs % ROWS : {RA{1'b0}};
            /* verilator lint_on WIDTH */
            assign g_off[gc*16 +: 16] = g_ch[gc].o;
            wire unused_g = &{1'b0, dq};
        end
    endgenerate
    wire [AW+RA-1:0] g_wn = gadd(ga, gbk, g_jq, g_jr);        // + Jw: the next k-step
    always @(posedge clk) begin
        if (lay_start) begin
            ga <= {AW{1'b0}};
            gbk <= {RA{1'b0}};
            gq0 <= 16'd0;
            go0 <= 16'd0;
        end else begin
            if (glob && k_valid) begin
                ga <= tile_end && !grefetch ? {AW{1'b0}} : g_wn[AW+RA-1:RA];
                gbk <= tile_end && !grefetch ? {RA{1'b0}} : g_wn[RA-1:0];
            end
            if (tile_end) begin             // (a slice fetch: the pass's chunk 0 in its slice)
                gq0 <= gsl ? 16'd0 : g_ch[ROWS].q;
                go0 <= gsl ? 16'd0 : g_ch[ROWS].o;
            end
        end
    end

    /* verilator lint_off WIDTH */
    wire [RA+1:0] f_rot = {2'b00, fjcm} + {2'b00, dw_jc0m} + {2'b00, fbr};
    wire [RA+1:0] f_rot1 = f_rot >= ROWS ? f_rot - ROWS : f_rot;
    wire [RA+1:0] f_rot2 = f_rot1 >= ROWS ? f_rot1 - ROWS : f_rot1;
    wire [RA-1:0] f_rotm = f_rot2[RA-1:0];
    /* verilator lint_on WIDTH */
    wire [RA-1:0] rd_rot = tail_b ? b_rot16[RA-1:0] : glob ? {RA{1'b0}} : flat ? f_rotm : w_rot;
    wire [ROWS*AW-1:0] rd_addr = tail_b ? {ROWS{b_raddr[AW-1:0]}} :
                                 glob ? g_raddr : flat ? f_raddr : w_raddr;
    wire [ROWS-1:0] rd_valid = glob || flat ? {ROWS{1'b1}} : w_rvalid;

    wire ring_pend, ring_ovf;
    wire [ROWS*WBITS-1:0] a_rows;
    pk_ring2 #(.ROWS(ROWS), .RA(RA), .WBITS(WBITS), .DA(DA), .AW(AW), .WL(RWL)) u_ring (
        .clk(clk), .rst(rst), .w_valid(r_valid), .w_bank(r_bank), .w_addr(r_addr),
        .w_data(r_data), .w_pend(ring_pend), .w_ovf(ring_ovf), .re(k_valid || tail_b), .rot(rd_rot),
        .raddr(rd_addr), .rdata(a_rows));

    // weight-buffer read address: unit nt's words at nt * Wu (WS: n-tiles in order, the
    // address restarts with each pixel tile), k-steps then the tail's record words; IS:
    // the block's half at WD / 2 (pk_seq2's w_half), its n-tiles from the half's word 0
    // (NS: w_half 0, the block's unit from word 0 across both halves)
    // (the relative address restarts with each pixel tile of the block: V2-11.4 item 8)
    reg [WA-1:0] wbase, wptr;
    wire wb_re = (k_valid || tail_valid) && l_ld_has_w[0];   // (a pool has no weight unit)
    wire [WA-1:0] whalf_base = seq_w_half ? WD[WA:1] : {WA{1'b0}};
    wire [WA-1:0] wb_raddr = k_first ? wbase + whalf_base : wptr;
    always @(posedge clk) begin
        if (lay_start) begin
            wbase <= {WA{1'b0}};
            wptr <= {WA{1'b0}};
        end else begin
            if (wb_re)
                wptr <= wb_raddr + 1'b1;
            if (step_end)
                wbase <= tile_end ? {WA{1'b0}} : wbase + wu16[WA-1:0];
        end
    end
    wire wb_ovf;
    wire [COLS*WBITS-1:0] w_cols;
    pk_wbuf2 #(.COLS(COLS), .CA(CA), .WBITS(WBITS), .WD(WD), .WA(WA), .WWL(WWL), .WI(WI), .WFL(WFL),
               .LWB(LWB)) u_wbuf (
        .clk(clk), .rst(rst), .ww_valid(ww_valid), .ww_col(ww_col), .ww_addr(ww_addr),
        .ww_data(ww_data), .w_ovf(wb_ovf), .re(wb_re), .raddr(wb_raddr), .rdata(w_cols));

    // the array takes the k-step one cycle after its reads (V2_ARRAY_LAT = read + operand
    // register + product, V2-7.3);
    // operands per row: CONV every slot of a valid row (the loader wrote zeros past
    // in_c), DW / pool the columns of the channels of the chunk
    reg x_valid, x_first, x_bank, t_we, t_bank, t_bwe;
    reg [7:0] t_idx;
    reg [ROWS-1:0] x_rv;
    reg x_lc;
    reg [SLOTS-1:0] x_smask;
    reg [ROWS*RA-1:0] x_gsel;
    reg [ROWS*16-1:0] x_goff;
    always @(posedge clk) begin
        x_smask <= w_smask;
        x_gsel <= g_sel;
        x_goff <= g_off;
        x_valid <= !rst && k_valid;
        x_first <= k_first;
        x_bank <= k_bank;
        x_rv <= rd_valid;
        x_lc <= w_last_c;
        t_we <= !rst && tail_valid && tail_idx < l_rw;
        t_bwe <= !rst && tail_b;
        t_idx <= tail_idx;
        t_bank <= k_bank;
    end
    // the array's rows: an x-folded word with the slots of its sub-pixels past kw zeroed
    // (pk_win2's smask, common to all rows, V2-4.2; 0 is a zero product in modes m > 1,
    // pk_v2_rtl_supported refuses a fold in mode 1); a global pool's row r the word of bank
    // x_gsel[r] shifted down by its chunk's slot offset (its channels from slot 0)
    // (bit b is in slot b >> mlog: a constant slot for each of the 4 values of mlog, so each bit
    // is a 4-way select of mask bits; a slot index and its compare per bit built 64 32-bit
    // compares and 16-way selects at ecp5.yaml, V2-11.5 "Scaling, step 5")
    // (a register formed from the field in every cycle, V2-11.5 "Timing, step 18": read only
    // for a k-step's operands and count, from the cycle after lay_start on)
    reg fold;
    always @(posedge clk)
        fold <= l_fx_log2 != 2'd0;
    wire [WBITS-1:0] fmask;
    genvar gb2, gm;
    generate
        for (gb2 = 0; gb2 < WBITS; gb2 = gb2 + 1) begin : g_fm
            wire [3:0] fm;                   // mode mlog = gm: slot gb2 >> gm kept (or past SLOTS)
            for (gm = 0; gm < 4; gm = gm + 1) begin : g_m
                if ((gb2 >> gm) >= SLOTS) begin : g_out
                    assign fm[gm] = 1'b1;
                end else begin : g_in
                    assign fm[gm] = x_smask[gb2 >> gm];
                end
            end
            assign fmask[gb2] = !fold || fm[mlog];
        end
    endgenerate
    // the zero-point word (V2-6.3): in a CONV, DW or POOLSUM layer with IN_ZP != 0 a row outside
    // the image (pk_win2's valid 0; flat and global rows are always valid) reads the IN_ZP code
    // widened to its m-bit slot as pk_ld2a widens an input code (sign-extended when A_SIGNED),
    // in every slot, with a valid row's operand count (below).  Registers formed from the fields
    // in every cycle (V2-11.5 "Timing, step 18"): read only in k-steps, after lay_start's cycle.
    // (the code extended to 8 bits, then bit b of the word is bit b mod m of it)
    reg zp_on;
    reg [WBITS-1:0] zpw;
    reg [7:0] zp8;
    always @(*)
        case (l_a_log2)
            2'd0: zp8 = {{7{l_a_signed[0] && l_in_zp[0]}}, l_in_zp[0]};
            2'd1: zp8 = {{6{l_a_signed[0] && l_in_zp[1]}}, l_in_zp[1:0]};
            2'd2: zp8 = {{4{l_a_signed[0] && l_in_zp[3]}}, l_in_zp[3:0]};
            default: zp8 = l_in_zp[7:0];
        endcase
    always @(posedge clk)
        zp_on <= l_in_zp != 8'd0 && l_kind != `PK_KIND_POOLMAX && l_kind != `PK_KIND_EW;
    genvar gz;
    generate
        for (gz = 0; gz < WBITS; gz = gz + 1) begin : g_zp
            always @(posedge clk)
                case (mlog)
                    2'd0: zpw[gz] <= zp8[0];
                    2'd1: zpw[gz] <= zp8[gz % 2];
                    2'd2: zpw[gz] <= zp8[gz % 4];
                    default: zpw[gz] <= zp8[gz % 8];
                endcase
        end
    endgenerate
    // DW / pool: column c takes slot c of its row's word (pk_array); an n-tile whose channels
    // start at slot off (C < VP) reads the word moved down by off slots, in the cycle after
    // the ring read (x_off: the k-step's offset); with C >= the widest VP, off is always 0
    reg [NVW-1:0] x_off;
    always @(posedge clk)
        x_off <= is_conv || glob ? {NVW{1'b0}} : n_off;   // a global pool's rows: the global read
    wire [31:0] x_sh = {{(32-NVW){1'b0}}, x_off} << mlog;    // bits: off * m < WBITS
    // with COLS and WBITS powers of two (so C divides VP), off * m is a multiple of C times the
    // narrowest mode: the shifter needs only those positions (the low bits are constant 0)
    localparam MMIN = (MODES & 1) != 0 ? 1 : (MODES & 2) != 0 ? 2 : (MODES & 4) != 0 ? 4 : 8;
    localparam SUL = (COLS & (COLS - 1)) == 0 && (WBITS & (WBITS - 1)) == 0 ?
                     $clog2(COLS * MMIN) : 0;
    wire [31:0] x_shq = x_sh & ~((32'd1 << SUL) - 32'd1);
    wire [31:0] x_shd = COLS < SLOTS ? x_shq : 32'd0;
    // One shifter a row for both moves down (V2-11.5 "Scaling, step 5"): a global pool's row is
    // the word of bank x_gsel[r] moved down by its chunk's slot offset (gsh = goff * m, 16 bits),
    // any other row its word (x-fold: masked), and then every row moves down by x_shd.  A word
    // moved down by gsh and then by x_shd is the word moved down by gsh + x_shd (zeros shifted
    // in, none of it left at WBITS or more), so each row's source is moved once by (glob ? gsh :
    // 0) + x_shd.  In the built modes (m >= MMIN) both are multiples of MMIN, so the shifter has
    // no stages below MMIN (as SUL above).  (Two shifters a row, the global one by a 16-bit
    // amount: 5,604 LUT4 of glue at ecp5.yaml, this form 2,535.)
    localparam SHB = $clog2(WBITS);                   // a shift below WBITS
    localparam MLB = MMIN == 1 ? 0 : MMIN == 2 ? 1 : MMIN == 4 ? 2 : 3;
    localparam SXW = WBITS + (1 << SHB);              // every position below 2^SHB in range
    wire x_shbig = x_shd[31:SHB] != {(32-SHB){1'b0}};
    wire [ROWS*WBITS-1:0] a_sel;
    generate
        for (gb2 = 0; gb2 < ROWS; gb2 = gb2 + 1) begin : g_ar
            wire [RA-1:0] sb = x_gsel[gb2*RA +: RA];
            wire [15:0] gsh = x_goff[gb2*16 +: 16] << mlog;
            /* verilator lint_off WIDTH */
            wire [WBITS-1:0] src = glob ? a_rows[sb*WBITS +: WBITS] :
                                   zp_on && !x_rv[gb2] ? zpw : a_rows[gb2*WBITS +: WBITS] & fmask;
            /* verilator lint_on WIDTH */
            wire [SHB:0] amt = {1'b0, glob ? gsh[SHB-1:0] : {SHB{1'b0}}} + {1'b0, x_shd[SHB-1:0]};
            wire zero = amt[SHB] || x_shbig || (glob && gsh[15:SHB] != {(16-SHB){1'b0}});
            // (an index into the source with zeros above it, in steps of MMIN bits: a
            // select of positions maps to fewer LUTs than a shift by the same amount)
            wire [SXW-1:0] srcx = {{(SXW-WBITS){1'b0}}, src};
            wire [SHB-1:0] amq = amt[SHB-1:0] >> MLB;
            /* verilator lint_off WIDTH */
            wire [WBITS-1:0] sh = srcx[amq*MMIN +: WBITS];
            /* verilator lint_on WIDTH */
            assign a_sel[gb2*WBITS +: WBITS] = zero ? {WBITS{1'b0}} : sh;
        end
    endgenerate
    // (channel groups: a block's chunk is not the pixel's last, LD_LNCH's)
    wire [15:0] nv_full = is_conv || glob || cgroups ? vp : (l_jw == 16'd1 ? lnch : vp);
    // a zero-point row's count: CONV the chunk's channels (the pixel's last chunk LD_LNCH, the
    // array zeroing the slots past it), DW / POOLSUM a valid row's
    wire [NVW-1:0] nv_zp = is_conv && x_lc ? lnch[NVW-1:0] : nv_full[NVW-1:0];
    wire [ROWS*NVW-1:0] nv_rows;
    genvar gr;
    generate
        for (gr = 0; gr < ROWS; gr = gr + 1) begin : g_nv
            assign nv_rows[gr*NVW +: NVW] = x_rv[gr] ? nv_full[NVW-1:0] :
                                            !zp_on ? {NVW{1'b0}} : nv_zp;
        end
    endgenerate

    wire acc_bank;
    wire [RA-1:0] acc_row;
    wire [GA-1:0] acc_grp;
    wire [3:0] acc_cwl;
    wire [PP_LANES*ACC_BITS-1:0] acc_data;
    pk_array #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS), .MODES(MODES),
               .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .NVW(NVW), .RA(RA), .GA(GA),
               .RD_PACK(1), .PIPE(1)) u_array (
        .clk(clk), .rst(rst), .in_valid(x_valid), .kind(l_kind[2:0]), .mode_log2(mlog),
        .a_signed(l_a_signed[0]), .a_shift(l_a_shift), .first(x_first), .bank(x_bank),
        .a_rows(a_sel), .nv_rows(nv_rows), .w_cols(w_cols), .rd_bank(acc_bank),
        .rd_row(acc_row), .rd_grp(acc_grp), .rd_cwl(acc_cwl), .rd_acc(acc_data));

    // ---- POST -----------------------------------------------------------------------------------
    wire [31:0] inc_out, inc_wr_bytes, inc_wr_reqs;
    pk_post2 #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .SLOT_BITS(SLOT_BITS),
               .ACC_BITS(ACC_BITS), .PP_LANES(PP_LANES), .P_BITS(P_BITS),
               .QN_MULT_BITS(QN_MULT_BITS), .QN_BIAS_BITS(QN_BIAS_BITS),
               .QN_SHIFT_BITS(QN_SHIFT_BITS), .DQ_MANT_BITS(DQ_MANT_BITS),
               .DQ_EXP_BITS(DQ_EXP_BITS), .ACT_PARAM_BITS(ACT_PARAM_BITS),
               .ACT_SHIFT_BITS(ACT_SHIFT_BITS), .RES_SHIFT_BITS(RES_SHIFT_BITS),
               .ACT_MASK(ACT_MASK), .RES_EN(RES_EN), .PORT_BYTES(PORT_BYTES),
               .MAX_BURST(MAX_BURST), .ADDR_BITS(ADDR_BITS), .REC_WORDS(REC_WORDS),
               .B_WORDS(B_WORDS)) u_post (
        .clk(clk), .rst(rst), .lay_start(lay_start), .kind(l_kind[2:0]), .glob(l_global[0]),
        .out_log2(l_out_log2), .out_signed(l_out_signed[0]), .r_log2(l_r_log2),
        .r_signed(l_r_signed[0]), .qn_en(l_qn_en[0]), .res_en(l_res_en[0]), .res_mul(b_mul),
        .rq_en(l_rq_en[0]), .per_tensor(l_per_tensor[0]), .act_mode(l_act_mode), .act_shift(l_act_shift),
        .r_shift(l_r_shift), .round(l_round[0]), .clip_lo(l_clip_lo), .clip_hi(l_clip_hi),
        .rec_log2p1(l_rec_log2p1), .addr_out(l_addr_out), .out_c(l_out_c),
        .out_c_total(l_out_c_total), .out_c_base(l_out_c_base), .ct(l_ct),
        .acc_bank(acc_bank), .acc_row(acc_row), .acc_grp(acc_grp), .acc_cwl(acc_cwl),
        .acc_data(acc_data), .prec_we(prec_we), .prec_idx(prec_idx[RIW-1:0]),
        .prec_data(prec_data), .crec_we(t_we), .crec_bank(t_bank), .crec_idx(t_idx[RIW-1:0]),
        .crec_data(w_cols), .res_we(t_bwe), .res_bank(t_bank), .res_idx(t_idx[BIW-1:0]),
        .res_data(a_rows), .tile_valid(tile_valid), .tile_bank(tile_bank),
        .tile_p0(tile_p0), .tile_nr(tile_nr), .tile_c0(tile_c0), .tile_nc(tile_nc),
        .tile_open(tile_open), .tile_close(tile_close), .tile_last(tile_last),
        .bank_free(bank_free), .bank_free_id(bank_free_id), .wr_valid(wr_valid),
        .wr_ready(wr_ready), .wr_addr(wr_addr), .wr_data(wr_data), .wr_strb(wr_strb),
        .lay_done(lay_done), .inc_out(inc_out), .inc_wr_bytes(inc_wr_bytes),
        .inc_wr_reqs(inc_wr_reqs));

    // ---- valid products / pool terms of a k-step (the model's count: taps inside the image
    // of the tile's rows, times the chunk's channels (CONV; 1 for DW / pool) and the columns;
    // the step's columns and rows from pk_seq2's seq_nt_last / seq_mt_last)
    // (sized as pk_par2 holds the fields, PK_PAR2_FIELDS: Jw in AW + 1 bits, so the chunk
    // index jc < Jw too; Ct and NC_LAST <= C in CA + 1 bits)
    // (the count's factors are formed in the k-step's cycle and registered: each row's term
    // of x_rows in x_rc, the chunk's channels times the columns in x_cn; V2-11.5 "Timing,
    // step 18": the product and the counter's add then start at registers)
    reg [AW:0] m_jc;
    wire [AW:0] jw_s = l_jw[AW:0];
    // the next chunk jc + 1 (k_first: jc = 0) and its test jc + 1 >= Jw as two candidates
    // selected by k_first, each formed before it (from m_jc, from the field): k_first
    // (pk_seq2's go) is late (V2-11.5 "Timing, step 18")
    wire [AW:0] jc_inc = m_jc + 1'b1;
    wire jc_lm = jc_inc >= jw_s;                         // jc = m_jc
    wire jc_l0 = jw_s <= {{AW{1'b0}}, 1'b1};             // jc = 0
    wire [AW:0] jc_nm = jc_lm ? {(AW+1){1'b0}} : jc_inc;
    wire [AW:0] jc_n0 = jc_l0 ? {(AW+1){1'b0}} : {{AW{1'b0}}, 1'b1};
    always @(posedge clk) begin
        if (lay_start)
            m_jc <= {(AW+1){1'b0}};
        else if (k_valid)
            m_jc <= k_first ? jc_n0 : jc_nm;
    end
    // rows (x-folded: the sub-pixels of each row inside the image and the kernel, pk_win2's nsv):
    // row r's term, 0 past the tile's rows
    wire [RA:0] nr_n = seq_mt_last ? l_nr_last[RA:0] : ROWS[RA:0];
    reg [ROWS*4-1:0] x_rc_n, x_rc;
    integer ri;
    always @* begin
        for (ri = 0; ri < ROWS; ri = ri + 1)
            /* verilator lint_off WIDTH */
            x_rc_n[ri*4 +: 4] = !(rd_valid[ri] && ri < nr_n) ? 4'd0 : fold ? w_nsv[ri*4 +: 4] : 4'd1;
            /* verilator lint_on WIDTH */
    end
    reg [31:0] x_rows;
    always @* begin
        x_rows = 32'd0;
        for (ri = 0; ri < ROWS; ri = ri + 1)
            x_rows = x_rows + {28'd0, x_rc[ri*4 +: 4]};
    end
    // the chunk's channels (CONV: the last chunk's lnch, else VP; DW / pool 1) times the
    // n-tile's columns, both chunk cases formed and registered, and selected by the chunk's
    // test after the registers (a select before them: Yosys' opt_share moves it in front of one
    // shared multiplier, after k_first)
    localparam XCW = NVW + CA + 1;
    wire [CA:0] nc_n = seq_nt_last ? l_nc_last[CA:0] : l_ct[CA:0];
    wire [NVW-1:0] nch_l = !is_conv ? {{(NVW-1){1'b0}}, 1'b1} : lnch[NVW-1:0];
    wire [NVW-1:0] nch_f = !is_conv ? {{(NVW-1){1'b0}}, 1'b1} : vp[NVW-1:0];
    wire [XCW-1:0] cn_l = {{(CA+1){1'b0}}, nch_l} * {{NVW{1'b0}}, nc_n};
    wire [XCW-1:0] cn_f = {{(CA+1){1'b0}}, nch_f} * {{NVW{1'b0}}, nc_n};
    reg [XCW-1:0] x_cnl, x_cnf;
    reg x_jc_last;
    always @(posedge clk) begin
        x_rc <= x_rc_n;
        x_cnl <= cn_l;
        x_cnf <= cn_f;
        x_jc_last <= k_first ? jc_l0 : jc_lm;
    end
    wire [XCW-1:0] x_cn = x_jc_last ? x_cnl : x_cnf;
    // a global pool: every input pixel of a pass adds the pass's channels (the model's
    // in_h * in_w * out_c terms), min(R * Ct, the channels left)
    reg [15:0] g_left, x_gch;
    wire [15:0] g_rct = l_ct * ROWS[15:0];
    always @(posedge clk) begin
        if (lay_start)
            g_left <= l_out_c;
        else if (tile_end)
            g_left <= g_left > g_rct ? g_left - g_rct : 16'd0;
        x_gch <= g_left < g_rct ? g_left : g_rct;
    end
    // the product at its factors' widths: rows <= 15 R (RA + 4 bits), a chunk's channels <= VP
    // <= SLOTS (NVW bits), columns <= C (CA + 1 bits); x_ops < 2^32 (XPW <= 32 below)
    localparam XRW = RA + 4;
    localparam XPW = XRW + NVW + CA + 1;
    wire [XPW-1:0] x_prod = x_rows[XRW-1:0] * x_cn;
    /* verilator lint_off WIDTH */
    wire [31:0] x_ops = !x_valid ? 32'd0 : glob ? {16'd0, x_gch} : x_prod;
    /* verilator lint_on WIDTH */
    wire is_pool = l_kind == `PK_KIND_POOLMAX || l_kind == `PK_KIND_POOLSUM;
    wire is_ew = l_kind == `PK_KIND_EW;

    // ---- counters (the 14 the v2 model keeps, V2-9 item 8, in v1's slots) ------------------------
    function [31:0] popc(input [255:0] v, input integer n);
        integer i;
        begin
            popc = 32'd0;
            for (i = 0; i < n; i = i + 1)
                popc = popc + {31'd0, v[i]};
        end
    endfunction
    /* verilator lint_off UNUSEDSIGNAL */
    wire [NCNT*32-1:0] inc;          // (bits CNT_IW .. 31 of each are 0 and unused)
    /* verilator lint_on UNUSEDSIGNAL */
    wire rd_take = rd_req_valid && rd_req_ready;
    assign inc[`PK_CNT_CYCLES*32 +: 32] = {31'd0, inc_cycles};
    assign inc[`PK_CNT_BUSY*32 +: 32] = {31'd0, inc_busy};
    assign inc[`PK_CNT_STALL*32 +: 32] = {31'd0, inc_stall};
    assign inc[`PK_CNT_MACS*32 +: 32] = is_pool || is_ew ? 32'd0 : x_ops;
    assign inc[`PK_CNT_QN_OPS*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_RES_OPS*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_RQ_OPS*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_ACT_OPS*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_POOL_OPS*32 +: 32] = is_pool ? x_ops : 32'd0;
    assign inc[`PK_CNT_OUT_ELEMS*32 +: 32] = inc_out;
    // weight words read: the n-tile's columns in every k-step and tail cycle (V2-11.4 item 1)
    wire [CA:0] cur_nc = seq_nt_last ? l_nc_last[CA:0] : l_ct[CA:0];
    // (the model counts CONV / DW k-steps and the tail's record words, V2-11.4 item 1)
    wire wb_cnt = (k_valid && (is_conv || l_kind == `PK_KIND_DW)) || (tail_valid && tail_idx < l_rw);
    assign inc[`PK_CNT_WBUF_RD*32 +: 32] = wb_cnt ? {{(31-CA){1'b0}}, cur_nc} : 32'd0;
    assign inc[`PK_CNT_WBUF_WR*32 +: 32] = popc({{(256-WWL){1'b0}}, ww_valid}, WWL);
    assign inc[`PK_CNT_PBUF_RD*32 +: 32] = k_valid || tail_b ? {{(32-RA-1){1'b0}}, ROWS[RA:0]} : 32'd0;
    assign inc[`PK_CNT_PBUF_WR*32 +: 32] = popc({{(256-RWL){1'b0}}, r_valid}, RWL);
    assign inc[`PK_CNT_PARBUF_RD*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_PARBUF_WR*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_RESBUF_RD*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_RESBUF_WR*32 +: 32] = 32'd0;
    assign inc[`PK_CNT_DRAM_RD_BYTES*32 +: 32] = rd_take ? rd_req_len : 32'd0;
    assign inc[`PK_CNT_DRAM_WR_BYTES*32 +: 32] = inc_wr_bytes;
    assign inc[`PK_CNT_DRAM_RD_REQS*32 +: 32] = {31'd0, rd_take};
    assign inc[`PK_CNT_DRAM_WR_REQS*32 +: 32] = inc_wr_reqs;
    // built: the 14 of V2-9 (the v2 column of core/pk_contract.def's counter rows; the
    // others read 0, their increments above are 0)
    localparam [NCNT-1:0] CNT_KEEP = `PK_CNT_V2_KEEP;
    // the increments as wide as the most one counter takes in a cycle (CNT_IW, core/pk_v2_rtl.c):
    // their bits above are 0, so the counters need no adder wider than CNT_IW at the event inputs
    wire [NCNT*CNT_IW-1:0] inc_n;
    genvar gi;
    generate
        for (gi = 0; gi < NCNT; gi = gi + 1) begin : g_inc
            assign inc_n[gi*CNT_IW +: CNT_IW] = inc[gi*32 +: CNT_IW];
        end
    endgenerate
    pk_counters #(.IW(CNT_IW), .CNT_BITS(CNT_BITS), .KEEP(CNT_KEEP)) u_cnt (
        .clk(clk), .rst(rst), .clear(clear), .inc(inc_n), .sel(cnt_sel), .value(cnt_value));

    // fields and flags no built engine reads yet

    wire unused = &{1'b0, psb_m[AW+1], l_pass_wb, fbr_n[RA+1:RA], f_rot2[RA+1:RA], f_addr_hi[AW], POOL_MASK[0], awrap32, cmd_base, cmd_count, f_addr, fin, jw32, l_addr_in,
                    l_addr_param, l_addr_res, l_addr_w, l_b_row_bytes, l_block_bytes, l_cap,
                    l_cap_b, l_cap_wb, l_em, l_em_wb, l_f0, l_in_c, l_kc, l_kwf, l_ld_a0,
                    l_ld_addr_y0, l_ld_g0, l_ld_owm, l_ld_q0, l_ld_rb0, l_ld_sjw, l_na,
                    l_nb, l_nr_last, l_order, l_ow_gsj, l_ow_q, l_ow_x, l_rd_y, l_rde,
                    l_rde_cap, l_rde_cap_wb, l_ow_g, l_e_rows, l_rm_x, l_row_bytes, l_sb0, l_sb0_wb, l_sf,
                    l_sj, l_unit_bytes, l_wb, l_y_ph0, ld_busy, nv_full, prec_idx, ring_ovf,
                    ring_pend, t_idx, w_last_k, w_smask, w_sub, wb_ovf, wu16, ww_ovf,
                    seq_w_nt,
                    l_ld_y1_0, l_ld_jump_bytes, l_ld_awrap, l_ld_wu, l_ld_u0, l_ld_sp,
                    l_r_mod_ow, l_out_c_total, l_mt, l_nt, b_awrap32, b_rot16, b_raddr[AW], ba_n};
endmodule
