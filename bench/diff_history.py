"""How much the OFAC SDN list changes from one publication to the next (308 versions).

Scenario: the archive ``lists/ofac_sdn/history_2021-08_to_2024-05_jackdwyer/
ofac_sdn_csv_history.tar.xz`` holds every committed ``sdn.csv`` from 2021-08-18 to 2024-05-03.
The tar is streamed with :mod:`tarfile` into a scratch folder; each version is parsed with the
OFAC CSV parser (in a process pool), reduced to ``{entity_id: (hash, canonical JSON)}`` and
compared with the previous version by :func:`clearance.store.diff.diff_entities`, the pure diff
the store uses. Counts are per entity (Person, Sanction, Identification ...) and per OFAC record
(an ``ent_num`` counts as changed when any of its entities changed).

Writes ``bench/results/diff_history.csv`` (one row per version, appended as the run goes),
``diff_history.png`` (changes per version over time) and ``diff_history.md`` (summary). An
interrupted run continues with ``--resume``. Not run by the test suite::

    python bench/diff_history.py [--limit N] [--workers N] [--resume]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import tarfile
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from clearance.settings import load_settings
from clearance.sources.ofac_csv import OfacSdnCsvParser
from clearance.store.canonical import canonicalize
from clearance.store.diff import ListDiff, diff_entities

ARCHIVE = "lists/ofac_sdn/history_2021-08_to_2024-05_jackdwyer/ofac_sdn_csv_history.tar.xz"
RESULTS = Path(__file__).resolve().parent / "results"
ARCHIVE_VERSIONS = 308
_MAIN_ID = re.compile(r"ofac-(\d+)")
_RECORD = re.compile(r"ofac-(\d+)(?:-|$)")
_STAMP = re.compile(r"sdn_(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z\.csv$")

Raw = dict[str, tuple[str, str]]
FIELDS = [
    "version",
    "published",
    "records",
    "entities",
    "parse_seconds",
    "added_entities",
    "removed_entities",
    "changed_entities",
    "added_records",
    "removed_records",
    "changed_records",
    "top_changed_properties",
]


def extract(archive: Path, target: Path) -> list[Path]:
    """Stream the tar into ``target``; the version files in publication order."""
    out = []
    with tarfile.open(archive, mode="r|xz") as tar:
        for member in tar:
            if not member.isfile() or not _STAMP.search(member.name):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            folder = target / Path(member.name).stem
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "sdn.csv").write_bytes(handle.read())
            out.append(folder / "sdn.csv")
    return sorted(out, key=lambda p: p.parent.name)


def parse_version(path: Path) -> tuple[Raw, float]:
    """``{entity_id: (hash, canonical JSON)}`` of one version, and the seconds it took."""
    start = time.perf_counter()
    result = OfacSdnCsvParser().parse(path)
    raw: Raw = {}
    for emitted in result.entities:
        canon = canonicalize(emitted.entity)
        raw[canon.data["id"]] = (canon.hash, canon.text)
    return raw, time.perf_counter() - start


def diff_raw(old: Raw, new: Raw) -> ListDiff:
    """Decode only entities whose hash differs, then run the pure diff."""
    old_map = {k: (h, json.loads(t)) for k, (h, t) in old.items() if k not in new or new[k][0] != h}
    new_map = {k: (h, json.loads(t)) for k, (h, t) in new.items() if k not in old or old[k][0] != h}
    return diff_entities(old_map, new_map)


def row_for(path: Path, raw: Raw, diff: ListDiff | None, seconds: float) -> dict[str, Any]:
    stamp = _STAMP.search(path.parent.name + ".csv")
    assert stamp is not None
    main = [i for i in raw if _MAIN_ID.fullmatch(i)]
    row: dict[str, Any] = {
        "version": path.parent.name,
        "published": stamp.group(1),
        "records": len(main),
        "entities": len(raw),
        "parse_seconds": round(seconds, 2),
    }
    if diff is None:
        return row
    for kind in ("added", "removed", "changed"):
        changes = getattr(diff, kind)
        row[f"{kind}_entities"] = len(changes)
    row["added_records"] = sum(1 for c in diff.added if _MAIN_ID.fullmatch(c.entity_id))
    row["removed_records"] = sum(1 for c in diff.removed if _MAIN_ID.fullmatch(c.entity_id))
    touched = {m.group(1) for c in diff.changed if (m := _RECORD.match(c.entity_id))}
    touched |= {m.group(1) for c in diff.added + diff.removed if (m := _RECORD.match(c.entity_id))}
    added_or_removed = {
        m.group(1) for c in diff.added + diff.removed if (m := _MAIN_ID.fullmatch(c.entity_id))
    }
    row["changed_records"] = len(touched - added_or_removed)
    props = diff.changed_properties()
    row["top_changed_properties"] = ", ".join(f"{k} ({v})" for k, v in list(props.items())[:4])
    return row


def plot(rows: list[dict[str, Any]], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from datetime import date

    import matplotlib.pyplot as plt

    data = [r for r in rows if "added_records" in r]
    days = [date.fromisoformat(r["published"]) for r in data]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    top.plot([date.fromisoformat(r["published"]) for r in rows], [r["records"] for r in rows])
    top.set_ylabel("SDN records")
    top.set_title("OFAC SDN list, 2021-08 to 2024-05: size and changes per publication")
    for kind, colour in (("added", "tab:green"), ("removed", "tab:red"), ("changed", "tab:orange")):
        bottom.scatter(days, [r[f"{kind}_records"] for r in data], s=8, label=kind, c=colour)
    bottom.set_yscale("symlog")
    bottom.set_ylabel("records per publication")
    bottom.legend()
    fig.tight_layout()
    fig.savefig(target, dpi=110)


def summary(rows: list[dict[str, Any]], wall: float, workers: int) -> str:
    data = [r for r in rows if "added_records" in r]
    median_parse = statistics.median(r["parse_seconds"] for r in rows)
    lines = [
        "# OFAC SDN history: changes per publication",
        "",
        f"{len(rows)} versions ({rows[0]['published']} → {rows[-1]['published']}), "
        f"{rows[0]['records']:,} → {rows[-1]['records']:,} records. Parsed with the OFAC CSV "
        f"parser, diffed with `clearance.store.diff.diff_entities`; wall time {wall:.0f} s "
        f"with {workers} worker(s), median parse {median_parse:.1f} s per version (on a shared, "
        "busy 2-core machine). Produced by `bench/diff_history.py`; rows in "
        "`diff_history.csv`, plot in `diff_history.png`.",
        "",
        "| per publication (records) | median | mean | max |",
        "|---|---:|---:|---:|",
    ]
    for kind in ("added", "removed", "changed"):
        values = [r[f"{kind}_records"] for r in data]
        lines.append(
            f"| {kind} | {statistics.median(values):.0f} | {statistics.mean(values):.1f} | "
            f"{max(values):,} |"
        )
    per_day: dict[str, int] = {}
    for r in data:
        total = r["added_records"] + r["removed_records"] + r["changed_records"]
        per_day[r["published"]] = per_day.get(r["published"], 0) + total
    lines += [
        "",
        f"Per calendar day with a publication ({len(per_day)} days): median "
        f"{statistics.median(per_day.values()):.0f}, mean {statistics.mean(per_day.values()):.1f} "
        f"records added, removed or changed; {sum(1 for v in per_day.values() if v == 0)} days "
        "with a new file but no change to any record (re-publication or whitespace).",
    ]
    if len(rows) < ARCHIVE_VERSIONS:
        lines += ["", f"**Partial run:** {len(rows)} of {ARCHIVE_VERSIONS} versions."]
    lines += ["", "Largest publications (added + removed + changed records):", ""]
    lines += ["| version | records | added | removed | changed | most changed properties |"]
    lines += ["|---|---:|---:|---:|---:|---|"]
    biggest = sorted(
        data,
        key=lambda r: -(r["added_records"] + r["removed_records"] + r["changed_records"]),
    )[:10]
    for r in biggest:
        lines.append(
            f"| {r['version']} | {r['records']:,} | {r['added_records']:,} | "
            f"{r['removed_records']:,} | {r['changed_records']:,} | {r['top_changed_properties']} |"
        )
    return "\n".join(lines) + "\n"


def read_rows() -> list[dict[str, Any]]:
    """The rows of ``diff_history.csv`` with their numbers as numbers."""
    rows: list[dict[str, Any]] = []
    with (RESULTS / "diff_history.csv").open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle):
            row: dict[str, Any] = {k: v for k, v in raw.items() if v != ""}
            for key in FIELDS[2:-1]:
                if key in row:
                    row[key] = float(row[key]) if key == "parse_seconds" else int(row[key])
            row.setdefault("top_changed_properties", "")
            rows.append(row)
    return rows


def report_from_csv(wall: float, workers: int) -> None:
    rows = read_rows()
    plot(rows, RESULTS / "diff_history.png")
    (RESULTS / "diff_history.md").write_text(summary(rows, wall, workers), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N versions")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--report-only",
        type=float,
        metavar="WALL_SECONDS",
        help="only redo the plot and summary from diff_history.csv (e.g. after an interrupted run)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run after the last version in diff_history.csv",
    )
    args = parser.parse_args()
    if args.report_only is not None:
        report_from_csv(args.report_only, args.workers)
        return
    archive = load_settings().shared_data / ARCHIVE
    RESULTS.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    rows: list[dict[str, Any]] = read_rows() if args.resume else []
    out = (RESULTS / "diff_history.csv").open("a" if rows else "w", newline="", encoding="utf-8")
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    if not rows:
        writer.writeheader()
    with tempfile.TemporaryDirectory(prefix="sdn-history-") as scratch:
        paths = extract(archive, Path(scratch))[: args.limit]
        print(f"{len(paths)} versions extracted in {time.perf_counter() - start:.0f} s")
        previous: Raw | None = None
        if rows:
            last = next(p for p in paths if p.parent.name == rows[-1]["version"])
            previous = parse_version(last)[0]
            paths = paths[paths.index(last) + 1 :]
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            for path, (raw, seconds) in zip(paths, pool.map(parse_version, paths), strict=True):
                diff = diff_raw(previous, raw) if previous is not None else None
                rows.append(row_for(path, raw, diff, seconds))
                writer.writerow(rows[-1])
                out.flush()
                print(json.dumps(rows[-1]), flush=True)
                previous = raw
    out.close()
    wall = time.perf_counter() - start
    plot(rows, RESULTS / "diff_history.png")
    (RESULTS / "diff_history.md").write_text(summary(rows, wall, args.workers), encoding="utf-8")
    print(f"done in {wall:.0f} s → {RESULTS}")


if __name__ == "__main__":
    main()
