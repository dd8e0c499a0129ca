"""GET /lists: versions and freshness."""

from __future__ import annotations

from tests.api.conftest import Server


def test_lists_show_active_versions_and_age(server: Server) -> None:
    with server.client() as client:
        data = client.get("/lists").json()
    by_source = {x["source"]: x for x in data["lists"]}
    assert set(by_source) == {"un_sc_sanctions", "us_bis_denied"}
    un = by_source["un_sc_sanctions"]
    assert un["active"]["publication_date"] == "2026-05-08"
    assert un["indexed"] is True
    assert 0 <= un["age_days"] < 1
    assert un["versions"][-1]["active"] is True
    assert data["index_key"]
