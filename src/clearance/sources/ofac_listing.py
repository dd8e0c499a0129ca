"""Writing OFAC facts onto FollowTheMoney entities, shared by the OFAC XML parsers.

A :class:`Listing` holds the entities made for one OFAC record (the listed entity, its Sanction,
and Identification / CryptoWallet entities). :func:`apply_label` puts a value labelled with an
OFAC idType / feature name where :func:`~clearance.sources.ofac_xml_labels.classify` says;
:func:`apply_remarks` reads a remarks text with the CSV remarks parser and applies it the same
way; :func:`apply_provisions` words sanction measures exactly as the CSV parser does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from followthemoney.proxy import EntityProxy

from clearance.model import make_entity, parse_date, parse_date_range
from clearance.sources.base import ListMeta
from clearance.sources.ofac_remarks import Remarks, parse_remarks
from clearance.sources.ofac_xml_labels import LabelRule, classify, clean_imo, crypto_currency


@dataclass
class Listing:
    """The entities made for one OFAC record: the listed entity, its Sanction, and the rest."""

    entity: EntityProxy
    sanction: EntityProxy
    meta: ListMeta
    record: str
    extra: list[EntityProxy] = field(default_factory=list)


def apply_label(
    listing: Listing,
    label: str,
    value: str,
    *,
    key: str | int | None = None,
    country: str | None = None,
    issued: str | None = None,
    expires: str | None = None,
) -> LabelRule:
    """Put a value labelled ``label`` where :func:`classify` says; ``key`` numbers extra ids."""
    rule = classify(label)
    entity = listing.entity
    suffix = key if key is not None else len(listing.extra) + 1
    if rule.target == "entity" and rule.prop:
        add_checked(listing, rule.prop, _convert(rule.prop, value), label)
    elif rule.target == "identification":
        if rule.prop and entity.schema.get(rule.prop) is not None:
            entity.add(rule.prop, value)
        ident = make_entity("Identification", f"{entity.id}-id-{suffix}")
        ident.add("holder", entity.id)
        ident.add("number", value)
        ident.add("type", label)
        ident.add("country", country, quiet=True)
        ident.add("startDate", parse_date(issued))
        ident.add("endDate", parse_date(expires))
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
        wallet = make_entity("CryptoWallet", f"{entity.id}-wallet-{suffix}")
        wallet.add("publicKey", value)
        wallet.add("currency", crypto_currency(label))
        wallet.add("holder", entity.id)
        listing.extra.append(wallet)
    else:
        entity.add("notes", f"{label}: {value}")
    return rule


def apply_provisions(listing: Listing, remarks: Remarks) -> None:
    """Sanction measures, directives, statements and dates of parsed remarks, worded as the CSV
    parser words them (``Executive Order 13662 Directive 4``, ``CAATSA Section 235: Sec. ...``)."""
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
    if prop in ("birthDate", "incorporationDate", "buildDate"):
        return parse_date_range(value) or [value]
    if prop == "gender":
        return [value.lower()]
    if prop == "imoNumber":
        return [clean_imo(value)]
    return [value]


def _no_value(value: str) -> bool:
    return value.strip().lower() in ("none identified", "unknown", "undetermined")


def add_checked(listing: Listing, prop: str, values: list[str], label: str | None = None) -> None:
    """Add values to ``prop``; what the schema lacks or FtM refuses goes to notes (warned)."""
    entity = listing.entity
    prop_ = entity.schema.get(prop)
    for item in values:
        if not item or (prop_ is not None and prop_.type.name == "country" and _no_value(item)):
            continue
        cleaned = prop_.type.clean(item, proxy=entity) if prop_ is not None else None
        if cleaned is not None:
            entity.add(prop, cleaned, cleaned=True)
            continue
        if prop == "phone":  # published forms like (98)(21)(66153220): keep as is
            entity.add(prop, item, cleaned=True)
            continue
        entity.add("notes", f"{label or prop}: {item}")
        if prop_ is not None:
            kind = prop_.type.name
            listing.meta.warn(f"record {listing.record}: {label or prop} {item!r} is not a {kind}")


def apply_remarks(listing: Listing, value: str) -> None:
    """A remarks text, parsed like the CSV remarks; what is not understood goes to notes.

    ``Linked To`` items are left to the caller (they need the names of the whole file).
    """
    remarks = parse_remarks(value)
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
    for alias in remarks.aliases:
        strong = "previousName" if alias.kind == "f.k.a." else "alias"
        listing.entity.add("weakAlias" if alias.weak else strong, alias.name)
    for n, doc in enumerate(remarks.id_docs, start=1):
        apply_label(
            listing,
            doc.kind,
            doc.number,
            key=f"remarks-{n}",
            country=doc.country,
            issued=doc.issued,
            expires=doc.expires,
        )
    for n, wallet in enumerate(remarks.crypto, start=1):
        label = f"Digital Currency Address - {wallet.label}"
        apply_label(listing, label, wallet.value, key=f"remarks-{n}")
    for feature in remarks.features:
        apply_label(listing, feature.label, feature.value)
    apply_provisions(listing, remarks)
    listing.entity.add("notes", [n for n in remarks.notes if "Linked To:" not in n])


__all__ = ["Listing", "add_checked", "apply_label", "apply_provisions", "apply_remarks"]
