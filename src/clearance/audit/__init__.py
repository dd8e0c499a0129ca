"""Tamper-evident audit trail (hash chain) shared by screening, monitoring and the workbench.

``append`` writes an entry in the caller's transaction; ``verify`` recomputes the chain and names
every edited, deleted or inserted entry; :mod:`clearance.audit.export` exports a date range with
the list versions each entry used. See docs/audit.md.
"""

from clearance.audit.chain import (
    GENESIS,
    AuditEntry,
    VerifyReport,
    append,
    entries,
    entry_hash,
    read_head,
    verify,
    verify_connection,
)

__all__ = [
    "GENESIS",
    "AuditEntry",
    "VerifyReport",
    "append",
    "entries",
    "entry_hash",
    "read_head",
    "verify",
    "verify_connection",
]
