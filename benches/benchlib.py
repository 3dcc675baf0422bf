"""benchlib.py - the few helpers every benches/bench_*.py script and
assemble.py share (imported from the script's own directory)."""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile


def write_atomic(path, text):
    """Write text to path through a temporary file in the same directory and a
    rename, so a reader never sees a partial file; mode as for a new file."""
    path = os.fspath(path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def med(xs):
    """Median of a non-empty sequence."""
    return statistics.median(xs)


def bench_args(doc):
    """The benchmark interface's command line (benches/README.md): --build,
    --out, --quick.  Returns the parser, so a bench can add its own flags."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--build", required=True, help="Pike build directory")
    ap.add_argument("--out", required=True, help="results directory")
    ap.add_argument("--quick", action="store_true", help="the reduced version")
    return ap


def save_svg(fig, path):
    """Save a matplotlib figure as SVG atomically (like write_atomic), without
    the date matplotlib would write into it and with fixed element ids, and
    close it."""
    path = os.fspath(path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".svg", dir=d)
    os.close(fd)
    try:
        import matplotlib
        # a fixed salt for the ids matplotlib hashes into the SVG (random by
        # default): the same figure gives the same bytes
        with matplotlib.rc_context({"svg.hashsalt": "pike"}):
            fig.savefig(tmp, format="svg", metadata={"Date": None})
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    finally:
        import matplotlib.pyplot as plt
        plt.close(fig)


def pikegen_manifest(build, config):
    """pikegen's manifest.json for config (a dict): "derived" holds the derived
    constants (word_bytes, slot_bits, kc_max, ...), "contract" the RTL/model
    contract of core/pk_contract.def (descriptor fields, counters, registers,
    sizes, latencies), so a bench reads them instead of re-deriving them."""
    gen = os.path.join(os.path.abspath(build), "gen", "pikegen")
    tmp = tempfile.mkdtemp(prefix="bench_manifest.")
    try:
        subprocess.run([gen, "--config", config, "--out", os.path.join(tmp, "b")],
                       stdout=subprocess.DEVNULL, check=True)
        with open(os.path.join(tmp, "b", "manifest.json")) as f:
            return json.load(f)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def built_tool(build, rel):
    """BUILD/rel (e.g. "sim/pikesim") as an absolute path; exit 1 if it is not built."""
    path = os.path.join(os.path.abspath(build), rel)
    if not os.access(path, os.X_OK):
        fail("%s is not built" % path)
    return path


def fpga_tool_path():
    """PATH with the yowasp venv's bin directory (scripts/fpga-venv.sh) appended:
    native FPGA tools first, the pinned yowasp ones where there are none."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run([os.path.join(root, "scripts", "fpga-venv.sh"), "--warm"], capture_output=True,
                       text=True, check=True)
    return os.environ["PATH"] + ":" + r.stdout.strip().splitlines()[-1]


def fail(msg):
    """A bench input it cannot read: the message on stderr, exit 1."""
    print("bench: " + msg, file=sys.stderr)
    sys.exit(1)


# ----------------------------------------------------------------------------------------------
# Minimal YAML readers for the two Pike input formats (block-style config, flow-style network
# layers).  They accept exactly what hw_configs/*.yaml and networks/*.yaml (zoo.py) contain and fail
# loudly on anything else; pikesim itself validates the files.
def _scalar(s):
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        return [_scalar(x) for x in _split_top(s[1:-1])] if s[1:-1].strip() else []
    if s.startswith("{") and s.endswith("}"):
        return _flow_map(s)
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d+\.\d*(e-?\d+)?", s):
        return float(s)
    if s in ("true", "false"):
        return s == "true"
    return s.strip("'\"")


def _split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return out


def _flow_map(s):
    s = s.strip()
    if not (s.startswith("{") and s.endswith("}")):
        raise ValueError(f"not a flow mapping: {s}")
    d = {}
    for item in _split_top(s[1:-1]):
        k, sep, v = item.partition(":")
        if not sep:
            raise ValueError(f"bad flow item {item!r}")
        d[k.strip()] = _scalar(v)
    return d


def _strip_comment(line):
    # no '#' inside values in these files
    return line.split("#", 1)[0].rstrip()


def read_block_yaml(path):
    """Nested mappings by indentation, scalar / flow-list values (hw_configs/*.yaml)."""
    root = {}
    stack = [(-1, root)]
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = _strip_comment(raw)
            if not line.strip():
                continue
            ind = len(line) - len(line.lstrip())
            key, sep, val = line.strip().partition(":")
            if not sep:
                fail(f"{path}:{lineno}: cannot read {line.strip()!r}")
            while stack[-1][0] >= ind:
                stack.pop()
            parent = stack[-1][1]
            if val.strip():
                parent[key.strip()] = _scalar(val)
            else:
                parent[key.strip()] = {}
                stack.append((ind, parent[key.strip()]))
    return root


def read_network(path):
    """networks/*.yaml as written by networks/zoo.py: name, input {..}, seed, layers of - {..}."""
    net = {"layers": []}
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = _strip_comment(raw)
            if not line.strip():
                continue
            s = line.strip()
            try:
                if s.startswith("- "):
                    net["layers"].append(_flow_map(s[2:]))
                else:
                    key, _, val = s.partition(":")
                    if val.strip():
                        net[key.strip()] = _scalar(val)
            except ValueError as e:
                fail(f"{path}:{lineno}: {e}")
    if "input" not in net or not net["layers"]:
        fail(f"{path}: no input or no layers")
    return net


def conv_out(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def gemm_layers(net):
    """The conv / fc layers of a Pike network (networks/*.yaml as read by read_network) with their
    geometry: kind conv, dw (groups == in_c) or fc, the input (in_h, in_w, in_c), kernel k, stride,
    pad, output (out_h, out_w, out_c), and src, the conv/fc producing their input (walking back
    through add / pool / concat layers; None for the network input)."""
    inp = net["input"]
    shape = {"input": (inp["h"], inp["w"], inp["c"])}
    producer = {"input": None}
    out = []
    for L in net["layers"]:
        op, name = L["op"], L["name"]
        h, w, c = shape[L["inputs"][0]]
        src = producer[L["inputs"][0]]
        if op == "conv":
            k, s, p = L["kernel"], L.get("stride", 1), L.get("padding", 0)
            oh, ow = conv_out(h, k, s, p), conv_out(w, k, s, p)
            dw = L.get("groups", 1) != 1
            if dw and L["groups"] != c:
                fail(f"layer {name}: groups must be 1 or in_c")
            shape[name] = (oh, ow, L["out_c"])
            out.append(dict(name=name, kind="dw" if dw else "conv", in_h=h, in_w=w, in_c=c, k=k, stride=s,
                            pad=p, out_h=oh, out_w=ow, out_c=L["out_c"], src=src))
            producer[name] = name
        elif op == "fc":
            shape[name] = (1, 1, L["out_c"])
            out.append(dict(name=name, kind="fc", in_h=1, in_w=1, in_c=h * w * c, k=1, stride=1, pad=0,
                            out_h=1, out_w=1, out_c=L["out_c"], src=src))
            producer[name] = name
        else:
            if op in ("maxpool", "avgpool"):
                k, s, p = L["kernel"], L.get("stride", L["kernel"]), L.get("padding", 0)
                shape[name] = (conv_out(h, k, s, p), conv_out(w, k, s, p), c)
            elif op == "global_avgpool":
                shape[name] = (1, 1, c)
            elif op == "add":
                shape[name] = (h, w, c)
            elif op == "concat":
                shape[name] = (h, w, sum(shape[i][2] for i in L["inputs"]))
            else:
                fail(f"layer {name}: op {op} not known to the benchmarks")
            producer[name] = src
    return out
