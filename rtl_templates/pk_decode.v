// pk_decode - value of a stored operand code (QUANT.md "Operands"):
//   width 1 (log2b 0): bit 1 -> +1, bit 0 -> -1 (binary, is_signed ignored)
//   width 2, 4, 8    : sx(code, b) if is_signed else zx(code, b)
// code holds the operand in its low 2^log2b bits (upper bits ignored).
// Combinational; the result is 9-bit signed (covers unsigned 8-bit).
module pk_decode (
    input  wire [7:0] code,
    input  wire [1:0] log2b,
    input  wire is_signed,
    output reg signed [8:0] val
);
    always @* begin
        case (log2b)
            2'd0: val = code[0] ? 9'sd1 : -9'sd1;
            2'd1: val = {{7{is_signed & code[1]}}, code[1:0]};
            2'd2: val = {{5{is_signed & code[3]}}, code[3:0]};
            default: val = {is_signed & code[7], code[7:0]};
        endcase
    end
endmodule
