"""zigzag_driver.py - runs one ZigZag (zigzag-dse) evaluation for benches/bench_zigzag.py.

Runs under the ZigZag virtual environment (benches/venv_zigzag.sh), never the benchmark venv: ZigZag pins
its own numpy/onnx.  Input: a JSON file {"workload": [...layer dicts...], "accelerator": PATH,
"mapping": PATH, "opt": "latency", "lpf_limit": N, "dump": DIR}; output: a JSON file with ZigZag's
total latency (cycles) and energy (pJ), and per layer its latency, MAC and memory energy and the memory
accesses it counted.  Usage: python zigzag_driver.py IN.json OUT.json
"""
import json
import logging
import os
import sys


def layer_rows(cmes):
    rows = []
    for cme, _extra in cmes[0][1]:
        mem = {str(op): [float(e) for e in lv] for op, lv in cme.mem_energy_breakdown.items()}
        rows.append(dict(id=int(cme.layer.id), name=str(cme.layer.name),
                         latency=float(cme.latency_total2), ideal_cycles=float(cme.ideal_cycle),
                         mac_energy=float(cme.mac_energy), mem_energy=float(cme.mem_energy),
                         mem_energy_by_operand_level=mem,
                         spatial_mapping=str(cme.layer.spatial_mapping if hasattr(cme.layer, "spatial_mapping") else ""),
                         temporal_mapping=str(cme.temporal_mapping)))
    return rows


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        spec = json.load(f)
    logging.disable(logging.CRITICAL)
    from zigzag.api import get_hardware_performance_zigzag
    energy, latency, cmes = get_hardware_performance_zigzag(
        spec["workload"], spec["accelerator"], spec["mapping"], opt=spec["opt"],
        lpf_limit=spec["lpf_limit"], dump_folder=spec["dump"], loma_show_progress_bar=False)
    out = dict(energy_pj=float(energy), latency_cycles=float(latency), layers=layer_rows(cmes))
    tmp = dst + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, dst)


if __name__ == "__main__":
    main()
