"""Compile the matcher's hot modules with mypyc (see :mod:`clearance.native`).

    .venv/bin/python scripts/build_native.py [--force] [--clean]

Run by ``scripts/bootstrap.sh``; does nothing when the build is current (same sources, same
Python). Compiles in a scratch copy of the package (no C files or build directories in the
checkout), then puts the extension files next to their sources and writes the stamp last, so an
interrupted build leaves either the old state or a stamp-less one that the guard does not use.
Needs a C compiler and the Python headers; without them it says so and the Python source runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from clearance import native  # noqa: E402


def _mypy_version() -> str:
    from mypy.version import __version__

    return str(__version__)


def current() -> bool:
    """Whether the stamp matches the sources, this Python and mypy, and every module is built."""
    stamp = native.read_stamp()
    if stamp is None or stamp.get("mypy") != _mypy_version():
        return False
    return native.build_problem(stamp) is None


def clean() -> None:
    """Remove the stamp, then every extension file of the build (the sources run again)."""
    native.STAMP.unlink(missing_ok=True)
    src = ROOT / "src"
    for module in native.MODULES:
        for path in native.compiled_files(module):
            path.unlink()
    for shared in src.glob("*__mypyc.*"):
        shared.unlink()


def build() -> None:
    started = time.monotonic()
    src = ROOT / "src"
    hashes = native.source_hashes()
    with tempfile.TemporaryDirectory(prefix="clearance-native-") as tmp:
        work = Path(tmp)
        shutil.copytree(
            src / "clearance",
            work / "clearance",
            ignore=shutil.ignore_patterns("*.so", "__pycache__"),
        )
        files = [str(native.source_path(m).relative_to(src)) for m in native.MODULES]
        print(f"build_native: compiling {len(files)} matcher modules with mypyc (about a minute)")
        done = subprocess.run(
            [sys.executable, "-m", "mypyc", *files],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise SystemExit(
                f"build_native: mypyc failed (the Python source keeps running):\n{tail}"
            )
        # the source must not have changed while it compiled
        if native.source_hashes() != hashes:
            raise SystemExit("build_native: sources changed during the build; run it again")
        clean()
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        for module in native.MODULES:
            rel = native.source_path(module).relative_to(src).with_suffix(suffix)
            shutil.copy2(work / rel, src / rel)
        for shared in work.glob(f"*__mypyc{suffix}"):
            shutil.copy2(shared, src / shared.name)
    stamp = {"modules": hashes, "python": sys.implementation.cache_tag, "mypy": _mypy_version()}
    tmp_stamp = native.STAMP.with_suffix(".tmp")
    tmp_stamp.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", "utf-8")
    tmp_stamp.replace(native.STAMP)
    print(f"build_native: done in {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when current")
    parser.add_argument("--clean", action="store_true", help="remove the build; run the source")
    args = parser.parse_args()
    if args.clean:
        clean()
        print("build_native: removed; the Python source runs")
        return
    if not args.force and current():
        print("build_native: compiled matcher is current")
        return
    build()


if __name__ == "__main__":
    main()
