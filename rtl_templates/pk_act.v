// pk_act - activation stage (QUANT.md act(x), t4).  Equals pk_q_act_rm(); every
// rshr below is rshr_e when rne = 1 (round half to even).
// Combinational.
//
//   mode 0 none  : x
//   mode 1 relu  : max(x, 0)
//   mode 2 clip  : min(max(x, clip_lo), clip_hi)
//   mode 3 prelu : x >= 0 ? x : sat_s(rshr(x * an, sh), P)
//   mode 4 dprelu: sat_s(rshr(x * (x >= 0 ? ap : an), sh), P)
//   mode 5 rprelu: u = sat_s(x - g, P); v = u >= 0 ? u : sat_s(rshr(u * an, sh), P);
//                  sat_s(v + z, P)
//   6, 7, and every mode whose ACT_MASK bit is 0: x (the mapper never selects
//   them; their logic is not built)
// The three PReLU forms share one P x APB multiplier: its operand is u for
// rprelu and x otherwise, its parameter ap only for dprelu with x >= 0.
//
// Parameters: P (internal_bits, >= 2), APB (act_param_bits), SHB (bits of the
// shift, <= 4 from the descriptor), ACT_MASK (bit i: pk_act id i built).
// Ports: x signed P; mode 3 bits; an, ap signed APB; g, z, clip_lo, clip_hi
// signed 16; sh unsigned SHB; rne the rounding mode; y signed AW = max(P, 16) (clip bounds may lie
// outside the P-bit range; the output stage saturates).
module pk_act #(
    parameter P = 32,
    parameter APB = 8,
    parameter SHB = 4,
    parameter ACT_MASK = 6'b111111
) (
    input  wire signed [P-1:0] x,
    input  wire [2:0] mode,
    input  wire signed [APB-1:0] an,
    input  wire signed [APB-1:0] ap,
    input  wire signed [15:0] g,
    input  wire signed [15:0] z,
    input  wire [SHB-1:0] sh,
    input  wire rne,
    input  wire signed [15:0] clip_lo,
    input  wire signed [15:0] clip_hi,
    output reg signed [(P > 16 ? P : 16)-1:0] y
);
    localparam AW = P > 16 ? P : 16;
    localparam GW = AW + 1;
    localparam WP = P + APB;

    // sign extensions
    wire signed [AW-1:0] x_a, lo_a, hi_a;
    wire signed [GW-1:0] x_g, g_g, z_g;
    pk_sats #(.WI(P), .WO(AW)) u_xa (.x(x), .y(x_a));
    pk_sats #(.WI(16), .WO(AW)) u_lo (.x(clip_lo), .y(lo_a));
    pk_sats #(.WI(16), .WO(AW)) u_hi (.x(clip_hi), .y(hi_a));
    pk_sats #(.WI(P), .WO(GW)) u_xg (.x(x), .y(x_g));
    pk_sats #(.WI(16), .WO(GW)) u_gg (.x(g), .y(g_g));
    pk_sats #(.WI(16), .WO(GW)) u_zg (.x(z), .y(z_g));

    // relu, clip
    wire signed [AW-1:0] relu_v = x[P-1] ? {AW{1'b0}} : x_a;
    wire signed [AW-1:0] clip_1 = (x_a < lo_a) ? lo_a : x_a;
    wire signed [AW-1:0] clip_v = (clip_1 > hi_a) ? hi_a : clip_1;

    // PReLU family
    wire is_dprelu = (mode == 3'd4);
    wire is_rprelu = (mode == 3'd5);
    wire signed [GW-1:0] xg_diff = x_g - g_g;
    wire signed [P-1:0] u;
    pk_sats #(.WI(GW), .WO(P)) u_u (.x(xg_diff), .y(u));
    wire signed [P-1:0] opnd = is_rprelu ? u : x;
    wire signed [APB-1:0] par = (is_dprelu && !x[P-1]) ? ap : an;
    wire signed [WP-1:0] prod = opnd * par;   // signed P x APB, natural width
    wire signed [WP-1:0] prod_r;
    wire signed [P-1:0] scaled;
    pk_rshr #(.W(WP), .SB(SHB)) u_rshr (.x(prod), .s(sh), .rne(rne), .y(prod_r));
    pk_sats #(.WI(WP), .WO(P)) u_scaled (.x(prod_r), .y(scaled));
    wire signed [P-1:0] v = (!is_dprelu && !opnd[P-1]) ? opnd : scaled;
    wire signed [GW-1:0] v_g, vz;
    pk_sats #(.WI(P), .WO(GW)) u_vg (.x(v), .y(v_g));
    assign vz = v_g + z_g;
    wire signed [P-1:0] rp;
    pk_sats #(.WI(GW), .WO(P)) u_rp (.x(vz), .y(rp));
    wire signed [AW-1:0] v_a, rp_a;
    pk_sats #(.WI(P), .WO(AW)) u_va (.x(v), .y(v_a));
    pk_sats #(.WI(P), .WO(AW)) u_rpa (.x(rp), .y(rp_a));

    always @* begin
        case (mode)
            3'd1: y = ACT_MASK[1] ? relu_v : x_a;
            3'd2: y = ACT_MASK[2] ? clip_v : x_a;
            3'd3: y = ACT_MASK[3] ? v_a : x_a;
            3'd4: y = ACT_MASK[4] ? v_a : x_a;
            3'd5: y = ACT_MASK[5] ? rp_a : x_a;
            default: y = x_a;
        endcase
    end
endmodule
