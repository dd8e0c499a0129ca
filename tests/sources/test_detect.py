"""Format detection across every parser: each real file is claimed by exactly the right parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.errors import ListFormatError, UnknownFormatError
from clearance.sources import parsers
from clearance.sources.base import read_head
from clearance.sources.detect import detect

# relative path under shared/data/lists -> expected format id
EXPECTED = {
    "ofac_sdn/2024-05-03_jackdwyer/sdn.csv": "ofac_sdn_csv",
    "ofac_sdn/2023-12-28_jackdwyer+watchman": "ofac_sdn_csv",
    "ofac_sdn/pip_format_2020-06_dfritsch1/sdn.pip": "ofac_sdn_csv",
    "ofac_cons/2025-12_watchman/cons_prim.csv": "ofac_cons_csv",
    "ofac_cons/2024-05-06_hebbd5/consolidated.xml": "ofac_xml",
    "ofac_cons/2020-03-17_radwo/cons_advanced.xml": "ofac_advanced_xml",
    "ofac_cons/2025-02_watchman/CONS_ENHANCED.ZIP": "ofac_enhanced_xml",
    "un_sc/2026-05-08_TuaMaley/un_sanctions.xml": "un_sc_xml",
    "un_sc/2017-07_DukeQIANSH/consolidated.xml": "un_sc_xml",
    "eu_fsf_legacy/2016-02-11_opendatalabcz/eu_fsf_v1_partial.xml": "eu_fsf_xml",
    "eu_fsf_legacy/2018-07-04_photoangell/EUSanctionsShort.csv": "eu_fsf_csv",
    "eu_fsf_derived/2026-08-22_tnrtnch/eu_fsf_sanctions.json": "eu_fsf_derived_json",
    "uk_fcdo/2025-08-11_JachymSRB/FCDO_SL_Mon_Aug_11_2025.ods": "uk_fcdo",
    "uk_hmt_ofsi/2018-04-13_photoangell/sanctionsconlist.csv": "uk_ofsi_csv",
    "uk_fcdo_derived/2026-05-13_covyr": "uk_fcdo_derived",
    "us_csl/2022-05_watchman/consolidated.csv.gz": "us_csl_csv",
    "us_bis_dpl/2023-11_watchman/dpl.txt": "bis_dpl",
    "canada_sema/2025-05_kebalkhadka/sema-lmes.xml": "ca_sema_xml",
    "au_dfat/2024-12_Stanux/regulation8_consolidated.xlsx": "au_dfat",
    "opensanctions/us_congress_senzing_watchman/us_congress_senzing.json": "senzing_json",
    "opensanctions/yente_fixtures/zala/entities.ftm.json": "ftm_json",
}


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_detects_real_file(lists_dir: Path, relpath: str) -> None:
    path = lists_dir / relpath
    assert path.exists(), f"missing shared file {path}"
    assert detect(path).format == EXPECTED[relpath]


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_exactly_one_parser_claims_each_file(lists_dir: Path, relpath: str) -> None:
    path = lists_dir / relpath
    head = b"" if path.is_dir() else read_head(path)
    claims = [p.format for p in parsers() if p.sniff(path, head)]
    assert claims == [EXPECTED[relpath]]


def test_every_parser_is_exercised() -> None:
    formats = {p.format for p in parsers()}
    assert set(EXPECTED.values()) <= formats
    assert formats == set(EXPECTED.values()), "add a real file for every parser"


def test_garbage_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(UnknownFormatError, match=r"noise\.bin"):
        detect(path)


def test_empty_and_missing_files_are_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ListFormatError, match=r"empty\.csv.*empty"):
        detect(empty)
    with pytest.raises(ListFormatError, match="no such file"):
        detect(tmp_path / "absent.xml")
