// pk_satu - a signed value clamped to the unsigned range of WO bits
// (QUANT.md sat_u): y = min(max(x, 0), 2^WO - 1).  Combinational.
// Requires WI >= 2, WO >= 1.
module pk_satu #(
    parameter WI = 16,
    parameter WO = 8
) (
    input  wire signed [WI-1:0] x,
    output wire [WO-1:0] y
);
    // x >= 0 has WI-1 magnitude bits x[WI-2:0].
    generate
        if (WI - 1 > WO) begin : g_clamp
            wire over = |x[WI-2:WO];
            assign y = x[WI-1] ? {WO{1'b0}} : over ? {WO{1'b1}} : x[WO-1:0];
        end else if (WI - 1 == WO) begin : g_fit
            assign y = x[WI-1] ? {WO{1'b0}} : x[WO-1:0];
        end else begin : g_ext
            assign y = x[WI-1] ? {WO{1'b0}} : {{(WO-WI+1){1'b0}}, x[WI-2:0]};
        end
    endgenerate
endmodule
