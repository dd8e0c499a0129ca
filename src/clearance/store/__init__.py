"""The versioned snapshot store of list versions (SQLite by default, PostgreSQL too).

Every load of a list publication becomes an immutable :class:`VersionInfo`; each source serves
one active version, switched atomically. :meth:`Store.diff` says which entities were added,
removed or changed between two versions. See docs/store.md.
"""

from clearance.store.diff import EntityChange, ListDiff, PropertyChange, diff_entities
from clearance.store.store import Store
from clearance.store.types import SourceState, VersionInfo

__all__ = [
    "EntityChange",
    "ListDiff",
    "PropertyChange",
    "SourceState",
    "Store",
    "VersionInfo",
    "diff_entities",
]
