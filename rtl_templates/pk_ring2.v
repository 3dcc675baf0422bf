// pk_ring2 - the activation ring of the v2 core (ARCHITECTURE.md V2-3.1,
// V2-11.1, V2-11.4 item 4): R banks of DA words (pk_sram), a write FIFO of WQ
// words in front of each bank, and the R-way read rotation.
//
// Write side (the loader, pk_ld2).  In one cycle the loader presents up to WL
// words (one read beat's worth: V2-3.1 "write side"), lane k with its bank,
// bank address and data, lanes in the row's word order.  Each bank's FIFO
// takes the lanes addressed to it, in lane order, at the clock edge ending
// the cycle, and writes its oldest word into the bank in each later cycle
// (one write per bank per cycle).  A word presented in cycle t is therefore
// in the bank at the end of cycle t + 1 at the earliest (readable from cycle
// t + 2: the model's U = D + 1 when t is the last beat's cycle D - 1), and
// t + n when n - 1 older words of its bank wait: the backlog that
// RING_WR_LAT of V2-11.4 item 4 bounds.  A push beyond WQ words is an error
// (the bound was wrong): `w_ovf` is raised and stays high until rst (the
// words written after it are then undefined).  `w_pend` is high while some
// FIFO holds a word.
//
// Read side (COMPUTE: pk_win2 in k-step cycles, the operand-B tail reads).
// Array row r reads bank (r + rot) mod R at its address raddr[r]; rdata[r]
// is that word one cycle after `re` (pk_sram's registered read; held while
// re = 0).  The rotation is log2 R multiplexer stages, stage i rotating by
// 2^i rows mod R, for any R and rot < R: bank b takes the address of row
// (b - rot) mod R, row r the word of bank (r + rot) mod R (rot registered
// with the read).
//
// A FIFO has a read and a write pointer (QA = clog2 WQ bits, WQ a power of
// two) and a count; the push position of lane k is wp + the number of
// earlier lanes addressed to the same bank.  With one bank (R = 1) a FIFO
// entry is the word, {address, data}, and entry e takes the lane whose
// position is e.  With R > 1 (V2-11.5 "Scaling, step 4") each beat is
// stored once: the beat store is one memory per lane of WQ {address, data}
// words with one write port (the beat's slot bs, advanced per beat with a
// valid lane) and one asynchronous read port per bank; a FIFO entry is the
// reference {slot, lane} of its word, and the bank's head word is its
// slot's read of every lane, then a WL-way multiplexer by the lane.  A word
// stays in its FIFO at most WQ cycles and a slot is written again at the
// earliest WQ beats later, so no reference outlives its word.
`include "pk_contract.vh"
module pk_ring2 #(
    parameter ROWS = 4,
    parameter RA = 2,       // max(1, clog2 ROWS)
    parameter WBITS = 64,   // bits per ring word
    parameter DA = 1024,    // words per bank
    parameter AW = 10,      // bank address bits (2^AW >= DA)
    parameter WL = 4,       // write lanes (words per cycle)
    parameter WQ = `PK_RING_WQ,            // FIFO words per bank (a power of two)
    parameter QA = WQ > 1 ? $clog2(WQ) : 1 // max(1, clog2 WQ)
) (
    input  wire clk,
    input  wire rst,
    // write side (loader)
    input  wire [WL-1:0] w_valid,
    input  wire [WL*RA-1:0] w_bank,
    input  wire [WL*AW-1:0] w_addr,
    input  wire [WL*WBITS-1:0] w_data,
    output wire w_pend,
    output reg  w_ovf,
    // read side (COMPUTE)
    input  wire re,
    input  wire [RA-1:0] rot,
    input  wire [ROWS*AW-1:0] raddr,
    output wire [ROWS*WBITS-1:0] rdata
);
    localparam R = ROWS;
    localparam EW = AW + WBITS;          // a FIFO entry: {address, data}
    localparam [QA-1:0] QONE = 1;
    localparam NQ = 1 << QA;             // FIFO entries, beat-store slots
    localparam LA = WL > 1 ? $clog2(WL) : 1;   // lane number bits
    localparam RW = QA + LA;             // a reference {slot, lane}
    localparam NL = 1 << LA;             // lanes padded to a power of two

    // the lanes' FIFO entries {address, data}
    wire [WL*EW-1:0] wbeat;
    genvar gw;
    generate
        for (gw = 0; gw < WL; gw = gw + 1) begin : g_wl
            assign wbeat[gw*EW +: EW] = {w_addr[gw*AW +: AW], w_data[gw*WBITS +: WBITS]};
        end
    endgenerate

    // ---- read rotation -------------------------------------------------------------------
    // bank b takes the address of row (b - rot) mod R, row r the word of bank (r + rot) mod R
    // (rot < R: a bank number).
    reg [RA-1:0] rot_q;
    always @(posedge clk)
        if (re)
            rot_q <= rot;
    // (log2 R stages: stage i rotates by 2^i rows mod R when bit i of the rotation is set)
    wire [R*WBITS-1:0] bank_data;
    reg [R*AW-1:0] bank_addr, at;
    reg [R*WBITS-1:0] dv, dt;
    integer si, sr;
    always @(*) begin
        bank_addr = raddr;
        dv = bank_data;
        for (si = 0; si < RA; si = si + 1) begin
            at = bank_addr;
            dt = dv;
            for (sr = 0; sr < R; sr = sr + 1) begin
                if (rot[si])
                    at[sr*AW +: AW] = bank_addr[((sr + R - (1 << si) % R) % R)*AW +: AW];
                if (rot_q[si])
                    dt[sr*WBITS +: WBITS] = dv[((sr + (1 << si)) % R)*WBITS +: WBITS];
            end
            bank_addr = at;
            dv = dt;
        end
    end
    assign rdata = dv;

    // ---- the FIFOs' push bookkeeping, per bank ---------------------------------------------
    // The loader's lanes settle late in the cycle, so nothing here adds a pointer to them:
    // bank b's hits (lanes valid and addressed to it) give, through a chain of shifts of a
    // one-hot vector (no adder), each lane's rank among them; the lane's entry is its rank
    // (mod WQ) turned by wp, a rotation by the register; the pointer, the count and the
    // overflow test after 0 .. WL pushes are formed from the registers and selected by the
    // one-hot number of pushes (V2-11.5 "Timing, step 4").  The values are those of the
    // adder form: lane k's position wp + (hits among lanes 0 .. k-1), wp + npush, and
    // after = cnt + npush - pop, overflowing when above WQ.
    localparam NP = WL + 1;              // push counts 0 .. WL
    wire [R*NQ*WL-1:0] esel;             // (R = 1) bank b's entry e takes lane k: bit (b WL + k) NQ + e
    wire [R*NQ-1:0] ewes;                // (R > 1) bank b's entry e is written: bit b NQ + e
    wire [R*LA*NQ-1:0] elbs;             // (R > 1) bit i of that lane's number: bit (b LA + i) NQ + e
    wire unused_sel = &{1'b0, esel, ewes, elbs};   // (each R reads one form)
    wire [R*QA-1:0] rps;                 // bank b's read pointer
    wire [R-1:0] pend, ovf;
    assign w_pend = |pend;
    always @(posedge clk)
        if (rst)
            w_ovf <= 1'b0;
        else if (|ovf)
            w_ovf <= 1'b1;

    genvar gb, gx;
    generate
        for (gb = 0; gb < R; gb = gb + 1) begin : g_bk
            localparam [RA-1:0] BID = gb;
            reg [QA-1:0] wp, rp;
            reg [QA:0] cnt;
            wire pop = cnt != {(QA+1){1'b0}};
            wire [WL-1:0] hit;
            for (gx = 0; gx < WL; gx = gx + 1) begin : g_hit
                if (R == 1) begin : g_all
                    assign hit[gx] = w_valid[gx];
                end else begin : g_sel
                    assign hit[gx] = w_valid[gx] && w_bank[gx*RA +: RA] == BID;
                end
            end
            // rk[k]: one-hot, the hits among lanes 0 .. k-1 (rk[WL]: the beat's pushes)
            reg [NP*NP-1:0] rk;
            reg [NP-1:0] c;
            integer k;
            always @(*) begin
                c = {{(NP-1){1'b0}}, 1'b1};
                for (k = 0; k < WL; k = k + 1) begin
                    rk[k*NP +: NP] = c;
                    if (hit[k])
                        c = {c[NP-2:0], 1'b0};
                end
                rk[WL*NP +: NP] = c;
            end
            if (R == 1) begin : g_es
                // lane k's entry, one-hot: its rank (mod WQ) turned by wp, es[k NQ + e] (entry e
                // takes lane k iff the lane hits and its rank d has wp + d = e mod WQ)
                reg [NQ*WL-1:0] es;
                reg [NQ-1:0] rf;
                /* verilator lint_off UNUSEDSIGNAL */
                reg [2*NQ-1:0] rr;               // (its low half is the turn's spill)
                /* verilator lint_on UNUSEDSIGNAL */
                integer k2, d2;
                always @(*) begin
                    for (k2 = 0; k2 < WL; k2 = k2 + 1) begin
                        rf = {NQ{1'b0}};
                        for (d2 = 0; d2 <= k2; d2 = d2 + 1)
                            rf[d2 % NQ] = rf[d2 % NQ] | rk[k2*NP + d2];
                        rr = {rf, rf} << wp;
                        es[k2*NQ +: NQ] = {NQ{hit[k2]}} & rr[2*NQ-1 -: NQ];
                    end
                end
                assign esel[gb*NQ*WL +: NQ*WL] = es;
                assign ewes[gb*NQ +: NQ] = {NQ{1'b0}};
                assign elbs[gb*LA*NQ +: LA*NQ] = {(LA*NQ){1'b0}};
            end else begin : g_rank
                // (R > 1: the beat store's references; V2-11.5 "Timing, step 20") by rank, not by
                // lane: entry e takes the push of rank d = e - wp mod WQ (dsel, from the register
                // alone) when the beat has more than d pushes (the thermometer tm of the hits, a
                // function of them alone) and the number of that push's lane (ln); the same
                // entries and lane numbers as the lanes' entries es of R = 1 (an OR where ranks d
                // and d + WQ meet: only when WL > WQ and it overflows)
                reg [WL-1:0] tm;                 // tm[d]: more than d pushes
                reg [WL*LA-1:0] ln;              // the lane of push d (0 if none)
                reg [NQ*WL-1:0] dsel;            // entry e takes rank d: bit e WL + d
                reg [NQ-1:0] ew;
                reg [LA*NQ-1:0] el;
                integer k2, d2, e2, i2;
                always @(*) begin
                    tm = {WL{1'b0}};
                    ln = {(WL*LA){1'b0}};
                    for (d2 = 0; d2 < WL; d2 = d2 + 1) begin
                        for (k2 = d2 + 1; k2 <= WL; k2 = k2 + 1)
                            tm[d2] = tm[d2] | rk[WL*NP + k2];
                        for (k2 = d2; k2 < WL; k2 = k2 + 1)
                            for (i2 = 0; i2 < LA; i2 = i2 + 1)
                                if (((k2 >> i2) & 1) != 0)
                                    ln[d2*LA + i2] = ln[d2*LA + i2] | (hit[k2] & rk[k2*NP + d2]);
                    end
                    for (e2 = 0; e2 < NQ; e2 = e2 + 1)
                        for (d2 = 0; d2 < WL; d2 = d2 + 1)
                            dsel[e2*WL + d2] = {{(32-QA){1'b0}}, wp} == (e2 + NQ * WL - d2) % NQ;
                    ew = {NQ{1'b0}};
                    el = {(LA*NQ){1'b0}};
                    for (e2 = 0; e2 < NQ; e2 = e2 + 1)
                        for (d2 = 0; d2 < WL; d2 = d2 + 1) begin
                            ew[e2] = ew[e2] | (dsel[e2*WL + d2] & tm[d2]);
                            for (i2 = 0; i2 < LA; i2 = i2 + 1)
                                el[i2*NQ + e2] = el[i2*NQ + e2] | (dsel[e2*WL + d2] & ln[d2*LA + i2]);
                        end
                end
                assign esel[gb*NQ*WL +: NQ*WL] = {(NQ*WL){1'b0}};
                assign ewes[gb*NQ +: NQ] = ew;
                assign elbs[gb*LA*NQ +: LA*NQ] = el;
            end
            // after 0 .. WL pushes, from the registers as tables of their values (LUTs, no
            // carry chain): the write pointer wp + k, the count cnt + k - pop and its test
            // against WQ; then the one-hot number of pushes selects
            reg [NP*QA-1:0] wpc;
            reg [NP*(QA+1)-1:0] cc;
            reg [NP-1:0] ovc;
            integer t, u;
            always @(*) begin
                wpc = {(NP*QA){1'b0}};
                cc = {(NP*(QA+1)){1'b0}};
                ovc = {NP{1'b0}};
                for (k = 0; k < NP; k = k + 1) begin
                    for (u = 0; u < NQ; u = u + 1) begin
                        t = u + k;
                        wpc[k*QA +: QA] = wpc[k*QA +: QA] | ({QA{wp == u[QA-1:0]}} & t[QA-1:0]);
                    end
                    for (u = 0; u < 2 * NQ; u = u + 1) begin
                        t = u + k - (u != 0 ? 1 : 0);
                        cc[k*(QA+1) +: QA+1] = cc[k*(QA+1) +: QA+1] |
                            ({(QA+1){cnt == u[QA:0]}} & t[QA:0]);
                        ovc[k] = ovc[k] | (cnt == u[QA:0] && t > WQ);
                    end
                end
            end
            reg [QA-1:0] wpn;
            reg [QA:0] cntn;
            reg ovn;
            always @(*) begin
                wpn = {QA{1'b0}};
                cntn = {(QA+1){1'b0}};
                ovn = 1'b0;
                for (k = 0; k < NP; k = k + 1) begin
                    wpn = wpn | ({QA{rk[WL*NP + k]}} & wpc[k*QA +: QA]);
                    cntn = cntn | ({(QA+1){rk[WL*NP + k]}} & cc[k*(QA+1) +: QA+1]);
                    ovn = ovn | (rk[WL*NP + k] & ovc[k]);
                end
            end
            always @(posedge clk)
                if (rst) begin
                    wp <= {QA{1'b0}};
                    rp <= {QA{1'b0}};
                    cnt <= {(QA+1){1'b0}};
                end else begin
                    wp <= wpn;
                    if (pop)
                        rp <= rp + QONE;
                    cnt <= cntn;
                end
            assign pend[gb] = pop;
            assign ovf[gb] = ovn;
            assign rps[gb*QA +: QA] = rp;
        end

        // ---- banks with their write FIFOs ------------------------------------------------
        if (R == 1) begin : g_one
            // one bank: a FIFO of WQ {address, data} entries, entry e taking the lane that
            // esel names (the last such lane: two only when WL > WQ and it overflows)
            reg [NQ*EW-1:0] q;
            reg [NQ-1:0] qwe;
            reg [NQ*EW-1:0] qd;
            integer j, e;
            always @(*) begin
                qwe = {NQ{1'b0}};
                qd = {(NQ*EW){1'b0}};
                for (j = 0; j < WL; j = j + 1) begin
                    qwe = qwe | esel[j*NQ +: NQ];
                    for (e = 0; e < NQ; e = e + 1)
                        if (WL <= NQ)
                            qd[e*EW +: EW] = qd[e*EW +: EW] | ({EW{esel[j*NQ + e]}} & wbeat[j*EW +: EW]);
                        else if (esel[j*NQ + e])
                            qd[e*EW +: EW] = wbeat[j*EW +: EW];
                end
            end
            always @(posedge clk)
                for (e = 0; e < NQ; e = e + 1)
                    if (qwe[e])
                        q[e*EW +: EW] <= qd[e*EW +: EW];
            reg [EW-1:0] head;
            always @(*) begin
                head = {EW{1'b0}};
                for (e = 0; e < NQ; e = e + 1)
                    if ({{(32-QA){1'b0}}, rps[QA-1:0]} == e)
                        head = head | q[e*EW +: EW];
            end
            wire unused_bank = &{1'b0, w_bank};
            pk_sram #(.WIDTH(WBITS), .DEPTH(DA), .ABITS(AW), .WLANES(1)) u_bank (
                .clk(clk), .we(pend[0]), .wmask(1'b1), .waddr(head[EW-1:WBITS]),
                .wdata(head[WBITS-1:0]), .re(re), .raddr(bank_addr[0 +: AW]),
                .rdata(bank_data[0 +: WBITS]));
        end else begin : g_shared
            // the beat store: WQ beats of WL {address, data} lanes, each beat written once
            // (slot bs, advanced per beat with a valid lane); word {slot, lane} of sflat
            reg [QA-1:0] bs;
            always @(posedge clk)
                if (rst)
                    bs <= {QA{1'b0}};
                else if (|w_valid)
                    bs <= bs + QONE;
            wire [R*QA-1:0] hslot;               // each bank's head slot
            wire [R*NL*EW-1:0] lrd;              // bank b's read of lane k at (b * NL + k) * EW
            genvar gk, gr;
            // lane k's words: a memory of WQ words, one write port (the beat's slot), one
            // asynchronous read port per bank (its head's slot)
            for (gk = 0; gk < NL; gk = gk + 1) begin : g_lane
                if (gk < WL) begin : g_w
                    reg [EW-1:0] m [0:NQ-1];
                    always @(posedge clk)
                        if (|w_valid)
                            m[bs] <= wbeat[(gk < WL ? gk : 0)*EW +: EW];
                    for (gr = 0; gr < R; gr = gr + 1) begin : g_rd
                        assign lrd[(gr*NL + gk)*EW +: EW] = m[hslot[gr*QA +: QA]];
                    end
                end else begin : g_z
                    for (gr = 0; gr < R; gr = gr + 1) begin : g_rd
                        assign lrd[(gr*NL + gk)*EW +: EW] = {EW{1'b0}};
                    end
                end
            end
            for (gb = 0; gb < R; gb = gb + 1) begin : g_bank
                // the bank's FIFO of WQ references {slot, lane}: entry e, when ewe names it,
                // takes the number elb of the lane whose push it holds (g_rank above)
                reg [NQ*RW-1:0] rq;
                wire [NQ-1:0] ewe = ewes[gb*NQ +: NQ];
                wire [LA*NQ-1:0] elb = elbs[gb*LA*NQ +: LA*NQ];  // bit i of entry e's lane at i NQ + e
                reg [RW-1:0] href;
                wire [QA-1:0] rp = rps[gb*QA +: QA];
                integer e, i;
                always @(*) begin
                    href = {RW{1'b0}};
                    for (e = 0; e < NQ; e = e + 1)
                        if ({{(32-QA){1'b0}}, rp} == e)
                            href = href | rq[e*RW +: RW];
                end
                integer j;
                always @(posedge clk)
                    for (j = 0; j < NQ; j = j + 1)
                        if (ewe[j]) begin
                            rq[j*RW + LA +: QA] <= bs;
                            for (i = 0; i < LA; i = i + 1)
                                rq[j*RW + i] <= elb[i*NQ + j];
                        end
                // the head's word: its slot's read of every lane, then a binary multiplexer
                // tree over the lanes, level v selecting with bit v of the lane (node n of a
                // level from nodes 2n and 2n + 1 of the one below, in place)
                assign hslot[gb*QA +: QA] = href[RW-1:LA];
                reg [NL*EW-1:0] mv;
                integer v, n;
                always @(*) begin
                    mv = lrd[gb*NL*EW +: NL*EW];
                    for (v = 0; v < LA; v = v + 1)
                        for (n = 0; n < (NL >> (v + 1)); n = n + 1)
                            mv[n*EW +: EW] = href[v] ? mv[(2*n+1)*EW +: EW] : mv[2*n*EW +: EW];
                end
                wire [EW-1:0] head = mv[EW-1:0];
                pk_sram #(.WIDTH(WBITS), .DEPTH(DA), .ABITS(AW), .WLANES(1)) u_bank (
                    .clk(clk), .we(pend[gb]), .wmask(1'b1), .waddr(head[EW-1:WBITS]),
                    .wdata(head[WBITS-1:0]), .re(re), .raddr(bank_addr[gb*AW +: AW]),
                    .rdata(bank_data[gb*WBITS +: WBITS]));
            end
        end
    endgenerate
endmodule
