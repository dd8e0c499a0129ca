"""UK FCDO: the summary sheet as ODS and CSV (same content), the derived covyr set, bad input."""

from __future__ import annotations

import csv
import shutil
import zipfile
from functools import cache
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, read_head
from clearance.sources.uk_fcdo import UkFcdoDerivedParser, UkFcdoParser

FOLDER = "uk_fcdo/2025-08-11_JachymSRB"
ODS = f"{FOLDER}/FCDO_SL_Mon_Aug_11_2025.ods"
CSV = f"{FOLDER}/FCDO_SL_Mon_Aug_11_2025.converted.csv"
DERIVED = "uk_fcdo_derived/2026-05-13_covyr"
HEADER = "Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,Sanctions Imposed"  # noqa: E501
ROW = 'AAA0001,1,DOE John,Testland,Individual,UK,29-06-2012,"Asset freeze, Travel Ban"'


def _parse(path: Path) -> tuple[list[Emitted], ListMeta]:
    result = UkFcdoParser().parse(path)
    return list(result.entities), result.meta


@cache
def _real(path: Path) -> tuple[list[Emitted], ListMeta]:
    return _parse(path)


@cache
def _derived(path: Path) -> tuple[list[Emitted], ListMeta]:
    result = UkFcdoDerivedParser().parse(path)
    return list(result.entities), result.meta


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_counts(lists_dir: Path) -> None:
    rows = _csv_rows(lists_dir / CSV)  # independent pass
    assert len(rows) == 5302
    emitted, meta = _real(lists_dir / CSV)
    main = [e for e in emitted if e.entity.schema.name != "Sanction"]
    assert [e.record for e in main] == [r["Unique ID"] for r in rows]
    kinds = {"Individual": "Person", "Entity": "Organization", "Ship": "Vessel"}
    assert [e.entity.schema.name for e in main] == [kinds[r["Type"]] for r in rows]
    # two rows have a blank Name in the source (BEL0174, RUS1467): kept, with a warning
    assert sum(1 for r in rows if not r["Name"].strip()) == 2
    assert sum("has no name" in w for w in meta.warnings) == 2


def test_ods_equals_csv(lists_dir: Path) -> None:
    ods, _ = _real(lists_dir / ODS)
    converted, _ = _real(lists_dir / CSV)
    assert len(ods) == 2 * 5302
    assert [e.entity.to_dict() for e in ods] == [e.entity.to_dict() for e in converted]


def test_spot_check(lists_dir: Path) -> None:
    ents = {e.entity.id: e.entity for e in _real(lists_dir / ODS)[0]}
    person = ents["gb-fcdo-rus1988"]  # CSV line 4026, checked by eye
    assert person.schema.name == "Person"
    assert person.get("name") == ["SHCHERBAKOV Sergei Vladilenovich"]
    sanction = ents["gb-fcdo-rus1988-sanction"]
    assert sanction.get("program") == ["Russia"]
    assert sanction.get("listingDate") == ["2023-11-08"]
    assert sanction.get("authorityId") == ["RUS1988"]
    assert sorted(sanction.get("provisions")) == [
        "Asset freeze", "Director Disqualification Sanction", "Travel Ban",
        "Trust Services Sanctions",
    ]  # fmt: skip
    assert "OFSI Group ID: 16196" in sanction.get("summary")


def test_sniff(lists_dir: Path, tmp_path: Path) -> None:
    for name in (ODS, CSV):
        path = lists_dir / name
        assert UkFcdoParser.sniff(path, read_head(path))
    ofsi = lists_dir / "uk_hmt_ofsi/2016-02-12_opendatalabcz/conlist_partial.csv"
    assert not UkFcdoParser.sniff(ofsi, read_head(ofsi))
    other_zip = tmp_path / "x.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("content.xml", "<x>Unique ID Regime Name</x>")
    assert not UkFcdoParser.sniff(other_zip, read_head(other_zip))


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "fcdo.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_truncated_ods(tmp_path: Path, lists_dir: Path) -> None:
    path = tmp_path / "cut.ods"
    path.write_bytes((lists_dir / ODS).read_bytes()[:100_000])
    with pytest.raises(ListFormatError, match="ODS"):
        _parse(path)


def test_truncated_ods_content(tmp_path: Path, lists_dir: Path) -> None:
    path = tmp_path / "cut.ods"
    with zipfile.ZipFile(lists_dir / ODS) as source, zipfile.ZipFile(path, "w") as target:
        target.writestr("mimetype", source.read("mimetype"))
        target.writestr("content.xml", source.read("content.xml")[:500_000])
    with pytest.raises(ListFormatError) as err:
        _parse(path)
    assert err.value.where is not None and "content.xml line" in err.value.where


def test_truncated_csv(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, [HEADER, ROW, ROW.replace("0001", "0002") + ",x,y"]))
    assert err.value.where == "line 3"


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        _parse(path)


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "l1.csv"
    path.write_bytes(f"{HEADER}\n{ROW.replace('John', 'José')}\n".encode("latin-1"))
    with pytest.raises(ListFormatError, match="utf-8") as err:
        _parse(path)
    assert err.value.where == "line 2"


def test_other_format(lists_dir: Path) -> None:
    with pytest.raises(ListFormatError) as err:
        _parse(Path(__file__).parent / "fixtures" / "eu_fsf_v11_sample.csv")
    assert err.value.where == "field Unique ID"
    with pytest.raises(ListFormatError):  # a Windows-1252 OFSI file fails on its encoding
        _parse(lists_dir / "uk_hmt_ofsi/2016-02-12_opendatalabcz/conlist_partial.csv")


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, [HEADER.replace("Regime Name", "Regime"), ROW]))
    assert err.value.where == "field Regime Name"


def test_extra_column(tmp_path: Path) -> None:
    emitted, meta = _parse(_write(tmp_path, [HEADER + ",Colour", ROW + ",blue"]))
    assert any("Colour" in w for w in meta.warnings)
    assert emitted[0].entity.get("name") == ["DOE John"]


def test_duplicate_id(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, [HEADER, ROW, ROW]))
    assert err.value.where == "line 3"
    assert "duplicate Unique ID AAA0001" in err.value.message


def test_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="Spaceship"):
        _parse(_write(tmp_path, [HEADER, ROW.replace("Individual", "Spaceship")]))


# ---- derived covyr set ----


def test_derived_counts(lists_dir: Path) -> None:
    folder = lists_dir / DERIVED
    subjects = _csv_rows(folder / "subjects.csv")  # independent pass
    assert len(subjects) == 6046
    emitted, meta = _derived(folder)
    main = [e for e in emitted if e.entity.schema.name in ("Person", "Organization", "Vessel")]
    assert [e.record for e in main] == [s["unique_id"] for s in subjects]
    kinds = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
    assert [e.entity.schema.name for e in main] == [kinds[s["subject_type"]] for s in subjects]
    assert any("DERIVED" in w for w in meta.warnings)
    assert len(meta.files) == 4
    assert UkFcdoDerivedParser.sniff(folder, b"")
    assert UkFcdoDerivedParser.sniff(folder / "subjects.csv", read_head(folder / "subjects.csv"))
    assert not UkFcdoDerivedParser.sniff(lists_dir / FOLDER, b"")


def test_derived_spot_check(lists_dir: Path) -> None:
    ents = {e.entity.id: e.entity for e in _derived(lists_dir / DERIVED)[0]}
    org = ents["gb-fcdo-afg0001"]
    assert org.get("name") == ["HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE"]
    assert "Haji Alim Hawala" in org.get("alias")
    sanction = ents["gb-fcdo-afg0001-sanction"]
    assert sanction.get("unscId") == ["TAe.010"]
    assert sanction.get("listingDate") == ["2012-06-29"]
    dobs = {  # independent: the year/month/day columns joined by hand
        "-".join(p for p in (r["year"], r["month"], r["day"]) if p)
        for r in _csv_rows(lists_dir / DERIVED / "subject_dobs.csv")
        if r["unique_id"] == "AFG0006"
    }
    assert len(dobs) == 10 and "1969-06-04" in dobs
    assert set(ents["gb-fcdo-afg0006"].get("birthDate")) == dobs
    # AFG0012: the same tazkira number repeated in the table is one identifier
    assert sorted(ents["gb-fcdo-afg0012"].get("idNumber")) == ["2132370", "812673"]


def _copy_derived(tmp_path: Path, lists_dir: Path) -> Path:
    folder = tmp_path / "covyr"
    folder.mkdir()
    for name in ("subjects.csv", "subject_names.csv"):
        shutil.copy(lists_dir / DERIVED / name, folder / name)
    return folder


def test_derived_optional_tables_missing(tmp_path: Path, lists_dir: Path) -> None:
    folder = _copy_derived(tmp_path, lists_dir)
    result = UkFcdoDerivedParser().parse(folder)
    assert sum(1 for w in result.meta.warnings if "missing" in w) == 2
    assert sum(1 for e in result.entities if e.entity.schema.name == "Sanction") == 6046


def test_derived_duplicate_and_orphans(tmp_path: Path, lists_dir: Path) -> None:
    folder = _copy_derived(tmp_path, lists_dir)
    subjects = folder / "subjects.csv"
    lines = subjects.read_text("utf-8").splitlines()
    subjects.write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")
    with pytest.raises(ListFormatError, match="duplicate id AFG0001") as err:
        UkFcdoDerivedParser().parse(folder)
    assert err.value.where == f"line {len(lines) + 1}"
    subjects.write_text("\n".join(lines[:1] + lines[2:]) + "\n", "utf-8")
    with pytest.raises(ListFormatError, match="unknown unique_id 'AFG0001'") as err:
        UkFcdoDerivedParser().parse(folder)
    assert err.value.path.name == "subject_names.csv"


def test_derived_missing_column(tmp_path: Path, lists_dir: Path) -> None:
    folder = _copy_derived(tmp_path, lists_dir)
    names = folder / "subject_names.csv"
    names.write_text(names.read_text("utf-8").replace("full_name", "fullname", 1), "utf-8")
    with pytest.raises(ListFormatError) as err:
        UkFcdoDerivedParser().parse(folder)
    assert err.value.where == "field full_name"


# ---- full UK Sanctions List layout (hand-written sample; no real copy obtainable) ----

FULL = Path(__file__).parent / "fixtures" / "uk_fcdo_full_sample.csv"


def test_full_sample() -> None:
    assert UkFcdoParser.sniff(FULL, read_head(FULL))
    emitted, meta = _parse(FULL)
    assert meta.publication_date == "2025-08-11"
    assert meta.warnings == []
    ents = {e.entity.id: e.entity for e in emitted}
    person = ents["gb-fcdo-tst0001"]  # three name rows merged
    assert person.get("name") == ["Pavel Sergeyevich TESTOV"]
    assert sorted(person.get("alias")) == ["Pavel Sergeevich TESTOV", "Павел Сергеевич ТЕСТОВ"]
    assert person.get("weakAlias") == ["PASHA"]
    assert person.get("birthDate") == ["1965"]
    assert person.get("passportNumber") == ["753000111"]
    assert person.get("nationality") == ["ru"]
    sanction = ents["gb-fcdo-tst0001-sanction"]
    assert sanction.get("listingDate") == ["2022-03-15"]
    assert sanction.get("reason") == ["Involved in testing."]
    assert sorted(sanction.get("provisions")) == ["Asset freeze", "Travel Ban"]
    assert ents["gb-fcdo-tst0002"].get("registrationNumber") == ["1027700000000"]
    ship = ents["gb-fcdo-tst0003"]
    assert ship.schema.name == "Vessel"
    assert ship.get("imoNumber") == ["IMO9123453"]  # FtM normalises IMO numbers
    assert ship.get("flag") == ["pa"]
    assert len([e for e in emitted if e.entity.schema.name == "Sanction"]) == 3


def test_full_missing_column(tmp_path: Path) -> None:
    text = FULL.read_text("utf-8").replace("Designation Type", "Kind", 1)
    path = tmp_path / "full.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(ListFormatError) as err:
        _parse(path)
    assert err.value.where == "field Designation Type"


def test_full_conflicting_duplicate(tmp_path: Path) -> None:
    text = FULL.read_text("utf-8").replace("TST0002", "TST0001")
    path = tmp_path / "full.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(ListFormatError, match="duplicate Unique ID TST0001") as err:
        _parse(path)
    assert err.value.where == "line 6"


def test_derived_other_folder(lists_dir: Path) -> None:
    folder = lists_dir / FOLDER  # the summary sheet's folder: no subjects.csv
    with pytest.raises(ListFormatError, match="required table") as err:
        UkFcdoDerivedParser().parse(folder)
    assert err.value.path.name == "subjects.csv"


def test_derived_empty_table(tmp_path: Path, lists_dir: Path) -> None:
    folder = _copy_derived(tmp_path, lists_dir)
    (folder / "subject_names.csv").write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        UkFcdoDerivedParser().parse(folder)
