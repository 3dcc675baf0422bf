#!/usr/bin/env python3
"""assemble.py - called by benches/run.sh at the end of a run: writes RESULTS.md
and OUT/results.json from the sections the benchmarks wrote in this run.

RESULTS.md: a header (the command, quick or full, date, git commit and whether
the tree was dirty, the machine, tool versions, one row per benchmark with its
status and wall time), then each benchmark's OUT/NAME.md in run order, each
followed by the plots it does not show itself (OUT/NAME_*.svg|png); links in a
section that name files in OUT are rewritten relative to RESULTS.md.  A failed benchmark's
section says FAILED, with its exit status and the last lines of its stderr;
its (removed) outputs are never shown.  results.json: the same header data and,
per benchmark, its status and the contents of OUT/NAME.json.
Both files are written atomically (temporary file, then rename).
Standard library only.

Exit status 3: written, but a bench that exited 0 wrote an invalid NAME.json (FAILED).

Usage (run.sh does this):
  assemble.py --status TSV --stderr-dir DIR --out OUT --report RESULTS.md
              --build BUILD --command CMD --quick 0|1 --wall SECONDS
TSV lines: name, script, status (ok|FAILED|skipped|kept), exit status, wall s, note
(kept: run.sh --keep, the section already in OUT from an earlier run, shown as is).
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import subprocess
import sys
from benchlib import write_atomic

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# issue 5's item numbers, for the title of a section whose bench failed
# (6 and 7: issue 11's v2 plan and ZigZag comparison; 10: issue 10's roofline)
ITEM = {"verilator": 1, "scalesim": 2, "throughput": 3, "hw": 4, "metrics": 5, "v2plan": 6, "zigzag": 7,
        "roofline": 10}
STDERR_LINES = 20


def sh(argv, first_line=True):
    """Output of a version command, or 'not found'."""
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    out = p.stdout.strip()
    if p.returncode != 0 and not out:
        return "not found"
    return out.splitlines()[0].strip() if (first_line and out) else out


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def machine():
    cpu = "unknown"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    m = re.search(r"^MemTotal:\s+(\d+) kB", read("/proc/meminfo"), re.M)
    if m:
        mem_kb = int(m.group(1))
    osr = dict(re.findall(r'^(\w+)="?([^"\n]*)"?$', read("/etc/os-release"), re.M))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1048576, 1),
        "os": osr.get("PRETTY_NAME", platform.system()),
        "kernel": platform.release(),
        "arch": platform.machine(),
        "loadavg_at_end": read("/proc/loadavg").split()[:3],
    }


def tools(py):
    def pyver(pkg):
        return sh([py, "-c", "import importlib.metadata as m; print(m.version(%r))" % pkg])
    return {
        "gcc": sh(["gcc", "--version"]),
        "cmake": sh(["cmake", "--version"]),
        "verilator": sh(["verilator", "--version"]),
        "yosys": sh(["yosys", "-V"]),
        "nextpnr-ice40": sh(["nextpnr-ice40", "--version"]),
        "python": sh([py, "--version"]),
        "scalesim": pyver("scalesim"),
        "numpy": pyver("numpy"),
        "matplotlib": pyver("matplotlib"),
        # bench_zigzag's peer lives in its own venv (benches/venv_zigzag.sh)
        "zigzag-dse": sh([os.path.join(ROOT, "benches", ".venv", "zigzag", "bin", "python"), "-c",
                          "import importlib.metadata as m; print(m.version('zigzag-dse'))"]),
    }


def git():
    def g(*args):
        try:
            p = subprocess.run(["git", "-C", ROOT] + list(args), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return p.stdout if p.returncode == 0 else None
    head = g("rev-parse", "HEAD")
    if head is None:
        return {"commit": "unknown (not a git checkout)", "subject": "", "dirty": None,
                "modified_tracked_files": []}
    # the run's own outputs (benches/RESULTS.md, benches/results/) are tracked
    # files too: rewriting them is not a change to what was measured
    changed = [l for l in (g("diff", "--name-only", "HEAD", "--", ".",
                             ":(exclude)benches/RESULTS.md", ":(exclude)benches/results")
                           or "").splitlines() if l.strip()]
    return {"commit": head.strip(), "subject": (g("log", "-1", "--format=%s") or "").strip(),
            "dirty": bool(changed), "modified_tracked_files": changed}


def main():
    ap = argparse.ArgumentParser()
    for k in ("status", "stderr-dir", "out", "report", "build", "command", "wall"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--quick", required=True, choices=["0", "1"])
    a = ap.parse_args()
    quick = a.quick == "1"
    out = os.path.abspath(a.out)
    report_dir = os.path.dirname(os.path.abspath(a.report))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    rows = []
    for line in read(a.status).splitlines():
        if not line.strip():
            continue
        f = (line.split("\t") + [""] * 6)[:6]
        rows.append({"name": f[0], "script": f[1], "status": f[2],
                     "exit_status": int(f[3]) if f[3] else None,
                     "wall_s": float(f[4]) if f[4] else None, "note": f[5]})

    mach, tl, g = machine(), tools(sys.executable), git()
    L = ["# Pike benchmark results", ""]
    kept = [r["name"] for r in rows if r["status"] == "kept"]
    L.append("Written by `%s` on %s, **%s mode**%s. Every number below was measured by this run%s; the "
             "sections are the benchmarks' own reports (`%s/NAME.md`), the machine-readable data is in "
             "`%s`." % (
                 a.command, now, "quick" if quick else "full",
                 " (reduced repetitions / slices: see each section)" if quick else "",
                 "" if not kept else ", except the sections of %s: kept from an earlier run "
                 "(`--keep`, not re-run: the git history of `results/NAME.md` dates them)" % ", ".join(kept),
                 os.path.relpath(out, report_dir), os.path.relpath(os.path.join(out, "results.json"),
                                                                   report_dir)))
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    L.append("| command | `%s` (from the repository root) |" % a.command)
    L.append("| mode | %s |" % ("quick (`--quick`)" if quick else "full"))
    L.append("| commit | `%s` %s%s |" % (
        g["commit"][:12] if g["dirty"] is not None else g["commit"], g["subject"].replace("|", "\\|"),
        " — **dirty**: %d tracked file(s) modified (%s)" % (
            len(g["modified_tracked_files"]), ", ".join(g["modified_tracked_files"][:8]) +
            (", ..." if len(g["modified_tracked_files"]) > 8 else ""))
        if g["dirty"] else " (clean tree)" if g["dirty"] is False else ""))
    L.append("| build | `%s` (Release, `PIKE_RTL_TESTS=OFF`) |" % (
        os.path.relpath(a.build, ROOT) if a.build.startswith(ROOT + os.sep) else a.build))
    L.append("| CPU | %s, %s logical cores |" % (mach["cpu"], mach["cores"]))
    L.append("| memory | %.1f GiB |" % mach["memory_gib"])
    L.append("| OS | %s, kernel %s (%s) |" % (mach["os"], mach["kernel"], mach["arch"]))
    L.append("| load average at the end | %s (the machine may be shared) |" % " ".join(
        mach["loadavg_at_end"]))
    for k, v in tl.items():
        L.append("| %s | %s |" % (k, v.replace("|", "\\|")))
    L.append("| total wall time | %s s |" % a.wall)
    L.append("")
    L.append("| benchmark | script | status | wall time |")
    L.append("|---|---|---|---:|")
    for r in rows:
        st = r["status"] if r["status"] != "FAILED" else "**FAILED** (exit %s)" % r["exit_status"]
        if r["note"]:
            st += ": " + r["note"]
        L.append("| %s | `%s` | %s | %s |" % (r["name"], r["script"], st,
                                              "%.1f s" % r["wall_s"] if r["wall_s"] is not None else "-"))
    L.append("")

    benches = []
    downgraded = 0
    for r in rows:
        if r["status"] == "skipped":
            benches.append(dict(r, result=None))
            continue
        n = r["name"]
        res = None
        if r["status"] in ("ok", "kept"):
            sec = read(os.path.join(out, n + ".md")).rstrip()
            try:
                res = json.loads(read(os.path.join(out, n + ".json")))
            except ValueError as e:
                r["status"], r["note"] = "FAILED", "%s.json is not valid JSON: %s" % (n, e)
                downgraded += 1
        if r["status"] in ("ok", "kept"):
            # a section links its files relative to OUT; RESULTS.md lives elsewhere
            linked = set()

            def fix(m):
                target = m.group(2)
                p = os.path.normpath(os.path.join(out, target))
                if "://" in target or os.path.isabs(target) or not os.path.exists(p):
                    return m.group(0)
                linked.add(p)
                return m.group(1) + os.path.relpath(p, report_dir) + m.group(3)
            sec = re.sub(r"(!?\[[^\]]*\]\()([^)\s#]+)(\))", fix, sec)
            L.append(sec)
            L.append("")
            plots = sorted(glob.glob(os.path.join(out, n + "_*.svg")) +
                           glob.glob(os.path.join(out, n + "_*.png")))
            for p in plots:  # the plots the section does not show itself
                if os.path.normpath(p) not in linked:
                    L.append("![%s](%s)" % (os.path.basename(p), os.path.relpath(p, report_dir)))
                    L.append("")
        else:
            num = "%d. " % ITEM[n] if n in ITEM else ""
            L.append("## %s%s — FAILED" % (num, n))
            L.append("")
            L.append("`%s` %s after %.1f s%s. Nothing it measured is reported. Last lines of its "
                     "stderr:" % (r["script"], "exited with status %s" % r["exit_status"],
                                  r["wall_s"] or 0, "; " + r["note"] if r["note"] else ""))
            L.append("")
            err = read(os.path.join(a.stderr_dir, n + ".stderr")).rstrip().splitlines()
            L.append("```")
            L.extend(err[-STDERR_LINES:] or ["(empty)"])
            L.append("```")
            L.append("")
            res = None
        stderr_tail = read(os.path.join(a.stderr_dir, n + ".stderr")).rstrip().splitlines()
        benches.append(dict(r, result=res,
                            stderr_tail=stderr_tail[-STDERR_LINES:] if r["status"] == "FAILED" else []))

    doc = {"schema": 1, "command": a.command, "quick": quick, "date": now, "git": g,
           "machine": mach, "tools": tl, "build": a.build, "total_wall_s": float(a.wall),
           "benchmarks": benches}
    write_atomic(os.path.join(out, "results.json"), json.dumps(doc, indent=1) + "\n")
    write_atomic(a.report, "\n".join(L).rstrip() + "\n")
    return 3 if downgraded else 0  # run.sh: a bench that exited 0 failed after all


if __name__ == "__main__":
    sys.exit(main())
