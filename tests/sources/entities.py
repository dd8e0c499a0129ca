"""Helpers for looking at what a parser emitted in tests."""

from __future__ import annotations

from typing import Any

from clearance.model import Emitted


def properties_by_id(emitted: list[Emitted]) -> dict[str, dict[str, Any]]:
    """Entity id → the entity's FtM properties (``{prop: [values]}``)."""
    return {str(e.entity.id): e.entity.to_dict()["properties"] for e in emitted}
