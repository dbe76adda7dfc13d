"""Ingest limits and publishing (issue 13, item 5): a zip-bomb .docx, too many clauses, a long doc-id,
and a killed ingest leaves the previous generation (policies and index) serving."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

import app
from ingest import limits
from ingest.corpus import load_knowledge_base
from ingest.store import IngestItem, add_policies

TEXT = "某县招商引资奖励办法\n第一条 为扩大招商引资，制定本办法。\n第二条 对固定资产投资1亿元以上的项目，奖励50万元。\n"


@pytest.fixture
def policy(tmp_path) -> Path:
    path = tmp_path / "county_invest.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _ingest(args: list[str], capsys) -> tuple[int, str]:
    code = app.main(["ingest", *args, "--no-index"])
    return code, capsys.readouterr().err


def test_a_300_character_doc_id_is_a_chinese_error_not_oserror(tmp_path, policy, capsys):
    code, err = _ingest([str(policy), "--region", "吉林省", "--doc-id", "a" * 300,
                         "--data-dir", str(tmp_path / "d")], capsys)
    assert code == 2 and "doc_id" in err and "不能超过 80 个字符" in err and "OSError" not in err
    assert not (tmp_path / "d").exists()


def test_a_docx_that_unpacks_to_too_much_xml_is_refused_before_parsing(tmp_path, capsys, monkeypatch):
    path = tmp_path / "bomb.docx"
    document = docx.Document()
    document.add_paragraph("第一条 为扩大招商引资，制定本办法。")
    document.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/padding.xml", "<a/>" * 300_000)          # compresses to a few KB
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1024 * 1024)
    assert path.stat().st_size < 100_000
    code, err = _ingest([str(path), "--region", "吉林省", "--data-dir", str(tmp_path / "d")], capsys)
    assert code == 2 and "解压后过大" in err


def test_too_many_clauses_and_too_much_text_are_refused(tmp_path, capsys, monkeypatch):
    path = tmp_path / "long.txt"
    path.write_text("某县办法\n" + "".join(f"第{i}条 对项目给予奖励{i}万元。\n" for i in range(1, 60)), encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_CLAUSES", 50)
    code, err = _ingest([str(path), "--region", "吉林省", "--data-dir", str(tmp_path / "d")], capsys)
    assert code == 2 and "超过单个文件 50 条的上限" in err
    monkeypatch.setattr(limits, "MAX_DOC_CHARS", 100)
    code, err = _ingest([str(path), "--region", "吉林省", "--data-dir", str(tmp_path / "d")], capsys)
    assert code == 2 and "文字过多" in err
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    code, err = _ingest([str(path), "--region", "吉林省", "--data-dir", str(tmp_path / "d")], capsys)
    assert code == 2 and "过大" in err


def test_a_killed_index_build_leaves_the_previous_generation_live(tmp_path, policy):
    data = tmp_path / "data"
    add_policies(data, [IngestItem(policy, {"region": "吉林省"})], progress=False)
    before = load_knowledge_base(data)
    second = tmp_path / "second_policy.txt"
    second.write_text(TEXT.replace("某县", "某市"), encoding="utf-8")

    def killed(staging: Path) -> None:
        assert (staging / "second_policy" / "policy.txt").is_file()   # built from the staged generation …
        assert "second_policy" not in load_knowledge_base(data).documents     # … while the old one serves
        raise KeyboardInterrupt                                     # kill -INT during the index build

    with pytest.raises(KeyboardInterrupt):
        add_policies(data, [IngestItem(second, {"region": "吉林省"})], progress=False, before_publish=killed)
    after = load_knowledge_base(data)
    assert set(after.documents) == set(before.documents) and after.content_hash == before.content_hash
    assert [p.name for p in data.iterdir() if p.name.startswith(".policies")] == []


def test_the_index_is_built_for_the_generation_before_it_goes_live(tmp_path, policy, monkeypatch):
    """The CLI builds the staged generation's index first; the server then finds it finished."""
    import assistant.retrieval as retrieval
    from assistant.embedders import EmbeddingCache, FakeEmbedder
    from assistant.index import chroma_client, open_index

    embedder = FakeEmbedder()
    monkeypatch.setattr(retrieval, "_embedder", lambda name: embedder)
    data = tmp_path / "data"
    code = app.main(["ingest", str(policy), "--region", "吉林省", "--data-dir", str(data)])
    assert code == 0
    kb = load_knowledge_base(data)
    assert "county_invest" in kb.documents
    client = chroma_client(data)
    index = open_index(client, kb, embedder, EmbeddingCache(data / "index" / "embeddings.sqlite"),
                       retrieval.rules_for_clauses(kb, retrieval._default_rulebook(data)))
    assert index.built is False                       # no rebuild at the first search
