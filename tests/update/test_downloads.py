"""The downloads folder: manifest, fingerprint, promotion, lock."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from clearance.errors import ConfigError
from clearance.store.fingerprint import files_sha256
from clearance.update.downloads import (
    FileRecord,
    combined_sha256,
    link_or_copy,
    locked,
    promote,
    read_manifest,
    write_manifest,
)
from clearance.update.fetch import Validators


def test_fingerprint_agrees_with_the_store(lists_dir: Path) -> None:
    folder = lists_dir / "ofac_sdn/2023-12-28_jackdwyer+watchman"
    names = ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    shas = {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}
    assert combined_sha256(shas) == files_sha256([folder])
    one = {"sdn.csv": shas["sdn.csv"]}
    assert combined_sha256(one) == files_sha256([folder / "sdn.csv"]) == shas["sdn.csv"]


def test_fingerprint_ignores_order_but_not_names() -> None:
    a = {"x.csv": "1" * 64, "y.csv": "2" * 64}
    assert combined_sha256(a) == combined_sha256(dict(reversed(a.items())))
    assert combined_sha256(a) != combined_sha256({"x.csv": "2" * 64, "y.csv": "1" * 64})


def test_manifest_round_trip(tmp_path: Path) -> None:
    records = {
        "sdn.csv": FileRecord.of(Validators('"e1"', "Thu, 02 May 2024 10:00:00 GMT"), "a" * 64, 5),
        "add.csv": FileRecord(None, None, "b" * 64, 7),
    }
    path = tmp_path / "current.json"
    write_manifest(path, records)
    assert read_manifest(path) == records
    assert read_manifest(path)["sdn.csv"].validators() == Validators(
        '"e1"', "Thu, 02 May 2024 10:00:00 GMT"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["current.json"]


def test_unreadable_manifest_trusts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "current.json"
    assert read_manifest(path) == {}
    for text in ("{", "[]", '{"files": {"a": {"etag": 1}}}', '{"files": 3}'):
        path.write_text(text)
        assert read_manifest(path) == {}


def test_promote_replaces_current(tmp_path: Path) -> None:
    current, incoming = tmp_path / "current", tmp_path / "incoming"
    current.mkdir()
    (current / "old.csv").write_text("old")
    incoming.mkdir()
    (incoming / "new.csv").write_text("new")
    promote(incoming, current)
    assert [p.name for p in current.iterdir()] == ["new.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current"]


def test_link_or_copy_keeps_content(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("data")
    link_or_copy(tmp_path / "a", tmp_path / "b")
    (tmp_path / "a").unlink()
    assert (tmp_path / "b").read_text() == "data"


def test_second_holder_of_the_lock_is_refused(tmp_path: Path) -> None:
    refused = pytest.raises(ConfigError, match="another update of us_ofac_sdn is running")
    with locked(tmp_path / "us_ofac_sdn"), refused, locked(tmp_path / "us_ofac_sdn"):
        pass
    with locked(tmp_path / "us_ofac_sdn"):  # released again
        pass
