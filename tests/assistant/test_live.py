"""LiveService: an instance moves to a newly published generation, and only to a complete one."""
from __future__ import annotations

import time

import pytest

from assistant.live import LiveService
from errors import PolicyError
from ingest.corpus import load_knowledge_base
from ingest.publish import marker_stamp, publish, read_published
from ingest.store import IngestItem, add_policies
from settings import load_settings

TEXT = "某县招商引资奖励办法\n第一条 为扩大招商引资，制定本办法。\n第二条 对固定资产投资1亿元以上的项目，奖励50万元。\n"


@pytest.fixture
def settings(tmp_path):
    s = load_settings(tmp_path / "shared")
    s.embedding_model = "fake"          # the real embedder is exercised by tests/web/test_scale_out.py
    return s


def _ingest(settings, tmp_path, name: str = "county_invest") -> str:
    path = tmp_path / f"{name}.txt"
    path.write_text(TEXT, encoding="utf-8")
    add_policies(settings.data_dir, [IngestItem(path, {"region": "吉林省通化市柳河县"})], progress=False)
    return load_knowledge_base(settings.data_dir).content_hash


def test_publish_replaces_the_marker_atomically(tmp_path):
    assert read_published(tmp_path) is None and marker_stamp(tmp_path) is None
    publish(tmp_path, "abc", "clauses_1")
    first = marker_stamp(tmp_path)
    assert read_published(tmp_path)["generation"] == "abc"
    publish(tmp_path, "def", "clauses_2")
    assert marker_stamp(tmp_path) != first and read_published(tmp_path)["index"] == "clauses_2"
    assert [p.name for p in tmp_path.iterdir()] == ["published.json"]      # no temporary file left


def test_serves_new_knowledge_only_once_published(settings, tmp_path):
    live = LiveService(settings)
    live.warm_up()
    old = live.current
    assert "county_invest" not in {m.doc_id for m in live.documents()}
    generation = _ingest(settings, tmp_path)                 # written, not yet published
    assert not live.reload_if_changed() and live.current is old
    publish(settings.data_dir, generation, None)
    assert live.reload_if_changed() and live.current is not old
    assert live.generation == generation and live.reloads == 1
    assert "county_invest" in {m.doc_id for m in live.documents()}
    assert live.search("吉林 招商引资 奖励")[0].clause.doc_id == "county_invest"
    assert not live.reload_if_changed()                      # unchanged marker: one stat, nothing more


def test_a_marker_ahead_of_the_files_is_not_served(settings, tmp_path):
    live = LiveService(settings)
    old = live.current
    publish(settings.data_dir, "0123456789abcdef", None)    # names a generation not on disk
    assert not live.reload_if_changed() and live.current is old
    generation = _ingest(settings, tmp_path)
    publish(settings.data_dir, generation, None)
    assert live.reload_if_changed() and live.generation == generation


def test_the_watcher_thread_reloads_by_itself(settings, tmp_path):
    live = LiveService(settings, interval=0.2)
    live.warm_up()
    live.start()
    try:
        generation = _ingest(settings, tmp_path)
        publish(settings.data_dir, generation, None)
        deadline = time.monotonic() + 30
        while live.generation != generation and time.monotonic() < deadline:
            time.sleep(0.1)
        assert live.generation == generation and live.reloads == 1
    finally:
        live.close()


def test_a_generation_that_fails_to_load_keeps_the_old_one_serving(settings, tmp_path):
    live = LiveService(settings)
    live.warm_up()
    old = live.current
    generation = _ingest(settings, tmp_path)
    broken = settings.data_dir / "packs" / "county_invest" / "meta.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text("title: [", encoding="utf-8")
    publish(settings.data_dir, generation, None)
    with pytest.raises(PolicyError) as err:
        live.reload_if_changed()
    assert live.current is old and err.value.code
    assert not live.reload_if_changed()                     # not retried until the next publish
    broken.write_text(good, encoding="utf-8")              # repaired, then published again
    publish(settings.data_dir, load_knowledge_base(settings.data_dir).content_hash, None)
    assert live.reload_if_changed() and "county_invest" in {m.doc_id for m in live.documents()}
