"""Deal files: valid YAML/JSON, and clear errors naming the file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.deal import DealError, Role, load_deal, parse_deal
from clearance.settings import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples" / "deals"
MINIMAL = {"parties": [{"role": "buyer", "name": "ACME Ltd"}]}


def test_examples_load() -> None:
    files = sorted(EXAMPLES.glob("*.yml"))
    assert len(files) == 3
    for path in files:
        deal = load_deal(path)
        assert deal.parties and all(p.id for p in deal.parties)
    china = load_deal(EXAMPLES / "china-su35-s400-2018.yml")
    assert [p.role for p in china.parties] == [Role.buyer, Role.end_user, Role.seller]
    assert china.currency == "USD" and china.value == 3_000_000_000


def test_json_and_yaml_give_the_same_deal(tmp_path: Path) -> None:
    data = {**MINIMAL, "goods": "pumps", "value": 10, "currency": "EUR", "date": "2024-02-01"}
    (tmp_path / "d.json").write_text(json.dumps(data))
    (tmp_path / "d.yaml").write_text(
        "goods: pumps\nvalue: 10\ncurrency: EUR\ndate: 2024-02-01\n"
        "parties:\n  - role: buyer\n    name: ACME Ltd\n"
    )
    assert load_deal(tmp_path / "d.json") == load_deal(tmp_path / "d.yaml")


def test_party_ids_are_assigned_and_unique() -> None:
    deal = parse_deal(
        {"parties": [{"role": "buyer", "name": "A"}, {"role": "seller", "name": "B"}]}
    )
    assert [p.id for p in deal.parties] == ["party-1", "party-2"]
    with pytest.raises(DealError, match="duplicate party id 'x'"):
        parse_deal(
            {
                "parties": [
                    {"id": "x", "role": "buyer", "name": "A"},
                    {"id": "x", "role": "seller", "name": "B"},
                ]
            }
        )


def test_query_of_a_party() -> None:
    deal = parse_deal(
        {
            "parties": [
                {
                    "role": "vessel",
                    "name": "SEA STAR",
                    "aliases": "STAR",
                    "identifiers": ["imo:9187629"],
                    "country": "Panama",
                }
            ]
        }
    )
    query = deal.parties[0].query()
    assert query["schema"] == "Vessel"  # the vessel role screens as a Vessel
    assert query["name"] == "SEA STAR|STAR"
    assert query["identifiers"] == "imo:9187629" and query["country"] == "Panama"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"parties": [{"role": "pirate", "name": "A"}]}, "parties.0.role"),
        ({"parties": [{"role": "buyer"}]}, "parties.0.name"),
        ({"parties": [{"role": "buyer", "name": "   "}]}, "parties.0.name"),
        ({"parties": [{"role": "buyer", "name": "A", "schema": "Dog"}]}, "parties.0.schema"),
        ({"parties": [{"role": "buyer", "name": "A", "colour": "red"}]}, "parties.0.colour"),
        ({"parties": []}, "parties"),
        ({**MINIMAL, "currency": "dollars"}, "currency"),
        ({**MINIMAL, "value": -5}, "value"),
        ({**MINIMAL, "date": "yesterday"}, "date"),
        ({**MINIMAL, "ownership": [{"owner": "a"}]}, "ownership.0.asset"),
    ],
)
def test_errors_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(DealError) as info:
        parse_deal(data, "deal.yml")
    assert str(info.value).startswith("deal.yml: ")
    assert f"{field}:" in str(info.value)


def test_bad_files(tmp_path: Path) -> None:
    cases = {
        "empty.yml": (b"", "empty file"),
        "list.yml": (b"- a\n- b\n", "expected a mapping"),
        "broken.yml": (b"parties:\n  - role: buyer\n   name: [x\n", "invalid YAML at line"),
        "broken.json": (b'{"parties": [', "invalid JSON at line 1"),
        "latin1.yml": ("parties: [{role: buyer, name: Société}]".encode("latin-1"), "not UTF-8"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(DealError, match=message) as info:
            load_deal(path)
        assert str(path) in str(info.value)
    with pytest.raises(DealError, match="no such file"):
        load_deal(tmp_path / "missing.yml")
