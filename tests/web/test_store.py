"""The audit log and feedback store: records survive a crash, concurrent writers lose nothing."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from errors import PolicyError
from web.store import Store, default_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    s = Store(default_url(tmp_path))
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


def test_sqlite_runs_in_wal_mode_with_full_sync(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2   # FULL


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


def test_acknowledged_record_survives_a_hard_crash(tmp_path):
    """A process that is killed right after record_exchange returns has still stored the record."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from web.store import Store
        s = Store({default_url(tmp_path)!r})
        ex = s.record_exchange(channel="api", question="崩溃前的问题", messages=[], answer={{"answer": "a"}})
        s.record_feedback(exchange_id=ex, rating=1, comment="好")
        print(ex, flush=True)
        os._exit(9)          # no clean shutdown, no dispose, no checkpoint
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9, proc.stderr
    acknowledged = int(proc.stdout.strip())
    reopened = Store(default_url(tmp_path))
    assert [r["id"] for r in reopened.exchanges()] == [acknowledged]
    assert reopened.exchanges()[0]["question"] == "崩溃前的问题"
    assert reopened.feedback(acknowledged)[0]["comment"] == "好"
    reopened.close()
