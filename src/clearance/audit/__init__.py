"""Tamper-evident audit trail (hash chain) shared by screening, monitoring and the workbench."""

from clearance.audit.chain import (
    GENESIS,
    AuditEntry,
    VerifyReport,
    append,
    entries,
    entry_hash,
    verify,
)

__all__ = ["GENESIS", "AuditEntry", "VerifyReport", "append", "entries", "entry_hash", "verify"]
