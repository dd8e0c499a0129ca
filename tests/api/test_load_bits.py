"""The pieces behind the load benchmark: the /match fast path's JSON equals the response model's,
worker start-up maps a prebuilt index before serving, and the benchmark's own HTTP client and
statistics are right (they are what the published numbers rest on)."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bench.api.client import ProtocolError, closed_loop, encode_post, parse_head
from bench.api.stats import per_second, percentile, summary
from hypothesis import given
from hypothesis import strategies as st

from clearance.api.models import EntityMatchResponse
from clearance.api.state import AppState, ensure_built
from clearance.store import Store
from tests.api.conftest import Server, make_settings

QUERIES = {
    "listed": {"schema": "Person", "properties": {"name": ["Abdul Baqi Basir Awal Shah"]}},
    "parts": {"schema": "Person", "properties": {"firstName": ["Abdul"], "lastName": ["Shah"]}},
    "org": {"schema": "Organization", "properties": {"name": ["Al-Qaida"]}},
    "nobody": {"schema": "Person", "properties": {"name": ["Jane Q. Nobody-Exampleson"]}},
}


def test_match_json_equals_the_response_model(server: Server) -> None:
    with server.client() as client:
        resp = client.post("/match/default?limit=10&threshold=0.5", json={"queries": QUERIES})
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json"
    assert resp.headers["x-batch-size"] == "4" and resp.headers["x-screening-id"]
    body = resp.json()
    assert body["responses"]["listed"]["results"], "expected a hit for a listed name"
    modelled = EntityMatchResponse.model_validate(body).model_dump(mode="json", by_alias=True)
    assert modelled == body


def test_worker_start_maps_a_prebuilt_index(api_home: Path, tmp_path: Path) -> None:
    settings = make_settings(api_home)
    with Store.open(settings.db_url) as store:
        root = tmp_path / "index"
        key = ensure_built(settings.db_url, root, store.active_versions())
        assert (root / key).is_dir()
        state = AppState(settings, store, root)
        try:
            state.start()
            assert state.ready  # loaded before start() returns: no window of 503s
            assert state.loaded().key == key
        finally:
            state.stop()


def test_worker_start_without_index_defers_the_build(api_home: Path, tmp_path: Path) -> None:
    settings = make_settings(api_home, api_refresh_seconds=3600.0)
    with Store.open(settings.db_url) as store:
        state = AppState(settings, store, tmp_path / "empty-index")
        state.refresh(build=False)
        assert not state.ready and not (tmp_path / "empty-index").exists()


def test_closed_loop_client_against_the_server(server: Server) -> None:
    url = urlsplit(server.url)
    assert url.hostname is not None and url.port is not None
    auth = {"Authorization": f"Bearer {server.keys['screen']}"}
    good = b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Khan"]}}}}'
    bad = b'{"queries": {"q": {"schema": "Person", "properties": {"name": [1'
    requests = [encode_post(url.hostname, "/match/default", good, auth)] * 3 + [
        encode_post(url.hostname, "/match/default", bad, auth)
    ]
    out = asyncio.run(closed_loop(url.hostname, url.port, requests, 1.0, 2))
    assert len(out.latency) == len(out.status) == len(out.started) > 4
    assert set(out.status) == {"200", "400"}  # malformed JSON answers 400 and closes
    assert out.bad_bodies == 0
    result = summary(out.latency, out.status, out.elapsed)
    assert result["errors"] == out.status.count("400") and result["error_kinds"].keys() == {"400"}


def test_parse_head() -> None:
    head = parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: 12\r\nx: y\r\n\r\n")
    assert (head.status, head.length, head.close) == (200, 12, False)
    closing = parse_head(b"HTTP/1.1 400 Bad\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    assert closing.close and closing.status == 400
    with pytest.raises(ProtocolError, match="chunked"):
        parse_head(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    with pytest.raises(ProtocolError, match="Content-Length"):
        parse_head(b"HTTP/1.1 204 No Content\r\n\r\n")
    with pytest.raises(ProtocolError, match="status line"):
        parse_head(b"SSH-2.0-OpenSSH\r\n\r\n")


@given(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1), st.floats(0.1, 100))
def test_percentile_is_nearest_rank(values: list[float], p: float) -> None:
    ordered = sorted(values)
    got = percentile(ordered, p)
    at_or_below = sum(1 for v in ordered if v <= got)
    assert got in ordered
    assert at_or_below >= math.ceil(p / 100 * len(ordered)) - 1e-9
    below = sum(1 for v in ordered if v < got)
    assert below < max(1, math.ceil(p / 100 * len(ordered)))


def test_per_second_buckets() -> None:
    series = per_second([0.1, 0.5, 1.2, 2.9], [0.001, 0.003, 0.002, 0.010], 3)
    assert [s["requests"] for s in series] == [2, 1, 1]
    assert series[0]["p50_ms"] == 1.0 and series[0]["p99_ms"] == 3.0
    assert series[2]["p99_ms"] == 10.0
