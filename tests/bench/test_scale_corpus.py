"""Tests of the synthetic scale corpus and the measuring helpers of bench/screen/scale.py.

The scale benchmark is only as good as its corpus: it must be deterministic (entity ``i`` is a
function of the seed), streamable (no list of the corpus in memory), valid FtM the product
loads, close to the intended schema mix and spread over many scripts.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import types
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from bench.screen import scale
from followthemoney import model
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.sources.ftm_json import FtmJsonParser


def _script(text: str) -> str | None:
    """Unicode script family of the first letter of ``text`` (from the character name)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            first = name.split()[0] if name else ""
            return "HAN" if first == "CJK" else first
    return None


@pytest.fixture(scope="module")
def sample() -> list[dict[str, object]]:
    return list(scale.corpus(seed=3, count=3000))


def test_entity_is_a_function_of_seed_and_number() -> None:
    assert scale.synthetic_entity(5, 1234) == scale.synthetic_entity(5, 1234)
    assert scale.synthetic_entity(5, 1234) != scale.synthetic_entity(6, 1234)
    assert scale.synthetic_entity(5, 1234) != scale.synthetic_entity(5, 1235)


def test_corpus_streams_and_prefixes_agree() -> None:
    stream = scale.corpus(seed=2, count=10**9)  # a billion: only a lazy stream can do this
    assert isinstance(stream, types.GeneratorType)
    head = list(itertools.islice(stream, 50))
    assert head == list(scale.corpus(seed=2, count=50))


def test_ids_unique_and_sources_in_range(sample: list[dict[str, object]]) -> None:
    ids = [e["id"] for e in sample]
    assert len(set(ids)) == len(ids)
    assert {e["source"] for e in sample} <= set(range(scale.SOURCES))
    assert len({e["source"] for e in sample}) == scale.SOURCES


def test_schema_mix_follows_the_table(sample: list[dict[str, object]]) -> None:
    counts = Counter(e["schema"] for e in sample)
    for schema, share in scale.SCHEMA_MIX:
        assert abs(counts[schema] / len(sample) - share) < 0.04, (schema, counts)


def test_names_in_many_scripts(sample: list[dict[str, object]]) -> None:
    scripts = Counter(_script(e["properties"]["name"][0]) for e in sample)  # type: ignore[index]
    wanted = {"LATIN", "CYRILLIC", "ARABIC", "HAN", "HANGUL", "GREEK", "HEBREW", "DEVANAGARI"}
    wanted |= {"GEORGIAN", "ARMENIAN", "THAI", "BENGALI", "TAMIL"}
    assert wanted <= set(scripts), scripts
    assert scripts["LATIN"] / len(sample) < 0.8  # not a Latin corpus with a sprinkle


def test_entities_are_valid_ftm_with_names(sample: list[dict[str, object]]) -> None:
    for ent in sample:
        schema = model.get(str(ent["schema"]))
        assert schema is not None
        props: dict[str, list[str]] = ent["properties"]  # type: ignore[assignment]
        assert set(props) <= set(schema.properties), set(props) - set(schema.properties)
        assert props["name"] and all(n.strip() for n in props["name"])
        for values in props.values():
            assert isinstance(values, list) and all(isinstance(x, str) for x in values)
        assert props["name"][0] not in props.get("alias", [])


def test_identifiers_and_dates(sample: list[dict[str, object]]) -> None:
    vessels = [e for e in sample if e["schema"] == "Vessel"]
    assert vessels and all(
        p["imoNumber"][0].startswith("IMO") and len(p["imoNumber"][0]) == 10  # type: ignore[index]
        for p in (v["properties"] for v in vessels)
    )
    people = [e["properties"] for e in sample if e["schema"] == "Person"]
    with_dob = [p for p in people if "birthDate" in p]  # type: ignore[operator]
    assert 0.6 < len(with_dob) / len(people) < 0.8
    passports = [p for p in people if "passportNumber" in p]  # type: ignore[operator]
    assert 0.2 < len(passports) / len(people) < 0.4


def test_non_latin_names_get_romanised_aliases(sample: list[dict[str, object]]) -> None:
    cyrillic = [
        e["properties"]
        for e in sample
        if e["schema"] == "Person" and e["script"] == "Cyrillic" and "alias" in e["properties"]  # type: ignore[operator]
    ]
    assert cyrillic
    romanised = [a for p in cyrillic for a in p["alias"] if a.isascii()]  # type: ignore[index]
    assert len(romanised) >= len(cyrillic) / 2


def test_token_frequencies_have_a_long_tail(sample: list[dict[str, object]]) -> None:
    tokens = Counter(
        t
        for e in sample
        for n in e["properties"]["name"]  # type: ignore[index]
        for t in n.split()
    )
    singletons = sum(1 for c in tokens.values() if c == 1)
    assert singletons / len(tokens) > 0.4
    assert tokens.most_common(1)[0][1] >= 20


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=20), st.integers(min_value=0, max_value=2**32))
def test_mutation_is_one_edit_of_own_characters(token: str, seed: int) -> None:
    import random

    out = scale._mutate(random.Random(seed), token)
    if len(token) < 3:
        assert out == token
    else:
        assert abs(len(out) - len(token)) <= 1
        assert set(out) <= set(token)
        assert out[0] == token[0]


def test_queries_are_deterministic_and_half_variants() -> None:
    qs = scale.queries(seed=3, count=40, corpus_size=500)
    assert qs == scale.queries(seed=3, count=40, corpus_size=500)
    assert sum(q["id"].startswith("v") for q in qs) == 20
    assert all(q["name"].strip() and q["schema"] for q in qs)


def test_ndjson_loads_with_the_product_parser(tmp_path: Path) -> None:
    path = tmp_path / "corpus.ndjson"
    scale.write_ndjson(seed=4, count=200, out=path)
    head = path.read_bytes()[:4096]
    assert FtmJsonParser.sniff(path, head)
    result = FtmJsonParser().parse(path)
    entities = list(result.entities)
    assert len(entities) == 200
    assert not result.meta.warnings
    assert entities[7].entity.id == scale.synthetic_entity(4, 7)["id"]


def test_rss_sampler_sees_a_child_allocating(tmp_path: Path) -> None:
    code = (
        "import time; x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096]); "
        "time.sleep(1.5)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    sampler = scale.RssSampler(proc.pid, interval=0.05)
    sampler.start()
    proc.wait()
    peak = sampler.stop()
    assert peak > 250 * 2**20


def test_rss_sampler_stops_a_child_over_its_limit() -> None:
    code = (
        "import time; x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096]); time.sleep(20)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    sampler = scale.RssSampler(proc.pid, interval=0.05, limit=100 * 2**20)
    sampler.start()
    assert proc.wait(timeout=15) == -9
    sampler.stop()
    assert sampler.over_limit


@pytest.mark.slow
def test_build_and_query_small_index(tmp_path: Path) -> None:
    out = tmp_path / "build.json"
    scale.do_build(seed=8, count=400, path=tmp_path / "idx", out=out)
    import json

    built = json.loads(out.read_text())
    assert built["entities"] == 400 and built["postings"] > 400
    assert scale.STREAM_DONE in [m["stage"] for m in built["stages"]]
    qout = tmp_path / "query.json"
    scale.do_query(seed=8, count=400, path=tmp_path / "idx", nqueries=20, out=qout)
    measured = json.loads(qout.read_text())
    assert measured["queries"] == 20
    # most variants of listed names find their entity's namesakes; unrelated names rarely do
    assert measured["warm"]["queries_with_hits"]["variant"] >= 6


def test_sort_probe_runs_the_product_postings_step(tmp_path: Path) -> None:
    import json

    out = tmp_path / "probe.json"
    scale.do_sort_probe(seed=1, count=2000, keys_per_entity=10.0, out=out)
    probe = json.loads(out.read_text())
    assert probe["entities"] == 2000
    assert 10_000 < probe["postings"] < 30_000
    assert 0 < probe["keys"] <= probe["postings"]
