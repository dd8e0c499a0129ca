"""GET /search/{dataset}?q= over HTTP (yente's SearchResponse shape)."""

from __future__ import annotations

from tests.api.conftest import Server


def test_search_finds_names_and_pages(server: Server) -> None:
    with server.client() as client:
        resp = client.get("/search/default", params={"q": "Abdul Baqi Basir"})
        assert resp.status_code == 200, resp.text
        data = resp.json()
        assert set(data) == {"results", "total", "limit", "offset", "facets"}
        assert data["results"][0]["id"] == "unsc-110914"
        assert set(data["results"][0]) == {
            "id", "caption", "schema", "properties", "datasets", "referents", "target",
            "first_seen", "last_seen", "last_change",
        }  # fmt: skip
        # HAQQANI is the family name of several UN-listed persons (13 mentions in the file)
        many = client.get("/search/un_sc_sanctions", params={"q": "Haqqani"}).json()
        total = many["total"]["value"]
        assert total >= 2
        second = client.get(
            "/search/un_sc_sanctions", params={"q": "Haqqani", "limit": 1, "offset": 1}
        ).json()
        assert second["results"][0]["id"] == many["results"][1]["id"]
        assert second["total"]["value"] == total


def test_search_filters(server: Server) -> None:
    with server.client() as client:
        only_dpl = client.get("/search/us_bis_denied", params={"q": "Abdul Baqi Basir"}).json()
        assert all(r["datasets"] == ["us_bis_denied"] for r in only_dpl["results"])
        af = client.get("/search/default", params={"q": "Abdul Baqi", "countries": "af"}).json()
        assert af["results"]
        for r in af["results"]:
            props = r["properties"]
            assert "af" in props.get("country", []) + props.get("nationality", [])
        assert client.get("/search/default", params={"q": ""}).status_code == 422
        assert client.get("/search/default").status_code == 422
        assert (
            client.get("/search/default", params={"q": "x", "schema": "Alien"}).status_code == 400
        )
        assert client.get("/search/nope", params={"q": "x"}).status_code == 404
