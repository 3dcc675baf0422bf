// pk_win2 - the R window generators of the v2 core (ARCHITECTURE.md V2-3.1,
// V2-8, V2-11.1): for the current pixel tile and k-step, per array row the
// ring address of the word it reads and whether the position is inside the
// image, and the rotation c (row r reads bank (r + c) mod R).
//
// Windowed layout (V2-3.1), for row r (output pixel p = p0 + r, p0 = mt * R,
// so p mod R = r) at k-step (i, j'', jc):
//   bank = (r + floor(i / s) * out_w + floor(j'' / s') + jc) mod R
//   addr = slot * WB + floor((ox + floor(j'' / s')) / R) * s'Jw + (j'' mod s') * Jw + jc
//   slot = (oy * e - nneg + i) mod cap          (the fetch number of row y mod cap)
//   valid: 0 <= oy * s - pad + i < in_h, and the stored position X' = ox * s' + j''
//          holds a pixel of the image (fx pixels X' * fx .. + fx - 1 against
//          [pad_l, pad_l + in_w)); pad is the top pad, pad_l the left one (v1
//          word 13; s' = s_w / fx is the column stride's)
//   sub:   per sub-pixel u of an x-folded word (V2-4.2), 1 iff u < fx and its
//          kernel column j' = j'' * fx + u < kw: the sub-pixels past kw hold
//          image pixels that a 1-bit weight cannot cancel, so their slots
//          read as 0; smask[v] = sub[v / cp] for the SLOTS slots of a word
//          (cp = 2^l_cpl slots per sub-pixel; slots past fx * cp are 1:
//          the loader wrote zeros there).  Common to all rows: row r's slot
//          v is read iff valid[r] && smask[v].
// with e = min(kh, s) rows fetched per output row and nneg the (oy, i) pairs
// above the image (pad when kh >= s).  No multiplier or divider: every
// product is a register advanced by a constant the compiler computes (the
// l_* inputs, held for the layer), per pixel tile (R pixels: ox += R mod
// out_w, carry into oy) and per k-step (jc fastest, then j'', then i).
//
// Per row the state is: (G, Q) = divmod(ox, R) and G * s'Jw; xb = ox * s';
// yb = oy * s - pad; the slot of row yb as its WB multiple (slot * WB); for the current
// j'' the column group (G, Q advanced by floor(j'' / s')) and its s'Jw
// multiple; for the current i the slot * WB of row yb + i.
//
// Control (one at a time): `init` loads pixel tile 0 (rows 0 .. R-1 = pixels
// 0 .. R-1, through a chain of one-pixel steps), `next_tile` advances every
// row by R pixels, `next_k` advances the k-step (after the last one it wraps
// to the first: the next step of the same tile, or the first of the next
// tile after `next_tile`).  Both `init` and `next_tile` restart the k-step.
// Outputs are combinational from registers: the k-step of the cycle after a
// control pulse is the new one.
module pk_win2 #(
    parameter ROWS = 4,
    parameter AW = 16,      // ring word address bits
    parameter RA = 2,       // max(1, clog2(ROWS))
    parameter SLOTS = 16,   // slots per ring word the mask covers (the config's widest VP)
    // stored x positions (signed): X' < R * DA (a stored row fits the ring), out_w * s' + R * s'
    // and X' + kw' fit; clog2(R * DA) + 2 sizes it to the config (V2-11.6), 18 the 16-bit in_w
    parameter XW = 18
) (
    input  wire clk,
    input  wire rst,
    // layer constants (held by the controller for the layer)
    input  wire [15:0] l_in_h, l_in_w,
    input  wire [3:0] l_s, l_pad,    // row stride s, top pad
    input  wire [3:0] l_pad_l,       // left pad
    input  wire [3:0] l_sf,          // s' (<= 15: PK_PAR2_FIELDS' SF)
    input  wire [1:0] l_fxl,         // log2 fx
    input  wire [7:0] l_kh,
    input  wire [7:0] l_kwf,         // kw'
    input  wire [7:0] l_kw,          // kw
    input  wire [4:0] l_cpl,         // log2 cp: slots per folded sub-pixel (0 without fold)
    input  wire [AW:0] l_jc0, l_njc, // chunks of a k-step: jc0 .. jc0 + njc - 1 (<= Jw)
    input  wire [AW-1:0] l_jw,       // Jw (mod 2^AW: a (j'' mod s') * Jw step of a bank address)
    input  wire [AW-1:0] l_wb,       // WB, words per stored row per bank
    input  wire [AW:0] l_cap_wb,     // cap * WB
    input  wire [AW-1:0] l_sj,       // s' * Jw
    input  wire [RA-1:0] l_ow_q,     // out_w mod R
    input  wire [RA:0] l_rm_q,       // R mod out_w (<= R: R itself when out_w > R, RA + 1 bits)
    input  wire [AW-1:0] l_ow_gsj,   // (out_w div R) * s'Jw
    input  wire [XW-1:0] l_rm_x,     // (R mod out_w) * s'
    input  wire [XW-1:0] l_ow_x,     // out_w * s'
    input  wire [RA+3:0] l_rd_y,     // (R div out_w) * s (<= 15 R)
    // the slot of a row is kept as its WB multiple only (slot * WB mod cap * WB):
    input  wire [AW:0] l_rde_wb,     // ((R div out_w) * e mod cap) * WB
    input  wire [AW:0] l_em_wb,      // (e mod cap) * WB
    input  wire [AW:0] l_sb0_wb,     // ((-nneg) mod cap) * WB: output row 0's first row
    input  wire [RA-1:0] l_jc0m,     // jc0 mod R
    // (l_jc0, l_jc0m are read combinationally: a DW / pool layer's pk_core2 changes them
    // between n-tiles, V2-4.3, in the cycle after a step's last cycle)
    // control
    input  wire init,
    input  wire next_tile,
    input  wire next_k,
    // the current k-step
    output wire [RA-1:0] rot,
    output wire [ROWS*AW-1:0] addr,
    output wire [ROWS-1:0] valid,
    output wire [7:0] sub,           // sub-pixels of the k-step's folded column that are read
    output wire [SLOTS-1:0] smask,   // per slot: sub[v / cp]
    // per row (4 bits): the sub-pixels of the k-step's word that are read (u < nsub) and lie
    // inside the image, 0 for an invalid row: the taps whose products the model counts
    // (MACS; 1 or 0 without fold)
    output wire [ROWS*4-1:0] nsv,
    output wire last_c,              // the k-step's chunk is the last of its tap (jc = jc0 + njc - 1)
    output wire last_k               // the tile's last k-step
);
    localparam R = ROWS;
    localparam [RA:0] RR = R[RA:0];

    // ---- k-step counters, common to all rows ------------------------------------------
    reg [7:0] ki, kj;                // i, j''
    reg [AW-1:0] kjc;                // jc - jc0 (< Jw <= 2^AW: a pixel's words fit a bank)
    reg [3:0] ku;                    // j'' mod s'
    reg [AW-1:0] kuj;                // (j'' mod s') * Jw
    reg [3:0] kis;                   // i mod s
    reg [RA-1:0] kaow;               // floor(i / s) * out_w mod R
    reg [RA-1:0] kbm;                // floor(j'' / s') mod R
    reg [RA-1:0] kjcm;               // (jc - jc0) mod R

    wire last_jc = {1'b0, kjc} + 1'b1 >= l_njc;
    // last_j = (kj + 1 >= kw') is a register formed with kj (the test of the value kj takes;
    // V2-11.5 "Timing, step 18"): kw' is held from init on, and every change of kj reloads it
    reg last_j;
    wire lj_f0 = 16'd1 >= {8'd0, l_kwf};                // kj = 0
    wire lj_fi = {8'd0, kj} + 16'd2 >= {8'd0, l_kwf};   // kj + 1
    wire last_i = ki + 8'd1 >= l_kh;
    assign last_k = last_jc && last_j && last_i;
    assign last_c = last_jc;
    wire restart = init || next_tile;
    wire adv_j = next_k && last_jc;  // j'' advances (or wraps)
    wire adv_i = adv_j && last_j;
    wire ub_wrap = {1'b0, ku} + 5'd1 >= {1'b0, l_sf};

    /* verilator lint_off UNUSEDSIGNAL */    // (u's top bit is 0)
    function [RA-1:0] modr_inc(input [RA-1:0] v, input [RA-1:0] d);
        reg [RA:0] t, u;
        begin
            t = {1'b0, v} + {1'b0, d};
            u = t >= RR ? t - RR : t;
            modr_inc = u[RA-1:0];
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    always @(posedge clk) begin
        if (rst || restart || (next_k && last_k)) begin
            ki <= 8'd0;
            kj <= 8'd0;
            last_j <= lj_f0;
            kjc <= {AW{1'b0}};
            ku <= 4'd0;
            kuj <= {AW{1'b0}};
            kis <= 4'd0;
            kaow <= {RA{1'b0}};
            kbm <= {RA{1'b0}};
            kjcm <= {RA{1'b0}};
        end else if (next_k) begin
            kjc <= last_jc ? {AW{1'b0}} : kjc + 1'b1;
            kjcm <= last_jc ? {RA{1'b0}} : modr_inc(kjcm, 1);
            if (adv_j) begin
                kj <= last_j ? 8'd0 : kj + 8'd1;
                last_j <= last_j ? lj_f0 : lj_fi;
                ku <= last_j || ub_wrap ? 4'd0 : ku + 4'd1;
                kuj <= last_j || ub_wrap ? {AW{1'b0}} : kuj + l_jw;
                kbm <= last_j ? {RA{1'b0}} : ub_wrap ? modr_inc(kbm, 1) : kbm;
            end
            if (adv_i) begin
                ki <= ki + 8'd1;
                kis <= kis + 4'd1 >= l_s ? 4'd0 : kis + 4'd1;
                kaow <= kis + 4'd1 >= l_s ? modr_inc(kaow, l_ow_q) : kaow;
            end
        end
    end

    // the k-step's part of every row's address: (j'' mod s') * Jw + jc
    wire [AW:0] ka = {1'b0, kuj} + l_jc0 + {1'b0, kjc};

    // rotation: c = (floor(i / s) * out_w + floor(j'' / s') + jc) mod R
    assign rot = modr_inc(modr_inc(modr_inc(kaow, kbm), kjcm), l_jc0m);

    // sub-pixel and slot masks of the k-step (x-fold, V2-4.2): only the last
    // folded column j'' = kw' - 1 can reach past kw; it keeps its first
    // kw - (kw' - 1) * fx sub-pixels, every other column all fx.  A slot is
    // read iff its sub-pixel v / cp is kept, or it lies past fx * cp.
    // (fx9, nsl and the sums below that take only layer constants are registers formed from
    // the l_* inputs in every cycle, V2-11.5 "Timing, step 18": they are read only in k-steps,
    // which come after `init`'s cycle, and the l_* inputs are held from `init` on)
    wire [8:0] fx9_c = 9'd1 << l_fxl;
    wire [8:0] nsl_c = {1'b0, l_kw} - ({1'b0, l_kwf - 8'd1} << l_fxl);   // the last column's
    reg [8:0] fx9, nsl;
    always @(posedge clk) begin
        fx9 <= fx9_c;
        nsl <= nsl_c;
    end
    wire [8:0] nsub = last_j ? nsl : fx9;
    // km[u]: slot read if its sub-pixel is u (u < 8 of the 8 sub-pixel flags; a sub-pixel
    // of 8 or more is at least fx9 <= 8: read).  Slot v's sub-pixel v >> cp is a constant for
    // each l_cpl, so its mask is a select by l_cpl of km bits: no compare a slot (the two
    // 10-bit compares a slot were 160 CCU2C at ecp5.yaml, V2-11.5 "Scaling, step 10")
    reg [7:0] km;
    reg [SLOTS-1:0] sm;
    integer kf, kc, kv;
    always @* begin
        for (kv = 0; kv < 8; kv = kv + 1) begin
            km[kv] = 1'b0;
            for (kf = 0; kf < 4; kf = kf + 1)
                if ({30'd0, l_fxl} == kf)
                    km[kv] = kv >= (1 << kf);
            km[kv] = km[kv] || sub[kv];
        end
        for (kv = 0; kv < SLOTS; kv = kv + 1) begin
            sm[kv] = 1'b0;
            for (kc = 0; kc < 32; kc = kc + 1)
                if ({27'd0, l_cpl} == kc)
                    sm[kv] = (kv >> kc) >= 8 || km[(kv >> kc) % 8];
        end
    end
    assign smask = sm;
    wire [3:0] ns4 = nsub[8:3] != 6'd0 ? 4'd8 : {1'b0, nsub[2:0]};   // min(nsub, 8)
    genvar gu;
    generate
        for (gu = 0; gu < 8; gu = gu + 1) begin : g_sub
            assign sub[gu] = gu < ns4;
        end
    endgenerate

    // w >= cap * WB ? w - cap * WB : w (the low AW + 1 bits), as one subtraction whose
    // borrow is the compare
    function [AW:0] cap_sub(input [AW+1:0] w);
        reg [AW+2:0] d;
        begin
            d = {1'b0, w} - {2'b0, l_cap_wb};
            cap_sub = d[AW+2] ? w[AW:0] : d[AW:0];
        end
    endfunction

    // ---- per-row state ----------------------------------------------------------------
    // (the column group G = ox div R itself is not kept: only its s'Jw multiple GSJ is read)
    wire [31:0] sf32 = {28'd0, l_sf};
    wire signed [XW-1:0] sf_x = $signed(sf32[XW-1:0]);
    wire [31:0] inw32 = {16'd0, l_in_w};
    localparam XV = XW + 2;          // X' * fx
    // one-pixel step of a row's tile state (the init chain): the next pixel
    // in raster order
    localparam SW = RA + AW + XW + 18 + AW + 1;
    function [SW-1:0] px1(input [SW-1:0] v);
        reg [RA-1:0] q;
        reg [AW-1:0] gsj;
        reg signed [XW-1:0] xb;
        reg signed [17:0] yb;
        reg [AW:0] sbw;
        reg [AW+1:0] sbwn;
        begin
            {q, gsj, xb, yb, sbw} = v;
            if (xb + sf_x >= $signed(l_ow_x)) begin
                // the row wraps: ox = 0, oy + 1
                q = {RA{1'b0}};
                gsj = {AW{1'b0}};
                xb = {XW{1'b0}};
                yb = yb + $signed({14'd0, l_s});
                sbwn = {1'b0, sbw} + {1'b0, l_em_wb};
                sbw = cap_sub(sbwn);
            end else begin
                xb = xb + sf_x;
                if ({1'b0, q} + 1 >= RR) begin
                    q = {RA{1'b0}};
                    gsj = gsj + l_sj;
                end else begin
                    q = q + 1'b1;
                end
            end
            px1 = {q, gsj, xb, yb, sbw};
        end
    endfunction

    wire [SW-1:0] row0 = {{RA{1'b0}}, {AW{1'b0}}, {XW{1'b0}}, -$signed({14'd0, l_pad}), l_sb0_wb};

    genvar r;
    generate
        for (r = 0; r < R; r = r + 1) begin : g_row
            // this row's pixel in tile 0: row r - 1's next pixel
            wire [SW-1:0] st0;
            if (r == 0) begin : g_first
                assign st0 = row0;
            end else begin : g_next
                assign st0 = px1(g_row[r-1].st0);
            end

            reg [RA-1:0] Q;
            reg [AW-1:0] GSJ;
            reg signed [XW-1:0] XB;
            reg signed [17:0] YB;
            reg [AW:0] SBW;
            // k-step state of the row: column group of ox + floor(j'' / s'), slot * WB of row yb + i
            reg [RA-1:0] QB;
            reg [AW-1:0] GBSJ;
            reg [AW:0] SLW;
            // the k-step's stored position X' = XB + kj (XP), a register formed with XB and kj
            // (V2-11.5 "Timing, step 18")
            reg signed [XW-1:0] XP;

            // advance by R pixels: ox + (R mod out_w), wrap at out_w; oy + (R div out_w) (+1)
            wire signed [XW-1:0] xn = XB + $signed(l_rm_x);
            wire signed [XW:0] xd = {xn[XW-1], xn} - {l_ow_x[XW-1], l_ow_x};   // no overflow
            wire wrap = !xd[XW];                                             // xn >= out_w * s'
            wire [RA:0] qs = {1'b0, Q} + l_rm_q;
            wire qc = qs >= RR;
            wire [RA-1:0] q1 = qc ? qs[RA-1:0] - RR[RA-1:0] : qs[RA-1:0];
            wire [AW-1:0] gsj1 = GSJ + (qc ? l_sj : {AW{1'b0}});
            // subtract out_w = R * ow_g + ow_q when wrapping
            wire qb2 = {1'b0, q1} < {1'b0, l_ow_q};
            wire [RA-1:0] q2 = qb2 ? q1 + RR[RA-1:0] - l_ow_q : q1 - l_ow_q;
            wire [AW-1:0] gsj2 = gsj1 - l_ow_gsj - (qb2 ? l_sj : {AW{1'b0}});
            // slot * WB: + rde * WB (+ em * WB on a wrap) mod cap * WB
            wire [AW+1:0] w1 = {1'b0, SBW} + {1'b0, l_rde_wb};
            wire [AW:0] w1m = cap_sub(w1);
            wire [AW+1:0] w2 = {1'b0, w1m} + {1'b0, l_em_wb};
            wire [AW:0] w2m = cap_sub(w2);

            wire [RA-1:0] q_n = wrap ? q2 : q1;
            wire [AW-1:0] gsj_n = wrap ? gsj2 : gsj1;
            wire signed [XW-1:0] xb_n = wrap ? xd[XW-1:0] : xn;
            wire [RA+4:0] dy = {1'b0, l_rd_y} + (wrap ? {{(RA+1){1'b0}}, l_s} : {(RA+5){1'b0}});
            wire signed [17:0] yb_n = YB + $signed({{(13-RA){1'b0}}, dy});
            wire [AW:0] sbw_n = wrap ? w2m : w1m;

            // the tile state this cycle's restart loads
            wire [SW-1:0] ld = init ? st0 : {q_n, gsj_n, xb_n, yb_n, sbw_n};
            wire [RA-1:0] ld_q = ld[SW-1 -: RA];
            wire [AW-1:0] ld_gsj = ld[SW-1-RA -: AW];
            wire [AW:0] ld_sbw = ld[AW:0];
            wire signed [XW-1:0] ld_xb = ld[AW+19 +: XW];
            // X' of the next cycle: the loaded XB (restart), XB (kj back to 0) or X' + 1 (kj + 1)
            // (a register X' * fx as well, its candidates shifted before the late restart /
            // next_k selects, measured 15.8 units from a_done: Yosys moved the shift after them)
            wire xp_xb = rst || (next_k && (last_k || (adv_j && last_j)));
            always @(posedge clk)
                XP <= restart ? ld_xb : xp_xb ? XB : next_k && adv_j ? XP + 1'b1 : XP;

            always @(posedge clk) begin
                if (restart) begin
                    {Q, GSJ, XB, YB, SBW} <= ld;
                    QB <= ld_q;
                    GBSJ <= ld_gsj;
                    SLW <= ld_sbw;
                end else if (next_k) begin
                    if (adv_j) begin
                        if (last_j) begin
                            QB <= Q;
                            GBSJ <= GSJ;
                        end else if (ub_wrap) begin
                            if ({1'b0, QB} + 1 >= RR) begin
                                QB <= {RA{1'b0}};
                                GBSJ <= GBSJ + l_sj;
                            end else begin
                                QB <= QB + 1'b1;
                            end
                        end
                    end
                    if (adv_i) begin
                        if (last_i)
                            SLW <= SBW;
                        else
                            SLW <= cap_sub({1'b0, SLW} + {2'b0, l_wb});
                    end
                end
            end

            // address and validity of the current k-step
            wire [AW:0] a = SLW + {1'b0, GBSJ} + ka;
            assign addr[r*AW +: AW] = a[AW-1:0];
            wire signed [17:0] y = YB + $signed({10'd0, ki});
            wire signed [XV-1:0] x0 = $signed({{2{XP[XW-1]}}, XP}) <<< l_fxl;  // X' * fx
            wire signed [XV-1:0] x1 = x0 | $signed(fxm);                       // X' * fx + fx - 1
            assign valid[r] = !y[17] && y < $signed({2'b0, l_in_h}) &&            // 0 <= y < in_h
                              x1 >= $signed(pad_x) && x0 < $signed(v_h1);
            // sub-pixels [x0, x0 + nsub) against the image [pad_l, pad_l + in_w):
            // v_n = min(x0 + nsub, pad_l + in_w) - max(x0, pad_l), its four (mod 2^XV) cases
            // formed side by side and selected by the two compares: with x0 > pad_l the
            // differences are nsub and in_w, else x0 + (nsub - pad_l) and (pad_l + in_w) - x0
            // (the compare's x0 + nsub for both nsub, fx and the last column's, selected by
            // last_j after the compares; each case's test > 0 beside it, before the select)
            wire signed [XV-1:0] v_hf = x0 + $signed(fx_x);
            wire signed [XV-1:0] v_hl = x0 + $signed(nsl_x);
            wire v_c0 = last_j ? v_hl < $signed(v_h1) : v_hf < $signed(v_h1);  // min: x0 + nsub
            wire v_cl = x0 > $signed(pad_x);                  // max: x0
            wire [XV-1:0] d0 = v_cl ? nsub_x : x0 + nsmp_x;   // x0 + nsub - max(x0, pad_l)
            wire [XV-1:0] d1 = v_cl ? v_h1 - x0 : inw_x;      // pad_l + in_w - max(x0, pad_l)
            wire p0 = !d0[XV-1] && |d0;
            wire p1 = !d1[XV-1] && |d1;
            assign nsv[r*4 +: 4] = valid[r] && (v_c0 ? p0 : p1) ? (v_c0 ? d0[3:0] : d1[3:0]) : 4'd0;
            wire unused_row = &{1'b0, a[AW]};
        end
    endgenerate

    wire [31:0] pad32 = {28'd0, l_pad_l};
    wire [XV-1:0] pad_x = pad32[XV-1:0];
    wire [XV-1:0] inw_x = inw32[XV-1:0];         // in_w + pad_l < 2^(XW-1): X' of the image
    wire [31:0] nsub32 = {23'd0, nsub};
    // fx - 1 (x0's low l_fxl bits are 0: adding it carries nowhere)
    wire [XV-1:0] fxm = {{(XV-3){1'b0}}, 3'b111 >> (2'd3 - l_fxl)};
    wire [XV-1:0] nsub_x = nsub32[XV-1:0];
    wire [31:0] fx32 = {23'd0, fx9};
    wire [31:0] nsl32 = {23'd0, nsl};
    wire [XV-1:0] fx_x = fx32[XV-1:0];
    wire [XV-1:0] nsl_x = nsl32[XV-1:0];
    // pad_l + in_w; nsub - pad_l for both nsub (fx, the last column's), selected by last_j
    wire [31:0] fx32_c = {23'd0, fx9_c};
    wire [31:0] nsl32_c = {23'd0, nsl_c};
    reg [XV-1:0] v_h1, nsmp_f, nsmp_l;
    always @(posedge clk) begin
        v_h1 <= pad_x + inw_x;
        nsmp_f <= fx32_c[XV-1:0] - pad_x;
        nsmp_l <= nsl32_c[XV-1:0] - pad_x;
    end
    wire [XV-1:0] nsmp_x = last_j ? nsmp_l : nsmp_f;
    wire unused = &{1'b0, sf32, inw32, pad32, nsub32, fx32, nsl32, fx32_c, nsl32_c};
endmodule
