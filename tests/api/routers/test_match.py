"""POST /match/{dataset} over HTTP, in yente's documented request and response shape."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Server

# UN list, DATAID 110914 (checked by eye in un_sanctions.xml): ABDUL BAQI BASIR AWAL SHAH,
# Taliban list, born 1962 among others.
UN_PERSON = "unsc-110914"
QUERY = {
    "queries": {
        "q1": {"schema": "Person", "properties": {"name": ["Abdul Baqi Basir Awal Shah"]}},
        "q2": {"schema": "Company", "properties": {"name": ["Zzyzx Quuxbar Unlisted Widgets"]}},
    }
}
RESULT_FIELDS = {
    "id", "caption", "schema", "properties", "datasets", "referents", "target",
    "first_seen", "last_seen", "last_change", "score", "match", "features", "explanations",
}  # fmt: skip


def _match(server: Server, body: Any, path: str = "/match/default", **params: Any) -> Any:
    with server.client() as client:
        return client.post(path, json=body, params=params)


def test_yente_request_gives_yente_response(server: Server) -> None:
    resp = _match(server, QUERY)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert set(data) == {"responses", "limit"}
    assert data["limit"] == 5
    assert set(data["responses"]) == {"q1", "q2"}
    q1 = data["responses"]["q1"]
    assert set(q1) == {"status", "results", "total", "query"}
    assert q1["status"] == 200
    assert q1["query"] == {
        "id": None,
        "schema": "Person",
        "properties": {"name": ["Abdul Baqi Basir Awal Shah"]},
    }
    top = q1["results"][0]
    assert set(top) == RESULT_FIELDS
    assert top["id"] == UN_PERSON
    assert top["schema"] == "Person"
    assert top["datasets"] == ["un_sc_sanctions"]
    assert top["match"] is True and top["score"] >= 0.9
    assert top["target"] is True
    assert "ABDUL BAQI BASIR AWAL SHAH" in top["properties"]["name"]
    assert top["first_seen"] and top["last_seen"] and top["last_change"]
    assert "name_match" in top["explanations"]
    assert set(top["explanations"]["name_match"]) >= {"detail", "score"}
    assert isinstance(top["features"]["name_match"], float)
    assert q1["total"] == {"value": sum(r["match"] for r in q1["results"]), "relation": "eq"}
    assert data["responses"]["q2"]["results"] == []
    assert data["responses"]["q2"]["total"]["value"] == 0
    assert resp.headers["x-batch-size"] == "2"
    assert resp.headers["x-screening-id"]


def test_dataset_scope_and_filters(server: Server) -> None:
    one = {"queries": {"q": QUERY["queries"]["q1"]}}
    assert _match(server, one, "/match/un_sc_sanctions").json()["responses"]["q"]["results"]
    other = _match(server, one, "/match/us_bis_denied").json()
    assert all(r["datasets"] == ["us_bis_denied"] for r in other["responses"]["q"]["results"])
    assert UN_PERSON not in [r["id"] for r in other["responses"]["q"]["results"]]
    excluded = _match(server, one, exclude_dataset="un_sc_sanctions").json()
    assert UN_PERSON not in [r["id"] for r in excluded["responses"]["q"]["results"]]
    no_id = _match(server, one, exclude_entity_ids=UN_PERSON).json()
    assert UN_PERSON not in [r["id"] for r in no_id["responses"]["q"]["results"]]
    no_person = _match(server, one, exclude_schema="Person").json()
    assert all(r["schema"] != "Person" for r in no_person["responses"]["q"]["results"])
    future = _match(server, one, changed_since="2999-01-01").json()
    assert future["responses"]["q"]["results"] == []
    assert _match(server, one, "/match/sanctions").json()["responses"]["q"]["results"]
    assert _match(server, one, "/match/no_such_list").status_code == 404


def test_limit_threshold_and_name_parts(server: Server) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": "Abdul Basir"}}}}
    low = _match(server, body, threshold=0.3, limit=3).json()["responses"]["q"]["results"]
    assert 1 <= len(low) <= 3
    assert all(r["score"] > 0.3 for r in low)
    assert [r["score"] for r in low] == sorted((r["score"] for r in low), reverse=True)
    parts = {"queries": {"q": {"schema": "Person", "properties": {
        "firstName": ["Abdul Baqi"], "lastName": ["Basir Awal Shah"]}}}}  # fmt: skip
    found = _match(server, parts).json()["responses"]["q"]["results"]
    assert found and found[0]["id"] == UN_PERSON


def test_bad_requests_are_clear_4xx(server: Server) -> None:
    q = QUERY["queries"]["q1"]
    assert _match(server, {"queries": {"q": q}}, algorithm="logic-v9").status_code == 400
    assert _match(server, {"queries": {"q": q}}, algorithm="best").status_code == 200
    bad_config = {"queries": {"q": q}, "config": {"nope": 1.0}}
    assert _match(server, bad_config).status_code == 400
    empty = {"queries": {"q": {"schema": "Person", "properties": {"notes": ["x"]}}}}
    resp = _match(server, empty)
    assert resp.status_code == 400 and "empty query" in resp.json()["detail"]
    unknown = {"queries": {"q": {"schema": "Alien", "properties": {"name": ["x"]}}}}
    resp = _match(server, unknown)
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"][-1] == "schema"
    assert _match(server, {"queries": {}}).status_code == 422
    assert _match(server, {"nothing": 1}).status_code == 422


def test_ten_thousand_queries_are_refused_and_server_goes_on(server: Server) -> None:
    queries = {f"q{i}": {"schema": "Person", "properties": {"name": ["x"]}} for i in range(10_000)}
    resp = _match(server, {"queries": queries})
    assert resp.status_code in (413, 422)
    detail = resp.json()["detail"]
    assert "10000" in str(detail) or "larger than" in str(detail)
    assert _match(server, {"queries": {"q": QUERY["queries"]["q1"]}}).status_code == 200


def test_batch_limit_message(server: Server) -> None:
    limit = server.settings.api_max_batch
    queries = {
        str(i): {"schema": "Person", "properties": {"name": ["a"]}} for i in range(limit + 1)
    }
    resp = _match(server, {"queries": queries})
    assert resp.status_code == 422
    assert resp.json() == {
        "detail": f"too many queries: {limit + 1} in one request, at most {limit}",
        "status": 422,
    }
