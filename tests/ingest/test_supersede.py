"""Repeals read from the documents' own closing clauses (ingest/supersede.py), on real texts."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.corpus import Document, PolicyMeta, with_repeals
from ingest.supersede import repeals

EXTRA = Path(__file__).resolve().parents[3] / "shared" / "corpus-extra"
pytestmark = pytest.mark.skipif(not EXTRA.is_dir(), reason=f"{EXTRA} is absent")
LIUHE = "吉林省通化市柳河县"


def _doc(doc_id: str, title: str, region: str, year: int | None, text: str) -> Document:
    return Document(meta=PolicyMeta(doc_id=doc_id, title=title, region=region, year=year), text=text)


@pytest.fixture(scope="module")
def liuhe() -> dict[str, Document]:
    new = (EXTRA / "024_liuhe_key_industries_2023.txt").read_text("utf-8")
    old = (EXTRA / "025_liuhe_key_industries.txt").read_text("utf-8")
    return {"new": _doc("new", "中共柳河县委 柳河县人民政府关于支持重点产业加快发展的实施意见", LIUHE, 2023, new),
            "old": _doc("old", "加快重点产业实施意见", LIUHE, None, old)}


def test_a_dated_policy_repeals_the_older_one_of_its_region_and_topic(liuhe):
    found = repeals(liuhe)
    assert [(r.doc_id, r.by) for r in found] == [("old", "new")]
    assert "此前出台的支持重点产业发展相关支持奖励政策同时废止" in found[0].sentence


def test_the_repealed_document_is_marked_expired_with_the_repealing_words(liuhe):
    marked = with_repeals(liuhe)
    assert marked["old"].meta.superseded_by == "new" and marked["old"].meta.may_be_expired
    assert "已被《中共柳河县委" in marked["old"].meta.validity
    assert marked["new"].meta.superseded_by is None and not marked["new"].meta.may_be_expired


def test_nothing_is_repealed_across_regions_or_without_a_year(liuhe):
    elsewhere = {**liuhe, "old": liuhe["old"].model_copy(update={"meta": liuhe["old"].meta.model_copy(
        update={"region": "吉林省通化市辉南县"})})}
    assert repeals(elsewhere) == []
    undated = {**liuhe, "new": liuhe["new"].model_copy(update={"meta": liuhe["new"].meta.model_copy(
        update={"year": None})})}
    assert repeals(undated) == []


def test_a_named_repeal_needs_the_exact_title():
    """021 repeals 《辽宁省首台(套）…管理暂行办法》; 023 is the 管理办法 without 暂行: another document."""
    text = (EXTRA / "021_liaoning_enterprise_tech_innovation_fund.txt").read_text("utf-8")
    first_set = (EXTRA / "023_liaoning_first_set_major_equipment.txt").read_text("utf-8")
    docs = {"fund": _doc("fund", "辽宁省企业技术创新专项资金管理办法", "辽宁省", None, text),
            "set": _doc("set", "辽宁省首台（套）重大技术装备专项补助资金管理办法", "辽宁省", None, first_set)}
    assert repeals(docs) == []
    renamed = {**docs, "set": _doc("set", "辽宁省首台（套）重大技术装备专项补助资金管理暂行办法", "辽宁省", None, first_set)}
    assert [(r.doc_id, r.by) for r in repeals(renamed)] == [("set", "fund")]
