#!/usr/bin/env python3
"""make_models.py - the ONNX test models of tests/data/onnx/ and their reference
outputs (docs/IMPORT.md, "Test models").

Run in the project's venv:  $(scripts/onnx-venv.sh) tests/data/onnx/make_models.py [--full DIR | --geom]
(--geom: only the geometry models geom_u8, geom_s8, q_geom and their references)

Writes, next to this script (all deterministic: fixed seeds, no timestamps):
  digits_x.npy        float32 (N, 8, 8, 1), N = 128: the first digits images, pixels / 16
  digits_y.npy        int32 (N,): their labels
  digits_xc.npy       the same images centered (pixels / 16 - 0.5), the input of cnn_u8c
  mlp_u8.onnx         64-32-10 MLP (sklearn MLPClassifier on digits), onnxruntime
                      quantize_static QDQ: per-channel int8 weights, uint8 asymmetric activations
  mlp_s8.onnx         the same, int8 symmetric activations
  cnn_u8.onnx         conv3x3(8)-relu-maxpool2-conv3x3(16)-relu-flatten-gemm(10); random conv
                      features, the classifier trained by sklearn; QDQ per-channel, uint8
  cnn_s8.onnx         the same, int8 symmetric activations
  q4_pow2.onnx        QONNX 4-bit MLP 64-32-10: Quant nodes, power-of-two scales, HALF_UP rounding
  q4_float.onnx       the same with float scales and ROUND (half to even) rounding
  q4_pow2_even.onnx   q4_pow2 with ROUND rounding and signed 8-bit logits (zero point 0)
  cnn_u8c.onnx        cnn_u8 trained and quantized on centered pixels (x - 0.5, in digits_xc.npy):
                      the padded first conv's uint8 input has zero point 128
  cnn_pool_u8.onnx    conv3x3(8)-relu-avgpool3x3(pads 1, count_include_pad 1)-conv3x3(16, stride 2)-relu-
                      globalavgpool-flatten-gemm(10); QDQ uint8 as cnn_u8
  q_ops.onnx          QONNX, power-of-two scales, HALF_UP, every op of the exact path on an
                      8x8 digit: Conv + BatchNormalization + Relu, depthwise Conv, Add, MaxPool,
                      1x1 and 3x3 Conv branches into Concat, Mul / Div by constants, Clip,
                      Reshape, Transpose, Identity, MatMul + Add (bias), Softmax tail; random
                      weights (a coverage model, not a classifier)
  q_prelu.onnx        QONNX: conv3x3(4) + PRelu (per-channel slopes k/64) quantized at the
                      accumulator's scale, ROUND: exact on Pike's act_mode prelu; flatten-matmul(10)
  q_add_shift.onnx    QONNX: two conv branches at scales 2^-2 and 2^-4 added both ways round (Pike's
                      add a_shift / r_shift 2), the sums concatenated, MatMul(10)
  q_trunc.onnx        QONNX: conv3x3(4)-relu-Quant-AveragePool 2x2-Trunc (window sums 6 -> 4 bits,
                      FLOOR)-flatten-MatMul(10); q_trunc_round.onnx: the same with Trunc ROUND
  q_concat_scales.onnx QONNX: two conv branches at scales 2^-2 and 2^-4 concatenated and quantized
                      at 2^-3 (ROUND): a requantization per branch; flatten-MatMul(10)
  q_se.onnx           QONNX 4-bit squeeze-and-excitation (power-of-two scales): conv3x3(4)-relu = x,
                      globalavgpool-conv1x1(2)-relu-conv1x1(4)-relu = s, Mul(x, s) (ROUND), MatMul(10)
  cnn_se_u8.onnx      conv3x3(8)-relu, squeeze-and-excitation (globalavgpool-conv1x1(4)-relu-
                      conv1x1(8)-relu, Mul), maxpool2-flatten-gemm(10); onnxruntime QDQ uint8 (cnn_se_s8:
                      int8 symmetric); random conv and SE weights, the classifier trained by sklearn
  deep100.onnx        QONNX chain of 100 3x3 convolutions (4 channels, 8x8): import-time check
  geom_u8.onnx        geometry (section "Geometry models"): conv1x3 (pads [0,1,0,1]) - conv3x1
                      (strides (2,1), pads [1,0,1,0], group 4, 8->16) - maxpool [1,3] strides [1,2]
                      (4x8 -> 4x3) - conv2x2 auto_pad SAME_UPPER (TF: pads [0,0,1,1]), group 2 -
                      globalavgpool over 4x3 - gemm(10); onnxruntime QDQ uint8 as cnn_u8
  geom_s8.onnx        the same, int8 symmetric activations
  q_geom.onnx         QONNX 4-bit, power-of-two scales, HALF_UP: the same kinds of geometry (conv1x3,
                      conv3x1 stride (2,1) group 4, maxpool [1,3] strides [1,4] (4x8 -> 4x2), conv2x2
                      SAME_UPPER group 2, globalavgpool over 4x2, matmul(10))
  NAME.ref.npy        int32 (N, 10): the model's output codes for digits_x (cnn_u8c: digits_xc)
                      (onnxruntime for QDQ,
                      qonnx execute_onnx for QONNX)
  bad/*.onnx          malformed and unsupported models (the expected errors are in
                      tests/test_onnx_errors.c)
With --full DIR it also writes DIR/digits_x.npy, digits_y.npy and DIR/NAME.ref.npy for all
1,797 images (for the agreement measurement; not committed).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
N_COMMIT = 128
OPSET = 13


def digits():
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)  # (1797, 8, 8)
    return x, d.target.astype(np.int32)


def save(model, path):
    model.producer_name = "pike-make_models"
    model.producer_version = "1"
    onnx.checker.check_model(model)
    onnx.save(model, path)


def float_mlp(x, y):
    clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=600, random_state=1)
    clf.fit(x.reshape(len(x), -1), y)
    w1, w2 = clf.coefs_
    b1, b2 = clf.intercepts_
    inits = [numpy_helper.from_array(a.astype(np.float32), n) for a, n in
             ((w1.T, "w1"), (b1, "b1"), (w2.T, "w2"), (b2, "b2"))]
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h1"], name="fc1", transB=1),
        helper.make_node("Relu", ["h1"], ["r1"], name="relu1"),
        helper.make_node("Gemm", ["r1", "w2", "b2"], ["logits"], name="fc2", transB=1),
    ]
    g = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 64])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 10])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)]), (w1, b1, w2, b2)


def conv_np(x, w, pad):
    """x (N, C, H, W), w (O, C, k, k): float conv, stride 1."""
    n, c, h, wd = x.shape
    o, _, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n, o, h, wd), np.float32)
    for i in range(k):
        for j in range(k):
            out += np.einsum("nchw,oc->nohw", xp[:, :, i:i + h, j:j + wd], w[:, :, i, j])
    return out


def random_convs(seed):
    """Random weights and biases of conv3x3(1 -> 8) and conv3x3(8 -> 16)."""
    rng = np.random.default_rng(seed)
    w1 = (rng.standard_normal((8, 1, 3, 3)) / 3).astype(np.float32)
    b1 = (rng.standard_normal(8) * 0.05).astype(np.float32)
    w2 = (rng.standard_normal((16, 8, 3, 3)) / np.sqrt(72)).astype(np.float32)
    b2 = (rng.standard_normal(16) * 0.05).astype(np.float32)
    return w1, b1, w2, b2


def conv_classifier(name, convs, feat, y, C, middle, extra=()):
    """conv1-relu1, the nodes `middle` (from r1 to f), gemm(10) trained by sklearn on feat;
    extra: more (array, name) initializers of the middle nodes."""
    w1, b1, w2, b2 = convs
    clf = LogisticRegression(max_iter=2000, C=C, random_state=1)
    clf.fit(feat, y)
    w3 = clf.coef_.astype(np.float32)
    b3 = clf.intercept_.astype(np.float32)
    inits = [numpy_helper.from_array(a, n) for a, n in
             ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"), (w3, "w3"), (b3, "b3")) + tuple(extra)]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    ] + middle + [helper.make_node("Gemm", ["f", "w3", "b3"], ["logits"], name="fc", transB=1)]
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 1, 8, 8])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 10])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])


def float_cnn(x, y):
    convs = w1, b1, w2, b2 = random_convs(7)
    a1 = np.maximum(conv_np(x[:, None, :, :], w1, 1) + b1[None, :, None, None], 0)
    p1 = a1.reshape(len(x), 8, 4, 2, 4, 2).max(axis=(3, 5))
    a2 = np.maximum(conv_np(p1, w2, 1) + b2[None, :, None, None], 0)
    middle = [
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Flatten", ["r2"], ["f"], name="flat", axis=1),
    ]
    return conv_classifier("cnn", convs, a2.reshape(len(x), -1), y, 0.5, middle)


def float_pool_cnn(x, y):
    """conv3x3(8)-relu-avgpool3x3(stride 1, pads 1, count_include_pad 1)-conv3x3(16, stride 2)-relu-
    globalavgpool-flatten-gemm(10): random conv features, the classifier trained by sklearn."""
    convs = w1, b1, w2, b2 = random_convs(11)
    a1 = np.maximum(conv_np(x[:, None, :, :], w1, 1) + b1[None, :, None, None], 0)
    ap = np.pad(a1, ((0, 0), (0, 0), (1, 1), (1, 1)))
    p1 = sum(ap[:, :, i:i + 8, j:j + 8] for i in range(3) for j in range(3)) / 9
    a2 = np.maximum(conv_np(p1, w2, 1)[:, :, ::2, ::2] + b2[None, :, None, None], 0)
    middle = [
        helper.make_node("AveragePool", ["r1"], ["p1"], name="pool1", kernel_shape=[3, 3], strides=[1, 1],
                         pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1], kernel_shape=[3, 3],
                         strides=[2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flat", axis=1),
    ]
    return conv_classifier("cnn_pool", convs, a2.mean(axis=(2, 3)), y, 10.0, middle)


class Reader:
    def __init__(self, x):
        self.items = [{"x": x[i:i + 1]} for i in range(len(x))]
        self.i = 0

    def get_next(self):
        if self.i >= len(self.items):
            return None
        self.i += 1
        return self.items[self.i - 1]

    def rewind(self):
        self.i = 0


def qdq(float_model, calib, path, symmetric):
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static
    tmp = path + ".float.tmp"
    onnx.save(float_model, tmp)
    quantize_static(tmp, path, Reader(calib), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QInt8 if symmetric else QuantType.QUInt8,
                    weight_type=QuantType.QInt8,
                    extra_options={"ActivationSymmetric": symmetric, "WeightSymmetric": True})
    os.remove(tmp)
    m = onnx.load(path)
    m.producer_name = "pike-make_models (onnxruntime quantize_static)"
    onnx.save(m, path)


def output_quant(model, out=None):
    """(scale, zero point) of the DequantizeLinear / Quant that makes value out (the graph output)."""
    out = out or model.graph.output[0].name
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for n in model.graph.node:
        if n.output[0] == out:
            if n.op_type == "DequantizeLinear":
                return float(inits[n.input[1]]), int(inits[n.input[2]]) if len(n.input) > 2 else 0
            if n.op_type == "Quant":
                return float(inits[n.input[1]]), int(inits[n.input[2]])
    raise SystemExit("%s: output is not dequantized" % model.graph.name)


def ort_codes(path, xin):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    name = s.get_inputs()[0].name
    out = np.concatenate([s.run(None, {name: xin[i:i + 256]})[0] for i in range(0, len(xin), 256)])
    sc, zp = output_quant(onnx.load(path))
    codes = np.round(out.astype(np.float64) / sc) + zp
    assert np.all(np.abs(codes - (out / sc + zp)) < 1e-3), "output not on the code grid"
    return codes.astype(np.int32)


# ---- QONNX 4-bit MLP -------------------------------------------------------------------------

def pow2(v):
    return float(2.0 ** np.round(np.log2(v)))


def qonnx_mlp(w, path, use_pow2, rnd=None, signed_out=False):
    w1, b1, w2, b2 = w
    rnd = rnd or ("HALF_UP" if use_pow2 else "ROUND")
    f = pow2 if use_pow2 else float
    s_in = f(1.0 / 15)            # inputs in [0, 1]: unsigned 4-bit
    s_w1 = f(np.abs(w1).max() / 7)
    s_h = f(4.0 / 15)             # hidden activations after ReLU: unsigned 4-bit
    s_w2 = f(np.abs(w2).max() / 7)
    s_out = f(16.0 / 127)         # logits: unsigned 8-bit, zero point 128 (see below)
    inits = {
        "w1": w1.T.astype(np.float32), "b1": b1.astype(np.float32),
        "w2": w2.T.astype(np.float32), "b2": b2.astype(np.float32),
        "s_in": np.float32(s_in), "s_w1": np.float32(s_w1), "s_h": np.float32(s_h),
        "s_w2": np.float32(s_w2), "s_out": np.float32(s_out), "z": np.float32(0),
        "z128": np.float32(128),
        "b4": np.float32(4), "b8": np.float32(8), "bb": np.float32(24),
        "s_b1": np.float32(s_in * s_w1), "s_b2": np.float32(s_h * s_w2),
    }

    def quant(name, x, s, bits, signed, narrow, z="z"):
        return helper.make_node("Quant", [x, s, z, bits], [name], name="q_" + name,
                                domain="qonnx.custom_op.general", signed=signed, narrow=narrow,
                                rounding_mode=rnd)

    nodes = [
        quant("xq", "x", "s_in", "b4", 0, 0),
        quant("w1q", "w1", "s_w1", "b4", 1, 1),
        quant("b1q", "b1", "s_b1", "bb", 1, 0),
        helper.make_node("Gemm", ["xq", "w1q", "b1q"], ["h1"], name="fc1", transB=1),
        helper.make_node("Relu", ["h1"], ["r1"], name="relu1"),
        quant("hq", "r1", "s_h", "b4", 0, 0),
        quant("w2q", "w2", "s_w2", "b4", 1, 1),
        quant("b2q", "b2", "s_b2", "bb", 1, 0),
        helper.make_node("Gemm", ["hq", "w2q", "b2q"], ["h2"], name="fc2", transB=1),
        # The logits as unsigned codes around zero point 128: every code is >= 0, so
        # HALF_UP (half away from zero) and Pike's half up agree on every tie.
        # (q4_pow2_even: signed logits, zero point 0, ROUND: negative ties too, which
        # only Pike's rounding: half_even decides as qonnx does.)
        quant("logits", "h2", "s_out", "b8", 1, 0, "z") if signed_out
        else quant("logits", "h2", "s_out", "b8", 0, 0, "z128"),
    ]
    g = helper.make_graph(nodes, "q4", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])],
                          [numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET),
                                            helper.make_opsetid("qonnx.custom_op.general", 1)])
    m.producer_name = "pike-make_models"
    onnx.save(m, path)


def qnode(name, x, s, bits, signed, narrow=0, z="z", rnd="HALF_UP"):
    return helper.make_node("Quant", [x, s, z, bits], [name], name="q_" + name,
                            domain="qonnx.custom_op.general", signed=signed, narrow=narrow,
                            rounding_mode=rnd)


def qonnx_model(nodes, inits, name, in_shape, out_name="out", out_shape=(1, 10)):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(in_shape))],
                          [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, list(out_shape))],
                          [numpy_helper.from_array(np.asarray(v, dtype=np.float32), k) for k, v in inits.items()])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET),
                                            helper.make_opsetid("qonnx.custom_op.general", 1)])
    m.producer_name = "pike-make_models"
    return m


def ops_model(path):
    rng = np.random.default_rng(11)

    def w(shape, scale):  # weights that are exactly 4-bit codes times a power-of-two scale
        return (rng.integers(-7, 8, size=shape) * scale).astype(np.float32)

    eps = 2.0 ** -10
    inits = {
        "z": 0, "z128": 128, "b4": 4, "b8": 8, "bb": 24,
        "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2, "s_b": 2.0 ** -1, "s_o": 2.0 ** 1,
        "s_bias": 2.0 ** -7,
        "w1": w((8, 1, 3, 3), 1), "b1": w((8,), 2.0 ** -4),
        "bn_g": np.full(8, 0.25), "bn_b": w((8,), 2.0 ** -2), "bn_m": w((8,), 2.0 ** -3),
        "bn_v": np.full(8, 0.25 - eps),   # sqrt(var + eps) = 0.5: the fold is exact
        "wd": w((8, 1, 3, 3), 1),
        "wb1": w((8, 8, 1, 1), 1), "wb2": w((8, 8, 3, 3), 1),
        "k2": 2.0, "k4": 4.0,
        "wm": w((256, 10), 1), "bm": w((10,), 2.0 ** -2),
        "shape": np.array([1, -1], dtype=np.float32),
    }
    nodes = [
        qnode("xq", "x", "s_in", "b4", 0),
        qnode("w1q", "w1", "s_w", "b4", 1, 1),
        helper.make_node("Conv", ["xq", "w1q", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization", ["c1", "bn_g", "bn_b", "bn_m", "bn_v"], ["bn1"], name="bn1", epsilon=eps),
        helper.make_node("Relu", ["bn1"], ["r1"], name="relu1"),
        qnode("a1", "r1", "s_a", "b4", 0),
        qnode("wdq", "wd", "s_w", "b4", 1, 1),
        helper.make_node("Conv", ["a1", "wdq"], ["d1"], name="dw", pads=[1, 1, 1, 1], kernel_shape=[3, 3], group=8),
        helper.make_node("Relu", ["d1"], ["rd"], name="relu_dw"),
        qnode("a2", "rd", "s_a", "b4", 0),
        helper.make_node("Add", ["a1", "a2"], ["sum"], name="add"),
        qnode("a3", "sum", "s_b", "b4", 0),
        helper.make_node("MaxPool", ["a3"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        qnode("wb1q", "wb1", "s_w", "b4", 1, 1),
        helper.make_node("Conv", ["p", "wb1q"], ["cb1"], name="branch1", kernel_shape=[1, 1]),
        helper.make_node("Mul", ["cb1", "k2"], ["cb1m"], name="mul2"),
        helper.make_node("Relu", ["cb1m"], ["rb1"], name="relu_b1"),
        qnode("b1o", "rb1", "s_b", "b4", 0),
        qnode("wb2q", "wb2", "s_w", "b4", 1, 1),
        helper.make_node("Conv", ["p", "wb2q"], ["cb2"], name="branch2", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Div", ["cb2", "k4"], ["cb2d"], name="div4"),
        helper.make_node("Clip", ["cb2d", "", ""], ["cb2c"], name="clip_none"),
        helper.make_node("Relu", ["cb2c"], ["rb2"], name="relu_b2"),
        qnode("b2o", "rb2", "s_b", "b4", 0),
        helper.make_node("Concat", ["b1o", "b2o"], ["cat"], name="concat", axis=1),
        helper.make_node("Reshape", ["cat", "shape_i"], ["flat"], name="reshape"),
        helper.make_node("Transpose", ["flat"], ["flat_t"], name="transpose", perm=[0, 1]),
        helper.make_node("Identity", ["flat_t"], ["flat_i"], name="identity"),
        qnode("wmq", "wm", "s_w", "b4", 1, 1),
        helper.make_node("MatMul", ["flat_i", "wmq"], ["mm"], name="matmul"),
        helper.make_node("Add", ["mm", "bm"], ["mmb"], name="bias"),
        qnode("logits", "mmb", "s_o", "b8", 0, 0, "z128"),
        helper.make_node("Softmax", ["logits"], ["out"], name="softmax", axis=1),
    ]
    shape_i = numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "shape_i")
    del inits["shape"]
    m = qonnx_model(nodes, inits, "q_ops", (1, 1, 8, 8))
    m.graph.initializer.append(shape_i)
    onnx.save(m, path)


def prelu_model(path):
    """Conv3x3(4) + PRelu (per-channel slopes k / 64) quantized at the accumulator's own scale
    (no rounding before the slope, ROUND half to even): exact on Pike's act_mode prelu."""
    rng = np.random.default_rng(13)
    inits = {
        "z": 0, "z128": 128, "b4": 4, "b8": 8,
        "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -7, "s_o": 2.0 ** -1,
        "w1": (rng.integers(-1, 2, size=(4, 1, 3, 3)) * 2.0 ** -3).astype(np.float32),
        "b1": (rng.integers(-8, 9, size=(4,)) * 2.0 ** -7).astype(np.float32),
        "slope": np.array([0.25, 0.125, 0.0625, 0.5], np.float32).reshape(4, 1, 1),
        "wm": (rng.integers(-7, 8, size=(256, 10)) * 2.0 ** -3).astype(np.float32),
    }
    nodes = [
        qnode("xq", "x", "s_in", "b4", 0, rnd="ROUND"),
        qnode("w1q", "w1", "s_w", "b4", 1, 1, rnd="ROUND"),
        helper.make_node("Conv", ["xq", "w1q", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("PRelu", ["c1", "slope"], ["p1"], name="prelu1"),
        qnode("a1", "p1", "s_a", "b8", 1, rnd="ROUND"),
        helper.make_node("Flatten", ["a1"], ["flat"], name="flatten", axis=1),
        qnode("wmq", "wm", "s_w", "b4", 1, 1, rnd="ROUND"),
        helper.make_node("MatMul", ["flat", "wmq"], ["mm"], name="matmul"),
        qnode("logits", "mm", "s_o", "b8", 0, 0, "z128", rnd="ROUND"),
        helper.make_node("Softmax", ["logits"], ["out"], name="softmax", axis=1),
    ]
    onnx.save(qonnx_model(nodes, inits, "q_prelu", (1, 1, 8, 8)), path)


def logits_tail(x):
    """Flatten x, MatMul by the 4-bit wm (s_w), logits unsigned 8-bit (s_o, zero point 128)."""
    return [
        helper.make_node("Flatten", [x], ["flat"], name="flatten", axis=1),
        qnode("wmq", "wm", "s_w", "b4", 1, 1),
        helper.make_node("MatMul", ["flat", "wmq"], ["mm"], name="matmul"),
        qnode("logits", "mm", "s_o", "b8", 0, 0, "z128"),
    ]


def branch_weights(seed):
    """Weights of two_branches (wa, wb) and of the MatMul(512 -> 10) after them (wm)."""
    rng = np.random.default_rng(seed)
    return {k: (rng.integers(-7, 8, size=shape) * 2.0 ** -3).astype(np.float32)
            for k, shape in (("wa", (4, 1, 3, 3)), ("wb", (4, 1, 3, 3)), ("wm", (512, 10)))}


def two_branches():
    """The input quantizer (s_in) and two conv3x3(4)-relu branches on it, quantized as a (s_a) and
    b (s_b), 4-bit unsigned."""
    conv = lambda w, out: helper.make_node("Conv", ["xq", w], [out], name=out, pads=[1, 1, 1, 1],
                                           kernel_shape=[3, 3])
    return [
        qnode("xq", "x", "s_in", "b4", 0),
        qnode("waq", "wa", "s_w", "b4", 1, 1), conv("waq", "conv_a"),
        helper.make_node("Relu", ["conv_a"], ["ra"], name="relu_a"), qnode("a", "ra", "s_a", "b4", 0),
        qnode("wbq", "wb", "s_w", "b4", 1, 1), conv("wbq", "conv_b"),
        helper.make_node("Relu", ["conv_b"], ["rb"], name="relu_b"), qnode("b", "rb", "s_b", "b4", 0),
    ]


def add_shift_model(path):
    """Two conv branches quantized at scales 2^-2 and 2^-4 added both ways round (Add(a, b): A is
    the coarser, Pike's a_shift 2; Add(b, a): r_shift 2), the sums concatenated, MatMul(10)."""
    inits = {
        "z": 0, "z128": 128, "b4": 4, "b8": 8,
        "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2, "s_b": 2.0 ** -4, "s_s": 2.0 ** -4,
        "s_o": 2.0 ** 1,
    }
    inits.update(branch_weights(17))
    nodes = two_branches() + [
        helper.make_node("Add", ["a", "b"], ["ab"], name="add_ab"), qnode("sab", "ab", "s_s", "b8", 0),
        helper.make_node("Add", ["b", "a"], ["ba"], name="add_ba"), qnode("sba", "ba", "s_s", "b8", 0),
        helper.make_node("Concat", ["sab", "sba"], ["cat"], name="concat", axis=1),
    ] + logits_tail("cat")
    onnx.save(qonnx_model(nodes, inits, "q_add_shift", (1, 1, 8, 8), "logits"), path)


def concat_scales_model(path):
    """Two conv branches quantized at scales 2^-2 and 2^-4 (4-bit unsigned), concatenated and
    quantized at 2^-3 (ROUND: branch b's odd codes are ties, half to even); the importer inserts a
    requantization (avgpool 1x1) per branch; flatten-MatMul(10)."""
    inits = {
        "z": 0, "z128": 128, "b4": 4, "b8": 8,
        "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2, "s_b": 2.0 ** -4, "s_c": 2.0 ** -3,
        "s_o": 2.0 ** -1,
    }
    inits.update(branch_weights(23))
    nodes = two_branches() + [
        helper.make_node("Concat", ["a", "b"], ["cat"], name="concat", axis=1),
        qnode("catq", "cat", "s_c", "b4", 0, rnd="ROUND"),
    ] + logits_tail("catq")
    onnx.save(qonnx_model(nodes, inits, "q_concat_scales", (1, 1, 8, 8), "logits"), path)


def trunc_model(path, rnd):
    """conv3x3(4)-relu-Quant(4 bit, 2^-2)-AveragePool 2x2-QONNX Trunc (scale 2^-4: the window sums,
    6 -> 4 bits, rounding_mode rnd)-flatten-MatMul(10): Brevitas' truncated average pool."""
    rng = np.random.default_rng(19)
    inits = {
        "z": 0, "z128": 128, "b4": 4, "b6": 6, "b8": 8,
        "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2, "s_t": 2.0 ** -4, "s_o": 2.0 ** -1,
        "w1": (rng.integers(-7, 8, size=(4, 1, 3, 3)) * 2.0 ** -3).astype(np.float32),
        "b1": (rng.integers(-8, 9, size=(4,)) * 2.0 ** -7).astype(np.float32),
        "wm": (rng.integers(-7, 8, size=(64, 10)) * 2.0 ** -3).astype(np.float32),
    }
    nodes = [
        qnode("xq", "x", "s_in", "b4", 0),
        qnode("w1q", "w1", "s_w", "b4", 1, 1),
        helper.make_node("Conv", ["xq", "w1q", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        qnode("a1", "r1", "s_a", "b4", 0),
        helper.make_node("AveragePool", ["a1"], ["p1"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Trunc", ["p1", "s_t", "z", "b6", "b4"], ["t1"], name="trunc",
                         domain="qonnx.custom_op.general", rounding_mode=rnd),
    ] + logits_tail("t1")
    onnx.save(qonnx_model(nodes, inits, "q_trunc", (1, 1, 8, 8), "logits"), path)


def float_se_cnn(x, y):
    """conv3x3(8)-relu, squeeze-and-excitation (globalavgpool-conv1x1(4)-relu-conv1x1(8)-relu: s,
    Mul(r1, s)), maxpool2-flatten-gemm(10): random conv features, the classifier trained by sklearn."""
    convs = w1, b1, _, _ = random_convs(13)
    rng = np.random.default_rng(29)
    ws1 = (rng.standard_normal((4, 8, 1, 1)) / np.sqrt(8)).astype(np.float32)
    bs1 = (rng.standard_normal(4) * 0.05).astype(np.float32)
    ws2 = (rng.standard_normal((8, 4, 1, 1)) / 2).astype(np.float32)
    bs2 = (0.5 + rng.standard_normal(8) * 0.1).astype(np.float32)
    a1 = np.maximum(conv_np(x[:, None, :, :], w1, 1) + b1[None, :, None, None], 0)
    h = np.maximum(a1.mean(axis=(2, 3)) @ ws1[:, :, 0, 0].T + bs1, 0)
    sv = np.maximum(h @ ws2[:, :, 0, 0].T + bs2, 0)
    p = (a1 * sv[:, :, None, None]).reshape(len(x), 8, 4, 2, 4, 2).max(axis=(3, 5))
    middle = [
        helper.make_node("GlobalAveragePool", ["r1"], ["g"], name="se_gap"),
        helper.make_node("Conv", ["g", "ws1", "bs1"], ["h"], name="se_fc1", kernel_shape=[1, 1]),
        helper.make_node("Relu", ["h"], ["hr"], name="se_relu1"),
        helper.make_node("Conv", ["hr", "ws2", "bs2"], ["sc"], name="se_fc2", kernel_shape=[1, 1]),
        helper.make_node("Relu", ["sc"], ["s"], name="se_relu2"),
        helper.make_node("Mul", ["r1", "s"], ["m"], name="se_mul"),
        helper.make_node("MaxPool", ["m"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["f"], name="flat", axis=1),
    ]
    extra = ((ws1, "ws1"), (bs1, "bs1"), (ws2, "ws2"), (bs2, "bs2"))
    return conv_classifier("cnn_se", convs, p.reshape(len(x), -1), y, 0.5, middle, extra)


def se_model(path):
    """QONNX 4-bit squeeze-and-excitation, power-of-two scales: conv3x3(4)-relu-Quant(2^-2) = x;
    GlobalAveragePool-Quant-conv1x1(2)-relu-Quant-conv1x1(4)-relu-Quant(2^-3, 4-bit unsigned) = s;
    Mul(x, s)-Quant(2^-3, ROUND: ties half to even); flatten-MatMul(10)."""
    rng = np.random.default_rng(31)
    inits = {
        "z": 0, "z128": 128, "b4": 4, "b8": 8, "bb": 16,
        "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2, "s_g": 2.0 ** -3, "s_h": 2.0 ** -2,
        "s_s": 2.0 ** -3, "s_y": 2.0 ** -3, "s_o": 2.0 ** -1, "s_bias": 2.0 ** -6,
        "w1": (rng.integers(-7, 8, size=(4, 1, 3, 3)) * 2.0 ** -3).astype(np.float32),
        "ws1": (rng.integers(-7, 8, size=(2, 4, 1, 1)) * 2.0 ** -3).astype(np.float32),
        "bs1": (rng.integers(-16, 17, size=(2,)) * 2.0 ** -6).astype(np.float32),
        "ws2": (rng.integers(-7, 8, size=(4, 2, 1, 1)) * 2.0 ** -3).astype(np.float32),
        "bs2": (rng.integers(0, 64, size=(4,)) * 2.0 ** -6).astype(np.float32),
        "wm": (rng.integers(-7, 8, size=(256, 10)) * 2.0 ** -3).astype(np.float32),
    }
    nodes = [
        qnode("xq", "x", "s_in", "b4", 0),
        qnode("w1q", "w1", "s_w", "b4", 1, 1),
        helper.make_node("Conv", ["xq", "w1q"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"), qnode("a", "r1", "s_a", "b4", 0),
        helper.make_node("GlobalAveragePool", ["a"], ["g"], name="se_gap"), qnode("gq", "g", "s_g", "b4", 0),
        qnode("ws1q", "ws1", "s_w", "b4", 1, 1), qnode("bs1q", "bs1", "s_bias", "bb", 1),
        helper.make_node("Conv", ["gq", "ws1q", "bs1q"], ["h"], name="se_fc1", kernel_shape=[1, 1]),
        helper.make_node("Relu", ["h"], ["hr"], name="se_relu1"), qnode("hq", "hr", "s_h", "b4", 0),
        qnode("ws2q", "ws2", "s_w", "b4", 1, 1), qnode("bs2q", "bs2", "s_bias", "bb", 1),
        helper.make_node("Conv", ["hq", "ws2q", "bs2q"], ["sc"], name="se_fc2", kernel_shape=[1, 1]),
        helper.make_node("Relu", ["sc"], ["sr"], name="se_relu2"), qnode("s", "sr", "s_s", "b4", 0),
        helper.make_node("Mul", ["a", "s"], ["m"], name="se_mul"),
        qnode("y", "m", "s_y", "b4", 0, rnd="ROUND"),
    ] + logits_tail("y")
    onnx.save(qonnx_model(nodes, inits, "q_se", (1, 1, 8, 8), "logits"), path)


def chmul_models(models):
    """Issue 13's channel-wise multiply (squeeze-and-excitation) and concat of inputs of
    different scales (docs/IMPORT.md)."""
    concat_scales_model(os.path.join(HERE, "q_concat_scales.onnx"))
    models["q_concat_scales"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    se_model(os.path.join(HERE, "q_se.onnx"))
    models["q_se"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    x, y = digits()
    for sym in (False, True):
        tag = "s8" if sym else "u8"
        qdq(float_se_cnn(x, y), x[::9][:200, None], os.path.join(HERE, "cnn_se_%s.onnx" % tag), sym)
        models["cnn_se_" + tag] = ("ort", lambda xs: xs.reshape(len(xs), 1, 8, 8))


def deep_model(path, depth=100, ch=4):
    rng = np.random.default_rng(5)
    inits = {"z": 0, "b4": 4, "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2}
    nodes = [qnode("xq", "x", "s_in", "b4", 0)]
    prev = "xq"
    for i in range(depth):
        cin = 1 if i == 0 else ch
        inits["w%d" % i] = (rng.integers(-7, 8, size=(ch, cin, 3, 3)) * 1.0).astype(np.float32)
        nodes += [qnode("w%dq" % i, "w%d" % i, "s_w", "b4", 1, 1),
                  helper.make_node("Conv", [prev, "w%dq" % i], ["c%d" % i], name="conv%d" % i,
                                   pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
                  helper.make_node("Relu", ["c%d" % i], ["r%d" % i], name="relu%d" % i),
                  qnode("a%d" % i, "r%d" % i, "s_a", "b4", 0)]
        prev = "a%d" % i
    m = qonnx_model(nodes, inits, "deep100", (1, 1, 8, 8), prev, (1, ch, 8, 8))
    onnx.save(m, path)


# ---- Geometry models: non-square kernels / strides / maps, asymmetric pads, grouped convs -------

def geom_nodes(x, w, mp_strides, relu=True):
    """conv1x3 - conv3x1 (2,1) g4 - maxpool [1,3] - conv2x2 SAME_UPPER g2 - gap - flatten; the
    tensors named c1, c2, p, c3, g, f (relu outputs r1, r2, r3 when relu)."""
    a = lambda n: "r" + n[1:] if relu else n
    w = [v for v in w]
    b = lambda k: [w[k]] if w[k] else []  # optional bias
    nodes = [
        helper.make_node("Conv", [x, w[0]] + b(1), ["c1"], name="conv1x3", kernel_shape=[1, 3],
                         pads=[0, 1, 0, 1]),
        helper.make_node("Conv", [a("c1"), w[2]] + b(3), ["c2"], name="conv3x1", kernel_shape=[3, 1],
                         strides=[2, 1], pads=[1, 0, 1, 0], group=4),
        helper.make_node("MaxPool", [a("c2")], ["p"], name="pool1x3", kernel_shape=[1, 3],
                         strides=mp_strides),
        helper.make_node("Conv", ["p", w[4]] + b(5), ["c3"], name="conv_same", kernel_shape=[2, 2],
                         auto_pad="SAME_UPPER", group=2),
        helper.make_node("GlobalAveragePool", [a("c3")], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flat", axis=1),
    ]
    if relu:
        nodes.insert(1, helper.make_node("Relu", ["c1"], ["r1"], name="relu1"))
        nodes.insert(3, helper.make_node("Relu", ["c2"], ["r2"], name="relu2"))
        nodes.insert(6, helper.make_node("Relu", ["c3"], ["r3"], name="relu3"))
    return nodes


def geom_float(x, y):
    """The float geometry model: random conv features (the float graph up to f run by
    onnxruntime), the classifier trained by sklearn."""
    import onnxruntime as ort
    rng = np.random.default_rng(23)
    w1 = (rng.standard_normal((8, 1, 1, 3)) / 2).astype(np.float32)
    b1 = (rng.standard_normal(8) * 0.05).astype(np.float32)
    w2 = (rng.standard_normal((16, 2, 3, 1)) / 2).astype(np.float32)
    b2 = (rng.standard_normal(16) * 0.05).astype(np.float32)
    w3 = (rng.standard_normal((16, 8, 2, 2)) / 4).astype(np.float32)
    b3 = (rng.standard_normal(16) * 0.05).astype(np.float32)
    inits = [numpy_helper.from_array(a, n) for a, n in
             ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"), (w3, "w3"), (b3, "b3"))]
    xin = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 1, 8, 8])
    nodes = geom_nodes("x", ["w1", "b1", "w2", "b2", "w3", "b3"], [1, 2])
    feat = helper.make_model(helper.make_graph(nodes, "geom_feat", [xin],
                                               [helper.make_tensor_value_info("f", TensorProto.FLOAT, ["n", 16])],
                                               inits), opset_imports=[helper.make_opsetid("", OPSET)])
    s = ort.InferenceSession(feat.SerializeToString(), providers=["CPUExecutionProvider"])
    f = s.run(None, {"x": x[:, None, :, :]})[0]
    clf = LogisticRegression(max_iter=2000, C=10.0, random_state=1)
    clf.fit(f, y)
    inits += [numpy_helper.from_array(clf.coef_.astype(np.float32), "w4"),
              numpy_helper.from_array(clf.intercept_.astype(np.float32), "b4")]
    nodes = nodes + [helper.make_node("Gemm", ["f", "w4", "b4"], ["logits"], name="fc", transB=1)]
    g = helper.make_graph(nodes, "geom", [xin], [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 10])],
                          inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])


def geom_qonnx(path):
    """q_geom: the geometry of geom_nodes in QONNX, 4-bit, power-of-two scales, HALF_UP (exact)."""
    rng = np.random.default_rng(29)
    w = lambda shape: (rng.integers(-7, 8, size=shape) * 2.0 ** -3).astype(np.float32)
    inits = {"z": 0, "z128": 128, "b4": 4, "b8": 8, "s_in": 2.0 ** -4, "s_w": 2.0 ** -3,
             "s_a": 2.0 ** -2, "s_g": 2.0 ** -3, "s_o": 2.0 ** -2,
             "w1": w((8, 1, 1, 3)), "w2": w((16, 2, 3, 1)), "w3": w((16, 8, 2, 2)), "wm": w((16, 10))}
    nodes = geom_nodes("xq", ["w1q", None, "w2q", None, "w3q", None], [1, 4])
    quant = {"r1": "a1", "r2": "a2", "r3": "a3", "g": "gq"}
    for nd in nodes:  # activations re-quantized to 4 bits (gap: 8 bits) after each relu / the gap
        for k, v in enumerate(nd.input):
            if v in quant:
                nd.input[k] = quant[v]
    out = [qnode("xq", "x", "s_in", "b4", 0)] + [qnode(n + "q", n, "s_w", "b4", 1, 1) for n in ("w1", "w2", "w3")]
    for nd in nodes:
        out.append(nd)
        o = nd.output[0]
        if o in ("r1", "r2", "r3"):
            out.append(qnode(quant[o], o, "s_a", "b4", 0))
        if o == "g":
            out.append(qnode("gq", "g", "s_g", "b8", 0))
    out += [qnode("wmq", "wm", "s_w", "b4", 1, 1),
            helper.make_node("MatMul", ["f", "wmq"], ["mm"], name="matmul"),
            qnode("logits", "mm", "s_o", "b8", 0, 0, "z128")]
    onnx.save(qonnx_model(out, inits, "q_geom", (1, 1, 8, 8), "logits"), path)


def geom_models(x, y, models):
    """The geometry models and their reference kinds into models (see the docstring)."""
    fm = geom_float(x, y)
    for sym in (False, True):
        name = "geom_s8" if sym else "geom_u8"
        qdq(fm, x[::9][:200, None], os.path.join(HERE, name + ".onnx"), sym)
        models[name] = ("ort", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    geom_qonnx(os.path.join(HERE, "q_geom.onnx"))
    models["q_geom"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))


def bad_models(dirname):
    """Malformed / unsupported models; tests/test_onnx_errors.c has the expected errors."""
    os.makedirs(dirname, exist_ok=True)
    good = open(os.path.join(HERE, "mlp_u8.onnx"), "rb").read()
    open(os.path.join(dirname, "truncated.onnx"), "wb").write(good[:len(good) // 2])
    open(os.path.join(dirname, "not_onnx.onnx"), "wb").write(b"name: this is a YAML file\n")
    open(os.path.join(dirname, "empty.onnx"), "wb").write(b"")

    def variant(name, edit, base="mlp_u8.onnx"):
        m = onnx.load(os.path.join(HERE, base))
        edit(m)
        onnx.save(m, os.path.join(dirname, name))

    def trunc_zp(m):  # Trunc with zero point 128
        [n for n in m.graph.node if n.name == "trunc"][0].input[2] = "z128"
    variant("trunc_zp.onnx", trunc_zp, "q_trunc.onnx")

    def retype(m):
        t = [t for t in m.graph.initializer if t.name == "w1_quantized"][0]
        t.data_type = TensorProto.STRING
    variant("dtype.onnx", retype)

    def drop_init(m):
        keep = [t for t in m.graph.initializer if t.name != "w1_quantized"]
        del m.graph.initializer[:]
        m.graph.initializer.extend(keep)
    variant("missing_init.onnx", drop_init)

    def huge(m):
        t = [t for t in m.graph.initializer if t.name == "w1_quantized"][0]
        del t.dims[:]
        t.dims.extend([1 << 40, 1 << 40])
    variant("huge_dims.onnx", huge)

    def external(m):
        t = [t for t in m.graph.initializer if t.name == "w1_quantized"][0]
        t.data_location = TensorProto.EXTERNAL
        t.ClearField("raw_data")
        e = t.external_data.add()
        e.key, e.value = "location", "weights.bin"
    variant("external.onnx", external)

    def cycle(m):
        n = [n for n in m.graph.node if n.name == "fc1"][0]
        n.input[0] = "r1_DequantizeLinear_Output"  # fc1 now reads its own (requantized) output
    variant("cycle.onnx", cycle)

    def old_opset(m):
        m.opset_import[0].version = 7
    variant("opset.onnx", old_opset)

    def unknown(m):
        n = [n for n in m.graph.node if n.name == "fc1"][0]
        n.op_type = "LSTM"
    variant("unknown_op.onnx", unknown)

    def dup_output(m):
        n = [n for n in m.graph.node if n.name == "fc2"][0]
        n.output[0] = "r1"
    variant("duplicate_output.onnx", dup_output)

    def conv_variant(name, **kw):
        """A one-conv QONNX model with conv attributes kw (unsupported geometry)."""
        cin, cout = kw.pop("cin", 4), kw.pop("cout", 4)
        op = kw.pop("op", "Conv")
        inits = {"z": 0, "b4": 4, "s_in": 2.0 ** -4, "s_w": 2.0 ** -3, "s_a": 2.0 ** -2,
                 "w": np.ones((cout, cin // kw.get("group", 1), 3, 3), np.float32)}
        if op == "Conv":
            body = [qnode("wq", "w", "s_w", "b4", 1, 1),
                    helper.make_node("Conv", ["xq", "wq"], ["c"], name="conv", kernel_shape=[3, 3], **kw)]
        else:
            body = [helper.make_node(op, ["xq"], ["c"], name="pool", **kw)]
        nodes = [qnode("xq", "x", "s_in", "b4", 0)] + body + [qnode("out", "c", "s_a", "b4", 0)]
        onnx.save(qonnx_model(nodes, inits, name, (1, cin, 8, 8), "out", (1, cout, 8, 8)),
                  os.path.join(dirname, name + ".onnx"))
    def big_slope(m):  # a scalar slope of 3: an_c = 192 does not fit edge's 8-bit act_param
        t = [t for t in m.graph.initializer if t.name == "slope"][0]
        t.CopyFrom(numpy_helper.from_array(np.array(3.0, np.float32), "slope"))
    variant("prelu_slope.onnx", big_slope, "q_prelu.onnx")

    # (groups 2 and asymmetric pads import since the geometry models; these still do not)
    conv_variant("dilated", dilations=[2, 2], pads=[2, 2, 2, 2])
    conv_variant("big_pad", pads=[3, 0, 0, 0])
    # padded, count_include_pad 0: the divisor changes at the border (Pike's is fixed)
    conv_variant("avgpool", op="AveragePool", kernel_shape=[3, 3], pads=[1, 1, 1, 1])


def qonnx_codes(path, xin):
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_shapes import InferShapes
    mw = ModelWrapper(path).transform(InferShapes())
    sc, zp = output_quant(mw.model, "logits")
    out = np.stack([execute_onnx(mw, {"x": xin[i:i + 1]}, return_full_exec_context=True)["logits"][0]
                    for i in range(len(xin))])
    return (np.round(out.astype(np.float64) / sc) + zp).astype(np.int32)


def main():
    full = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--full" else None
    x, y = digits()
    if len(sys.argv) > 1 and sys.argv[1] == "--geom":  # only the geometry models (and their refs)
        models = {}
        geom_models(x, y, models)
        write_refs(x, y, models, [(HERE, N_COMMIT)])
        return
    flat = x.reshape(len(x), 64)
    mlp, mlp_w = float_mlp(x, y)
    cnn = float_cnn(x, y)
    calib = flat[::9][:200]
    models = {}
    xc = (x - 0.5).astype(np.float32)  # centered pixels: a uint8 input zero point near 128
    qdq(float_cnn(xc, y), xc[::9][:200, None], os.path.join(HERE, "cnn_u8c.onnx"), False)
    models["cnn_u8c"] = ("ort", lambda xs: (xs - np.float32(0.5)).reshape(len(xs), 1, 8, 8))
    qdq(float_pool_cnn(x, y), x[::9][:200, None], os.path.join(HERE, "cnn_pool_u8.onnx"), False)
    models["cnn_pool_u8"] = ("ort", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    for sym in (False, True):
        tag = "s8" if sym else "u8"
        qdq(mlp, calib, os.path.join(HERE, "mlp_%s.onnx" % tag), sym)
        qdq(cnn, x[::9][:200, None], os.path.join(HERE, "cnn_%s.onnx" % tag), sym)
        models["mlp_" + tag] = ("ort", lambda xs: xs.reshape(len(xs), 64))
        models["cnn_" + tag] = ("ort", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    qonnx_mlp(mlp_w, os.path.join(HERE, "q4_pow2.onnx"), True)
    qonnx_mlp(mlp_w, os.path.join(HERE, "q4_float.onnx"), False)
    qonnx_mlp(mlp_w, os.path.join(HERE, "q4_pow2_even.onnx"), True, "ROUND", True)
    models["q4_pow2"] = ("qonnx", lambda xs: xs.reshape(len(xs), 64))
    models["q4_float"] = ("qonnx", lambda xs: xs.reshape(len(xs), 64))
    models["q4_pow2_even"] = ("qonnx", lambda xs: xs.reshape(len(xs), 64))
    ops_model(os.path.join(HERE, "q_ops.onnx"))
    models["q_ops"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    prelu_model(os.path.join(HERE, "q_prelu.onnx"))
    models["q_prelu"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    add_shift_model(os.path.join(HERE, "q_add_shift.onnx"))
    models["q_add_shift"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    trunc_model(os.path.join(HERE, "q_trunc.onnx"), "FLOOR")
    models["q_trunc"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    trunc_model(os.path.join(HERE, "q_trunc_round.onnx"), "ROUND")
    models["q_trunc_round"] = ("qonnx", lambda xs: xs.reshape(len(xs), 1, 8, 8))
    chmul_models(models)
    deep_model(os.path.join(HERE, "deep100.onnx"))
    geom_models(x, y, models)
    bad_models(os.path.join(HERE, "bad"))
    sets = [(HERE, N_COMMIT)] + ([(full, len(x))] if full else [])
    write_refs(x, y, models, sets, xc)


def write_refs(x, y, models, sets, xc=None):
    """The inputs (when xc is given) and NAME.ref.npy of every model, per (directory, count)."""
    for outdir, n in sets:
        os.makedirs(outdir, exist_ok=True)
        if xc is not None:
            np.save(os.path.join(outdir, "digits_x.npy"), x[:n, :, :, None])
            np.save(os.path.join(outdir, "digits_y.npy"), y[:n])
            np.save(os.path.join(outdir, "digits_xc.npy"), xc[:n, :, :, None])
        for name, (kind, shape) in models.items():
            path = os.path.join(HERE, name + ".onnx")
            xin = shape(x[:n]).astype(np.float32)
            codes = ort_codes(path, xin) if kind == "ort" else qonnx_codes(path, xin)
            np.save(os.path.join(outdir, name + ".ref.npy"), codes)
            acc = float(np.mean(np.argmax(codes, axis=1) == y[:n]))
            print("%s: %d images, top-1 %.4f (%s)" % (name, n, acc, outdir))


if __name__ == "__main__":
    main()
