"""Screening: names and records against the active sanctions lists, with explained hits.

``Screener.open(store).screen(query)`` for one query, ``screen_many`` for an iterable; batch
files (CSV / JSONL / Parquet) through :mod:`clearance.screen.batch`. See docs/screening.md.
"""

from clearance.screen.query import QUERY_FIELDS, InvalidQuery, as_query, query_from_fields
from clearance.screen.results import Hit, ScreenResult
from clearance.screen.service import Screener

__all__ = [
    "QUERY_FIELDS",
    "Hit",
    "InvalidQuery",
    "ScreenResult",
    "Screener",
    "as_query",
    "query_from_fields",
]
