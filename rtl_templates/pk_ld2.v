// pk_ld2 - the v2 loader (ARCHITECTURE_V2.md V2-6, V2-11.1, V2-11.4 items
// 3, 5, 6): the fetch-program walker, request issue with bursts split at
// MAX_BURST, the request FIFO, and the done counters.
//
// Built so far: the WS order (V2-5) of a layer without operand B that is not
// a global pool (windowed or flat ring: CONV, DW, pools).  Its fetch program
// (V2-6.1: each step's units before it, in the WS loop order pixel tile,
// n-tile) is, from `start`: the per-tensor record (l_prec bytes at
// l_addr_param, when l_prec > 0); the weight unit of n-tile 0 (l_has_w); the
// input rows of pixel tile 0 (up to l_y1_0); the weight units of n-tiles 1
// .. Nt - 1; the other input rows; the next layer's descriptor (DESC_BYTES at
// l_desc_addr, when l_has_next).  Nothing but the port, the request FIFO and
// the ring's space gates a unit (as the model's port: a unit issues at
// max(next, ready)), so after pixel tile 0 the program is the remaining rows
// in ascending order, with no walk over pixel tiles.  Rows are the needed
// ones: (y + pad) mod s < kh, so from a needed row the next is y + 1, or y +
// s - kh + 1 after the last of a group (l_jump rows, l_jump_bytes); the first
// is l_y0, the last l_ymax.  The walker emits one unit per cycle into a
// two-unit queue, at a phase's end the next phase's first unit, and in the
// cycle of `start` the first unit (straight to the issue stage when the
// queue is empty), so the first request may issue in the cycle after
// `start`.  No multiplier or divider: the products are l_* constants
// (sim/pk_v2ldconst.c).
//
// Issue (V2-6.2, V2-7.1): a unit of n bytes is ceil(n / MAX_BURST) requests
// in consecutive cycles, one per cycle; A-row fetch q (counted from 0 per
// layer) waits until q < a_free + l_cap (V2-11.4 item 6: its ring slot's
// previous row is released); the others need no space.  The request FIFO
// holds one entry per request in flight (its beats and whether it ends a
// weight unit or a row), QD = LAT + 2 entries (V2-11.4 item 3); a request
// waits while it is full.  An entry is freed in the cycle after its last
// beat.
//
// Done counters (V2-11.4 item 5), visible from the row's or unit's usable
// cycle: w_done (weight units) from D + 1, a_done (A rows) from D + 1 +
// RING_WR_LAT, D the cycle after the last beat.
//
// Not built yet (see V2-11.6): the beat unpacking into the ring, the weight
// buffer, the descriptor RAM and POST's per-tensor record (rd_data is
// accepted and unused); the IS, WB, NS, KC orders, operand B, global pool.
`include "pk_contract.vh"
module pk_ld2 #(
    parameter PORT_BYTES = 8,    // PB
    parameter MAX_BURST = 256,   // bytes, a multiple of PB
    parameter ADDR_BITS = 32,    // <= 32
    parameter LAT = 20,          // offchip.latency
    parameter QA = 5,            // request FIFO index bits: 2^QA >= LAT + 2
    parameter RING_WR_LAT = 3,   // PK_RING_WR_LAT (V2-11.4 item 4), >= 1
    parameter DESC_BYTES = `PK_DESC2_BYTES
) (
    input  wire clk,
    input  wire rst,
    input  wire start,           // one cycle: the layer's constants are valid from here
    // layer constants (sim/pk_v2ldconst.c), held for the layer
    input  wire [15:0] l_nt,
    input  wire l_has_w,
    input  wire [31:0] l_wu_bytes,       // an n-tile's unit (weights + records)
    input  wire [31:0] l_wu_last,        // the last n-tile's unit
    input  wire [ADDR_BITS-1:0] l_addr_w,
    input  wire [23:0] l_row_bytes,
    input  wire [15:0] l_cap,
    input  wire [15:0] l_ymax,           // last needed input row
    input  wire [15:0] l_y1_0,           // last row pixel tile 0 needs
    input  wire [15:0] l_y0,             // first needed row
    input  wire [ADDR_BITS-1:0] l_addr_y0, // its address
    input  wire [3:0] l_ym0,             // (l_y0 + pad) mod s
    input  wire [3:0] l_s,
    input  wire [7:0] l_kh,
    input  wire [15:0] l_jump,           // s - kh + 1 (kh < s)
    input  wire [31:0] l_jump_bytes,     // l_jump * row_bytes
    input  wire [7:0] l_prec,            // per-tensor record bytes (0: none)
    input  wire [ADDR_BITS-1:0] l_addr_param,
    input  wire l_has_next,
    input  wire [ADDR_BITS-1:0] l_desc_addr,
    // COMPUTE's free counter (V2-11.4 item 6)
    input  wire [15:0] a_free,
    // off-chip read port (v1 protocol)
    output wire rd_req_valid,
    output wire [ADDR_BITS-1:0] rd_req_addr,
    output wire [31:0] rd_req_len,
    input  wire rd_req_ready,
    input  wire rd_data_valid,
    input  wire [8*PORT_BYTES-1:0] rd_data,
    // done counters (V2-11.4 item 5)
    output reg  [15:0] a_done,
    output reg  [15:0] w_done,
    output wire busy                     // the program or a request is not finished
);
    localparam QD = LAT + 2;
    localparam WL = RING_WR_LAT;
    localparam [31:0] MB = MAX_BURST;
    localparam [31:0] PBW = PORT_BYTES;
    localparam [1:0] K_OTHER = 2'd0, K_W = 2'd1, K_A = 2'd2;

    // ---- fetch-program walker ---------------------------------------------------------
    // phases: the record, weight unit 0, pixel tile 0's rows, weight units 1 .. Nt - 1, the
    // other rows, the descriptor; each cycle the walker emits the phase's next unit, or at the
    // phase's end the next phase's first one (no cycle without a unit until the program ends)
    localparam [2:0] P_IDLE = 3'd0, P_REC = 3'd1, P_W0 = 3'd2, P_ROWS0 = 3'd3, P_WREST = 3'd4,
                     P_ROWS = 3'd5;
    reg [2:0] ph_r;
    reg [15:0] nt_r, y_r;
    reg [3:0] ym_r;
    reg [ADDR_BITS-1:0] wa_r, ya_r;  // next weight unit's and row y's address
    // the walker's state this cycle: the registers, or the layer's first state at start
    wire [2:0] ph = start ? (l_prec != 8'd0 ? P_REC : l_has_w ? P_W0 : P_ROWS0) : ph_r;
    wire [15:0] nt = start ? 16'd0 : nt_r;
    wire [15:0] y = start ? l_y0 : y_r;
    wire [3:0] ym = start ? l_ym0 : ym_r;
    wire [ADDR_BITS-1:0] wa = start ? l_addr_w : wa_r;
    wire [ADDR_BITS-1:0] ya = start ? l_addr_y0 : ya_r;

    wire last_nt = nt + 16'd1 >= l_nt;
    wire row0 = y <= l_y1_0;         // a row of pixel tile 0 is next
    wire row_any = y <= l_ymax;      // a needed row is next
    wire w_more = l_has_w && nt != 16'd0;  // weight units 1 .. Nt - 1 are next (nt_r = 1 after unit 0)
    wire group_end = {4'd0, ym} + 8'd1 >= l_kh;  // the last needed row of its group (kh < s)
    wire jump = l_kh < {4'd0, l_s} && group_end;
    wire [31:0] ya_inc = jump ? l_jump_bytes : {8'd0, l_row_bytes};  // to the next needed row

    // what the walker emits this cycle: e_w a weight unit, e_row a row, e_desc the descriptor
    reg e_rec, e_w, e_row, e_desc;
    always @(*) begin
        e_rec = 1'b0;
        e_w = 1'b0;
        e_row = 1'b0;
        e_desc = 1'b0;
        case (ph)
            P_REC: e_rec = 1'b1;
            P_W0, P_WREST: e_w = 1'b1;
            P_ROWS0: begin
                e_row = row0 || (!w_more && row_any);
                e_w = !row0 && w_more;
                e_desc = !row0 && !w_more && !row_any && l_has_next;
            end
            P_ROWS: begin
                e_row = row_any;
                e_desc = !row_any && l_has_next;
            end
            default: ;
        endcase
    end
    wire e_valid = e_rec || e_w || e_row || e_desc;
    wire [ADDR_BITS-1:0] e_addr = e_rec ? l_addr_param : e_w ? wa : e_row ? ya : l_desc_addr;
    wire [31:0] e_len = e_rec ? {24'd0, l_prec} : e_w ? (last_nt ? l_wu_last : l_wu_bytes) :
                        e_row ? {8'd0, l_row_bytes} : DESC_BYTES;
    wire [1:0] e_kind = e_w ? K_W : e_row ? K_A : K_OTHER;

    // unit queue (2 entries) between the walker and the issue
    reg [ADDR_BITS-1:0] qa [0:1];
    reg [31:0] ql [0:1];
    reg [1:0] qk [0:1];
    reg qw, qr;
    reg [1:0] qn;
    wire q_full = qn == 2'd2;
    wire walk = (start || ph_r != P_IDLE) && !q_full;
    wire push = walk && e_valid;

    always @(posedge clk) begin
        if (rst) begin
            ph_r <= P_IDLE;
            nt_r <= 16'd0;
            y_r <= 16'd0;
            ym_r <= 4'd0;
            wa_r <= {ADDR_BITS{1'b0}};
            ya_r <= {ADDR_BITS{1'b0}};
        end else if (walk) begin
            nt_r <= nt;
            y_r <= y;
            ym_r <= ym;
            wa_r <= wa;
            ya_r <= ya;
            if (e_w) begin
                wa_r <= wa + l_wu_bytes[ADDR_BITS-1:0];
                nt_r <= last_nt ? 16'd0 : nt + 16'd1;
            end
            if (e_row) begin
                y_r <= y + (jump ? l_jump : 16'd1);
                ym_r <= jump ? 4'd0 : ym + 4'd1;
                ya_r <= ya + ya_inc[ADDR_BITS-1:0];
            end
            // the phase of the next cycle
            case (ph)
                P_REC: ph_r <= l_has_w ? P_W0 : P_ROWS0;
                P_W0: ph_r <= P_ROWS0;
                P_ROWS0: ph_r <= e_row && row0 ? P_ROWS0 : e_w && !last_nt ? P_WREST :
                                 e_w || e_row ? P_ROWS : P_IDLE;
                P_WREST: ph_r <= last_nt ? P_ROWS : P_WREST;
                P_ROWS: ph_r <= e_row ? P_ROWS : P_IDLE;
                default: ph_r <= P_IDLE;
            endcase
        end
    end

    // ---- issue: the current unit, one request per cycle ---------------------------------
    reg [ADDR_BITS-1:0] u_addr;
    reg [31:0] u_left;
    reg [1:0] u_kind;
    reg [15:0] aq;                  // A fetches issued this layer
    reg [QA:0] fcnt;                // request FIFO entries in use
    wire fifo_full = fcnt >= QD[QA:0];
    wire in_unit = u_left != 32'd0;
    wire a_space = {1'b0, aq} < {1'b0, a_free} + {1'b0, l_cap};
    wire can_issue = in_unit && !fifo_full && (u_kind != K_A || a_space);
    wire [31:0] r_len = u_left > MB ? MB : u_left;
    wire r_last = u_left <= MB;     // the unit's last request
    wire [31:0] r_beats = (r_len + PBW - 32'd1) / PBW;  // PB a power of two: a shift
    assign rd_req_valid = can_issue;
    assign rd_req_addr = u_addr;
    assign rd_req_len = r_len;
    wire issue = can_issue && rd_req_ready;
    wire want_unit = !in_unit || (issue && r_last);       // the next unit may load
    wire take = want_unit && qn != 2'd0;                 // from the queue
    wire direct = want_unit && qn == 2'd0 && push;       // from the walker (queue empty)

    always @(posedge clk) begin
        if (rst) begin
            qw <= 1'b0;
            qr <= 1'b0;
            qn <= 2'd0;
            u_left <= 32'd0;
            u_addr <= {ADDR_BITS{1'b0}};
            u_kind <= K_OTHER;
            aq <= 16'd0;
        end else begin
            if (push && !direct) begin
                qa[qw] <= e_addr;
                ql[qw] <= e_len;
                qk[qw] <= e_kind;
                qw <= ~qw;
            end
            if (take) begin
                u_addr <= qa[qr];
                u_left <= ql[qr];
                u_kind <= qk[qr];
                qr <= ~qr;
            end else if (direct) begin
                u_addr <= e_addr;
                u_left <= e_len;
                u_kind <= e_kind;
            end else if (issue) begin
                u_addr <= u_addr + MB[ADDR_BITS-1:0];
                u_left <= u_left - r_len;
            end
            qn <= qn + {1'b0, push && !direct} - {1'b0, take};
            if (start)
                aq <= 16'd0;
            else if (issue && r_last && u_kind == K_A)
                aq <= aq + 16'd1;
        end
    end

    // ---- request FIFO: beats and what the request ends -----------------------------------
    reg [15:0] fb [0:(1<<QA)-1];    // beats (MAX_BURST / PB at most)
    reg [1:0] fk [0:(1<<QA)-1];     // kind of the unit it ends (K_OTHER: none)
    reg [QA-1:0] fw, fr;
    reg [15:0] beat;                // beats of the head request so far
    wire head_done = rd_data_valid && beat + 16'd1 >= fb[fr];
    always @(posedge clk) begin
        if (rst) begin
            fw <= {QA{1'b0}};
            fr <= {QA{1'b0}};
            fcnt <= {(QA+1){1'b0}};
            beat <= 16'd0;
        end else begin
            if (issue) begin
                fb[fw] <= r_beats[15:0];
                fk[fw] <= r_last ? u_kind : K_OTHER;
                fw <= fw + 1'b1;
            end
            if (rd_data_valid)
                beat <= head_done ? 16'd0 : beat + 16'd1;
            if (head_done)
                fr <= fr + 1'b1;
            fcnt <= fcnt + {{QA{1'b0}}, issue} - {{QA{1'b0}}, head_done};
        end
    end

    // ---- done counters: a unit's last beat in cycle D - 1 -> usable from D + 1 (+ WL) -----
    reg w_pulse;
    reg [WL:0] a_pipe;
    always @(posedge clk) begin
        if (rst || start) begin
            w_pulse <= 1'b0;
            a_pipe <= {(WL+1){1'b0}};
            a_done <= 16'd0;
            w_done <= 16'd0;
        end else begin
            w_pulse <= head_done && fk[fr] == K_W;
            a_pipe <= {a_pipe[WL-1:0], head_done && fk[fr] == K_A};
            if (w_pulse)
                w_done <= w_done + 16'd1;
            if (a_pipe[WL])
                a_done <= a_done + 16'd1;
        end
    end

    assign busy = ph_r != P_IDLE || qn != 2'd0 || in_unit || fcnt != {(QA+1){1'b0}};
    wire unused_ld2 = &{1'b0, rd_data, ya_inc, l_wu_bytes, r_beats};  // (ADDR_BITS < 32: high bits)
endmodule
