#!/usr/bin/env python3
"""digits.py - the Python side of examples/digits (see README.md): train a small CNN on
scikit-learn's bundled 8x8 digits, quantize it two ways, and compute the reference outputs.

    $(scripts/onnx-venv.sh) examples/digits/digits.py OUT
    $(scripts/onnx-venv.sh) examples/digits/digits.py compare REF.npy PIKE.npy LABELS.npy

Writes into OUT (deterministic: fixed seeds, no timestamps):
  x.npy, y.npy            float32 (1797, 8, 8, 1) pixels / 16 and int32 labels: all 1,797 images
  digits_int8.onnx        onnxruntime quantize_static, QDQ: per-channel int8 weights, uint8 activations
  digits_q4.onnx          QONNX: 4-bit weights and activations, power-of-two scales, HALF_UP rounding
  *.ref.npy               int32 (1797, 10): each model's output codes (onnxruntime; qonnx execute_onnx)
  reference.txt           float and quantized top-1 (one "NAME ACCURACY" line each)

The model: conv3x3(1->8, pad 1)-relu-maxpool2-conv3x3(8->16, pad 1)-relu-flatten-fc(10), trained
in numpy (examples/quantize/train.py's layers and Adam loop) on a seeded 80 % split; the quantizers are
calibrated on training images only.  The QDQ and QONNX graph helpers and the reference runners are
the project's own (tests/data/onnx/make_models.py).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "data", "onnx"))
import make_models as mm  # noqa: E402  (qdq, qnode, qonnx_model, ort_codes, qonnx_codes, pow2)
sys.path.insert(0, os.path.join(ROOT, "examples", "quantize"))
import train as qt  # noqa: E402  (Conv, train: the numpy layers and Adam loop; seeded RNG)

SEED = 0      # the train / test split (the weights' seed is train.py's RNG, 14)
EPOCHS = 30


# ---- a small CNN, trained by examples/quantize/train.py's numpy layers and Adam loop -----------

class SmallCNN:
    """conv3x3(1->8)-relu-maxpool2-conv3x3(8->16)-relu-flatten-fc(10), input (N, 1, 8, 8)."""

    def __init__(self):
        self.c1, self.c2 = qt.Conv(1, 8, 3), qt.Conv(8, 16, 3)
        self.W = qt.RNG.normal(0, np.sqrt(1.0 / 256), (10, 256))
        self.b = np.zeros(10)

    def fwd(self, x, train=False):
        n = x.shape[0]
        self.a1 = np.maximum(self.c1.fwd(x), 0)
        r = self.a1.reshape(n, 8, 4, 2, 4, 2)
        p = r.max((3, 5))
        self.mask = r == p[:, :, :, None, :, None]
        self.a2 = np.maximum(self.c2.fwd(p), 0)
        self.f = self.a2.reshape(n, -1)
        return self.f @ self.W.T + self.b

    def bwd(self, g):
        n = g.shape[0]
        self.dW, self.db = g.T @ self.f, g.sum(0)
        d = self.c2.bwd((g @ self.W).reshape(self.a2.shape) * (self.a2 > 0))
        self.c1.bwd((self.mask * d[:, :, :, None, :, None]).reshape(n, 8, 8, 8) * (self.a1 > 0))

    def params(self):
        return [(self, 'W', 'dW'), (self, 'b', 'db')] + self.c1.params() + self.c2.params()

    def weights(self):
        return {k: np.asarray(v, np.float32) for k, v in (
            ("w1", self.c1.W), ("b1", self.c1.b), ("w2", self.c2.W), ("b2", self.c2.b),
            ("w3", self.W), ("b3", self.b))}


def layers():
    """The CNN's nodes from the input `x` to the logits, float form."""
    return [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Flatten", ["r2"], ["f"], name="flat", axis=1),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["logits"], name="fc", transB=1),
    ]


def float_model(p):
    g = helper.make_graph(layers(), "digits_cnn",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 1, 8, 8])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 10])],
                          [numpy_helper.from_array(v, k) for k, v in p.items()])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", mm.OPSET)])


# ---- QONNX 4-bit: Quant nodes on the input, weights, biases and activations ---------------------

def q4_model(net, xcal, path):
    """Power-of-two scales (weights: max|w| / 7; activations: the 99.9th percentile over the
    calibration images / 15), HALF_UP rounding, unsigned 4-bit activations, logits unsigned 8-bit
    around zero point 128 (every code >= 0: HALF_UP ties agree with Pike's half up)."""
    logits = net.fwd(xcal)
    a1, a2, p = net.a1, net.a2, net.weights()
    s = {"s_in": 2.0 ** -4, "s_a1": mm.pow2(np.percentile(a1, 99.9) / 15),
         "s_a2": mm.pow2(np.percentile(a2, 99.9) / 15), "s_out": mm.pow2(np.abs(logits).max() / 127)}
    for k in ("w1", "w2", "w3"):
        s["s_" + k] = mm.pow2(np.abs(p[k]).max() / 7)
    s["s_b1"], s["s_b2"] = s["s_in"] * s["s_w1"], s["s_a1"] * s["s_w2"]
    s["s_b3"] = s["s_a2"] * s["s_w3"]
    inits = dict(p, z=0, z128=128, b4=4, b8=8, bb=24, **s)
    q = mm.qnode
    nodes = [
        q("xq", "x", "s_in", "b4", 0),
        q("w1q", "w1", "s_w1", "b4", 1, 1), q("b1q", "b1", "s_b1", "bb", 1),
        helper.make_node("Conv", ["xq", "w1q", "b1q"], ["c1"], name="conv1", pads=[1, 1, 1, 1],
                         kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        q("a1", "r1", "s_a1", "b4", 0),
        helper.make_node("MaxPool", ["a1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        q("w2q", "w2", "s_w2", "b4", 1, 1), q("b2q", "b2", "s_b2", "bb", 1),
        helper.make_node("Conv", ["p1", "w2q", "b2q"], ["c2"], name="conv2", pads=[1, 1, 1, 1],
                         kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        q("a2", "r2", "s_a2", "b4", 0),
        helper.make_node("Flatten", ["a2"], ["f"], name="flat", axis=1),
        q("w3q", "w3", "s_w3", "b4", 1, 1), q("b3q", "b3", "s_b3", "bb", 1),
        helper.make_node("Gemm", ["f", "w3q", "b3q"], ["h"], name="fc", transB=1),
        q("logits", "h", "s_out", "b8", 0, 0, "z128"),
    ]
    m = mm.qonnx_model(nodes, inits, "digits_q4", (1, 1, 8, 8), "logits")
    mm.save(m, path)


def compare(ref_path, pike_path, labels_path):
    """One table row part: codes equal | images with all codes equal | max |diff| | top-1
    agreement | reference top-1 | Pike top-1 (Pike's output codes against the reference's)."""
    ref, pike, y = np.load(ref_path), np.load(pike_path), np.load(labels_path)
    d = np.abs(ref.astype(np.int64) - pike)
    print("%.2f%% | %.2f%% | %d | %.2f%% | %.2f%% | %.2f%%" % (
              100 * np.mean(d == 0), 100 * np.mean(np.all(d == 0, axis=1)), d.max(),
              100 * np.mean(ref.argmax(1) == pike.argmax(1)), 100 * np.mean(ref.argmax(1) == y),
              100 * np.mean(pike.argmax(1) == y)))


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "compare":
        return compare(*sys.argv[2:])
    if len(sys.argv) != 2:
        raise SystemExit("usage: digits.py OUT | digits.py compare REF.npy PIKE.npy LABELS.npy")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x, y = mm.digits()                       # (1797, 8, 8) pixels / 16, labels
    order = np.random.default_rng(SEED).permutation(len(x))
    tr, te = order[:1437], order[1437:]
    xn = x[:, None, :, :]
    net = SmallCNN()
    qt.train(net, xn[tr].astype(np.float64), y[tr], epochs=EPOCHS)
    p = net.weights()
    lines = []
    acc = lambda codes, idx: float(np.mean(np.argmax(codes[idx], 1) == y[idx]))
    fl = net.fwd(xn.astype(np.float64))
    lines.append("float %.4f %.4f" % (acc(fl, te), acc(fl, order)))
    calib = xn[tr][::7][:200]
    mm.qdq(float_model(p), calib, os.path.join(out, "digits_int8.onnx"), False)
    q4_model(net, xn[tr].astype(np.float64), os.path.join(out, "digits_q4.onnx"))
    np.save(os.path.join(out, "x.npy"), x[:, :, :, None])
    np.save(os.path.join(out, "y.npy"), y)
    for name, run in (("digits_int8", mm.ort_codes), ("digits_q4", mm.qonnx_codes)):
        codes = run(os.path.join(out, name + ".onnx"), xn.astype(np.float32))
        np.save(os.path.join(out, name + ".ref.npy"), codes)
        lines.append("%s %.4f %.4f" % (name, acc(codes, te), acc(codes, order)))
    with open(os.path.join(out, "reference.txt"), "w") as f:
        f.write("# model test-split-top-1 all-1797-top-1\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
