"""BIS Denied Persons List, the tab-separated text file of the Bureau of Industry and Security.

One row per (party, address): ``Name, Street_Address, City, State, Country, Postal_Code,
Effective_Date, Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation``, every cell
quoted. The file has no ids, so a party's id is a hash of its name and full address
(``us-bis-dpl-<sha1[:16]>``); a party listed at two addresses is two entities, as in the file.
Rows repeating the same name and address are merged into one entity (each is reported in the
warnings). Dates are US style ``MM/DD/YYYY`` except ``Last_Update`` (ISO). The file carries no
publication date. See docs/formats/us_trade.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from clearance.errors import ListFormatError
from clearance.model import Emitted, make_entity, parse_date
from clearance.sources.base import (
    ListMeta,
    ListParser,
    ParseResult,
    delimited_rows,
    header_cells,
)

PREFIX = "us-bis-dpl"
AUTHORITY = "Bureau of Industry and Security"
ADDRESS = ("Street_Address", "City", "State", "Postal_Code", "Country")
REQUIRED = ("Name", *ADDRESS, "Effective_Date", "Expiration_Date")
KNOWN = (*REQUIRED, "Standard_Order", "Last_Update", "Action", "FR_Citation")
DATES = (("startDate", "Effective_Date"), ("endDate", "Expiration_Date"))
_SPACE = re.compile(r"\s+")

Row = dict[str, str]


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def party_key(row: Row) -> str:
    """Name and full address, normalised: what identifies a party in a file without ids."""
    return "|".join(_norm(row[c]).upper() for c in ("Name", *ADDRESS))


def party_id(row: Row) -> str:
    """``us-bis-dpl-<hash>``: stable as long as the name and address are unchanged."""
    digest = hashlib.sha1(party_key(row).encode("utf-8")).hexdigest()[:16]
    return f"{PREFIX}-{digest}"


class BisDplParser(ListParser):
    format: ClassVar[str] = "bis_dpl"
    source: ClassVar[str] = "us_bis_denied"
    title: ClassVar[str] = "BIS Denied Persons List (tab-separated text)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        cells = header_cells(head, "\t")
        return {"Name", "Street_Address", "Effective_Date", "FR_Citation"} <= cells

    def parse(self, path: Path) -> ParseResult:
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        groups = self._read(path, meta)
        return ParseResult(meta, self._entities(groups, meta))

    def _read(self, path: Path, meta: ListMeta) -> dict[str, list[tuple[int, Row]]]:
        groups: dict[str, list[tuple[int, Row]]] = {}
        for line, row in delimited_rows(path, meta, REQUIRED, KNOWN, delimiter="\t"):
            if not row["Name"].strip():
                raise ListFormatError(path, f"line {line}", "empty Name")
            eid = party_id(row)
            if eid in groups:
                first = groups[eid][0][0]
                meta.warn(f"line {line}: same name and address as line {first}; merged")
            groups.setdefault(eid, []).append((line, row))
        if not groups:
            raise ListFormatError(path, None, "no records after the header")
        merged = sum(len(rows) - 1 for rows in groups.values())
        if merged:
            meta.warn(f"{merged} row(s) repeat an earlier name and address and were merged")
        return groups

    def _entities(
        self, groups: dict[str, list[tuple[int, Row]]], meta: ListMeta
    ) -> Iterator[Emitted]:
        for eid, rows in groups.items():
            entity = make_entity("LegalEntity", eid)
            entity.add("topics", "export.control")
            sanction = make_entity("Sanction", f"{eid}-sanction")
            sanction.add("entity", eid)
            sanction.add("authority", AUTHORITY)
            sanction.add("country", "us")
            sanction.add("program", "DPL")
            for line, row in rows:
                entity.add("name", _norm(row["Name"]))
                address = ", ".join(v for c in ADDRESS if (v := _norm(row[c])))
                entity.add("address", address or None)
                country = _norm(row["Country"])
                if country:
                    entity.add("country", country, quiet=True)
                    if not entity.get("country"):
                        meta.warn(f"line {line}: unknown country {country!r}")
                for prop, column in (
                    ("startDate", "Effective_Date"),
                    ("endDate", "Expiration_Date"),
                ):
                    text = _norm(row[column])
                    value = parse_date(text, month_first=True)
                    if text and value is None:
                        meta.warn(f"line {line}: {column} {text!r} is not a date")
                    sanction.add(prop, value)
                    if prop == "startDate":
                        sanction.add("listingDate", value)
                sanction.add("modifiedAt", parse_date(row.get("Last_Update")))
                sanction.add("provisions", _norm(row.get("Action", "")) or None)
                sanction.add("summary", _norm(row.get("FR_Citation", "")) or None)
            record = eid.removeprefix(f"{PREFIX}-")
            yield Emitted(entity, record)
            yield Emitted(sanction, record)
