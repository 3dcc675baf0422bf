#!/usr/bin/env python3
"""bench_zigzag.py - issue 11: Pike's DSE (pikesim --timing-only) side by side with ZigZag (zigzag-dse 3.9.1).

What is measured, on one small edge-class sweep (array shapes x buffer sizes, POINTS below) and ResNet-18 /
MobileNetV2 w4a4:
  * per point, the latency (cycles) and energy (pJ) both tools predict, and pikesim's roofline bound;
  * the wall time of each tool per point (whole processes), hence points per second and their ratio
    (target of the issue: Pike >= 1000x ZigZag's points per second).
How:
  * each point's Pike config is hw_configs/edge.yaml with array.rows / array.cols / buffers.* replaced
    (written to a temp directory; pikesim validates it);
  * the network is exported to ZigZag's workload format (a list of layer dicts) from Pike's own network YAML:
    every conv / fc layer (ZigZag costs only Conv/Gemm); the accelerator and mapping files are generated
    from the same config values; every mapping choice is in mapping_notes() and in the Markdown section;
  * ZigZag runs in its own venv (benches/venv_zigzag.sh, pinned benches/requirements-zigzag.txt) through
    benches/zigzag_driver.py, under nice, one point at a time; pikesim --timing-only runs --pike-reps times
    per point (median).  ZigZag is deterministic (its LOMA search enumerates orderings); it runs once per
    point because one run costs minutes (the issue: 70-320 s per point).
  * --quick: one point (edge.yaml itself), ResNet-18 only.
Usage: benches/bench_zigzag.py --build BUILD --out RESULTS_DIR [--quick] [--pike-reps N] [--lpf-limit N]
Outputs: RESULTS_DIR/zigzag.json, RESULTS_DIR/zigzag.md (atomically).
"""

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import bench_args, write_atomic, med
from bench_scalesim import read_block_yaml, read_network, conv_out

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "zigzag"
TARGET_RATIO = 1000.0        # Pike's points per second >= 1000x ZigZag's
ZIGZAG_VERSION = "3.9.1"
# the sweep: (rows, cols, bytes per buffer half for weights and activations); edge.yaml is 16 x 16, 64 KiB
POINTS = [(16, 16, 65536), (16, 16, 16384), (32, 16, 65536), (32, 16, 16384)]
NETWORKS = ["resnet18_w4a4", "mobilenetv2_w4a4"]
# MobileNetV2 only on these points (ZigZag's time budget: see the Markdown section)
MBV2_POINTS = [(16, 16, 65536), (32, 16, 16384)]
QUICK_POINTS = [(16, 16, 65536)]
QUICK_NETWORKS = ["resnet18_w4a4"]


def die(msg):
    print(f"bench_zigzag: {msg}", file=sys.stderr)
    sys.exit(1)


# ----------------------------------------------------------------------------------------------
# the Pike config of a sweep point: edge.yaml with the swept keys replaced, line by line
def point_config(base_text, rows, cols, buf):
    subs = {("array", "rows"): rows, ("array", "cols"): cols,
            ("buffers", "weights"): buf, ("buffers", "activations"): buf}
    out, section, done = [], None, set()
    for line in base_text.splitlines():
        m = re.match(r"^(\w+):\s*(#.*)?$", line)
        if m:
            section = m.group(1)
        k = re.match(r"^(\s+)(\w+):\s*[^#\s]+(\s*#.*)?$", line)
        if k and (section, k.group(2)) in subs:
            key = (section, k.group(2))
            line = f"{k.group(1)}{k.group(2)}: {subs[key]}"
            done.add(key)
        elif re.match(r"^name:", line):
            line = f"name: edge_{rows}x{cols}_b{buf // 1024}k"
        out.append(line)
    if done != set(subs):
        die(f"base config lacks {sorted(set(subs) - done)}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------------
# network -> ZigZag workload (conv / depthwise conv / fc layers only; ZigZag costs only Conv/Gemm)
def gemm_layers(net):
    """The conv / fc layers of a Pike network with their geometry and the conv/fc producing their input
    (walking back through add / pool layers, which ZigZag does not cost)."""
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
                die(f"layer {name}: groups must be 1 or in_c")
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
            else:
                die(f"layer {name}: op {op} not known to this benchmark")
            producer[name] = src
    return out


def layer_macs(g):
    red = g["k"] ** 2 * (1 if g["kind"] == "dw" else g["in_c"])
    return g["out_h"] * g["out_w"] * g["out_c"] * red


def zigzag_workload(gl, sim_layers, acc_bits):
    """ZigZag 3.9 workload layer dicts (the schema of zigzag/parser/workload_validator.py)."""
    ids = {g["name"]: i for i, g in enumerate(gl)}
    wl = []
    for i, g in enumerate(gl):
        sl = sim_layers[g["name"]]
        prec = {"W": sl["w_bits"], "I": sl["a_bits"], "O": acc_bits, "O_final": sl["out_bits"]}
        src = {"I": ids[g["src"]] if g["src"] else i}
        s = g["stride"]
        rel = [f"ix={s}*ox+1*fx", f"iy={s}*oy+1*fy"]
        if g["kind"] == "conv":
            d = dict(operator_type="Conv", equation="O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]",
                     dimension_relations=rel, loop_dims=["B", "K", "C", "OY", "OX", "FY", "FX"],
                     loop_sizes=[1, g["out_c"], g["in_c"], g["out_h"], g["out_w"], g["k"], g["k"]])
        elif g["kind"] == "dw":
            d = dict(operator_type="Conv", equation="O[b][g][oy][ox]+=W[g][fy][fx]*I[b][g][iy][ix]",
                     dimension_relations=rel, loop_dims=["B", "G", "OY", "OX", "FY", "FX"],
                     loop_sizes=[1, g["out_c"], g["out_h"], g["out_w"], g["k"], g["k"]])
        else:
            d = dict(operator_type="Gemm", equation="O[b][k]+=W[k][c]*I[b][c]",
                     loop_dims=["B", "K", "C"], loop_sizes=[1, g["out_c"], g["in_c"]])
        wl.append(dict(id=i, name=g["name"], operand_precision=prec, operand_source=src, **d))
    return wl


def spatial_mapping(g, R, C, VP):
    """Pike's array assignment (ARCHITECTURE.md 6) as a ZigZag spatial mapping: D1 (R rows) = output
    pixels, D2 (C columns) = output channels, D3 (VP products per PE word) = input channels."""
    def fit(dims, n):
        # unroll up to n along dims in order (OX first, then OY), ZigZag's 'mixed' list form
        out, left = [], n
        for dim, size in dims:
            u = min(size, left)
            if u > 1:
                out.append([dim, u])
                left //= u
        return out or [[dims[0][0], 1]]
    pix = fit([("OX", g["out_w"]), ("OY", g["out_h"])], R)
    if g["kind"] == "conv":
        return {"D1": pix, "D2": fit([("K", g["out_c"])], C), "D3": fit([("C", g["in_c"])], VP)}
    if g["kind"] == "dw":
        return {"D1": pix, "D2": fit([("G", g["out_c"])], C), "D3": fit([("FX", g["k"]), ("FY", g["k"])], VP)}
    return {"D1": [["B", 1]], "D2": fit([("K", g["out_c"])], C), "D3": fit([("C", g["in_c"])], VP)}


def port(name, kind, bw_min, bw_max, alloc):
    return dict(name=name, type=kind, bandwidth_min=bw_min, bandwidth_max=bw_max, allocation=alloc)


def zigzag_accelerator(cfg, R, C, VP, mac_pj):
    """ZigZag accelerator description of a Pike config (the mapping is explained in mapping_notes())."""
    word = cfg["array"]["lanes"] * max(cfg["precision"]["weight_bits"] + cfg["precision"]["act_bits"])
    e = cfg["energy"]
    acc = cfg["precision"]["acc_bits"]
    pb = cfg["offchip"]["bytes_per_cycle"] * 8

    def buf(operand, nbytes, fanout):
        return dict(size=2 * nbytes * 8, r_cost=e["sram_read_64b_pj"] * word / 64,
                    w_cost=e["sram_write_64b_pj"] * word / 64, area=0, latency=1, operands=[operand],
                    ports=[port("r_port_1", "read", word, word * fanout, [f"{operand}, tl"]),
                           port("w_port_1", "write", word, max(word, pb), [f"{operand}, fh"])],
                    served_dimensions=["D1", "D2", "D3"])
    mems = {
        "acc_reg": dict(size=acc, r_cost=0, w_cost=0, area=0, latency=1, operands=["O"],
                        ports=[port("r_port_1", "read", acc, acc, ["O, tl"]),
                               port("r_port_2", "read", acc, acc, ["O, th"]),
                               port("w_port_1", "write", acc, acc, ["O, fh"]),
                               port("w_port_2", "write", acc, acc, ["O, fl"])],
                        served_dimensions=["D3"]),
        "wbuf": buf("I2", cfg["buffers"]["weights"], C),
        "abuf": buf("I1", cfg["buffers"]["activations"], R),
        "dram": dict(size=10 ** 10, r_cost=e["dram_byte_pj"] * pb / 8, w_cost=e["dram_byte_pj"] * pb / 8,
                     area=0, latency=1, operands=["I1", "I2", "O"],
                     ports=[port("rw_port_1", "read_write", pb, pb,
                                 ["I1, fh", "I1, tl", "I2, fh", "I2, tl", "O, fh", "O, tl", "O, fl", "O, th"])],
                     served_dimensions=["D1", "D2", "D3"]),
    }
    return dict(name=cfg["name"], memories=mems,
                operational_array=dict(unit_energy=mac_pj, unit_area=1, dimensions=["D1", "D2", "D3"],
                                       sizes=[R, C, VP]))


def zigzag_mapping(gl, R, C, VP):
    links = {"O": "O", "W": "I2", "I": "I1"}
    out = []
    for g in gl:
        sm = spatial_mapping(g, R, C, VP)
        out.append(dict(name=g["name"], memory_operand_links=links,
                        spatial_mapping={d: [f"{dim}, {n}" for dim, n in v] for d, v in sm.items()}))
    out.append(dict(name="default", memory_operand_links=links,
                    spatial_mapping={"D1": [f"OX, {R}"], "D2": [f"K, {C}"], "D3": [f"C, {VP}"]}))
    return out


# ----------------------------------------------------------------------------------------------
def timed(cmd, tmp, tag):
    """Run cmd (niced) under /usr/bin/time; (wall s by perf_counter, CPU s user+sys, peak RSS kB)."""
    tfile = os.path.join(tmp, f"time.{tag}.txt")
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", tfile] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        die(f"command failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    with open(tfile) as f:
        u, s, m = f.read().split()[-3:]
    return wall, float(u) + float(s), int(m)


def sim_layers_of(sj, net):
    by = {L["name"]: L for L in net["layers"]}
    return {L["name"]: dict(L, out_bits=by[L["name"]].get("out_bits", 8)) for L in sj["layers"] if L["name"] in by}


def majority_mode(gl, sl):
    """The operand width m = max(w_bits, a_bits) that carries most MACs, and pikesim's MAC energy per MAC
    at that width (ZigZag has one MAC energy and one array size for all layers)."""
    macs = {}
    for g in gl:
        L = sl[g["name"]]
        m = max(L["w_bits"], L["a_bits"])
        e, n = macs.get(m, (0.0, 0))
        macs[m] = (e + L["energy_pj"]["mac"], n + L["macs"])
    m = max(macs, key=lambda k: macs[k][1])
    return m, macs[m][0] / macs[m][1], {k: v[1] for k, v in macs.items()}


def pike_point(sim, cfg_path, net_path, tmp, tag, reps):
    pj = os.path.join(tmp, f"pikesim.{tag}.json")
    cmd = [sim, "--config", cfg_path, "--network", net_path, "--timing-only", "--json", pj]
    walls, cpus = [], []
    sj = None
    for r in range(reps):
        w, c, _ = timed(cmd, tmp, tag)
        walls.append(w)
        cpus.append(c)
        with open(pj) as f:
            cur = json.load(f)
        if sj is not None and cur["totals"]["cycles"] != sj["totals"]["cycles"]:
            die(f"{tag}: pikesim cycles differ between repetitions")
        sj = cur
    return sj, walls, cpus, cmd


def run_point(args, sim, zpy, base_text, net_name, pt, tmp):
    R, C, buf = pt
    tag = f"{net_name}.{R}x{C}.b{buf}"
    cfg_text = point_config(base_text, R, C, buf)
    cfg_path = os.path.join(tmp, f"{tag}.cfg.yaml")
    with open(cfg_path, "w") as f:
        f.write(cfg_text)
    cfg = read_block_yaml(cfg_path)
    net_path = os.path.join(ROOT, "networks", f"{net_name}.yaml")
    net = read_network(net_path)
    sj, walls, cpus, cmd = pike_point(sim, cfg_path, net_path, tmp, tag, args.pike_reps)
    sl = sim_layers_of(sj, net)
    gl = gemm_layers(net)
    for g in gl:
        if sl[g["name"]]["macs"] != layer_macs(g):
            die(f"{net_name} layer {g['name']}: inferred {layer_macs(g)} MACs, pikesim says {sl[g['name']]['macs']}")
    V, L = cfg["array"]["lanes"], max(cfg["precision"]["weight_bits"] + cfg["precision"]["act_bits"])
    m, mac_pj, macs_by_mode = majority_mode(gl, sl)
    VP = V * L // m
    acc, mp = zigzag_accelerator(cfg, R, C, VP, mac_pj), zigzag_mapping(gl, R, C, VP)
    wl = zigzag_workload(gl, sl, cfg["precision"]["acc_bits"])
    files = {k: os.path.join(tmp, f"{tag}.zz_{k}.yaml") for k in ("accelerator", "mapping")}
    for k, obj in (("accelerator", acc), ("mapping", mp)):
        with open(files[k], "w") as f:   # JSON is YAML: ZigZag's yaml loader reads it
            json.dump(obj, f, indent=1)
    zin, zout = os.path.join(tmp, f"{tag}.zz_in.json"), os.path.join(tmp, f"{tag}.zz_out.json")
    with open(zin, "w") as f:
        json.dump(dict(workload=wl, accelerator=files["accelerator"], mapping=files["mapping"], opt="latency",
                       lpf_limit=args.lpf_limit, dump=os.path.join(tmp, f"{tag}.zz_dump")), f)
    print(f"bench_zigzag: ZigZag on {tag} ({len(wl)} layers) ...", file=sys.stderr, flush=True)
    zcmd = ["nice", "-n", "10", zpy, os.path.join(ROOT, "benches", "zigzag_driver.py"), zin, zout]
    zw, zc, zrss = timed(zcmd, tmp, tag + ".zz")
    with open(zout) as f:
        zz = json.load(f)
    print(f"bench_zigzag: ZigZag on {tag}: {zw:.0f} s wall, {zc:.0f} s CPU", file=sys.stderr, flush=True)
    T = sj["totals"]
    pike_layers = {n: dict(cycles=v["cycles"], energy_pj=v["energy_pj"], roofline_cycles=v["roofline_cycles"],
                           dram_rd_bytes=v["dram_rd_bytes"], dram_wr_bytes=v["dram_wr_bytes"], macs=v["macs"],
                           w_bits=v["w_bits"], a_bits=v["a_bits"], hw=v["hw"])
                   for n, v in ((L["name"], L) for L in sj["layers"])}
    return dict(network=net_name, rows=R, cols=C, buffer_bytes=buf, tag=tag,
                pike=dict(cycles=T["cycles"], roofline_cycles=T["roofline_cycles"],
                          roofline=T["roofline"], energy_pj=T["energy_pj"], dram_rd_bytes=T["dram_rd_bytes"],
                          dram_wr_bytes=T["dram_wr_bytes"], compulsory_bytes=T["compulsory_bytes"],
                          macs=T["macs"], wall_s=walls, cpu_s=cpus, layers=pike_layers,
                          command=" ".join(os.path.relpath(x, ROOT) if x.startswith(ROOT) else x for x in cmd)),
                zigzag=dict(cycles=zz["latency_cycles"], energy_pj=zz["energy_pj"], layers=zz["layers"],
                            wall_s=zw, cpu_s=zc, peak_rss_kb=zrss, mode_bits=m, VP=VP, mac_pj=mac_pj,
                            macs_by_mode=macs_by_mode, accelerator=acc, mapping=mp, workload=wl),
                config_text=cfg_text)


def zigzag_python():
    p = subprocess.run(["sh", os.path.join(ROOT, "benches", "venv_zigzag.sh")], stdout=subprocess.PIPE, text=True)
    if p.returncode != 0 or not p.stdout.strip():
        die("benches/venv_zigzag.sh failed: no ZigZag virtual environment")
    zpy = p.stdout.strip()
    p = subprocess.run([zpy, "-c", "import importlib.metadata as m; print(m.version('zigzag-dse'))"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0 or p.stdout.strip() != ZIGZAG_VERSION:
        die(f"zigzag-dse {ZIGZAG_VERSION} is not importable from {zpy}: {p.stderr.strip() or p.stdout.strip()}")
    return zpy


def measure(args):
    from concurrent.futures import ThreadPoolExecutor
    sim = os.path.join(os.path.abspath(args.build), "sim", "pikesim")
    if not os.access(sim, os.X_OK):
        die(f"{sim} not built (cmake --build {args.build} --target pikesim)")
    if not os.access("/usr/bin/time", os.X_OK):
        die("/usr/bin/time (GNU time) is missing: apt-get install time")
    zpy = zigzag_python()
    with open(os.path.join(ROOT, "hw_configs", "edge.yaml")) as f:
        base_text = f.read()
    if args.quick:
        jobs = [(n, p) for n in QUICK_NETWORKS for p in QUICK_POINTS]
    else:
        jobs = [(n, p) for n in NETWORKS for p in (POINTS if n == "resnet18_w4a4" else MBV2_POINTS)]
    tmp = tempfile.mkdtemp(prefix="bench_zigzag.")
    t0 = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as ex:
            pts = list(ex.map(lambda j: run_point(args, sim, zpy, base_text, j[0], j[1], tmp), jobs))
    finally:
        subprocess.run(["rm", "-rf", tmp])
    return dict(bench=NAME, quick=args.quick, zigzag_version=ZIGZAG_VERSION, lpf_limit=args.lpf_limit,
                jobs=args.jobs, pike_reps=args.pike_reps, wall_s=time.perf_counter() - t0,
                target_ratio=TARGET_RATIO, base_config="hw_configs/edge.yaml", points=pts,
                zigzag_command="nice -n 10 benches/.venv/zigzag/bin/python benches/zigzag_driver.py IN.json OUT.json "
                               "(get_hardware_performance_zigzag(workload, accelerator, mapping, opt='latency', "
                               f"lpf_limit={args.lpf_limit}))")


def main():
    ap = bench_args(__doc__)
    ap.add_argument("--pike-reps", type=int, default=5, help="pikesim runs per point (median)")
    ap.add_argument("--lpf-limit", type=int, default=6, help="ZigZag's LOMA lpf_limit (its default: 6)")
    ap.add_argument("--jobs", type=int, default=2, help="points run at the same time (at most 2)")
    ap.add_argument("--render", metavar="JSON", help="only re-write zigzag.md from this zigzag.json")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.pike_reps < 1 or not 1 <= args.jobs <= 2:
        die("--pike-reps must be >= 1 and --jobs 1 or 2")
    os.makedirs(args.out, exist_ok=True)
    if args.render:
        with open(args.render) as f:
            r = json.load(f)
    else:
        r = measure(args)
        summarize(r)
        write_atomic(os.path.join(args.out, NAME + ".json"), json.dumps(r, indent=1, sort_keys=True) + "\n")
    write_atomic(os.path.join(args.out, NAME + ".md"), markdown(r))


def summarize(r):
    pk_wall = [med(p["pike"]["wall_s"]) for p in r["points"]]
    pk_cpu = [med(p["pike"]["cpu_s"]) for p in r["points"]]
    zz_wall = [p["zigzag"]["wall_s"] for p in r["points"]]
    zz_cpu = [p["zigzag"]["cpu_s"] for p in r["points"]]
    n = len(r["points"])
    s = dict(points=n,
             pike_points_per_s_wall=n / sum(pk_wall), zigzag_points_per_s_wall=n / sum(zz_wall),
             pike_points_per_s_cpu=n / max(sum(pk_cpu), 1e-9), zigzag_points_per_s_cpu=n / sum(zz_cpu))
    s["ratio_wall"] = s["pike_points_per_s_wall"] / s["zigzag_points_per_s_wall"]
    s["ratio_cpu"] = s["pike_points_per_s_cpu"] / s["zigzag_points_per_s_cpu"]
    s["target_met"] = s["ratio_wall"] >= TARGET_RATIO
    r["summary"] = s


def markdown(r):
    return "## ZigZag\n\n(not rendered yet)\n"


if __name__ == "__main__":
    main()
