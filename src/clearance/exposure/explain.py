"""What a listing means for a deal: authority, program, kind of measure, secondary-sanctions
risk, CAATSA section 235 measures, listing date, and a one-line summary.

:func:`explain_sanctions` takes one listed entity's Sanction entities (FollowTheMoney proxies or
their JSON dicts, as the parsers emit them) and returns an :class:`Exposure`. It is pure: the
program and CAATSA catalogues are data shipped with clearance.

The kind of measure of a listing is decided, most specific first, by: a whole-list code (the US
Consolidated Screening List's ``SDN``, ``SSI``, ``EL``, ...); the list the record came from (every
OFAC SDN entry is blocked; a non-SDN entry is sectoral when it names directives, menu-based when it
names CAATSA 235 or executive-order measures, blocking only if the measures include blocking);
the UK's stated measures ("Asset freeze" or not); and finally the programs' catalogued measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from clearance.exposure.caatsa import CaatsaMeasure, UnknownCaatsaMeasure, caatsa_measures
from clearance.exposure.programs import MEASURE_TYPES, ProgramInfo, UnknownProgram, catalogue

_DIRECTIVE = re.compile(r"\bDirective\s+\d", re.IGNORECASE)
#: "Executive Order 13662 Directive 1" (OFAC parsers), "Subject to Directive 1, ..." (CSL)
_DIRECTIVE_NAME = re.compile(r"^(?:Executive Order \d+ Directive \d\w*$|Subject to Directive \d)")
_EO_MEASURE = re.compile(r"^Executive Order \d+: ", re.IGNORECASE)
_SECONDARY = re.compile(r"secondary sanction", re.IGNORECASE)
_ASSET_FREEZE = re.compile(r"asset freeze", re.IGNORECASE)
#: datasets (ListParser.source) whose every record is a blocking listing / a non-SDN listing
SDN_DATASETS = frozenset({"us_ofac_sdn"})
NON_SDN_DATASETS = frozenset({"us_ofac_cons"})


@dataclass(frozen=True, slots=True)
class ListingExposure:
    """One listing (one Sanction entity) explained."""

    sanction_id: str | None
    authority: str | None
    programs: tuple[ProgramInfo | UnknownProgram, ...]
    measure_type: str
    secondary_sanctions: tuple[str, ...]
    directives: tuple[str, ...]
    caatsa_235: tuple[CaatsaMeasure | UnknownCaatsaMeasure, ...]
    other_provisions: tuple[str, ...]
    listing_date: str | None
    reason: str | None
    summary: str

    @property
    def is_blocking(self) -> bool:
        return self.measure_type == "blocking"


@dataclass(frozen=True, slots=True)
class Exposure:
    """Every listing of one entity, explained, with the unknown program codes reported."""

    entity: str | None
    listings: tuple[ListingExposure, ...]
    unknown_programs: tuple[UnknownProgram, ...]
    summary: str

    @property
    def is_blocked(self) -> bool:
        return any(item.is_blocking for item in self.listings)

    @property
    def measure_types(self) -> tuple[str, ...]:
        found = {item.measure_type for item in self.listings}
        return tuple(m for m in MEASURE_TYPES if m in found)


def _props(sanction: Any) -> tuple[str | None, Mapping[str, list[str]]]:
    if isinstance(sanction, Mapping):
        return sanction.get("id"), sanction.get("properties") or {}
    return sanction.id, sanction.to_dict()["properties"]


def _dataset_hint(dataset: str | None, urls: list[str]) -> str | None:
    """``"sdn"``, ``"non_sdn"`` or None, from the dataset id or OFAC's file URL."""
    if dataset in SDN_DATASETS:
        return "sdn"
    if dataset in NON_SDN_DATASETS:
        return "non_sdn"
    for url in urls:
        low = url.lower()
        if "/consolidated/" in low or "cons_" in low or "consolidated.xml" in low:
            return "non_sdn"
        if "sdn" in low:
            return "sdn"
    return None


def _strongest(measures: Iterable[str]) -> str | None:
    found = set(measures)
    return next((m for m in MEASURE_TYPES if m in found), None)


def _measure_type(
    programs: list[ProgramInfo],
    provisions: list[str],
    caatsa: list[CaatsaMeasure | UnknownCaatsaMeasure],
    hint: str | None,
) -> str:
    lists = [p.measure for p in programs if p.is_list]
    if lists:
        return _strongest(lists) or "other"
    defaults = [p.measure for p in programs]
    ofac = any(p.authority.key == "ofac" for p in programs)
    if ofac and hint == "sdn":
        return "blocking"
    if ofac and hint == "non_sdn":
        if caatsa:
            return "blocking" if any(getattr(m, "blocking", False) for m in caatsa) else "menu"
        if any(_DIRECTIVE.search(p) for p in provisions):
            return "sectoral"
        if any(_EO_MEASURE.match(p) for p in provisions):
            return "menu"
        return _strongest(m for m in defaults if m != "blocking") or "other"
    if caatsa and not any(getattr(m, "blocking", False) for m in caatsa) and hint != "sdn":
        return "menu"
    strongest = _strongest(defaults) or "other"
    uk = any(p.authority.jurisdiction == "GB" for p in programs)
    freeze = any(_ASSET_FREEZE.search(p) for p in provisions)
    if uk and strongest == "blocking" and provisions and not freeze:
        return "other"
    return strongest


def _listing_summary(item: ListingExposure) -> str:
    codes = ", ".join(p.code for p in item.programs) or "no program given"
    words = f"{item.authority or 'unknown authority'} [{codes}]: {item.measure_type}"
    if item.directives:
        words += "; " + ", ".join(item.directives)
    if item.caatsa_235:
        words += "; CAATSA 235 " + ", ".join(
            f"(a)({m.number}) {getattr(m, 'title', 'unknown measure')}" for m in item.caatsa_235
        )
    if item.secondary_sanctions:
        words += "; secondary sanctions risk"
    if item.listing_date:
        words += f"; listed {item.listing_date}"
    return words


def explain_listing(sanction: Any, dataset: str | None = None) -> ListingExposure:
    """Explain one Sanction entity (FtM proxy or dict). ``dataset`` is the source id
    (``us_ofac_sdn``, ``us_ofac_cons``, ...) when known; OFAC's file URL is used otherwise."""
    sid, props = _props(sanction)
    authority = next(iter(props.get("authority") or []), None)
    cat = catalogue()
    programs = tuple(cat.resolve(code, authority) for code in props.get("program") or [])
    provisions = list(props.get("provisions") or [])
    caatsa = caatsa_measures(p for p in provisions if "235" in p)
    known = [p for p in programs if isinstance(p, ProgramInfo)]
    hint = _dataset_hint(dataset, list(props.get("sourceUrl") or []))
    measure = _measure_type(known, provisions, caatsa, hint)
    secondary = tuple(p for p in provisions if _SECONDARY.search(p))
    directives = tuple(p for p in provisions if _DIRECTIVE_NAME.match(p) and p not in secondary)
    caatsa_texts = {p for p in provisions if caatsa and "235" in p}
    other = tuple(
        p
        for p in provisions
        if p not in secondary and p not in directives and p not in caatsa_texts
    )
    dates = sorted(props.get("listingDate") or props.get("startDate") or [])
    reasons = props.get("reason") or []
    item = ListingExposure(
        sanction_id=sid,
        authority=authority,
        programs=programs,
        measure_type=measure,
        secondary_sanctions=secondary,
        directives=directives,
        caatsa_235=tuple(caatsa),
        other_provisions=other,
        listing_date=dates[0] if dates else None,
        reason="; ".join(reasons) if reasons else None,
        summary="",
    )
    return _with_summary(item)


def _with_summary(item: ListingExposure) -> ListingExposure:
    return replace(item, summary=_listing_summary(item))


def explain_sanctions(
    sanctions: Iterable[Any], entity: str | None = None, dataset: str | None = None
) -> Exposure:
    """Explain all listings of one entity; the summary leads with the most severe measure.

    Each item is a Sanction entity, or a pair ``(sanction, dataset)`` when the listings come
    from several lists (OFAC's SDN and non-SDN files share ids, e.g. ``ofac-18782-sanction``);
    ``dataset`` applies to items given without one.
    """
    listings = tuple(
        explain_listing(item[0], item[1])
        if isinstance(item, tuple)
        else explain_listing(item, dataset)
        for item in sanctions
    )
    unknown = tuple(p for item in listings for p in item.programs if isinstance(p, UnknownProgram))
    if not listings:
        summary = "no listing"
    else:
        worst = _strongest(item.measure_type for item in listings) or "other"
        head = {
            "blocking": "BLOCKED",
            "sectoral": "sectoral restrictions",
            "menu": "menu-based sanctions",
            "export_control": "export-control listing",
            "debarment": "debarred",
            "other": "restrictions",
        }[worst]
        summary = f"{head}: " + " | ".join(item.summary for item in listings)
        if unknown:
            summary += " | unknown programs: " + ", ".join(p.code for p in unknown)
    return Exposure(entity, listings, unknown, summary)


__all__ = ["Exposure", "ListingExposure", "explain_listing", "explain_sanctions"]
