"""Sites and their revisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=True),
        sa.Column("file_revision", sa.Integer, nullable=True),
    )
    op.create_index("ix_sites_category", "sites", ["category"])
    op.create_table(
        "site_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site_key", sa.String(80), sa.ForeignKey("sites.key"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.UniqueConstraint("site_key", "number"),
    )
    op.create_index("ix_site_revisions_site_key", "site_revisions", ["site_key"])


def downgrade() -> None:
    op.drop_table("site_revisions")
    op.drop_table("sites")
