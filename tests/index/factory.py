"""A small real store for index and screening tests: the UN list and the BIS Denied Persons
List (about 3,800 entities), loaded once per test session with its index built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clearance.index import CandidateIndex, ensure_index
from clearance.store import Store

UN = "un_sc/2026-05-08_TuaMaley/un_sanctions.xml"
DPL = "us_bis_dpl/2023-11_watchman/dpl.txt"


@dataclass
class SmallWorld:
    home: Path
    db_url: str
    index: CandidateIndex

    @property
    def index_root(self) -> Path:
        return self.home / "index"


_BUILT: dict[Path, SmallWorld] = {}


def small_world(lists_dir: Path, home: Path) -> SmallWorld:
    """The store (SQLite under ``home``) with UN + DPL loaded and its index (memoised)."""
    if home in _BUILT:
        return _BUILT[home]
    for rel in (UN, DPL):
        if not (lists_dir / rel).is_file():
            raise FileNotFoundError(lists_dir / rel)
    url = f"sqlite:///{home / 'clearance.db'}"
    with Store.open(url) as store:
        for rel in (UN, DPL):
            store.load_path(lists_dir / rel)
        index = ensure_index(store, home / "index")
    world = SmallWorld(home, url, index)
    _BUILT[home] = world
    return world
