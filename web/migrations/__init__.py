"""Alembic migration scripts of the audit/feedback/review store (run by web.migrate at start)."""
