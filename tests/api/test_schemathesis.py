"""schemathesis against the served OpenAPI document finds no server error (bounded run).

The longer run is ``bench/api/fuzz.py`` (results in bench/results/api/schemathesis.txt).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.api.conftest import Server


@pytest.mark.slow
def test_no_server_error_on_generated_requests(server: Server) -> None:
    key = server.keys["admin"]
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{server.url}/openapi.json",
        "-H", f"Authorization: Bearer {key}", "--checks", "not_a_server_error",
        "-n", "10", "--max-time", "60", "--seed", "1", "--phases", "examples,coverage,fuzzing",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    with server.client() as client:  # and the server still answers
        assert client.get("/algorithms").status_code == 200
