"""docs/exposure.md stays in step with the catalogues it documents."""

from __future__ import annotations

from clearance.exposure.caatsa import caatsa_235
from clearance.exposure.programs import MEASURE_TYPES, catalogue
from clearance.settings import REPO_ROOT

DOC = REPO_ROOT / "docs" / "exposure.md"


def test_every_catalogued_program_is_documented() -> None:
    text = DOC.read_text("utf-8")
    rows = {line for line in text.splitlines() if line.startswith("| `")}
    for program in catalogue().programs:
        code = program.code.replace("|", "\\|")
        assert any(row.startswith(f"| `{code}`") and program.measure in row for row in rows), (
            program.authority.key,
            program.code,
        )


def test_measure_types_and_caatsa_measures_are_documented() -> None:
    text = DOC.read_text("utf-8")
    for measure in MEASURE_TYPES:
        assert f"| `{measure}` |" in text
    for number, caatsa in caatsa_235().items():
        assert f"| ({number}) | {caatsa.label} |" in text
