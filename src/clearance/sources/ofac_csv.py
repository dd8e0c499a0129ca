"""OFAC's legacy delimited files: the SDN set and the non-SDN consolidated set, CSV or PIP.

A publication is up to four files in one folder (OFAC data specification, cons_dat_spec.txt):

* main: ``sdn.csv`` / ``cons_prim.csv`` — ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
  Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks (12 columns, no header);
* ``add.csv`` / ``cons_add.csv`` — ent_num, add_num, address, city/state/postal code, country,
  remarks; ``alt.csv`` / ``cons_alt.csv`` — ent_num, alt_num, alt_type (aka/fka/nka), name,
  remarks; ``sdn_comments.csv`` / ``cons_comments.csv`` — ent_num and the continuation of a
  remarks field cut at 1,000 characters.

The ``.pip`` variant uses ``|``. The tables are read by :mod:`clearance.sources.ofac_tables`.
The path given may be the main file or its folder; add/alt/comments are read from the same
folder when present (their absence is recorded as a warning).

Each record becomes a Person/Organization/Vessel/Airplane ``ofac-<ent_num>`` with a Sanction, and
the remarks (:mod:`clearance.sources.ofac_remarks`) become properties, Identification,
CryptoWallet and UnknownLink entities ("Linked To" names resolved within the same file), written
by :mod:`clearance.sources.ofac_listing` exactly as the XML parsers write the same facts.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, ListParser, ParseResult
from clearance.sources.ofac_links import link, name_key
from clearance.sources.ofac_listing import (
    Listing,
    add_checked,
    add_name,
    add_programs,
    apply_label,
    apply_remarks,
    country_code,
    new_listing,
)
from clearance.sources.ofac_remarks import join_overflow, linked_names, parse_remarks
from clearance.sources.ofac_tables import (
    ADD_COLUMNS,
    ALT_COLUMNS,
    COMMENT_COLUMNS,
    MAIN_COLUMNS,
    Row,
    Table,
    clean,
    find,
    programs,
    read_table,
)

_SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
#: program tags only found on the non-SDN consolidated list
_CONS_PROGRAMS = ("SSI", "NS-", "FSE-", "561-", "CMIC", "PLC")
_VESSEL_LABELS = (
    "Vessel Call Sign",
    "Vessel Type",
    "Vessel Tonnage",
    "Vessel Gross Registered Tonnage",
    "Vessel Flag",
)


class _OfacCsvParser(ListParser):
    main_stem: ClassVar[str]
    add_stem: ClassVar[str]
    alt_stem: ClassVar[str]
    comments_stem: ClassVar[str]
    source_url: ClassVar[str]

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        try:
            if path.is_dir():
                return any(find(path, (f"{cls.main_stem}.{ext}",)) for ext in ("csv", "pip"))
            lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
            if lines and lines[0].lower().startswith("ent_num"):
                lines = lines[1:]
            if not lines:
                return False
            sep = "|" if lines[0].count("|") >= 11 else ","
            first = next(csv.reader([lines[0]], delimiter=sep))
            if not (len(first) == 12 and first[0].strip().isdigit() and "-0-" in lines[0]):
                return False
            return cls._is_mine(path.name.lower(), lines, sep)
        except (OSError, csv.Error, StopIteration, IndexError):
            return False

    @classmethod
    def _is_mine(cls, name: str, lines: list[str], sep: str) -> bool:
        """Same layout for both lists: decide by file name, else by the program tags."""
        if name.startswith(("cons", "sdn")):
            return name.startswith(cls.main_stem.split("_")[0])
        cons = 0
        for row in csv.reader(lines[:200], delimiter=sep):
            if len(row) == 12 and any(t.startswith(_CONS_PROGRAMS) for t in programs(row[3])):
                cons += 1
        return (cons > 0) == (cls.main_stem == "cons_prim")

    def _files(self, path: Path) -> tuple[Path, str]:
        if path.is_dir():
            for ext in ("csv", "pip"):
                found = find(path, (f"{self.main_stem}.{ext}",))
                if found is not None:
                    return found, ext
            raise ListFormatError(path, None, f"no {self.main_stem}.csv or .pip in this folder")
        if not path.is_file():
            raise ListFormatError(path, None, "no such file")
        ext = path.suffix.lower().lstrip(".")
        return path, "pip" if ext == "pip" else "csv"

    def parse(self, path: Path) -> ParseResult:
        main, ext = self._files(path)
        sep = "|" if ext == "pip" else ","
        meta = ListMeta(source=self.source, format=self.format, files=[main])
        table = read_table(main, MAIN_COLUMNS, sep, meta)
        extra: dict[str, Table | None] = {"add": None, "alt": None, "comments": None}
        if main.name.lower().split(".")[0] != self.main_stem:
            meta.warn(
                f"{main.name} is not named {self.main_stem}.{ext}: add/alt/comments files "
                "of the folder were not read (they may belong to another publication)"
            )
            return ParseResult(meta, _Builder(self, meta, table, extra).entities())
        for key, stem, cols in (
            ("add", self.add_stem, ADD_COLUMNS),
            ("alt", self.alt_stem, ALT_COLUMNS),
            ("comments", self.comments_stem, COMMENT_COLUMNS),
        ):
            found = find(main.parent, (f"{stem}.{ext}",))
            if found is None:
                extra[key] = None
                if key != "comments":
                    meta.warn(
                        f"{stem}.{ext} not found next to {main.name}: "
                        f"{'addresses' if key == 'add' else 'strong aliases'} missing"
                    )
                continue
            meta.files.append(found)
            extra[key] = read_table(found, cols, sep, meta)
        builder = _Builder(self, meta, table, extra)
        return ParseResult(meta, builder.entities())


class _Builder:
    """Turns the rows of one publication into FollowTheMoney entities."""

    def __init__(
        self, parser: _OfacCsvParser, meta: ListMeta, main: Table, extra: dict[str, Table | None]
    ) -> None:
        self.parser = parser
        self.meta = meta
        self.main = main
        self.by_ent: dict[str, Row] = {}
        for row in main.rows:
            ent = row.values[0].strip()
            if ent in self.by_ent:
                raise ListFormatError(
                    main.path,
                    f"line {row.line}",
                    f"duplicate ent_num {ent} (first on line {self.by_ent[ent].line})",
                )
            self.by_ent[ent] = row
        self.names: dict[str, list[str]] = defaultdict(list)
        for ent, row in self.by_ent.items():
            self.names[name_key(row.values[1])].append(ent)
        self.adds = self._group(extra.get("add"), "address")
        self.alts = self._group(extra.get("alt"), "alias")
        self.comments: dict[str, str] = {}
        for ent, rows in self._group(extra.get("comments"), "comment").items():
            self.comments[ent] = "".join(r.values[1] for r in rows)
        if extra.get("comments") is None:
            cut = sum(1 for r in main.rows if len(r.values[11]) >= 1000)
            if cut:
                meta.warn(
                    f"{cut} remarks reach 1,000 characters but no comments file was "
                    "found: they may be cut"
                )
        self.unresolved = 0

    def _group(self, table: Table | None, what: str) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = defaultdict(list)
        if table is None:
            return out
        orphans = 0
        for row in table.rows:
            ent = row.values[0].strip()
            if ent not in self.by_ent:
                orphans += 1
                continue
            out[ent].append(row)
        if orphans:
            self.meta.warn(
                f"{table.path.name}: {orphans} {what} rows name an ent_num that is "
                "not in the main file (ignored)"
            )
        return out

    def resolve(self, name: str) -> str | None:
        """The entity id of the one record with this primary name in the file, else None."""
        found = self.names.get(name_key(name), [])
        return f"ofac-{found[0]}" if len(found) == 1 else None

    def entities(self) -> Iterator[Emitted]:
        for ent, row in self.by_ent.items():
            yield from self._record(ent, row)
        if self.unresolved:
            self.meta.warn(
                f"{self.unresolved} 'Linked To' names did not resolve to one record "
                "of this file (kept in notes)"
            )

    def _record(self, ent: str, row: Row) -> Iterator[Emitted]:
        v = [clean(x) for x in row.values]
        schema = _SCHEMATA.get(v[2].lower())
        if schema is None:
            self.meta.warn(f"line {row.line}: unknown SDN_Type {v[2]!r}, read as LegalEntity")
            schema = "LegalEntity"
        if not v[1]:
            raise ListFormatError(self.main.path, f"line {row.line}", "SDN_Name is empty")
        listing = new_listing(schema, ent, self.meta)
        listing.resolve = self.resolve
        entity = listing.entity
        entity.add("name", v[1])
        if schema == "Person" and "," in v[1]:
            last, first = v[1].split(",", 1)
            entity.add("lastName", last.strip())
            entity.add("firstName", first.strip())
        titles = [t.strip() for t in v[4].split(";") if t.strip()]
        entity.add("position" if schema == "Person" else "notes", titles)
        add_programs(listing, programs(row.values[3]))
        listing.sanction.add("sourceUrl", self.parser.source_url, cleaned=True)
        for label, value in zip(_VESSEL_LABELS, v[5:10], strict=True):
            if value:
                apply_label(listing, label, value)
        if v[10] and not (
            (owner := self.resolve(v[10])) and add_checked(listing, "owner", [owner])
        ):
            entity.add("notes", f"Vessel Owner: {v[10]}")
        for add in self.adds.get(ent, []):
            self._address(listing, add)
        for alt in self.alts.get(ent, []):
            self._alias(listing, alt)
        text = join_overflow(row.values[11], self.comments.get(ent))
        remarks = parse_remarks(text, v[4])
        apply_remarks(listing, remarks)
        links: dict[str, Emitted] = {}
        eid = entity.id or ""
        for name in linked_names(text):
            target = self.resolve(name)
            if target is None or target == eid:
                self.unresolved += 1
                entity.add("notes", f"Linked To: {name}")
            elif target not in links:
                links[target] = link(eid, target, ent)
        yield from listing.emitted()
        yield from links.values()

    def _address(self, listing: Listing, row: Row) -> None:
        v = [clean(x) for x in row.values]
        parts = [p for p in v[2:5] if p]
        if parts:
            listing.entity.add("address", ", ".join(parts))
        if v[4] and (country := country_code(v[4])):
            listing.entity.add("country", country, cleaned=True)
        if v[5]:
            listing.entity.add("notes", f"Address ({', '.join(parts)}): {v[5]}")

    def _alias(self, listing: Listing, row: Row) -> None:
        v = [clean(x) for x in row.values]
        kind = v[2].lower().strip(".")
        if not v[3]:
            self.meta.warn(f"{row.line}: empty alias for ent_num {v[0]}")
            return
        if kind not in ("aka", "fka", "nka"):
            self.meta.warn(f"alias line {row.line}: unknown alt_type {v[2]!r}, read as aka")
        add_name(listing, v[3], kind=kind)
        if v[4]:
            listing.entity.add("notes", f"{v[3]}: {v[4]}")


class OfacSdnCsvParser(_OfacCsvParser):
    format: ClassVar[str] = "ofac_sdn_csv"
    source: ClassVar[str] = "us_ofac_sdn"
    title: ClassVar[str] = "OFAC SDN list, legacy CSV/PIP set (sdn, add, alt, sdn_comments)"
    main_stem: ClassVar[str] = "sdn"
    add_stem: ClassVar[str] = "add"
    alt_stem: ClassVar[str] = "alt"
    comments_stem: ClassVar[str] = "sdn_comments"
    source_url: ClassVar[str] = "https://www.treasury.gov/ofac/downloads/sdn.csv"


class OfacConsCsvParser(_OfacCsvParser):
    format: ClassVar[str] = "ofac_cons_csv"
    source: ClassVar[str] = "us_ofac_cons"
    title: ClassVar[str] = "OFAC non-SDN consolidated list, legacy CSV/PIP set (cons_prim, ...)"
    main_stem: ClassVar[str] = "cons_prim"
    add_stem: ClassVar[str] = "cons_add"
    alt_stem: ClassVar[str] = "cons_alt"
    comments_stem: ClassVar[str] = "cons_comments"
    source_url: ClassVar[str] = "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv"


__all__ = ["OfacConsCsvParser", "OfacSdnCsvParser"]
