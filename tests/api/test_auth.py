"""API keys: 401 without or with a bad key, 403 with too low a role, hashes only in the DB."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import select

from clearance.api.auth import KeyStore, Principal
from clearance.api.tables import api_keys
from tests.api.conftest import Server

BODY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["x"]}}}}


def test_missing_or_wrong_key_is_401(server: Server) -> None:
    with httpx.Client(base_url=server.url) as client:
        for path in ("/catalog", "/algorithms", "/lists", "/entities/unsc-110914"):
            resp = client.get(path)
            assert resp.status_code == 401, path
            assert resp.json() == {"detail": "an API key is required", "status": 401}
            assert resp.headers["www-authenticate"] == "Bearer"
        assert client.post("/match/default", json=BODY).status_code == 401
        bad = client.get("/catalog", headers={"Authorization": "Bearer clr_0000_nope"})
        assert bad.status_code == 401
        forged = server.keys["screen"][:-2] + "xx"
        assert client.get("/catalog", headers={"X-API-Key": forged}).status_code == 401
        ok = client.get("/catalog", headers={"X-API-Key": server.keys["screen"]})
        assert ok.status_code == 200


def test_roles_are_ordered(server: Server) -> None:
    assert Principal("a", "a", "admin").allows("review")
    assert not Principal("a", "a", "screen").allows("review")
    with server.client("screen") as client:
        assert client.get("/explain/x/y").status_code == 403
    with server.client("admin") as client:
        assert client.get("/explain/x/y").status_code == 404


def test_keys_are_stored_hashed_and_can_be_revoked(server: Server) -> None:
    with server.store.engine.connect() as conn:
        rows = conn.execute(select(api_keys)).all()
    stored = " ".join(str(tuple(r)) for r in rows)
    for key in server.keys.values():
        assert key not in stored
        assert key.split("_", 2)[2] not in stored  # the secret (may itself contain "_")
    keys = KeyStore(server.store.engine, server.settings.secret_bytes())
    key = keys.create("short-lived", "screen")
    with httpx.Client(base_url=server.url, headers={"X-API-Key": key}) as client:
        assert client.get("/catalog").status_code == 200
        assert keys.revoke(key.split("_")[1])
        time.sleep(5.2)  # the server caches key lookups for 5 seconds
        assert client.get("/catalog").status_code == 401
    assert not keys.revoke(key.split("_")[1])
