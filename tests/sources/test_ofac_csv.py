"""OFAC legacy CSV/PIP sets: counts checked independently, entries checked by eye, bad input."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.sources.base import ParseResult, read_head
from clearance.sources.detect import detect
from clearance.sources.ofac_csv import OfacConsCsvParser, OfacSdnCsvParser

SDN_0503 = "ofac_sdn/2024-05-03_jackdwyer/sdn.csv"
SDN_TRIO = "ofac_sdn/2023-12-28_jackdwyer+watchman"
SDN_PIP = "ofac_sdn/pip_format_2020-06_dfritsch1"
CONS_2512 = "ofac_cons/2025-12_watchman"
TYPES = {"Person": "individual", "Vessel": "vessel", "Airplane": "aircraft", "Organization": "-0-"}


class Loaded:
    """One parsed publication, entities kept by id."""

    def __init__(self, result: ParseResult) -> None:
        self.meta = result.meta
        self.records: Counter[str] = Counter()
        self.by_id: dict[str, EntityProxy] = {}
        for emitted in result.entities:
            assert emitted.entity.id not in self.by_id, f"duplicate id {emitted.entity.id}"
            self.by_id[str(emitted.entity.id)] = emitted.entity
            self.records[emitted.record] += 1

    def schema_counts(self) -> Counter[str]:
        return Counter(e.schema.name for e in self.by_id.values())

    def main(self) -> list[EntityProxy]:
        return [e for e in self.by_id.values() if e.schema.name in TYPES]


def _raw_rows(path: Path, sep: str = ",") -> list[list[str]]:
    """Independent count: the stdlib csv module on the raw text, data rows only."""
    text = path.read_bytes().decode("ascii").replace("\x1a", "")
    return [r for r in csv.reader(io.StringIO(text), delimiter=sep) if r and r[0].isdigit()]


@pytest.fixture(scope="module")
def sdn_0503(lists_dir: Path) -> Loaded:
    return Loaded(OfacSdnCsvParser().parse(lists_dir / SDN_0503))


@pytest.fixture(scope="module")
def sdn_trio(lists_dir: Path) -> Loaded:
    return Loaded(OfacSdnCsvParser().parse(lists_dir / SDN_TRIO))


@pytest.fixture(scope="module")
def sdn_pip(lists_dir: Path) -> Loaded:
    return Loaded(OfacSdnCsvParser().parse(lists_dir / SDN_PIP / "sdn.pip"))


@pytest.fixture(scope="module")
def cons_2512(lists_dir: Path) -> Loaded:
    return Loaded(OfacConsCsvParser().parse(lists_dir / CONS_2512))


def _check_counts(loaded: Loaded, rows: list[list[str]]) -> None:
    raw = Counter(r[2].strip() for r in rows)
    counts = loaded.schema_counts()
    assert {s: counts[s] for s in TYPES} == {s: raw[t] for s, t in TYPES.items()}
    assert counts["Sanction"] == len(rows)
    assert {e.id for e in loaded.main()} == {f"ofac-{r[0]}" for r in rows}


def test_sdn_2024_05_03_counts(lists_dir: Path, sdn_0503: Loaded) -> None:
    rows = _raw_rows(lists_dir / SDN_0503)
    assert len(rows) == 14965  # MANIFEST.md: 14,965 entries
    _check_counts(sdn_0503, rows)
    counts = sdn_0503.schema_counts()
    assert (counts["Person"], counts["Vessel"], counts["Airplane"]) == (6854, 851, 376)
    assert any("add.csv not found" in w for w in sdn_0503.meta.warnings)
    assert any("alt.csv not found" in w for w in sdn_0503.meta.warnings)


def test_sdn_trio_counts_and_sidecar_files(lists_dir: Path, sdn_trio: Loaded) -> None:
    folder = lists_dir / SDN_TRIO
    rows = _raw_rows(folder / "sdn.csv")
    assert len(rows) == 13821
    _check_counts(sdn_trio, rows)
    assert {p.name for p in sdn_trio.meta.files} == {
        "sdn.csv",
        "add.csv",
        "alt.csv",
        "sdn_comments.csv",
    }

    # every alt.csv name is an alias or previous name of its record (FtM collapses white space
    # and strips enclosing quotes, so compare the letters)
    def key(ent: str, name: str) -> tuple[str, str]:
        return ent, "".join(c for c in name if c.isalnum())

    alt = {key(r[0], r[3]) for r in _raw_rows(folder / "alt.csv")}
    kept = {
        key(str(e.id).removeprefix("ofac-"), n)
        for e in sdn_trio.main()
        for n in e.get("alias") + e.get("previousName")
    }
    assert len(alt) > 16000
    assert alt <= kept
    fka = sum(1 for r in _raw_rows(folder / "alt.csv") if r[2] == "fka")
    assert sum(len(e.get("previousName")) for e in sdn_trio.main()) >= fka > 0
    # the three comment rows whose ent_num is not in this sdn.csv are reported
    assert any("3 comment rows" in w for w in sdn_trio.meta.warnings)


def test_banco_nacional_de_cuba(sdn_trio: Loaded) -> None:
    # sdn.csv: 306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",... ,"a.k.a. 'BNC'."
    bnc = sdn_trio.by_id["ofac-306"]
    assert bnc.schema.name == "Organization"
    assert bnc.get("name") == ["BANCO NACIONAL DE CUBA"]
    assert bnc.get("weakAlias") == ["BNC"]
    assert "BNC" not in bnc.get("alias")
    assert bnc.get("alias") == ["NATIONAL BANK OF CUBA"]  # alt.csv 306,220,"aka"
    assert "Zweierstrasse 35, Zurich CH-8022, Switzerland" in bnc.get("address")
    assert set(bnc.get("country")) == {"ch", "es", "jp", "pa"}
    sanction = sdn_trio.by_id["ofac-306-sanction"]
    assert sanction.get("entity") == ["ofac-306"]
    assert sanction.get("program") == ["CUBA"]
    assert sanction.get("authority") == ["Office of Foreign Assets Control"]


def test_caatsa_235_measures(sdn_0503: Loaded) -> None:
    edd = sdn_0503.by_id["ofac-24837"]
    assert edd.get("name") == ["EQUIPMENT DEVELOPMENT DEPARTMENT"]
    provisions = sdn_0503.by_id["ofac-24837-sanction"].get("provisions")
    assert sorted(provisions) == sorted(
        f"CAATSA Section 235: Sec. 235(a)({n})" for n in (2, 7, 8, 12, 9)
    )
    li = sdn_0503.by_id["ofac-24838"]  # LI, Shangfu: DOB 01 Feb 1958 to 28 Feb 1958
    assert li.get("birthDate") == ["1958-02"]
    assert (li.get("lastName"), li.get("firstName")) == (["LI"], ["Shangfu"])
    assert li.get("citizenship") == ["cn"]
    link = sdn_0503.by_id["ofac-24838-link-ofac-24837"]
    assert link.get("subject") == ["ofac-24838"] and link.get("object") == ["ofac-24837"]


def test_vessel_and_person_details(sdn_0503: Loaded) -> None:
    fortuna = sdn_0503.by_id["ofac-30823"]  # "FORTUNA","vessel",...,"UBDP8",...,"Russia"
    assert fortuna.schema.name == "Vessel"
    assert fortuna.get("callSign") == ["UBDP8"]
    assert fortuna.get("flag") == ["ru"]
    assert fortuna.get("imoNumber") == ["IMO8674156"]
    # 27200,"ST. VITAMIN","vessel",...,"Pleasure Craft",...,"Beratex Group Limited"
    vitamin = sdn_0503.by_id["ofac-27200"]
    assert vitamin.get("type") == ["Pleasure Craft"] and vitamin.get("flag") == ["vc"]
    assert vitamin.get("owner") == ["ofac-27194"]  # 27194,"BERATEX GROUP LIMITED"
    korobov = sdn_0503.by_id["ofac-21328"]  # Passport 100119726 (Russia); alt. Passport ...
    assert sorted(korobov.get("passportNumber")) == ["100115101", "100119726"]
    assert korobov.get("position") == ["Chief of GRU"]
    ident = sdn_0503.by_id["ofac-21328-id-1"]
    assert ident.get("holder") == ["ofac-21328"]
    assert ident.get("type") == ["Passport"] and ident.get("country") == ["ru"]


def test_links_point_at_emitted_entities(sdn_0503: Loaded) -> None:
    links = [e for e in sdn_0503.by_id.values() if e.schema.name == "UnknownLink"]
    assert len(links) > 5000
    for link in links:
        assert link.get("object")[0] in sdn_0503.by_id
        assert link.get("subject")[0] in sdn_0503.by_id
    for e in sdn_0503.by_id.values():
        for prop in ("holder", "entity"):
            for target in e.get(prop, quiet=True):
                assert target in sdn_0503.by_id


def test_overflow_from_comments_file(sdn_trio: Loaded) -> None:
    # ent 17018's remarks stop at 1,000 characters inside "Listing Date (EO 14024 Directive 3)";
    # sdn_comments.csv continues with ": 24 Feb 2022; Effective Date ...; Registration Number ..."
    sber = sdn_trio.by_id["ofac-17018"]
    assert "1027700132195" in sber.get("registrationNumber")
    assert "1027700132195" in sber.get("ogrnCode")
    provisions = sdn_trio.by_id["ofac-17018-sanction"].get("provisions")
    assert "Effective Date (EO 14024 Directive 3): 2022-03-26" in provisions
    assert "Executive Order 13662 Directive 1" in provisions
    assert (
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR "
        "589.201 and/or 589.209"
    ) in provisions


def test_pip_set(lists_dir: Path, sdn_pip: Loaded) -> None:
    rows = _raw_rows(lists_dir / SDN_PIP / "sdn.pip", "|")
    assert len(rows) == 8224
    _check_counts(sdn_pip, rows)
    counts = sdn_pip.schema_counts()
    assert (counts["Person"], counts["Vessel"], counts["Airplane"]) == (4215, 392, 277)
    assert "add.pip" in {p.name for p in sdn_pip.meta.files}
    assert sdn_pip.by_id["ofac-306"].get("weakAlias") == ["BNC"]


def test_cons_2025_12(lists_dir: Path, cons_2512: Loaded) -> None:
    rows = _raw_rows(lists_dir / CONS_2512 / "cons_prim.csv")
    assert len(rows) == 442
    _check_counts(cons_2512, rows)
    assert cons_2512.meta.source == "us_ofac_cons"
    martelly = next(e for e in cons_2512.main() if "Sweet Micky" in e.get("weakAlias"))
    assert "MARTELLY, Michael" in martelly.get("alias")  # cons_alt.csv 50476,78896


@pytest.mark.parametrize(
    ("folder", "parser", "expected"),
    [
        # MANIFEST.md: 7,379 entries (individual 3845, vessel 323, aircraft 217, entity 2994)
        ("ofac_sdn/2019-01_watchman", OfacSdnCsvParser, 7379),
        # MANIFEST.md: 639 entries (individual 94, vessel 74, aircraft 0, entity 471)
        ("ofac_cons/2018-05_perchrh", OfacConsCsvParser, 639),
    ],
)
def test_older_sets(
    lists_dir: Path, folder: str, parser: type[OfacSdnCsvParser], expected: int
) -> None:
    main = next(p for p in (lists_dir / folder).iterdir() if p.name in ("sdn.csv", "cons_prim.csv"))
    rows = _raw_rows(main)
    assert len(rows) == expected
    loaded = Loaded(parser().parse(lists_dir / folder))
    _check_counts(loaded, rows)
    if "2019" in folder:  # the copy lost its last line break and add.csv ends in "-0"
        assert any("add.csv: last record" in w for w in loaded.meta.warnings)
        last = loaded.by_id["ofac-26235"]
        assert not any("-0" in n for n in last.get("notes"))


def test_detect(lists_dir: Path) -> None:
    assert detect(lists_dir / SDN_TRIO) is OfacSdnCsvParser
    assert detect(lists_dir / SDN_0503) is OfacSdnCsvParser
    assert detect(lists_dir / SDN_PIP / "sdn.pip") is OfacSdnCsvParser
    assert detect(lists_dir / CONS_2512) is OfacConsCsvParser
    assert detect(lists_dir / CONS_2512 / "cons_prim.csv") is OfacConsCsvParser


def test_sniff(lists_dir: Path) -> None:
    sdn = lists_dir / SDN_0503
    assert OfacSdnCsvParser.sniff(sdn, read_head(sdn))
    assert not OfacConsCsvParser.sniff(sdn, read_head(sdn))
    pip = lists_dir / SDN_PIP / "sdn.pip"
    assert OfacSdnCsvParser.sniff(pip, read_head(pip))
    cons = lists_dir / CONS_2512 / "cons_prim.csv"
    assert OfacConsCsvParser.sniff(cons, read_head(cons))
    assert not OfacSdnCsvParser.sniff(cons, read_head(cons))
    assert OfacSdnCsvParser.sniff(lists_dir / SDN_TRIO, b"")
    assert OfacConsCsvParser.sniff(lists_dir / CONS_2512, b"")
    un = lists_dir / "un_sc/2026-05-08_TuaMaley/un_sanctions.xml"
    assert not OfacSdnCsvParser.sniff(un, read_head(un))
    add = lists_dir / SDN_TRIO / "add.csv"
    assert not OfacSdnCsvParser.sniff(add, read_head(add))


def test_renamed_files_are_told_apart_by_program_tags(lists_dir: Path, tmp_path: Path) -> None:
    for source, parser in (
        (SDN_0503, OfacSdnCsvParser),
        (f"{CONS_2512}/cons_prim.csv", OfacConsCsvParser),
    ):
        copy = tmp_path / "download.csv"
        copy.write_bytes((lists_dir / source).read_bytes())
        head = read_head(copy)
        assert parser.sniff(copy, head)
        assert any("not named" in w for w in parser().parse(copy).meta.warnings)
        other = OfacConsCsvParser if parser is OfacSdnCsvParser else OfacSdnCsvParser
        assert not other.sniff(copy, head)


# --- bad input ----------------------------------------------------------------------------------

GOOD = (
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "\"a.k.a. 'BNC'.\"\r\n"
)


def _write(tmp_path: Path, data: bytes | str, name: str = "sdn.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("ascii") if isinstance(data, str) else data)
    return path


def _load(path: Path) -> Loaded:
    return Loaded(OfacSdnCsvParser().parse(path))


def test_small_file_without_sidecars(tmp_path: Path) -> None:
    loaded = _load(_write(tmp_path, GOOD + "\x1a"))
    assert loaded.by_id["ofac-306"].get("weakAlias") == ["BNC"]
    assert len(loaded.main()) == 2


def test_truncated_file_mid_record(lists_dir: Path, tmp_path: Path) -> None:
    data = (lists_dir / SDN_0503).read_bytes()
    cut = data.index(b'"BANCO NACIONAL DE CUBA') + 10  # inside a quoted name on line 3
    with pytest.raises(ListFormatError, match=r"sdn\.csv, line 3: malformed record"):
        _load(_write(tmp_path, data[:cut]))
    cut = data.index(b'"BANCO NACIONAL DE CUBA",-0- ,') + 30  # just after `,-0- ,`: 4 fields
    with pytest.raises(ListFormatError, match=r"line 3: expected 12 fields .* found 4"):
        _load(_write(tmp_path, data[:cut]))


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    data = (GOOD + GOOD.replace("36,", "37,").replace("306,", "307,")).encode("ascii")
    data = data.replace(b"AEROCARIBBEAN", "AÉROCARIBBEAN".encode("latin-1"), 2)
    with pytest.raises(ListFormatError, match=r"line 1: not valid utf-8"):
        _load(_write(tmp_path, data))
    utf16 = _write(tmp_path, GOOD.encode("utf-16"), "sdn.csv")
    with pytest.raises(ListFormatError):
        _load(utf16)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="empty"):
        _load(_write(tmp_path, b""))
    with pytest.raises(ListFormatError, match="empty"):
        _load(_write(tmp_path, b"\x1a\r\n"))


def test_file_of_another_format(lists_dir: Path, tmp_path: Path) -> None:
    un = (lists_dir / "un_sc/2026-05-08_TuaMaley/un_sanctions.xml").read_bytes()
    with pytest.raises(ListFormatError, match="line 1"):
        _load(_write(tmp_path, un))


def test_extra_and_unknown_columns(tmp_path: Path) -> None:
    extra = GOOD.replace("-0- \r\n", "-0- ,-0- \r\n", 1)
    with pytest.raises(ListFormatError, match=r"line 1: expected 12 fields .* found 13"):
        _load(_write(tmp_path, extra))
    header = (
        "Ent_num|SDN_name|SDN_Type|Program|Title|Call_Sign|Vess_type|Tonnage|GRT|"
        "Vess_flag|Vess_owner|Secret\r\n"
    )
    pip = header + GOOD.replace(",", "|")
    with pytest.raises(ListFormatError, match="line 1: unexpected columns"):
        _load(_write(tmp_path, pip, "sdn.pip"))


def test_duplicate_ent_num(tmp_path: Path) -> None:
    data = GOOD + GOOD.splitlines(keepends=True)[1]
    with pytest.raises(ListFormatError, match=r"line 3: duplicate ent_num 306 .*line 2"):
        _load(_write(tmp_path, data))


def test_non_numeric_ent_num(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match=r"line 2: ent_num 'x306' is not a number"):
        _load(_write(tmp_path, GOOD.replace("306,", "x306,")))


def test_bad_sidecar_file_is_named(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    _write(tmp_path, '306,199,"Zweierstrasse 35","Zurich"\r\n', "add.csv")
    with pytest.raises(ListFormatError, match=r"add\.csv, line 1: expected 6 fields"):
        _load(tmp_path)


# --- property: any well-formed set written the OFAC way reads back -------------------------------

_TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40
).filter(lambda t: any(c.isalnum() for c in t) and t.strip() != "-0-")


@given(
    names=st.lists(_TEXT, min_size=1, max_size=8),
    pipe=st.booleans(),
    header=st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_written_sets_read_back(names: list[str], pipe: bool, header: bool) -> None:
    import tempfile

    sep = "|" if pipe else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if header:
        writer.writerow(
            [
                "Ent_num",
                "SDN_name",
                "SDN_Type",
                "Program",
                "Title",
                "Call_Sign",
                "Vess_type",
                "Tonnage",
                "GRT",
                "Vess_flag",
                "Vess_owner",
                "Remarks",
            ]
        )
    for n, name in enumerate(names, start=1):
        writer.writerow(
            [
                str(n),
                name,
                "individual" if n % 2 else "-0-",
                "SDGT] [IFSR",
                "-0-",
                "-0-",
                "-0-",
                "-0-",
                "-0-",
                "-0-",
                "-0-",
                f"a.k.a. '{name}'.",
            ]
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("sdn.pip" if pipe else "sdn.csv")
        path.write_bytes(out.getvalue().encode("ascii") + b"\x1a")
        loaded = _load(path)
    assert len(loaded.main()) == len(names)
    for n, name in enumerate(names, start=1):
        entity = loaded.by_id[f"ofac-{n}"]
        assert entity.schema.name == ("Person" if n % 2 else "Organization")
        assert entity.get("name") == [registry.name.clean(name)]  # FtM drops enclosing quotes
        assert loaded.by_id[f"ofac-{n}-sanction"].get("program") == ["SDGT", "IFSR"]
