#!/usr/bin/env python3
"""bench_hw.py - benchmark 4: hardware.  Synthesis of every shipped config, and
Pike's QuantNorm integer unit against fp16 / fp32 batch-norm units, in silicon.

What is measured (issue 5, item 4), and how:
  * Per shipped config (hw_configs/{ice40,edge,cloud}.yaml): `pikegen --config
    C --out TMP/C` writes the bundle; Yosys then synthesizes what pikegen wrote
    (nothing of the RTL is fixed here):
      - "generic": `synth -top pike_top` with block RAMs kept as memory cells
        (benches/hw/synth_generic_bram.ys.in, flattened; the bundle's own
        synth_generic.ys keeps memories too but keeps the hierarchy); cells, FFs;
      - "ice40": `synth_ice40 -dsp -noflatten -top pike_top`
        (benches/hw/synth_ice40_nf.ys.in, hierarchy totals): SB_LUT4, SB_DFF*,
        SB_CARRY, SB_RAM40_4K (EBR), SB_MAC16, SB_SPRAM256KA;
      - for ice40.yaml also the bundle's own flow, unchanged: `yosys -s
        synth_ice40.ys` (flattened `synth_ice40 -dsp -top pike_board`), then
        `make pnr` (nextpnr-ice40 --up5k --package sg48) and `make report`;
        Fmax if it places (median over seeds), else the measured utilisation and
        nextpnr's error; and (full mode) the bundle's `synth_generic.ys`.
    Each run: wall time, CPU time and peak RSS (/usr/bin/time -v), under nice,
    at most 2 jobs at once, with a time limit and an address-space limit (a run
    that exceeds either is reported as such, never as a number).
  * QuantNorm vs batch norm: bn_qn (pk_quantnorm of the generated edge bundle:
    y = sat_s(rshr(acc*m + b, s), P)) and bn_fp16 / bn_fp32 (benches/hw: acc ->
    float, * scale, + bias, -> integer, IEEE round-to-nearest-even at every
    step, saturating; DAZ/FTZ), all at edge.yaml's post-processing widths.
      1. `verilator --lint-only -Wall` on each unit;
      2. functional check: NV random vectors (seeded) through all three units
         under Icarus (benches/hw/tb_bn.v) against the references in
         benches/hw/bn_ref.py (numpy float16/float32 arithmetic; QUANT.md for
         QuantNorm); numpy itself is checked against an exact-rational
         reference.  Any mismatch stops the bench before an area is reported;
      3. Yosys: `synth -flatten` (generic cells, `ltp -noff` depth),
         `synth_ice40` without and with `-dsp` (SB_LUT4, SB_CARRY, SB_MAC16);
         ratios fp16/QuantNorm and fp32/QuantNorm;
      4. (full mode) Fmax: each unit between a serial-in shift register and a
         capture register (benches/hw/bn_wrap.v), synth_ice40 (no DSP),
         nextpnr-ice40 --up5k, median over seeds.
Synthesis is deterministic: counts come from one run; times are one run each
on a shared machine.  Quick mode: only ice40.yaml's bundle flow (synth_ice40 +
pnr) and the three units (check + synthesis; no Fmax).

Usage: benches/bench_hw.py --build BUILD --out RESULTS_DIR [--quick]
           [--vectors N] [--seed S] [--limit-s S] [--keep]
Outputs: RESULTS_DIR/hw.json, RESULTS_DIR/hw.md, RESULTS_DIR/hw_bn_area.svg
"""

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HW = ROOT / "benches" / "hw"

try:
    import numpy as np  # noqa: F401  (bn_ref needs it)
except ImportError:  # re-run under the bench venv
    if os.environ.get("BENCH_HW_REEXEC"):
        sys.exit("bench_hw: numpy missing even in the venv (benches/venv.sh)")
    py = subprocess.run([str(ROOT / "benches" / "venv.sh")], check=True,
                        capture_output=True, text=True).stdout.strip()
    os.environ["BENCH_HW_REEXEC"] = "1"
    os.execv(py, [py, __file__] + sys.argv[1:])

sys.path.insert(0, str(HW))
import bn_ref  # noqa: E402
from benchlib import bench_args, write_atomic, save_svg

CONFIGS = ["ice40", "edge", "cloud"]
MEM_LIMIT = 10 << 30          # address-space limit per synthesis process (bytes)
FP_SOURCES = ["bn_fp.v", "bnf_clz.v", "bnf_i2f.v", "bnf_class.v", "bnf_mul.v", "bnf_add.v",
              "bnf_f2i.v"]
QN_RTL = ["pk_quantnorm.v", "pk_rshr_sh.v", "pk_rshr_fin.v", "pk_sats.v"]
UNITS = ["bn_qn", "bn_fp16", "bn_fp32"]
LABEL = {"bn_qn": "QuantNorm (int)", "bn_fp16": "BN fp16", "bn_fp32": "BN fp32"}


def die(msg):
    print(f"bench_hw: {msg}", file=sys.stderr)
    sys.exit(1)


STOP = threading.Event()    # set on failure: no new tool runs
DEADLINE = [float("inf")]   # time.perf_counter() by which every tool run must end (--budget-s)


class Skipped(Exception):
    """A run not started because the bench's time budget is used up."""
RUNNING = set()             # process groups of tool runs in flight (killed on failure)
RUNNING_LOCK = threading.Lock()


def kill_running():
    with RUNNING_LOCK:
        for pid in list(RUNNING):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def log(msg):
    print(f"bench_hw: {msg}", flush=True)


# --- running tools ----------------------------------------------------------
def timed(cmd, cwd, tag, tmp, limit_s, memlimit=True):
    """Run cmd under nice and /usr/bin/time -v; return wall/CPU/peak RSS, rc, limits hit."""
    tf = Path(tmp) / f"{tag}.time"
    lf = Path(tmp) / f"{tag}.out"
    lim = ["prlimit", f"--as={MEM_LIMIT}", "--"] if memlimit else []
    full = ["/usr/bin/time", "-v", "-o", str(tf), "nice", "-n", "10"] + lim + [str(c) for c in cmd]
    if STOP.is_set():
        raise SystemExit(1)
    left = DEADLINE[0] - time.perf_counter()
    if left < 20:
        raise Skipped(tag)
    limit_s = int(min(limit_s, left))
    t0 = time.perf_counter()
    with open(lf, "w") as out:
        p = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
        with RUNNING_LOCK:
            RUNNING.add(p.pid)
        timed_out = False
        try:
            rc = p.wait(timeout=limit_s)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            rc = p.wait()
            timed_out = True
        finally:
            with RUNNING_LOCK:
                RUNNING.discard(p.pid)
    wall = time.perf_counter() - t0
    rss_mb = cpu = None
    if tf.exists() and not timed_out:
        t = tf.read_text()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
        rss_mb = int(m.group(1)) / 1024 if m else None
        u = re.search(r"User time \(seconds\): ([\d.]+)", t)
        s = re.search(r"System time \(seconds\): ([\d.]+)", t)
        cpu = float(u.group(1)) + float(s.group(1)) if u and s else None
    text = lf.read_text(errors="replace")
    last_pass = None
    if timed_out:
        for c in cmd:
            if str(c).endswith(".log") and Path(str(c)).exists():
                steps = re.findall(r"^\d+(?:\.\d+)*\. Executing (.*)$", Path(str(c)).read_text(errors="replace"), re.M)
                last_pass = steps[-1] if steps else None
    oom = ("std::bad_alloc" in text or "Out of memory" in text or "MemoryError" in text)
    return {"cmd": " ".join(str(c) for c in cmd), "cwd": str(cwd), "rc": rc,
            "wall_s": round(wall, 2), "cpu_s": cpu, "peak_rss_mb": rss_mb,
            "timed_out": timed_out, "limit_s": limit_s, "out_of_memory": oom,
            "last_pass": last_pass, "tail": text.strip().splitlines()[-5:]}


def run_ok(cmd, cwd=None, what=""):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        die(f"{what or cmd[0]} failed (exit {r.returncode}):\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return r


def parse_stat(text):
    """Yosys `stat`: hierarchy totals when present, else the (last) module's numbers."""
    sec = text.split("=== design hierarchy ===")[-1] if "=== design hierarchy ===" in text \
        else text.rsplit("\n=== ", 1)[-1]
    m = re.search(r"Number of cells:\s+(\d+)", sec)
    if not m:
        raise ValueError("no 'Number of cells' in stat output")
    types = {}
    for t, n in re.findall(r"^\s+(\S+)\s+(\d+)\s*$", sec[m.end():], re.M):
        types[t] = types.get(t, 0) + int(n)
    return {"cells": int(m.group(1)), "types": types}


def ice40_counts(st):
    ty = st["types"]
    g = lambda k: ty.get(k, 0)
    return {"cells": st["cells"], "SB_LUT4": g("SB_LUT4"),
            "FF": sum(n for k, n in ty.items() if k.startswith("SB_DFF")),
            "SB_CARRY": g("SB_CARRY"), "EBR": g("SB_RAM40_4K"), "SB_MAC16": g("SB_MAC16"),
            "SPRAM": g("SB_SPRAM256KA")}


def generic_counts(st):
    ty = st["types"]
    return {"cells": st["cells"], "FF": sum(n for k, n in ty.items() if "DFF" in k),
            "mem_cells": sum(n for k, n in ty.items() if k.startswith("$mem")),
            "logic_cells": sum(n for k, n in ty.items() if "DFF" not in k and not k.startswith("$mem"))}


def bundle_rtl(bundle):
    """RTL files of a bundle, in its own synth_generic.ys order."""
    return [ln.split()[1] for ln in (bundle / "synth_generic.ys").read_text().splitlines()
            if ln.startswith("read_verilog ")]


def fill(template, bundle, top, stat, rtl=None):
    t = (HW / template).read_text()
    rtl = rtl or bundle_rtl(bundle)
    return (t.replace("@READ@", "\n".join(f"read_verilog {r}" for r in rtl))
             .replace("@TOP@", top).replace("@STAT@", str(stat)))


# --- per-config synthesis ------------------------------------------------------
def skipped_row(cfg, flow, top, script):
    return {"config": cfg, "flow": flow, "top": top, "script": script, "skipped": True, "cmd": "",
            "cwd": "", "wall_s": None, "cpu_s": None, "peak_rss_mb": None}


def job_script(kind, cfg, bundle, tmp, limit_s):
    """generic (BRAM kept) or ice40 (-noflatten) synthesis of pike_top."""
    tmpl = {"generic": "synth_generic_bram.ys.in", "ice40": "synth_ice40_nf.ys.in"}[kind]
    stat = Path(tmp) / f"{cfg}_{kind}.stat"
    ys = Path(tmp) / f"{cfg}_{kind}.ys"
    ys.write_text(fill(tmpl, bundle, "pike_top", stat))
    log(f"{cfg}: {kind} synthesis ...")
    try:
        r = timed(["yosys", "-q", "-l", Path(tmp) / f"{cfg}_{kind}.log", "-s", ys], bundle,
                  f"{cfg}_{kind}", tmp, limit_s)
    except Skipped:
        log(f"{cfg}: {kind} not run (time budget used up)")
        return skipped_row(cfg, kind, "pike_top", f"benches/hw/{tmpl}")
    r.update({"config": cfg, "flow": kind, "top": "pike_top", "script": f"benches/hw/{tmpl}"})
    if r["rc"] == 0 and stat.exists():
        st = parse_stat(stat.read_text())
        r["counts"] = generic_counts(st) if kind == "generic" else ice40_counts(st)
        r["types"] = st["types"]
    log(f"{cfg}: {kind} done in {r['wall_s']} s (rc {r['rc']}{', TIMEOUT' if r['timed_out'] else ''})")
    return r


def job_bundle_ice40(bundle, tmp, limit_s, seeds):
    """The ice40 bundle's own flow: synth_ice40.ys, make pnr (per seed), make report."""
    (bundle / "build").mkdir(exist_ok=True)
    log("ice40: bundle synth_ice40.ys ...")
    try:
        r = timed(["yosys", "-q", "-l", "build/synth_ice40.log", "-s", "synth_ice40.ys"], bundle,
                  "ice40_bundle_ice40", tmp, limit_s)
    except Skipped:
        return skipped_row("ice40", "bundle synth_ice40.ys", "pike_board", "synth_ice40.ys (bundle)"), None
    r.update({"config": "ice40", "flow": "bundle synth_ice40.ys", "top": "pike_board",
              "script": "synth_ice40.ys (bundle)"})
    log(f"ice40: bundle synth_ice40 done in {r['wall_s']} s (rc {r['rc']})")
    if r["rc"] != 0:
        return r, None
    st = parse_stat((bundle / "build" / "synth_ice40_stat.txt").read_text())
    r["counts"] = ice40_counts(st)
    r["types"] = st["types"]
    pnr = {"seeds": [], "runs": []}
    for seed in seeds:
        log(f"ice40: make pnr SEED={seed} ...")
        asc = bundle / "build" / "pike_board.asc"
        if asc.exists():
            asc.unlink()
        try:
            p = timed(["make", "pnr", f"SEED={seed}"], bundle, f"ice40_pnr_{seed}", tmp, limit_s)
        except Skipped:
            break
        nlog = (bundle / "build" / "nextpnr.log")
        text = nlog.read_text(errors="replace") if nlog.exists() else ""
        util = {k: (int(a), int(b)) for k, a, b in
                re.findall(r"(ICESTORM_\w+|SB_\w+):\s+(\d+)/\s*(\d+)", text)}
        err = [ln.strip() for ln in text.splitlines() if ln.startswith("ERROR:")]
        fm = re.findall(r"Max frequency for clock '([^']*)': ([\d.]+) MHz", text)
        placed = asc.exists() and p["rc"] == 0
        rep = subprocess.run(["make", "-s", "report"], cwd=bundle, capture_output=True, text=True)
        p.update({"seed": seed, "placed": placed, "utilisation": util, "errors": err,
                  "fmax_mhz": float(fm[-1][1]) if (placed and fm) else None,
                  "report_line": rep.stdout.strip()})
        pnr["runs"].append(p)
        pnr["seeds"].append(seed)
        log(f"ice40: pnr seed {seed}: placed={placed} {err[:1]}")
        if not placed:
            break                   # capacity failure: the same for every seed
    if not pnr["runs"]:
        return r, None
    fms = [x["fmax_mhz"] for x in pnr["runs"] if x["fmax_mhz"] is not None]
    pnr["fmax_median_mhz"] = statistics.median(fms) if fms else None
    return r, pnr


def job_bundle_generic(bundle, tmp, limit_s):
    (bundle / "build").mkdir(exist_ok=True)
    log("ice40: bundle synth_generic.ys ...")
    try:
        r = timed(["yosys", "-q", "-l", "build/synth_generic.log", "-s", "synth_generic.ys"], bundle,
                  "ice40_bundle_generic", tmp, limit_s)
    except Skipped:
        return skipped_row("ice40", "bundle synth_generic.ys", "pike_top", "synth_generic.ys (bundle)")
    r.update({"config": "ice40", "flow": "bundle synth_generic.ys", "top": "pike_top",
              "script": "synth_generic.ys (bundle)"})
    f = bundle / "build" / "synth_generic_stat.txt"
    if r["rc"] == 0 and f.exists():
        st = parse_stat(f.read_text())
        r["counts"] = generic_counts(st)
        r["types"] = st["types"]
    log(f"ice40: bundle synth_generic done in {r['wall_s']} s (rc {r['rc']})")
    return r


# --- QuantNorm vs batch norm ---------------------------------------------------
def unit_files(unit, rtl):
    if unit == "bn_qn":
        return [HW / "bn_qn.v"] + [rtl / f for f in QN_RTL]
    return [HW / f for f in FP_SOURCES] + [HW / f"{unit}.v"]


def unit_params(unit, w):
    return {"P": w["P"]} if unit != "bn_qn" else dict(w)


def bn_check(rtl, w, nv, seed, tmp):
    """Lint, then NV random vectors through all three units under Icarus vs the references."""
    res = {"lint": {}, "vectors": nv, "seed": seed}
    for u in UNITS:
        cmd = ["verilator", "--lint-only", "-Wall", "--top-module", u] + \
              [f"-G{k}={v}" for k, v in unit_params(u, w).items()] + unit_files(u, rtl)
        r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
        res["lint"][u] = {"cmd": " ".join(str(c) for c in cmd),
                          "clean": r.returncode == 0 and not r.stderr.strip()}
        if not res["lint"][u]["clean"]:
            die(f"verilator lint of {u} not clean:\n{r.stderr[-3000:]}")
    P, MB, BB, SB = w["P"], w["MB"], w["BB"], w["SB"]
    v = bn_ref.vectors(nv, seed, P, MB, BB, SB)
    d = Path(tmp) / "tb"
    d.mkdir(exist_ok=True)
    hx = lambda a, bits: "".join(format(int(x) & ((1 << bits) - 1), f"0{(bits + 3) // 4}x") + "\n"
                                 for x in a)
    (d / "acc.hex").write_text(hx(v["acc"], P))
    q = [((int(m) & ((1 << MB) - 1)) << (BB + SB)) | ((int(b) & ((1 << BB) - 1)) << SB) | int(s)
         for m, b, s in zip(v["m"], v["b"], v["s"])]
    (d / "qn.hex").write_text(hx(q, MB + BB + SB))
    (d / "f16.hex").write_text(hx([(int(a) << 16) | int(b) for a, b in zip(v["scale16"], v["bias16"])], 32))
    (d / "f32.hex").write_text(hx([(int(a) << 32) | int(b) for a, b in zip(v["scale32"], v["bias32"])], 64))
    files = sorted({str(f) for u in UNITS for f in unit_files(u, rtl)})
    comp = ["iverilog", "-g2005", "-Wall", "-Wno-timescale", "-o", "tb.vvp",
            f"-Ptb_bn.NV={nv}", f"-Ptb_bn.P={P}", f"-Ptb_bn.MB={MB}", f"-Ptb_bn.BB={BB}",
            f"-Ptb_bn.SB={SB}", str(HW / "tb_bn.v")] + files
    t0 = time.perf_counter()
    run_ok(comp, d, "iverilog (tb_bn)")
    run_ok(["vvp", "-n", "tb.vvp"], d, "vvp (tb_bn)")
    sim_s = time.perf_counter() - t0
    rows = [ln.split() for ln in (d / "out.hex").read_text().splitlines() if ln.strip()]
    if len(rows) != nv or any(len(r) != 3 or "x" in "".join(r).lower() for r in rows):
        die(f"tb_bn: expected {nv} lines of 3 defined values in out.hex")
    sx = lambda h: int(h, 16) - (1 << P) if int(h, 16) >> (P - 1) else int(h, 16)
    hw = {u: [sx(r[i]) for r in rows] for i, u in enumerate(UNITS)}
    ref = {"bn_qn": [bn_ref.quantnorm(int(a), int(m), int(b), int(s), P)
                     for a, m, b, s in zip(v["acc"], v["m"], v["b"], v["s"])],
           "bn_fp16": [int(x) for x in bn_ref.fp_numpy(v["acc"], v["scale16"], v["bias16"], 16, P)],
           "bn_fp32": [int(x) for x in bn_ref.fp_numpy(v["acc"], v["scale32"], v["bias32"], 32, P)]}
    exact = {f"bn_fp{b}": [bn_ref.fp_exact(a, s, c, b, P) for a, s, c in
                           zip(v["acc"], v[f"scale{b}"], v[f"bias{b}"])] for b in (16, 32)}
    res["units"] = {}
    for u in UNITS:
        bad = [i for i in range(nv) if hw[u][i] != ref[u][i]]
        info = {"mismatches": len(bad),
                "examples": [{"i": i, "acc": int(v["acc"][i]), "hw": hw[u][i], "ref": ref[u][i]}
                             for i in bad[:5]],
                "nonzero_outputs": sum(1 for x in ref[u] if x != 0),
                "saturated_outputs": sum(1 for x in ref[u] if x in (-(1 << (P - 1)), (1 << (P - 1)) - 1))}
        if u in exact:
            info["numpy_vs_exact_mismatches"] = sum(1 for a, b in zip(ref[u], exact[u]) if a != b)
        res["units"][u] = info
    res["sim_s"] = round(sim_s, 2)
    res["iverilog_cmd"] = (" ".join(comp) + " && vvp -n tb.vvp   # in TMP/tb: reads acc.hex qn.hex f16.hex "
                           "f32.hex, writes out.hex")
    for u, info in res["units"].items():
        if info["mismatches"] or info.get("numpy_vs_exact_mismatches"):
            die(f"functional check failed for {u}: {info}")
    return res


def bn_synth(unit, flow, rtl, w, tmp):
    chp = "; ".join(f"chparam -set {k} {v} {unit}" for k, v in unit_params(unit, w).items())
    reads = "; ".join(f"read_verilog {f}" for f in unit_files(unit, rtl))
    synth = {"generic": f"synth -flatten -top {unit}",
             "ice40": f"synth_ice40 -top {unit}",
             "ice40_dsp": f"synth_ice40 -dsp -top {unit}"}[flow]
    stat = Path(tmp) / f"{unit}_{flow}.stat"
    ltp = Path(tmp) / f"{unit}_{flow}.ltp"
    script = f"{reads}; {chp}; {synth}; tee -q -o {stat} stat; tee -q -o {ltp} ltp -noff"
    r = timed(["yosys", "-q", "-p", script], tmp, f"{unit}_{flow}", tmp, 600)
    if r["rc"] != 0:
        die(f"yosys {flow} of {unit} failed: {r['tail']}")
    st = parse_stat(stat.read_text())
    m = re.search(r"length=(\d+)", ltp.read_text())
    counts = ice40_counts(st) if flow != "generic" else generic_counts(st)
    return {"unit": unit, "flow": flow, "synth": synth, "counts": counts, "types": st["types"],
            "depth": int(m.group(1)) if m else None, "wall_s": r["wall_s"], "cpu_s": r["cpu_s"],
            "peak_rss_mb": r["peak_rss_mb"],
            "cmd": "yosys -q -p '" + script + "'"}


def bn_fmax(unit, rtl, w, tmp, seeds):
    u = UNITS.index(unit)
    files = sorted({str(f) for x in UNITS for f in unit_files(x, rtl)} | {str(HW / "bn_wrap.v")})
    chp = f"chparam -set U {u} -set P {w['P']} -set MB {w['MB']} -set BB {w['BB']} -set SB {w['SB']} bn_wrap"
    js = Path(tmp) / f"wrap_{unit}.json"
    script = "; ".join(f"read_verilog {f}" for f in files) + f"; {chp}; synth_ice40 -top bn_wrap -json {js}"
    r = timed(["yosys", "-q", "-p", script], tmp, f"wrap_{unit}", tmp, 900)
    if r["rc"] != 0:
        die(f"yosys (bn_wrap {unit}) failed: {r['tail']}")
    runs = []
    pnr_cmd = None
    for seed in seeds:
        lg = Path(tmp) / f"wrap_{unit}_{seed}.log"
        cmd = ["nextpnr-ice40", "--up5k", "--package", "sg48", "--json", js, "--pcf-allow-unconstrained",
               "--freq", "12", "--seed", str(seed), "--timing-allow-fail", "-q", "-l", lg]
        p = timed(cmd, tmp, f"wrap_{unit}_{seed}", tmp, 900)
        pnr_cmd = pnr_cmd or (" ".join(str(c) for c in cmd).replace(f"--seed {seed}", "--seed S")
                              .replace(f"_{seed}.log", "_S.log"))
        text = lg.read_text(errors="replace") if lg.exists() else ""
        fm = re.findall(r"Max frequency for clock '([^']*)': ([\d.]+) MHz", text)
        lc = re.findall(r"ICESTORM_LC:\s+(\d+)/\s*(\d+)", text)
        if p["rc"] != 0 or not fm:
            die(f"nextpnr (bn_wrap {unit}, seed {seed}) failed: {p['tail']}")
        runs.append({"seed": seed, "fmax_mhz": float(fm[-1][1]), "lcs": int(lc[-1][0]) if lc else None,
                     "wall_s": p["wall_s"]})
    return {"unit": unit, "runs": runs, "fmax_median_mhz": statistics.median(x["fmax_mhz"] for x in runs),
            "lcs": runs[0]["lcs"],
            "cmd": f"yosys -q -p '{script}'", "pnr_cmd": pnr_cmd}


# --- output ----------------------------------------------------------------------
def fmt(x, nd=0):
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def plot(bn, out):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    groups = [("generic cells", "generic", "cells"), ("iCE40 SB_LUT4\n(no DSP)", "ice40", "SB_LUT4"),
              ("iCE40 SB_LUT4\n(-dsp)", "ice40_dsp", "SB_LUT4")]
    fig, ax = plt.subplots(figsize=(7.5, 4))
    width = 0.26
    for k, u in enumerate(UNITS):
        vals = [bn[u][fl]["counts"][key] for _, fl, key in groups]
        xs = [i + (k - 1) * width for i in range(len(groups))]
        bars = ax.bar(xs, vals, width, label=LABEL[u])
        for x, val in zip(xs, vals):
            ax.text(x, val, f"{val}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([g[0] for g in groups])
    ax.set_ylabel("count")
    ax.set_title("QuantNorm vs fp batch norm, edge.yaml post-processing widths")
    ax.legend()
    fig.tight_layout()
    save_svg(fig, out / "hw_bn_area.svg")
    return "hw_bn_area.svg"


def main():
    ap = bench_args(__doc__)
    ap.add_argument("--vectors", type=int, default=None, help="random vectors per unit (4000; quick 2000)")
    ap.add_argument("--seed", type=int, default=20251123)
    ap.add_argument("--limit-s", type=int, default=None,
                    help="time limit per synthesis / pnr run (default 600 s; cloud 240 s)")
    ap.add_argument("--budget-s", type=int, default=None,
                    help="wall-time budget of the whole bench: runs that would end later are cut "
                         "or not started (full 840 s, quick 420 s)")
    ap.add_argument("--keep", action="store_true", help="keep the temp directory")
    a = ap.parse_args()
    t_start = time.perf_counter()
    build = Path(a.build).resolve()
    out = Path(a.out).resolve()
    pikegen = build / "gen" / "pikegen"
    if not os.access(pikegen, os.X_OK):
        die(f"{pikegen} not built")
    for tool in ["yosys", "nextpnr-ice40", "iverilog", "vvp", "verilator", "make", "/usr/bin/time", "nice", "prlimit"]:
        if not shutil.which(tool):
            die(f"required tool '{tool}' not found")
    out.mkdir(parents=True, exist_ok=True)
    nv = a.vectors or (2000 if a.quick else 4000)
    limit_s = a.limit_s or 600
    cloud_limit_s = min(limit_s, 240)
    budget_s = a.budget_s or (420 if a.quick else 840)
    DEADLINE[0] = t_start + budget_s
    pnr_seeds = [1] if a.quick else [1, 2, 3]
    fmax_seeds = [1, 2, 3]
    tmp = Path(tempfile.mkdtemp(prefix="bench_hw."))
    log(f"temp dir {tmp}; mode {'quick' if a.quick else 'full'}; seed {a.seed}; {nv} vectors")
    try:
        # bundles
        bundles, gen_cmds = {}, {}
        for cfg in CONFIGS:
            b = tmp / cfg
            cmd = [pikegen, "--arch", "v1", "--config", ROOT / "hw_configs" / f"{cfg}.yaml", "--out", b]
            run_ok(cmd, what=f"pikegen {cfg}")
            bundles[cfg] = b
            gen_cmds[cfg] = f"{build.name}/gen/pikegen --arch v1 --config hw_configs/{cfg}.yaml --out TMP/{cfg}"
        man = {c: json.loads((bundles[c] / "manifest.json").read_text()) for c in CONFIGS}
        pp = man["edge"]["config"]["postproc"]
        w = {"P": pp["internal_bits"], "MB": pp["qn_mult_bits"], "BB": pp["qn_bias_bits"],
             "SB": pp["qn_shift_bits"]}
        acc_bits = man["edge"]["config"]["precision"]["acc_bits"]
        rtl = bundles["edge"] / "rtl"

        # jobs, longest first, at most two at once
        # in order of importance (two run at once; what the budget cannot fit is cut or not started)
        jobs = [("ice40_bundle", lambda: job_bundle_ice40(bundles["ice40"], tmp, limit_s, pnr_seeds))]
        if not a.quick:
            jobs += [("edge_ice40", lambda: job_script("ice40", "edge", bundles["edge"], tmp, limit_s)),
                     ("edge_generic", lambda: job_script("generic", "edge", bundles["edge"], tmp, limit_s)),
                     ("ice40_generic", lambda: job_script("generic", "ice40", bundles["ice40"], tmp, limit_s)),
                     ("ice40_bundle_generic", lambda: job_bundle_generic(bundles["ice40"], tmp, limit_s)),
                     ("cloud_generic", lambda: job_script("generic", "cloud", bundles["cloud"], tmp, cloud_limit_s))]

        def bn_all():
            t0 = time.perf_counter()
            chk = bn_check(rtl, w, nv, a.seed, tmp)
            log("units: lint clean, functional check passed ("
                + ", ".join(f"{u} 0/{nv} mismatches" for u in UNITS) + ")")
            syn = {u: {fl: bn_synth(u, fl, rtl, w, tmp) for fl in ("generic", "ice40", "ice40_dsp")}
                   for u in UNITS}
            log(f"units: checked and synthesized in {time.perf_counter() - t0:.0f} s")
            return chk, syn

        def bn_fx():
            try:
                return {u: bn_fmax(u, rtl, w, tmp, fmax_seeds) for u in UNITS}
            except Skipped:
                log("units: Fmax not measured (time budget used up)")
                return None

        # the unit check and synthesis first (small, and a failure stops the bench early)
        pool = ThreadPoolExecutor(max_workers=2)
        try:
            f_bn = pool.submit(bn_all)
            futs = {name: pool.submit(fn) for name, fn in jobs[:2]}
            f_fx = None if a.quick else pool.submit(bn_fx)
            futs.update({name: pool.submit(fn) for name, fn in jobs[2:]})
            chk, syn = f_bn.result()
            results = {name: f.result() for name, f in futs.items()}
            fx = f_fx.result() if f_fx else None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            STOP.set()
            kill_running()
            raise
        pool.shutdown()

        synth_rows = []
        pnr = None
        for name, r in results.items():
            if name == "ice40_bundle":
                r, pnr = r
            synth_rows.append(r)
        order = {c: i for i, c in enumerate(CONFIGS)}
        synth_rows.sort(key=lambda r: (order[r["config"]], r["flow"]))

        # ratios
        ratios = {}
        for u in ("bn_fp16", "bn_fp32"):
            ratios[u] = {
                "generic_cells": ratio(syn[u]["generic"]["counts"]["cells"], syn["bn_qn"]["generic"]["counts"]["cells"]),
                "ice40_lut4": ratio(syn[u]["ice40"]["counts"]["SB_LUT4"], syn["bn_qn"]["ice40"]["counts"]["SB_LUT4"]),
                "ice40_lut4_plus_carry": ratio(
                    syn[u]["ice40"]["counts"]["SB_LUT4"] + syn[u]["ice40"]["counts"]["SB_CARRY"],
                    syn["bn_qn"]["ice40"]["counts"]["SB_LUT4"] + syn["bn_qn"]["ice40"]["counts"]["SB_CARRY"]),
                "ice40_dsp_lut4": ratio(syn[u]["ice40_dsp"]["counts"]["SB_LUT4"],
                                        syn["bn_qn"]["ice40_dsp"]["counts"]["SB_LUT4"]),
                "ice40_dsp_mac16": ratio(syn[u]["ice40_dsp"]["counts"]["SB_MAC16"],
                                         syn["bn_qn"]["ice40_dsp"]["counts"]["SB_MAC16"]),
                "generic_depth": ratio(syn[u]["generic"]["depth"], syn["bn_qn"]["generic"]["depth"]),
            }
            if fx:
                ratios[u]["fmax"] = ratio(fx[u]["fmax_median_mhz"], fx["bn_qn"]["fmax_median_mhz"])
        figure = plot(syn, out)
        total_s = time.perf_counter() - t_start

        data = {"bench": "hw", "item": 4, "mode": "quick" if a.quick else "full",
                "seed": a.seed, "vectors": nv, "time_limit_s": limit_s, "cloud_time_limit_s": cloud_limit_s,
                "budget_s": budget_s,
                "mem_limit_gb": MEM_LIMIT / (1 << 30), "pnr_seeds": pnr_seeds,
                "fmax_seeds": fmax_seeds if fx else [], "pikegen": gen_cmds,
                "configs": {c: {"array": man[c]["config"]["array"], "buffers": man[c]["config"]["buffers"],
                                "fpga": man[c]["config"]["fpga"]} for c in CONFIGS},
                "synthesis": synth_rows, "ice40_pnr": pnr,
                "bn": {"widths": dict(w, acc_bits=acc_bits, source="hw_configs/edge.yaml postproc"),
                       "check": chk, "synthesis": syn, "fmax": fx, "ratios": ratios},
                "figure": figure, "total_wall_s": round(total_s, 1)}
        # paths: the temp dir reads TMP, the checkout is relative
        text = json.dumps(data, indent=1, default=str).replace(str(tmp), "TMP").replace(str(ROOT) + "/", "")
        data = json.loads(text)
        write_atomic(out / "hw.json", text + "\n")
        write_atomic(out / "hw.md", markdown(data, a))
        log(f"wrote {out / 'hw.md'}, {out / 'hw.json'} in {total_s:.0f} s")
    finally:
        if a.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def markdown(d, a):
    L = []
    A = L.append
    quick = d["mode"] == "quick"
    A("## 4. Hardware")
    A("")
    A("Synthesis of what `pikegen` generates for each shipped config, and Pike's QuantNorm integer unit "
      "against batch-norm units doing the same job in fp16 and fp32, synthesized side by side "
      f"({'quick' if quick else 'full'} mode; Yosys and nextpnr-ice40 runs under `nice`, at most 2 at once, "
      f"each limited to {d['time_limit_s']} s (cloud {d['cloud_time_limit_s']} s) and {d['mem_limit_gb']:.0f} GB "
      f"of address space, the whole bench to {d['budget_s']} s; wall time "
      "is on a shared machine, CPU time is the tool's own user + system time). Synthesis is deterministic: "
      "counts come from one run.")
    A("")
    A("### Per shipped config")
    A("")
    A("| config | array (R x C x lanes) | flow | top | cells | FFs | SB_LUT4 | SB_CARRY | EBR (iCE40) / RAMs (generic) | SB_MAC16 | wall s | CPU s | peak RSS MB |")
    A("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in d["synthesis"]:
        cfg = d["configs"][r["config"]]["array"]
        arr = f"{cfg['rows']} x {cfg['cols']} x {cfg['lanes']}"
        flow = {"generic": "generic, BRAM kept", "ice40": "synth_ice40 -dsp -noflatten"}.get(r["flow"], r["flow"])
        if "counts" not in r:
            why = ("not run: the bench's time budget was used up" if r.get("skipped") else
                   f"did not finish within {r['limit_s']} s (cut in Yosys: {(r.get('last_pass') or '?').rstrip('.')})"
                   if r["timed_out"] else
                   "out of memory" if r["out_of_memory"] else f"failed (exit {r['rc']})")
            A(f"| {r['config']} | {arr} | {flow} | {r['top']} | {why} | | | | | | {fmt(r['wall_s'], 0)} | "
              f"{fmt(r['cpu_s'], 0)} | {fmt(r['peak_rss_mb'], 0)} |")
            continue
        c = r["counts"]
        if "SB_LUT4" in c:
            A(f"| {r['config']} | {arr} | {flow} | {r['top']} | {fmt(c['cells'])} | {fmt(c['FF'])} | "
              f"{fmt(c['SB_LUT4'])} | {fmt(c['SB_CARRY'])} | {fmt(c['EBR'])} | {fmt(c['SB_MAC16'])} | "
              f"{fmt(r['wall_s'], 0)} | {fmt(r['cpu_s'], 0)} | {fmt(r['peak_rss_mb'], 0)} |")
        else:
            mem = (f"{fmt(c['mem_cells'])} RAM cells" if c["mem_cells"] else "none (buffers as FFs)")
            A(f"| {r['config']} | {arr} | {flow} | {r['top']} | {fmt(c['cells'])} | {fmt(c['FF'])} | — | — | "
              f"{mem} | — | {fmt(r['wall_s'], 0)} | {fmt(r['cpu_s'], 0)} | {fmt(r['peak_rss_mb'], 0)} |")
    A("")
    A("Generic rows: `cells` counts Yosys internal gates, flip-flops and RAM cells; the buffers stay as "
      "memory cells (one per inferred RAM), in the bundle's own `synth_generic.ys` row (ice40, full mode) "
      "too (since issue 12; earlier runs of that row mapped every buffer bit to a flip-flop). `synth_ice40 -noflatten` rows are hierarchy totals (each distinct "
      "module synthesized once, times its instance count), without cross-module optimization.")
    if not quick:
        A("cloud.yaml (64 x 64 x 16, 1 MiB buffers per half) is attempted with the generic flow only, under a "
          "shorter limit; its iCE40 run is not attempted (the same Yosys front end, and far more than an iCE40).")
    missing = [c for c in CONFIGS if not any(r["config"] == c and "counts" in r for r in d["synthesis"])]
    if quick:
        A("Quick mode synthesizes ice40.yaml's bundle flow only; edge and cloud are in full mode.")
    elif missing:
        A(f"Not measured in this run: {', '.join(missing)} (see the rows above for what happened).")
    A("")
    p = d["ice40_pnr"]
    if p:
        A("**ice40.yaml on the UP5K** (bundle flow: `make pnr` = `nextpnr-ice40 --up5k --package sg48 --freq 24 "
          "--seed S --timing-allow-fail`, then `make report`):")
        A("")
        for run in p["runs"]:
            u = run["utilisation"]
            util = ", ".join(f"{k} {a}/{b}" for k, (a, b) in u.items()
                             if k in ("ICESTORM_LC", "ICESTORM_RAM", "ICESTORM_DSP", "ICESTORM_SPRAM"))
            if run["placed"]:
                A(f"- seed {run['seed']}: placed and routed, Fmax {run['fmax_mhz']} MHz ({util}); "
                  f"nextpnr {fmt(run['wall_s'], 0)} s")
            else:
                A(f"- seed {run['seed']}: **does not place** — {util}; nextpnr: "
                  f"`{(run['errors'] or ['(no ERROR line)'])[0][:160]}`")
            A(f"  - `make report`: `{run['report_line']}`")
        if p["fmax_median_mhz"] is not None:
            A(f"- Fmax median over seeds {p['seeds']}: **{p['fmax_median_mhz']} MHz** (target clock 24 MHz)")
        else:
            A("- No Fmax: the design does not fit the device, so nextpnr stops at placement (a capacity "
              "failure, the same for every seed: one seed run).")
        A("")

    bn = d["bn"]
    w = bn["widths"]
    chk = bn["check"]
    syn = bn["synthesis"]
    A("### QuantNorm vs fp16 / fp32 batch norm")
    A("")
    A(f"All three at edge.yaml's post-processing widths: accumulator / output P = {w['P']} bits "
      f"(internal_bits; acc_bits {w['acc_bits']}), QuantNorm multiplier {w['MB']}, bias {w['BB']}, shift "
      f"{w['SB']} bits; the fp units take an fp16 (resp. fp32) scale and bias. All combinational (one result "
      "per cycle, like `pk_quantnorm` inside `pk_ppu`).")
    A("")
    A("- **QuantNorm**: `pk_quantnorm` from the generated edge bundle: `y = sat_s(rshr(acc*m + b, s), P)`.")
    A("- **BN fp16 / fp32** (written for this bench, `benches/hw/bn_fp*.v`, `bnf_*.v`): `acc` -> float "
      "(RNE; fp16 overflows to inf above 65504), `* scale`, `+ bias` (each RNE, guard/round/sticky), -> signed "
      "P-bit integer (RNE, saturating; NaN -> 0). No subnormals: a subnormal scale/bias is read as zero, a "
      "subnormal result flushed to zero (cannot change the integer output: |value| < 2^-14 < 1/2). Inf and NaN "
      "are handled. Same job, not the same numbers: fp16 holds 11 significant bits and saturates beyond "
      "+-65504 (an accumulator above 2^11 is already rounded), fp32 holds 24 bits; QuantNorm is exact "
      "up to its final rounding shift.")
    A("")
    lint = all(x["clean"] for x in chk["lint"].values())
    A(f"**Check** (before any area is reported): `verilator --lint-only -Wall` "
      f"{'clean on all three' if lint else 'NOT clean'}; {chk['vectors']} random vectors (seed {chk['seed']}: "
      "BN-like ranges, exact .5 ties, raw bit patterns incl. inf/NaN/subnormal, corner accumulators) through "
      "all three under Icarus (`benches/hw/tb_bn.v`) against `benches/hw/bn_ref.py` (numpy float16/float32; "
      "QUANT.md for QuantNorm):")
    A("")
    A("| unit | mismatches | numpy vs exact-rational reference | non-zero outputs | saturated outputs |")
    A("|---|---|---|---|---|")
    for u in UNITS:
        x = chk["units"][u]
        A(f"| {LABEL[u]} | {x['mismatches']} / {chk['vectors']} | "
          f"{(str(x['numpy_vs_exact_mismatches']) + ' differ') if 'numpy_vs_exact_mismatches' in x else 'n/a'} | "
          f"{x['nonzero_outputs']} | {x['saturated_outputs']} |")
    A("")
    A("| unit | generic cells | generic depth (ltp) | iCE40 SB_LUT4 | SB_CARRY | iCE40 -dsp SB_LUT4 | SB_CARRY | SB_MAC16 |"
      + (" UP5K LCs (wrapped) | Fmax MHz (median) |" if bn["fmax"] else ""))
    A("|---|---|---|---|---|---|---|---|" + ("---|---|" if bn["fmax"] else ""))
    for u in UNITS:
        g, i, dsp = syn[u]["generic"], syn[u]["ice40"], syn[u]["ice40_dsp"]
        row = (f"| {LABEL[u]} | {fmt(g['counts']['cells'])} | {g['depth']} | {fmt(i['counts']['SB_LUT4'])} | "
               f"{fmt(i['counts']['SB_CARRY'])} | {fmt(dsp['counts']['SB_LUT4'])} | {fmt(dsp['counts']['SB_CARRY'])} | "
               f"{dsp['counts']['SB_MAC16']} |")
        if bn["fmax"]:
            f = bn["fmax"][u]
            row += f" {fmt(f['lcs'])} | {f['fmax_median_mhz']:.2f} |"
        A(row)
    for u in ("bn_fp16", "bn_fp32"):
        r = bn["ratios"][u]
        A(f"| **{LABEL[u]} / QuantNorm** | **{r['generic_cells']}x** | {r['generic_depth']}x | "
          f"**{r['ice40_lut4']}x** | | **{r['ice40_dsp_lut4']}x** | | {r['ice40_dsp_mac16']}x |"
          + (f" | {r['fmax']}x |" if bn["fmax"] else ""))
    A("")
    A("Depth: `ltp -noff` after generic synthesis (gates on the longest combinational path). LUT4 + carry "
      f"ratio (no DSP): fp16 {bn['ratios']['bn_fp16']['ice40_lut4_plus_carry']}x, fp32 "
      f"{bn['ratios']['bn_fp32']['ice40_lut4_plus_carry']}x. ")
    if bn["fmax"]:
        A("Fmax: each unit between a serial-in shift register and a capture register (`benches/hw/bn_wrap.v`: "
          "one pin in, one out, so it fits the sg48 package), `synth_ice40` without DSP, nextpnr-ice40 --up5k, "
          f"median of seeds {d['fmax_seeds']} (per seed: "
          + "; ".join(f"{LABEL[u]} " + ", ".join(f"{x['fmax_mhz']:.2f}" for x in bn["fmax"][u]["runs"])
                      for u in UNITS)
          + " MHz). LCs include the wrapper's registers. Single-cycle units; neither side is pipelined.")
    if d["figure"]:
        A("")
        A(f"![QuantNorm vs fp batch-norm area]({d['figure']})")
    A("")
    A("### Target and verdict")
    A("")
    A("Issue 5 item 4 asks for (a) per shipped config Yosys cell/LUT/FF counts, generic and iCE40, and nextpnr "
      "Fmax where it places, and (b) the QuantNorm unit vs fp16/fp32 batch-norm units synthesized side by side, "
      "with the area ratio. It sets no numeric target.")
    A("")
    got = sorted({r["config"] for r in d["synthesis"] if "counts" in r}, key=CONFIGS.index)
    A(f"- (a) counts measured for: {', '.join(got) or 'none'}"
      + (f"; not measured: {', '.join(c for c in CONFIGS if c not in got)}" if len(got) < 3 else "") + ".")
    if p:
        if p["fmax_median_mhz"] is not None:
            A(f"- ice40.yaml places on the UP5K: Fmax {p['fmax_median_mhz']} MHz (config clock 24 MHz: "
              f"{'met' if p['fmax_median_mhz'] >= 24 else 'missed'}).")
        else:
            lc = p["runs"][0]["utilisation"].get("ICESTORM_LC")
            A(f"- ice40.yaml does **not** place on the UP5K (the issue's place-and-route requirement is "
              f"**not met**): {lc[0]:,} of {lc[1]:,} logic cells ({lc[0] / lc[1]:.2f}x the device), so there is "
              "no Fmax to report. edge and cloud target Xilinx parts (Vivado flow, not run here): no place and "
              "route for them." if lc else
              "- ice40.yaml does **not** place on the UP5K (requirement not met); no Fmax.")
    r16, r32 = bn["ratios"]["bn_fp16"], bn["ratios"]["bn_fp32"]
    A(f"- (b) answered in silicon: an fp16 batch-norm unit doing QuantNorm's job costs {r16['ice40_lut4']}x its "
      f"iCE40 LUT4s ({r16['generic_cells']}x generic cells), fp32 {r32['ice40_lut4']}x ({r32['generic_cells']}x); "
      f"with DSP inference {r16['ice40_dsp_lut4']}x / {r32['ice40_dsp_lut4']}x the LUT4s plus "
      f"{syn['bn_fp16']['ice40_dsp']['counts']['SB_MAC16']} / {syn['bn_fp32']['ice40_dsp']['counts']['SB_MAC16']} "
      f"SB_MAC16 against QuantNorm's {syn['bn_qn']['ice40_dsp']['counts']['SB_MAC16']}"
      + (f"; Fmax {r16['fmax']}x / {r32['fmax']}x QuantNorm's." if bn["fmax"] else ".")
      + " The fp units include the int->float and float->int conversions a real fp BN unit between an integer "
        "accumulator and an integer output needs; QuantNorm's 32 x 8 multiplier is wider than fp16's 11 x 11 "
        "significand multiplier, which is why fp16's LUT ratio without DSPs is the smaller one. With `-dsp` the "
        "multipliers move into SB_MAC16s on both sides and what remains in LUTs is QuantNorm's adder, shifter "
        "and saturation against the fp units' normalization, alignment, rounding and conversion logic, so the "
        "LUT ratios grow. The fp units are plain single-cycle designs (separate IEEE operators, as the job is "
        "specified; no fused multiply-add, no hand optimization): the ratios are for these units, not a "
        "lower bound over all fp designs.")
    A("")
    A("### Commands")
    A("")
    A("```")
    A(f"benches/bench_hw.py --build BUILD --out RESULTS_DIR{' --quick' if quick else ''} --seed {d['seed']} "
      f"--vectors {d['vectors']}")
    for c, cmd in d["pikegen"].items():
        A(cmd)
    for r in d["synthesis"]:
        A(f"(cd TMP/{r['config']} && {r['cmd'].replace(str(Path(r['cwd'])) + '/', '')})  # {r['script']}")
    if p:
        for run in p["runs"]:
            A(f"(cd TMP/ice40 && {run['cmd']} && make report)")
    for u in UNITS:
        A(bn["check"]["lint"][u]["cmd"])
    A(bn["check"]["iverilog_cmd"])
    for u in UNITS:
        for fl in ("generic", "ice40", "ice40_dsp"):
            A(syn[u][fl]["cmd"])
    if bn["fmax"]:
        for u in UNITS:
            A(bn["fmax"][u]["cmd"])
            A(bn["fmax"][u]["pnr_cmd"] + "   # S = " + ", ".join(str(x["seed"]) for x in bn["fmax"][u]["runs"]))
    A("```")
    A("")
    A(f"TMP = the bench's temp directory (bundles in TMP/CONFIG). Total bench wall time "
      f"{d['total_wall_s']:.0f} s.")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
