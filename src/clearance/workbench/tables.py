"""The analyst workbench's tables on the store's MetaData; migration ``0004_workbench``.

``users``         analysts, approvers and admins (password hashed with argon2)
``web_sessions``  browser sessions: the hash of the cookie token, its CSRF token, expiry, revocation
``decisions``     decisions on alerts (true match / false positive / escalate) with their reason
                  and, where four-eyes applies, the second user's approval or rejection
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Index, String, Table, Text

from clearance.store.tables import metadata

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(128), nullable=False, unique=True),
    Column("display_name", String(255), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_web_sessions_user_id", "user_id"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("alert_id", String(36), nullable=False),
    Column("decision", String(24), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(128), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reviewed_by", String(128), nullable=True),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("review_reason", Text, nullable=True),
    Index("ix_decisions_alert_id", "alert_id"),
)

WORKBENCH_TABLES = (users, web_sessions, decisions)
