"""The served OpenAPI document equals the checked-in docs/openapi.json, and docs/api.md
documents every route."""

from __future__ import annotations

import json

from clearance.api.openapi import DEFAULT_PATH, document, render
from clearance.settings import REPO_ROOT
from tests.api.conftest import Server


def test_served_document_is_the_checked_in_one(server: Server) -> None:
    with server.client(role=None) as client:
        served = client.get("/openapi.json").json()
    checked_in = json.loads(DEFAULT_PATH.read_text("utf-8"))
    assert served == checked_in, "run `python -m clearance.api.openapi` and commit the result"
    assert render(document()) == DEFAULT_PATH.read_text("utf-8")


def test_every_route_is_documented() -> None:
    text = (REPO_ROOT / "docs" / "api.md").read_text("utf-8")
    for path, methods in document()["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in text, f"{method.upper()} {path} not in docs/api.md"
