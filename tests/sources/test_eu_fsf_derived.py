"""EU FSF derived JSON: both dated versions load, counts match json.load, bad input is refused."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, read_head
from clearance.sources.eu_fsf_derived import EuFsfDerivedJsonParser, split_multi

NEWEST = "eu_fsf_derived/2026-08-22_tnrtnch/eu_fsf_sanctions.json"
OLDER = "eu_fsf_derived/2026-01-24_tnrtnch/eu_fsf_sanctions.json"


def _parse(path: Path) -> tuple[list[Emitted], ListMeta]:
    result = EuFsfDerivedJsonParser().parse(path)
    return list(result.entities), result.meta


@cache
def _real(path: Path) -> tuple[list[Emitted], ListMeta]:
    """Each real file is parsed once per test session."""
    return _parse(path)


@pytest.mark.parametrize(("name", "date"), [(NEWEST, "2026-08-22"), (OLDER, "2026-01-24")])
def test_versions_load(lists_dir: Path, name: str, date: str) -> None:
    path = lists_dir / name
    items = json.loads(path.read_text("utf-8"))["items"]  # independent count
    emitted, meta = _real(path)
    targets = [e for e in emitted if e.entity.schema.name != "Sanction"]
    assert len(targets) == len(items)
    assert Counter(e.entity.schema.name for e in targets) == Counter(i["schema"] for i in items)
    assert len({e.entity.id for e in emitted}) == len(emitted)
    regimes = sum(len(i["sanctions"].split(";")) for i in items if i["sanctions"])
    assert sum(1 for e in emitted if e.entity.schema.name == "Sanction") == regimes
    assert meta.publication_date == date
    assert any("DERIVED" in w for w in meta.warnings)
    assert EuFsfDerivedJsonParser.sniff(path, read_head(path))


def test_newest_counts_and_spot_checks(lists_dir: Path) -> None:
    emitted, _ = _real(lists_dir / NEWEST)
    targets = [e.entity for e in emitted if e.entity.schema.name != "Sanction"]
    assert len(targets) == 6128
    radfar = [t for t in targets if t.get("name") == ["Amir RADFAR"]]  # checked by eye
    assert len(radfar) == 1 and radfar[0].schema.name == "Person"
    assert radfar[0].get("alias") == ["امیر رادفر"]
    sanctions = [
        e.entity
        for e in emitted
        if e.entity.schema.name == "Sanction" and e.entity.get("entity") == [radfar[0].id]
    ]
    assert sanctions[0].get("program") == ["IRN"]
    assert sanctions[0].get("listingDate") == ["2026-01-29"]
    assert sanctions[0].get("summary") == ["Regulation 2026/262 (OJ L202600262)"]
    # the two items named "Sheikh Hassan Dahir Aweys" (TAQA and SOM listings) stay apart
    aweys = [t for t in targets if t.get("name") == ["Sheikh Hassan Dahir Aweys"]]
    assert len(aweys) == 2 and aweys[0].id != aweys[1].id


def test_ids_stable_across_versions(lists_dir: Path) -> None:
    new = {e.entity.get("name")[0]: e.entity.id for e in _real(lists_dir / NEWEST)[0]
           if e.entity.schema.name == "Organization"}  # fmt: skip
    old = {e.entity.get("name")[0]: e.entity.id for e in _real(lists_dir / OLDER)[0]
           if e.entity.schema.name == "Organization"}  # fmt: skip
    name = "OJSC EHMZ named after N. D. Zelinsky"
    assert new[name] == old[name]


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


ITEM = {"name": "Test Person", "schema": "Person", "sanctions": "UKR - 1/2 (OJ L1) - 2022-01-01",
        "aliases": "T. Person"}  # fmt: skip


def test_truncated(tmp_path: Path, lists_dir: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes((lists_dir / NEWEST).read_bytes()[:50_000])
    with pytest.raises(ListFormatError, match="not JSON") as err:
        _parse(path)
    assert err.value.where is not None and err.value.where.startswith("line ")


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        _parse(path)


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "l1.json"
    path.write_bytes(json.dumps({"items": [{**ITEM, "name": "Jos\u00e9"}]}, ensure_ascii=False)
                     .encode("latin-1"))  # fmt: skip
    with pytest.raises(ListFormatError, match="utf-8"):
        _parse(path)


def test_other_format(tmp_path: Path) -> None:
    path = _write(tmp_path, {"id": "x", "schema": "Person", "properties": {}})
    with pytest.raises(ListFormatError, match="items"):
        _parse(path)


def test_missing_field(tmp_path: Path) -> None:
    item = {k: v for k, v in ITEM.items() if k != "name"}
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, {"items": [ITEM, item]}))
    assert err.value.where == "record 2"
    assert "name" in err.value.message


def test_unknown_schema(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="Spaceship"):
        _parse(_write(tmp_path, {"items": [{**ITEM, "schema": "Spaceship"}]}))


def test_duplicates(tmp_path: Path) -> None:
    other = {**ITEM, "sanctions": "SYR - 3/4 (OJ L2) - 2012-01-01"}
    emitted, meta = _parse(_write(tmp_path, {"items": [ITEM, other, ITEM]}))
    people = [e.entity.id for e in emitted if e.entity.schema.name == "Person"]
    assert len(people) == 2 and len(set(people)) == 2
    assert any("exact duplicate" in w for w in meta.warnings)


def test_odd_regime_warns(tmp_path: Path) -> None:
    emitted, meta = _parse(_write(tmp_path, {"items": [{**ITEM, "sanctions": "something"}]}))
    assert any("something" in w for w in meta.warnings)
    assert [e.entity.get("program") for e in emitted if e.entity.schema.name == "Sanction"] == [
        ["something"]
    ]


_VALUE = st.text(min_size=1).map(str.strip).filter(lambda s: bool(s) and not {"\r", "\n"} & set(s))


@given(st.lists(_VALUE, max_size=6))
def test_split_multi_roundtrip(values: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="").writerow(values)
    assert split_multi(buffer.getvalue()) == values


_ITEMS = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=30),
            "schema": st.sampled_from(["Person", "Organization", "Vessel"]),
            "sanctions": st.text(max_size=40),
            "aliases": st.text(max_size=40),
        }
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=_ITEMS)
def test_arbitrary_items_never_crash(tmp_path: Path, items: list[dict[str, str]]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"generated_at": "2026-01-01", "items": items}), "utf-8")
    try:
        emitted, _ = _parse(path)
    except ListFormatError:
        assert any(not i["name"].strip() for i in items)
        return
    distinct = {(i["name"].strip(), i["schema"], i["sanctions"], i["aliases"]) for i in items}
    targets = [e for e in emitted if e.entity.schema.name != "Sanction"]
    assert len(targets) == len(distinct)  # exact duplicates are merged, nothing else is lost
    assert len({e.entity.id for e in emitted}) == len(emitted)
