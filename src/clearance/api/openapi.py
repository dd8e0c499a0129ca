"""Write the OpenAPI document of the API: ``python -m clearance.api.openapi [PATH]``.

``docs/openapi.json`` is generated with this and checked in; a test asserts that the document
the server serves equals it (regenerate after changing an endpoint).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from clearance.settings import REPO_ROOT

DEFAULT_PATH = REPO_ROOT / "docs" / "openapi.json"


def document() -> dict[str, Any]:
    """The OpenAPI document, built from the routers without opening a store."""
    from clearance.api.app import routed_app

    return routed_app().openapi()


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    path.write_text(render(document()), "utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
