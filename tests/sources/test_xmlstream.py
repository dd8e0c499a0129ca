"""Root sniffing from head bytes, ZIP-wrapped XML, and lxml errors turned into ListFormatError."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.sources.base import read_head
from clearance.sources.xmlstream import (
    check_root,
    has_root,
    iter_records,
    open_xml,
    root_tag,
    text,
    xml_head,
)


def test_sniffing_tells_the_xml_schemas_apart(lists_dir: Path) -> None:
    roots = {
        "ofac_cons/2024-05-06_hebbd5/consolidated.xml": "sdnList",
        "ofac_cons/2020-03-17_radwo/cons_advanced.xml": "Sanctions",
        "un_sc/2017-07_DukeQIANSH/consolidated.xml": "CONSOLIDATED_LIST",
    }
    for name, root in roots.items():
        found = root_tag(read_head(lists_dir / name, 1024))
        assert found is not None and found[1] == root, name
    eu_head = b'<?xml version="1.0"?>\n<!-- x -->\n<export xmlns="urn:x">'
    assert root_tag(eu_head) == ("urn:x", "export")
    assert root_tag(b"\xef\xbb\xbf<p:sdnList xmlns:p='u'>") == ("u", "sdnList")
    assert root_tag("<?xml version='1.0' encoding='UTF-16'?><sdnList>".encode("utf-16")) == (
        "",
        "sdnList",
    )
    assert root_tag(b"ent_num,SDN_Name\n") is None


@given(st.binary(max_size=300))
def test_root_tag_never_raises(head: bytes) -> None:
    found = root_tag(head)
    assert found is None or isinstance(found[1], str)


def test_has_root_reads_head_or_zip(tmp_path: Path) -> None:
    plain = tmp_path / "list.xml"
    plain.write_bytes(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c --><p:sdnList xmlns:p='u'/>")
    assert has_root(plain, read_head(plain), "sdnList")
    assert not has_root(plain, read_head(plain), "Sanctions")
    wrapped = tmp_path / "list.zip"
    with zipfile.ZipFile(wrapped, "w") as archive:
        archive.writestr("inner.xml", "<CONSOLIDATED_LIST dateGenerated='2024-01-01'/>")
    assert has_root(wrapped, read_head(wrapped), "CONSOLIDATED_LIST")
    csv_file = tmp_path / "list.csv"
    csv_file.write_bytes(b"ent_num,SDN_Name\n")
    assert not has_root(csv_file, read_head(csv_file), "sdnList")


def test_zip_of_one_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "list.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("LIST.XML", "<root><rec><a> x  y </a></rec><rec/></root>")
    assert root_tag(xml_head(path, read_head(path))) == ("", "root")
    assert check_root(path, ["root"]) == ("", "root")
    assert [text(r, "a") for r in iter_records(path, ["rec"])] == ["x y", None]


def test_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert xml_head(path, path.read_bytes()) == b""
    with pytest.raises(ListFormatError, match="broken ZIP"):
        open_xml(path)


def test_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<root>\n<rec>1</rec>\n<rec>2</oops>\n</root>\n")
    with pytest.raises(ListFormatError, match=r"line 3\b"):
        list(iter_records(path, ["rec"]))
