// pk_gather - the LOAD job's slot walker (ARCHITECTURE_V1.md 6 "What a step
// loads", 7.2): one slot per cycle, slot i of a job started in cycle S0 in
// cycle S0 + 1 + i.  A slot is a request (presented combinationally on
// req_*; the read port takes one per cycle) or a hole (no request).
//
// Slot list of a step job: [params] [weights] patch (nk k-steps x ROWS rows,
// k-step major) [residual (ROWS rows)]; of a descriptor job: one request of
// DESC_BYTES (pk_contract.vh).  Job inputs j_* are sampled in the start cycle; the layer inputs
// (descriptor fields and values derived from them) must stay stable for the
// whole layer.
//
// The im2col walk needs no division: the output pixel (oy, ox) of each row
// is stepped from the tile's base pixel, and the base of the next tile is the
// pixel after the last row of the first k-step (captured during the walk).
// The tap (i, j') and the channel chunk jc of k-step k0 carry over from the
// previous chunk of the same tile (they are where the previous walk stopped).
//
// Addresses need no multiplier per slot: every walk register has an address
// mirror stepped with it (pixel (oy, ox) -> pa = (oy*sh*in_w + ox*sw)*ps_in
// and its row start prow; tap (ti, tj) -> ta = (ti*in_w + tj)*ps_in and its
// row start trow; residual row -> ra = (pb + r)*ps_res, carried from tile to
// tile), so a patch address is addr_in + pa + ta - (pt*in_w + pl)*ps_in + off
// (mod 2^32, equal to the formula of section 6 whenever the tap is valid;
// sh, sw = stride (stride_h), stride_w; pt, pl = pad (pad_top), pad_l).
// Layer constants: rs = in_w*ps_in (one 16 x 16 product), sw*ps_in, sh*rs.
// ps_in is the input tensor's pixel stride (in_c_total channels when the
// layer reads a channel slice; the slice's base is already in addr_in).
//
// Every patch slot also writes the patch-valid word of its (k-step, row):
// nv_val = number of operands loaded (0 for a hole), which the array uses as
// nvalid.  With zp_pad (the layer pads with a nonzero input zero point:
// CONV / DW / POOLSUM with in_zp != 0) a padding tap of a valid row is no
// request either, but nv_val = cnt and nv_pad = 1: the array then reads the
// zero-point word instead of the patch word (ARCHITECTURE_V1.md 6).
//
// Tags (tag_type, tag_k, tag_r, tag_nb) identify each request for pk_dma_rd:
// type 0 descriptor, 1 params, 2 weights, 3 patch, 4 residual; tag_nb is the
// beat count of patch and residual requests.
`include "pk_contract.vh"
module pk_gather #(
    parameter ROWS = 4,
    parameter PORT_BYTES = 8,
    parameter PBUF_DEPTH = 16,
    parameter PA = 5,        // patch-buffer address bits (2 halves)
    parameter KA = 4,        // bits of a k-step index inside a chunk
    parameter RA = 2,        // row index bits
    parameter NVW = 7,       // patch-valid field bits
    parameter NBW = 4        // beat-count bits of a patch / residual request
) (
    input  wire clk,
    input  wire rst,
    // job (sampled when start = 1)
    input  wire start,
    input  wire j_desc,
    input  wire [31:0] j_desc_addr,
    input  wire j_lpar,
    input  wire [31:0] j_par_addr,
    input  wire [31:0] j_par_len,
    input  wire j_lw,
    input  wire [31:0] j_w_addr,
    input  wire [31:0] j_w_len,
    input  wire j_lres,
    input  wire j_first_chunk,
    input  wire j_first_tile,
    input  wire [15:0] j_nk,
    input  wire [31:0] j_pb,
    input  wire [15:0] j_n0,
    input  wire [15:0] j_ncv,
    input  wire j_phalf,
    // layer (stable during the layer)
    input  wire [2:0] kind,
    input  wire [1:0] al,
    input  wire [1:0] rl,
    input  wire [15:0] in_h, in_w, in_c, out_h, out_w,
    input  wire [7:0] kh, kw,
    input  wire [3:0] stride, pad,       // stride_h, pad_top
    input  wire [3:0] stride_w, pad_l,   // stride_w, pad_left
    input  wire [31:0] addr_in, addr_res,
    input  wire [31:0] ps_in, ps_res,
    input  wire [31:0] m_pix,
    input  wire [15:0] vp,
    input  wire [15:0] vp_bytes,
    input  wire [15:0] cd,
    input  wire zp_pad,
    // slot outputs
    output wire walking,
    output wire req,
    output wire [31:0] req_addr,
    output wire [31:0] req_len,
    output wire [2:0] tag_type,
    output wire [KA-1:0] tag_k,
    output wire [RA-1:0] tag_r,
    output wire [NBW-1:0] tag_nb,
    output wire nv_we,
    output wire [PA-1:0] nv_addr,
    output wire [RA-1:0] nv_lane,
    output wire [NVW-1:0] nv_val,
    output wire nv_pad,
    // counter increments (this cycle)
    output wire [31:0] inc_pbuf_wr,
    output wire [31:0] inc_resbuf_wr
);
    localparam PH_IDLE = 3'd0, PH_DESC = 3'd1, PH_PAR = 3'd2, PH_W = 3'd3,
               PH_PATCH = 3'd4, PH_RES = 3'd5;
    localparam PBL = (PORT_BYTES >= 64) ? 6 : (PORT_BYTES >= 32) ? 5 : (PORT_BYTES >= 16) ? 4 :
                     (PORT_BYTES >= 8) ? 3 : (PORT_BYTES >= 4) ? 2 : (PORT_BYTES >= 2) ? 1 : 0;

    reg [2:0] ph;
    reg desc_r, lw_r, lres_r, phalf_r;
    reg [31:0] desc_addr_r, par_addr_r, par_len_r, w_addr_r, w_len_r, pb_r;
    reg [15:0] nk_r, n0_r, ncv_r;
    reg [15:0] kr;
    reg [RA-1:0] r;
    reg [15:0] oy, ox, boy, box, noy, nox;
    reg [7:0] ti, tj;
    reg [15:0] ch_off;
    reg [31:0] off_b;
    // address mirrors (see the header)
    reg [31:0] pa, prow, bpa, bprow, npa, nprow, ta, trow, ra;

    wire is_conv = kind == `PK_KIND_CONV;
    wire is_ew = kind == `PK_KIND_EW;

    // ---- the current slot ------------------------------------------------
    wire signed [19:0] oys = {4'd0, oy};
    wire signed [19:0] oxs = {4'd0, ox};
    wire signed [19:0] pd = {16'd0, pad};
    wire signed [19:0] pdl = {16'd0, pad_l};
    wire [31:0] oy_st32 = mul4({16'd0, oy}, stride);   // 16 x 4 bits, shift-add
    wire [31:0] ox_st32 = mul4({16'd0, ox}, stride_w);
    wire [19:0] oy_st = oy_st32[19:0];
    wire [19:0] ox_st = ox_st32[19:0];
    wire signed [19:0] iy = is_ew ? oys : $signed(oy_st) - pd + {12'd0, ti};
    wire signed [19:0] ix = is_ew ? oxs : $signed(ox_st) - pdl + {12'd0, tj};
    wire row_ok = oy < out_h;
    wire tap_ok = iy >= 0 && iy < $signed({4'd0, in_h}) && ix >= 0 && ix < $signed({4'd0, in_w});
    wire p_valid = row_ok && tap_ok;
    // layer constants of the address walk (EW: stride 1, no padding)
    wire [3:0] st_e = is_ew ? 4'd1 : stride;
    wire [3:0] stw_e = is_ew ? 4'd1 : stride_w;
    wire [3:0] pad_e = is_ew ? 4'd0 : pad;
    wire [3:0] padl_e = is_ew ? 4'd0 : pad_l;
    wire [15:0] ps16 = ps_in[15:0];          // ceil(in_c * b / 8) < 2^16
    wire [31:0] rs = in_w * ps16;            // bytes per input row
    wire [31:0] xs = mul4({16'd0, ps16}, stw_e);  // output x step
    wire [31:0] ys = mul4(rs, st_e);              // output y step
    wire [31:0] pado = mul4(rs, pad_e) + mul4({16'd0, ps16}, padl_e);
    function [31:0] mul4(input [31:0] a, input [3:0] b);   // a * b mod 2^32, shift-add
        begin
            mul4 = (b[0] ? a : 32'd0) + (b[1] ? {a[30:0], 1'b0} : 32'd0) +
                   (b[2] ? {a[29:0], 2'b0} : 32'd0) + (b[3] ? {a[28:0], 3'b0} : 32'd0);
        end
    endfunction
    wire [15:0] ch_rem = in_c - ch_off;
    wire [15:0] dw_rem = in_c - n0_r;
    wire [15:0] cnt = is_conv ? (ch_rem < vp ? ch_rem : vp) : (dw_rem < cd ? dw_rem : cd);
    wire [31:0] n0_bytes = ({16'd0, n0_r} << al) >> 3;
    wire [31:0] p_addr = addr_in + pa + ta - pado + (is_conv ? off_b : n0_bytes);
    wire [31:0] p_len = (({16'd0, cnt} << al) + 32'd7) >> 3;

    wire [31:0] rp = pb_r + {{(32-RA){1'b0}}, r};
    wire r_valid = rp < m_pix;
    wire [31:0] r_len = (({16'd0, ncv_r} << rl) + 32'd7) >> 3;
    wire [31:0] n0_rbytes = ({16'd0, n0_r} << rl) >> 3;
    wire [31:0] r_addr = addr_res + ra + n0_rbytes;

    reg [31:0] a_mux, l_mux;
    reg q_mux;
    always @* begin
        a_mux = 32'd0;
        l_mux = 32'd0;
        q_mux = 1'b0;
        case (ph)
            PH_DESC: begin a_mux = desc_addr_r; l_mux = `PK_DESC_BYTES; q_mux = 1'b1; end
            PH_PAR: begin a_mux = par_addr_r; l_mux = par_len_r; q_mux = 1'b1; end
            PH_W: begin a_mux = w_addr_r; l_mux = w_len_r; q_mux = 1'b1; end
            PH_PATCH: begin a_mux = p_addr; l_mux = p_len; q_mux = p_valid; end
            PH_RES: begin a_mux = r_addr; l_mux = r_len; q_mux = r_valid; end
            default: ;
        endcase
    end
    wire [31:0] nb_full = (l_mux + PORT_BYTES - 1) >> PBL;

    assign walking = ph != PH_IDLE;
    assign req = q_mux;
    assign req_addr = a_mux;
    assign req_len = l_mux;
    assign tag_type = ph == PH_DESC ? 3'd0 : ph == PH_PAR ? 3'd1 : ph == PH_W ? 3'd2 :
                      ph == PH_PATCH ? 3'd3 : 3'd4;
    assign tag_k = kr[KA-1:0];
    assign tag_r = r;
    assign tag_nb = nb_full[NBW-1:0];

    assign nv_we = ph == PH_PATCH;
    assign nv_addr = phalf_r ? PBUF_DEPTH[PA-1:0] + kr[PA-1:0] : kr[PA-1:0];
    assign nv_lane = r;
    wire pad_tap = zp_pad && row_ok && !tap_ok;
    assign nv_val = (p_valid || pad_tap) ? cnt[NVW-1:0] : {NVW{1'b0}};
    assign nv_pad = pad_tap;

    assign inc_pbuf_wr = {31'd0, ph == PH_PATCH};
    assign inc_resbuf_wr = (ph == PH_RES && r_valid) ? {16'd0, ncv_r} : 32'd0;

    // ---- stepping ----------------------------------------------------------
    wire ox_wrap = ox + 16'd1 == out_w;
    wire [15:0] adv_ox = ox_wrap ? 16'd0 : ox + 16'd1;
    wire [15:0] adv_oy = ox_wrap ? oy + 16'd1 : oy;
    wire [31:0] adv_prow = ox_wrap ? prow + ys : prow;
    wire [31:0] adv_pa = ox_wrap ? prow + ys : pa + xs;
    wire last_row = {{(32-RA){1'b0}}, r} == ROWS - 1;
    wire last_k = kr + 16'd1 == nk_r;
    wire conv_last_jc = ch_off + vp >= in_c;

    always @(posedge clk) begin
        if (rst) begin
            ph <= PH_IDLE;
            kr <= 16'd0;
            r <= {RA{1'b0}};
            ti <= 8'd0;
            tj <= 8'd0;
            ch_off <= 16'd0;
            off_b <= 32'd0;
            oy <= 16'd0;
            ox <= 16'd0;
            boy <= 16'd0;
            box <= 16'd0;
            noy <= 16'd0;
            nox <= 16'd0;
            pa <= 32'd0; prow <= 32'd0; bpa <= 32'd0; bprow <= 32'd0;
            npa <= 32'd0; nprow <= 32'd0; ta <= 32'd0; trow <= 32'd0; ra <= 32'd0;
        end else if (start) begin
            desc_r <= j_desc;
            lw_r <= j_lw;
            lres_r <= j_lres;
            phalf_r <= j_phalf;
            desc_addr_r <= j_desc_addr;
            par_addr_r <= j_par_addr;
            par_len_r <= j_par_len;
            w_addr_r <= j_w_addr;
            w_len_r <= j_w_len;
            pb_r <= j_pb;
            nk_r <= j_nk;
            n0_r <= j_n0;
            ncv_r <= j_ncv;
            kr <= 16'd0;
            r <= {RA{1'b0}};
            ph <= j_desc ? PH_DESC : j_lpar ? PH_PAR : j_lw ? PH_W : PH_PATCH;
            if (!j_desc && j_first_tile)
                ra <= 32'd0;
            if (!j_desc && j_first_chunk) begin
                ti <= 8'd0;
                tj <= 8'd0;
                ch_off <= 16'd0;
                off_b <= 32'd0;
                ta <= 32'd0;
                trow <= 32'd0;
                if (j_first_tile) begin
                    boy <= 16'd0;
                    box <= 16'd0;
                    oy <= 16'd0;
                    ox <= 16'd0;
                    bpa <= 32'd0;
                    bprow <= 32'd0;
                    pa <= 32'd0;
                    prow <= 32'd0;
                end else begin
                    boy <= noy;
                    box <= nox;
                    oy <= noy;
                    ox <= nox;
                    bpa <= npa;
                    bprow <= nprow;
                    pa <= npa;
                    prow <= nprow;
                end
            end else begin
                oy <= boy;
                ox <= box;
                pa <= bpa;
                prow <= bprow;
            end
        end else begin
            case (ph)
                PH_DESC: ph <= PH_IDLE;
                PH_PAR: ph <= lw_r ? PH_W : PH_PATCH;
                PH_W: ph <= PH_PATCH;
                PH_PATCH: begin
                    if (last_row) begin
                        r <= {RA{1'b0}};
                        oy <= boy;
                        ox <= box;
                        pa <= bpa;
                        prow <= bprow;
                        if (kr == 16'd0) begin
                            noy <= adv_oy;
                            nox <= adv_ox;
                            npa <= adv_pa;
                            nprow <= adv_prow;
                        end
                        // next tap / channel chunk
                        if (is_conv) begin
                            if (conv_last_jc) begin
                                ch_off <= 16'd0;
                                off_b <= 32'd0;
                                if (tj + 8'd1 == kw) begin
                                    tj <= 8'd0;
                                    ti <= ti + 8'd1;
                                    trow <= trow + rs;
                                    ta <= trow + rs;
                                end else begin
                                    tj <= tj + 8'd1;
                                    ta <= ta + {16'd0, ps16};
                                end
                            end else begin
                                ch_off <= ch_off + vp;
                                off_b <= off_b + {16'd0, vp_bytes};
                            end
                        end else if (!is_ew) begin
                            if (tj + 8'd1 == kw) begin
                                tj <= 8'd0;
                                ti <= ti + 8'd1;
                                trow <= trow + rs;
                                ta <= trow + rs;
                            end else begin
                                tj <= tj + 8'd1;
                                ta <= ta + {16'd0, ps16};
                            end
                        end
                        if (last_k) begin
                            kr <= 16'd0;
                            ph <= lres_r ? PH_RES : PH_IDLE;
                        end else
                            kr <= kr + 16'd1;
                    end else begin
                        r <= r + {{(RA-1){1'b0}}, 1'b1};
                        oy <= adv_oy;
                        ox <= adv_ox;
                        pa <= adv_pa;
                        prow <= adv_prow;
                    end
                end
                PH_RES: begin
                    ra <= ra + ps_res;
                    if (last_row) begin
                        r <= {RA{1'b0}};
                        ph <= PH_IDLE;
                    end else
                        r <= r + {{(RA-1){1'b0}}, 1'b1};
                end
                default: ;
            endcase
        end
    end

    // kh only bounds the walk through nk (the mapper's Ks); kept for clarity.
    wire unused_ok = &{1'b0, kh, desc_r, nb_full[31:NBW], ps_in[31:16], oy_st32[31:20], ox_st32[31:20]};
endmodule
