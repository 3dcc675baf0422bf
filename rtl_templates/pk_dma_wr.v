// pk_dma_wr - the write side of a POST job (ARCHITECTURE_V1.md 6 "What a tile
// writes", 7.4): sends the tile's valid output rows from the staging buffer
// to the off-chip write port, one beat per cycle.
//
// Write port protocol.  A beat is wr_valid with wr_addr (byte address of
// lane 0), wr_data (PB byte lanes) and wr_strb (lane j writes byte
// wr_addr + j); it is taken in a cycle with wr_ready = 1 (writes are posted;
// the modelled memory is always ready, the core holds a beat while
// wr_ready = 0).  Row r of a tile is ceil(nbytes / PB) beats at
// row_addr + k*PB, row_addr = addr_out + p*PS_out + n0*out_bits/8.
//
// Timing: `start` in cycle Y0 samples the job; row 0 is read from staging in
// Y0 + 1 and beat j is on the port in cycle Y0 + 2 + j; `done` pulses with
// the last beat (in Y0 + 1 when there is no row).  Staging holds COLS 8-bit
// codes per row; they are pk_row here to out_bits each (channels >= ncv are
// zero, so a pixel's padding bits are written as zero).
module pk_dma_wr #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter PORT_BYTES = 8,
    parameter RA = 2
) (
    input  wire clk,
    input  wire rst,
    input  wire start,
    input  wire [31:0] j_addr,      // address of row 0
    input  wire [31:0] j_ps,        // PS_out
    input  wire [15:0] j_nrows,     // valid rows (a prefix of the tile)
    input  wire [15:0] j_nbytes,    // bytes per row
    input  wire [15:0] j_ncv,       // valid channels
    input  wire [1:0] j_ol,         // log2 out_bits
    output wire st_re,
    output wire [RA-1:0] st_raddr,
    input  wire [COLS*8-1:0] st_rdata,
    output wire wr_valid,
    input  wire wr_ready,
    output wire [31:0] wr_addr,
    output wire [8*PORT_BYTES-1:0] wr_data,
    output wire [PORT_BYTES-1:0] wr_strb,
    output wire done,
    output wire [31:0] inc_wr_bytes,
    output wire [31:0] inc_wr_reqs
);
    localparam PB = PORT_BYTES;
    localparam PBL = (PB >= 64) ? 6 : (PB >= 32) ? 5 : (PB >= 16) ? 4 : (PB >= 8) ? 3 :
                     (PB >= 4) ? 2 : (PB >= 2) ? 1 : 0;
    localparam NWB = (COLS + PB - 1) / PB;

    reg act;
    reg [31:0] ps_r, row_addr;
    reg [15:0] nrows_r, nbytes_r, ncv_r, nb_r;
    reg [1:0] ol_r;
    reg [15:0] nrow, nbeat;           // next beat to present
    reg pv, pfirst, plast;
    reg [RA-1:0] prow;
    reg [15:0] pbeat;
    reg [31:0] paddr;

    wire more = nrow < nrows_r;
    wire adv = !pv || wr_ready;
    wire last_of_row = nbeat + 16'd1 == nb_r;
    wire last_all = last_of_row && nrow + 16'd1 == nrows_r;

    always @(posedge clk) begin
        if (rst) begin
            act <= 1'b0;
            pv <= 1'b0;
        end else if (start) begin
            act <= 1'b1;
            pv <= 1'b0;
            ps_r <= j_ps;
            row_addr <= j_addr;
            nrows_r <= j_nrows;
            nbytes_r <= j_nbytes;
            ncv_r <= j_ncv;
            ol_r <= j_ol;
            nb_r <= (j_nbytes + PB[15:0] - 16'd1) >> PBL;
            nrow <= 16'd0;
            nbeat <= 16'd0;
        end else if (act) begin
            if (done)
                act <= 1'b0;
            if (adv) begin
                pv <= more;
                if (more) begin
                    prow <= nrow[RA-1:0];
                    pbeat <= nbeat;
                    paddr <= row_addr + ({16'd0, nbeat} << PBL);
                    pfirst <= nbeat == 16'd0;
                    plast <= last_all;
                    if (last_of_row) begin
                        nbeat <= 16'd0;
                        nrow <= nrow + 16'd1;
                        row_addr <= row_addr + ps_r;
                    end else
                        nbeat <= nbeat + 16'd1;
                end
            end
        end
    end

    assign st_re = act;
    assign st_raddr = adv ? nrow[RA-1:0] : prow;
    assign done = act && !start && ((pv && wr_ready && plast) || (!pv && !more));

    // pack the row's codes to out_bits each
    reg [NWB*PB*8-1:0] pk_row;
    integer c;
    always @* begin
        pk_row = {(NWB*PB*8){1'b0}};
        for (c = 0; c < COLS; c = c + 1)
            if (c < ncv_r)
                case (ol_r)
                    2'd0: pk_row[c] = st_rdata[c*8];
                    2'd1: pk_row[c*2 +: 2] = st_rdata[c*8 +: 2];
                    2'd2: pk_row[c*4 +: 4] = st_rdata[c*8 +: 4];
                    default: pk_row[c*8 +: 8] = st_rdata[c*8 +: 8];
                endcase
    end
    reg [8*PB-1:0] beat_data;
    integer k;
    always @* begin
        beat_data = {(8*PB){1'b0}};
        for (k = 0; k < NWB; k = k + 1)
            if ({16'd0, pbeat} == k)
                beat_data = pk_row[k*PB*8 +: PB*8];
    end
    reg [PB-1:0] strb;
    integer j;
    always @* begin
        for (j = 0; j < PB; j = j + 1)
            strb[j] = ({16'd0, pbeat} << PBL) + j < {16'd0, nbytes_r};
    end

    assign wr_valid = pv;
    assign wr_addr = paddr;
    assign wr_data = beat_data;
    assign wr_strb = strb;
    wire take_first = pv && wr_ready && pfirst;
    assign inc_wr_bytes = take_first ? {16'd0, nbytes_r} : 32'd0;
    assign inc_wr_reqs = {31'd0, take_first};
    wire unused_wr = &{1'b0, ROWS[0]};
endmodule
