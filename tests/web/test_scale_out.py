"""Two app instances for real: one Chroma server, one PostgreSQL, one shared data directory.

Ingest through the CLI next to instance A; instance B serves the new policy within seconds,
without a restart; both write their audit records into the same PostgreSQL database.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from services import ChromaServer, free_port, start_app, stop_process, wait_healthy

from ingest.publish import read_published
from web.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEXT = ("某县招商引资奖励办法\n第一条 为扩大招商引资，制定本办法。\n"
        "第二条 对新落户的集成电路封装测试项目，固定资产投资1亿元以上的，奖励50万元。\n")

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def chroma():
    server = ChromaServer().start()
    yield server
    server.stop()


def _ingest(env: dict[str, str], path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "app.py", "ingest", str(path), "--region", "吉林省通化市柳河县"],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=600)


def _wait_for_generation(url: str, generation: str, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if httpx.get(url + "/healthz", timeout=5).json().get("generation") == generation:
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{url} still serves an older generation after {timeout} s")


def test_two_instances_share_one_knowledge_base(tmp_path, chroma, postgres_server):
    database = postgres_server.create_database("scale_out")
    shared = tmp_path / "shared"
    env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma.port), "DATABASE_URL": database,
           "POLICY_DATA_DIR": str(shared)}
    urls = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    procs = []
    try:
        for n, url in enumerate(urls):          # one after the other: B reuses the index A built
            procs.append(start_app(int(url.rsplit(":", 1)[1]), env, tmp_path / f"app{n}.log", ROOT))
            before = wait_healthy(url, procs[-1])
        assert not (shared / "index" / "chroma").exists()          # the index is on the server
        a, b = urls
        policy = tmp_path / "county_invest.txt"
        policy.write_text(TEXT, encoding="utf-8")
        done = _ingest(env, policy)
        assert done.returncode == 0, done.stderr
        assert "新嵌入 3 条" in done.stdout                          # only the new clauses were embedded
        generation = read_published(shared)["generation"]
        assert generation != before["generation"]
        took = _wait_for_generation(b, generation, timeout=60)
        print(f"instance B serves the new generation {took:.1f} s after the ingest finished")
        hits = httpx.get(b + "/api/search", params={"q": "集成电路封装测试项目 奖励"}, timeout=30).json()
        assert hits[0]["doc_id"] == "county_invest" and hits[0]["clause"] == "第二条"
        _wait_for_generation(a, generation, timeout=60)
        for url in urls:
            resp = httpx.post(url + "/api/chat", json={"messages": [
                {"role": "user", "content": "柳河县集成电路封装测试项目投资1亿元能拿多少奖励？"}]}, timeout=60)
            assert resp.status_code == 200 and "county_invest" in {c["doc_id"] for c in resp.json()["citations"]}
        store = Store(database)
        assert store.counts()["exchanges"] == 2                     # both instances, one database
        store.close()
    finally:
        for proc in procs:
            stop_process(proc)
