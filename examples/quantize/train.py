#!/usr/bin/env python3
"""train.py - the float CNN of examples/quantize (docs/PIKEQUANT.md), trained in numpy
on scikit-learn's bundled 8x8 digits and exported as a float ONNX model with the onnx
helper API (no torch).  Deterministic: fixed seed, no timestamps.

Run in the project's venv:  $(scripts/onnx-venv.sh) examples/quantize/train.py OUTDIR [TESTDIR]

Network (input (N, 1, 8, 8), pixels / 16):
  conv1 3x3 1->8 pad 1 + BatchNormalization + Relu
  MaxPool 2x2
  dw    3x3 depthwise (group 8) pad 1 + BatchNormalization + Relu     } depthwise-separable
  pw    1x1 8->16 + BatchNormalization + Relu                          } block
  Flatten, Gemm 256->10 (transB 1)
Writes OUTDIR/digits_cnn.onnx, OUTDIR/calib_x.npy (float32 (N, 8, 8, 1), the first 256
images), OUTDIR/test_x.npy / test_y.npy (the 497 images not used in training, as
(N, 8, 8, 1) float32 and int32 labels), and prints the float test accuracy.
With TESTDIR (tests/data/quant/) it also writes the test suite's small copies there:
digits_cnn.onnx, calib_x.npy (the first 64 images), eval_x.npy / eval_y.npy (the first 128
held-out images), and bad_op.onnx (the same input into a Sigmoid: an unsupported op).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits

RNG = np.random.default_rng(14)
EPS = 1e-5


def im2col(x, k, pad):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((n, c, k, k, h, w), x.dtype)
    for i in range(k):
        for j in range(k):
            cols[:, :, i, j] = xp[:, :, i:i + h, j:j + w]
    return cols  # (n, c, k, k, h, w)


def col2im(dcols, k, pad, shape):
    n, c, h, w = shape
    dxp = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dcols.dtype)
    for i in range(k):
        for j in range(k):
            dxp[:, :, i:i + h, j:j + w] += dcols[:, :, i, j]
    return dxp[:, :, pad:pad + h, pad:pad + w]


class Conv:
    """Stride-1 'same' convolution, groups 1 or depthwise."""

    def __init__(self, cin, cout, k, dw=False):
        self.k, self.dw, self.pad = k, dw, k // 2
        fan = k * k * (1 if dw else cin)
        self.W = RNG.normal(0, np.sqrt(2.0 / fan), (cout, 1 if dw else cin, k, k))
        self.b = np.zeros(cout)

    def fwd(self, x):
        self.x, self.cols = x.shape, im2col(x, self.k, self.pad)
        if self.dw:
            return np.einsum('nckluv,ckl->ncuv', self.cols, self.W[:, 0]) + self.b[None, :, None, None]
        return np.einsum('nckluv,ockl->nouv', self.cols, self.W) + self.b[None, :, None, None]

    def bwd(self, g):
        self.db = g.sum((0, 2, 3))
        if self.dw:
            self.dW = np.einsum('nckluv,ncuv->ckl', self.cols, g)[:, None]
            dcols = np.einsum('ncuv,ckl->nckluv', g, self.W[:, 0])
        else:
            self.dW = np.einsum('nckluv,nouv->ockl', self.cols, g)
            dcols = np.einsum('nouv,ockl->nckluv', g, self.W)
        return col2im(dcols, self.k, self.pad, self.x)

    def params(self):
        return [(self, 'W', 'dW'), (self, 'b', 'db')]


class BN:
    def __init__(self, c):
        self.g, self.be = np.ones(c), np.zeros(c)
        self.mu, self.var = np.zeros(c), np.ones(c)

    def fwd(self, x, train):
        if train:
            m, v = x.mean((0, 2, 3)), x.var((0, 2, 3))
            self.mu = 0.9 * self.mu + 0.1 * m
            self.var = 0.9 * self.var + 0.1 * v
        else:
            m, v = self.mu, self.var
        self.inv = 1 / np.sqrt(v + EPS)[None, :, None, None]
        self.xh = (x - m[None, :, None, None]) * self.inv
        return self.g[None, :, None, None] * self.xh + self.be[None, :, None, None]

    def bwd(self, g):
        self.dg, self.dbe = (g * self.xh).sum((0, 2, 3)), g.sum((0, 2, 3))
        n = g.shape[0] * g.shape[2] * g.shape[3]
        gx = g * self.g[None, :, None, None]
        return self.inv / n * (n * gx - gx.sum((0, 2, 3), keepdims=True)
                               - self.xh * (gx * self.xh).sum((0, 2, 3), keepdims=True))

    def params(self):
        return [(self, 'g', 'dg'), (self, 'be', 'dbe')]


class Net:
    def __init__(self):
        self.c1, self.b1 = Conv(1, 8, 3), BN(8)
        self.dw, self.b2 = Conv(8, 8, 3, dw=True), BN(8)
        self.pw, self.b3 = Conv(8, 16, 1), BN(16)
        self.W = RNG.normal(0, np.sqrt(1.0 / 256), (10, 256))
        self.b = np.zeros(10)

    def fwd(self, x, train=False):
        a1 = np.maximum(self.b1.fwd(self.c1.fwd(x), train), 0)
        self.a1 = a1
        n = x.shape[0]
        r = a1.reshape(n, 8, 4, 2, 4, 2)
        p = r.max((3, 5))
        self.mask = (r == p[:, :, :, None, :, None])
        a2 = np.maximum(self.b2.fwd(self.dw.fwd(p), train), 0)
        self.a2 = a2
        a3 = np.maximum(self.b3.fwd(self.pw.fwd(a2), train), 0)
        self.a3 = a3
        self.f = a3.reshape(n, -1)
        return self.f @ self.W.T + self.b

    def bwd(self, g):
        n = g.shape[0]
        self.dW, self.db = g.T @ self.f, g.sum(0)
        d = (g @ self.W).reshape(self.a3.shape) * (self.a3 > 0)
        d = self.pw.bwd(self.b3.bwd(d)) * (self.a2 > 0)
        d = self.dw.bwd(self.b2.bwd(d))
        d = (self.mask * d[:, :, :, None, :, None]).reshape(n, 8, 8, 8) * (self.a1 > 0)
        self.c1.bwd(self.b1.bwd(d))

    def params(self):
        out = [(self, 'W', 'dW'), (self, 'b', 'db')]
        for m in (self.c1, self.b1, self.dw, self.b2, self.pw, self.b3):
            out += m.params()
        return out


def train(net, x, y, epochs=40, lr=3e-3):
    ps = net.params()
    mom = [np.zeros_like(getattr(o, a)) for o, a, _ in ps]
    vel = [np.zeros_like(getattr(o, a)) for o, a, _ in ps]
    t = 0
    for _ in range(epochs):
        idx = RNG.permutation(len(x))
        for s in range(0, len(x), 64):
            b = idx[s:s + 64]
            z = net.fwd(x[b], train=True)
            p = np.exp(z - z.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            p[np.arange(len(b)), y[b]] -= 1
            net.bwd(p / len(b))
            t += 1
            for i, (o, a, da) in enumerate(ps):
                gr = getattr(o, da)
                mom[i] = 0.9 * mom[i] + 0.1 * gr
                vel[i] = 0.999 * vel[i] + 0.001 * gr * gr
                mh, vh = mom[i] / (1 - 0.9 ** t), vel[i] / (1 - 0.999 ** t)
                setattr(o, a, getattr(o, a) - lr * mh / (np.sqrt(vh) + 1e-8))


def export(net, path):
    f32 = lambda a: numpy_helper.from_array(np.asarray(a, np.float32), None)
    inits, nodes = [], []

    def init(name, a):
        t = f32(a)
        t.name = name
        inits.append(t)
        return name

    def conv_bn(name, x, conv, bn, group):
        nodes.append(helper.make_node('Conv', [x, init(name + '.w', conv.W), init(name + '.b', conv.b)],
                                      [name + '.conv'], name=name, pads=[conv.pad] * 4,
                                      kernel_shape=[conv.k, conv.k], group=group))
        nodes.append(helper.make_node(
            'BatchNormalization',
            [name + '.conv', init(name + '.bn.g', bn.g), init(name + '.bn.b', bn.be),
             init(name + '.bn.mean', bn.mu), init(name + '.bn.var', bn.var)],
            [name + '.bn'], name=name + '_bn', epsilon=EPS))
        nodes.append(helper.make_node('Relu', [name + '.bn'], [name + '.relu'], name=name + '_relu'))
        return name + '.relu'

    h = conv_bn('conv1', 'x', net.c1, net.b1, 1)
    nodes.append(helper.make_node('MaxPool', [h], ['pool'], name='pool', kernel_shape=[2, 2],
                                  strides=[2, 2]))
    h = conv_bn('dw', 'pool', net.dw, net.b2, 8)
    h = conv_bn('pw', h, net.pw, net.b3, 1)
    nodes.append(helper.make_node('Flatten', [h], ['flat'], name='flat', axis=1))
    nodes.append(helper.make_node('Gemm', ['flat', init('fc.w', net.W), init('fc.b', net.b)],
                                  ['logits'], name='fc', transB=1))
    g = helper.make_graph(nodes, 'digits_cnn',
                          [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 1, 8, 8])],
                          [helper.make_tensor_value_info('logits', TensorProto.FLOAT, [1, 10])],
                          inits)
    m = helper.make_model(g, producer_name='pike-examples-quantize',
                          opset_imports=[helper.make_opsetid('', 13)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_bad(path):
    """A float model with an op pikequant does not support (Sigmoid)."""
    w = numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), 'c.w')
    nodes = [helper.make_node('Conv', ['x', 'c.w'], ['c'], name='c', pads=[1, 1, 1, 1]),
             helper.make_node('Sigmoid', ['c'], ['s'], name='squash')]
    g = helper.make_graph(nodes, 'bad_op',
                          [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 1, 8, 8])],
                          [helper.make_tensor_value_info('s', TensorProto.FLOAT, [1, 2, 8, 8])],
                          [w])
    m = helper.make_model(g, producer_name='pike-examples-quantize',
                          opset_imports=[helper.make_opsetid('', 13)])
    m.ir_version = 8
    onnx.save(m, path)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    d = load_digits()
    x = (d.images / 16.0).astype(np.float64)[:, None]
    y = d.target.astype(np.int64)
    net = Net()
    train(net, x[:1300], y[:1300])
    acc = (net.fwd(x[1300:]).argmax(1) == y[1300:]).mean() * 100
    print(f'float test accuracy (numpy, {len(x) - 1300} images): {acc:.2f}%')
    os.makedirs(out, exist_ok=True)
    export(net, os.path.join(out, 'digits_cnn.onnx'))
    hwc = lambda a: np.ascontiguousarray(a.transpose(0, 2, 3, 1)).astype(np.float32)
    np.save(os.path.join(out, 'calib_x.npy'), hwc(x[:256]))
    np.save(os.path.join(out, 'test_x.npy'), hwc(x[1300:]))
    np.save(os.path.join(out, 'test_y.npy'), y[1300:].astype(np.int32))
    if len(sys.argv) > 2:
        tdir = sys.argv[2]
        os.makedirs(tdir, exist_ok=True)
        export(net, os.path.join(tdir, 'digits_cnn.onnx'))
        np.save(os.path.join(tdir, 'calib_x.npy'), hwc(x[:64]))
        np.save(os.path.join(tdir, 'eval_x.npy'), hwc(x[1300:1428]))
        np.save(os.path.join(tdir, 'eval_y.npy'), y[1300:1428].astype(np.int32))
        export_bad(os.path.join(tdir, 'bad_op.onnx'))


if __name__ == '__main__':
    main()
