"""Hostile input over HTTP: rate limit, oversized bodies, deep nesting, bad UTF-8, bad JSON —
each a clear 4xx without internals, and the server keeps serving."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
from hypothesis import given
from hypothesis import strategies as st

from clearance.api.limits import RateLimiter, RequestRejected, check_json, json_depth
from tests.api.conftest import Server

GOOD = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Abdul Baqi Basir"]}}}}
LEAKS = ("Traceback", 'File "', "line ", ".py", "Error:")


def _clean(resp: httpx.Response) -> None:
    body = resp.json()
    assert set(body) == {"detail", "status"}
    assert body["status"] == resp.status_code
    text = resp.text
    assert "Traceback" not in text and ".py" not in text and 'File "' not in text


def _still_serving(server: Server) -> None:
    with server.client() as client:
        assert client.post("/match/default", json=GOOD).status_code == 200


def test_rate_limit_is_429_with_retry_after(server: Server) -> None:
    with server.client("slow") as client:  # 6 per minute, burst from the settings
        codes = [client.get("/algorithms").status_code for _ in range(150)]
        assert 429 in codes
        limited = client.get("/algorithms")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    _clean(limited)
    with server.client() as other:  # other keys are not affected
        assert other.get("/algorithms").status_code == 200


def test_oversized_bodies_are_413(server: Server) -> None:
    limit = server.settings.api_max_body_bytes
    big = b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["' + b"a" * limit
    big += b'"]}}}}'
    with server.client() as client:
        resp = client.post(
            "/match/default", content=big, headers={"content-type": "application/json"}
        )
        assert resp.status_code == 413
        _clean(resp)

        def chunks() -> object:  # no Content-Length: the limit holds while reading
            for _ in range(limit // 4096 + 10):
                yield b" " * 4096

        streamed = client.post("/match/default", content=chunks())  # type: ignore[arg-type]
        assert streamed.status_code == 413
    _still_serving(server)


def test_lying_content_length_is_cut_off(server: Server) -> None:
    """A client claiming a small body and sending a huge one is stopped by the byte count."""
    parts = urlsplit(server.url)
    limit = server.settings.api_max_body_bytes
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = (
            "POST /match/default HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            f"Authorization: Bearer {server.keys['screen']}\r\n"
            "Content-Type: application/json\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b"x" * 65536
        try:
            for _ in range(limit // len(chunk) + 4):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except OSError:
            pass  # the server may close the connection early
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
    _still_serving(server)


def test_malformed_json_bad_utf8_deep_nesting_are_400(server: Server) -> None:
    depth = server.settings.api_max_depth
    cases = {
        b'{"queries": {': "malformed JSON",
        b"\xff\xfe\x00{}": "not valid UTF-8",
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\xc3\x28"]}}}}': "UTF-8",
        b"[" * (depth + 1) + b"]" * (depth + 1): "nested deeper",
        b"[" * 100_000 + b"]" * 100_000: "nested deeper",
        b'{"a":' * 20_000 + b"1" + b"}" * 20_000: "nested deeper",
    }
    with server.client() as client:
        for body, message in cases.items():
            resp = client.post(
                "/match/default", content=body, headers={"content-type": "application/json"}
            )
            assert resp.status_code == 400, (body[:20], resp.text)
            assert message in resp.json()["detail"]
            _clean(resp)
    _still_serving(server)


def test_wrong_types_are_422_without_echoing_input(server: Server) -> None:
    secret = "Sensitive Customer Name"
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": {"x": secret}}}}}
    with server.client() as client:
        resp = client.post("/match/default", json=body)
        assert resp.status_code == 422
        assert secret not in resp.text
        _clean(resp)
        extra = client.post("/match/default", json={**GOOD, "surprise": True})
        assert extra.status_code == 422


def test_cors_is_off_by_default(server: Server) -> None:
    with server.client() as client:
        resp = client.options(
            "/match/default",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in resp.headers
        plain = client.get("/algorithms", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in plain.headers


@given(
    st.recursive(
        st.none() | st.integers(),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
        max_leaves=12,
    )
)
def test_json_depth_counts_containers(value: object) -> None:
    import json

    text = json.dumps(value)
    # independent count: deepest bracket nesting outside strings of the serialised text
    deepest = level = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level -= 1
    assert json_depth(value) == deepest


def test_check_json_and_token_bucket() -> None:
    assert check_json(b'{"a": [1]}', 2) == {"a": [1]}
    for bad in (b"{", b"\xff", b"[[[1]]]"):
        try:
            check_json(bad, 2)
        except RequestRejected as exc:
            assert exc.status == 400
        else:
            raise AssertionError(bad)
    limiter = RateLimiter(per_minute=60, burst=3)
    assert [limiter.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("k")
    assert 0 < wait <= 1.0
    assert limiter.take("other") == 0.0
    assert RateLimiter.retry_after(0.2) == "1"
