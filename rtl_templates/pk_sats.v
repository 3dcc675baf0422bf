// pk_sats - resize a signed value to WO bits with saturation (QUANT.md sat_s).
//
// y = sat_s(x, WO): narrowing clamps to [-2^(WO-1), 2^(WO-1)-1]; widening
// (WO >= WI) sign-extends.  Combinational.  Requires WI >= 1, WO >= 2.
module pk_sats #(
    parameter WI = 16,
    parameter WO = 8
) (
    input  wire signed [WI-1:0] x,
    output wire signed [WO-1:0] y
);
    generate
        if (WO == WI) begin : g_same
            assign y = x;
        end else if (WO > WI) begin : g_ext
            assign y = {{(WO-WI){x[WI-1]}}, x};
        end else begin : g_clamp
            // In range iff the bits above the result's sign bit all equal the
            // sign: x[WI-1:WO-1] all zeros or all ones.
            wire [WI-WO:0] top = x[WI-1:WO-1];
            wire in_range = (top == {(WI-WO+1){1'b0}}) | (top == {(WI-WO+1){1'b1}});
            assign y = in_range ? x[WO-1:0] : {x[WI-1], {(WO-1){~x[WI-1]}}};
        end
    endgenerate
endmodule
