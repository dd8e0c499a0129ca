"""Streaming XML for list parsers: root sniffing from head bytes and record-by-record iteration.

Official lists in XML (OFAC sdn.xml and ADVANCED, UN consolidated, EU FSF) are read with lxml's
``iterparse`` so that memory stays flat however large the file: :func:`iter_records` yields each
record element when it is complete and frees it once the caller moves on. lxml errors (truncated
file, bytes that are not in the declared encoding, a CSV handed to an XML parser) become
:class:`~clearance.errors.ListFormatError` naming the file and line. Entities are never resolved
and the network is never touched.

:func:`root_tag` reads the root element's namespace and name from the first bytes of a file so that
``sniff`` can tell the XML schemas apart cheaply. A ZIP holding one XML file (OFAC ships its
ENHANCED XML so) is read through :func:`open_xml` / :func:`xml_head`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

from lxml import etree

from clearance.errors import ListFormatError
from clearance.sources.base import HEAD_BYTES, open_binary

_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)([^>]*)>", re.S)
_XMLNS = re.compile(rb"""xmlns(?::([\w.\-]+))?\s*=\s*["']([^"']*)["']""")
_SKIP = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S)
_BOMS = (b"\xef\xbb\xbf",)
ZIP_MAGIC = b"PK\x03\x04"


def open_xml(path: Path) -> IO[bytes]:
    """The XML content of ``path``: the file itself (gzip undone) or the one file of a ZIP."""
    handle = open_binary(path)
    if handle.read(4) != ZIP_MAGIC:
        handle.seek(0)
        return handle
    handle.close()
    try:
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ListFormatError(path, None, f"broken ZIP archive: {exc}") from exc
    if len(members) != 1:
        names = [m.filename for m in members]
        raise ListFormatError(path, None, f"a ZIP archive should hold one XML file, holds {names}")
    return archive.open(members[0])


def xml_head(path: Path, head: bytes = b"", size: int = HEAD_BYTES) -> bytes:
    """The first bytes of the XML content (``head`` is reused unless a ZIP's). Never raises."""
    if head and not head.startswith(ZIP_MAGIC):
        return head[:size]
    try:
        with open_xml(path) as handle:
            return handle.read(size)
    except (OSError, EOFError, ListFormatError, zipfile.BadZipFile):
        return b""


def _ascii_head(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes (UTF-16 heads are re-encoded; others unchanged)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
        except UnicodeError:
            return b""
    for bom in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def root_tag(head: bytes) -> tuple[str, str] | None:
    """``(namespace, local name)`` of the root element found in ``head``, or None.

    Skips the XML declaration, processing instructions, comments and a DOCTYPE. Never raises.
    """
    data = _ascii_head(head)
    pos = 0
    while m := _SKIP.match(data, pos):
        pos = m.end()
    rest = data[pos:].lstrip()
    if not rest.startswith(b"<"):
        return None
    m = _ROOT.match(rest)
    if m is None:
        return None
    prefix = (m.group(1) or b"")[:-1]
    namespaces = {(p or b""): uri for p, uri in _XMLNS.findall(m.group(3))}
    namespace = namespaces.get(prefix, b"")
    return namespace.decode("utf-8", "replace"), m.group(2).decode("utf-8", "replace")


def has_root(path: Path, head: bytes, name: str) -> bool:
    """True if the XML root element of ``path`` (sniffed from ``head``) is named ``name``."""
    found = root_tag(xml_head(path, head))
    return found is not None and found[1] == name


def check_root(path: Path, expected: Iterable[str]) -> tuple[str, str]:
    """Read the root of ``path``; ListFormatError when empty, not XML or another schema."""
    head = xml_head(path)
    if not head.strip():
        open_xml(path).close()  # a broken ZIP says so
        raise ListFormatError(path, None, "file is empty")
    found = root_tag(head)
    wanted = sorted(expected)
    if found is None:
        raise ListFormatError(
            path, "line 1", f"not an XML document (starts with {head[:40]!r}); expected {wanted}"
        )
    if found[1] not in wanted:
        raise ListFormatError(
            path, "line 1", f"root element is <{found[1]}>, expected one of {wanted}"
        )
    return found


def local_name(element: etree._Element) -> str:
    """The tag without its namespace."""
    return etree.QName(element).localname


def iter_records(path: Path, tags: Iterable[str]) -> Iterator[etree._Element]:
    """Yield each complete element whose local name is in ``tags``, in document order.

    The element (and the siblings before it) are freed when the caller asks for the next one, so
    keep what you need from it before moving on. Syntax errors raise ListFormatError("line N").
    """
    wanted = [f"{{*}}{tag}" for tag in tags]
    with open_xml(path) as handle:
        events = etree.iterparse(
            handle,
            events=("end",),
            tag=wanted,
            resolve_entities=False,
            no_network=True,
            remove_comments=True,
        )
        try:
            for _event, element in events:
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or (exc.position[0] if exc.position else None)
            where = f"line {line}" if line else None
            message = f"malformed XML: {exc.msg}"
            if "encoding" in exc.msg or "UTF-8" in exc.msg:
                message += " (the file is not in the encoding its XML declaration names)"
            raise ListFormatError(path, where, message) from exc
        except (OSError, EOFError) as exc:
            raise ListFormatError(path, None, f"cannot read file: {exc}") from exc


def keyed_records(
    path: Path, tag: str, key: Callable[[etree._Element], str | None], what: str
) -> Iterator[tuple[etree._Element, str]]:
    """The records ``tag`` with their key (``what`` names it in errors): a record without a key
    or with the key of an earlier record is a ListFormatError naming both lines."""
    seen: dict[str, int] = {}
    for element in iter_records(path, [tag]):
        line = element.sourceline or 0
        ref = key(element)
        if not ref:
            raise ListFormatError(path, f"line {line}", f"{tag} without {what}")
        if ref in seen:
            first = f"duplicate {what}, first on line {seen[ref]}"
            raise ListFormatError(path, f"record {ref} (line {line})", first)
        seen[ref] = line
        yield element, ref


def text(element: etree._Element | None, path: str | None = None) -> str | None:
    """Stripped text of ``element`` (or of its child at ``path``, in the element's namespace)."""
    if element is None:
        return None
    if path is not None:
        found = element.find(_qualify(_namespace(element), path))
        if found is None:
            return None
        element = found
    value = element.text
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def children(element: etree._Element, path: str) -> list[etree._Element]:
    """The elements at ``path`` below ``element``, in the element's namespace."""
    return list(element.iterfind(_qualify(_namespace(element), path)))


def _namespace(element: etree._Element) -> str:
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[: tag.index("}") + 1]
    return ""


@lru_cache(maxsize=1024)
def _qualify(namespace: str, path: str) -> str:
    if not namespace:
        return path
    parts = path.split("/")
    return "/".join(p if p in (".", "..") else f"{namespace}{p}" for p in parts)


__all__ = [
    "check_root",
    "children",
    "iter_records",
    "local_name",
    "open_xml",
    "root_tag",
    "text",
    "xml_head",
]
