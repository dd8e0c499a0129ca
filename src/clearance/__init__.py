"""clearance — an open-source sanctions-screening engine.

Loads the official sanctions lists into a versioned snapshot store, matches names and entities
across scripts with explainable scores, and screens names, files, deals and documents.

The public surface (imported lazily, so ``import clearance`` stays cheap)::

    from clearance import Matcher, MatchResult      # pairwise scoring (clearance.match)
    from clearance import Store                      # versioned list store (clearance.store)
"""

from __future__ import annotations

import importlib
from typing import Any

from clearance.native import install_guard

install_guard()  # compiled matcher modules only while their sources are unchanged

__version__ = "0.1.0"

_EXPORTS = {
    "Matcher": "clearance.match",
    "MatchResult": "clearance.match",
    "Store": "clearance.store",
}

__all__ = ["MatchResult", "Matcher", "Store", "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'clearance' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
