"""The shared helpers of list parsers: header sniffing and column checks of delimited files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.sources.base import ListMeta, check_columns, delimited_rows, header_cells


def _meta(path: Path) -> ListMeta:
    return ListMeta(source="test", format="test", files=[path])


def test_header_cells_first_line_only() -> None:
    head = b'\xef\xbb\xbf"Name"\t Street_Address \tCity\r\n"x"\t"y"\t"z"\n'
    assert header_cells(head, "\t") == {"Name", "Street_Address", "City"}
    assert header_cells(b"a,b,c\n1,2,3\n") == {"a", "b", "c"}
    assert header_cells(b"a;b\n") == {"a;b"}  # another delimiter is one cell


@given(st.binary(max_size=200))
def test_header_cells_never_raises(head: bytes) -> None:
    assert isinstance(header_cells(head), set)


@given(st.lists(st.text(alphabet="abcXYZ_ ", min_size=1, max_size=8), min_size=1, max_size=6))
def test_header_cells_round_trip(names: list[str]) -> None:
    line = ",".join(f'"{n}"' for n in names).encode() + b"\n1,2\n"
    assert header_cells(line) == set(names)  # spaces inside quotes are kept


def test_check_columns_missing_names_first_field(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    with pytest.raises(ListFormatError) as err:
        check_columns(path, ["name", "x"], ["name", "type", "id"], ["name"], _meta(path))
    assert "field type" in str(err.value)
    assert "['type', 'id']" in str(err.value)
    assert str(path) in str(err.value)


def test_check_columns_warns_unknown(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    meta = _meta(path)
    check_columns(path, ["name", "extra", "type"], ["name"], ["name", "type"], meta)
    assert meta.warnings == ["unknown column 'extra' ignored"]


def test_delimited_rows_skip_blank_and_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b'\xef\xbb\xbfname,type\n"A, B",x\n\n,\nname , type\nC,y\n')
    meta = _meta(path)
    rows = list(delimited_rows(path, meta, ["name"], ["name", "type"], skip_repeated_header=True))
    assert rows == [(2, {"name": "A, B", "type": "x"}), (6, {"name": "C", "type": "y"})]
    assert meta.warnings == ["line 5: header row repeated; skipped"]


def test_delimited_rows_keeps_repeated_header_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    path.write_bytes(b"name\ttype\nname\ttype\n")
    rows = list(delimited_rows(path, _meta(path), ["name"], ["name", "type"], delimiter="\t"))
    assert rows == [(2, {"name": "name", "type": "type"})]


@pytest.mark.parametrize(
    ("content", "where"),
    [(b"name,type\nA,x\nB\n", "line 3"), (b'name,type\nA,x\n"B,y\n', "line 3")],
)
def test_delimited_rows_refuses_bad_rows(tmp_path: Path, content: bytes, where: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(ListFormatError) as err:
        list(delimited_rows(path, _meta(path), ["name"], ["name", "type"]))
    assert where in str(err.value)
