"""benchlib.py - the few helpers every benches/bench_*.py script and
assemble.py share (imported from the script's own directory)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
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
    the date matplotlib would write into it, and close it."""
    path = os.fspath(path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".svg", dir=d)
    os.close(fd)
    try:
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
