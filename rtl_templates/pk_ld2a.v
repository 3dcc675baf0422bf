// pk_ld2a - the loader's ring-word unpacker for input rows (ARCHITECTURE.md
// V2-3.1 "write side", V2-6.3, V2-11.1 pk_ld2): turns the read beats of A rows
// into ring words with their bank and address, for pk_ring2's write lanes.
//
// Built: windowed (x-fold fx >= 1), flat and global layouts.  A row is in_w pixels of
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
//   flat with a resident prefix (l_pre, V2-11.4 item 12): n the image's pixel p below NP = P *
//     in_w, else NP + (p - NP) mod S (a pass's first row restarts at NP; the wrap at NP + S,
//     inside a ring row when NP mod R != 0; core/pk_v2ringwr.c pk_v2_ring_prefix_pos)
//   global (V2-4.4): word w = n * Jw + jc of the layer's word stream (n the
//     pixel of the fetch stream, carried across rows and a pass's re-fetch),
//     bank = w mod R, addr = floor(w / R) mod DA (l_awrap = DA mod 2^AW; 0:
//     DA = 2^AW): a bank counter and an address counter
// Channel groups (V2-5 item 2, V2-11.4 item 11; l_jin != 0, windowed): a pixel is l_jin chunks,
// of which pass b (a pass's first row: pass0) keeps jlo <= jc < jlo + Jw, jlo = b * Jw, stored at
// the position's first word + jc - jlo (the bases sa_r / sg_r less jlo) in bank (rb + q + jc) mod
// R; a shorter last block's stored pixel has its Jin - jlo words only (none past the pixel).
// Windowed and flat as one position counter (q, u, g * s'Jw) advanced per
// stored position; no multiplier or divider at run time (l_* constants from
// core/pk_v2ldconst.c).
//
// x-fold (V2-4.2, fx = 2^l_fxlog > 1, Jw = 1): stored position X' holds pixels
// X' * fx + u - pad, u = 0 .. fx - 1, sub-pixel u in slots u * cp .. (cp =
// 2^l_cplog), channels past in_c and sub-pixels outside the row zero.  Each
// pixel is unpacked as a one-chunk pixel (its in_c codes widened to slots 0
// .. in_c - 1) and shifted to slot u * cp; the word (its group's pixels ORed,
// a group left open at a beat's end kept in a fold register) is emitted with
// the pixel that ends its group (u = fx - 1 or the row's last pixel), so in
// the beat of the group's last byte, as core/pk_v2ringwr.c; the position
// counter advances per word.  The row's
// first pixel is sub-pixel l_fu0 = pad mod fx.  With fold, one beat may
// complete more pixels than words: the lane chain runs NI = max(WL, FPX)
// pixel iterations and emits the words on lanes 0 .. n - 1.  FXL = 0 (no
// fold) or GLOB = 0 (no global pool) build none of it (l_fxlog / l_glob are
// then ignored).  A pixel's widened slots lie below cp * m <= WBITS / 2 (fx >=
// 2, fx * cp <= VP) and its sub-pixel's offset fu * cp * m is a multiple of m
// >= 2 (mode 1 never folds), so the shift takes the low WBITS / 2 bits and
// leaves the offset's bits below the narrowest enabled m out.
//
// Lean form (V2-11.5 "Lean control, step 7"): what the parameters fix is
// folded at elaboration, since the whole top is counted unflattened and no
// constant input of pk_ld2 reaches this module there.  RAW = 1 (pk_ld2's
// operand-B unpacker u_rb): flat, the (8, 8) mode, chunks of WBITS bits, no
// padding bits, the last chunk l_lnch whole bytes; the windowed inputs, the
// fold and the global counters are not built.  ROWS = 1: every bank is 0 (q,
// rb, jc mod R are not built).  MODES: a mode with a_bits = m is the identity
// wiring (no selection), and one widening without such a mode needs no
// selection at all.  Inputs wider than their pk_par2 field are read at the
// field's width (the rest are 0 for every layer pk_v2_rtl_supported accepts):
// l_jw AW + 1 bits, l_sp and l_u0 4 bits (u < s' <= s <= 15); the row's
// next windowed state (slot, y mod s, rb) is computed once a beat, as a beat
// ends at most one row; a full chunk's bits past cbits are not masked (no
// widening reads them), only the last chunk's past its codes.
//
// Input: `beat` with `beat_data` (PB bytes; bytes past the row's end in its
// last beat are ignored), only for A rows, in fetch order.  `start` loads the
// layer's first row state.  Per-pixel runs (l_prun, V2-11.4 item 17: a CONV's
// channel slice, each pixel fetched as a run of its own): a pixel's end ends
// the beat as a row's end does (no iteration after it, the buffer's unread
// bytes dropped), the row's pixel count and placement going on.
//
// Structure (table-free, byte-granular): the buffer is {beat_data, pend}
// (fixed wiring, NB = WBITS / 8 + PB bytes), pend the last WBITS / 8 bytes
// of the previous beat's buffer, of which the top plen are unread.  A word
// starts at a byte s of the buffer plus a bit offset boff (0 unless a mode's
// chunk cbits = VP * a_bits is not a multiple of 8: only 1-bit codes in
// 8-bit slots of 32-bit words); a pixel ends on a byte.  Each iteration
// takes WBITS bits from its start (a byte shifter of log2 NB steps, the
// largest first, each step keeping only the bytes the smaller ones can still
// reach; then the boff shift, built only if a mode needs it; iterations K0 ..
// none, below), masks the bits
// past the chunk's codes (the last chunk's mask once for all iterations) and
// widens them by a fixed wiring per (a_bits, m) pair the parameter MODES
// enables (bit 4 * log2 a_bits + log2 m; default all 16), selected by
// l_alog / l_mlog.  Iteration k's word goes to lane o_k, the words emitted
// before it (k without fold): lane j ORs the words of iterations k >= j
// whose o_k = j, a one-hot select (V2-11.5 "Scaling, step 1"); with fold
// only k = j or k >= 2j - 1 (after a group's emit the next group takes fx >=
// 2 pixels unless the row ends, which ends the beat's words).  With fold the
// lane's data is not one iteration's: lane j ORs the shifted pixels of every
// iteration k in its group (o_k = j; lane 0 also the fold register), each
// only in the bits pixel k can fill in lane j (pixel k is sub-pixel (fu_r +
// k) mod fx of lane (fu_r + k) div fx), and the register takes the open
// group's (V2-11.5 "Scaling, step 12"): no fold register is carried through
// the iterations.  Nothing is shifted by a variable amount when the beat is
// stored.
//
// Iterations in parallel (V2-11.5 "Timing, step 3"): iteration k's state is the one it
// has when 0 .. k - 1 were taken (the taken ones are a prefix, the state after the beat
// iteration m's): its chunk flags from registers, its byte position a prefix sum of the
// earlier advances, its placement one of the candidates after n advances formed from the
// registers; no iteration waits for the one before.
//
// Iterations K0 .. (V2-11.5 "Scaling, step 6"): a beat's words 1 .. k lie in
// its last 8 * PB - 1 bits (word 0 starts past WB8 - its bytes: the previous
// beat stopped at a word that did not fit, or a row's end, with at most WL
// words and NI pixels a beat as pk_ld2 feeds it), and at least k div 2 of
// them are full chunks when Jw >= 2 (no two last chunks are adjacent), so
// with the enabled modes' narrowest chunk, K0 is the first iteration only a
// layer of Jw = 1 reaches (ecp5.yaml's (4, 4), 64-bit words, PB 8: K0 = 2;
// every pair enabled: K0 = NI, none).  Its words are whole
// pixels of nby bytes (boff 0), word k at k * nby bytes past word 0, and
// nby <= px_bytes(k) = min(NB div (k + 1), (PB - 1) div k) ((k + 1) pixels
// fit the buffer, and word 0 starts past WB8 - nby).  It takes px_bytes(k) bytes
// of word 0's shifted buffer at one of those offsets (no shifter of its
// own).  An x-folded pixel (Jw = 1) widens at most px_bytes(k) bytes (k >= 1),
// so its fold shift takes only those bits.
module pk_ld2a #(
    parameter ROWS = 4,
    parameter RA = 2,            // max(1, clog2 ROWS)
    parameter WBITS = 64,        // ring word bits
    parameter AW = 10,           // ring bank address bits
    parameter PORT_BYTES = 8,    // PB
    parameter WL = 8,            // write lanes (most words one beat completes)
    parameter MODES = 16'hFFFF,  // (a_bits, m) pairs the config has: bit 4 * log2 a_bits + log2 m
    parameter FXL = 3,           // x-fold: largest log2 fx built (0: no fold; fx divides a
                                 // stride of at most 15, so 3 builds every fold)
    parameter FPX = WL,          // x-fold: most pixels one beat completes (pixel iterations)
    parameter GLOB = 1,          // global-pool layout built
    parameter RAW = 0            // 1: raw bytes, flat only (operand B): the (8, 8) mode, chunks of
                                 // WBITS bits, no padding bits; l_flat .. l_kh, l_fxlog .. l_glob,
                                 // l_alog, l_asigned, l_mlog, l_cbits, l_pskip are then ignored
) (
    input  wire clk,
    input  wire rst,
    input  wire start,
    // layer constants
    input  wire l_flat,
    input  wire [1:0] l_alog,            // log2 a_bits
    input  wire l_asigned,
    input  wire [1:0] l_mlog,            // log2 m
    input  wire [15:0] l_in_w,
    input  wire [15:0] l_jw,             // Jw <= 2^AW: bits AW + 1 .. are 0 (pk_par2's JW: AW + 1)
    input  wire [15:0] l_cbits,          // VP * a_bits: a full chunk's source bits
    input  wire [15:0] l_lbits,          // (in_c - (Jw - 1) VP) * a_bits: the last chunk's
    input  wire [15:0] l_lnch,           // in_c - (Jw - 1) VP: the last chunk's codes
    input  wire [15:0] l_pskip,          // PS * 8 - in_c * a_bits: a pixel's padding bits
    input  wire [7:0] l_sp,              // s' (windowed), 1 (flat): s' <= s <= 15, bits 4 .. are 0
    input  wire [AW-1:0] l_sjw,          // s' * Jw
    input  wire [7:0] l_u0,              // windowed: u (< s': bits 4 .. are 0), q, g * s'Jw of X' = pad
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
    input  wire [1:0] l_fxlog,           // x-fold: log2 fx (0: none)
    input  wire [2:0] l_cplog,           // x-fold: log2 cp (slots per sub-pixel)
    input  wire [2:0] l_fu0,             // x-fold: pad mod fx, the row's first sub-pixel
    input  wire l_glob,                  // global layout
    input  wire [15:0] l_jin,            // channel groups (V2-5 item 2): the pixel's chunks
                                         // ceil(in_c / VP) > Jw, of which pass b keeps chunks
                                         // b * Jw .. (b + 1) * Jw - 1; 0: none (Jw chunks, all
                                         // kept).  Bits AW + 1 .. are 0 (pk_par2's LD_JIN: AW + 1)
    input  wire l_prun,                  // each pixel is a run of its own (a CONV's channel slice,
                                         // CSL: V2-6.2, V2-11.4 item 17): its first byte is a
                                         // beat's first, its end ends the beat (the rest unused)
    input  wire l_pre,                   // flat WB with a resident prefix (V2-11.4 item 12): l_q0,
                                         // l_g0 a pass's first position NP = P * in_w (NP mod R,
                                         // floor(NP / R) * Jw), l_a0 the ring row the stream wraps
                                         // in (floor((NP + S) / R) * Jw), l_awrap past it
    // beats of A rows
    input  wire beat,
    input  wire pass0,                   // the beat's row is a pass's first (WB, V2-6.1): its
                                         // windowed row state is the layer's first (l_rb0, l_ym0)
    input  wire [8*PORT_BYTES-1:0] beat_data,
    // ring write lanes (pk_ring2)
    output reg  [WL-1:0] w_valid,
    output reg  [WL*RA-1:0] w_bank,
    output reg  [WL*AW-1:0] w_addr,
    output reg  [WL*WBITS-1:0] w_data
);
    localparam R = ROWS;
    localparam R1 = ROWS == 1;                      // one bank: every bank (q, rb, jc mod R) is 0
    localparam [RA:0] RR = R[RA:0];
    localparam [RA-1:0] RM1 = RR[RA-1:0] - 1'b1;
    localparam WB8 = WBITS / 8;                     // bytes of a word
    localparam NB = WB8 + PORT_BYTES;               // buffer bytes: pending + the beat
    localparam SW = $clog2(NB + 1) + 1;             // byte positions 0 .. NB (+ a carry)
    localparam SB = $clog2(NB);                     // a word's first byte: s < NB
    localparam NW = $clog2(WBITS + 16);             // bit counts up to WBITS + 15
    localparam HW = $clog2(WBITS);                  // x-fold: a sub-pixel's bit offset (< WBITS)
    localparam [SW-1:0] WB8S = WB8[SW-1:0];
    localparam [NW-1:0] WBN = WBITS[NW-1:0];
    localparam [15:0] MD = RAW != 0 ? 16'h8000 : MODES;  // the widenings built

    // a chunk not a multiple of 8 bits (cbits = WBITS * a_bits / m) in an enabled mode: words
    // can start inside a byte
    function boff_used(input [15:0] modes);
        integer al, ml;
        begin
            boff_used = 1'b0;
            for (al = 0; al < 4; al = al + 1)
                for (ml = 0; ml < 4; ml = ml + 1)
                    if (modes[4 * al + ml] && ((WBITS << al) >> ml) % 8 != 0)
                        boff_used = 1'b1;
        end
    endfunction
    // the enabled modes with a_bits != m (a == m needs no widening: slot e is code e) and
    // whether one has a_bits == m: one widening and no a == m mode needs no selection
    function one_mode(input [15:0] modes);
        integer p, n, id;
        begin
            n = 0;
            id = 0;
            for (p = 0; p < 16; p = p + 1)
                if (modes[p] && p / 4 != p % 4)
                    n = n + 1;
                else if (modes[p])
                    id = 1;
            one_mode = n == 1 && id == 0;
        end
    endfunction
    // the narrowest slot of an enabled mode: log2 min m (an x-fold shift is a multiple of m)
    function integer mlog_min(input [15:0] modes);
        integer p;
        begin
            mlog_min = 3;
            for (p = 15; p >= 0; p = p - 1)
                if (modes[p] && p % 4 < mlog_min)
                    mlog_min = p % 4;
        end
    endfunction
    // the narrowest full chunk of an enabled mode: cbits = WBITS * a_bits / m
    function integer cb_min(input [15:0] modes);
        integer p;
        begin
            cb_min = WBITS;
            for (p = 0; p < 16; p = p + 1)
                if (modes[p] && ((WBITS << (p / 4)) >> (p % 4)) < cb_min)
                    cb_min = (WBITS << (p / 4)) >> (p % 4);
        end
    endfunction
    // the most a widening multiplies a chunk's bits by: log2 max m / a_bits
    function integer exp_log(input [15:0] modes);
        integer p;
        begin
            exp_log = 0;
            for (p = 0; p < 16; p = p + 1)
                if (modes[p] && p % 4 - p / 4 > exp_log)
                    exp_log = p % 4 - p / 4;
        end
    endfunction
    // the first iteration that no layer of Jw >= 2 reaches (ni: none before ni): words 1 .. k
    // of a beat lie in its last 8 * PB - 1 bits (word 0 starts past WB8 - its bytes: the
    // previous beat stops at a word that does not fit, or a row's end, with at most WL words
    // and NI pixels a beat), of them at least k div 2 full chunks (no two last chunks are
    // adjacent when Jw >= 2), the others at least a bit
    function integer jw1_from(input integer cbm, input integer ni, input integer nbits);
        integer k;
        begin
            jw1_from = ni;
            for (k = ni - 1; k >= 1; k = k - 1)
                if (k / 2 * cbm + (k + 1) / 2 > nbits)
                    jw1_from = k;
        end
    endfunction
    // the most bytes a pixel of Jw = 1 taken by iteration k >= 1 has: (k + 1) pixels of nby
    // bytes from word 0 fit the NB bytes, and word 0 starts past WB8 - nby (as in jw1_from),
    // so k * nby < PORT_BYTES
    function integer px_bytes(input integer k);
        begin
            px_bytes = (WBITS / 8 + PORT_BYTES) / (k + 1);
            if (k > 0 && (PORT_BYTES - 1) / k < px_bytes)
                px_bytes = (PORT_BYTES - 1) / k;
        end
    endfunction
    localparam BOFF = boff_used(MD);
    localparam MLM = mlog_min(MD);
    localparam MLF = MLM > 0 ? MLM : 1;             // x-fold: m >= 2 (mode 1 never folds, V2-4.2)
    localparam [HW-1:0] FSHM = {HW{1'b1}} << MLF;  // the bits an x-fold shift can have
    localparam MD1 = one_mode(MD);
    localparam FX = FXL > 0 && RAW == 0;            // the fold path is built
    localparam GL = GLOB != 0 && RAW == 0;          // the global counters are built
    localparam NI = FX && FPX > WL ? FPX : WL;      // pixel iterations of a beat
    localparam OA = $clog2(WL + 1);                 // lanes used so far: 0 .. WL
    localparam [OA-1:0] WLO = WL[OA-1:0];
    localparam [2:0] FXM = (3'd1 << FXL) - 3'd1;    // the sub-pixel bits fold builds
    localparam K0 = jw1_from(cb_min(MD), NI, 8 * PORT_BYTES - 1);  // K0 ..: pixels of one word
    localparam EXL = exp_log(MD);

    // ---- the layer's constants (RAW: flat, (8, 8), whole words, no padding bits) -------------
    wire flat = RAW != 0 || l_flat;
    wire asg = RAW == 0 && l_asigned;
    wire [3:0] mode = RAW != 0 ? 4'd15 : {l_alog, l_mlog};
    wire [3:0] sp = RAW != 0 ? 4'd1 : l_sp[3:0];
    wire [3:0] u0 = l_u0[3:0];
    wire [3:0] dv0 = sp - 4'd1 - u0;                        // the row's first dv (below)
    wire [AW:0] jw = l_jw[AW:0];
    wire prun = RAW == 0 && l_prun;     // a pixel's end ends the beat (per-pixel runs)
    // WB with a resident prefix (V2-5 item 3, V2-11.4 item 12; flat, RAW 0): the placement is by
    // the image's pixel p: p below NP = P * in_w, else NP + (p - NP) mod S (S a multiple of R:
    // the bank stays (p + jc) mod R).  The layer starts at position 0; a pass's first row
    // (pass0, not the layer's first: newpp) restarts the position at NP (q l_q0, g l_g0); the
    // address wraps at l_awrap to pz_r (g0, + Jw when NP mod R != 0); and the positions of ring
    // row l_a0 at banks q >= NP mod R, past NP + S, are written at g0 (ring row floor(NP / R)):
    // the position counter stays in row l_a0 there, the word's address is moved (pw_r)
    wire pf = RAW == 0 && l_flat && l_pre;
    reg [AW-1:0] pz_r, pd_r;            // the wrap's target; l_a0 - l_g0 (S / R * Jw)
    reg pw_r;                           // the stream wraps inside a ring row (NP mod R != 0)
    // (the flat wrap is tested in AW + 1 bits: l_awrap 0 is 2^AW, which a plain flat layer
    // reaches by the address's own overflow to 0 but a prefix's wrap must go to pz_r)
    wire aw_on = l_awrap != {AW{1'b0}} || pf;
    wire [AW:0] awx = {l_awrap == {AW{1'b0}}, l_awrap};
    always @(posedge clk) begin
        pw_r <= pf && l_q0 != {RA{1'b0}};
        pz_r <= !pf ? {AW{1'b0}} : l_g0 + (l_q0 != {RA{1'b0}} ? jw[AW-1:0] : {AW{1'b0}});
        pd_r <= l_a0 - l_g0;
    end
    // channel groups: the pixel's chunks (the unpacker's chunk count, jn) are jin, not Jw
    wire cg = RAW == 0 && l_jin[AW:0] != {(AW+1){1'b0}};
    wire [AW:0] jn = cg ? l_jin[AW:0] : jw;
    wire [NW-1:0] cb = RAW != 0 ? WBN : l_cbits[NW-1:0];   // a full chunk's bits (<= WBITS)
    // the last chunk's code bits (RAW: whole bytes, l_lnch of them)
    wire [NW-1:0] lneed = RAW != 0 ? {l_lnch[NW-4:0], 3'b000} : l_lbits[NW-1:0];
    wire [NW-1:0] lb = lneed + (RAW != 0 ? {NW{1'b0}} : {{(NW-3){1'b0}}, l_pskip[2:0]});  // + padding

    // ---- state: pending bytes, the row's next word, the placement counters ------------------
    reg [WBITS-1:0] pend;
    // word 0's first byte in the buffer, s0_r = WB8 - plen for the plen unread bytes at the top
    // of pend, and room_r = NB - s0_r, the bytes from it (both formed a beat ahead)
    reg [SW-1:0] s0_r, room_r;
    reg [2:0] boff_r;                   // the next word's first bit in its byte
    // the row's pixel x, as the pixels after it: xl_r = in_w - 1 - x; a beat's iterations end
    // dx <= NI pixels, so they test xl_r == dx (xz) instead of adding a 16-bit counter
    reg [15:0] xl_r;
    reg [AW:0] jc_r;                    // jc < Jw <= 2^AW (a pixel's words fit a bank)
    reg [AW:0] dj_r;                    // Jw - 1 - jc: the pixel's words after jc
    reg [RA-1:0] jcm_r;                 // jc mod R
    // u < s' <= 15, kept as dv_r = s' - 1 - u (V2-11.5 "Timing, step 20"): the advances after
    // the next before u wraps, so the placement's wrap tests compare a register with constants
    reg [3:0] dv_r;
    reg [RA-1:0] q_r;
    reg [AW-1:0] gb_r;                  // g * s'Jw (flat: the row base)
    reg [AW-1:0] swb_r;                 // slot * WB
    // the address bases with the slot in them (V2-11.5 "Timing, step 13"): sa_r = slot * WB + g *
    // s'Jw + u * Jw (the stored position's first word), sg_r = slot * WB + g * s'Jw
    reg [AW-1:0] sa_r, sg_r;
    reg [RA-1:0] rb_r;
    reg [3:0] ym_r;
    reg [2:0] fu_r;                     // x-fold: the next pixel's sub-pixel
    reg [WBITS-1:0] facc_r;             // x-fold: the group's sub-pixels so far
    reg [RA-1:0] gq_r;                  // global: the next word's bank
    reg [AW-1:0] ga_r;                  // global: its address
    // channel groups (V2-5 item 2): pass b keeps the pixel's chunks [jlo, jhi) = [b * Jw, (b + 1)
    // * Jw) and stores chunk jc at its stored position's first word + jc - jlo, in bank (rb + q
    // + jc) mod R (the whole pass rotated by jlo mod R, as pk_core2's window reads it: jc0 mod R
    // of the n-tile's absolute chunk, its address block-local).  sa_r and sg_r hold the row's
    // bases less jlo; at a row's end sam_r and sgm_r take them less the next pass's jlo (jhi),
    // for the case that the next row is a pass's first (pass0: not known before its beat)
    localparam JB = AW + 2;
    reg [JB-1:0] jlo_r, jhi_r, jhi2_r;  // jlo, jlo + Jw, jlo + 2 Jw
    reg [AW-1:0] sam_r, sgm_r;
    reg np_r;                           // a row has ended (the layer's first row is pass 0's)
    reg p0s_r;                          // a beat of the current row was a pass's first row's

    function [RA-1:0] modr_add(input [RA-1:0] a, input [RA-1:0] b);
        reg [RA:0] t;
        begin
            t = {1'b0, a} + {1'b0, b};
            t = t >= RR ? t - RR : t;
            modr_add = t[RA-1:0];
        end
    endfunction

    // ---- widening: a fixed wiring per enabled (a_bits, m) pair --------------------------------
    // src: the chunk's codes at bit 0, bits past them already 0.  Slot e of m bits takes code e
    // of a bits: its low min(a, m) bits, then copies of the code's sign bit (a_signed) or 0.
    function [WBITS-1:0] widen(input [WBITS-1:0] src);
        integer p, b, a, m, e, i, idx;
        reg [WBITS-1:0] o;
        begin
            widen = src;            // a_bits == m
            for (p = 0; p < 16; p = p + 1)
                if (MD[p] && p / 4 != p % 4) begin
                    a = 1 << (p / 4);
                    m = 1 << (p % 4);
                    for (b = 0; b < WBITS; b = b + 1) begin
                        e = b / m;
                        i = b % m;
                        idx = e * a + (i < a ? i : a - 1);
                        o[b] = idx < WBITS && (i < a || asg) ? src[idx] : 1'b0;
                    end
                    if (MD1 || mode == p[3:0])
                        widen = o;
                end
        end
    endfunction

    // x-fold: the layer folds (fx > 1); a sub-pixel's bits are cp * m = 2^(cplog + mlog)
    // (V2-11.5 "Timing, step 16": the layer-constant values derived from l_fxlog, l_cplog,
    // l_mlog, l_lbits and l_pskip are registered every cycle, as pt_r: valid from the cycle
    // after `start`, before any beat it takes)
    reg fold;                                              // fx > 1
    reg [1:0] fxlg;                                        // log2 fx
    reg [2:0] fxm1;                                        // fx - 1
    reg [3:0] spl;                                         // log2 of a sub-pixel's bits
    reg [SW-1:0] nbl;                                      // a last chunk's bytes (lb / 8)
    reg [NI-1:0] jweq;                  // Jw == v + 1: a pixel started in the beat ends at v
    integer kj;
    wire glob = GL && l_glob;
    always @(posedge clk) begin
        for (kj = 0; kj < NI; kj = kj + 1)
            jweq[kj] <= jn == kj[AW:0] + 1'b1;
        fold <= FX && l_fxlog != 2'd0;
        fxlg <= FX ? l_fxlog : 2'd0;
        fxm1 <= ((3'd1 << l_fxlog) - 3'd1) & FXM;
        spl <= {1'b0, l_cplog} + {2'd0, l_mlog};
        nbl <= {{(SW-NW+3){1'b0}}, lb[NW-1:3]};
    end

    // ---- the next row's windowed state (once a beat: a beat ends at most one row) -------------
    wire [AW:0] swb_s = {1'b0, swb_r} + {1'b0, l_wb};
    wire [AW-1:0] swb_n = swb_s >= l_cap_wb ? {AW{1'b0}} : swb_s[AW-1:0];
    // (a pass's first row, WB: the layer's first row's y mod s and bank; the slot goes on)
    wire [RA-1:0] rb_c = pass0 && !R1 ? l_rb0 : rb_r;
    wire [3:0] ym_c = pass0 ? l_ym0 : ym_r;
    wire ynext = (l_kh < {4'd0, l_s} && {4'd0, ym_c} + 8'd1 >= l_kh) || ym_c + 4'd1 >= l_s;
    wire [3:0] ym_n = ynext ? 4'd0 : ym_c + 4'd1;           // the next group: floor(Y / s) + 1
    wire [RA-1:0] rb_n = R1 ? {RA{1'b0}} : ynext ? modr_add(rb_c, l_owm) : rb_c;
    // (channel groups: the first beat of pass b >= 1 takes the block b's bases and chunk range)
    wire newp = cg && pass0 && !p0s_r && np_r;
    wire newpp = pf && pass0 && !p0s_r && np_r;   // (a resident prefix: the pass restarts at NP)
    wire [JB-1:0] jlo_c = !cg ? {JB{1'b0}} : newp ? jhi_r : jlo_r;
    wire [JB-1:0] jhi_c = newp ? jhi2_r : jhi_r;
    wire [AW-1:0] sa_c = newpp ? l_g0 : newp ? sam_r : sa_r;
    wire [AW-1:0] sg_c = newpp ? l_g0 : newp ? sgm_r : sg_r;
    wire [AW-1:0] a0_lo = l_a0 - jlo_c[AW-1:0], g0_lo = l_g0 - jlo_c[AW-1:0];
    wire [AW-1:0] a0_hi = l_a0 - jhi_c[AW-1:0], g0_hi = l_g0 - jhi_c[AW-1:0];
    // iteration k's chunk is one the pass keeps (jlo <= jc < jhi), from the registers as the
    // chunk itself (no compare after the iterations' chain): kb[k] for chunk jc_r + k (no pixel
    // end before k), kc[c] for chunk c (after an end), selected in the chain as jck
    reg [NI-1:0] kb, kc, kp;
    reg [JB-1:0] jkb;
    integer kq;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        jkb = 0; kb = 0; kc = 0;
        for (kq = 0; kq < NI; kq = kq + 1) begin
            jkb = {1'b0, jc_r} + kq[JB-1:0];
            kb[kq] = !cg || (newp ? jkb >= jhi_r && jkb < jhi2_r : jkb >= jlo_r && jkb < jhi_r);
            kc[kq] = !cg || (newp ? kq[JB-1:0] >= jhi_r && kq[JB-1:0] < jhi2_r
                                  : kq[JB-1:0] >= jlo_r && kq[JB-1:0] < jhi_r);
        end
    end

    // ---- the lanes of this beat: NI iterations (chunks / pixels), each from the registers -----
    // Iteration k's state is the one it has when iterations 0 .. k - 1 were all taken (V2-11.5
    // "Timing, step 3"): the taken ones are a prefix 0 .. m - 1 (the old chain stopped at the
    // first that did not go), so the state after the beat is iteration m's.  No iteration's
    // state waits for an earlier one's position: its chunk flags (lastc, the row's last
    // pixel, the group's end) are bit logic over the registers' flags, its byte position a
    // prefix sum of the earlier iterations' advances, its placement counters (u, q, g * s'Jw,
    // the address; global: bank and address) one of the candidates after n = 0 .. NI
    // advances, formed from the registers alone.
    wire [8*NB-1:0] buf_w = {beat_data, pend};
    wire [8*NB+WBITS+7:0] bufx = {{(WBITS+8){1'b0}}, buf_w};
    localparam XB = $clog2(NI + 1);                 // pixels ended in a beat: 0 .. NI
    localparam [XB-1:0] X1 = 1;
    // a prefix of the iterations' byte advances (each at most WB8 + 2 bytes) and the room
    localparam PW = $clog2(NI * (WB8 + 3) + 2 * NB + 2) + 1;
    localparam [PW-1:0] PBP = PORT_BYTES[PW-1:0];
    reg [SW-1:0] s;
    reg [NW-1:0] need, tb;
    reg [WBITS+7:0] win;
    reg [8*NB+WBITS+7:0] bsh;           // the buffer from the word's first byte
    reg [8*NB+WBITS+7:0] rot;           // the buffer from word 0's first byte
    reg [WBITS-1:0] src, wd, facc;
    reg [HW-1:0] fsh;
    reg [NI:0] xz;                      // xl_r == d: the row's last pixel is the beat's d-th
    reg [NI-1:0] ez;                    // dj_r == t: iteration t ends the pixel (no end before)
    // iteration k (k = NI: after the last): its chunk's flags, state and byte position
    reg [NI-1:0] lc, xlk, emk, gnd, fitk, tk, ek;
    reg [NI:0] gcl;                     // a group closes at k or after it
    reg [NI:0] rek, gok;                // a row ended before k; iterations 0 .. k - 1 all go
    reg [(NI+1)*XB-1:0] dxk, nak;       // pixels ended / stored positions advanced before k
    reg [(NI+1)*OA-1:0] okk;            // words emitted before k (lane of k)
    reg [(NI+1)*3-1:0] fuk, bfk;        // x-fold sub-pixel; bit offset
    reg [(NI+1)*(AW+1)-1:0] jck, djk;   // chunk, Jw - 1 - chunk
    reg [(NI+1)*RA-1:0] jcmk;           // chunk mod R
    reg [NI*PW-1:0] ps;                 // Hillis-Steele: ps[k] = advances of 0 .. k
    reg [(NI+1)*PW-1:0] pk;             // advances of 0 .. k - 1
    reg [NI-1:0] ck;                    // k's word ends inside a byte it does not advance past
    reg [NI:0] pc;
    reg [NI*(NI+1)-1:0] pe;             // the ends among 0 .. k, one-hot (bit k (NI + 1) + p)
    // no bit offset (BOFF = 0): the bytes iterations 0 .. k advance when p of them are last
    // chunks, (k + 1 - p) cb / 8 + p lb / 8 (modulo 2^PW, as the prefix sum), a table of the
    // layer's constants registered once a cycle (valid from the cycle after `start`, before
    // any beat it takes: the l_* inputs hold from `start` on)
    reg [NI*(NI+1)*PW-1:0] pt, pt_r;
    // the placement after n advances (n = 0 .. NI) from the registers; global: after n words
    reg [(NI+1)*4-1:0] us;              // dv (s' - 1 - u) after n advances
    reg [(NI+1)*RA-1:0] qs, gqs;
    reg [(NI+1)*AW-1:0] gbs, gas;
    reg [3:0] cdv;
    reg [RA-1:0] q, cq, cgq;
    reg [AW-1:0] cgb, cga;
    reg [2:0] fu, boff;
    reg [XB-1:0] e;                     // the last pixel end before k
    reg lcv, kpv;
    reg [RA-1:0] jcv;
    integer kr;
    reg [XB-1:0] dx, na;
    reg [OA-1:0] o;
    reg [XB+3:0] fs, fq;                // fu_r + k, its lane
    reg seen, row_end;
    reg [NI:0] mk;                      // one-hot: m = k iterations taken
    reg [NI-1:0] snk;                   // a pixel ended before k
    reg [NI*XB-1:0] lek;                // the last pixel end before k (when snk)
    // the state after the beat (iteration m's)
    reg [AW:0] jc_m, dj_m;
    reg [RA-1:0] jcm_m, q_m, gq_m;
    reg [3:0] dv_m;
    reg [AW-1:0] gb_m, sa_m, sg_m, ga_m;
    reg [2:0] fu_m, bf_m;
    reg [XB-1:0] na_m;
    reg [15:0] xl_m;                    // xl_r - the pixels ended in the beat
    reg [XB-1:0] dx_m;
    reg [NI:0] dsel;                    // d pixels ended in the beat (one-hot)
    reg [SW-1:0] s0_m, room_m;
    reg row_end_m;
    reg drop_m;                         // the buffer's unread bytes are dropped: a row ended, or a
                                        // pixel with per-pixel runs
    // iteration k's word xk (with fold the pixel at its sub-pixel's slots), lane gk, bank bk and
    // address ak: the lanes select them after the iterations
    reg [NI*OA-1:0] gk;
    reg [NI*WBITS-1:0] xk;
    reg [NI*RA-1:0] bk;
    reg [NI*AW-1:0] ak;
    // the last chunk's code bits (the same for every iteration)
    reg [WBITS-1:0] lmask;
    integer k, i, j, n, d;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        n = 0; i = 0;
        pt = {(NI*(NI+1)*PW){1'b0}};
        for (k = 0; k < NI; k = k + 1)
            for (n = 0; n <= k + 1; n = n + 1)
                for (i = 0; i <= k; i = i + 1)
                    pt[(k*(NI+1)+n)*PW +: PW] = pt[(k*(NI+1)+n)*PW +: PW] +
                        {{(PW-NW+3){1'b0}}, i < n ? lb[NW-1:3] : cb[NW-1:3]};
    end
    always @(posedge clk)
        pt_r <= BOFF ? {(NI*(NI+1)*PW){1'b0}} : pt;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        lmask = 0;
        for (i = 0; i < WBITS; i = i + 1)
            lmask[i] = i < lneed;
    end
    // the placement candidates: n advances of the stored position (u, q, g * s'Jw, the
    // address) and n words of the global stream, from the registers alone and in parallel
    // (no advance waits for the one before): u wraps first at advance f (1 when u + 1 >= s',
    // else s' - u), then every s' advances; q steps at each wrap, g * s'Jw at a wrap with q
    // = R - 1, at most GM times (R wraps apart), as g + i * s'Jw until its first wrap at
    // l_awrap and from 0 after it (the constants zc); the address is ab + n * Jw before the
    // first u-wrap, after the last one lw the base g then + (n - lw) * Jw
    localparam GM = 1 + (NI - 1) / R;               // g advances in NI position advances
    reg [NI:0] fz, uw, spd;             // index j = 1 .. NI
    reg [NI-1:0] qz, gqz;               // (q + c) mod R == R - 1, c = 0 .. NI - 1
    reg [NI:0] gadv, gwa;               // advance j moves g; word j moves the global address
    reg [GM:0] wrb, wra;                // g + i * s'Jw (ga + i) wraps
    reg [(GM+1)*AW-1:0] gbc, gac, zc, zg, sjm, gbi, gai;
    reg [AW:0] gbx, gbx0;               // g + i * s'Jw in AW + 1 bits (the wrap test)
    // (a pass's first beat with a resident prefix, newpp: the candidates from l_g0 are layer
    // constants, registered every cycle as the tables; newpp and newp select after the sums)
    reg [(GM+1)*AW-1:0] g0j, g0j_r;     // l_g0 + i * s'Jw
    reg [GM:0] wg0, wg0_r;              // it wraps
    // (V2-11.5 "Timing, step 20": the constants the candidates read, registered every cycle as
    // ta_r, tg_r and tz_r: not formed from l_sjw / l_awrap in the beat's cycle)
    reg [(GM+1)*AW-1:0] zc_r, zg_r, sjm_r;
    reg [(NI+1)*AW-1:0] jwm;            // i * Jw
    integer cw, gi, lw, wi, tr;        // wraps, g advances, words moving ga, the last wrap
    reg fw;
    // the addresses as sums of a register and a registered table of layer constants (V2-11.5
    // "Timing, step 13"): slot * WB + the address after n advances is sa_r + n Jw before the
    // first u-wrap, then sg_r + (i s'Jw + j Jw) (g advanced i times, j = n - the last wrap) or,
    // after g's first wrap at l_awrap, slot * WB + (wrap^x(0) + j Jw); a table is registered
    // every cycle, as pt_r; then + c, a chunk offset c = 1 .. NI - 1 - n
    localparam NC = NI;
    reg [(NI+1)*AW-1:0] ta, ta_r, sas, g0a, g0a_r;      // n
    reg [(GM+1)*NI*AW-1:0] tg, tg_r, sgs, g0g, g0g_r;   // (i, j): i NI + j
    reg [GM*NI*AW-1:0] tz, tz_r, szs;                   // (x, j): x NI + j
    reg [(NI+1)*AW-1:0] vg;             // slot * WB + g * s'Jw after n advances
    reg [(NI+1)*NC*AW-1:0] vc;          // slot * WB + the address after n advances + c: n NC + c
    reg [AW-1:0] va;
    integer c, lv, i2, x;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        jwm = 0; i = 0; sjm = 0; cgb = 0; cga = 0; x = 0; g0a = 0; sas = 0; g0g = 0; sgs = 0;
        szs = 0; tr = 0; qz = 0; gqz = 0; gbx0 = 0; g0j = 0; wg0 = 0; gbx = 0; gbi = 0; gai = 0;
        wrb = 0; wra = 0; gbc = 0; gac = 0; fw = 0; us = 0; qs = 0; gqs = 0; gbs = 0; gas = 0;
        lv = 0; i2 = 0; c = 0;
        // constants: multiples of Jw and s'Jw (shifts and at most a few adders each), the
        // address sequences from 0 after a wrap
        for (n = 0; n <= NI; n = n + 1) begin
            jwm[n*AW +: AW] = {AW{1'b0}};
            for (i = 0; i < 5; i = i + 1)
                if ((n >> i) % 2 == 1)
                    jwm[n*AW +: AW] = jwm[n*AW +: AW] + (jw[AW-1:0] << i);
        end
        for (n = 0; n <= GM; n = n + 1) begin
            sjm[n*AW +: AW] = {AW{1'b0}};
            for (i = 0; i < 5; i = i + 1)
                if ((n >> i) % 2 == 1)
                    sjm[n*AW +: AW] = sjm[n*AW +: AW] + (l_sjw << i);
        end
        zc[AW-1:0] = pz_r;
        zg[AW-1:0] = {AW{1'b0}};
        for (n = 1; n <= GM; n = n + 1) begin
            cgb = zc[(n-1)*AW +: AW];
            zc[n*AW +: AW] = aw_on && {1'b0, cgb} + {1'b0, l_sjw} >= awx ? pz_r : cgb + l_sjw;
            cga = zg[(n-1)*AW +: AW];
            zg[n*AW +: AW] = l_awrap != {AW{1'b0}} && cga + 1'b1 >= l_awrap ? {AW{1'b0}} : cga + 1'b1;
        end
        ta = RAW != 0 ? {((NI+1)*AW){1'b0}} : jwm;
        tg = {((GM+1)*NI*AW){1'b0}};
        tz = {(GM*NI*AW){1'b0}};
        for (j = 0; j < NI; j = j + 1)
            if (RAW == 0 || j == 0) begin
                for (i = 0; i <= GM; i = i + 1)
                    tg[(i*NI+j)*AW +: AW] = sjm[i*AW +: AW] + jwm[j*AW +: AW];
                for (x = 0; x < GM; x = x + 1)
                    tz[(x*NI+j)*AW +: AW] = zc[x*AW +: AW] + jwm[j*AW +: AW];
            end
        // the sums, from the registers
        for (n = 0; n <= NI; n = n + 1) begin
            g0a[n*AW +: AW] = l_g0 + ta[n*AW +: AW];
            sas[n*AW +: AW] = newpp ? g0a_r[n*AW +: AW] :
                              newp ? sam_r + ta_r[n*AW +: AW] : sa_r + ta_r[n*AW +: AW];
        end
        for (n = 0; n < (GM+1)*NI; n = n + 1) begin
            g0g[n*AW +: AW] = l_g0 + tg[n*AW +: AW];
            sgs[n*AW +: AW] = newpp ? g0g_r[n*AW +: AW] :
                              newp ? sgm_r + tg_r[n*AW +: AW] : sg_r + tg_r[n*AW +: AW];
        end
        for (n = 0; n < GM*NI; n = n + 1)
            szs[n*AW +: AW] = swb_r + tz_r[n*AW +: AW];
        vc = {((NI+1)*NC*AW){1'b0}};
        vg = {((NI+1)*AW){1'b0}};
        va = {AW{1'b0}};
        cdv = RAW != 0 ? 4'd0 : dv_r;
        cq = R1 ? {RA{1'b0}} : newpp ? l_q0 : q_r;
        cgq = GL && !R1 ? gq_r : {RA{1'b0}};
        // s' divides v (s' <= 1: every advance wraps)
        spd = {(NI+1){1'b0}};
        for (n = 1; n <= NI; n = n + 1) begin
            spd[n] = sp <= 4'd1;
            for (i = 2; i <= n; i = i + 1)
                if (n % i == 0 && sp == i[3:0])
                    spd[n] = 1'b1;
        end
        fz = {(NI+1){1'b0}};
        // (u + 1 >= s' and u + n == s', as dv = s' - 1 - u: u < s' holds from `start` on)
        fz[1] = cdv == 4'd0;
        for (n = 2; n <= NI; n = n + 1)
            fz[n] = {1'b0, cdv} == n[4:0] - 5'd1;
        uw = {(NI+1){1'b0}};
        for (n = 1; n <= NI; n = n + 1)
            for (i = 1; i <= n; i = i + 1)
                if (fz[i] && (i == n || spd[n - i]))
                    uw[n] = 1'b1;
        for (n = 0; n < NI; n = n + 1) begin
            tr = n % R;
            qz[n] = R1 || modr_add(cq, tr[RA-1:0]) == RM1;
            gqz[n] = R1 || modr_add(cgq, tr[RA-1:0]) == RM1;
        end
        // g + i * s'Jw and ga + i, and where they first wrap
        for (n = 0; n <= GM; n = n + 1) begin
            gbx0 = {1'b0, l_g0} + {1'b0, sjm[n*AW +: AW]};
            g0j[n*AW +: AW] = gbx0[AW-1:0];
            wg0[n] = n != 0 && aw_on && gbx0 >= awx;
            gbx = {1'b0, gb_r} + {1'b0, sjm_r[n*AW +: AW]};
            gbi[n*AW +: AW] = newpp ? g0j_r[n*AW +: AW] : gbx[AW-1:0];
            gai[n*AW +: AW] = ga_r + n[AW-1:0];
            wrb[n] = newpp ? wg0_r[n] : n != 0 && aw_on && gbx >= awx;
            wra[n] = n != 0 && l_awrap != {AW{1'b0}} && gai[n*AW +: AW] >= l_awrap;
        end
        for (n = 0; n <= GM; n = n + 1) begin
            gbc[n*AW +: AW] = gbi[n*AW +: AW];
            gac[n*AW +: AW] = gai[n*AW +: AW];
            fw = 1'b0;
            for (i = 1; i <= n; i = i + 1)
                if (wrb[i] && !fw) begin
                    fw = 1'b1;
                    gbc[n*AW +: AW] = zc_r[(n-i)*AW +: AW];
                end
            fw = 1'b0;
            for (i = 1; i <= n; i = i + 1)
                if (wra[i] && !fw) begin
                    fw = 1'b1;
                    gac[n*AW +: AW] = zg_r[(n-i)*AW +: AW];
                end
        end
        // after n advances (words): wraps cw, g advances gi (words: wi), the last wrap lw
        cw = 0;
        gi = 0;
        wi = 0;
        lw = 0;
        gadv = {(NI+1){1'b0}};
        gwa = {(NI+1){1'b0}};
        for (n = 0; n <= NI; n = n + 1) begin
            if (n != 0) begin
                gadv[n] = uw[n] && qz[cw];
                gwa[n] = gqz[n-1];
                if (gadv[n])
                    gi = gi + 1;
                if (gwa[n])
                    wi = wi + 1;
                if (uw[n]) begin
                    cw = cw + 1;
                    lw = n;
                end
            end
            tr = n - lw;
            // (dv: u + n is dv - n, and n - lw is s' - 1 - (n - lw))
            us[n*4 +: 4] = RAW != 0 ? 4'd0 : lw == 0 ? cdv - n[3:0] : sp - 4'd1 - tr[3:0];
            qs[n*RA +: RA] = {RA{1'b0}};
            gqs[n*RA +: RA] = {RA{1'b0}};
            for (i = 0; i <= n; i = i + 1) begin
                tr = i % R;
                if (cw == i && !R1)
                    qs[n*RA +: RA] = modr_add(cq, tr[RA-1:0]);
            end
            tr = n % R;
            gqs[n*RA +: RA] = GL && !R1 ? modr_add(cgq, tr[RA-1:0]) : {RA{1'b0}};
            gbs[n*AW +: AW] = gbc[0 +: AW];
            gas[n*AW +: AW] = GL ? gac[0 +: AW] : {AW{1'b0}};
            for (i = 1; i <= GM; i = i + 1) begin
                if (gi == i)
                    gbs[n*AW +: AW] = gbc[i*AW +: AW];
                if (wi == i && GL)
                    gas[n*AW +: AW] = gac[i*AW +: AW];
            end
            // slot * WB + the address after n advances (ab + n * Jw before the first u-wrap,
            // else gbs + (n - lw) * Jw; RAW gbs): the sums selected by the same wraps and g
            // advances as gbs; then + c
            for (lv = 0; lv <= n; lv = lv + 1)
                if (lv == 0 || (RAW == 0 && lw == lv)) begin
                    // (lv = 0: slot * WB + gbs[n], RAW's address; else after the last wrap lv)
                    j = lv == 0 ? 0 : n - lv;
                    va = sgs[j*AW +: AW];
                    for (i = 1; i <= GM; i = i + 1)
                        if (gi == i) begin
                            va = sgs[(i*NI+j)*AW +: AW];
                            fw = 1'b0;
                            for (i2 = 1; i2 <= i; i2 = i2 + 1)
                                if (wrb[i2] && !fw) begin
                                    fw = 1'b1;
                                    va = szs[((i-i2)*NI+j)*AW +: AW];
                                end
                        end
                    if (lv == 0)
                        vg[n*AW +: AW] = va;
                    if (RAW != 0 || lv != 0)
                        vc[n*NC*AW +: AW] = va;
                end
            if (RAW == 0 && lw == 0)
                vc[n*NC*AW +: AW] = sas[n*AW +: AW];
            for (c = 1; c < NC; c = c + 1)
                if (n + c < NI)
                    vc[(n*NC+c)*AW +: AW] = vc[n*NC*AW +: AW] + c[AW-1:0];
        end
    end
    always @(posedge clk) begin
        ta_r <= ta;
        g0a_r <= g0a;
        g0g_r <= g0g;
        g0j_r <= g0j;
        wg0_r <= wg0;
        sjm_r <= sjm;
        zc_r <= zc;
        zg_r <= zg;
        tg_r <= tg;
        tz_r <= tz;
    end
    // the iterations' flags, chunks and byte positions
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        xz = 0; ez = 0; fs = 0; fq = 0; lcv = 0; jcv = 0; kpv = 0; n = 0; kr = 0; kp = 0; pe = 0;
        d = 0; pk = 0;
        for (k = 0; k <= NI; k = k + 1)
            xz[k] = xl_r == k[15:0];
        for (k = 0; k < NI; k = k + 1) begin
            ez[k] = dj_r == k[AW:0];
        end
        // iteration k's chunk: jc_r + k before the beat's first pixel end, else k - 1 - e
        // after the last end e before k (a constant); its lastc from the flags alone
        seen = 1'b0;
        e = {XB{1'b0}};
        dx = {XB{1'b0}};
        na = {XB{1'b0}};
        o = {OA{1'b0}};
        fu = FX ? fu_r : 3'd0;
        boff = BOFF ? boff_r : 3'd0;
        row_end = 1'b0;
        lc = {NI{1'b0}};
        snk = {NI{1'b0}};
        lek = {(NI*XB){1'b0}};
        xlk = {NI{1'b0}};
        emk = {NI{1'b0}};
        gnd = {NI{1'b0}};
        ck = {NI{1'b0}};
        rek = {(NI+1){1'b0}};
        dxk = {((NI+1)*XB){1'b0}};
        nak = {((NI+1)*XB){1'b0}};
        okk = {((NI+1)*OA){1'b0}};
        fuk = {((NI+1)*3){1'b0}};
        bfk = {((NI+1)*3){1'b0}};
        jck = {((NI+1)*(AW+1)){1'b0}};
        djk = {((NI+1)*(AW+1)){1'b0}};
        jcmk = {((NI+1)*RA){1'b0}};
        ps = {(NI*PW){1'b0}};
        tb = {NW{1'b0}};
        for (k = 0; k <= NI; k = k + 1) begin
            // the state before iteration k
            rek[k] = row_end;
            if (k < NI) begin
                snk[k] = seen;
                lek[k*XB +: XB] = e;
            end
            dxk[k*XB +: XB] = dx;
            nak[k*XB +: XB] = na;
            // (V2-11.5 "Timing, step 16": the lane and sub-pixel from the registers, not a chain:
            // with fold every iteration is a pixel, sub-pixel (fu_r + k) mod fx of lane (fu_r +
            // k) div fx up to the row's last pixel, which ends the beat's words; without fold
            // lane k, sub-pixel fu_r)
            fs = {{(XB+1){1'b0}}, fu} + k[XB+3:0];
            fq = fs >> fxlg;
            o = fold ? fq[OA-1:0] : k[OA-1:0];
            okk[k*OA +: OA] = o;
            fuk[k*3 +: 3] = fold ? fs[2:0] & fxm1 : fu;
            bfk[k*3 +: 3] = boff;
            // (after the end e: chunk k - 1 - e, the last when Jw = k - e; constants per e)
            lcv = 1'b0;
            jcv = {RA{1'b0}};
            kpv = 1'b0;
            for (n = 0; n < k; n = n + 1)
                if (e == n[XB-1:0]) begin
                    lcv = jweq[k - 1 - n];
                    kpv = kc[k - 1 - n];
                    kr = (k - 1 - n) % R;
                    jcv = kr[RA-1:0];
                end
            kr = k % R;
            if (k < NI)
                kp[k] = !seen ? kb[k] : kpv;
            if (!seen) begin
                jck[k*(AW+1) +: AW+1] = jc_r + k[AW:0];
                djk[k*(AW+1) +: AW+1] = dj_r - k[AW:0];
                jcmk[k*RA +: RA] = R1 ? {RA{1'b0}} : modr_add(jcm_r, kr[RA-1:0]);
            end else begin
                jck[k*(AW+1) +: AW+1] = k[AW:0] - {{(AW+1-XB){1'b0}}, e} - 1'b1;
                djk[k*(AW+1) +: AW+1] = jn - k[AW:0] + {{(AW+1-XB){1'b0}}, e};
                jcmk[k*RA +: RA] = R1 ? {RA{1'b0}} : jcv;
            end
            if (k < NI) begin
                lc[k] = !seen ? ez[k] : lcv;
                // bits from the word's first byte to its end (the last chunk: to the pixel's end)
                tb = {{(NW-3){1'b0}}, boff} + (lc[k] ? lb : cb);
                ps[k*PW +: PW] = {{(PW-NW+3){1'b0}}, tb[NW-1:3]};
                ck[k] = !lc[k] && tb[2:0] != 3'd0;
                xlk[k] = xz[dx];
                gnd[k] = fuk[k*3 +: 3] == fxm1 || xlk[k];
                emk[k] = !fold || gnd[k];
                boff = lc[k] || !BOFF ? 3'd0 : tb[2:0];
                if (lc[k]) begin
                    seen = 1'b1;
                    e = k[XB-1:0];
                    dx = dx + X1;
                    if (emk[k])
                        na = na + X1;
                    if (xlk[k])
                        row_end = 1'b1;
                end
            end
        end
        // the ends among iterations 0 .. k, one-hot (pe[k]: bit p for p ends)
        pc = {{NI{1'b0}}, 1'b1};
        for (k = 0; k < NI; k = k + 1) begin
            if (lc[k])
                pc = {pc[NI-1:0], 1'b0};
            pe[k*(NI+1) +: NI+1] = pc;
        end
        if (BOFF) begin
            // the byte advances' prefix sums (Hillis-Steele: clog2(NI) adders deep)
            for (d = 1; d < NI; d = d * 2)
                for (k = NI - 1; k >= d; k = k - 1)
                    ps[k*PW +: PW] = ps[k*PW +: PW] + ps[(k-d)*PW +: PW];
            pk = {ps, {PW{1'b0}}};
        end else begin
            // (no bit offset: iterations 0 .. k advance pt_r[k][p] bytes, p of them last
            // chunks; V2-11.5 "Timing, step 10")
            pk = {((NI+1)*PW){1'b0}};
            for (k = 0; k < NI; k = k + 1)
                for (n = 0; n <= k + 1; n = n + 1)
                    pk[(k+1)*PW +: PW] = pk[(k+1)*PW +: PW] |
                                         ({PW{pe[k*(NI+1) + n]}} & pt_r[(k*(NI+1)+n)*PW +: PW]);
        end
    end
    // which iterations go: every one before went, no row ended before, the word fits the
    // buffer (k's end pk[k + 1] + ck, past word 0's start s0_r, within NB: room_r = NB - s0_r)
    // and a lane is left
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        fitk = 0; n = 0; mk = 0;
        gok[0] = beat;
        for (k = 0; k < NI; k = k + 1) begin
            if (BOFF)
                fitk[k] = ck[k] ? pk[(k+1)*PW +: PW] < {{(PW-SW){1'b0}}, room_r} :
                                  pk[(k+1)*PW +: PW] <= {{(PW-SW){1'b0}}, room_r};
            else begin
                // (no bit offset: the compares of the table's sums with room_r, from the
                // registers, selected by the ends)
                fitk[k] = 1'b0;
                for (n = 0; n <= k + 1; n = n + 1)
                    fitk[k] = fitk[k] | (pe[k*(NI+1) + n] &&
                        (ck[k] ? pt_r[(k*(NI+1)+n)*PW +: PW] < {{(PW-SW){1'b0}}, room_r} :
                                 pt_r[(k*(NI+1)+n)*PW +: PW] <= {{(PW-SW){1'b0}}, room_r}));
            end
            // (per-pixel runs: nothing after a pixel's end either)
            gok[k+1] = gok[k] && !rek[k] && !(prun && snk[k]) && fitk[k] && okk[k*OA +: OA] != WLO;
        end
        tk = gok[NI:1];
        ek = tk & emk;
        // a group closes at k or after it (in the beat)
        gcl[NI] = 1'b0;
        for (k = NI - 1; k >= 0; k = k - 1)
            gcl[k] = gcl[k+1] | ek[k];
        // (m = 0 also without a beat: nothing is stored then)
        for (k = 0; k < NI; k = k + 1)
            mk[k] = (k == 0 || gok[k]) && !gok[k+1];
        mk[NI] = gok[NI];
    end
    // the words, banks and addresses of the iterations
    reg [AW-1:0] aw, ab0, jcr;
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        n = 0;
        win = {(WBITS+8){1'b0}};
        bsh = {(8*NB+WBITS+8){1'b0}};
        rot = {(8*NB+WBITS+8){1'b0}};
        need = {NW{1'b0}};
        src = {WBITS{1'b0}};
        wd = {WBITS{1'b0}};
        fsh = {HW{1'b0}};
        s = s0_r;
        gk = {(NI*OA){1'b0}};
        xk = {(NI*WBITS){1'b0}};
        bk = {(NI*RA){1'b0}};
        ak = {(NI*AW){1'b0}};
        q = {RA{1'b0}};
        aw = {AW{1'b0}};
        ab0 = RAW != 0 ? sg_c : sa_c;
        // (sa_c's three bases each + jc_r, then newpp / newp)
        jcr = RAW != 0 ? sg_c + jc_r[AW-1:0] : newpp ? l_g0 + jc_r[AW-1:0] :
              newp ? sam_r + jc_r[AW-1:0] : sa_r + jc_r[AW-1:0];
        // word 0's shifted buffer (s = s0: word 0 starts in pend, s <= WB8)
        // (a log shifter from its largest step: each step keeps only the bytes the smaller
        // steps can still reach)
        rot = bufx;
        for (i = SB - 1; i >= 0; i = i - 1)
            if (s[i])
                rot = rot >> (8 << i);
        for (k = 0; k < NI; k = k + 1) begin
            if (k < K0) begin
                // iteration k's word starts pk[k] bytes past word 0's (s0 + pk[k] < NB when k
                // goes): one byte shifter of rot an iteration (bytes past the buffer are 0)
                bsh = rot;
                for (i = SB - 1; i >= 0; i = i - 1)
                    if (pk[k*PW + i])
                        bsh = bsh >> (8 << i);
                if (k == 0 && s > WB8S)
                    bsh = {(8*NB+WBITS+8){1'b0}};
                win = bsh[WBITS+7:0];
                win = win >> bfk[k*3 +: 3];
            end else begin
                // a pixel of one word (Jw = 1: no layer of Jw >= 2 reaches iteration K0), as
                // all the words before it: it starts k * nby bytes past word 0 (boff 0), and nby
                // <= px_bytes(k); its bits past 8 * nby are the last chunk's mask's
                win = {(WBITS+8){1'b0}};
                for (n = 1; n <= NB; n = n + 1)
                    if (n <= px_bytes(k) && nbl == n[SW-1:0])
                        // (index 0 where n is past px_bytes(k): never taken, and no select
                        // past rot for synthesis to warn about)
                        win = rot[(n <= px_bytes(k) ? 8*k*n : 0) +: WBITS+8];
                for (i = 0; i < WBITS + 8; i = i + 1)
                    if (i >= 8 * px_bytes(k))
                        win[i] = 1'b0;
            end
            src = win[WBITS-1:0];
            // the last chunk's bits past its codes are 0; a full chunk's bits past cb are the
            // next chunk's, which no widening reads (slot e < VP takes code e)
            need = lneed;
            // (iterations K0 ..: Jw = 1, every word a last chunk with jc = 0)
            src = src & (lc[k] || k >= K0 ? lmask : {WBITS{1'b1}});
            wd = widen(src);
            if (fold) begin
                // x-fold: the pixel at sub-pixel fu; its slots are below cp * m <= WBITS / 2 (fx
                // >= 2, fx * cp <= VP), at fu * cp * m < WBITS, a multiple of m
                fsh = ({{(HW-3){1'b0}}, fuk[k*3 +: 3]} << spl) & FSHM;
                // a pixel of Jw = 1: its codes below 8 * px_bytes(k) bits, widened at most
                // 2^EXL times
                for (i = 0; i < WBITS; i = i + 1)
                    if (i >= (8 * px_bytes(k) << EXL))
                        wd[i] = 1'b0;
                wd = {{(WBITS-WBITS/2){1'b0}}, wd[WBITS/2-1:0]} << fsh;
            end
            xk[k*WBITS +: WBITS] = wd;
            gk[k*OA +: OA] = okk[k*OA +: OA];
            // the placement after the stored positions advanced before k (lane o, o = k
            // without fold)
            for (n = 0; n <= k; n = n + 1)
                if (nak[k*XB +: XB] == n[XB-1:0])
                    q = qs[n*RA +: RA];
            bk[k*RA +: RA] = R1 ? {RA{1'b0}} : glob ? gqs[k*RA +: RA] :
                             k >= K0 ? modr_add(rb_c, q) :
                             modr_add(modr_add(rb_c, q), jcmk[k*RA +: RA]);
            // (V2-11.5 "Timing, step 13": before the beat's first pixel end the base and jc_r +
            // k, after the end e with n advances before k the candidate of (n, k - 1 - e))
            aw = k >= K0 ? ab0 : jcr + k[AW-1:0];
            for (i = 0; i < k; i = i + 1)
                if (lek[k*XB +: XB] == i[XB-1:0])
                    for (n = 0; n <= i + 1; n = n + 1)
                        if (nak[k*XB +: XB] == n[XB-1:0])
                            aw = vc[(n*NC+(k >= K0 ? 0 : k-1-i))*AW +: AW];
            if (!snk[k])
                aw = k >= K0 ? ab0 : jcr + k[AW-1:0];
            // (a resident prefix: a word of ring row l_a0 at a position past NP + S)
            if (pw_r && aw >= l_a0 && {1'b0, aw} < awx && q >= l_q0)
                aw = aw - pd_r;
            ak[k*AW +: AW] = glob ? gas[k*AW +: AW] : aw;
        end
    end
    // the state after the beat: iteration m's (an AND-OR of one-hot selects)
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        n = 0;
        jc_m = {(AW+1){1'b0}};
        dj_m = {(AW+1){1'b0}};
        jcm_m = {RA{1'b0}};
        gq_m = {RA{1'b0}};
        ga_m = {AW{1'b0}};
        fu_m = 3'd0;
        bf_m = 3'd0;
        xl_m = 16'd0;
        dsel = {(NI+1){1'b0}};
        na_m = {XB{1'b0}};
        s0_m = {SW{1'b0}};
        room_m = {SW{1'b0}};
        row_end_m = 1'b0;
        for (k = 0; k <= NI; k = k + 1) begin
            jc_m = jc_m | ({(AW+1){mk[k]}} & jck[k*(AW+1) +: AW+1]);
            dj_m = dj_m | ({(AW+1){mk[k]}} & djk[k*(AW+1) +: AW+1]);
            jcm_m = jcm_m | ({RA{mk[k]}} & jcmk[k*RA +: RA]);
            gq_m = gq_m | ({RA{mk[k]}} & gqs[k*RA +: RA]);
            ga_m = ga_m | ({AW{mk[k]}} & gas[k*AW +: AW]);
            fu_m = fu_m | ({3{mk[k]}} & fuk[k*3 +: 3]);
            bf_m = bf_m | ({3{mk[k]}} & bfk[k*3 +: 3]);
            // (V2-11.5 "Timing, step 16": xl_r - d for each count d of pixel ends, selected)
            for (n = 0; n <= k; n = n + 1)
                if (mk[k] && dxk[k*XB +: XB] == n[XB-1:0])
                    dsel[n] = 1'b1;
            na_m = na_m | ({XB{mk[k]}} & nak[k*XB +: XB]);
            // the next beat's word 0: s - PB, NB - that (the bytes left: plen + PB); (V2-11.5
            // "Timing, step 16": the sums of the registers and each table entry pk[k] can be,
            // selected by the ends among 0 .. k - 1; no bit offset; RAW, whose paths are short,
            // keeps the one sum)
            if (BOFF || RAW != 0)
                s0_m = s0_m | ({SW{mk[k]}} & (s0_r + pk[k*PW +: SW] - PBP[SW-1:0]));
            if (BOFF || RAW != 0)
                room_m = room_m | ({SW{mk[k]}} & (room_r + PBP[SW-1:0] - pk[k*PW +: SW]));
            if (!BOFF && RAW == 0 && k == 0) begin
                s0_m = s0_m | ({SW{mk[k]}} & (s0_r - PBP[SW-1:0]));
                room_m = room_m | ({SW{mk[k]}} & (room_r + PBP[SW-1:0]));
            end
            if (!BOFF && RAW == 0 && k > 0)
                for (n = 0; n <= k; n = n + 1) begin
                    s0_m = s0_m | ({SW{mk[k] && pe[(k-1)*(NI+1) + n]}} &
                                   (s0_r + pt_r[((k-1)*(NI+1)+n)*PW +: SW] - PBP[SW-1:0]));
                    room_m = room_m | ({SW{mk[k] && pe[(k-1)*(NI+1) + n]}} &
                                       (room_r + PBP[SW-1:0] - pt_r[((k-1)*(NI+1)+n)*PW +: SW]));
                end
            row_end_m = row_end_m | (mk[k] & rek[k]);
        end
        for (n = 0; n <= NI; n = n + 1)
            if (RAW == 0)
                xl_m = xl_m | ({16{dsel[n]}} & (xl_r - n[15:0]));
        // (RAW: one subtraction)
        dx_m = {XB{1'b0}};
        for (n = 0; n <= NI; n = n + 1)
            if (dsel[n])
                dx_m = n[XB-1:0];
        if (RAW != 0)
            xl_m = xl_r - {{(16-XB){1'b0}}, dx_m};
        drop_m = row_end_m || (prun && !dsel[0]);
        dv_m = 4'd0;
        q_m = {RA{1'b0}};
        gb_m = {AW{1'b0}};
        sa_m = {AW{1'b0}};
        sg_m = {AW{1'b0}};
        for (n = 0; n <= NI; n = n + 1)
            if (na_m == n[XB-1:0]) begin
                dv_m = us[n*4 +: 4];
                q_m = qs[n*RA +: RA];
                gb_m = gbs[n*AW +: AW];
                sa_m = vc[n*NC*AW +: AW];
                sg_m = vg[n*AW +: AW];
            end
        // x-fold: the group still open after the beat (lane o, not written): its pixels so far,
        // and before them the register's when no group closed in the beat; nothing after a row's
        // end (its group was written).  (V2-11.5 "Timing, step 16": a taken pixel is in it when
        // no group closed at or after it, gcl[k]; a row's end closes one)
        facc = FX && !gcl[0] ? facc_r : {WBITS{1'b0}};
        if (FX)
            for (k = 0; k < NI; k = k + 1)
                if (tk[k] && !gcl[k])
                    facc = facc | xk[k*WBITS +: WBITS];
    end
    // x-fold: the bits of lane j's word that iteration k's pixel can fill (bit WBITS * (NI * j +
    // k) + b).  A beat's pixels are one row's from sub-pixel fu_r on, and its groups close at
    // sub-pixel fx - 1 or at the row's end, which ends the beat: pixel k is sub-pixel (fu_r + k)
    // mod fx of group (lane) (fu_r + k) div fx, so lane j's bit b holds pixel k = j * fx + v -
    // fu_r, v = b div 2^spl < fx, over every fx = 2 .. 2^fxl, sub-pixel of 2^spl bits (MLF <=
    // spl, fx * 2^spl <= WBITS) and fu_r < fx
    function [WL*NI*WBITS-1:0] fold_bits(input integer fxl);
        integer jj, kk, fl, sl, f0, v;
        begin
            for (jj = 0; jj < WL * NI; jj = jj + 1)     // (one word at a time: no 8k-bit replication)
                fold_bits[jj*WBITS +: WBITS] = {WBITS{1'b0}};
            for (jj = 0; jj < WL; jj = jj + 1)
                for (fl = 1; fl <= fxl; fl = fl + 1)
                    for (sl = MLF; sl < HW; sl = sl + 1)
                        if (((1 << fl) << sl) <= WBITS)
                            for (f0 = 0; f0 < (1 << fl); f0 = f0 + 1)
                                for (v = 0; v < (1 << fl); v = v + 1) begin
                                    kk = jj * (1 << fl) + v - f0;
                                    if (kk >= 0 && kk < NI)
                                        fold_bits[WBITS * (NI * jj + kk) +: WBITS] =
                                            fold_bits[WBITS * (NI * jj + kk) +: WBITS] |
                                            (({WBITS{1'b1}} >> (WBITS - (1 << sl))) << (v << sl));
                                end
        end
    endfunction
    localparam [WL*NI*WBITS-1:0] FB = fold_bits(FXL);
    // lane j: bank and address of the iteration that emitted its word (o < k + 1: iterations
    // j ..; without fold, iteration j), an AND-OR of one-hot selects; its data the OR of its
    // group's pixels (with fold; lane 0 also the fold register's) once the lane is written,
    // each only in the bits it can fill, or iteration j's word (without fold)
    reg sel;
    reg [WBITS-1:0] bm;
    reg [WL-1:0] wv;                    // the lanes written, before channel groups' keep
    always @(*) begin
        // (no variable keeps a value: Yosys proc_dlatch, docs/FPGA.md)
        k = 0;
        sel = 1'b0;
        bm = {WBITS{1'b0}};
        wv = {WL{1'b0}};
        w_valid = {WL{1'b0}};
        w_bank = {(WL*RA){1'b0}};
        w_addr = {(WL*AW){1'b0}};
        w_data = {(WL*WBITS){1'b0}};
        for (j = 0; j < WL; j = j + 1)
            for (k = j; k < NI; k = k + 1)
                if (k == j || (FX && k >= 2 * j - 1)) begin
                    sel = ek[k] && (FX ? gk[k*OA +: OA] == j[OA-1:0] : k == j);
                    // (channel groups: a chunk the pass does not keep is not emitted; its
                    // address and bank, read only with w_valid, need not test it)
                    w_valid[j] = w_valid[j] | (sel && kp[k]);
                    wv[j] = wv[j] | sel;
                    w_bank[j*RA +: RA] = w_bank[j*RA +: RA] | ({RA{sel}} & bk[k*RA +: RA]);
                    w_addr[j*AW +: AW] = w_addr[j*AW +: AW] | ({AW{sel}} & ak[k*AW +: AW]);
                end
        // (V2-11.5 "Timing, step 16": lane j is written when a group closes at or after a taken
        // pixel k of lane j, gcl[k]: the first end after k closes k's group)
        for (j = 0; j < WL; j = j + 1)
            for (k = j; k < NI; k = k + 1)
                if (k == j || (FX && k >= 2 * j - 1)) begin
                    sel = tk[k] && gcl[k] && (FX ? gk[k*OA +: OA] == j[OA-1:0] : k == j);
                    bm = (k == j ? {WBITS{1'b1}} : {WBITS{1'b0}}) |
                         (FX ? FB[WBITS*(NI*j+k) +: WBITS] : {WBITS{1'b0}});
                    w_data[j*WBITS +: WBITS] = w_data[j*WBITS +: WBITS] |
                                               ({WBITS{sel}} & bm & xk[k*WBITS +: WBITS]);
                end
        if (FX)
            w_data[WBITS-1:0] = w_data[WBITS-1:0] | ({WBITS{wv[0]}} & facc_r);
    end
    // the bits of l_cbits / l_lbits / l_lnch / l_pskip past a word's reach are 0 (l_lnch is
    // implied by l_lbits); win's top byte only reaches past a word through boff
    wire unused_ld2a = &{1'b0, l_cbits, l_lbits, l_lnch, l_pskip, l_jw, win[WBITS+7:WBITS], need, s,
                         bsh[8*NB+WBITS+7:WBITS+8], gnd, pk, ps, kr, tr, gadv[0], gwa[0], uw[0], fz[0], spd[0],
                         wrb[0], wra[0], jlo_c[JB-1:AW], jhi_c[JB-1:AW],
                         l_glob, l_fxlog, l_cplog, l_fu0, spl, fxm1, l_flat, l_alog,
                         l_asigned, l_sp, l_u0, l_q0, l_rb0, l_owm, fsh, fq, l_jin};
    always @(posedge clk) begin
        if (rst || start) begin
            pend <= {WBITS{1'b0}};
            s0_r <= WB8S;
            room_r <= PORT_BYTES[SW-1:0];
            boff_r <= 3'd0;
            xl_r <= l_in_w - 16'd1;
            jc_r <= {(AW+1){1'b0}};
            dj_r <= jn - 1'b1;
            jcm_r <= {RA{1'b0}};
            dv_r <= dv0;
            q_r <= R1 || pf ? {RA{1'b0}} : l_q0;
            gb_r <= pf ? {AW{1'b0}} : l_g0;
            sa_r <= pf ? {AW{1'b0}} : l_a0;
            sg_r <= pf ? {AW{1'b0}} : l_g0;
            swb_r <= {AW{1'b0}};
            rb_r <= R1 ? {RA{1'b0}} : l_rb0;
            ym_r <= l_ym0;
            fu_r <= l_fu0 & FXM;
            facc_r <= {WBITS{1'b0}};
            gq_r <= {RA{1'b0}};
            ga_r <= {AW{1'b0}};
            jlo_r <= {JB{1'b0}};
            jhi_r <= {1'b0, jw};
            jhi2_r <= {jw, 1'b0};
            sam_r <= l_a0;
            sgm_r <= l_g0;
            np_r <= 1'b0;
            p0s_r <= 1'b0;
        end else if (beat) begin
            // what is left of the beat (at most a word's bytes) waits for the next one; nothing
            // after a row's end (the next row starts a beat), or a pixel's with per-pixel runs
            pend <= buf_w[8*NB-1 -: WBITS];
            s0_r <= drop_m ? WB8S : s0_m;
            room_r <= drop_m ? PORT_BYTES[SW-1:0] : room_m;
            boff_r <= drop_m ? 3'd0 : bf_m;
            xl_r <= row_end_m ? l_in_w - 16'd1 : xl_m;
            jc_r <= jc_m;
            dj_r <= dj_m;
            jcm_r <= jcm_m;
            // (a row's end: the next row's windowed state; flat goes on)
            dv_r <= row_end_m && !flat ? dv0 : dv_m;
            q_r <= row_end_m && !flat ? (R1 ? {RA{1'b0}} : l_q0) : q_m;
            gb_r <= row_end_m && !flat ? l_g0 : gb_m;
            sa_r <= row_end_m && !flat ? swb_n + a0_lo : sa_m;
            sg_r <= row_end_m && !flat ? swb_n + g0_lo : sg_m;
            np_r <= np_r || row_end_m;
            p0s_r <= pass0 && !row_end_m;
            if (newp) begin
                jlo_r <= jhi_r;
                jhi_r <= jhi2_r;
                jhi2_r <= jhi2_r + {1'b0, jw};
            end
            if (row_end_m && !flat) begin
                sam_r <= swb_n + a0_hi;
                sgm_r <= swb_n + g0_hi;
                swb_r <= swb_n;
                rb_r <= rb_n;
                ym_r <= ym_n;
            end
            fu_r <= row_end_m ? l_fu0 & FXM : fu_m;
            facc_r <= facc;
            if (glob) begin
                gq_r <= gq_m;
                ga_r <= ga_m;
            end
        end
    end
endmodule
