"""benchlib.py - the few helpers every benches/bench_*.py script and
assemble.py share (imported from the script's own directory)."""
import os
import statistics
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
