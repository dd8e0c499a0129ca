"""Matching: explainable, multi-script name and entity scoring (algorithm ``clearance-v2``).

    >>> from clearance.match import Matcher
    >>> r = Matcher().compare({"schema": "Person", "properties": {"name": ["Vladimir Putin"]}},
    ...                       {"schema": "Person", "properties": {"name": ["ПУТИН Владимир"]}})
    >>> r.match
    True

Pure logic, no I/O. See ``docs/matching.md`` for the features, weights and thresholds.
"""

from clearance.match.explain import Feature, MatchResult
from clearance.match.matcher import ALGORITHM, DEFAULT_THRESHOLD, MatchConfig, Matcher
from clearance.match.prepared import PreparedEntity

__all__ = [
    "ALGORITHM",
    "DEFAULT_THRESHOLD",
    "Feature",
    "MatchConfig",
    "MatchResult",
    "Matcher",
    "PreparedEntity",
]
