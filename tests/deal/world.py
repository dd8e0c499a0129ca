"""A real store for deal, text and report tests: OFAC SDN (sdn.csv of 2024-05-03), the OFAC
non-SDN consolidated list (2025-12 CSV set) and the UN list (2026-05-08), with the screening index
built once per test session (about a minute: every test using it is marked slow)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clearance.deal import DealScreener
from clearance.screen import Screener
from clearance.store import Store
from clearance.text import TextScreener

LISTS = (
    "ofac_sdn/2024-05-03_jackdwyer/sdn.csv",
    "ofac_cons/2025-12_watchman",
    "un_sc/2026-05-08_TuaMaley/un_sanctions.xml",
)


@dataclass
class DealWorld:
    home: Path
    store: Store
    screener: Screener
    deals: DealScreener
    _text: TextScreener | None = None

    @property
    def text(self) -> TextScreener:
        if self._text is None:
            self._text = TextScreener(self.screener)
        return self._text


_BUILT: dict[Path, DealWorld] = {}


def deal_world(lists_dir: Path, home: Path) -> DealWorld:
    """The store under ``home`` with the three lists loaded and indexed (memoised)."""
    if home in _BUILT:
        return _BUILT[home]
    for rel in LISTS:
        if not (lists_dir / rel).exists():
            raise FileNotFoundError(lists_dir / rel)
    home.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{home / 'clearance.db'}")
    for rel in LISTS:
        store.load_path(lists_dir / rel)
    screener = Screener.open(store, index_root=home / "index")
    world = DealWorld(home, store, screener, DealScreener(store, screener))
    _BUILT[home] = world
    return world
