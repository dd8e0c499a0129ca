"""The compiled matcher: which modules are built with mypyc, and the guard against stale builds.

Why: screening spends most of its time in the matcher's per-candidate Python loops (token
similarities, split / join bounds, name alignment). The same source compiled with mypyc (part
of mypy, pinned in the lock file) runs them about a third faster with identical results — the
source stays the one implementation; there is no second, hand-written C version to keep in
step. ``scripts/build_native.py`` (run by ``scripts/bootstrap.sh``) compiles :data:`MODULES`
into extension modules next to their sources and records the hash of each source in
:data:`STAMP`.

The guard (:func:`install_guard`, run when :mod:`clearance` is imported): a compiled module
whose source changed since the build is never used — an edited matcher must not run its old
compiled code. Then, or when ``CLEARANCE_NATIVE=0`` is set, *all* of :data:`MODULES` load from
source (compiled and source versions of these modules cannot be mixed: compiled code reads the
attributes of compiled classes directly). :func:`status` says which is in use.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parent
STAMP = PACKAGE_ROOT / "native.json"
"""Written by the build: {"modules": {name: sha256 of its source}, "python": ..., "mypy": ...}."""
MODULES = (
    "clearance.match.align",
    "clearance.match.attributes",
    "clearance.match.dates",
    "clearance.match.explain",
    "clearance.match.identifiers",
    "clearance.match.matcher",
    "clearance.match.names",
    "clearance.match.prepared",
    "clearance.match.similarity",
    "clearance.match.tokens",
    "clearance.index.keys",
    "clearance.screen.prefilter",
)
ENV = "CLEARANCE_NATIVE"

_state: dict[str, str] = {"mode": "source", "reason": "not built (scripts/build_native.py)"}


def source_path(module: str) -> Path:
    return PACKAGE_ROOT.parent.joinpath(*module.split(".")).with_suffix(".py")


def source_hashes(modules: Sequence[str] = MODULES) -> dict[str, str]:
    """sha256 of each module's source file."""
    return {m: hashlib.sha256(source_path(m).read_bytes()).hexdigest() for m in modules}


def compiled_files(module: str) -> list[Path]:
    """The extension files of a module next to its source (any Python version's)."""
    src = source_path(module)
    return sorted(src.parent.glob(f"{src.stem}.*.so")) + sorted(
        src.parent.glob(f"{src.stem}.*.pyd")
    )


def read_stamp() -> dict[str, Any] | None:
    """The build's stamp (None: not built, or unreadable)."""
    try:
        stamp = json.loads(STAMP.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def build_problem(stamp: dict[str, Any] | None) -> str | None:
    """What makes the build described by ``stamp`` unusable here (None: it is current)."""
    if stamp is None:
        return "not built (scripts/build_native.py)"
    if stamp.get("python") != sys.implementation.cache_tag:
        return f"built for {stamp.get('python')}, running {sys.implementation.cache_tag}"
    recorded = stamp.get("modules") or {}
    current = source_hashes()
    changed = [m for m in MODULES if recorded.get(m) != current[m]]
    if changed:
        return "source changed since the build: " + ", ".join(changed)
    missing = [m for m in MODULES if not compiled_files(m)]
    if missing:
        return "compiled modules missing: " + ", ".join(missing)
    return None


def _stale_reason() -> str | None:
    """Why the compiled modules must not be used (None: they are current)."""
    if os.environ.get(ENV, "").strip().lower() in ("0", "no", "false", "off"):
        return f"{ENV}=0"
    return build_problem(read_stamp())


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Loads :data:`MODULES` from their ``.py`` files even where an extension file exists."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MODULES:
            return None
        src = source_path(fullname)
        loader = importlib.machinery.SourceFileLoader(fullname, str(src))
        return importlib.util.spec_from_file_location(fullname, src, loader=loader)


def install_guard() -> None:
    """Decide once per process whether the compiled modules are used (see module doc)."""
    if any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        return
    reason = _stale_reason()
    if reason is None:
        _state.update(mode="compiled", reason="mypyc build is current")
        return
    _state.update(mode="source", reason=reason)
    if any(compiled_files(m) for m in MODULES):
        sys.meta_path.insert(0, _SourceFirst())
        if not reason.startswith(ENV):
            warnings.warn(
                f"clearance: compiled matcher not used ({reason}); running the Python source "
                "(slower, same results) — run scripts/build_native.py",
                RuntimeWarning,
                stacklevel=2,
            )


def status() -> dict[str, str]:
    """{"mode": "compiled" | "source", "reason": why, "loaded": the file the matcher's
    alignment module was loaded from (empty before the matcher is imported)}."""
    align = sys.modules.get("clearance.match.align")
    loaded = getattr(align, "__file__", "") or ""
    return {**_state, "loaded": loaded}
