"""Jobs on a queue engine: each job's attempts, and the heartbeat of the worker running it
(a job whose worker stopped beating is taken again).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as jobs:
        jobs.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        jobs.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as jobs:
        jobs.drop_column("heartbeat_at")
        jobs.drop_column("attempts")
