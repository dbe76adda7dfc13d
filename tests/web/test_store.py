"""The audit log, feedback and rule-review store on SQLite and on a real PostgreSQL: records
survive a crash, concurrent writers lose nothing, the schema comes from the Alembic migrations."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from errors import PolicyError
from web.migrate import current_revision, head_revision, upgrade
from web.store import Store, default_url, metadata

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return default_url(tmp_path)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def test_exchange_round_trip(store):
    answer = {"answer": "最高可获得500万元", "citations": [], "calculations": [], "mode": "offline"}
    ex_id = store.record_exchange(channel="api", question="能拿多少？", client="key:ab12",
                                  messages=[{"role": "user", "content": "能拿多少？"}],
                                  answer=answer, latency_ms=12)
    [row] = store.exchanges()
    assert row["id"] == ex_id
    assert row["question"] == "能拿多少？"
    assert row["answer"]["answer"] == "最高可获得500万元"
    assert row["channel"] == "api" and row["client"] == "key:ab12" and row["error"] is None


def test_error_exchange_is_logged_too(store):
    store.record_exchange(channel="api", question="", messages=[],
                          error={"error": {"code": "empty_question", "message": "问题为空"}})
    assert store.exchanges()[0]["error"]["error"]["code"] == "empty_question"


def test_feedback_with_comment(store):
    ex_id = store.record_exchange(channel="ui", question="q", messages=[], answer={"answer": "a"})
    fb_id = store.record_feedback(exchange_id=ex_id, rating=-1)
    store.set_feedback_comment(fb_id, "  少了佛山的条款  ")
    [fb] = store.feedback(ex_id)
    assert fb["rating"] == -1 and fb["comment"] == "少了佛山的条款"


def test_feedback_rejects_bad_rating_and_unknown_exchange(store):
    with pytest.raises(PolicyError) as err:
        store.record_feedback(rating=5)
    assert err.value.code == "bad_feedback"
    with pytest.raises(PolicyError) as err:
        store.record_feedback(rating=1, exchange_id=999)
    assert err.value.code == "exchange_not_found"
    with pytest.raises(PolicyError):
        store.set_feedback_comment(999, "x")


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path):
    store = Store(default_url(tmp_path))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2   # FULL
    store.close()


def test_rule_reviews_record_who_when_and_what(store):
    first = store.record_review(rule_id="henan_2022_equipment", decision="accepted", reviewer="王审核",
                                doc_id="henan_2022_tech_upgrade", changes={"cap_yuan": 5000000})
    store.record_review(rule_id="foshan_voucher", decision="rejected", reviewer="李审核", note="  比例有误 ")
    later = store.record_review(rule_id="henan_2022_equipment", decision="rejected", reviewer="李审核")
    assert [r["id"] for r in store.list_reviews("henan_2022_equipment")] == [later, first]
    [old] = [r for r in store.list_reviews() if r["id"] == first]
    assert old["reviewer"] == "王审核" and old["changes"] == {"cap_yuan": 5000000}
    assert old["created_at"] is not None and old["doc_id"] == "henan_2022_tech_upgrade"
    assert store.list_reviews("foshan_voucher")[0]["note"] == "比例有误"
    assert len(store.list_reviews()) == 3


def test_rule_review_rejects_unknown_decision_and_missing_reviewer(store):
    with pytest.raises(PolicyError) as err:
        store.record_review(rule_id="r1", decision="maybe", reviewer="王审核")
    assert err.value.code == "bad_review" and "accepted" in err.value.message
    with pytest.raises(PolicyError):
        store.record_review(rule_id="r1", decision="accepted", reviewer="  ")
    assert store.list_reviews() == []


def test_schema_is_the_migrations_head_and_matches_the_models(store):
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision() == "0002"
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_reopening_migrates_nothing_and_keeps_the_rows(db_url):
    first = Store(db_url)
    ex_id = first.record_exchange(channel="api", question="q", messages=[], answer={"answer": "a"})
    first.close()
    again = Store(db_url)
    assert [r["id"] for r in again.exchanges()] == [ex_id]
    again.close()


def test_database_made_before_migrations_is_upgraded_in_place(db_url):
    """Old installs created exchanges + feedback with create_all (no alembic_version table)."""
    engine = create_engine(db_url)
    metadata.tables["exchanges"].create(engine)
    metadata.tables["feedback"].create(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO exchanges (created_at, channel, question, messages) "
                          "VALUES (CURRENT_TIMESTAMP, 'api', '旧问题', '[]')"))
    assert upgrade(engine) == "0002"
    assert "rule_reviews" in inspect(engine).get_table_names()
    engine.dispose()
    store = Store(db_url)
    assert store.exchanges()[0]["question"] == "旧问题"
    store.close()


def test_instances_starting_at_once_migrate_once(db_url):
    """Several app instances opening one fresh database together: all succeed, one schema."""
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(db_url).close()
        except BaseException as exc:     # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store(db_url)
    assert store.counts() == {"exchanges": 0, "feedback": 0}
    store.close()


def test_unreachable_database_is_a_chinese_error():
    with pytest.raises(PolicyError) as err:
        Store("postgresql://nobody@127.0.0.1:1/none")
    assert err.value.code == "database_unreachable" and "DATABASE_URL" in err.value.message


def test_concurrent_writers_lose_nothing(store):
    def write(n: int) -> None:
        for i in range(25):
            store.record_exchange(channel="api", question=f"{n}-{i}", messages=[], answer={"answer": "a"})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.counts()["exchanges"] == 200


def test_acknowledged_record_survives_a_hard_crash(db_url):
    """A process that is killed right after record_exchange returns has still stored the record."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from web.store import Store
        s = Store({db_url!r})
        ex = s.record_exchange(channel="api", question="崩溃前的问题", messages=[], answer={{"answer": "a"}})
        s.record_feedback(exchange_id=ex, rating=1, comment="好")
        print(ex, flush=True)
        os._exit(9)          # no clean shutdown, no dispose, no checkpoint
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9, proc.stderr
    acknowledged = int(proc.stdout.strip())
    reopened = Store(db_url)
    assert [r["id"] for r in reopened.exchanges()] == [acknowledged]
    assert reopened.exchanges()[0]["question"] == "崩溃前的问题"
    assert reopened.feedback(acknowledged)[0]["comment"] == "好"
    reopened.close()


def test_unknown_database_kind_is_a_chinese_error():
    with pytest.raises(PolicyError) as err:
        Store("nosuchdb://somewhere/x")
    assert err.value.code == "bad_database_url" and "DATABASE_URL" in err.value.message
