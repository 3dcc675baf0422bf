#!/usr/bin/env python3
"""bench_metrics.py - benchmark 5: ACE and ACEv2 (Pike definition) against
simulated energy over the network zoo on hw_configs/edge.yaml.

What is measured, and how:
  * every networks/*.yaml (the 27-network zoo, incl. the `_fe` float-elementwise
    twins) is run through `pikesim --config hw_configs/edge.yaml --timing-only
    --seed 1 --json F`, once per network per repetition, repetitions interleaved
    (rep 1: all networks, rep 2: all networks, ...).  Energy, ACE and ACEv2 must
    be identical in every repetition (the model is deterministic; a difference is
    an error); the medians of the per-process wall times are reported beside them.
  * --timing-only is used because the energy is a function of the event counters
    only (docs/SIM.md "Energy"), which the cycle model produces without the
    bit-exact datapath.  This is checked, not assumed: the full bit-exact run
    (no --timing-only) must give byte-identical counters, energy, ACE and ACEv2
    (every network in full mode, resnet18_w4a4 in --quick mode).
  * the v2 model (issue 10): every network once more with `--arch v2` (twice,
    checked identical, when there are repetitions): its energy beside v1's and
    the correlations of ACE / ACEv2 with it, beside v1's over the same networks
    (a network the v2 plan rejects is listed with its message).
  * pikesim's four-way energy classes used here (pikesim's own JSON classes in
    brackets): MAC [mac], elementwise [elementwise = quantnorm + residual + requant
    + act + pool], on-chip [sram + static], off-chip [dram].  static (leakage and
    clock, static_pj_per_cycle) is folded into on-chip; it is 0 on edge.yaml and
    reported separately in the JSON anyway.
  * Pearson and Spearman (average ranks for ties) correlation of ACE and of ACEv2
    with (a) total energy, (b) energy without off-chip DRAM ("compute energy":
    MAC + elementwise + on-chip), (c) arithmetic energy (MAC + elementwise), over
    all networks; plus Pearson of the log10 values (the scatter plot's axes).
  * cross-check: one `pikesim` invocation with every network as a `--network`
    flag computes its own Pearson/Spearman of ACE and ACEv2 vs total energy;
    they must agree with the numbers computed here (|difference| < 1e-9), and its
    per-network energies must equal the single-network runs.
  * plots: metrics_scatter.svg (ACE and ACEv2 vs energy, log axes, labelled
    points) and metrics_energy_bars.svg (stacked energy by class per network,
    absolute and as shares).

Usage: benches/bench_metrics.py --build BUILD --out RESULTS_DIR [--quick]
Writes RESULTS_DIR/metrics.json, RESULTS_DIR/metrics.md, RESULTS_DIR/metrics_*.svg.
"""
import glob
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from benchlib import bench_args, write_atomic, save_svg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_PY = os.path.join(ROOT, "benches", ".venv", "bin", "python")

try:
    import numpy as np
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    # Not in the benchmark venv: re-run under it if it exists, else say how.
    if os.path.exists(VENV_PY) and not os.environ.get("PIKE_BENCH_REEXEC"):
        os.environ["PIKE_BENCH_REEXEC"] = "1"
        os.execv(VENV_PY, [VENV_PY] + sys.argv)
    sys.exit("bench_metrics: numpy/matplotlib missing: run under the benchmark venv "
             "(PY=$(benches/venv.sh); $PY benches/bench_metrics.py ...)")

NAME = "metrics"
SEED = 1                        # pikesim --seed (input image); parameters use each network's seed
CONFIG = "hw_configs/edge.yaml"
REPS_FULL, REPS_QUICK = 5, 3
QUICK_FULLRUN_NETS = ["resnet18_w4a4"]  # bit-exact vs timing-only check in --quick mode
CLASSES = ["mac", "elementwise", "onchip", "offchip"]
CLASS_TITLES = {"mac": "MAC", "elementwise": "elementwise", "onchip": "on-chip (SRAM + static)",
                "offchip": "off-chip (DRAM)"}
TARGETS = {"total": "total energy", "nodram": "energy without off-chip DRAM",
           "arith": "arithmetic energy (MAC + elementwise)"}


def die(msg):
    sys.stderr.write("bench_metrics: %s\n" % msg)
    sys.exit(1)


def rel(p):
    """A path as shown in the report: relative to the repository root if inside it."""
    p = os.path.abspath(p)
    return os.path.relpath(p, ROOT) if p.startswith(ROOT + os.sep) else p


def run_sim(sim, nets, json_path, timing_only=True):
    """Run pikesim once; return (argv, wall seconds, parsed JSON)."""
    argv = [sim, "--arch", "v1", "--config", os.path.join(ROOT, CONFIG)]
    for n in nets:
        argv += ["--network", n]
    argv += ["--seed", str(SEED), "--json", json_path]
    if timing_only:
        argv.append("--timing-only")
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        die("pikesim failed (exit %d): %s\n%s" % (p.returncode, " ".join(map(shlex.quote, argv)),
                                                  p.stderr.strip()[-2000:]))
    with open(json_path) as f:
        return argv, wall, json.load(f)


def run_v2(sim, net, json_path):
    """One `pikesim --arch v2 --timing-only` run of net: (argv, JSON) or
    (argv, None, the last line of its message) when the v2 model rejects
    the network (exit 2: a layer the v2 plan cannot place)."""
    argv = [sim, "--config", os.path.join(ROOT, CONFIG), "--network", net, "--seed", str(SEED),
            "--json", json_path, "--timing-only", "--arch", "v2"]
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode == 2:
        return argv, None, (p.stderr.strip().splitlines() or ["exit 2"])[-1].replace(ROOT + "/", "")
    if p.returncode != 0:
        die("pikesim failed (exit %d): %s\n%s" % (p.returncode, " ".join(map(shlex.quote, argv)),
                                                  p.stderr.strip()[-2000:]))
    with open(json_path) as f:
        return argv, json.load(f), None


def correlations(recs):
    """Pearson, Spearman and log-log Pearson of ACE and ACEv2 with each energy target."""
    corr = {}
    for tgt in TARGETS:
        y = [r["energy_pj"][tgt] for r in recs]
        for met in ("ace", "acev2"):
            x = [r[met] for r in recs]
            corr["%s_%s" % (met, tgt)] = {
                "pearson": pearson(x, y), "spearman": spearman(x, y),
                "pearson_log10": pearson(np.log10(x), np.log10(y))}
    return corr


def v2_model(sim, nets, recs, reps, tmp):
    """The v2 model's energy beside v1's (issue 10): every network once more
    with --arch v2 (twice when reps > 1, checked identical); the correlations
    of ACE / ACEv2 with the v2 model's energy and, over the same networks,
    with v1's.  Returns (result dict, Markdown lines)."""
    v2, skipped = [], []
    by1 = {r["file"]: r for r in recs}
    for n in nets:
        argv, js, why = run_v2(sim, n, os.path.join(tmp, "v2.json"))
        if js is None:
            skipped.append({"network": os.path.basename(n)[:-5], "why": why})
            continue
        if reps > 1 and comparable(run_v2(sim, n, os.path.join(tmp, "v2.json"))[1]) != \
                comparable(js):
            die("%s: two --arch v2 runs differ" % rel(n))
        r = record(js)
        r["file"] = rel(n)
        if (r["ace"], r["acev2"]) != (by1[r["file"]]["ace"], by1[r["file"]]["acev2"]):
            die("%s: ACE / ACEv2 differ between --arch v1 and v2" % rel(n))
        v2.append(r)
    same1 = [by1[r["file"]] for r in v2]
    c2, c1 = correlations(v2), correlations(same1)
    res = {"networks": v2, "not_run": skipped, "correlation": c2,
           "correlation_v1_same_networks": c1,
           "command": "%s --config %s --network networks/NET.yaml --seed %d --json FILE "
                      "--timing-only --arch v2" % (rel(sim), CONFIG, SEED)}
    L = ["**The v2 model** (issue 10: `pikesim --arch v2 --timing-only`, sim/pk_v2, the cycle "
         "model of docs/ARCHITECTURE.md; energy = its counters x the same energy table; the v2 "
         "RTL is not measured here) on %d of the %d networks%s. Energy in mJ per image:" % (
             len(v2), len(nets), "" if not skipped else " (not run: %s)" % "; ".join(
                 "%s: %s" % (x["network"], x["why"]) for x in skipped)), ""]
    L.append("| network | v1 total | v2 total | v2 / v1 | v1 DRAM share | v2 DRAM share | "
             "v2 EW share of MAC+EW+on-chip | v1 cycles | v2 cycles |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r, b in zip(v2, same1):
        e, f = r["energy_pj"], b["energy_pj"]
        L.append("| %s | %s | %s | %.2f | %.0f%% | %.0f%% | %.0f%% | {:,} | {:,} |".format(
            b["cycles"], r["cycles"]) % (
            r["network"], fmt_e(f["total"]), fmt_e(e["total"]), e["total"] / f["total"],
            100 * f["offchip"] / f["total"], 100 * e["offchip"] / e["total"],
            100 * e["elementwise"] / e["nodram"]))
    L.append("")
    L.append("Correlation over these %d networks, v1 model and v2 model energy:" % len(v2))
    L.append("")
    L.append("| energy | ACE Pearson v1 / v2 | ACEv2 Pearson v1 / v2 | ACE Spearman v1 / v2 "
             "| ACEv2 Spearman v1 / v2 |")
    L.append("|---|---:|---:|---:|---:|")
    for tgt, title in TARGETS.items():
        L.append("| %s | %.4f / %.4f | %.4f / %.4f | %.4f / %.4f | %.4f / %.4f |" % (
            title, c1["ace_" + tgt]["pearson"], c2["ace_" + tgt]["pearson"],
            c1["acev2_" + tgt]["pearson"], c2["acev2_" + tgt]["pearson"],
            c1["ace_" + tgt]["spearman"], c2["ace_" + tgt]["spearman"],
            c1["acev2_" + tgt]["spearman"], c2["acev2_" + tgt]["spearman"]))
    L.append("")
    # What total energy follows when neither metric does: the bytes each model moves off chip.
    mem = {}
    for tag, rs in (("v1", same1), ("v2", v2)):
        y = [r["energy_pj"]["total"] for r in rs]
        mem[tag] = {k: pearson([r[k] for r in rs], y) for k in ("dram_bytes", "compulsory_bytes")}
        mem[tag]["ace_vs_dram_bytes"] = pearson([r["ace"] for r in rs], [r["dram_bytes"] for r in rs])
    res["memory_correlation"] = mem
    L.append("Why total energy tracks ACE / ACEv2 less under v2 (Pearson over the same %d networks): "
             "total energy follows the DRAM bytes each model moves (v1 %.4f, v2 %.4f) and the compulsory "
             "bytes of the network (v1 %.4f, v2 %.4f). v1 re-reads every input word once per tap and "
             "per output-channel tile, so its DRAM bytes grow with the MACs (ACE vs v1 DRAM bytes "
             "%.4f); v2 moves about the compulsory bytes, which depend on tensor and weight sizes, "
             "not on MACs (ACE vs v2 DRAM bytes %.4f). Neither metric counts memory traffic, so once "
             "the dataflow stops inflating it in proportion to compute, the correlation with total "
             "energy falls and the rows without DRAM are the ones that test the metrics." % (
                 len(v2), mem["v1"]["dram_bytes"], mem["v2"]["dram_bytes"],
                 mem["v1"]["compulsory_bytes"], mem["v2"]["compulsory_bytes"],
                 mem["v1"]["ace_vs_dram_bytes"], mem["v2"]["ace_vs_dram_bytes"]))
    L.append("")
    return res, L


def comparable(net_json):
    """The part of a pikesim network record that must not depend on --timing-only."""
    d = dict(net_json)
    d.pop("outputs", None)
    d.pop("timing_only", None)
    return d


def record(net_json):
    t = net_json["totals"]
    e = t["energy_pj"]
    r = {
        "network": net_json["network"],
        "macs_simulated": t["macs"],
        "ace": t["ace"],
        "acev2": t["acev2"],
        "cycles": t["cycles"],
        "utilization": t["utilization"],
        "float_layers": t["float_layers"],
        "dram_bytes": t["counters"]["dram_rd_bytes"] + t["counters"]["dram_wr_bytes"],
        "compulsory_bytes": t["compulsory_bytes"],
        "energy_pj": {
            "total": e["total"],
            "mac": e["mac"],
            "elementwise": e["elementwise"],
            "onchip": e["sram"] + e["static"],
            "offchip": e["dram"],
        },
        "pikesim_energy_pj": e,
    }
    r["energy_pj"]["nodram"] = e["total"] - e["dram"]
    r["energy_pj"]["arith"] = e["mac"] + e["elementwise"]
    # the elementwise share as ACEv2 sees it and as the energy model does
    r["ew_share_acev2"] = (t["acev2"] - t["ace"]) / t["acev2"]
    r["ew_share_arith_energy"] = e["elementwise"] / r["energy_pj"]["arith"]
    s = sum(r["energy_pj"][c] for c in CLASSES)
    if abs(s - e["total"]) > 1e-6 * max(1.0, e["total"]):
        die("%s: energy classes do not add up to the total (%r vs %r)" % (r["network"], s, e["total"]))
    return r


def ranks(x):
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="mergesort")
    rk = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
            j += 1
        rk[order[i:j + 1]] = (i + j) / 2.0 + 1.0  # ties share the mean rank
        i = j + 1
    return rk


def pearson(x, y):
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1])


def spearman(x, y):
    return pearson(ranks(x), ranks(y))


def fmt_e(pj):
    return "%.2f" % (pj / 1e9)  # mJ


def plots(out, recs):
    names = [r["network"] for r in recs]
    fe = [n.endswith("_fe") for n in names]
    plt.rcParams["svg.hashsalt"] = "pike-bench-metrics"  # reproducible SVG ids

    fig, axes = plt.subplots(2, 2, figsize=(13, 10.5))
    for row, tgt in enumerate(["total", "nodram"]):
        for col, (met, mtitle) in enumerate([("ace", "ACE"), ("acev2", "ACEv2 (Pike definition)")]):
            ax = axes[row][col]
            x = np.array([r[met] for r in recs], float)
            y = np.array([r["energy_pj"][tgt] for r in recs], float) / 1e9
            for isfe, col_, lab in [(False, "tab:blue", "integer elementwise"),
                                    (True, "tab:orange", "float elementwise (the _fe twins)")]:
                m = np.array(fe) == isfe
                ax.scatter(x[m], y[m], s=18, color=col_, label=lab, zorder=3)
            for xi, yi, n in zip(x, y, names):
                ax.annotate(n, (xi, yi), fontsize=5.5, xytext=(3, 2), textcoords="offset points")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="both", lw=0.3, alpha=0.5)
            ax.set_xlabel(mtitle + " (bit^2 MAC)")
            ax.set_ylabel(TARGETS[tgt] + " (mJ)")
            ax.set_title("%s vs %s: Pearson %.3f, Spearman %.3f" % (
                mtitle.split(" ")[0], "total energy" if tgt == "total" else "energy w/o DRAM",
                pearson(x, y), spearman(x, y)), fontsize=9)
            ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("pikesim on %s: ACE / ACEv2 vs simulated energy, %d networks (one image)" % (
        CONFIG, len(recs)))
    fig.tight_layout()
    save_svg(fig, os.path.join(out, NAME + "_scatter.svg"))

    colors = {"mac": "tab:blue", "elementwise": "tab:orange", "onchip": "tab:green",
              "offchip": "tab:gray"}
    fig, axes = plt.subplots(2, 1, figsize=(13, 9.5), sharex=True)
    xs = np.arange(len(recs))
    # top: all four classes; bottom: without off-chip DRAM (it is >90 % of the top)
    for ax, classes in [(axes[0], CLASSES), (axes[1], CLASSES[:3])]:
        bottom = np.zeros(len(recs))
        for c in classes:
            v = np.array([r["energy_pj"][c] for r in recs], float) / 1e9
            ax.bar(xs, v, 0.75, bottom=bottom, color=colors[c], label=CLASS_TITLES[c])
            bottom += v
        ax.grid(True, axis="y", lw=0.3, alpha=0.5)
        ax.legend(fontsize=8, loc="upper left")
    axes[0].set_ylabel("energy per image (mJ)")
    axes[1].set_ylabel("energy without off-chip DRAM (mJ)")
    axes[0].set_title("pikesim energy by class on %s (one image)" % CONFIG)
    axes[1].set_xticks(xs)
    axes[1].set_xticklabels(names, rotation=60, ha="right", fontsize=8)
    fig.tight_layout()
    save_svg(fig, os.path.join(out, NAME + "_energy_bars.svg"))
    return [NAME + "_scatter.svg", NAME + "_energy_bars.svg"]


def main():
    ap = bench_args(__doc__)
    a = ap.parse_args()

    sim = os.path.abspath(os.path.join(a.build, "sim", "pikesim"))
    if not (os.path.isfile(sim) and os.access(sim, os.X_OK)):
        die("%s not found or not executable (build Pike first)" % sim)
    if not os.path.isfile(os.path.join(ROOT, CONFIG)):
        die("%s missing" % CONFIG)
    nets = sorted(glob.glob(os.path.join(ROOT, "networks", "*.yaml")))
    if not nets:
        die("no networks/*.yaml")
    os.makedirs(a.out, exist_ok=True)
    reps = REPS_QUICK if a.quick else REPS_FULL
    t_start = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="pike-bench-metrics-") as tmp:
        # 1. single-network timing-only runs, repetitions interleaved
        runs = {n: [] for n in nets}
        walls = {n: [] for n in nets}
        for rep in range(reps):
            for n in nets:
                argv, w, js = run_sim(sim, [n], os.path.join(tmp, "one.json"))
                runs[n].append(js)
                walls[n].append(w)
        recs = []
        for n in nets:
            first = comparable(runs[n][0])
            for k, js in enumerate(runs[n][1:], 2):
                if comparable(js) != first:
                    die("%s: repetition %d differs from repetition 1 (pikesim not deterministic?)"
                        % (rel(n), k))
            r = record(runs[n][0])
            r["file"] = rel(n)
            r["wall_s_median"] = statistics.median(walls[n])
            r["wall_s_all"] = walls[n]
            recs.append(r)

        # 2. timing-only vs full bit-exact run: same counters, energy, metrics?
        if a.quick:
            check_nets = [n for n in nets if os.path.basename(n)[:-5] in QUICK_FULLRUN_NETS]
        else:
            check_nets = nets
        fullcheck = []
        for n in check_nets:
            argv, w, js = run_sim(sim, [n], os.path.join(tmp, "full.json"), timing_only=False)
            same = comparable(js) == comparable(runs[n][0])
            fullcheck.append({"network": os.path.basename(n)[:-5], "identical": same,
                              "full_wall_s": w, "command": " ".join(map(shlex.quote, argv))})
            if not same:
                die("%s: the full bit-exact run's counters/energy differ from --timing-only" % rel(n))

        # 3. pikesim's own cross-network correlation (one invocation, all networks)
        cross_runs = []
        cross_walls = []
        for rep in range(reps):
            argv_x, w, js = run_sim(sim, nets, os.path.join(tmp, "all.json"))
            cross_runs.append(js)
            cross_walls.append(w)
        for k, js in enumerate(cross_runs[1:], 2):
            if js != cross_runs[0]:
                die("multi-network run: repetition %d differs from repetition 1" % k)
        cross = cross_runs[0]
        for r, js in zip(recs, cross["networks"]):
            if js["network"] != r["network"] or record(js)["energy_pj"] != r["energy_pj"] \
                    or js["totals"]["ace"] != r["ace"] or js["totals"]["acev2"] != r["acev2"]:
                die("multi-network run differs from the single run of %s" % r["network"])

        # 4. the v2 model (issue 10)
        v2res, v2lines = v2_model(sim, nets, recs, reps, tmp)

    # 5. correlations
    corr = correlations(recs)
    pk = cross["correlation"]
    agree = {}
    for met in ("ace", "acev2"):
        for kind in ("pearson", "spearman"):
            mine = corr["%s_total" % met][kind]
            theirs = pk["%s_%s" % (met, kind)]
            agree["%s_%s" % (met, kind)] = {"bench": mine, "pikesim": theirs,
                                            "abs_diff": abs(mine - theirs) if theirs is not None else None}
    cross_ok = all(v["abs_diff"] is not None and v["abs_diff"] < 1e-9 for v in agree.values())

    # int / _fe twins: the same ACE, how do ACEv2 and energy move?
    by = {r["network"]: r for r in recs}
    twins = []
    for r in recs:
        n = r["network"]
        if n.endswith("_fe") and n[:-3] in by:
            b = by[n[:-3]]
            twins.append({"network": n[:-3],
                          "ace_ratio": r["ace"] / b["ace"],
                          "acev2_ratio": r["acev2"] / b["acev2"],
                          "energy_total_ratio": r["energy_pj"]["total"] / b["energy_pj"]["total"],
                          "energy_nodram_ratio": r["energy_pj"]["nodram"] / b["energy_pj"]["nodram"],
                          "energy_arith_ratio": r["energy_pj"]["arith"] / b["energy_pj"]["arith"],
                          "elementwise_ratio": r["energy_pj"]["elementwise"] / b["energy_pj"]["elementwise"],
                          # how much of the extra energy of the _fe twin is memory (SRAM + DRAM):
                          # pikesim stores the fe twin's float tensors as 8-bit codes
                          "memory_share_of_increase":
                              ((r["energy_pj"]["onchip"] + r["energy_pj"]["offchip"])
                               - (b["energy_pj"]["onchip"] + b["energy_pj"]["offchip"]))
                              / (r["energy_pj"]["total"] - b["energy_pj"]["total"])
                              if r["energy_pj"]["total"] != b["energy_pj"]["total"] else None})

    # energy per metric unit: what one ACE unit of MAC work and one ACEv2 unit of
    # elementwise work cost in the energy model
    pj_per_unit = {
        "mac_per_ace": statistics.median(r["energy_pj"]["mac"] / r["ace"] for r in recs),
        "ew_per_acev2_extra_int": statistics.median(
            r["energy_pj"]["elementwise"] / (r["acev2"] - r["ace"])
            for r in recs if not r["network"].endswith("_fe")),
        "ew_per_acev2_extra_fe": statistics.median(
            r["energy_pj"]["elementwise"] / (r["acev2"] - r["ace"])
            for r in recs if r["network"].endswith("_fe")),
    }

    plot_files = plots(a.out, recs)
    elapsed = time.perf_counter() - t_start

    # verdict: the claim is that ACEv2 tracks energy better than ACE
    def better(tgt, kind):
        return corr["acev2_%s" % tgt][kind] > corr["ace_%s" % tgt][kind]
    verdict = {tgt: {k: better(tgt, k) for k in ("pearson", "spearman", "pearson_log10")}
               for tgt in TARGETS}
    dram_share = [r["energy_pj"]["offchip"] / r["energy_pj"]["total"] for r in recs]

    one_cmd = "%s --arch v1 --config %s --network networks/NET.yaml --seed %d --json FILE --timing-only" % (
        rel(sim), CONFIG, SEED)
    cross_cmd = "%s --arch v1 --config %s %s --seed %d --json all.json --timing-only" % (
        rel(sim), CONFIG, " ".join("--network " + rel(n) for n in nets), SEED)
    result = {
        "name": NAME,
        "title": "ACE / ACEv2 (Pike definition) vs simulated energy over the zoo",
        "issue_item": 5,
        "quick": a.quick,
        "config": CONFIG,
        "seed": SEED,
        "repetitions": reps,
        "n_networks": len(recs),
        "energy_class_mapping": {"mac": "pikesim mac", "elementwise":
                                 "pikesim elementwise (quantnorm+residual+requant+act+pool)",
                                 "onchip": "pikesim sram + static", "offchip": "pikesim dram"},
        "commands": {"per_network": one_cmd,
                     "cross": cross_cmd,
                     "full_bitexact_check": [c["command"] for c in fullcheck]},
        "networks": recs,
        "correlation": corr,
        "pikesim_crosscheck": {"agree": cross_ok, "values": agree,
                               "wall_s_median": statistics.median(cross_walls),
                               "wall_s_all": cross_walls},
        "timing_only_vs_full": fullcheck,
        "fe_twins": twins,
        "pj_per_metric_unit": pj_per_unit,
        "dram_share": {"min": min(dram_share), "median": statistics.median(dram_share),
                       "max": max(dram_share)},
        "verdict_acev2_better_than_ace": verdict,
        "plots": plot_files,
        "bench_wall_s": elapsed,
        "v2_model": v2res,
    }

    # ---- Markdown section
    L = []
    L.append("## 5. ACE / ACEv2 vs simulated energy over the zoo (%s)" % CONFIG)
    L.append("")
    L.append("Every network of `networks/` (%d files, incl. the `_fe` float-elementwise twins) run by "
             "`pikesim --timing-only` on `%s`, one image, seed %d; %d interleaved repetitions per "
             "network (energy, ACE and ACEv2 identical in every repetition; the wall time column is "
             "the median). %s" % (
                 len(recs), CONFIG, SEED, reps,
                 "Quick mode: all networks, %d repetitions, the bit-exact check on %s only."
                 % (reps, ", ".join(QUICK_FULLRUN_NETS)) if a.quick else
                 "Full mode: all networks, %d repetitions, the bit-exact check on every network." % reps))
    L.append("")
    L.append("Energy classes (pikesim JSON -> this table): MAC = `mac`; elementwise = `elementwise` "
             "(quantnorm + residual + requant + act + pool); on-chip = `sram` + `static` (static is "
             "%s on edge.yaml); off-chip = `dram`. Energy in mJ (1e9 pJ) per image." % (
                 "0" if all(r["pikesim_energy_pj"]["static"] == 0 for r in recs) else "non-zero"))
    L.append("")
    L.append("| network | ACE | ACEv2 (Pike) | MAC | elementwise | on-chip | off-chip | total mJ "
             "| w/o DRAM mJ | DRAM share | EW share of ACEv2 | EW share of MAC+EW energy "
             "| pikesim wall ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in recs:
        e = r["energy_pj"]
        L.append("| %s | %.3g | %.3g | %s | %s | %s | %s | %s | %s | %.0f%% | %.0f%% | %.0f%% | %.1f |" % (
            r["network"], r["ace"], r["acev2"], fmt_e(e["mac"]), fmt_e(e["elementwise"]),
            fmt_e(e["onchip"]), fmt_e(e["offchip"]), fmt_e(e["total"]), fmt_e(e["nodram"]),
            100 * e["offchip"] / e["total"], 100 * r["ew_share_acev2"],
            100 * r["ew_share_arith_energy"], 1000 * r["wall_s_median"]))
    L.append("")
    L.append("EW share of ACEv2 = (ACEv2 - ACE) / ACEv2, the elementwise part of the metric; EW share "
             "of MAC+EW energy = elementwise / (MAC + elementwise) energy, the same split in the "
             "energy model.")
    L.append("")
    L.append("Correlation over the %d networks (Spearman with average ranks; ACE ties between each "
             "integer network and its `_fe` twin):" % len(recs))
    L.append("")
    L.append("| energy | ACE Pearson | ACEv2 Pearson | ACE Spearman | ACEv2 Spearman "
             "| ACE Pearson log-log | ACEv2 Pearson log-log |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for tgt, title in TARGETS.items():
        ca, cv = corr["ace_" + tgt], corr["acev2_" + tgt]
        L.append("| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |" % (
            title, ca["pearson"], cv["pearson"], ca["spearman"], cv["spearman"],
            ca["pearson_log10"], cv["pearson_log10"]))
    L.append("")
    L.append("Integer network vs its `_fe` twin (ratios fe / integer): ACE cannot see the float "
             "elementwise work (ratio 1); does ACEv2 move the way energy does?")
    L.append("")
    L.append("| network | ACE | ACEv2 | total energy | energy w/o DRAM | MAC + elementwise | "
             "elementwise energy | memory share of the extra energy |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for t in twins:
        L.append("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |" % (
            t["network"], t["ace_ratio"], t["acev2_ratio"], t["energy_total_ratio"],
            t["energy_nodram_ratio"], t["energy_arith_ratio"], t["elementwise_ratio"],
            "-" if t["memory_share_of_increase"] is None else
            "%.0f%%" % (100 * t["memory_share_of_increase"])))
    L.append("")
    over = sum(t["acev2_ratio"] > t["energy_arith_ratio"] for t in twins)
    ms = [t["memory_share_of_increase"] for t in twins if t["memory_share_of_increase"] is not None]
    ppu = result["pj_per_metric_unit"]
    L.append("In %d of %d pairs ACEv2's fe/integer ratio is larger than the ratio of MAC + elementwise "
             "energy. Energy per metric unit (medians): MAC energy / ACE = %.4f pJ; elementwise energy / "
             "(ACEv2 - ACE) = %.4f pJ on the integer networks and %.4f pJ on the `_fe` twins: one ACEv2 "
             "unit of float elementwise work costs %.2fx the energy of one ACE unit of MAC work in the "
             "energy model, so ACEv2's weights (b_x*b_y for a float multiply) %s float elementwise work "
             "relative to MACs. The memory share column (median %s) is the part of the twin's extra "
             "energy that is SRAM and DRAM traffic: pikesim stores the twin's float tensors as 8-bit "
             "codes (docs/SIM.md), wider than the integer twin's 4-bit tensors; neither metric counts "
             "memory." % (
                 over, len(twins), ppu["mac_per_ace"], ppu["ew_per_acev2_extra_int"],
                 ppu["ew_per_acev2_extra_fe"], ppu["ew_per_acev2_extra_fe"] / ppu["mac_per_ace"],
                 "overweight" if ppu["ew_per_acev2_extra_fe"] < ppu["mac_per_ace"] else "underweight",
                 "%.0f%%" % (100 * statistics.median(ms)) if ms else "-"))
    L.append("")
    L.append("Checks: the full bit-exact run gives counters, energy, ACE and ACEv2 identical to "
             "`--timing-only` on %d of %d network(s) checked (%s). pikesim's own cross-network "
             "correlation (one invocation with all %d networks, median %.2f s) %s this script's: "
             "largest |difference| %.1e." % (
                 sum(c["identical"] for c in fullcheck), len(fullcheck),
                 ", ".join(c["network"] for c in fullcheck) if len(fullcheck) <= 3 else "all",
                 len(recs), statistics.median(cross_walls),
                 "agrees with" if cross_ok else "DISAGREES with",
                 max(v["abs_diff"] or 0 for v in agree.values())))
    L.append("")
    ds = result["dram_share"]
    L.append("Target (issue item 5): ACE, ACEv2 and simulated energy for every zoo network and its "
             "float-elementwise variant on edge.yaml, the correlation of each metric with energy, a "
             "scatter plot and a stacked bar of energy by class — **met** (%d networks, both plots). "
             "The issue sets no correlation threshold; the paper's claim tested here is that ACEv2 "
             "tracks energy better than ACE:" % len(recs))
    L.append("")
    for tgt, title in TARGETS.items():
        v = verdict[tgt]
        L.append("- %s: ACEv2 higher than ACE in Pearson **%s**, Spearman **%s**, log-log Pearson **%s** "
                 "(Pearson %.3f vs %.3f, Spearman %.3f vs %.3f)." % (
                     title, "yes" if v["pearson"] else "no", "yes" if v["spearman"] else "no",
                     "yes" if v["pearson_log10"] else "no",
                     corr["acev2_" + tgt]["pearson"], corr["ace_" + tgt]["pearson"],
                     corr["acev2_" + tgt]["spearman"], corr["ace_" + tgt]["spearman"]))
    L.append("")
    L.append("Off-chip DRAM is %.0f%% to %.0f%% of the energy (median %.0f%%): edge.yaml's v1 "
             "dataflow is memory-bound, and neither ACE nor ACEv2 counts memory traffic, so the "
             "correlation with total energy mostly measures how well a metric tracks the DRAM bytes; "
             "the rows without DRAM isolate the arithmetic the metrics are about." % (
                 100 * ds["min"], 100 * ds["max"], 100 * ds["median"]))
    L.append("")
    L.extend(v2lines)
    L.append("![ACE and ACEv2 vs simulated energy](%s)" % plot_files[0])
    L.append("")
    L.append("![energy by class per network](%s)" % plot_files[1])
    L.append("")
    L.append("Commands (from the repository root; NET = each of the %d networks):" % len(recs))
    L.append("")
    L.append("```")
    L.append(result["commands"]["per_network"])
    L.append(rel(sim) + " --config %s --network networks/NET.yaml --seed %d --json FILE"
             "   # bit-exact check" % (CONFIG, SEED))
    L.append(rel(sim) + " --config %s --network networks/<each of the %d> ... --seed %d "
             "--json all.json --timing-only   # pikesim's own correlation" % (CONFIG, len(recs), SEED))
    L.append("```")
    L.append("")
    L.append("Bench wall time %.1f s." % elapsed)
    L.append("")

    if not cross_ok:
        die("pikesim's correlation disagrees with this script's: %s" % json.dumps(agree))
    write_atomic(os.path.join(a.out, NAME + ".json"), json.dumps(result, indent=1) + "\n")
    write_atomic(os.path.join(a.out, NAME + ".md"), "\n".join(L))
    print("bench_metrics: %d networks, %d reps, %.1f s; ACE/ACEv2 vs total energy: Pearson %.4f / %.4f, "
          "Spearman %.4f / %.4f; w/o DRAM: Pearson %.4f / %.4f, Spearman %.4f / %.4f; pikesim "
          "cross-check %s" % (
              len(recs), reps, elapsed, corr["ace_total"]["pearson"], corr["acev2_total"]["pearson"],
              corr["ace_total"]["spearman"], corr["acev2_total"]["spearman"],
              corr["ace_nodram"]["pearson"], corr["acev2_nodram"]["pearson"],
              corr["ace_nodram"]["spearman"], corr["acev2_nodram"]["spearman"],
              "agrees" if cross_ok else "DISAGREES"))


if __name__ == "__main__":
    main()
