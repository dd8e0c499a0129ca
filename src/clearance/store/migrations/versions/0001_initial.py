"""The first schema: entity blobs, list versions, version entities, active versions, source state.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entity_blobs",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("publication_date", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.Column("schema_counts", sa.JSON, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_list_versions_source_sha256", "list_versions", ["source", "sha256"])
    op.create_table(
        "version_entities",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("list_versions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("hash", sa.String(64), sa.ForeignKey("entity_blobs.hash"), nullable=False),
        sa.Column("record_id", sa.String(255), nullable=True),
    )
    op.create_index("ix_version_entities_entity_id", "version_entities", ["entity_id"])
    op.create_table(
        "active_versions",
        sa.Column("source", sa.String(128), primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_versions.id"), nullable=False),
    )
    op.create_table(
        "source_state",
        sa.Column("source", sa.String(128), primary_key=True),
        sa.Column("etag", sa.String(512), nullable=True),
        sa.Column("last_modified", sa.String(128), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("stale", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_state")
    op.drop_table("active_versions")
    op.drop_index("ix_version_entities_entity_id", "version_entities")
    op.drop_table("version_entities")
    op.drop_index("ix_list_versions_source_sha256", "list_versions")
    op.drop_table("list_versions")
    op.drop_table("entity_blobs")
