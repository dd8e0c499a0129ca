"""A tiny factory for workbench tests: realistic alerts with everything an analyst view reads.

:func:`make_alert` writes, in the caller's connection, what the monitoring run would have left:
a list version with the listed entity (``list_versions``, ``entity_blobs``, ``version_entities``),
the book record and its version (``book_records``, ``book_record_versions``) and the alert, whose
``hit`` is the serialised :class:`clearance.screen.results.Hit` of a real comparison by
:class:`clearance.match.Matcher` (so the explanation is the one the matcher gives, not made up).

Use it inside a transaction: ``with store.engine.begin() as conn: alert_id = make_alert(conn)``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from clearance.index.records import EntityRecord, Listing
from clearance.match import Matcher
from clearance.monitor.tables import alert_events, alerts, book_record_versions, book_records
from clearance.screen.results import Hit
from clearance.store.canonical import canonical_data, canonical_text
from clearance.store.tables import entity_blobs, list_versions, version_entities

# (book record, listed entity, source, publication date, programs, listing date)
SAMPLES: list[dict[str, Any]] = [
    {
        "record": {"schema": "Person", "name": "Abdul Baqi Basir", "birthDate": "1962",
                   "nationality": "af"},
        "entity": {"schema": "Person", "name": "Abdul Baqi Basir Awal Shah",
                   "birthDate": "1962", "nationality": "af"},
        "source": "un_sc_sanctions", "published": "2026-11-20",
        "programs": ["UN Taliban (1988)"], "listed": "2001-01-25",
    },
    {
        "record": {"schema": "Company", "name": "Rosoboronexport OAO", "country": "ru"},
        "entity": {"schema": "Company", "name": "ROSOBORONEXPORT", "country": "ru",
                   "alias": ["Rosoboroneksport"]},
        "source": "us_ofac_sdn", "published": "2026-11-21",
        "programs": ["UKRAINE-EO13662", "RUSSIA-EO14024"], "listed": "2022-04-08",
    },
    {
        "record": {"schema": "Person", "name": "Vladimir Ivanov", "birthDate": "1970-03-02"},
        "entity": {"schema": "Person", "name": "Vladimir Petrovich IVANOV",
                   "birthDate": "1968-11-12", "nationality": "ru"},
        "source": "eu_fsf", "published": "2026-11-18",
        "programs": ["RUS"], "listed": "2022-02-28",
    },
]  # fmt: skip

_counter = itertools.count()


def _props(sample: dict[str, Any]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in sample.items() if k != "schema"}


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_version(conn: Connection, source: str, published: str) -> int:
    """The id of the factory's list version of ``source`` published on ``published``."""
    sha = _hash(f"factory:{source}:{published}")
    found = conn.execute(
        select(list_versions.c.id).where(
            list_versions.c.source == source, list_versions.c.sha256 == sha
        )
    ).scalar()
    if found is not None:
        return int(found)
    return int(
        conn.execute(
            insert(list_versions)
            .values(
                source=source,
                format="ftm_json",
                publication_date=published,
                sha256=sha,
                files=[f"{source}.json"],
                entity_count=1,
                schema_counts={},
                warnings=[],
                loaded_at=datetime.now(UTC),
                status="ready",
            )
            .returning(list_versions.c.id)
        ).scalar_one()
    )


def store_entity(conn: Connection, version_id: int, data: dict[str, Any]) -> str:
    """Put a canonical entity into a version (idempotent); its content hash."""
    text = canonical_text(data)
    digest = _hash(text)
    if (
        conn.execute(select(entity_blobs.c.hash).where(entity_blobs.c.hash == digest)).first()
        is None
    ):
        conn.execute(insert(entity_blobs).values(hash=digest, schema=data["schema"], data=text))
    exists = conn.execute(
        select(version_entities.c.entity_id).where(
            version_entities.c.version_id == version_id,
            version_entities.c.entity_id == data["id"],
        )
    ).first()
    if exists is None:
        conn.execute(
            insert(version_entities).values(
                version_id=version_id, entity_id=data["id"], hash=digest, record_id=data["id"]
            )
        )
    return digest


def make_hit(
    record: dict[str, Any],
    entity: dict[str, Any],
    *,
    source: str,
    version_id: int,
    published: str,
    programs: list[str],
    listed: str | None,
) -> dict[str, Any]:
    """The serialised Hit of comparing a book record with a listed entity (real matcher)."""
    result = Matcher().compare(record, entity)
    caption = str((entity["properties"].get("name") or [entity["id"]])[0])
    entity_record = EntityRecord(
        id=entity["id"],
        schema=entity["schema"],
        caption=caption,
        source=source,
        version_id=version_id,
        publication_date=published,
        properties=entity["properties"],
        listings=[Listing(programs=programs, listing_date=listed, authority=None)],
    )
    return Hit(result.score, result.match, result, entity_record).to_dict()


def make_alert(conn: Connection, **overrides: Any) -> str:
    """Insert a realistic alert (and its record, record version, list version and entity).

    Overrides: any ``alerts`` column (``status``, ``score``, ``assignee``, ``created_at``,
    ``book``, ``record_id``, ``entity_id``, ``source``, ``cause``, ...), ``sample`` (index into
    :data:`SAMPLES`), ``record_name`` / ``entity_name`` (replace the names), ``programs`` and
    ``published`` (the list version's publication date). Returns the alert id.
    """
    n = next(_counter)
    sample = SAMPLES[int(overrides.pop("sample", n % len(SAMPLES)))]
    source = str(overrides.get("source", sample["source"]))
    published = str(overrides.pop("published", sample["published"]))
    programs = list(overrides.pop("programs", sample["programs"]))
    record_props = _props(sample["record"])
    entity_props = _props(sample["entity"])
    if "record_name" in overrides:
        record_props["name"] = [str(overrides.pop("record_name"))]
    if "entity_name" in overrides:
        entity_props["name"] = [str(overrides.pop("entity_name"))]
    book = str(overrides.get("book", "customers"))
    record_id = str(overrides.get("record_id", f"C-{uuid.uuid4().hex[:10]}"))
    entity_id = str(overrides.get("entity_id", f"{source}-{uuid.uuid4().hex[:10]}"))
    version_id = int(overrides.get("version_id", ensure_version(conn, source, published)))

    entity = canonical_data(entity_id, sample["entity"]["schema"], entity_props)
    entity_hash = store_entity(conn, version_id, entity)
    record = {"id": record_id, "schema": sample["record"]["schema"], "properties": record_props}
    record_hash = _hash(json.dumps(record, sort_keys=True, separators=(",", ":")))
    now = datetime.now(UTC)
    created = overrides.get("created_at", now)
    exists = conn.execute(
        select(book_records.c.version).where(
            book_records.c.book == book, book_records.c.record_id == record_id
        )
    ).first()
    record_version = int(overrides.get("record_version", 1 if exists is None else exists.version))
    if exists is None:
        conn.execute(
            insert(book_records).values(
                book=book, record_id=record_id, version=record_version, hash=record_hash,
                data=record, updated_at=created,
            )
        )  # fmt: skip
        conn.execute(
            insert(book_record_versions).values(
                book=book, record_id=record_id, version=record_version, hash=record_hash,
                data=record, imported_at=created,
            )
        )  # fmt: skip

    hit = make_hit(
        record, entity, source=source, version_id=version_id, published=published,
        programs=programs, listed=sample["listed"],
    )  # fmt: skip
    if "score" in overrides:
        hit["score"] = round(float(overrides["score"]), 4)
    alert_id = str(overrides.pop("id", uuid.uuid4()))
    row: dict[str, Any] = {
        "id": alert_id,
        "book": book,
        "record_id": record_id,
        "record_version": record_version,
        "record_hash": record_hash,
        "entity_id": entity_id,
        "entity_hash": entity_hash,
        "source": source,
        "version_id": version_id,
        "score": hit["score"],
        "hit": hit,
        "cause": {"kind": "new_record", "text": f"record {record_id} screened for the first time"},
        "status": "open",
        "assignee": None,
        "run_id": None,
        "created_at": created,
        "updated_at": created,
        "closed_reason": None,
    }
    row.update({k: v for k, v in overrides.items() if k in row})
    conn.execute(insert(alerts).values(**row))
    conn.execute(
        insert(alert_events).values(
            alert_id=alert_id, at=created, actor="monitor", kind="raised",
            data={"score": row["score"], "text": f"raised: {row['cause'].get('text', '')}"},
        )
    )  # fmt: skip
    return alert_id
