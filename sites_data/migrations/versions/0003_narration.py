"""Narration: the audio versions of each site and language, and the translation memory.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "narration_audio",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site_key", sa.String(80), sa.ForeignKey("sites.key"), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("voice", sa.String(300), nullable=False),
        sa.Column("transcript", sa.Text, nullable=True),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("loudness_lufs", sa.Float, nullable=False),
        sa.Column("true_peak_db", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("selected_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("site_key", "lang", "digest"),
    )
    op.create_index("ix_narration_audio_site_key", "narration_audio", ["site_key"])
    op.create_table(
        "translation_memory",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("model", sa.String(300), nullable=False),
        sa.Column("src", sa.String(8), nullable=False),
        sa.Column("tgt", sa.String(8), nullable=False),
        sa.Column("source_digest", sa.String(64), nullable=False),
        sa.Column("source_text", sa.Text, nullable=False),
        sa.Column("output_text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("model", "src", "tgt", "kind", "source_digest"),
    )


def downgrade() -> None:
    op.drop_table("translation_memory")
    op.drop_table("narration_audio")
