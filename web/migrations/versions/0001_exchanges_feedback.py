"""The audit log (exchanges) and users' feedback: the schema before migrations existed.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchanges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("client", sa.String(80)),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("messages", sa.JSON, nullable=False),
        sa.Column("answer", sa.JSON),
        sa.Column("error", sa.JSON),
        sa.Column("latency_ms", sa.Integer),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exchange_id", sa.Integer, sa.ForeignKey("exchanges.id"), nullable=True),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("channel", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("exchanges")
