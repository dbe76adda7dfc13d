"""Audit log of questions and answers, users' feedback and rule reviews, through SQLAlchemy 2.

SQLite under the data directory by default (WAL journal, ``synchronous=FULL``); PostgreSQL through
``DATABASE_URL=postgresql+psycopg://user:password@host:port/db`` (psycopg 3), which several app
instances share. The schema is created and upgraded by Alembic (``web/migrate.py``) when a store
opens. Every write is its own transaction, committed before the method returns, so a record the
caller has acknowledged to a user survives a crash of the process.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import ArgumentError, OperationalError

from errors import PolicyError
from web.migrate import upgrade

metadata = MetaData()

exchanges = Table(
    "exchanges", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("channel", String(16), nullable=False),          # ui | api | openai | wechat
    Column("client", String(80)),                           # API-key fingerprint, WeChat openid, ip
    Column("question", Text, nullable=False),
    Column("messages", JSON, nullable=False),
    Column("answer", JSON),                                 # the Answer object, or None on error
    Column("error", JSON),                                  # the error envelope, or None
    Column("latency_ms", Integer),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("exchange_id", Integer, ForeignKey("exchanges.id"), nullable=True),
    Column("rating", Integer, nullable=False),              # +1 👍, -1 👎
    Column("comment", Text),
    Column("channel", String(16), nullable=False),
)


rule_reviews = Table(
    "rule_reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reviewer", String(80), nullable=False),             # who reviewed (admin name or token id)
    Column("rule_id", String(200), nullable=False, index=True),
    Column("doc_id", String(120)),
    Column("decision", String(16), nullable=False),             # accepted | rejected
    Column("note", Text),
    Column("changes", JSON),                                    # fields the reviewer edited
)
REVIEW_DECISIONS = ("accepted", "rejected")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def default_url(data_dir: Path | str) -> str:
    path = Path(data_dir) / "assistant.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith(("postgresql://", "postgres://")):      # plain URLs mean psycopg 3, not psycopg2
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    except (ArgumentError, ImportError) as exc:
        raise PolicyError("bad_database_url", f"DATABASE_URL 无法使用：{type(exc).__name__}: {exc}") from None


def _now() -> datetime:
    return datetime.now(UTC)


def storable(text: str) -> str:
    """`text` with any lone surrogate ("\\ud800") replaced by U+FFFD, so a refused input is still audited."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _plain(value: Any) -> Any:
    """JSON-safe copy (Decimal, datetime… become strings), so every backend stores the same."""
    return json.loads(storable(json.dumps(value, ensure_ascii=False, default=str)))


class Store:
    """Append-only records; each method commits before it returns."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        try:
            upgrade(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            raise PolicyError("database_unreachable",
                              f"无法连接数据库（DATABASE_URL）：{str(exc.orig).strip()[:300]}") from None

    def record_exchange(self, *, channel: str, question: str, messages: list[dict],
                        answer: dict | None = None, error: dict | None = None,
                        latency_ms: int | None = None, client: str | None = None) -> int:
        row = {"created_at": _now(), "channel": channel, "client": client, "question": storable(question),
               "messages": _plain(messages), "answer": _plain(answer) if answer is not None else None,
               "error": _plain(error) if error is not None else None, "latency_ms": latency_ms}
        with self.engine.begin() as conn:
            return int(conn.execute(insert(exchanges).values(**row)).inserted_primary_key[0])

    def record_feedback(self, *, rating: int, exchange_id: int | None = None,
                        comment: str | None = None, channel: str = "ui") -> int:
        if rating not in (1, -1):
            raise PolicyError("bad_feedback", "评价只能是 1（有帮助）或 -1（没帮助）")
        comment = storable((comment or "").strip())[:2000] or None
        with self.engine.begin() as conn:
            if exchange_id is not None and not self._exists(conn, exchange_id):
                raise PolicyError("exchange_not_found", f"没有编号为 {exchange_id} 的问答记录")
            values = {"created_at": _now(), "exchange_id": exchange_id, "rating": rating,
                      "comment": comment, "channel": channel}
            return int(conn.execute(insert(feedback).values(**values)).inserted_primary_key[0])

    def set_feedback_comment(self, feedback_id: int, comment: str) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(update(feedback).where(feedback.c.id == feedback_id)
                                  .values(comment=storable(comment.strip())[:2000] or None))
            if result.rowcount == 0:
                raise PolicyError("feedback_not_found", f"没有编号为 {feedback_id} 的评价")

    @staticmethod
    def _exists(conn: Any, exchange_id: int) -> bool:
        return conn.execute(select(exchanges.c.id).where(exchanges.c.id == exchange_id)).first() is not None

    def exchanges(self, limit: int = 50) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(exchanges).order_by(exchanges.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]

    def feedback(self, exchange_id: int | None = None) -> list[dict]:
        query = select(feedback).order_by(feedback.c.id)
        if exchange_id is not None:
            query = query.where(feedback.c.exchange_id == exchange_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            n_ex = conn.execute(select(func.count()).select_from(exchanges)).scalar_one()
            n_fb = conn.execute(select(func.count()).select_from(feedback)).scalar_one()
        return {"exchanges": int(n_ex), "feedback": int(n_fb)}

    def record_review(self, *, rule_id: str, decision: str, reviewer: str, doc_id: str | None = None,
                      note: str | None = None, changes: dict | None = None) -> int:
        """One reviewer's decision on one rule (the rule's pack is written by the caller)."""
        if decision not in REVIEW_DECISIONS:
            raise PolicyError("bad_review", f"复核结论只能是 {' / '.join(REVIEW_DECISIONS)}，收到“{decision}”")
        if not (rule_id or "").strip() or not (reviewer or "").strip():
            raise PolicyError("bad_review", "复核记录需要规则编号（rule_id）和复核人（reviewer）")
        values = {"created_at": _now(), "reviewer": reviewer.strip()[:80], "rule_id": rule_id.strip(),
                  "doc_id": doc_id, "decision": decision, "note": (note or "").strip()[:2000] or None,
                  "changes": _plain(changes) if changes else None}
        with self.engine.begin() as conn:
            return int(conn.execute(insert(rule_reviews).values(**values)).inserted_primary_key[0])

    def list_reviews(self, rule_id: str | None = None, limit: int = 200) -> list[dict]:
        """Reviews, newest first (of one rule when `rule_id` is given)."""
        query = select(rule_reviews).order_by(rule_reviews.c.id.desc()).limit(limit)
        if rule_id is not None:
            query = query.where(rule_reviews.c.rule_id == rule_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar_one() == 1

    def close(self) -> None:
        self.engine.dispose()
