"""Record the parser version of each list version.

Revision ID: 0005_parser_version
Revises: 0004_workbench
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_parser_version"
down_revision: str | None = "0004_workbench"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.add_column(sa.Column("parser_version", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.drop_column("parser_version")
