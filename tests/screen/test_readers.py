"""Batch input readers: good rows become queries, broken rows keep their row number."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clearance.errors import ListFormatError
from clearance.screen.readers import count_rows, read_rows


def test_csv_rows_and_broken_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,schema,name,birth_date,nationality,country,identifiers\n"
        "a1,Person,Jane Doe,1970,gb,,\n"
        "a2,Person,,,,,\n"  # empty name -> broken
        "a3,Person,John Roe,1971\n"  # too few fields -> broken
        '"a4",Company,"Acme, Ltd.",,,us,"lei:5493001KJTIIGC8Y1R12"\n'
        "a5,Starship,Enterprise,,,,\n",  # unknown schema -> broken
        encoding="utf-8",
    )
    rows = list(read_rows(path))
    assert [r.row for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].query is not None and rows[0].query["id"] == "a1"
    assert rows[1].error is not None and "empty query" in rows[1].error
    assert rows[1].where == "line 3"
    assert rows[2].error is not None and "fields" in rows[2].error
    assert rows[3].query is not None
    assert rows[3].query["properties"]["leiCode"] == ["5493001KJTIIGC8Y1R12"]
    assert rows[4].error is not None and "schema" in rows[4].error
    assert count_rows(path) == 5


def test_csv_unknown_column_and_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,dob\nJane,1970\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="unknown column"):
        list(read_rows(bad))
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ListFormatError, match="empty file"):
        list(read_rows(empty))


def test_csv_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name\nJos\xe9 Garc\xeda\n".encode("latin-1"))
    with pytest.raises(ListFormatError, match="UTF-8") as info:
        list(read_rows(path))
    assert info.value.where is not None and info.value.where.startswith("line")


def test_jsonl_broken_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "q1", "name": "Jane Doe"})
        + "\n{not json\n\n"
        + json.dumps(["a", "list"])
        + "\n"
        + json.dumps({"id": "q4", "name": "X", "dob": "1970"})
        + "\n"
        + json.dumps({"id": "q5", "identifiers": "G52FYPRL"})
        + "\n",
        encoding="utf-8",
    )
    rows = list(read_rows(path))
    assert [(r.row, r.where, r.error is None) for r in rows] == [
        (1, "line 1", True),
        (2, "line 2", False),
        (3, "line 4", False),
        (4, "line 5", False),
        (5, "line 6", True),
    ]


def test_parquet_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table({"id": ["p1", "p2"], "name": ["Jane Doe", None], "birth_date": [1970, None]})
    pq.write_table(table, path)
    rows = list(read_rows(path))
    assert rows[0].query is not None
    assert rows[0].query["properties"]["birthDate"] == ["1970"]
    assert rows[1].error is not None and rows[1].where == "row 2"
    assert count_rows(path) == 2


def test_not_parquet_and_unknown_suffix(tmp_path: Path) -> None:
    fake = tmp_path / "fake.parquet"
    fake.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="Parquet"):
        list(read_rows(fake))
    with pytest.raises(ListFormatError, match="suffix"):
        read_rows(tmp_path / "in.xlsx")
