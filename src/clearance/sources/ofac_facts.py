"""The facts of one OFAC record as typed values: what :mod:`clearance.sources.ofac_remarks` reads
from a remarks string (dates, identifiers, aliases, sanction measures ...), before
:mod:`clearance.sources.ofac_listing` writes them onto FollowTheMoney entities. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DateFact:
    """A date as published (``circa 1958``, ``01 Feb 1958 to 28 Feb 1958``) and its ISO values."""

    text: str
    values: tuple[str, ...]
    circa: bool = False


@dataclass(frozen=True, slots=True)
class IdDoc:
    """An identifier: ``kind`` is OFAC's label (``Passport``), ``category`` our grouping."""

    kind: str
    number: str
    category: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None
    extra: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    kind: str  # "a.k.a." | "f.k.a." | "n.k.a."
    weak: bool


@dataclass(frozen=True, slots=True)
class Measure:
    """A sanction measure and its section: CAATSA ``Sec. 235(a)(7)``, EO 13846 ``Sec. 5(a)(ii)``."""

    authority: str
    title: str
    section: str


@dataclass(frozen=True, slots=True)
class Directive:
    order: str  # executive order number, "13662" / "14024"
    directive: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledValue:
    label: str
    value: str


@dataclass
class Remarks:
    """Everything one remarks string says, sorted by kind; ``notes`` keeps what was not parsed."""

    birth_dates: list[DateFact] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    id_docs: list[IdDoc] = field(default_factory=list)
    crypto: list[LabelledValue] = field(default_factory=list)  # label = currency (XBT, ETH)
    websites: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    statements: list[LabelledValue] = field(default_factory=list)  # sanctions statements
    sanction_dates: list[LabelledValue] = field(default_factory=list)
    features: list[LabelledValue] = field(default_factory=list)  # vessel, aircraft, org facts
    links: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: int = 0
    generic_ids: int = 0

    @property
    def recognised(self) -> int:
        return self.items - len(self.notes)


__all__ = ["Alias", "DateFact", "Directive", "IdDoc", "LabelledValue", "Measure", "Remarks"]
