"""GET /entities/{id}: the entity with its Sanction entities nested (yente's shape)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.api.conftest import UN_FILE, Server


def _raw_record(lists_dir: Path, dataid: str) -> str:
    text = (lists_dir / UN_FILE).read_text("utf-8")
    start = text.index(f"<DATAID>{dataid}</DATAID>")
    return text[start : text.index("</INDIVIDUAL>", start)]


def test_entity_with_nested_sanctions(server: Server, lists_dir: Path) -> None:
    raw = _raw_record(lists_dir, "110914")
    listed_on = re.search(r"<LISTED_ON>(\d{4}-\d{2}-\d{2})</LISTED_ON>", raw)
    assert listed_on is not None
    with server.client() as client:
        resp = client.get("/entities/unsc-110914")
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["id"] == "unsc-110914"
    assert data["schema"] == "Person"
    assert data["datasets"] == ["un_sc_sanctions"]
    assert data["target"] is True
    sanctions = data["properties"]["sanctions"]
    assert len(sanctions) == 1
    sanction = sanctions[0]
    assert sanction["schema"] == "Sanction"
    assert "entity" not in sanction["properties"]  # the back link is dropped, as yente does
    assert listed_on.group(1) in sanction["properties"].get("listingDate", []) + sanction[
        "properties"
    ].get("startDate", [])


def test_unknown_entity_is_404_and_nesting_optional(server: Server) -> None:
    with server.client() as client:
        assert client.get("/entities/unsc-does-not-exist").status_code == 404
        flat = client.get("/entities/unsc-110914", params={"nested": "false"}).json()
    assert "sanctions" not in flat["properties"]
