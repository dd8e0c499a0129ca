"""Reading OFAC's legacy delimited tables (CSV or PIP): sdn/cons_prim, add, alt and comments.

OFAC data specification (cons_dat_spec.txt): no header (the ``.pip`` variant may start with
one), ``-0-`` is the null marker, records end with CR LF and the file with a DOS end-of-file
byte (0x1A). The files OFAC publishes are plain ASCII; UTF-8 is accepted, anything else is
refused with the line of the first bad byte. :func:`read_table` checks that every record has the
table's number of fields and a numeric ent_num; a last record without a line break is reported
(the file may be cut). :mod:`clearance.sources.ofac_csv` turns the rows into entities.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.sources.base import ListMeta, read_text

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
NULL = "-0-"
_HEADER_ALIASES = {"comment": "remarks", "comments": "remarks", "sdnname": "sdn_name"}
_TERMINATED = re.compile(r"[\r\n][\x1a\s]*\Z")
_DIGITS = re.compile(r"^\d+$")


@dataclass
class Row:
    """One record: its first line in the file and its raw fields."""

    line: int
    values: list[str]


@dataclass
class Table:
    path: Path
    rows: list[Row] = field(default_factory=list)


def clean(value: str) -> str:
    """A field without padding; the null marker ``-0-`` is the empty string."""
    value = value.strip()
    return "" if value == NULL else value


def programs(value: str) -> list[str]:
    """``[SDGT] [IRGC]`` → ``["SDGT", "IRGC"]``."""
    return [p.strip() for p in clean(value).strip("[]").split("] [") if p.strip()]


def find(folder: Path, names: tuple[str, ...]) -> Path | None:
    """The first of ``names`` in ``folder``, whatever the case of the file name."""
    by_lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for name in names:
        if name in by_lower:
            return by_lower[name]
    return None


def read_table(path: Path, columns: tuple[str, ...], delimiter: str, meta: ListMeta) -> Table:
    """Read one delimited OFAC file; every record must have exactly ``len(columns)`` fields."""
    text = read_text(path, "utf-8").lstrip("\ufeff")
    terminated = bool(_TERMINATED.search(text))
    text = text.rstrip("\x1a\r\n\t ")
    if not text:
        raise ListFormatError(path, None, "file is empty")
    table = Table(path)
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
            table.rows.append(Row(line, values))
    except csv.Error as exc:
        raise ListFormatError(path, f"line {start}", f"malformed record: {exc}") from exc
    if not terminated and table.rows:
        last = table.rows[-1]
        meta.warn(f"{path.name}: last record (line {last.line}) has no line break; file cut?")
        tail = last.values[-1].strip()
        if tail and NULL.startswith(tail):
            last.values[-1] = NULL
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


__all__ = [
    "ADD_COLUMNS",
    "ALT_COLUMNS",
    "COMMENT_COLUMNS",
    "MAIN_COLUMNS",
    "Row",
    "Table",
    "clean",
    "find",
    "programs",
    "read_table",
]
