// pk_dma_rd - the off-chip read port side of a LOAD job (ARCHITECTURE_V1.md
// 7.1, 7.2): issues the requests pk_gather walks, keeps one tag per request,
// steers the returning beats into the buffers and says when the job ends.
//
// Read port protocol (7.1).  A request is rd_req_valid with rd_req_addr (byte
// address) and rd_req_len (bytes, >= 1); it is taken in a cycle with
// rd_req_ready = 1 (the modelled memory is always ready; the core does not
// hold a request, so rd_req_ready = 0 loses it).  Data returns in request
// order as beats (rd_data_valid, rd_data): beat k of a request carries the
// bytes addr + k*PB .. addr + k*PB + PB - 1 in byte lanes 0 .. PB-1 (bytes
// past the request's end are don't-care), ceil(len / PB) beats per request.
// The core accepts one beat in every cycle (no back-pressure).
//
// Tags: the request list of a job may be thousands of requests ahead of its
// data, so tags live in a RAM indexed by request number (TQ_DEPTH entries,
// at least the longest job).  The tag of the request whose data comes next
// is read ahead; a tag written in the same cycle is forwarded.
//
// Buffer writes happen the cycle after the beat that completes a word:
// descriptor (DESC_BYTES), parameter records (PARAM_BYTES each), weight rows
// (COLS words = one k-step of every column; requires PORT_BYTES <= COLS *
// word bytes), patch words (unpacked to slot form: each b-bit element widened
// to the mode's m-bit slot) and residual rows (COLS 8-bit codes).
// desc_data is the descriptor assembly register: it changes only on the beats
// of a descriptor request and holds the last descriptor otherwise (pk_ctrl
// uses it as its layer register; desc_we marks the cycle it is complete).
//
// Job end: `done` pulses in the first cycle X in which the walk is over and
// every beat has arrived (X = max(S0 + 1 + nslots, D_Q)); the last buffer
// write happens in X, so dependent jobs start in X + 1 = E_load.
// Descriptor and record sizes: pk_contract.vh (core/pk_contract.def).
`include "pk_contract.vh"
module pk_dma_rd #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter LANES = 8,
    parameter SLOT_BITS = 8,
    parameter MODES = 4'b1111,
    parameter AMASK = 4'b1111,
    parameter PORT_BYTES = 8,
    parameter WBUF_DEPTH = 16,
    parameter PBUF_DEPTH = 16,
    parameter WA = 5,
    parameter PA = 5,
    parameter KA = 4,
    parameter RA = 2,
    parameter NBW = 4,
    parameter TQA = 6
) (
    input  wire clk,
    input  wire rst,
    // job (sampled when start = 1)
    input  wire start,
    input  wire j_whalf,
    input  wire j_phalf,
    input  wire j_rhalf,
    input  wire [15:0] j_nrec,
    // layer (stable during the layer)
    input  wire [1:0] mlog2,
    input  wire [1:0] al,
    input  wire a_signed,
    input  wire [1:0] rl,
    // from pk_gather
    input  wire walking,
    input  wire req,
    input  wire [31:0] req_addr,
    input  wire [31:0] req_len,
    input  wire [2:0] tag_type,
    input  wire [KA-1:0] tag_k,
    input  wire [RA-1:0] tag_r,
    input  wire [NBW-1:0] tag_nb,
    // read port
    output wire rd_req_valid,
    input  wire rd_req_ready,
    output wire [31:0] rd_req_addr,
    output wire [31:0] rd_req_len,
    input  wire rd_data_valid,
    input  wire [8*PORT_BYTES-1:0] rd_data,
    // job end
    output wire done,
    // buffer writes
    output reg  desc_we,
    output reg  [`PK_DESC_BYTES*8-1:0] desc_data,
    output reg  [RECS-1:0] par_we,
    output reg  [15:0] par_idx,
    output reg  [RECS*`PK_PARAM_BYTES*8-1:0] par_data,
    output reg  w_we,
    output wire [WA-1:0] w_addr,
    output wire [ROWB*8-1:0] w_data,
    output reg  p_we,
    output wire [PA-1:0] p_addr,
    output wire [RA-1:0] p_lane,
    output wire [WBITS-1:0] p_data,
    output reg  r_we,
    output wire [RA:0] r_addr,
    output wire [COLS*8-1:0] r_data,
    // counter increments
    output wire [31:0] inc_rd_bytes,
    output wire [31:0] inc_rd_reqs,
    output wire [31:0] inc_parbuf_wr,
    output wire [31:0] inc_wbuf_wr
);
    localparam WBITS = LANES * SLOT_BITS;
    localparam WB = WBITS / 8;
    localparam ROWB = COLS * WB;
    localparam PB = PORT_BYTES;
    localparam PBL = (PB >= 64) ? 6 : (PB >= 32) ? 5 : (PB >= 16) ? 4 : (PB >= 8) ? 3 :
                     (PB >= 4) ? 2 : (PB >= 2) ? 1 : 0;
    localparam DB = `PK_DESC_BYTES, RB = `PK_PARAM_BYTES;
    localparam RECS = (PB >= RB) ? PB / RB : 1;         // records completed per beat
    localparam RBEATS = (PB >= RB) ? 1 : RB / PB;       // beats per record
    localparam NDB = (DB + PB - 1) / PB;                // beats of a descriptor
    localparam NPB = (WB + PB - 1) / PB;                // max beats of a patch word
    localparam NRB = (COLS + PB - 1) / PB;              // max beats of a residual row
    localparam TQW = 3 + NBW + KA + RA;
    // beats of the longest request: a weight chunk (KC_MAX rows), COLS records,
    // a descriptor (the patch and residual requests are shorter)
    localparam KCM = WBUF_DEPTH < PBUF_DEPTH ? WBUF_DEPTH : PBUF_DEPTH;
    localparam BM_W = (KCM * ROWB + PB - 1) / PB;
    localparam BM_P = (RB * COLS + PB - 1) / PB;
    localparam BM_WP = BM_W > BM_P ? BM_W : BM_P;
    localparam BMAX = BM_WP > NDB ? BM_WP : NDB;
    localparam BW = $clog2(BMAX + 1);               // beat-count bits
    localparam TQD = 1 << TQA;

    // ---- requests and tags ---------------------------------------------------
    wire issue = req && rd_req_ready;
    assign rd_req_valid = req;
    assign rd_req_addr = req_addr;
    assign rd_req_len = req_len;
    assign inc_rd_bytes = issue ? req_len : 32'd0;
    assign inc_rd_reqs = {31'd0, issue};

    reg [TQA:0] wr_ptr, rd_ptr;     // requests issued / tags taken
    reg [TQA:0] nreq_done;          // requests of this job completed (< 2^TQA)
    reg [BW-1:0] nb_par, nb_w, nb_desc;
    wire [TQW-1:0] tag_in = {tag_type, tag_nb, tag_k, tag_r};
    wire [TQW-1:0] tq_rdata;

    // current request (whose data comes next)
    reg cur_v, cur_byp;
    reg [TQW-1:0] byp_tag;
    wire [TQW-1:0] cur_tag = cur_byp ? byp_tag : tq_rdata;
    wire [2:0] c_type = cur_tag[TQW-1 -: 3];
    wire [NBW-1:0] c_nb = cur_tag[KA+RA +: NBW];
    wire [KA-1:0] c_k = cur_tag[RA +: KA];
    wire [RA-1:0] c_r = cur_tag[0 +: RA];
    reg [BW-1:0] bk;                // beat index inside the current request
    wire [BW+NBW-1:0] c_nb_x = {{BW{1'b0}}, c_nb};
    wire [31:0] bk32 = {{(32-BW){1'b0}}, bk};
    wire [BW-1:0] c_nbeats = c_type == 3'd0 ? nb_desc : c_type == 3'd1 ? nb_par :
                             c_type == 3'd2 ? nb_w : c_nb_x[BW-1:0];
    wire beat = rd_data_valid && cur_v;
    wire last_beat = beat && (bk + 1'b1 == c_nbeats);
    wire need = !cur_v || last_beat;
    wire avail_mem = rd_ptr != wr_ptr;
    wire fetch_mem = need && avail_mem;
    wire fetch_byp = need && !avail_mem && issue;

    pk_sram #(.WIDTH(TQW), .DEPTH(TQD), .ABITS(TQA), .WLANES(1)) u_tags (
        .clk(clk), .we(issue), .wmask(1'b1), .waddr(wr_ptr[TQA-1:0]), .wdata(tag_in),
        .re(fetch_mem), .raddr(rd_ptr[TQA-1:0]), .rdata(tq_rdata));

    wire [31:0] issue_nb = (req_len + PB - 1) >> PBL;

    always @(posedge clk) begin
        if (rst || start) begin
            wr_ptr <= {(TQA+1){1'b0}};
            rd_ptr <= {(TQA+1){1'b0}};
            nreq_done <= {(TQA+1){1'b0}};
            cur_v <= 1'b0;
            cur_byp <= 1'b0;
            bk <= {BW{1'b0}};
        end else begin
            if (issue) begin
                wr_ptr <= wr_ptr + 1'b1;
                if (tag_type == 3'd0)
                    nb_desc <= issue_nb[BW-1:0];
                if (tag_type == 3'd1)
                    nb_par <= issue_nb[BW-1:0];
                if (tag_type == 3'd2)
                    nb_w <= issue_nb[BW-1:0];
            end
            if (beat)
                bk <= last_beat ? {BW{1'b0}} : bk + 1'b1;
            if (last_beat)
                nreq_done <= nreq_done + 1'b1;
            if (need) begin
                if (fetch_mem) begin
                    rd_ptr <= rd_ptr + 1'b1;
                    cur_v <= 1'b1;
                    cur_byp <= 1'b0;
                end else if (fetch_byp) begin
                    rd_ptr <= rd_ptr + 1'b1;
                    cur_v <= 1'b1;
                    cur_byp <= 1'b1;
                    byp_tag <= tag_in;
                end else
                    cur_v <= 1'b0;
            end
        end
    end

    // The walk is over and every request has all its beats.
    assign done = !walking && nreq_done == wr_ptr && !start;

    // ---- descriptor ------------------------------------------------------------
    reg [NDB*PB*8-1:0] d_asm;
    integer i;
    always @(posedge clk) begin
        desc_we <= 1'b0;
        if (beat && c_type == 3'd0) begin
            for (i = 0; i < NDB; i = i + 1)
                if (bk32 == i)
                    d_asm[i*PB*8 +: PB*8] <= rd_data;
            desc_we <= last_beat;
        end
    end
    always @* desc_data = d_asm[DB*8-1:0];

    // ---- parameter records -------------------------------------------------------
    reg [15:0] rec_cnt, nrec_r;
    wire [31:0] rpos = bk32 % RBEATS;
    generate
        if (PB >= RB) begin : g_par_wide
            integer k;
            always @(posedge clk) begin
                par_we <= {RECS{1'b0}};
                if (start) begin
                    rec_cnt <= 16'd0;
                    nrec_r <= j_nrec;
                end else if (beat && c_type == 3'd1) begin
                    par_data <= rd_data[RECS*RB*8-1:0];
                    for (k = 0; k < RECS; k = k + 1)
                        par_we[k] <= {16'd0, rec_cnt} + k < {16'd0, nrec_r};
                    par_idx <= rec_cnt;
                    rec_cnt <= rec_cnt + RECS[15:0];
                end
            end
        end else begin : g_par_narrow
            reg [RB*8-1:0] rec_asm;
            reg [RB*8-1:0] rec_full;
            integer k;
            always @* begin
                rec_full = rec_asm;
                for (k = 0; k < RBEATS; k = k + 1)
                    if (rpos == k)
                        rec_full[k*PB*8 +: PB*8] = rd_data;
            end
            always @(posedge clk) begin
                par_we <= {RECS{1'b0}};
                if (start) begin
                    rec_cnt <= 16'd0;
                    nrec_r <= j_nrec;
                end else if (beat && c_type == 3'd1) begin
                    rec_asm <= rec_full;
                    if (rpos == RBEATS - 1) begin
                        par_we[0] <= rec_cnt < nrec_r;
                        par_idx <= rec_cnt;
                        par_data <= rec_full;
                        rec_cnt <= rec_cnt + 16'd1;
                    end
                end
            end
        end
    endgenerate
    reg [31:0] par_n;
    integer pk;
    always @* begin
        par_n = 32'd0;
        for (pk = 0; pk < RECS; pk = pk + 1)
            par_n = par_n + {31'd0, par_we[pk]};
    end
    assign inc_parbuf_wr = par_n;

    // ---- weight rows -------------------------------------------------------------
    // f = bytes of the current row already assembled; a beat completes the row
    // when f + PB >= ROWB (at most one row per beat: PB <= ROWB).  When PB
    // divides ROWB (the usual case) a beat fills one PB-byte slot of w_data
    // directly (the buffer writes w_data in the cycle after the completing
    // beat, before the next row's first beat lands); otherwise the general
    // shift-and-carry assembly below.
    reg [15:0] w_f;
    reg [WA-1:0] w_row;
    reg whalf_r;
    wire w_fill = {16'd0, w_f} + PB >= ROWB;
    genvar gws;
    generate
        if (ROWB % PB == 0) begin : g_w_slots
            always @(posedge clk) begin
                w_we <= 1'b0;
                if (start) begin
                    w_f <= 16'd0;
                    w_row <= {WA{1'b0}};
                    whalf_r <= j_whalf;
                end else begin
                    if (w_we)
                        w_row <= w_row + 1'b1;
                    if (beat && c_type == 3'd2) begin
                        if (w_fill) begin
                            w_we <= 1'b1;
                            w_f <= 16'd0;
                        end else
                            w_f <= w_f + PB[15:0];
                    end
                end
            end
            // one register per PB-byte slot, each loaded by its own beat: a
            // wide row (8 Kbit on a 64 x 64 array) stays ROWB / PB small
            // enables instead of one process over the whole row
            for (gws = 0; gws < ROWB / PB; gws = gws + 1) begin : g_slot
                reg [PB*8-1:0] q;
                always @(posedge clk)
                    if (!start && beat && c_type == 3'd2 && {16'd0, w_f} == gws * PB)
                        q <= rd_data;
                assign w_data[gws*PB*8 +: PB*8] = q;
            end
        end else begin : g_w_shift
            reg [ROWB*8-1:0] w_part;
            wire [ROWB*8+PB*8-1:0] w_sh = {{(ROWB*8){1'b0}}, rd_data} << ({16'd0, w_f} * 8);
            wire [ROWB*8+PB*8-1:0] w_or = {{(PB*8){1'b0}}, w_part} | w_sh;
            wire [ROWB*8+PB*8-1:0] w_left = {{(ROWB*8){1'b0}}, rd_data} >>
                                            ((ROWB - {16'd0, w_f}) * 8);
            wire unused_wsh = &{1'b0, w_or[ROWB*8+PB*8-1:ROWB*8], w_left[ROWB*8+PB*8-1:ROWB*8]};
            reg [ROWB*8-1:0] w_q;
            assign w_data = w_q;
            always @(posedge clk) begin
                w_we <= 1'b0;
                if (start) begin
                    w_f <= 16'd0;
                    w_part <= {(ROWB*8){1'b0}};
                    w_row <= {WA{1'b0}};
                    whalf_r <= j_whalf;
                end else begin
                    if (w_we)
                        w_row <= w_row + 1'b1;
                    if (beat && c_type == 3'd2) begin
                        if (w_fill) begin
                            w_q <= w_or[ROWB*8-1:0];
                            w_we <= 1'b1;
                            w_part <= w_left[ROWB*8-1:0];
                            w_f <= w_f + PB[15:0] - ROWB[15:0];
                        end else begin
                            w_part <= w_or[ROWB*8-1:0];
                            w_f <= w_f + PB[15:0];
                        end
                    end
                end
            end
        end
    endgenerate
    assign w_addr = whalf_r ? WBUF_DEPTH[WA-1:0] + w_row : w_row;
    assign inc_wbuf_wr = w_we ? COLS : 32'd0;

    // ---- patch words ---------------------------------------------------------------
    reg [NPB*PB*8-1:0] p_asm;
    reg [KA-1:0] p_k;
    reg [RA-1:0] p_r;
    reg phalf_r;
    always @(posedge clk) begin
        p_we <= 1'b0;
        if (start)
            phalf_r <= j_phalf;
        if (beat && c_type == 3'd3) begin
            for (i = 0; i < NPB; i = i + 1)
                if (bk32 == i)
                    p_asm[i*PB*8 +: PB*8] <= rd_data;
            p_we <= last_beat;
            p_k <= c_k;
            p_r <= c_r;
        end
    end
    assign p_addr = phalf_r ? PBUF_DEPTH[PA-1:0] + {{(PA-KA){1'b0}}, p_k} :
                    {{(PA-KA){1'b0}}, p_k};
    assign p_lane = p_r;

    // unpack: element e (b bits at bit e*b) -> slot e (m bits at bit e*m),
    // widened as in ARCHITECTURE_V1.md section 4 (1-bit: +1 / -1).
    wire [WBITS-1:0] raw = p_asm[WBITS-1:0];
    wire [16*WBITS-1:0] cand;
    genvar gm, gb, gs;
    generate
        for (gm = 0; gm < 4; gm = gm + 1) begin : g_m
            for (gb = 0; gb < 4; gb = gb + 1) begin : g_b
                if (gb <= gm && MODES[gm] && AMASK[gb] && (1 << gm) <= SLOT_BITS) begin : g_on
                    localparam M = 1 << gm, B = 1 << gb;
                    for (gs = 0; gs < WBITS / M; gs = gs + 1) begin : g_s
                        wire [B-1:0] v = raw[gs*B +: B];
                        if (B == M) begin : g_same
                            assign cand[(gm*4+gb)*WBITS + gs*M +: M] = v;
                        end else if (B == 1) begin : g_bin
                            assign cand[(gm*4+gb)*WBITS + gs*M +: M] =
                                v[0] ? {{(M-1){1'b0}}, 1'b1} : {M{1'b1}};
                        end else begin : g_ext
                            assign cand[(gm*4+gb)*WBITS + gs*M +: M] =
                                {{(M-B){a_signed & v[B-1]}}, v};
                        end
                    end
                end else begin : g_off
                    assign cand[(gm*4+gb)*WBITS +: WBITS] = {WBITS{1'b0}};
                end
            end
        end
    endgenerate
    assign p_data = cand[{mlog2, al}*WBITS +: WBITS];

    // ---- residual rows ---------------------------------------------------------------
    reg [NRB*PB*8-1:0] r_asm;
    reg [RA-1:0] r_row;
    reg rhalf_r;
    always @(posedge clk) begin
        r_we <= 1'b0;
        if (start)
            rhalf_r <= j_rhalf;
        if (beat && c_type == 3'd4) begin
            for (i = 0; i < NRB; i = i + 1)
                if (bk32 == i)
                    r_asm[i*PB*8 +: PB*8] <= rd_data;
            r_we <= last_beat;
            r_row <= c_r;
        end
    end
    assign r_addr = rhalf_r ? ROWS[RA:0] + {1'b0, r_row} : {1'b0, r_row};
    reg [COLS*8-1:0] r_unp;
    integer c;
    always @* begin
        r_unp = {(COLS*8){1'b0}};
        for (c = 0; c < COLS; c = c + 1)
            case (rl)
                2'd0: r_unp[c*8 +: 8] = {7'd0, r_asm[c]};
                2'd1: r_unp[c*8 +: 8] = {6'd0, r_asm[c*2 +: 2]};
                2'd2: r_unp[c*8 +: 8] = {4'd0, r_asm[c*4 +: 4]};
                default: r_unp[c*8 +: 8] = r_asm[c*8 +: 8];
            endcase
    end
    assign r_data = r_unp;
    wire unused_w = &{1'b0, rpos, p_asm, a_signed, c_nb_x[BW+NBW-1:BW], issue_nb};
endmodule
