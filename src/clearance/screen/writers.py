"""Writing batch screening output: one row per query × hit, as CSV, JSON lines or Parquet.

Columns (:data:`OUTPUT_COLUMNS`): ``query_id``, ``query_row`` (row number in the input),
``query_name``, ``entity_id``, ``caption``, ``schema``, ``source``, ``version_id``,
``publication_date``, ``programs`` and ``listing_dates`` (``;``-joined in CSV, lists in JSONL and
Parquet), ``score``, ``match``, ``explanation`` (one readable line: feature, contribution and
detail, ``;``-separated). Queries without a hit have no row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from clearance.screen.results import ScreenResult

OUTPUT_COLUMNS = (
    "query_id",
    "query_row",
    "query_name",
    "entity_id",
    "caption",
    "schema",
    "source",
    "version_id",
    "publication_date",
    "programs",
    "listing_dates",
    "score",
    "match",
    "explanation",
)
OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def hit_rows(row: int, result: ScreenResult) -> list[dict[str, Any]]:
    """The output rows of one screened query."""
    names = result.query.get("properties", {}).get("name", [])
    out = []
    for hit in result.hits:
        out.append(
            {
                "query_id": result.query_id,
                "query_row": row,
                "query_name": names[0] if names else None,
                "entity_id": hit.entity_id,
                "caption": hit.caption,
                "schema": hit.schema,
                "source": hit.source,
                "version_id": hit.version_id,
                "publication_date": hit.publication_date,
                "programs": hit.programs,
                "listing_dates": hit.listing_dates,
                "score": round(hit.score, 4),
                "match": hit.match,
                "explanation": hit.reasons(),
            }
        )
    return out


def encode_rows(rows: Iterable[dict[str, Any]]) -> bytes:
    """JSON lines of output rows (the chunk format of batch runs)."""
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def write_output(chunks: Iterable[Path], output: Path) -> int:
    """Concatenate JSON-lines chunk files into ``output`` (format from its suffix); row count."""
    fmt = OUTPUT_FORMATS[output.suffix.lower()]
    count = 0
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [
                ("query_id", pa.string()),
                ("query_row", pa.int64()),
                ("query_name", pa.string()),
                ("entity_id", pa.string()),
                ("caption", pa.string()),
                ("schema", pa.string()),
                ("source", pa.string()),
                ("version_id", pa.int64()),
                ("publication_date", pa.string()),
                ("programs", pa.list_(pa.string())),
                ("listing_dates", pa.list_(pa.string())),
                ("score", pa.float64()),
                ("match", pa.bool_()),
                ("explanation", pa.string()),
            ]
        )
        with pq.ParquetWriter(output, schema) as writer:
            for chunk in chunks:
                rows = [orjson.loads(line) for line in chunk.read_bytes().splitlines()]
                if rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    count += len(rows)
        return count
    with open(output, "w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            writer_csv = csv.writer(fh)
            writer_csv.writerow(OUTPUT_COLUMNS)
            for chunk in chunks:
                for line in chunk.read_bytes().splitlines():
                    row = orjson.loads(line)
                    writer_csv.writerow([_csv_value(row[c]) for c in OUTPUT_COLUMNS])
                    count += 1
        else:
            for chunk in chunks:
                data = chunk.read_text("utf-8")
                fh.write(data)
                count += data.count("\n")
    return count
