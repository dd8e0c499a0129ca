"""OFAC's legacy delimited files: the SDN set and the non-SDN consolidated set, CSV or PIP.

A publication is up to four files in one folder (OFAC data specification, cons_dat_spec.txt):

* main: ``sdn.csv`` / ``cons_prim.csv`` — ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
  Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks (12 columns, no header);
* ``add.csv`` / ``cons_add.csv`` — ent_num, add_num, address, city/state/postal code, country,
  remarks; ``alt.csv`` / ``cons_alt.csv`` — ent_num, alt_num, alt_type (aka/fka/nka), name,
  remarks; ``sdn_comments.csv`` / ``cons_comments.csv`` — ent_num and the continuation of a
  remarks field cut at 1,000 characters.

``-0-`` is the null marker, records end with CR LF and the file with a DOS end-of-file byte
(0x1A). The ``.pip`` variant uses ``|`` and may start with a header line. The files OFAC publishes
are plain ASCII; UTF-8 is accepted, anything else is refused with the line of the first bad byte.
The path given may be the main file or its folder; add/alt/comments are read from the same
folder when present (their absence is recorded as a warning).

Each record becomes a Person/Organization/Vessel/Airplane ``ofac-<ent_num>`` with a Sanction, and
the remarks (:mod:`clearance.sources.ofac_remarks`) become properties, Identification,
CryptoWallet and UnknownLink entities ("Linked To" names resolved within the same file).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from clearance.errors import ListFormatError
from clearance.model import Emitted, make_entity, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, read_text
from clearance.sources.ofac_remarks import IdDoc, Remarks, join_overflow, parse_remarks

AUTHORITY = "Office of Foreign Assets Control"
MAIN_COLUMNS = (
    "ent_num",
    "sdn_name",
    "sdn_type",
    "program",
    "title",
    "call_sign",
    "vess_type",
    "tonnage",
    "grt",
    "vess_flag",
    "vess_owner",
    "remarks",
)
ADD_COLUMNS = (
    "ent_num",
    "add_num",
    "address",
    "citystateprovincepostalcode",
    "country",
    "add_remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
COMMENT_COLUMNS = ("ent_num", "remarks")
_HEADER_ALIASES = {"comment": "remarks", "comments": "remarks", "sdnname": "sdn_name"}
_SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
#: program tags only found on the non-SDN consolidated list
_CONS_PROGRAMS = ("SSI", "NS-", "FSE-", "561-", "CMIC", "PLC")
_TERMINATED = re.compile(r"[\r\n][\x1a\s]*\Z")
_DIGITS = re.compile(r"^\d+$")
# identifier category -> FtM properties to try on the listed entity, in order
_ID_PROPS: dict[str, tuple[str, ...]] = {
    "passport": ("passportNumber", "idNumber"),
    "national_id": ("idNumber",),
    "ssn": ("socialSecurityNumber", "idNumber"),
    "tax": ("taxNumber",),
    "vat": ("vatCode", "taxNumber"),
    "registration": ("registrationNumber",),
    "license": ("licenseNumber", "registrationNumber"),
    "uscc": ("uscCode", "registrationNumber"),
    "lei": ("leiCode",),
    "duns": ("dunsCode", "registrationNumber"),
    "bik": ("bikCode", "registrationNumber"),
    "swift": ("swiftBic",),
    "isin": ("isinCode",),
    "imo": ("imoNumber", "registrationNumber"),
    "mmsi": ("mmsi", "registrationNumber"),
    "other": ("idNumber", "registrationNumber"),
}
_NOT_DOCUMENTS = {"swift", "isin", "imo", "mmsi"}
_FEATURE_PROPS: dict[str, tuple[str, ...]] = {
    "Vessel Call Sign": ("callSign",),
    "Vessel Type": ("type",),
    "Vessel Flag": ("flag",),
    "Former Vessel Flag": ("pastFlags",),
    "Vessel Year of Build": ("buildDate",),
    "Aircraft Construction Number": ("serialNumber",),
    "Aircraft Manufacturer's Serial Number (MSN)": ("serialNumber",),
    "Aircraft Model": ("model",),
    "Aircraft Tail Number": ("registrationNumber",),
    "Previous Aircraft Tail Number": ("registrationNumber",),
    "Aircraft Manufacture Date": ("buildDate",),
    "Nationality of Registration": ("country",),
    "Organization Established Date": ("incorporationDate",),
    "Organization Type": ("sector",),
    "Target Type": ("classification",),
    "Equity Ticker": ("ticker",),
}


@dataclass
class _Row:
    line: int
    values: list[str]


@dataclass
class _Table:
    path: Path
    rows: list[_Row] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _country(text: str) -> str | None:
    """ISO code for a country name as OFAC writes it ("Korea, North" -> "kp"), cached."""
    return registry.country.clean(text)


def _clean(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def read_table(path: Path, columns: tuple[str, ...], delimiter: str, meta: ListMeta) -> _Table:
    """Read one delimited OFAC file; every record must have exactly ``len(columns)`` fields."""
    text = read_text(path, "utf-8").lstrip("\ufeff")
    terminated = bool(_TERMINATED.search(text))
    text = text.rstrip("\x1a\r\n\t ")
    if not text:
        raise ListFormatError(path, None, "file is empty")
    table = _Table(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if not table.rows and line == 1 and not _DIGITS.match(values[0].strip()):
                _check_header(path, values, columns)
                continue
            if len(values) != len(columns):
                raise ListFormatError(
                    path,
                    f"line {line}",
                    f"expected {len(columns)} fields ({', '.join(columns)}), found {len(values)}",
                )
            if not _DIGITS.match(values[0].strip()):
                raise ListFormatError(
                    path, f"line {line}", f"ent_num {values[0]!r} is not a number"
                )
            table.rows.append(_Row(line, values))
    except csv.Error as exc:
        raise ListFormatError(path, f"line {start}", f"malformed record: {exc}") from exc
    if not terminated and table.rows:
        last = table.rows[-1]
        meta.warn(f"{path.name}: last record (line {last.line}) has no line break; file cut?")
        tail = last.values[-1].strip()
        if tail and "-0-".startswith(tail):
            last.values[-1] = "-0-"
    return table


def _check_header(path: Path, values: list[str], columns: tuple[str, ...]) -> None:
    names = [re.sub(r"[^a-z_]", "", v.strip().lower()) for v in values]
    names = [_HEADER_ALIASES.get(n, n) for n in names]
    expected = [c.replace("_", "") for c in columns]
    if [n.replace("_", "") for n in names] != expected:
        raise ListFormatError(
            path,
            "line 1",
            f"unexpected columns {values!r}; expected {', '.join(columns)}",
        )


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    by_lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for name in names:
        if name in by_lower:
            return by_lower[name]
    return None


def _programs(value: str) -> list[str]:
    return [p.strip() for p in _clean(value).strip("[]").split("] [") if p.strip()]


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.upper()).strip(" .")


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
                return any(_find(path, (f"{cls.main_stem}.{ext}",)) for ext in ("csv", "pip"))
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
            if len(row) == 12 and any(t.startswith(_CONS_PROGRAMS) for t in _programs(row[3])):
                cons += 1
        return (cons > 0) == (cls.main_stem == "cons_prim")

    def _files(self, path: Path) -> tuple[Path, str]:
        if path.is_dir():
            for ext in ("csv", "pip"):
                found = _find(path, (f"{self.main_stem}.{ext}",))
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
        extra: dict[str, _Table | None] = {"add": None, "alt": None, "comments": None}
        if main.name.lower().split(".")[0] != self.main_stem:
            meta.warn(f"{main.name} is not named {self.main_stem}.{ext}: add/alt/comments files "
                      "of the folder were not read (they may belong to another publication)")
            return ParseResult(meta, _Builder(self, meta, table, extra).entities())
        for key, stem, cols in (
            ("add", self.add_stem, ADD_COLUMNS),
            ("alt", self.alt_stem, ALT_COLUMNS),
            ("comments", self.comments_stem, COMMENT_COLUMNS),
        ):
            found = _find(main.parent, (f"{stem}.{ext}",))
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
        self, parser: _OfacCsvParser, meta: ListMeta, main: _Table, extra: dict[str, _Table | None]
    ) -> None:
        self.parser = parser
        self.meta = meta
        self.main = main
        self.by_ent: dict[str, _Row] = {}
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
            self.names[_name_key(row.values[1])].append(ent)
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

    def _group(self, table: _Table | None, what: str) -> dict[str, list[_Row]]:
        out: dict[str, list[_Row]] = defaultdict(list)
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
        found = self.names.get(_name_key(name), [])
        return f"ofac-{found[0]}" if len(found) == 1 else None

    def entities(self) -> Iterator[Emitted]:
        for ent, row in self.by_ent.items():
            yield from self._record(ent, row)
        if self.unresolved:
            self.meta.warn(
                f"{self.unresolved} 'Linked To' names did not resolve to one record "
                "of this file (kept in notes)"
            )

    def _record(self, ent: str, row: _Row) -> Iterator[Emitted]:
        v = [_clean(x) for x in row.values]
        sdn_type = v[2].lower()
        schema = _SCHEMATA.get(sdn_type)
        if schema is None:
            self.meta.warn(f"line {row.line}: unknown SDN_Type {v[2]!r}, read as LegalEntity")
            schema = "LegalEntity"
        eid = f"ofac-{ent}"
        entity = make_entity(schema, eid)
        if not v[1]:
            raise ListFormatError(self.main.path, f"line {row.line}", "SDN_Name is empty")
        entity.add("name", v[1])
        entity.add("topics", "sanction")
        programs = _programs(row.values[3])
        entity.add("programId", programs)
        if schema == "Person" and "," in v[1]:
            last, first = v[1].split(",", 1)
            entity.add("lastName", last.strip())
            entity.add("firstName", first.strip())
        titles = [t.strip() for t in v[4].split(";") if t.strip()]
        self._add(entity, "position" if schema == "Person" else "notes", titles)
        self._vessel_columns(entity, v, row)
        for add in self.adds.get(ent, []):
            self._address(entity, add)
        for alt in self.alts.get(ent, []):
            self._alias(entity, alt)
        remarks = parse_remarks(join_overflow(row.values[11], self.comments.get(ent)), v[4])
        sanction = make_entity("Sanction", f"{eid}-sanction")
        sanction.add("entity", eid)
        sanction.add("authority", AUTHORITY)
        sanction.add("country", "us")
        sanction.add("program", programs)
        sanction.add("programId", programs)
        sanction.add("authorityId", ent)
        sanction.add("sourceUrl", self.parser.source_url, cleaned=True)
        extras = list(self._remarks(entity, sanction, remarks))
        yield Emitted(entity, ent)
        yield Emitted(sanction, ent)
        for other in extras:
            yield Emitted(other, ent)

    @staticmethod
    def _add(entity: EntityProxy, prop: str, values: str | list[str], raw: bool = False) -> bool:
        """Add when the schema has ``prop``; True if something was kept."""
        if prop not in entity.schema.properties:
            return False
        before = len(entity.get(prop))
        entity.add(prop, values, quiet=True)
        if raw and len(entity.get(prop)) == before:
            entity.add(prop, values, cleaned=True)
        return len(entity.get(prop)) > before

    def _vessel_columns(self, entity: EntityProxy, v: list[str], row: _Row) -> None:
        labels = ("Call Sign", "Vessel Type", "Tonnage", "GRT", "Vessel Flag", "Vessel Owner")
        props = ("callSign", "type", "tonnage", "grossRegisteredTonnage", "flag", "owner")
        for label, prop, value in zip(labels, props, v[5:11], strict=True):
            if not value:
                continue
            if prop == "owner":
                owner = self.resolve(value)
                if owner and self._add(entity, "owner", owner):
                    continue
            elif self._add(
                entity,
                prop,
                value.replace(",", "") if prop in ("tonnage", "grossRegisteredTonnage") else value,
            ):
                continue
            entity.add("notes", f"{label}: {value}")

    def _address(self, entity: EntityProxy, row: _Row) -> None:
        v = [_clean(x) for x in row.values]
        parts = [p for p in v[2:5] if p]
        if parts:
            entity.add("address", ", ".join(parts))
        if v[4]:
            country = _country(v[4])
            if country:
                entity.add("country", country, cleaned=True)
        if v[5]:
            entity.add("notes", f"Address ({', '.join(parts)}): {v[5]}")

    def _alias(self, entity: EntityProxy, row: _Row) -> None:
        v = [_clean(x) for x in row.values]
        kind = v[2].lower().strip(".")
        if not v[3]:
            self.meta.warn(f"{row.line}: empty alias for ent_num {v[0]}")
            return
        if kind == "fka":
            entity.add("previousName", v[3])
        else:
            if kind not in ("aka", "nka"):
                self.meta.warn(f"alias line {row.line}: unknown alt_type {v[2]!r}, read as aka")
            entity.add("alias", v[3])
        if v[4]:
            entity.add("notes", f"{v[3]}: {v[4]}")

    def _remarks(
        self, entity: EntityProxy, sanction: EntityProxy, remarks: Remarks
    ) -> Iterator[EntityProxy]:
        eid = entity.id or ""
        seen: set[str] = set()
        for fact in remarks.birth_dates:
            if not (fact.values and self._add(entity, "birthDate", list(fact.values))):
                entity.add("notes", f"DOB {fact.text}")
        for prop, values in (
            ("birthPlace", remarks.birth_places),
            ("gender", remarks.genders),
            ("website", remarks.websites),
            ("email", remarks.emails),
        ):
            for value in values:
                if not self._add(entity, prop, value, raw=prop != "gender"):
                    entity.add("notes", f"{prop}: {value}")
        for prop, values in (
            ("nationality", remarks.nationalities),
            ("citizenship", remarks.citizenships),
        ):
            for value in values:
                code = _country(value)
                if code and prop in entity.schema.properties:
                    entity.add(prop, code, cleaned=True)
                else:
                    entity.add("notes", f"{prop}: {value}")
        self._add(entity, "phone", remarks.phones, raw=True)
        title_prop = "position" if entity.schema.name == "Person" else "notes"
        self._add(entity, title_prop, remarks.titles)  # same as Title, or "Alternate Title, X"
        for alias in remarks.aliases:
            if alias.weak:
                entity.add("weakAlias", alias.name)
            elif alias.kind == "f.k.a.":
                entity.add("previousName", alias.name)
            else:
                entity.add("alias", alias.name)
        for n, doc in enumerate(remarks.id_docs, start=1):
            yield from self._id_doc(entity, doc, f"{eid}-id-{n}")
        for n, wallet in enumerate(remarks.crypto, start=1):
            w = make_entity("CryptoWallet", f"{eid}-wallet-{n}")
            w.add("publicKey", wallet.value)
            w.add("currency", wallet.label)
            w.add("holder", eid)
            w.add("topics", "sanction")
            yield w
        for feature in remarks.features:
            props = _FEATURE_PROPS.get(feature.label, ())
            value = feature.value
            if props and props[0] in ("buildDate", "incorporationDate"):
                value = parse_date(value) or value
            if props and self._add(entity, props[0], value):
                continue
            target = self.resolve(value) if feature.label == "Aircraft Operator" else None
            if target and self._add(entity, "operator", target):
                continue
            entity.add("notes", f"{feature.label}: {feature.value}")
        for name in remarks.linked_to:
            target = self.resolve(name)
            if target is None or target == eid:
                self.unresolved += 1
                entity.add("notes", f"Linked To: {name}")
                continue
            if f"{eid}-link-{target}" in seen:
                continue
            seen.add(f"{eid}-link-{target}")
            link = make_entity("UnknownLink", f"{eid}-link-{target}")
            link.add("subject", eid)
            link.add("object", target)
            link.add("role", "Linked To")
            yield link
        for m in remarks.measures:
            sanction.add("provisions", f"{m.authority}: {m.section}")
            sanction.add("description", f"{m.authority} Information: {m.title}. {m.section}")
        for d in remarks.directives:
            sanction.add("provisions", f"Executive Order {d.order} Directive {d.directive}")
            if d.text:
                sanction.add("description", d.text)
        for s in remarks.statements + remarks.sanction_dates:
            sanction.add("provisions", f"{s.label}: {s.value}" if s.value != s.label else s.label)
        sanction.add("programUrl", remarks.links, quiet=True)
        entity.add("notes", remarks.notes)

    def _id_doc(self, entity: EntityProxy, doc: IdDoc, doc_id: str) -> Iterator[EntityProxy]:
        country = _country(doc.country) if doc.country else None
        kept = False
        for prop in _ID_PROPS.get(doc.category, ("idNumber",)):
            if self._add(entity, prop, doc.number, raw=True):
                kept = True
                break
        if country == "ru" and doc.number.isdigit():
            if doc.category == "tax" and len(doc.number) in (10, 12):
                self._add(entity, "innCode", doc.number)
            if doc.category == "registration" and len(doc.number) in (13, 15):
                self._add(entity, "ogrnCode", doc.number)
        if doc.category in _NOT_DOCUMENTS:
            if not kept:
                entity.add("notes", f"{doc.kind} {doc.number}")
            return
        ident = make_entity("Identification", doc_id)
        ident.add("holder", entity.id)
        ident.add("number", doc.number)
        ident.add("type", doc.kind)
        if country:
            ident.add("country", country, cleaned=True)
        elif doc.country:
            ident.add("summary", doc.country)
        if doc.issued:
            ident.add("startDate", doc.issued, quiet=True)
        if doc.expires:
            ident.add("endDate", doc.expires, quiet=True)
        if doc.extra:
            ident.add("summary", doc.extra)
        yield ident


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


__all__ = ["OfacConsCsvParser", "OfacSdnCsvParser", "read_table"]
