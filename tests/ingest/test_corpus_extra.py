"""Ingest the 32 real policies of ../shared/corpus-extra (read in place, never copied here)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.corpus import load_knowledge_base
from ingest.store import add_policies, read_manifest

EXTRA = Path(__file__).resolve().parents[3] / "shared" / "corpus-extra"
SOURCES = EXTRA / "SOURCES.tsv"

pytestmark = pytest.mark.skipif(not SOURCES.is_file(), reason=f"{SOURCES} is absent (shared corpus not on this machine)")

# Regulation-style documents (管理办法 …): every article is cited as 第X条, with its chapter.
REGULATIONS = {
    "004_ganjingzi_hq_economy": ["第二章第一条", "第三章第五条", "第七章第十四条", "第八章第二十二条"],
    "012_dalian_engineering_lab": ["第一章第一条", "第二章第七条（一）", "第三章第十条", "第四章第十六条"],
    "017_dalian_first_set_equipment": ["第一章第一条", "第五章第十三条", "第八章第二十七条"],
    "021_liaoning_enterprise_tech_innovation_fund": ["第一章第四条", "第二章第六条1", "第三章第十四条"],
    "023_liaoning_first_set_major_equipment": ["第一章第一条", "第二章第五条2", "第七章第二十二条"],
    "007_ganjingzi_economic_awards": ["第四章第一条", "第五章第一条", "第六章第十六条", "第七章第一条"],
    "001_ganjingzi_listing_subsidy": ["第一条", "第十二条1", "第二十条"],
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    data = tmp_path_factory.mktemp("extra-data")
    results = add_policies(data, read_manifest(SOURCES), progress=False)
    assert len(results) == 32
    return load_knowledge_base(data)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with SOURCES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_all_32_are_in_the_knowledge_base_with_their_metadata(kb, rows):
    assert len(rows) == 32
    for row in rows:
        meta = kb.meta(Path(row["file"]).stem)
        assert (meta.title, meta.region) == (row["title"], row["region"])
        assert meta.year == (int(row["year"]) if row["year"] else None)
    assert kb.meta("001_ganjingzi_listing_subsidy").parent_regions == ["辽宁省", "大连市"]
    assert kb.meta("024_liuhe_key_industries_2023").parent_regions == ["吉林省", "通化市"]
    assert {"henan_2018_smart_mfg", "foshan_industrial_internet"} <= set(kb.documents)


def test_every_character_is_kept_once_in_order(kb, rows):
    for row in rows:
        doc_id = Path(row["file"]).stem
        parsed = kb.documents[doc_id].parsed
        source = (EXTRA / row["file"]).read_text(encoding="utf-8-sig")
        assert re.sub(r"\s", "", "".join(c.text for c in parsed.clauses)) == re.sub(r"\s", "", source), doc_id
        assert all(parsed.text[c.start:c.end] == c.text for c in parsed.clauses), doc_id
        assert all(a.end <= b.start for a, b in zip(parsed.clauses, parsed.clauses[1:], strict=False)), doc_id
        assert len({c.label for c in parsed.clauses}) == len(parsed.clauses), doc_id


def test_no_label_needed_a_duplicate_suffix(kb):
    assert [c.id for c in kb.clauses if "（重" in c.label] == []


@pytest.mark.parametrize("doc_id,labels", sorted(REGULATIONS.items()))
def test_regulation_documents_get_article_labels(kb, doc_id, labels):
    parsed = kb.documents[doc_id].parsed
    by_label = parsed.by_label()
    for label in labels:
        article = re.search(r"第[一二三四五六七八九十百零\d]+条", label).group()
        assert label in by_label, f"{doc_id}: {label} missing"
        assert by_label[label].text.replace(" ", "").startswith(article) or by_label[label].kind != "article"
    articles = [c for c in parsed.clauses if c.kind == "article"]
    source = (EXTRA / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert len(articles) == len(re.findall(r"(?m)^[\s\u3000]*第[一二三四五六七八九十百零\d]+条", source))


def test_chapter_titles_that_lost_their_number_are_numbered_in_sequence(kb):
    chapters = [(c.label, c.text) for c in kb.documents["021_liaoning_enterprise_tech_innovation_fund"].clauses
                if c.kind == "chapter"]
    assert chapters[:4] == [("第一章", "总则"), ("第二章", "第二章 支持企业并购"),
                            ("第三章", "支持引进海外先进适用技术"), ("第四章", "第四章 支持首台(套）重大技术装备的研制与应用")]
    assert [c.label for c in kb.documents["012_dalian_engineering_lab"].clauses if c.kind == "chapter"] == \
        ["第一章", "第二章", "第三章", "第四章", "第五章"]


def test_spaced_article_numbers_inside_sections(kb):
    doc = kb.documents["024_liuhe_key_industries_2023"]
    assert kb.clause(doc.meta.doc_id, "二、（四）第10条").text.startswith("第 1 0 条")
    assert sum(c.kind == "article" for c in doc.clauses) == 26


def test_annex_numbering_does_not_collide_with_the_notice(kb):
    labels = kb.documents["029_guowuyuan_innovation_reforms_batch2"].parsed.by_label()
    assert labels["一、"].text.startswith("一、推广的改革举措")
    assert labels["附件一、"].text.startswith("一、知识产权保护方面")
