"""HTTP API tables: API keys, screening records (audit trail), batch jobs.

Revision ID: 0002_api
Revises: 0001_initial
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_api"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("rate_per_minute", sa.Float, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "screening_records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("key_name", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("endpoint", sa.String(255), nullable=False),
        sa.Column("query_sha256", sa.String(64), nullable=False),
        sa.Column("query", sa.JSON, nullable=True),
        sa.Column("versions", sa.JSON, nullable=False),
        sa.Column("algorithm", sa.String(64), nullable=False),
        sa.Column("redacted", sa.Integer, nullable=False),
        sa.Column("results", sa.JSON, nullable=False),
    )
    op.create_index(
        "ix_screening_records_created_at", "screening_records", ["created_at"], unique=False
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("screening_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("jobs")
    op.drop_index("ix_screening_records_created_at", table_name="screening_records")
    op.drop_table("screening_records")
    op.drop_table("api_keys")
