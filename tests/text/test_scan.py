"""Free-text screening on the real OFAC and UN lists: a news article, a Cyrillic sentence, a
5 MB text (bounded: linear scan, cached confirmations) and the gazetteer cache."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from clearance.text import TextScreener, entity_patterns, gazetteer, load_automaton
from tests.deal.world import DealWorld

pytestmark = pytest.mark.slow
NEWS = (Path(__file__).parent / "fixtures" / "news.txt").read_text(encoding="utf-8")


def spans(world: DealWorld, text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for hit in world.text.scan(text).hits:
        assert text[hit.start : hit.end] == hit.text
        out.setdefault(hit.text, set()).add(hit.record.id)
    return out


def test_entity_patterns() -> None:
    person = entity_patterns(
        "Person", {"name": ["PUTIN, Vladimir Vladimirovich"], "weakAlias": ["Volodya", "VVP"]}
    )
    assert {
        "putin vladimir vladimirovich",
        "vladimir vladimirovich putin",
        "vladimir putin",
        "putin vladimir",
        "vvp",
    } <= person
    assert "volodya" not in person  # one-word weak aliases only as acronyms
    org = entity_patterns("Organization", {"name": ["JOINT STOCK COMPANY CONCERN ALMAZ-ANTEY"]})
    assert "almaz antey" in org
    bank = entity_patterns("Organization", {"name": ["GAZPROMBANK JOINT STOCK COMPANY"]})
    assert bank == {"gazprombank joint stock company", "gazprombank"}


def test_news_article(world: DealWorld) -> None:
    found = spans(world, NEWS)
    assert "ofac-35096" in found["Vladimir Putin"]
    assert "ofac-16865" in found["Almaz-Antey"]
    assert "ofac-18782" in found["Rosoboronexport"]
    assert "ofac-27018" in found["Ismail Demir"]
    hits = world.text.scan(NEWS).hits
    putin = next(h for h in hits if h.record.id == "ofac-35096")
    assert (putin.start, putin.end) == (
        NEWS.index("Vladimir Putin"),
        NEWS.index("Vladimir Putin") + 14,
    )
    assert "name" in putin.reasons()
    # unlisted people and companies are not flagged
    for name in ("Aleksandar Vučić", "Recep Tayyip Erdoğan", "Siemens", "Serbian", "Belgrade"):
        at = NEWS.index(name)
        assert not [h for h in hits if h.start < at + len(name) and at < h.end], name


def test_cyrillic_sentence(world: DealWorld) -> None:
    text = "Президент России Владимир Путин провёл совещание по оборонному заказу."
    hits = world.text.scan(text).hits
    assert [(h.text, h.record.id) for h in hits] == [("Владимир Путин", "ofac-35096")]
    assert hits[0].start == text.index("Владимир")


def test_five_megabytes(world: DealWorld) -> None:
    copies = 5_000_000 // (len(NEWS) + 1) + 1
    big = (NEWS + "\n") * copies
    assert len(big) >= 5_000_000
    started = time.perf_counter()
    result = world.text.scan(big)
    elapsed = time.perf_counter() - started
    assert not result.truncated
    per_copy = len(world.text.scan(NEWS).hits)
    assert len(result.hits) == per_copy * copies
    assert elapsed < 120  # a generous bound against quadratic behaviour (measured: ~6 s)


def test_automaton_cached_per_index(
    world: DealWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_automaton(world.screener.index, tmp_path)
    calls: list[int] = []
    monkeypatch.setattr(gazetteer, "build_automaton", lambda index: calls.append(1))
    again = load_automaton(world.screener.index, tmp_path)
    assert calls == [] and len(again) == len(first)
    screener = TextScreener(world.screener, again)
    assert [h.record.id for h in screener.scan("Ismail Demir").hits] == ["ofac-27018"]
