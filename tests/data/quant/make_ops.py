#!/usr/bin/env python3
"""make_ops.py - the small float ONNX models of tests/data/quant/ that cover the ops
issue 14 lists for pikequant's float reader (docs/PIKEQUANT.md "Float-model ops"), each
with the reference output of the float model (onnx's reference evaluator), so that the
test quant_ops checks pikequant's float executor op by op and what pikequant does with
each model (a Pike network, or one error naming the node and op).

Run in the project's venv (never at test time):
    $(scripts/onnx-venv.sh) tests/data/quant/make_ops.py tests/data/quant
Deterministic: fixed seed, no timestamps.  Writes into OUTDIR:
  ops_x.npy           float32 (16, 8, 8, 2): the input images, H x W x C (pikesim's layout)
  ops_NAME.onnx       input (1, 2, 8, 8) float; the op under test between float convs
  ops_NAME.ref.npy    float32 (16, K): the model's output for each image of ops_x.npy
NAME: prelu, clip, maxpool, avgpool, gap, concat, add.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

RNG = np.random.default_rng(1414)
C_IN, H, W = 2, 8, 8


class Graph:
    def __init__(self):
        self.inits, self.nodes = [], []

    def const(self, name, a):
        t = numpy_helper.from_array(np.asarray(a, np.float32), name)
        self.inits.append(t)
        return name

    def node(self, op, ins, name, **attrs):
        self.nodes.append(helper.make_node(op, ins, [name], name=name, **attrs))
        return name

    def conv(self, name, x, cin, cout, k):
        w = RNG.normal(0, np.sqrt(2.0 / (cin * k * k)), (cout, cin, k, k))
        b = RNG.normal(0, 0.1, cout)
        return self.node('Conv', [x, self.const(name + '.w', w), self.const(name + '.b', b)], name,
                         kernel_shape=[k, k], pads=[k // 2] * 4)

    def gemm(self, name, x, k, n):
        w = RNG.normal(0, np.sqrt(2.0 / k), (n, k))
        b = RNG.normal(0, 0.1, n)
        return self.node('Gemm', [x, self.const(name + '.w', w), self.const(name + '.b', b)], name,
                         transB=1)

    def model(self, name, out, out_shape):
        g = helper.make_graph(self.nodes, name,
                              [helper.make_tensor_value_info('x', TensorProto.FLOAT,
                                                             [1, C_IN, H, W])],
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, out_shape)],
                              self.inits)
        m = helper.make_model(g, producer_name='pike-tests-quant-make_ops',
                              opset_imports=[helper.make_opsetid('', 13)])
        onnx.checker.check_model(m)
        return m


def head(g, x, c):
    """A 1x1 conv to 4 channels after the op, then flatten: the float output."""
    h = g.conv('head', x, c, 4, 1)
    return g.node('Flatten', [h], 'out', axis=1)


def m_prelu():
    g = Graph()
    h = g.conv('conv1', 'x', C_IN, 4, 3)
    h = g.node('PRelu', [h, g.const('slope', RNG.uniform(0.05, 0.3, (4, 1, 1)))], 'prelu')
    return g, head(g, h, 4), 4 * H * W


def m_clip():
    g = Graph()
    h = g.conv('conv1', 'x', C_IN, 4, 3)
    h = g.node('Clip', [h, g.const('lo', 0.0), g.const('hi', 1.0)], 'clip')
    return g, head(g, h, 4), 4 * H * W


def m_pool(op):
    def make():
        g = Graph()
        h = g.conv('conv1', 'x', C_IN, 4, 3)
        h = g.node('Relu', [h], 'relu')
        h = g.node(op, [h], 'pool', kernel_shape=[2, 2], strides=[2, 2])
        return g, head(g, h, 4), 4 * (H // 2) * (W // 2)
    return make


def m_gap():
    g = Graph()
    h = g.conv('conv1', 'x', C_IN, 8, 3)
    h = g.node('Relu', [h], 'relu')
    h = g.node('GlobalAveragePool', [h], 'gap')
    h = g.node('Flatten', [h], 'flat', axis=1)
    return g, g.gemm('fc', h, 8, 10), 10


def m_join(op):
    def make():
        g = Graph()
        a = g.node('Relu', [g.conv('conv_a', 'x', C_IN, 4, 3)], 'relu_a')
        b = g.node('Relu', [g.conv('conv_b', 'x', C_IN, 4, 1)], 'relu_b')
        if op == 'Concat':
            return g, head(g, g.node('Concat', [a, b], 'join', axis=1), 8), 4 * H * W
        return g, head(g, g.node('Add', [a, b], 'join'), 4), 4 * H * W
    return make


MODELS = {
    'prelu': m_prelu, 'clip': m_clip, 'maxpool': m_pool('MaxPool'),
    'avgpool': m_pool('AveragePool'), 'gap': m_gap, 'concat': m_join('Concat'),
    'add': m_join('Add'),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x = RNG.uniform(0, 1, (16, H, W, C_IN)).astype(np.float32)
    np.save(os.path.join(out, 'ops_x.npy'), x)
    for name, make in MODELS.items():
        g, y, k = make()
        m = g.model('ops_' + name, y, [1, k])
        onnx.save(m, os.path.join(out, 'ops_%s.onnx' % name))
        ev = ReferenceEvaluator(m)
        ref = np.stack([ev.run(None, {'x': img.transpose(2, 0, 1)[None]})[0].reshape(k)
                        for img in x]).astype(np.float32)
        np.save(os.path.join(out, 'ops_%s.ref.npy' % name), ref)
        print(name, ref.shape)


if __name__ == '__main__':
    main()
