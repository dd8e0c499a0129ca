"""Schemathesis against the served OpenAPI document: no request may get a 5xx.

Scenario: a real clearance server (uvicorn subprocess on 127.0.0.1) over ``--home`` (a clearance
home with lists loaded; e.g. the UN list and the DPL), an admin key; schemathesis generates
``--max-examples`` requests per operation (valid and invalid: examples, coverage and fuzzing
phases) within ``--max-time`` seconds and checks ``not_a_server_error``. The summary goes to
``bench/results/api/schemathesis.txt``.

    python bench/api/fuzz.py --home /path/to/clearance-home --max-examples 30 --max-time 120
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bench.api.server import running_server

RESULTS = Path(__file__).resolve().parents[1] / "results" / "api"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=os.environ.get("CLEARANCE_HOME"))
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--max-time", type=int, default=120)
    parser.add_argument("--port", type=int, default=8781)
    args = parser.parse_args()
    if args.home is None:
        parser.error("give --home or CLEARANCE_HOME")
    with running_server(args.home, args.port, workers=1, role="admin") as server:
        url, key = server.url, server.key
        command = [
            sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
            "-H", f"Authorization: Bearer {key}", "--checks", "not_a_server_error",
            "-n", str(args.max_examples), "--max-time", str(args.max_time), "--seed", "1",
            "--workers", "1",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = done.stdout.replace(key, "<key>") + done.stderr.replace(key, "<key>")
    (RESULTS / "schemathesis.txt").write_text(text, "utf-8")
    print(text[-3000:])
    raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
