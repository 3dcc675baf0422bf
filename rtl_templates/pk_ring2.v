// pk_ring2 - the activation ring of the v2 core (ARCHITECTURE_V2.md V2-3.1,
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
// (the bound was wrong): `w_ovf` is raised and stays high until rst.
// `w_pend` is high while some FIFO holds a word.
//
// Read side (COMPUTE: pk_win2 in k-step cycles, the operand-B tail reads).
// Array row r reads bank (r + rot) mod R at its address raddr[r]; rdata[r]
// is that word one cycle after `re` (pk_sram's registered read; held while
// re = 0).  The rotation is one shift of the doubled vector (log2 R mux
// stages), for any R: bank b takes the address of row (b - rot) mod R, row r
// the word of bank (r + rot) mod R (rot registered with the read).
//
// A FIFO is WQ registers of AW + WBITS bits with a read and a write pointer
// (QA = clog2 WQ bits, WQ a power of two) and a count; the push position of
// lane k is the number of earlier lanes addressed to the same bank.
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
    localparam [15:0] WQ16 = WQ[15:0];

    // ---- read rotation -------------------------------------------------------------------
    // bank b takes the address of row (b - rot) mod R: the doubled vector shifted right by
    // (R - rot) rows; row r takes the word of bank (r + rot) mod R: shifted by rot rows.
    reg [RA-1:0] rot_q;
    always @(posedge clk)
        if (re)
            rot_q <= rot;
    // (the shift amounts as a select of constants: no multiplier for Yosys to map)
    reg [31:0] sh_a, sh_d;
    integer ri;
    always @(*) begin
        sh_a = 32'd0;
        sh_d = 32'd0;
        for (ri = 0; ri < (1 << RA); ri = ri + 1) begin
            if ({{(32-RA){1'b0}}, rot} == ri)
                sh_a = (R - ri) * AW;
            if ({{(32-RA){1'b0}}, rot_q} == ri)
                sh_d = ri * WBITS;
        end
    end
    wire [2*R*AW-1:0] aa = {raddr, raddr} >> sh_a;
    wire [R*AW-1:0] bank_addr = aa[R*AW-1:0];
    wire [R*WBITS-1:0] bank_data;
    wire [2*R*WBITS-1:0] dd = {bank_data, bank_data} >> sh_d;
    assign rdata = dd[R*WBITS-1:0];
    wire unused_ring = &{1'b0, aa[2*R*AW-1:R*AW], dd[2*R*WBITS-1:R*WBITS]};

    // ---- banks with their write FIFOs ----------------------------------------------------
    wire [R-1:0] pend, ovf;
    assign w_pend = |pend;
    always @(posedge clk)
        if (rst)
            w_ovf <= 1'b0;
        else if (|ovf)
            w_ovf <= 1'b1;

    genvar gb;
    generate
        for (gb = 0; gb < R; gb = gb + 1) begin : g_bank
            localparam [RA-1:0] BID = gb;
            reg [EW-1:0] q [0:(1<<QA)-1];
            reg [QA-1:0] wp, rp;
            reg [QA:0] cnt;
            // lanes addressed to this bank, their FIFO entries (wp + the number of earlier
            // lanes addressed here) and their number
            reg [WL-1:0] hit;
            reg [WL*QA-1:0] lidx;
            reg [15:0] npush;
            integer k;
            always @(*) begin
                npush = 16'd0;
                lidx = {(WL*QA){1'b0}};
                for (k = 0; k < WL; k = k + 1) begin
                    hit[k] = w_valid[k] && w_bank[k*RA +: RA] == BID;
                    lidx[k*QA +: QA] = wp + npush[QA-1:0];
                    npush = npush + {15'd0, hit[k]};
                end
            end
            wire pop = cnt != {(QA+1){1'b0}};
            wire [15:0] after = {{(15-QA){1'b0}}, cnt} + npush - {15'd0, pop};
            assign pend[gb] = pop;
            assign ovf[gb] = after > WQ16;

            integer j;
            always @(posedge clk) begin
                for (j = 0; j < WL; j = j + 1)
                    if (hit[j])
                        q[lidx[j*QA +: QA]] <= {w_addr[j*AW +: AW], w_data[j*WBITS +: WBITS]};
                if (rst) begin
                    wp <= {QA{1'b0}};
                    rp <= {QA{1'b0}};
                    cnt <= {(QA+1){1'b0}};
                end else begin
                    wp <= wp + npush[QA-1:0];
                    if (pop)
                        rp <= rp + QONE;
                    cnt <= after[QA:0];
                end
            end
            wire [EW-1:0] head = q[rp];
            pk_sram #(.WIDTH(WBITS), .DEPTH(DA), .ABITS(AW), .WLANES(1)) u_bank (
                .clk(clk), .we(pop), .wmask(1'b1), .waddr(head[EW-1:WBITS]),
                .wdata(head[WBITS-1:0]), .re(re), .raddr(bank_addr[gb*AW +: AW]),
                .rdata(bank_data[gb*WBITS +: WBITS]));
        end
    endgenerate
endmodule
