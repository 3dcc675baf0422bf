#!/usr/bin/env python3
"""bench_roofline.py - benchmark 10 (issue 10): the v1 and v2 models against the roofline.

What is measured: for zoo networks on hw_configs/edge.yaml and cloud.yaml,
`pikesim --timing-only --json` once with the v1 model (`--arch v1`) and once
with the v2 model (`--arch v2`, sim/pk_v2: the cycle model that executes the
v2 memory image's descriptors; the v2 RTL is not measured here): total
cycles, the fraction of issue 10's roofline bound reached (pikesim's
`totals.roofline_fraction`, the bound of docs/SIM.md), DRAM bytes read +
written against the compulsory bytes, the average DRAM read request (read
bytes / read requests) and the simulated energy; per layer, the bound against
each model's cycles (one plot per network), and the layers of the v2 model
over their own target (edge: conv and pool <= 1.5x the layer's bound,
depthwise <= 2x; EW not targeted).  The cycle models are deterministic: one
run of each, plus a second v2 run that must give the same JSON totals.

Usage: benches/bench_roofline.py --build BUILD --out RESULTS_DIR [--quick]
(--quick: edge.yaml and the four target networks only.)  Writes
RESULTS_DIR/roofline.json, roofline.md and roofline_NETWORK.svg (bound, v1
and v2 cycles per layer, one panel per config).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from benchlib import bench_args, built_tool, write_atomic, save_svg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = ["edge", "cloud"]
TARGETS = ["resnet18_w4a4", "resnet50_w4a4", "mobilenetv2_w4a4", "pikelpn_1x"]
OTHERS = ["mobilenetv1_w4a4", "resnet34_w4a4", "resnet18_w8a8", "pokebnn_1_0", "reactnet_a",
          "pikelpn_2x", "pikelpn_3x"]
ARCHS = ["v1", "v2"]
SEED = 1
# issue 10's targets
T_FRACTION, T_R18_CYCLES, T_DRAM, T_REQ = 0.8, 1.75e6, 1.1, 64.0
T_LAYER, T_LAYER_DW = 1.5, 2.0


def die(msg):
    print("bench_roofline: " + msg, file=sys.stderr)
    sys.exit(1)


def run(sim, cfg, net, arch, path):
    argv = [sim, "--config", "hw_configs/%s.yaml" % cfg, "--network", "networks/%s.yaml" % net,
            "--seed", str(SEED), "--timing-only", "--arch", arch, "--json", path]
    p = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else \
            "exit %d" % p.returncode
    with open(path) as f:
        return json.load(f), None


def summarize(j):
    t = j["totals"]
    c = t["counters"]
    return {
        "cycles": t["cycles"], "roofline_cycles": t["roofline_cycles"],
        "fraction": t["roofline_fraction"],
        "dram_rd_bytes": t["dram_rd_bytes"], "dram_wr_bytes": t["dram_wr_bytes"],
        "compulsory_bytes": t["compulsory_bytes"],
        "dram_over_compulsory": (t["dram_rd_bytes"] + t["dram_wr_bytes"]) / t["compulsory_bytes"],
        "dram_rd_reqs": c["dram_rd_reqs"],
        "avg_read_request_b": t["dram_rd_bytes"] / c["dram_rd_reqs"] if c["dram_rd_reqs"] else 0,
        "energy_pj": t["energy_pj"]["total"],
        "layers": [{"name": l["name"], "hw": l["hw"], "cycles": l["cycles"],
                    "roofline_cycles": l["roofline_cycles"]} for l in j["layers"]],
    }


def plot(net, per_cfg, path):
    """Bound, v1 and v2 cycles per layer (log y), one panel per config."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cfgs = [c for c in CONFIGS if c in per_cfg]
    fig, axes = plt.subplots(len(cfgs), 1, figsize=(12, 3.6 * len(cfgs)), squeeze=False)
    for ax, cfg in zip(axes[:, 0], cfgs):
        runs = per_cfg[cfg]
        ref = runs["v1"]["layers"]
        x = list(range(len(ref)))
        ax.step(x, [l["roofline_cycles"] for l in ref], where="mid", color="black", lw=1.2,
                label="roofline bound")
        for arch, mk, col in (("v1", "o", "tab:red"), ("v2", "s", "tab:blue")):
            ls = runs[arch]["layers"]
            lab = "v1 model" if arch == "v1" else "v2 model (pikesim --arch v2)"
            ax.plot(x, [l["cycles"] for l in ls], mk, ms=3.5, color=col,
                    label="%s: %.3g cycles, %.2f of bound" % (lab, runs[arch]["cycles"],
                                                             runs[arch]["fraction"]))
        ax.set_yscale("log")
        ax.set_xlim(-0.5, len(ref) - 0.5)
        ax.set_ylabel("cycles")
        ax.set_xlabel("layer (network order)")
        ax.set_title("%s on %s.yaml: bound %.3g cycles" % (net, cfg, runs["v1"]["roofline_cycles"]),
                     fontsize=10)
        ax.legend(fontsize=8)
        if len(ref) <= 40:
            ax.set_xticks(x)
            ax.set_xticklabels([l["name"] for l in ref], rotation=90, fontsize=6)
    fig.tight_layout()
    save_svg(fig, path)


def layer_rows(cfg, net, s):
    """v2 model layers over their own target (conv and pool 1.5x, DW 2x)."""
    out = []
    for l in s["layers"]:
        if l["hw"] == "EW" or not l["roofline_cycles"]:
            continue
        lim = T_LAYER_DW if l["hw"] == "DW" else T_LAYER
        r = l["cycles"] / l["roofline_cycles"]
        if r > lim:
            out.append({"config": cfg, "network": net, "layer": l["name"], "hw": l["hw"],
                        "cycles": l["cycles"], "bound": l["roofline_cycles"], "ratio": r,
                        "limit": lim})
    return out


def verdicts(rows):
    """Issue 10's targets on the v2 model's numbers."""
    v = []
    for r in rows:
        if r["network"] not in TARGETS or "v2" not in r:
            continue
        x = r["v2"]
        v.append(("%s %s: fraction of bound" % (r["config"], r["network"]), x["fraction"],
                  ">= %.1f" % T_FRACTION, x["fraction"] >= T_FRACTION))
        if r["config"] == "edge":
            v.append(("edge %s: DRAM rd+wr / compulsory" % r["network"],
                      x["dram_over_compulsory"], "<= %.1f" % T_DRAM,
                      x["dram_over_compulsory"] <= T_DRAM))
        if r["config"] == "edge" and r["network"] == "resnet18_w4a4":
            v.append(("edge resnet18_w4a4: cycles", x["cycles"], "<= 1.75 M",
                      x["cycles"] <= T_R18_CYCLES))
            v.append(("edge resnet18_w4a4: average read request (B)", x["avg_read_request_b"],
                      ">= %.0f" % T_REQ, x["avg_read_request_b"] >= T_REQ))
    return [{"what": w, "value": val, "target": t, "met": m} for w, val, t, m in v]


def fmt(v):
    return ("{:,}".format(v) if isinstance(v, int) else
            "%.3f" % v if v < 10 else "{:,.0f}".format(v))


def render(out, quick):
    L = ["## 10. The v1 and v2 models against the roofline\n"]
    L.append("`pikesim --timing-only --json` with `--arch v1` and `--arch v2` on %s, input seed %d. "
             "The v2 numbers are the v2 **model**'s (sim/pk_v2, the cycle model that executes the "
             "v2 memory image's descriptors; the v2 RTL is built separately and not measured "
             "here). Bound: issue 10's roofline as pikesim reports it (docs/SIM.md: per layer "
             "max(ops / peak of the layer's mode, compulsory bytes / `bytes_per_cycle`), summed); "
             "fraction = bound / cycles (the v2 model can exceed 1: reads and writes have their "
             "own ports, the bound shares one). DRAM = bytes read + written over the compulsory "
             "bytes; request = DRAM bytes read / read requests; energy = pikesim's total "
             "(docs/SIM.md energy table). Deterministic models: one run each, a second v2 run "
             "checked identical.\n" % (" and ".join("`%s.yaml`" % c for c in out["configs"]), SEED))
    L.append("| config | network | v1 cycles | v2 cycles | v1 fraction | v2 fraction | "
             "v1 DRAM / compulsory | v2 DRAM / compulsory | v1 avg read (B) | v2 avg read (B) | "
             "v1 energy (uJ) | v2 energy (uJ) | plot |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in out["rows"]:
        if "v2" not in r or "v1" not in r:
            L.append("| %s | %s | %s |||||||||||" % (r["config"], r["network"], "; ".join(
                "%s not run: %s" % (a, r["errors"][a]) for a in r.get("errors", {}))))
            continue
        a, b = r["v1"], r["v2"]
        L.append("| %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | "
                 "[svg](roofline_%s.svg) |" % (
                     r["config"], r["network"], fmt(a["cycles"]), fmt(b["cycles"]),
                     a["fraction"], b["fraction"], a["dram_over_compulsory"],
                     b["dram_over_compulsory"], a["avg_read_request_b"],
                     b["avg_read_request_b"], a["energy_pj"] / 1e6, b["energy_pj"] / 1e6,
                     r["network"]))
    L.append("")
    L.append("**Issue 10's targets on the v2 model:**\n")
    L.append("| check | v2 model | target | met |")
    L.append("|---|---:|---|---|")
    for v in out["verdicts"]:
        L.append("| %s | %s | %s | %s |" % (v["what"], fmt(v["value"]), v["target"],
                                           "yes" if v["met"] else "**no**"))
    L.append("")
    over = [l for l in out["layers_over"] if l["config"] == "edge"]
    L.append("**v2 model layers over their own target on edge** (conv and pool > 1.5x the "
             "layer's bound, depthwise > 2x; EW not targeted): %s\n"
             % ("none" if not over else "%d" % len(over)))
    if over:
        L.append("| network | layer | kind | v2 cycles | bound | ratio |")
        L.append("|---|---|---|---:|---:|---:|")
        for l in over:
            L.append("| %s | %s | %s | {:,} | {:,} | %.2f |".format(l["cycles"], l["bound"])
                     % (l["network"], l["layer"], l["hw"], l["ratio"]))
        L.append("")
    L.append("Roofline plots (bound and both models' cycles per layer, log scale): "
             + ", ".join("[%s](roofline_%s.svg)" % (n, n) for n in out["plots"]) + ".\n")
    if out["plots"]:
        L.append("![roofline %s](roofline_%s.svg)\n" % (out["plots"][0], out["plots"][0]))
    L.append("Commands:\n")
    L.append("```")
    L.append("benches/bench_roofline.py --build BUILD --out RESULTS_DIR%s"
             % (" --quick" if quick else ""))
    L.append("pikesim --config hw_configs/CFG.yaml --network networks/NET.yaml --seed %d "
             "--timing-only --arch {v1,v2} --json FILE" % SEED)
    L.append("```")
    L.append("")
    return L


def main():
    ap = bench_args(__doc__)
    a = ap.parse_args()
    sim = built_tool(a.build, "sim/pikesim")
    os.makedirs(a.out, exist_ok=True)
    configs = CONFIGS[:1] if a.quick else CONFIGS
    nets = TARGETS if a.quick else TARGETS + OTHERS
    t0 = time.time()
    rows, over, plots = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench_roofline-") as tmp:
        jp = os.path.join(tmp, "run.json")
        for net in nets:
            per_cfg = {}
            for cfg in configs:
                r = {"config": cfg, "network": net, "errors": {}}
                for arch in ARCHS:
                    j, why = run(sim, cfg, net, arch, jp)
                    if j is None:
                        if net in TARGETS:
                            die("%s/%s --arch %s failed: %s" % (cfg, net, arch, why))
                        r["errors"][arch] = why
                        continue
                    r[arch] = summarize(j)
                    if arch == "v2":
                        j2, _ = run(sim, cfg, net, arch, jp)
                        if j2 is None or j2["totals"] != j["totals"]:
                            die("%s/%s: two --arch v2 runs differ" % (cfg, net))
                if "v1" in r and "v2" in r:
                    if r["v1"]["roofline_cycles"] != r["v2"]["roofline_cycles"]:
                        die("%s/%s: v1 and v2 report different bounds" % (cfg, net))
                    per_cfg[cfg] = r
                    over += layer_rows(cfg, net, r["v2"])
                rows.append(r)
            if per_cfg:
                plot(net, per_cfg, os.path.join(a.out, "roofline_%s.svg" % net))
                plots.append(net)
    out = {"benchmark": "roofline", "section": "10. The v1 and v2 models against the roofline",
           "quick": a.quick, "configs": configs, "networks": nets, "seed": SEED,
           "pikesim": sim, "duration_s": time.time() - t0, "rows": rows,
           "layers_over": over, "plots": plots}
    out["verdicts"] = verdicts(rows)
    out["targets_met"] = all(v["met"] for v in out["verdicts"])
    L = render(out, a.quick)
    write_atomic(os.path.join(a.out, "roofline.json"), json.dumps(out, indent=1) + "\n")
    write_atomic(os.path.join(a.out, "roofline.md"), "\n".join(L))
    print("\n".join(L))


if __name__ == "__main__":
    main()
