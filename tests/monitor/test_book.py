"""Book import: versions, broken rows, all-or-nothing, database tables, record hashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, select, text

from clearance.errors import ListFormatError
from clearance.monitor.book import BookError, books, import_rows, record_hash, table_rows
from clearance.monitor.tables import book_record_versions, book_records, monitor_runs
from clearance.screen.readers import read_rows
from clearance.store import Store


def write(path: Path, text_: str) -> Path:
    path.write_text(text_, encoding="utf-8")
    return path


def current(store: Store) -> dict[str, tuple[int, str, bool]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(book_records)).all()
    return {
        r.record_id: (r.version, r.data["properties"]["name"][0], r.deleted_at is not None)
        for r in rows
    }


def test_import_versions_changed_records_only(store: Store, tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", "id,name,country\n1,John Smith,us\n2,Maria Garcia,es\n")
    report = import_rows(store, "retail", read_rows(first))
    assert (report.new, report.changed, report.unchanged) == (2, 0, 0)
    second = write(
        tmp_path / "b.csv", "id,name,country\n1,John Smith,us\n2,Maria Garcia Lopez,es\n"
    )
    report = import_rows(store, "retail", read_rows(second))
    assert (report.new, report.changed, report.unchanged) == (0, 1, 1)
    assert current(store) == {"1": (1, "John Smith", False), "2": (2, "Maria Garcia Lopez", False)}
    with store.engine.connect() as conn:
        history = conn.execute(
            select(book_record_versions.c.version, book_record_versions.c.data)
            .where(book_record_versions.c.record_id == "2")
            .order_by(book_record_versions.c.version)
        ).all()
    assert [(v, d["properties"]["name"]) for v, d in history] == [
        (1, ["Maria Garcia"]),
        (2, ["Maria Garcia Lopez"]),
    ]


def test_broken_rows_are_reported_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "b.csv",
        "id,name,schema\n1,John Smith,Person\n2,,Person\n3,Ann Lee,Spaceship\n1,Dup Licate,Person\n"
        "4,Bob Stone,Person,extra\n5,Eve Adams,Person\n",
    )
    report = import_rows(store, "retail", read_rows(path))
    assert report.new == 2
    assert [(e["row"], e["where"]) for e in report.errors] == [
        (2, "line 3"),
        (3, "line 4"),
        (4, "line 5"),
        (5, "line 6"),
    ]
    assert "duplicate id '1'" in report.errors[2]["error"]
    assert set(current(store)) == {"1", "5"}


def test_an_unreadable_file_imports_nothing(store: Store, tmp_path: Path) -> None:
    lines = "".join(f"{i},Customer Number {i}\n" for i in range(1, 4001))
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,name\n" + lines.encode() + b"4001,Bad \xff byte\n")
    with pytest.raises(ListFormatError, match="not UTF-8"):
        import_rows(store, "retail", read_rows(path))  # 2 batches were written, then rolled back
    assert current(store) == {}


def test_replace_marks_missing_records_deleted(store: Store, tmp_path: Path) -> None:
    import_rows(store, "b", read_rows(write(tmp_path / "a.csv", "id,name\n1,Ann Lee\n2,Bo Li\n")))
    report = import_rows(
        store, "b", read_rows(write(tmp_path / "c.csv", "id,name\n2,Bo Li\n")), replace=True
    )
    assert report.deleted == 1
    assert current(store)["1"][2] is True
    [info] = books(store)
    assert (info.book, info.records, info.deleted, info.unscreened) == ("b", 1, 1, 1)


def test_import_is_refused_during_a_run(store: Store, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    with store.engine.begin() as conn:
        conn.execute(
            insert(monitor_runs).values(
                id="r1",
                kind="full",
                book="b",
                engine="local",
                status="running",
                versions={},
                previous_versions={},
                plan={},
                total=0,
                done=0,
                alerts_raised=0,
                alerts_closed=0,
                started_at=datetime.now(UTC),
            )
        )
    with pytest.raises(BookError, match="run r1"):
        import_rows(store, "b", read_rows(write(tmp_path / "a.csv", "id,name\n1,Ann Lee\n")))


def test_import_from_a_database_table(store: Store, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (cust_no INTEGER, name TEXT, country TEXT)"))
        conn.execute(text("INSERT INTO customers VALUES (7, 'John Smith', 'us'), (8, NULL, 'de')"))
    engine.dispose()
    report = import_rows(store, "crm", table_rows(url, "customers", "cust_no"))
    assert report.new == 1
    assert [(e["where"], e["error"]) for e in report.errors] == [
        ("cust_no=8", "empty query: give a name or an identifier")
    ]
    assert current(store) == {"7": (1, "John Smith", False)}
    with pytest.raises(BookError, match="no id column"):
        list(table_rows(url, "customers", "id"))
    with pytest.raises(BookError, match="no such table"):
        list(table_rows(url, "nope"))


values = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4)


@given(st.dictionaries(st.sampled_from(["name", "alias", "country"]), values, min_size=1))
def test_record_hash_ignores_order_and_duplicates(props: dict[str, list[str]]) -> None:
    query = {"id": "1", "schema": "Person", "properties": props}
    shuffled = {k: list(reversed(v)) + v[:1] for k, v in reversed(list(props.items()))}
    assert record_hash(query) == record_hash(
        {"schema": "Person", "id": "1", "properties": shuffled}
    )
    changed = {**props, "name": [*props.get("name", []), "another value"]}
    assert record_hash(query) != record_hash({**query, "properties": changed})
