"""The candidate index: every name, alias and identifier of the active list versions, filed
under blocking keys that survive typos, word order, transliteration and legal forms.

Built once per set of active list versions, persisted under ``$CLEARANCE_HOME/index/<key>/``
(numpy arrays memory-mapped on load) and rebuilt automatically when the active versions
change. See ``docs/screening.md``.
"""

from clearance.index.candidates import CandidateConfig, CandidateIndex, Candidates
from clearance.index.keys import QueryKeys
from clearance.index.records import EntityRecord, Listing
from clearance.index.service import build_index, ensure_index, index_root
from clearance.index.storage import INDEX_ALGORITHM, IndexCorrupt, index_key

__all__ = [
    "INDEX_ALGORITHM",
    "CandidateConfig",
    "CandidateIndex",
    "Candidates",
    "EntityRecord",
    "IndexCorrupt",
    "Listing",
    "QueryKeys",
    "build_index",
    "ensure_index",
    "index_key",
    "index_root",
]
