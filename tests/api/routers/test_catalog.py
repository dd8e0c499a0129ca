"""GET /catalog and GET /algorithms."""

from __future__ import annotations

from tests.api.conftest import Server


def test_catalog_lists_sources_and_collections(server: Server) -> None:
    with server.client() as client:
        data = client.get("/catalog").json()
    names = {d["name"]: d for d in data["datasets"]}
    assert set(names) == {"default", "sanctions", "un_sc_sanctions", "us_bis_denied"}
    assert set(names["default"]["children"]) == {"un_sc_sanctions", "us_bis_denied"}
    un = names["un_sc_sanctions"]
    assert un["type"] == "source"
    assert un["publication_date"] == "2026-05-08"  # dateGenerated of the file
    assert un["index_current"] is True
    assert data["index_stale"] is False
    assert data["outdated"] == []


def test_algorithms_name_clearance_v1_default_and_best(server: Server) -> None:
    with server.client() as client:
        data = client.get("/algorithms").json()
    assert data["default"] == data["best"] == "clearance-v2"
    assert [a["name"] for a in data["algorithms"]] == ["clearance-v2"]
    assert "name_match" in data["algorithms"][0]["features"]
