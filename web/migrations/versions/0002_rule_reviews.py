"""Rule reviews: who accepted or rejected which drafted rule, and when.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer", sa.String(80), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("doc_id", sa.String(120)),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("changes", sa.JSON),
    )
    op.create_index("ix_rule_reviews_rule_id", "rule_reviews", ["rule_id"])


def downgrade() -> None:
    op.drop_index("ix_rule_reviews_rule_id", table_name="rule_reviews")
    op.drop_table("rule_reviews")
