"""Schema creation and migration of the store, by the Alembic scripts in ``web/migrations``.

Run by ``Store`` when it opens a database (every app start), so a new release upgrades the schema
in place. A fresh database is created by the scripts (not by ``create_all``); a database made
before migrations existed (its tables present, no ``alembic_version``) is stamped at 0001, the
schema of that time, and upgraded from there. Several instances starting at once against one
PostgreSQL serialise on an advisory lock held for the migration's transaction (PostgreSQL DDL is
transactional: a failed upgrade leaves the old schema); on SQLite a lock file next to the
database does the same.
"""
from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
BASELINE = "0001"                  # the schema databases had before migrations existed
_PG_LOCK_KEY = 1_407_140_014       # any constant: one migration at a time per database


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or BASELINE


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to `revision` (the newest by default); returns the revision it is at."""
    lock = _sqlite_file_lock(engine) if engine.dialect.name == "sqlite" else _nothing()
    with lock, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg = alembic_config(conn)
        if current_revision(conn) is None and inspect(conn).has_table("exchanges"):
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, revision)
        return current_revision(conn) or ""


@contextmanager
def _nothing() -> Iterator[None]:
    yield
