"""The compiled matcher (mypyc build of the same source) is in use, current, and scores exactly
as the Python source does.

Why: the build is an optimisation only — ``clearance.native`` promises identical results and
that an edited source never runs its stale compiled code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clearance import native

SAMPLE = (
    Path(__file__).resolve().parents[2] / "bench" / "results" / "quality" / "devset_sample.jsonl"
)
SCRIPT = """
import json, sys
from clearance import native
from clearance.match import Matcher
from clearance.match.prepared import prepare_entity
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
queries = [prepare_entity(r["query"]) for r in rows]
candidates = [prepare_entity(r["candidate"]) for r in rows]
m = Matcher()
out = []
for i, q in enumerate(queries):
    for k in range(12):  # its own candidate and eleven others: matches and non-matches
        c = candidates[(i + 7 * k) % len(candidates)]
        r = m.compare_prepared(q, c)
        out.append([r.score, r.to_dict()])
print(json.dumps({"status": native.status(), "results": out}))
"""


def _run(env_native: str | None) -> dict[str, object]:
    env = dict(os.environ)
    env.pop(native.ENV, None)
    if env_native is not None:
        env[native.ENV] = env_native
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SAMPLE)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def test_compiled_matcher_is_built_and_current() -> None:
    # CI runs the bootstrap, which builds it; a stale or missing build means a slow matcher
    assert native.status()["mode"] == "compiled", (
        f"compiled matcher not in use: {native.status()['reason']} "
        "(run scripts/bootstrap.sh or scripts/build_native.py)"
    )
    import clearance.match.align as align

    assert align.__file__ is not None and not align.__file__.endswith(".py")


def test_compiled_and_source_matcher_give_identical_results() -> None:
    compiled = _run(None)
    source = _run("0")
    assert isinstance(compiled["status"], dict) and isinstance(source["status"], dict)
    assert compiled["status"]["mode"] == "compiled"
    assert compiled["status"]["loaded"].endswith(".so")
    assert source["status"]["mode"] == "source"
    assert source["status"]["loaded"].endswith(".py")
    results = compiled["results"]
    assert isinstance(results, list) and len(results) > 3000
    assert sum(1 for score, *_ in results if score >= 0.7) > 150  # matches are among them
    assert results == source["results"]


def test_a_changed_source_is_never_run_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = json.loads(native.STAMP.read_text("utf-8")) if native.STAMP.exists() else {}
    assert native._stale_reason() is None or not stamp
    changed = dict(stamp.get("modules") or native.source_hashes())
    changed["clearance.match.align"] = "0" * 64
    fake = tmp_path / "native.json"
    fake.write_text(
        json.dumps({**stamp, "modules": changed, "python": sys.implementation.cache_tag}), "utf-8"
    )
    monkeypatch.setattr(native, "STAMP", fake)
    reason = native._stale_reason()
    assert reason is not None and "clearance.match.align" in reason
    monkeypatch.setenv(native.ENV, "0")
    assert native._stale_reason() == f"{native.ENV}=0"


def test_compiled_objects_pickle_and_copy() -> None:
    # results cross process boundaries (batch workers, Spark)
    import copy
    import pickle

    from clearance.match import Matcher
    from clearance.match.matcher import MatchConfig
    from clearance.match.prepared import prepare_entity

    matcher = pickle.loads(pickle.dumps(Matcher(0.6, MatchConfig(contact_bonus=0.05))))
    assert matcher.threshold == 0.6 and matcher.config.contact_bonus == 0.05
    q = prepare_entity({"schema": "Person", "properties": {"name": ["Vladimir Putin"]}})
    c = prepare_entity({"schema": "Person", "properties": {"name": ["PUTIN, Vladimir V."]}})
    result = matcher.compare_prepared(q, c)
    again = pickle.loads(pickle.dumps(result))
    assert again.to_dict() == result.to_dict() == copy.deepcopy(result).to_dict()
    assert again.name is not None and result.name is not None
    # tokens come back as the interned token of their spelling
    assert again.name.qform.tokens == result.name.qform.tokens
    pairs = zip(again.name.qform.tokens, result.name.qform.tokens, strict=True)
    assert all(a is b for a, b in pairs)
