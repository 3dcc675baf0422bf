// pk_ld2a - the loader's ring-word unpacker for input rows (ARCHITECTURE_V2.md
// V2-3.1 "write side", V2-6.3, V2-11.1 pk_ld2): turns the read beats of A rows
// into ring words with their bank and address, for pk_ring2's write lanes.
//
// Built: windowed (x-fold fx = 1) and flat layouts.  A row is in_w pixels of
// PS bytes; pixel x's chunk jc (channels jc * VP .. up to in_c - 1, VP =
// WBITS / m) is one ring word: its a_bits codes widened to m-bit slots (sign-
// or zero-extended), zero slots past in_c (V2-6.3).  The word is emitted in
// the beat that holds its last source byte (pixels are byte aligned, so a
// pixel's padding bits come with its last code), up to WL words per beat, in
// row order, on lanes 0 .. n - 1.  Placement:
//   windowed: bank = (rb + q + jc) mod R, addr = slot * WB + g * s'Jw + u * Jw + jc
//     for stored position X' = x + pad = (R * g + q) * s' + u; rb = floor(Y / s) *
//     out_w mod R and slot * WB advance per row (rows in fetch order: y + 1, or
//     y + s - kh + 1 after the last needed row of a group, as pk_ld2's walker)
//   flat: bank = (n + jc) mod R, addr = ((n div R) mod (capP / R)) * Jw + jc, n
//     the layer's pixel stream (carried across rows)
// Both as one position counter (q, u, g * s'Jw) advanced per pixel; no
// multiplier or divider at run time (l_* constants from sim/pk_v2ldconst.c).
//
// Input: `beat` with `beat_data` (PB bytes; bytes past the row's end in its
// last beat are ignored), only for A rows, in fetch order.  `start` loads the
// layer's first row state.  A beat holds pending bits of a word that
// straddles beats (at most WBITS) plus its own PB bytes.
module pk_ld2a #(
    parameter ROWS = 4,
    parameter RA = 2,            // max(1, clog2 ROWS)
    parameter WBITS = 64,        // ring word bits
    parameter AW = 10,           // ring bank address bits
    parameter PORT_BYTES = 8,    // PB
    parameter WL = 8             // write lanes (most words one beat completes)
) (
    input  wire clk,
    input  wire rst,
    input  wire start,
    // layer constants
    input  wire l_flat,
    input  wire [1:0] l_alog,            // log2 a_bits
    input  wire l_asigned,
    input  wire [1:0] l_mlog,            // log2 m
    input  wire [15:0] l_in_w, l_jw,
    input  wire [15:0] l_cbits,          // VP * a_bits: a full chunk's source bits
    input  wire [15:0] l_lbits,          // (in_c - (Jw - 1) VP) * a_bits: the last chunk's
    input  wire [15:0] l_lnch,           // in_c - (Jw - 1) VP: the last chunk's codes
    input  wire [15:0] l_pskip,          // PS * 8 - in_c * a_bits: a pixel's padding bits
    input  wire [7:0] l_sp,              // s' (windowed), 1 (flat)
    input  wire [AW-1:0] l_sjw,          // s' * Jw
    input  wire [7:0] l_u0,              // windowed: u, q, g * s'Jw of X' = pad
    input  wire [RA-1:0] l_q0,
    input  wire [AW-1:0] l_g0,
    input  wire [AW-1:0] l_a0,           // g * s'Jw + u * Jw of X' = pad
    input  wire [AW-1:0] l_awrap,        // flat: (capP / R) * Jw (the address wraps); 0 none
    input  wire [AW-1:0] l_wb,           // windowed: WB, cap * WB
    input  wire [AW:0] l_cap_wb,
    input  wire [RA-1:0] l_rb0,          // windowed: floor((y0 + pad) / s) * out_w mod R
    input  wire [RA-1:0] l_owm,          // out_w mod R
    input  wire [3:0] l_ym0, l_s,        // (y0 + pad) mod s, s
    input  wire [7:0] l_kh,
    // beats of A rows
    input  wire beat,
    input  wire [8*PORT_BYTES-1:0] beat_data,
    // ring write lanes (pk_ring2)
    output reg  [WL-1:0] w_valid,
    output reg  [WL*RA-1:0] w_bank,
    output reg  [WL*AW-1:0] w_addr,
    output reg  [WL*WBITS-1:0] w_data
);
    localparam R = ROWS;
    localparam BB = 2 * WBITS + 8 * PORT_BYTES;  // buffer bits: pending + a beat + a word's reach
    localparam PW = 16;                        // bit positions
    localparam [RA:0] RR = R[RA:0];
    localparam [RA-1:0] RM1 = RR[RA-1:0] - 1'b1;
    localparam [15:0] WB16 = WBITS[15:0];
    localparam integer PB8I = 8 * PORT_BYTES;
    localparam [15:0] PB8 = PB8I[15:0];

    // ---- state: pending bits, the row's next word, the placement counters ------------------
    reg [WBITS-1:0] pend;
    reg [PW-1:0] plen;
    reg [15:0] x_r, jc_r;
    reg [RA-1:0] jcm_r;                 // jc mod R
    reg [7:0] u_r;
    reg [RA-1:0] q_r;
    reg [AW-1:0] gb_r, ab_r;            // g * s'Jw; g * s'Jw + u * Jw (flat: the row base)
    reg [AW-1:0] swb_r;                 // slot * WB
    reg [RA-1:0] rb_r;
    reg [3:0] ym_r;

    function [RA-1:0] modr_add(input [RA-1:0] a, input [RA-1:0] b);
        reg [RA:0] t;
        begin
            t = {1'b0, a} + {1'b0, b};
            t = t >= RR ? t - RR : t;
            modr_add = t[RA-1:0];
        end
    endfunction

    // a word: nch codes of a_bits at the bottom of src, widened to m-bit slots
    function [WBITS-1:0] widen(input [WBITS-1:0] src, input [15:0] nch);
        integer b, e, i, a, m, idx;
        begin
            a = 1 << l_alog;
            m = 1 << l_mlog;
            for (b = 0; b < WBITS; b = b + 1) begin
                e = b >> l_mlog;
                i = b & (m - 1);
                idx = (e << l_alog) + (i < a ? i : a - 1);
                widen[b] = e < nch && idx < WBITS && (i < a || l_asigned) ? src[idx] : 1'b0;
            end
        end
    endfunction

    // ---- the lanes of this beat (a chain over WL words) ---------------------------------------
    reg [BB-1:0] buf_w;
    reg [PW-1:0] avail, pos;
    reg [15:0] x, jc;
    reg [RA-1:0] jcm, q, rb;
    reg [7:0] u;
    reg [AW-1:0] gb, ab, swb;
    reg [3:0] ym;
    reg go, lastc, row_end;
    reg [15:0] need;
    reg [BB-1:0] sh;
    wire [15:0] vp = WB16 >> l_mlog;    // slots per word
    integer k;
    always @(*) begin
        buf_w = {{(WBITS+8*PORT_BYTES){1'b0}}, pend} | ({{(2*WBITS){1'b0}}, beat_data} << plen);
        avail = plen + PB8;
        sh = {BB{1'b0}};
        pos = {PW{1'b0}};
        x = x_r;
        jc = jc_r;
        jcm = jcm_r;
        u = u_r;
        q = q_r;
        gb = gb_r;
        ab = ab_r;
        swb = swb_r;
        rb = rb_r;
        ym = ym_r;
        go = beat;
        row_end = 1'b0;
        w_valid = {WL{1'b0}};
        w_bank = {(WL*RA){1'b0}};
        w_addr = {(WL*AW){1'b0}};
        w_data = {(WL*WBITS){1'b0}};
        for (k = 0; k < WL; k = k + 1) begin
            lastc = jc + 16'd1 >= l_jw;
            need = lastc ? l_lbits : l_cbits;
            go = go && !row_end && pos + need <= avail;
            if (go) begin
                w_valid[k] = 1'b1;
                w_bank[k*RA +: RA] = modr_add(modr_add(rb, q), jcm);
                w_addr[k*AW +: AW] = swb + ab + jc[AW-1:0];
                sh = buf_w >> pos;
                w_data[k*WBITS +: WBITS] = widen(sh[WBITS-1:0], lastc ? l_lnch : vp);
                pos = pos + need + (lastc ? l_pskip : 16'd0);
                if (!lastc) begin
                    jc = jc + 16'd1;
                    jcm = modr_add(jcm, {{(RA-1){1'b0}}, 1'b1});
                end else begin          // the pixel's last word: the next position
                    jc = 16'd0;
                    jcm = {RA{1'b0}};
                    x = x + 16'd1;
                    if (u + 8'd1 >= l_sp) begin
                        u = 8'd0;
                        if (q == RM1) begin
                            q = {RA{1'b0}};
                            gb = (l_awrap != {AW{1'b0}} && gb + l_sjw >= l_awrap) ? {AW{1'b0}} :
                                 gb + l_sjw;
                        end else begin
                            q = q + 1'b1;
                        end
                        ab = gb;
                    end else begin
                        u = u + 8'd1;
                        ab = ab + l_jw[AW-1:0];
                    end
                    if (x >= l_in_w) begin  // the row's last word: the next row
                        row_end = 1'b1;
                        x = 16'd0;
                        if (!l_flat) begin
                            u = l_u0;
                            q = l_q0;
                            gb = l_g0;
                            ab = l_a0;
                            swb = {1'b0, swb} + {1'b0, l_wb} >= l_cap_wb ? {AW{1'b0}} : swb + l_wb;
                            if (l_kh < {4'd0, l_s} && {4'd0, ym} + 8'd1 >= l_kh) begin
                                ym = 4'd0;   // the next group: floor(Y / s) + 1
                                rb = modr_add(rb, l_owm);
                            end else if (ym + 4'd1 >= l_s) begin
                                ym = 4'd0;
                                rb = modr_add(rb, l_owm);
                            end else begin
                                ym = ym + 4'd1;
                            end
                        end
                    end
                end
            end
        end
    end

    wire [BB-1:0] rest = buf_w >> pos;
    wire unused_ld2a = &{1'b0, rest[BB-1:WBITS], sh[BB-1:WBITS]};
    always @(posedge clk) begin
        if (rst || start) begin
            pend <= {WBITS{1'b0}};
            plen <= {PW{1'b0}};
            x_r <= 16'd0;
            jc_r <= 16'd0;
            jcm_r <= {RA{1'b0}};
            u_r <= l_u0;
            q_r <= l_q0;
            gb_r <= l_g0;
            ab_r <= l_a0;
            swb_r <= {AW{1'b0}};
            rb_r <= l_rb0;
            ym_r <= l_ym0;
        end else if (beat) begin
            // what is left of the beat waits for the next one (nothing after a row's end)
            pend <= row_end ? {WBITS{1'b0}} : rest[WBITS-1:0];
            plen <= row_end ? {PW{1'b0}} : avail - pos;
            x_r <= x;
            jc_r <= jc;
            jcm_r <= jcm;
            u_r <= u;
            q_r <= q;
            gb_r <= gb;
            ab_r <= ab;
            swb_r <= swb;
            rb_r <= rb;
            ym_r <= ym;
        end
    end
endmodule
