"""`python app.py ingest ...` through app.main: output, exit codes, Chinese errors, index rebuild."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest
import yaml

import app
from ingest.corpus import load_knowledge_base
from ingest.publish import read_published

EXTRA_SOURCES = Path(__file__).resolve().parents[3] / "shared" / "corpus-extra" / "SOURCES.tsv"

TEXT = "某县招商引资奖励办法\n第一条 为扩大招商引资，制定本办法。\n第二条 对固定资产投资1亿元以上的项目，奖励50万元。\n"


@pytest.fixture
def policy(tmp_path) -> Path:
    path = tmp_path / "county_invest.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def fake_retrieval(monkeypatch):
    """Stand-in for assistant.retrieval that records ensure_index calls (no embedding model needed)."""
    calls = []
    module = types.ModuleType("assistant.retrieval")
    module.__spec__ = importlib.machinery.ModuleSpec("assistant.retrieval", None)

    def ensure_index(settings, kb, progress=True, threads=1):
        calls.append((settings.data_dir, set(kb.documents)))
        return types.SimpleNamespace(name="clauses_fake", embedded=len(kb.clauses))

    module.ensure_index = ensure_index
    monkeypatch.setitem(sys.modules, "assistant.retrieval", module)
    return calls


def test_ingest_a_file_prints_what_was_added_and_rebuilds_the_index(tmp_path, policy, capsys, fake_retrieval):
    data = tmp_path / "data"
    code = app.main(["ingest", str(policy), "--region", "吉林省通化市柳河县", "--year", "2023",
                     "--data-dir", str(data)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "新增  county_invest  《某县招商引资奖励办法》  吉林省通化市柳河县  3 条" in out
    assert "检索索引已更新" in out
    assert (data / "packs" / "county_invest" / "meta.yaml").is_file()
    assert "%" in err or "份" in err                      # the progress bar goes to stderr
    [(index_dir, docs)] = fake_retrieval
    assert index_dir == data and "county_invest" in docs and "henan_2022_tech_upgrade" in docs
    marker = read_published(data)                  # published for the other instances, last
    assert marker["generation"] == load_knowledge_base(data).content_hash and marker["index"] == "clauses_fake"


def test_no_index_publishes_nothing(tmp_path, policy, capsys, fake_retrieval):
    data = tmp_path / "data"
    assert app.main(["ingest", str(policy), "--region", "吉林省", "--data-dir", str(data), "--no-index"]) == 0
    assert fake_retrieval == [] and read_published(data) is None


def test_ingest_json_output_and_replace(tmp_path, policy, capsys, fake_retrieval):
    argv = ["ingest", str(policy), "--region", "吉林省", "--doc-id", "jl_invest", "--title", "招商办法",
            "--data-dir", str(tmp_path / "data"), "--json"]
    assert app.main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    drafted = first["added"][0].pop("drafted_rules")
    assert first["added"] == [{"doc_id": "jl_invest", "title": "招商办法", "region": "吉林省", "clauses": 3,
                               "replaced": None, "source": "county_invest.txt", "kept_reviewed": 0}]
    rules = yaml.safe_load((tmp_path / "data" / "packs" / "jl_invest" / "rules.yaml").read_text("utf-8"))
    assert drafted == 1 == len(rules) and rules[0]["status"] == "draft"
    assert app.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["added"][0]["replaced"] == "data"


@pytest.mark.slow
def test_ingest_rebuilds_the_real_index_and_search_finds_the_new_clause(tmp_path, policy, capsys):
    data = tmp_path / "d"
    code = app.main(["ingest", str(policy), "--region", "吉林省", "--data-dir", str(data)])
    assert code == 0 and "检索索引已更新" in capsys.readouterr().out
    code = app.main(["search", "--json", "吉林 招商引资 固定资产投资 奖励", "--data-dir", str(data)])
    hits = json.loads(capsys.readouterr().out)
    assert code == 0 and hits[0]["doc_id"] == "county_invest" and hits[0]["clause"] == "第二条"


@pytest.mark.skipif(not EXTRA_SOURCES.is_file(), reason="../shared/corpus-extra is absent")
def test_ingest_the_extra_corpus_by_manifest(tmp_path, capsys):
    data = tmp_path / "scratch"
    code = app.main(["ingest", "--manifest", str(EXTRA_SOURCES), "--data-dir", str(data), "--no-index", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and len(result["added"]) == 32
    assert len(list((data / "packs").glob("*/policy.txt"))) == 32
    assert {r["doc_id"] for r in result["added"]} >= {"004_ganjingzi_hq_economy", "032_guowuyuan_ftz_reform_measures"}


@pytest.mark.parametrize("name,content,needle", [
    ("broken.docx", b"PK\x03\x04 not a zip", "已损坏"),
    ("empty.txt", b"", "空的"),
    ("scan.pdf", b"%PDF-1.4 garbage", "无法读取"),
    ("notes.doc", b"old word", "另存为 .docx"),
])
def test_bad_files_exit_2_with_a_chinese_message_and_no_traceback(tmp_path, policy, capsys, name, content, needle):
    bad = tmp_path / name
    bad.write_bytes(content)
    data = tmp_path / "data"
    code = app.main(["ingest", str(policy), str(bad), "--region", "吉林省", "--data-dir", str(data), "--no-index"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("错误：") or "\n错误：" in err
    assert needle in err and "Traceback" not in out + err
    assert not data.exists()                                   # the good file was not written either


def test_errors_as_json_envelope(tmp_path, policy, capsys):
    code = app.main(["ingest", str(policy), "--data-dir", str(tmp_path / "d"), "--json", "--no-index"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 2 and payload["error"]["code"] == "missing_region" and "地区" in payload["error"]["message"]


def test_nothing_to_ingest_and_doc_id_with_many_files(tmp_path, policy, capsys):
    assert app.main(["ingest", "--data-dir", str(tmp_path)]) == 2
    assert "没有要导入的文件" in capsys.readouterr().err
    assert app.main(["ingest", str(policy), str(policy), "--doc-id", "x", "--region", "吉林省",
                     "--data-dir", str(tmp_path)]) == 2
    assert "只能在导入单个文件时使用" in capsys.readouterr().err

