"""clearance — an open-source sanctions-screening engine.

Loads the official sanctions lists into a versioned snapshot store, matches names and entities
across scripts with explainable scores, and screens names, files, deals and documents.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
