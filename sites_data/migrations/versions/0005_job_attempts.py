"""Jobs on a queue engine: each job's attempts, and the heartbeat of the worker running it
(a job whose worker stopped beating is taken again). The jobs the table queue left waiting
or running have no message on the engine: they are marked as running on a worker that
stopped long ago, so that the first worker to start takes them back and queues them again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from datetime import UTC, datetime

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
    table = sa.table(
        "jobs",
        sa.column("status", sa.String),
        sa.column("worker", sa.String),
        sa.column("heartbeat_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        table.update()
        .where(table.c.status.in_(["queued", "running"]))
        .values(
            status="running",
            worker="the table queue",
            heartbeat_at=datetime(2000, 1, 1, tzinfo=UTC),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as jobs:
        jobs.drop_column("heartbeat_at")
        jobs.drop_column("attempts")
