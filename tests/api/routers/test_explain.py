"""GET /explain/{screening_id}/{entity_id}: a recorded hit explained and replayed."""

from __future__ import annotations

from tests.api.conftest import Server

BODY = {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Abdul Baqi Basir"]}}}}


def test_explain_a_recorded_hit(server: Server) -> None:
    with server.client() as client:
        resp = client.post("/match/default", json=BODY)
    screening_id = resp.headers["x-screening-id"]
    top = resp.json()["responses"]["q1"]["results"][0]
    with server.client("review") as reviewer:
        view = reviewer.get(f"/explain/{screening_id}/{top['id']}")
    assert view.status_code == 200, view.text
    data = view.json()
    assert data["query_key"] == "q1"
    assert data["hit"]["entity_id"] == top["id"]
    assert data["hit"]["score"] == top["score"]
    assert data["entity"]["id"] == top["id"]
    assert data["entity"]["properties"]["sanctions"]
    assert data["replay"]["same_score"] is True
    assert abs(data["replay"]["score"] - top["score"]) < 1e-3
    assert {"id": data["hit"]["version_id"], "source": "un_sc_sanctions"} in data["versions"]
    assert data["query"]["queries"]["q1"]["properties"]["name"] == ["Abdul Baqi Basir"]


def test_explain_needs_review_role_and_known_ids(server: Server) -> None:
    with server.client() as client:
        resp = client.post("/match/default", json=BODY)
        screening_id = resp.headers["x-screening-id"]
        assert client.get(f"/explain/{screening_id}/unsc-110914").status_code == 403
    with server.client("review") as reviewer:
        assert reviewer.get("/explain/nope/unsc-110914").status_code == 404
        assert reviewer.get(f"/explain/{screening_id}/not-a-hit").status_code == 404
