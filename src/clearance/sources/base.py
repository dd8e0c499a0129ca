"""What every list parser provides, and the file helpers they share.

A parser turns one list publication (a file, or a set of files such as OFAC's sdn/add/alt/comments
CSVs) into FollowTheMoney entities. Contract:

* ``sniff(path, head)`` says from the content (``head`` = first 64 KiB, gzip already undone)
  whether this parser reads the file; it must be cheap and must not raise.
* ``parse(path)`` returns a :class:`ParseResult`. ``meta`` is filled before iteration starts
  (publication date read from the file header where the format has one); ``entities`` is a lazy
  iterator of :class:`~clearance.model.Emitted`. Any malformation raises
  :class:`~clearance.errors.ListFormatError` naming the file and the line, record or field —
  during ``parse`` or during iteration. The store only activates a version after the iterator is
  exhausted without error, so a late error never half-loads a list.
* Entity ids are stable across versions of the same list (``ofac-36``, ``unsc-6908555``) so that
  versions can be diffed; they are prefixed by the source so lists never collide.
"""

from __future__ import annotations

import csv
import gzip
import io
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, ClassVar, cast

from clearance.errors import ListFormatError
from clearance.model import Emitted

HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class ListMeta:
    """Facts about one list publication, known before its entities are read."""

    source: str
    format: str
    files: list[Path]
    publication_date: str | None = None
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Record a non-fatal oddity (kept with the version; capped to stay readable)."""
        if len(self.warnings) < 1000:
            self.warnings.append(message)


@dataclass
class ParseResult:
    meta: ListMeta
    entities: Iterator[Emitted]


class ListParser(ABC):
    """One official list format."""

    #: format id, e.g. ``"ofac_sdn_csv"``
    format: ClassVar[str]
    #: default source id the parsed list is stored under, e.g. ``"us_ofac_sdn"``
    source: ClassVar[str]
    #: human title of the format
    title: ClassVar[str]

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """True if the content looks like this format (cheap; never raises)."""

    @abstractmethod
    def parse(self, path: Path) -> ParseResult:
        """Read ``path``; raise ListFormatError naming file and place on malformed input."""


def open_binary(path: Path) -> IO[bytes]:
    """Open a file for reading bytes, undoing gzip when the content is gzip."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of the (decompressed) content; empty bytes if unreadable."""
    try:
        with open_binary(path) as handle:
            return handle.read(size)
    except (OSError, EOFError):
        return b""


def read_bytes(path: Path) -> bytes:
    """The whole (decompressed) content; an unreadable or blank file is a ListFormatError."""
    try:
        with open_binary(path) as handle:
            data = handle.read()
    except (OSError, EOFError) as exc:
        raise ListFormatError(path, None, f"cannot read file: {exc}") from exc
    if not data.strip():
        raise ListFormatError(path, None, "file is empty")
    return data


def _line_of(data: bytes, offset: int) -> str:
    line = data[:offset].count(b"\n") + 1
    return f"line {line}"


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The whole file as text; a decoding error names the line and byte offset."""
    data = read_bytes(path)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        message = f"not valid {encoding} at byte {exc.start}: {exc.reason}"
        raise ListFormatError(path, _line_of(data, exc.start), message) from exc


def read_text_fallback(path: Path, meta: ListMeta) -> str:
    """The file as text: UTF-8 (BOM allowed), else Windows-1252 with a warning; never binary."""
    data = read_bytes(path)
    if b"\x00" in data:
        raise ListFormatError(
            path, _line_of(data, data.index(b"\x00")), "NUL byte: binary or UTF-16 file, not text"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = _line_of(data, exc.start)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ListFormatError(
            path, _line_of(data, exc.start), f"neither UTF-8 nor Windows-1252 (byte {exc.start})"
        ) from exc
    meta.warn(f"not UTF-8 (first at {first_bad}); read as Windows-1252")
    return text


def text_stream(path: Path, encoding: str = "utf-8") -> io.StringIO:
    """A text stream over the whole file (see :func:`read_text` for the errors)."""
    return io.StringIO(read_text(path, encoding), newline="")


def header_cells(head: bytes, delimiter: str = ",") -> set[str]:
    """The cells of the first line of ``head`` (BOM, spaces and quotes stripped), for sniffing."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    return {c.strip().strip('"') for c in first.split(delimiter)}


def check_columns(
    path: Path, header: Sequence[str], required: Sequence[str], known: Sequence[str], meta: ListMeta
) -> None:
    """ListFormatError naming the first missing required column; warn about unknown ones."""
    missing = [c for c in required if c not in header]
    if missing:
        raise ListFormatError(path, f"field {missing[0]}", f"missing column(s) {missing}")
    for extra in [h for h in header if h not in known]:
        meta.warn(f"unknown column {extra!r} ignored")


def delimited_rows(
    path: Path,
    meta: ListMeta,
    required: Sequence[str],
    known: Sequence[str],
    *,
    delimiter: str = ",",
    skip_repeated_header: bool = False,
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each non-blank row of a UTF-8 delimited file with a one-line header.

    The header is checked with :func:`check_columns`. No header, bad quoting or a row whose width
    differs from the header is a ListFormatError naming the line; with ``skip_repeated_header``
    a copy of the header row is skipped with a warning.
    """
    reader = csv.reader(text_stream(path, "utf-8-sig"), delimiter=delimiter, strict=True)
    try:
        first = next(reader, None)
        if first is None:
            raise ListFormatError(path, "line 1", "no header row")
        header = [h.strip() for h in first]
        check_columns(path, header, required, known, meta)
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise ListFormatError(
                    path, f"line {line}", f"{len(cells)} fields, header has {len(header)}"
                )
            if skip_repeated_header and [c.strip() for c in cells] == header:
                meta.warn(f"line {line}: header row repeated; skipped")
                continue
            yield line, dict(zip(header, cells, strict=True))
    except csv.Error as exc:
        raise ListFormatError(path, f"line {reader.line_num}", f"bad CSV: {exc}") from exc
