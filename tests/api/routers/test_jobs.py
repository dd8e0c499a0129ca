"""Batch jobs: upload → progress → results, with broken rows reported by row number."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from tests.api.conftest import Server

CSV = (
    "id,schema,name,birth_date\n"
    "a,Person,Abdul Baqi Basir Awal Shah,1962\n"
    "b,Person,,\n"
    "c,Organization,Zzyzx Quuxbar Unlisted Widgets,\n"
)


def _wait(client: httpx.Client, job_id: str) -> dict[str, Any]:
    for _ in range(300):
        status: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_csv_job_runs_in_background(server: Server) -> None:
    with server.client() as client:
        created = client.post("/jobs", content=CSV, headers={"content-type": "text/csv"})
        assert created.status_code == 202, created.text
        job = created.json()
        assert job["status"] in ("queued", "running", "done")
        assert job["total"] == 3
        status = _wait(client, job["id"])
        assert status["status"] == "done", status
        assert status["done"] == 3
        assert status["errors"] == [
            {"row": 2, "where": "line 3", "error": "empty query: give a name or an identifier"}
        ]
        assert status["screening_id"]
        results = client.get(f"/jobs/{job['id']}/results")
    assert results.status_code == 200
    rows = [json.loads(line) for line in results.text.splitlines()]
    assert rows and {r["query_id"] for r in rows} == {"a"}
    assert rows[0]["entity_id"] == "unsc-110914"
    assert status["hits"] == len(rows)


def test_jsonl_job_and_ownership(server: Server) -> None:
    body = json.dumps({"id": "x", "name": "Abdul Baqi Basir", "schema": "Person"}) + "\n"
    with server.client() as client:
        job = client.post("/jobs", params={"format": "jsonl"}, content=body).json()
        assert _wait(client, job["id"])["status"] == "done"
    with server.client("review") as other:  # another key does not see it
        assert other.get(f"/jobs/{job['id']}").status_code == 404
    with server.client("admin") as admin:  # admins see every job
        assert admin.get(f"/jobs/{job['id']}").status_code == 200


def test_bad_uploads(server: Server) -> None:
    with server.client() as client:
        unknown = client.post("/jobs?format=csv", content="id,colour\n1,red\n")
        assert unknown.status_code == 400
        assert "unknown column(s): colour" in unknown.json()["detail"]
        assert "/" not in unknown.json()["detail"]  # no server paths
        assert client.post("/jobs?format=csv", content="").status_code == 400
        assert client.post("/jobs", content="id,name\n1,x\n").status_code == 400
        assert client.post("/jobs?format=csv", content=b"id,name\n1,\xff\n").status_code == 400
        assert client.get("/jobs/no-such-job").status_code == 404
        assert client.get("/jobs/no-such-job/results").status_code == 404
