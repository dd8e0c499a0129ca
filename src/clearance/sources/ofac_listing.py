"""Writing OFAC facts onto FollowTheMoney entities, for every OFAC format (CSV/PIP, sdn.xml,
ADVANCED and ENHANCED XML), so that one publication gives the same entities in any format.

A :class:`Listing` holds the entities made for one OFAC record: the listed entity
``ofac-<ent_num>``, its Sanction ``ofac-<ent_num>-sanction``, and Identification
(``-id-<n>``) / CryptoWallet (``-wallet-<n>``) entities numbered in the order they come.
:func:`apply_label` puts a value labelled with an OFAC label where
:func:`~clearance.sources.ofac_label_rules.classify` says; :func:`apply_remarks` applies parsed
remarks (:mod:`clearance.sources.ofac_remarks`) the same way; :func:`apply_provisions` words
sanction measures (``Executive Order 13662 Directive 4``, ``CAATSA Section 235: Sec. ...``).
"Linked To" names and relationships are resolved by the parsers (they need the whole file) and
become links made by :mod:`clearance.sources.ofac_links`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from clearance.model import Emitted, entity_id, make_entity, parse_date, parse_date_range
from clearance.sources.base import ListMeta
from clearance.sources.ofac_facts import Remarks
from clearance.sources.ofac_label_rules import (
    RULES,
    LabelRule,
    classify,
    clean_imo,
    crypto_currency,
)
from clearance.sources.ofac_remarks import parse_date_fact, parse_remarks

AUTHORITY = "Office of Foreign Assets Control"
PREFIX = "ofac"
_DATES = ("incorporationDate", "buildDate")
#: types whose values are kept as published when FtM refuses them
_KEEP_RAW = ("phone", "identifier")
_NUMBERED = (
    ("Identification", "id", ("type", "number", "country")),
    ("CryptoWallet", "wallet", ("currency", "publicKey")),
)
_NO_VALUE = ("none identified", "unknown", "undetermined")


@dataclass
class Listing:
    """The entities made for one OFAC record: the listed entity, its Sanction, and the rest.

    ``resolve`` finds the entity id of a name in the same file (for "Aircraft Operator").
    """

    entity: EntityProxy
    sanction: EntityProxy
    meta: ListMeta
    record: str
    extra: list[EntityProxy] = field(default_factory=list)
    resolve: Callable[[str], str | None] | None = None

    def emitted(self) -> Iterator[Emitted]:
        """All entities; Identification / CryptoWallet ids numbered in the order of their
        (type, number), so that every format of one publication gives the same ids."""
        for schema, suffix, props in _NUMBERED:
            made = [e for e in self.extra if e.schema.name == schema]
            made.sort(key=lambda e: [sorted(e.get(p)) for p in props])
            for n, entity in enumerate(made, start=1):
                entity.id = f"{self.entity.id}-{suffix}-{n}"
        for entity in (self.entity, self.sanction, *self.extra):
            yield Emitted(entity, self.record)

    def _next(self, schema: str) -> str:
        """A provisional id, renumbered by :meth:`emitted`."""
        n = 1 + sum(1 for e in self.extra if e.schema.name == schema)
        return f"{self.entity.id}-{schema.lower()}-{n}"


def new_listing(schema: str, record: str, meta: ListMeta) -> Listing:
    """The listed entity ``ofac-<record>`` (topic sanction) and its OFAC Sanction."""
    entity = make_entity(schema, entity_id(PREFIX, record))
    entity.add("topics", "sanction")
    sanction = make_entity("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("authorityId", record)
    sanction.add("country", "us")
    return Listing(entity, sanction, meta, record)


def add_programs(listing: Listing, programs: list[str]) -> None:
    """Program codes as published (``SDGT``, ``RUSSIA-EO14024``) on the entity and Sanction."""
    listing.entity.add("programId", programs)
    listing.sanction.add("program", programs)
    listing.sanction.add("programId", programs)


def add_name(listing: Listing, name: str, *, kind: str = "a.k.a.", weak: bool = False) -> None:
    """An alias: weak → weakAlias, ``f.k.a.`` → previousName, other strong names → alias."""
    strong = "previousName" if kind.lower().strip(".") in ("f.k.a", "fka") else "alias"
    listing.entity.add("weakAlias" if weak else strong, name)


def apply_label(
    listing: Listing,
    label: str,
    value: str,
    *,
    rule: LabelRule | None = None,
    country: str | None = None,
    issued: str | None = None,
    expires: str | None = None,
    summary: str | None = None,
) -> LabelRule:
    """Put a value labelled ``label`` where :func:`classify` (or ``rule``) says."""
    rule = rule or classify(label, value)
    entity = listing.entity
    if rule.target == "entity":
        add_first(listing, rule.props, _convert(rule.props[0], value), label)
    elif rule.target == "identification":
        if rule.props:
            add_first(listing, rule.props, [value], label, warn=False)
        _russian_codes(listing, rule, value, country)
        ident = make_entity("Identification", listing._next("Identification"))
        ident.add("holder", entity.id)
        ident.add("number", value)
        ident.add("type", label.strip())
        ident.add("country", country, quiet=True)
        if country and not ident.has("country"):
            ident.add("summary", country)
        ident.add("startDate", parse_date(issued))
        ident.add("endDate", parse_date(expires))
        ident.add("summary", summary)
        listing.extra.append(ident)
    elif rule.target == "provision":
        remarks = parse_remarks(f"{label.strip()} {value}")
        if remarks.notes:
            listing.sanction.add("provisions", f"{label.rstrip(' :-')}: {value}")
        else:
            apply_provisions(listing, remarks)
    elif rule.target == "url":
        listing.sanction.add("programUrl", value)
    elif rule.target == "crypto":
        wallet = make_entity("CryptoWallet", listing._next("CryptoWallet"))
        wallet.add("publicKey", value)
        wallet.add("currency", crypto_currency(label))
        wallet.add("holder", entity.id)
        wallet.add("topics", "sanction")
        listing.extra.append(wallet)
    else:
        entity.add("notes", f"{label.strip()}: {value}")
    return rule


def _russian_codes(listing: Listing, rule: LabelRule, value: str, country: str | None) -> None:
    """A Russian tax number of 10/12 digits is an INN, a registration number of 13/15 an OGRN."""
    if not value.isdigit() or country is None or listing.entity.schema.get("innCode") is None:
        return
    if country_code(country) != "ru":
        return
    if rule.props[:1] == ("taxNumber",) and len(value) in (10, 12):
        listing.entity.add("innCode", value)
    if rule.props[:1] == ("registrationNumber",) and len(value) in (13, 15):
        listing.entity.add("ogrnCode", value)


@lru_cache(maxsize=4096)
def country_code(country: str) -> str | None:
    """ISO code of a country as OFAC writes it ("Korea, North" → "kp"), cached."""
    return registry.country.clean(country)


def apply_provisions(listing: Listing, remarks: Remarks) -> None:
    """Sanction measures, directives, statements and dates of parsed remarks
    (``Executive Order 13662 Directive 4``, ``CAATSA Section 235: Sec. 235(a)(7)``)."""
    sanction = listing.sanction
    for m in remarks.measures:
        sanction.add("provisions", f"{m.authority}: {m.section}")
        sanction.add("description", f"{m.authority} Information: {m.title}. {m.section}")
    for d in remarks.directives:
        sanction.add("provisions", f"Executive Order {d.order} Directive {d.directive}")
        sanction.add("description", d.text)
    for s in remarks.statements + remarks.sanction_dates:
        sanction.add("provisions", f"{s.label}: {s.value}" if s.value != s.label else s.label)
    sanction.add("programUrl", remarks.links, quiet=True)


def _convert(prop: str, value: str) -> list[str]:
    if prop == "birthDate":
        return list(parse_date_fact(value).values) or [value]
    if prop in _DATES:
        return parse_date_range(value) or [value]
    if prop == "gender":
        return [value.lower()]
    if prop == "imoNumber":
        return [clean_imo(value)]
    if prop in ("tonnage", "grossRegisteredTonnage"):
        return [value.replace(",", "")]
    return [value]


def add_checked(listing: Listing, prop: str, values: list[str], label: str | None = None) -> bool:
    """Add values to ``prop``; what the schema lacks or FtM refuses goes to notes (warned)."""
    return add_first(listing, (prop,), values, label)


def add_first(
    listing: Listing,
    props: tuple[str, ...],
    values: list[str],
    label: str | None = None,
    *,
    warn: bool = True,
) -> bool:
    """Add each value to the first of ``props`` the schema has and FtM accepts; else to notes
    (with a warning when FtM refused it). True when every value was kept in a property."""
    entity = listing.entity
    kept_all = True
    for item in values:
        if not item:
            continue
        refused = None
        for prop in props:
            prop_ = entity.schema.get(prop)
            if prop_ is None:
                continue
            if prop_.type.name == "country" and item.strip().lower() in _NO_VALUE:
                break
            if prop_.type.name == "country":
                cleaned = country_code(item)  # cached: countries repeat, cleaning them is slow
            else:
                cleaned = prop_.type.clean(item, proxy=entity, format=prop_.format)
            if cleaned is None and prop_.type.name in _KEEP_RAW:
                cleaned = item.strip()  # as published: (98)(21)(66153220), SINAIRTH418
            if cleaned is not None:
                entity.add(prop, cleaned, cleaned=True)
                break
            refused = prop_
        else:
            kept_all = False
            if warn:
                entity.add("notes", f"{label or props[0]}: {item}")
            if warn and refused is not None:
                kind = refused.type.name
                listing.meta.warn(
                    f"record {listing.record}: {label or kind} {item!r} is not a {kind}"
                )
    return kept_all


def apply_remarks(listing: Listing, remarks: Remarks | str) -> None:
    """Parsed remarks onto the listing; what is not understood goes to notes. ``Linked To``
    items are left to the caller (they need the names of the whole file)."""
    if isinstance(remarks, str):
        remarks = parse_remarks(remarks)
    for fact in remarks.birth_dates:
        apply_label(listing, "Birthdate", fact.text)
    for label, values in (
        ("Place of Birth", remarks.birth_places),
        ("Nationality Country", remarks.nationalities),
        ("Citizenship Country", remarks.citizenships),
        ("Gender", remarks.genders),
        ("Website", remarks.websites),
        ("Email Address", remarks.emails),
        ("Phone Number", remarks.phones),
    ):
        for item in values:
            apply_label(listing, label, item)
    person = listing.entity.schema.is_a("Person")
    listing.entity.add("position" if person else "notes", remarks.titles)
    for alias in remarks.aliases:
        add_name(listing, alias.name, kind=alias.kind, weak=alias.weak)
    for doc in remarks.id_docs:
        apply_label(
            listing,
            doc.kind,
            doc.number,
            rule=RULES["other"] if doc.category == "other" else None,
            country=doc.country,
            issued=doc.issued,
            expires=doc.expires,
            summary=doc.extra,
        )
    for wallet in remarks.crypto:
        apply_label(listing, f"Digital Currency Address - {wallet.label}", wallet.value)
    for feature in remarks.features:
        operator = listing.resolve(feature.value) if listing.resolve else None
        if (
            feature.label == "Aircraft Operator"
            and operator
            and add_checked(listing, "operator", [operator])
        ):
            continue
        apply_label(listing, feature.label, feature.value)
    apply_provisions(listing, remarks)
    listing.entity.add("notes", [n for n in remarks.notes if "Linked To:" not in n])


__all__ = [
    "AUTHORITY",
    "PREFIX",
    "Listing",
    "add_checked",
    "add_first",
    "add_name",
    "add_programs",
    "apply_label",
    "apply_provisions",
    "apply_remarks",
    "country_code",
    "new_listing",
]
