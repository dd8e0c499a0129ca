"""Senzing JSON: the three record layouts, ids and source names, bad input."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.sources.base import read_head
from clearance.sources.ftm_json import FtmJsonParser
from clearance.sources.senzing import SenzingJsonParser, dataset_of
from tests.sources import badinput
from tests.sources.badinput import refused

CONGRESS = "lists/opensanctions/us_congress_senzing_watchman/us_congress_senzing.json"
PEPS = "lists/opensanctions/us_congress_senzing_watchman/peps_senzing.json"
WD = "lists/opensanctions/wd_persons_sa_2024-03-09_khongdudinhdoikhongne/senzing.json"
WATCHLIST = "labelled/senzing_truth_sets/demo/watchlist.jsonl"
LINE = (
    '{"DATA_SOURCE": "TEST", "RECORD_ID": "%s", "RECORD_TYPE": "PERSON", "NAME_FULL": "Jo Bloggs"}'
)


def json_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


@pytest.mark.parametrize("relpath", [CONGRESS, WD, WATCHLIST])
def test_json_lines_counts(shared_data: Path, relpath: str) -> None:
    path = shared_data / relpath
    records = json_lines(path)
    result = SenzingJsonParser().parse(path)
    emitted = list(result.entities)
    parties = [e for e in emitted if e.entity.schema.name != "Identification"]
    assert len(parties) == len(records)
    assert {e.record for e in parties} == {str(r["RECORD_ID"]) for r in records}


def test_opensanctions_congress_spot_check(shared_data: Path) -> None:
    path = shared_data / CONGRESS
    result = SenzingJsonParser().parse(path)
    assert result.meta.source == "opensanctions_us_congress"
    entities = {e.entity.id: e.entity for e in result.entities}
    assert len(entities) == 1319
    # raw line 1: NK-AQ4HymsADSK2D63MkyTqfC, "Jennifer L. McClellan", DOB 1972, nationality us, PEP
    mcclellan = entities["NK-AQ4HymsADSK2D63MkyTqfC"]
    assert mcclellan.schema.name == "Person"
    assert mcclellan.get("name") == ["Jennifer L. McClellan"]
    assert mcclellan.get("birthDate") == ["1972"] and mcclellan.get("nationality") == ["us"]
    assert mcclellan.get("topics") == ["role.pep"]


def test_wikidata_export_aliases_and_unknown_type(shared_data: Path) -> None:
    entities = {e.entity.id: e.entity for e in SenzingJsonParser().parse(shared_data / WD).entities}
    # raw: Q10279737 "Fahd Hariri", aliases "Fahed Hariri", "Fahad Hariri", nationality sa, lb
    hariri = entities["Q10279737"]
    assert hariri.get("name") == ["Fahd Hariri"]
    assert set(hariri.get("alias")) == {"Fahed Hariri", "Fahad Hariri"}
    assert set(hariri.get("nationality")) == {"sa", "lb"}
    assert hariri.get("wikidataId") == ["Q10279737"]
    # RECORD_TYPE null: read as LegalEntity, its citizenship as country
    assert entities["Q1063287"].schema.name == "LegalEntity"
    assert entities["Q1063287"].get("country") == ["sa"]


def test_json_array_with_flat_keys(shared_data: Path) -> None:
    path = shared_data / PEPS
    records = json.loads(path.read_text(encoding="utf-8"))
    result = SenzingJsonParser().parse(path)
    entities = {e.entity.id: e.entity for e in result.entities}
    assert len(entities) == len(records) == 3
    assert result.meta.source == "opensanctions_pep"
    assert entities["Q123456"].get("name") == ["John Smith"]
    assert entities["Q123456"].get("lastName") == ["Smith"]
    assert entities["Q345678"].schema.name == "Organization"


def test_features_layout_with_documents(shared_data: Path) -> None:
    result = SenzingJsonParser().parse(shared_data / WATCHLIST)
    assert result.meta.source == "senzing_watchlist"
    entities = {e.entity.id: e.entity for e in result.entities}
    # raw line 1: RECORD_ID 1006, Robert E Smith Sr, DOB 3/31/1954, driver's licence 112233 NV
    smith = entities["senzing-watchlist-1006"]
    assert smith.get("birthDate") == ["1954-03-31"]
    assert smith.get("firstName") == ["Robert"] and smith.get("lastName") == ["Smith Sr"]
    licence = entities["senzing-watchlist-1006-id-1"]
    assert licence.get("number") == ["112233"] and licence.get("holder") == [smith.id]
    assert any("1021 has no name" in w for w in result.meta.warnings)


@given(st.text(min_size=1))
def test_dataset_names(source: str) -> None:
    name, is_os = dataset_of(source)
    assert name.startswith("opensanctions_" if is_os else "senzing_")
    assert name == name.lower()


FEATURE_KEYS = st.sampled_from(
    ["NAME_FULL", "NAME_FIRST", "NAME_LAST", "NAME_ORG", "NAME_TYPE", "PRIMARY_NAME_FULL",
     "DATE_OF_BIRTH", "NATIONALITY", "ADDR_LINE1", "ADDR_COUNTRY", "PASSPORT_NUMBER",
     "PASSPORT_COUNTRY", "GENDER", "TOPIC", "OTHER_ID_TYPE", "OTHER_ID_NUMBER", "ODD_KEY"]
)  # fmt: skip
FEATURE = st.dictionaries(FEATURE_KEYS, st.text(max_size=20), max_size=5)


@given(
    st.lists(FEATURE, max_size=4),
    st.sampled_from(["PERSON", "ORGANIZATION", "VESSEL", None, "SPACESHIP"]),
)
def test_any_features_load_without_crashing(feats: list[dict[str, str]], kind: str | None) -> None:
    record = {"DATA_SOURCE": "T", "RECORD_ID": "1", "RECORD_TYPE": kind, "FEATURES": feats}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.json"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        emitted = list(SenzingJsonParser().parse(path).entities)
    assert emitted[0].entity.id == "senzing-t-1"
    kinds = {e.entity.schema.name for e in emitted[1:]}
    assert kinds <= {"Identification"}


def write(tmp_path: Path, text: str | bytes, name: str = "senzing.json") -> Path:
    return badinput.write(tmp_path, text, name)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "no records|empty"),
        (f"{LINE % 1}\n{LINE % 2}\n" + LINE[:30], "line 3: not a JSON object"),
        (f"{LINE % 1}\n{LINE % 1}\n", "line 2: duplicate RECORD_ID 1"),
        ('{"RECORD_ID": "1", "NAME_FULL": "X"}\n', "line 1: DATA_SOURCE or RECORD_ID missing"),
        (f"[{LINE % 1}, ", r"line 1: not JSON"),
        ("[1, 2]", "record 1: expected a JSON object"),
        ('{"id": "a", "schema": "Person", "properties": {}}\n', "line 1: DATA_SOURCE"),
    ],
    ids=["empty", "truncated", "duplicate", "missing-key", "truncated-array", "not-objects", "ftm"],
)
def test_bad_input(tmp_path: Path, content: str, match: str) -> None:
    refused(SenzingJsonParser(), write(tmp_path, content), match)


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, f"{LINE % 1}\n{LINE % 2}\n".replace("Bloggs", "Blöggs").encode("latin-1")
    )
    refused(SenzingJsonParser(), path, "line 1: not a JSON object")


def test_unknown_feature_warns(tmp_path: Path) -> None:
    path = write(tmp_path, LINE.replace("}", ', "SHOE_SIZE": "44"}') % 1 + "\n")
    result = SenzingJsonParser().parse(path)
    assert len(list(result.entities)) == 1
    assert any("SHOE_SIZE" in w for w in result.meta.warnings)


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        (CONGRESS, True),
        (PEPS, True),
        (WD, True),
        (WATCHLIST, True),
        (
            "lists/opensanctions/wd_persons_sa_2024-03-09_khongdudinhdoikhongne/entities.ftm.json",
            False,
        ),
        ("lists/opensanctions/wd_persons_sa_2024-03-09_khongdudinhdoikhongne/index.json", False),
        ("lists/us_csl/2016-02_opendatalabcz/csl_partial.csv", False),
    ],
)
def test_sniff(shared_data: Path, relpath: str, expected: bool) -> None:
    path = shared_data / relpath
    head = read_head(path)
    assert SenzingJsonParser.sniff(path, head) is expected
    if expected:
        assert not FtmJsonParser.sniff(path, head)
