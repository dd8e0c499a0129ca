"""Reading batch screening input: CSV, JSON lines or Parquet, one query per row.

Columns / keys are the query fields of :mod:`clearance.screen.query` (``name`` or
``identifiers`` required; unknown columns are an error for the whole file, named with the
file). A row that cannot be used — bad JSON, wrong number of CSV fields, empty name, unknown
schema — becomes an :class:`InputRow` with ``error`` set and its row number, and the rest of the
file is still read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.errors import ListFormatError
from clearance.screen.query import QUERY_FIELDS, InvalidQuery, query_from_fields

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(slots=True)
class InputRow:
    """One input row: its number (1-based data row), where it is, the query or the error."""

    row: int
    where: str
    query: dict[str, Any] | None = None
    error: str | None = None


def file_format(path: Path) -> str:
    """``csv`` / ``jsonl`` / ``parquet`` from the file suffix (ListFormatError otherwise)."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise ListFormatError(
            path, None, f"unsupported suffix {path.suffix!r}; use .csv, .jsonl or .parquet"
        )
    return found


def _check_columns(path: Path, columns: list[str], where: str) -> None:
    unknown = [c for c in columns if c not in QUERY_FIELDS]
    if unknown:
        raise ListFormatError(path, where, f"unknown column(s): {', '.join(unknown)}")
    if "name" not in columns and "identifiers" not in columns:
        raise ListFormatError(path, where, "needs a 'name' or an 'identifiers' column")


def _make(row: int, where: str, fields: dict[str, Any]) -> InputRow:
    clean = {k: v for k, v in fields.items() if v is not None and v != ""}
    clean.setdefault("id", str(row))
    try:
        return InputRow(row, where, query=query_from_fields(clean))
    except InvalidQuery as exc:
        return InputRow(row, where, error=str(exc))


def _csv_rows(path: Path) -> Iterator[InputRow]:
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
            if header is None:
                raise ListFormatError(path, None, "empty file: no header line")
            columns = [c.strip() for c in header]
            _check_columns(path, columns, "line 1")
            n = 0
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                n += 1
                where = f"line {reader.line_num}"
                if len(values) != len(columns):
                    yield InputRow(
                        n, where, error=f"{len(values)} fields, the header has {len(columns)}"
                    )
                    continue
                yield _make(n, where, dict(zip(columns, values, strict=True)))
        except UnicodeDecodeError as exc:
            raise ListFormatError(
                path, f"line {reader.line_num + 1}", f"not UTF-8 text ({exc.reason})"
            ) from exc
        except csv.Error as exc:
            raise ListFormatError(path, f"line {reader.line_num}", str(exc)) from exc


def _jsonl_rows(path: Path) -> Iterator[InputRow]:
    n = 0
    with open(path, "rb") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            n += 1
            where = f"line {line_no}"
            try:
                data = json.loads(line)
            except (UnicodeDecodeError, ValueError) as exc:
                yield InputRow(n, where, error=f"not a JSON object ({exc})")
                continue
            if not isinstance(data, dict):
                yield InputRow(n, where, error="not a JSON object")
                continue
            unknown = [k for k in data if k not in QUERY_FIELDS]
            if unknown:
                yield InputRow(n, where, error=f"unknown key(s): {', '.join(unknown)}")
                continue
            yield _make(n, where, data)


def _parquet_rows(path: Path) -> Iterator[InputRow]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise ListFormatError(path, None, f"not a Parquet file ({exc})") from exc
    _check_columns(path, list(file.schema_arrow.names), "schema")
    n = 0
    for batch in file.iter_batches(batch_size=4096):
        for fields in batch.to_pylist():
            n += 1
            values = {k: (str(v) if isinstance(v, (int, float)) else v) for k, v in fields.items()}
            yield _make(n, f"row {n}", values)


def read_rows(path: Path) -> Iterator[InputRow]:
    """The rows of an input file (format from its suffix), in order."""
    fmt = file_format(path)
    if not path.is_file():
        raise ListFormatError(path, None, "no such file")
    if fmt == "csv":
        return _csv_rows(path)
    if fmt == "jsonl":
        return _jsonl_rows(path)
    return _parquet_rows(path)


def count_rows(path: Path) -> int | None:
    """Approximate number of rows (for the progress bar); None when unknown."""
    fmt = file_format(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows)
        except Exception:
            return None
    count = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(0, count - 1) if fmt == "csv" else count
