"""CAATSA section 235: the twelve "menu" measures and the ones a listing imposes.

The catalogue of the twelve measures of section 235(a) (22 U.S.C. 9529(a)) is data
(``data/caatsa_235.yml``). OFAC publishes the measures imposed on a person in the listing remarks;
the parsers keep them in ``Sanction.provisions`` as ``"CAATSA Section 235: Sec. 235(a)(7)"`` (and
the CSL as ``"FOREIGN EXCHANGE. Sec. 235(a)(7), CAATSA Section 235 Information"``).
:func:`caatsa_measures` finds the measure numbers in such texts and describes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

#: "235(a)(7)", "Sec 235(a)(7)", "Sec. 235 (a) (12)"
_REFERENCE = re.compile(r"\b235\s*\(\s*a\s*\)\s*\(\s*(\d{1,2})\s*\)")


@dataclass(frozen=True, slots=True)
class CaatsaMeasure:
    """One of the twelve measures of CAATSA section 235(a)."""

    number: int
    label: str
    title: str
    meaning: str
    blocking: bool = False

    @property
    def section(self) -> str:
        return f"235(a)({self.number})"


@dataclass(frozen=True, slots=True)
class UnknownCaatsaMeasure:
    """A section 235(a) reference outside 1-12, kept with the text it came from."""

    number: int
    text: str

    @property
    def section(self) -> str:
        return f"235(a)({self.number})"


def load_measures(text: str) -> dict[int, CaatsaMeasure]:
    """The measure catalogue from YAML text; it must hold exactly the measures 1 to 12."""
    data = yaml.safe_load(text)
    out: dict[int, CaatsaMeasure] = {}
    for number, raw in data["measures"].items():
        out[int(number)] = CaatsaMeasure(
            number=int(number),
            label=str(raw["label"]),
            title=str(raw["title"]),
            meaning=str(raw["meaning"]),
            blocking=bool(raw.get("blocking", False)),
        )
    if sorted(out) != list(range(1, 13)):
        raise ValueError(f"CAATSA 235 catalogue must hold measures 1-12, has {sorted(out)}")
    return out


@cache
def caatsa_235() -> dict[int, CaatsaMeasure]:
    """The catalogue shipped with clearance (``data/caatsa_235.yml``), by measure number."""
    path = resources.files("clearance.exposure") / "data" / "caatsa_235.yml"
    return load_measures(path.read_text("utf-8"))


def measure_numbers(text: str) -> list[int]:
    """The section 235(a) paragraph numbers referenced in ``text``, in order of appearance."""
    return [int(m.group(1)) for m in _REFERENCE.finditer(text)]


def caatsa_measures(
    provisions: Iterable[str],
) -> list[CaatsaMeasure | UnknownCaatsaMeasure]:
    """The section 235 measures named in a listing's provisions, each once, by number.

    Only texts that mention section 235 count (an E.O. 13846 ``Sec. 5(a)(ii)`` is not one);
    a number outside 1-12 is returned as :class:`UnknownCaatsaMeasure`, not dropped.
    """
    catalogue = caatsa_235()
    found: dict[int, CaatsaMeasure | UnknownCaatsaMeasure] = {}
    for text in provisions:
        for number in measure_numbers(text):
            if number in found:
                continue
            known = catalogue.get(number)
            found[number] = known if known is not None else UnknownCaatsaMeasure(number, text)
    return [found[n] for n in sorted(found)]


__all__ = [
    "CaatsaMeasure",
    "UnknownCaatsaMeasure",
    "caatsa_235",
    "caatsa_measures",
    "load_measures",
    "measure_numbers",
]
