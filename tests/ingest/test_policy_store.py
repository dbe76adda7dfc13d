"""Adding policies to a data directory: metadata sources, replace, and all-or-nothing writes.

(Named test_policy_store.py, not test_store.py: tests/web/test_store.py exists and pytest's
default import mode cannot collect two test modules with the same basename.)
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from errors import PolicyError
from ingest import store
from ingest.corpus import KNOWLEDGE_DIR, load_knowledge_base
from ingest.store import IngestItem, add_policies, guess_level, read_manifest, region_parents, sanitise_doc_id

TEXT = """大连市某某产业扶持办法
第一章 总则
第一条 为促进产业发展，制定本办法。
第二章 扶持政策
第二条 对新落户企业，按实缴注册资本的1%给予奖励，最高不超过300万元。
第三条 本办法自发布之日起施行。
"""


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and directory (None) under `folder`, hidden ones included."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(autouse=True)
def knowledge_untouched():
    before = snapshot(KNOWLEDGE_DIR / "packs")
    yield
    assert snapshot(KNOWLEDGE_DIR / "packs") == before


@pytest.fixture
def policy(tmp_path) -> Path:
    path = tmp_path / "in" / "dalian-industry policy.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def _meta(data: Path, doc_id: str) -> dict:
    return yaml.safe_load((data / "packs" / doc_id / "meta.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- metadata helpers
def test_region_parents_split_on_administrative_boundaries():
    assert region_parents("辽宁省大连市甘井子区") == ["辽宁省", "大连市"]
    assert region_parents("吉林省通化市柳河县") == ["吉林省", "通化市"]
    assert region_parents("佛山市") == ["广东省"]
    assert region_parents("佛山市南海区") == ["广东省", "佛山市"]
    assert region_parents("河南省") == []
    assert region_parents("上海市（临港地区）") == ["上海市"]
    assert region_parents("内蒙古自治区呼和浩特市") == ["内蒙古自治区"]


def test_level_and_doc_id_defaults():
    assert [guess_level(r) for r in ("全国（国务院）", "辽宁省", "上海市", "辽宁省大连市", "辽宁省大连市甘井子区")] == \
        ["国家级", "省级", "省级", "地市级", "区县级"]
    assert sanitise_doc_id("dalian-industry policy (2019)") == "dalian-industry_policy_2019"
    assert sanitise_doc_id("甘井子区·办法") == "甘井子区_办法"
    assert sanitise_doc_id("...") == "policy"


# ---------------------------------------------------------------- adding
def test_add_with_flags_writes_text_and_metadata(tmp_path, policy):
    data = tmp_path / "data"
    [result] = add_policies(data, [IngestItem(policy, {"region": "辽宁省大连市", "year": 2019,
                                                       "doc_number": "大政发〔2019〕1号"})], progress=False)
    assert (result.doc_id, result.title, result.replaced) == ("dalian-industry_policy", "大连市某某产业扶持办法", None)
    assert result.clauses == 6
    assert (data / "packs" / "dalian-industry_policy" / "policy.txt").read_text(encoding="utf-8") == TEXT
    meta = _meta(data, "dalian-industry_policy")
    assert meta["parent_regions"] == ["辽宁省"] and meta["level"] == "地市级" and meta["year"] == 2019
    assert meta["source_file"] == "dalian-industry policy.txt"
    kb = load_knowledge_base(data)
    assert kb.clause("dalian-industry_policy", "第二章第二条").text.startswith("第二条 对新落户企业")
    assert "henan_2022_tech_upgrade" in kb.documents                 # the packaged corpus is still there
    assert sorted(p.name for p in data.iterdir()) == ["packs"]    # no staging folders left behind


def test_replace_an_ingested_policy_and_override_a_packaged_one(tmp_path, policy):
    data = tmp_path / "data"
    add_policies(data, [IngestItem(policy, {"region": "辽宁省", "doc_id": "p1"})], progress=False)
    policy.write_text(TEXT.replace("300万元", "500万元"), encoding="utf-8")
    [again] = add_policies(data, [IngestItem(policy, {"region": "辽宁省", "doc_id": "p1"})], progress=False)
    assert again.replaced == "data"
    assert "500万元" in load_knowledge_base(data).clause("p1", "第二章第二条").text
    [over] = add_policies(data, [IngestItem(policy, {"region": "河南省", "doc_id": "henan_2018_smart_mfg"})],
                          progress=False)
    assert over.replaced == "packaged"
    assert load_knowledge_base(data).meta("henan_2018_smart_mfg").title == "大连市某某产业扶持办法"
    assert load_knowledge_base(None).meta("henan_2018_smart_mfg").title.startswith("河南省")


@pytest.mark.parametrize("sidecar", ["{name}.yaml", "{stem}.yaml", "{stem}.meta.yaml"])
def test_sidecar_metadata(tmp_path, policy, sidecar):
    side = policy.parent / sidecar.format(name=policy.name, stem=policy.stem)
    side.write_text("doc_id: dl_industry\ntitle: 大连市产业扶持办法（试行）\nregion: 辽宁省大连市\nissuer: 大连市人民政府\n",
                    encoding="utf-8")
    [result] = add_policies(tmp_path / "data", [IngestItem(policy)], progress=False)
    assert (result.doc_id, result.title, result.region) == ("dl_industry", "大连市产业扶持办法（试行）", "辽宁省大连市")
    assert _meta(tmp_path / "data", "dl_industry")["issuer"] == "大连市人民政府"


def test_flags_override_the_sidecar(tmp_path, policy):
    (policy.parent / f"{policy.stem}.yaml").write_text("region: 辽宁省\ntitle: 旧标题\n", encoding="utf-8")
    [result] = add_policies(tmp_path / "data", [IngestItem(policy, {"title": "新标题"})], progress=False)
    assert (result.title, result.region) == ("新标题", "辽宁省")


@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_manifest_tsv_or_csv_with_paths_relative_to_it(tmp_path, policy, delimiter):
    other = policy.parent / "sub" / "second.txt"
    other.parent.mkdir()
    other.write_text(TEXT.replace("大连市", "沈阳市"), encoding="utf-8")
    rows = [["file", "title", "region", "year", "source"],
            [policy.name, "第一份", "辽宁省大连市", "2019", "http://example.invalid/1"],
            ["sub/second.txt", "第二份", "辽宁省沈阳市", "", ""]]
    manifest = policy.parent / ("list.tsv" if delimiter == "\t" else "list.csv")
    manifest.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding="utf-8")
    results = add_policies(tmp_path / "data", read_manifest(manifest), progress=False)
    assert [(r.doc_id, r.title, r.region) for r in results] == [
        ("dalian-industry_policy", "第一份", "辽宁省大连市"), ("second", "第二份", "辽宁省沈阳市")]
    assert _meta(tmp_path / "data", "second")["year"] is None
    assert _meta(tmp_path / "data", "dalian-industry_policy")["year"] == 2019


def test_manifest_without_required_columns(tmp_path):
    (tmp_path / "m.tsv").write_text("file\ttitle\nx.txt\t标题\n", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        read_manifest(tmp_path / "m.tsv")
    assert err.value.code == "bad_manifest" and "region" in err.value.message


def test_region_is_required(tmp_path, policy):
    with pytest.raises(PolicyError) as err:
        add_policies(tmp_path / "data", [IngestItem(policy)], progress=False)
    assert err.value.code == "missing_region" and "--region" in err.value.message
    assert not (tmp_path / "data").exists()


# ---------------------------------------------------------------- all or nothing
@pytest.fixture
def populated(tmp_path, policy) -> Path:
    data = tmp_path / "data"
    add_policies(data, [IngestItem(policy, {"region": "辽宁省", "doc_id": "existing"})], progress=False)
    (data / "index").mkdir()
    (data / "index" / "marker.bin").write_bytes(b"\x00index")
    return data


@pytest.mark.parametrize("bad_name,bad_bytes", [
    ("corrupt.docx", b"PK\x03\x04 broken"), ("empty.pdf", b""), ("empty.txt", b""),
    ("english.html", b"<html><body><p>No Chinese here</p></body></html>"),
])
def test_a_bad_file_in_a_batch_leaves_the_data_dir_byte_for_byte(tmp_path, policy, populated, bad_name, bad_bytes):
    bad = tmp_path / bad_name
    bad.write_bytes(bad_bytes)
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    before = snapshot(populated)
    with pytest.raises(PolicyError):
        add_policies(populated, [IngestItem(good, {"region": "辽宁省"}), IngestItem(bad, {"region": "辽宁省"})],
                     progress=False)
    assert snapshot(populated) == before


def test_a_failure_while_writing_leaves_the_data_dir_byte_for_byte(tmp_path, policy, populated, monkeypatch):
    written = []

    def fail_on_second(folder, prepared, old):
        if written:
            raise OSError("disk full")
        written.append(prepared)
        return real_write(folder, prepared, old)

    real_write = store._write_policy
    monkeypatch.setattr(store, "_write_policy", fail_on_second)
    before = snapshot(populated)
    second = tmp_path / "second.txt"
    second.write_text(TEXT, encoding="utf-8")
    with pytest.raises(OSError):
        add_policies(populated, [IngestItem(policy, {"region": "辽宁省", "doc_id": "a"}),
                                 IngestItem(second, {"region": "辽宁省", "doc_id": "b"})], progress=False)
    assert written and snapshot(populated) == before


def test_a_failed_swap_puts_the_old_folder_back(tmp_path, policy, populated, monkeypatch):
    import os

    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name.startswith(".packs.new-"):
            raise OSError("rename failed")
        real_rename(src, dst)

    monkeypatch.setattr(store.os, "rename", rename)
    before = snapshot(populated)
    with pytest.raises(OSError):
        add_policies(populated, [IngestItem(policy, {"region": "辽宁省", "doc_id": "new"})], progress=False)
    assert snapshot(populated) == before


def test_duplicate_doc_ids_in_one_batch_are_refused(tmp_path, policy, populated):
    before = snapshot(populated)
    with pytest.raises(PolicyError) as err:
        add_policies(populated, [IngestItem(policy, {"region": "辽宁省", "doc_id": "same"}),
                                 IngestItem(policy, {"region": "辽宁省", "doc_id": "same"})], progress=False)
    assert err.value.code == "duplicate_doc_id"
    assert snapshot(populated) == before


def test_bad_year_in_metadata(tmp_path, policy):
    (policy.parent / f"{policy.stem}.yaml").write_text("region: 辽宁省\nyear: 二〇一九\n", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        add_policies(tmp_path / "data", [IngestItem(policy)], progress=False)
    assert err.value.code == "bad_metadata"


def test_the_packaged_knowledge_folder_is_never_a_target(policy, monkeypatch):
    def must_not_get_here(*args, **kwargs):
        raise AssertionError("the target check must refuse before anything is read or written")

    monkeypatch.setattr(store, "_prepare", must_not_get_here)
    for data_dir in (KNOWLEDGE_DIR, KNOWLEDGE_DIR / "packs", KNOWLEDGE_DIR / "packs" / "x"):
        with pytest.raises(PolicyError) as err:
            add_policies(data_dir, [IngestItem(policy, {"region": "辽宁省"})], progress=False)
        assert err.value.code == "bad_data_dir"


def test_nothing_to_ingest(tmp_path):
    with pytest.raises(PolicyError) as err:
        add_policies(tmp_path / "data", [], progress=False)
    assert err.value.code == "no_input"


def test_a_damaged_data_dir_is_reported_not_a_traceback(tmp_path, policy):
    data = tmp_path / "data"
    add_policies(data, [IngestItem(policy, {"region": "辽宁省", "doc_id": "p"})], progress=False)
    (data / "packs" / "p" / "policy.txt").unlink()
    with pytest.raises(PolicyError) as err:
        load_knowledge_base(data)
    assert err.value.code == "bad_pack" and "policy.txt" in err.value.message and "packs/p" in err.value.message


def test_the_doc_number_is_read_from_the_text_when_it_gives_its_own():
    from pathlib import Path

    from ingest.store import doc_number_in
    extra = Path(__file__).resolve().parents[3] / "shared" / "corpus-extra"
    own = (extra / "031_guowuyuan_employment_measures.txt").read_text(encoding="utf-8")
    cites_only = (extra / "002_ganjingzi_financial_leasing.txt").read_text(encoding="utf-8")
    assert doc_number_in(own) == "国发〔2018〕39号"
    assert "国办发〔2015〕68号" in cites_only and doc_number_in(cites_only) is None   # cited, not its own
    assert doc_number_in("关于印发某办法的通知\n甘政办发（2016）3号\n各单位：") == "甘政办发〔2016〕3号"
