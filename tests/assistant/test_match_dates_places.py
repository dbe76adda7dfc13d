"""Policy matching: the declaration year against a document's own period, failed acceptance,
refusals in words of review, project facts said around a list, and where the enterprise is.

Profiles in our own words; totals hand-computed from the policy texts before the first run."""
from __future__ import annotations

import pytest

from assistant.match_stages import forfeited, in_force
from assistant.offline_engine import OfflineEngine
from assistant.regions import RegionIndex
from ingest.corpus import KnowledgeBase, PolicyMeta, load_knowledge_base
from ingest.rules import load_rulebook

HENAN_2018 = """郑州一家装备制造企业。当前是{year}年，今年打算把能报的都报上。
1. 总装车间经省认定为智能工厂；
2. 我们获得了国家智能制造试点示范（2019年）；
3. 细分领域的行业工业互联网平台2019年纳入省重点培育名单，首期500万已经到账，{acceptance}。
按河南的智能制造和工业互联网政策，一共能拿多少？"""

HUNAN_PLATFORM = """我们公司专门做区域性工业互联网平台，在株洲。
1. 某园区的区域性工业互联网平台建设项目投资1000万元，2022年进入工信部试点示范；
2. 另一个项目入选工业大数据应用示范项目，投资500万元；
3. 工控安全试点示范应用项目我们也报了，没通过评审，投资300万元。
都没享受过其他政策，按湖南政策合计最多多少？"""

FOSHAN_PLATFORM = """{home}
1. 我们的平台被工信部认定为跨行业跨领域工业互联网平台；
2. 参加了一个产业集群工业互联数字化转型试点，牵头单位是另一家佛山企业，我们仅是联合体成员。
按佛山的政策能拿多少？"""


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(None)


@pytest.fixture(scope="module")
def engine(kb) -> OfflineEngine:
    regions = RegionIndex({d.meta.region: d.meta.parent_regions for d in kb.documents.values()})
    return OfflineEngine(kb, load_rulebook(), None, regions)    # the match needs no index


def _match(engine, text: str) -> dict:
    return engine.answer([{"role": "user", "content": text}]).to_json_dict()["match"]


def _status(m: dict, rule_id: str) -> str:
    return next(a["status"] for a in m["awards"] if a["rule_id"] == rule_id)


# -- the declaration year and a document that may have expired ----------------------------------
@pytest.mark.parametrize(("year", "acceptance", "total"), [
    (2020, "可惜今年验收不合格", 2_000_000),        # 智能工厂100 + 国家试点示范100; the platform recovered in full
    (2020, "今年已经通过验收", 12_000_000),         # + 行业平台1000
    (2021, "今年已经通过验收", 0),                  # the 2018—2020 document no longer in force
])
def test_a_declaration_year_within_the_documents_period_counts_it(engine, year, acceptance, total):
    m = _match(engine, HENAN_2018.format(year=year, acceptance=acceptance))
    assert m["declaration_year"] == year
    assert m["total_yuan"] == total
    factory = next(a for a in m["awards"] if a["rule_id"] == "henan2018_smart_factory")
    if total:
        assert factory["status"] == "selected" and "在文件有效期" in factory["reason"]
    else:
        assert factory["status"] == "missing_facts" and "有效期至2020年" in factory["reason"]


def test_a_platform_that_failed_acceptance_keeps_nothing(engine):
    m = _match(engine, HENAN_2018.format(year=2020, acceptance="可惜今年验收不合格"))
    platform = next(a for a in m["awards"] if a["rule_id"] == "henan2018_industry_platform")
    assert platform["status"] == "ineligible" and "全额收回" in platform["reason"]


def test_without_a_declaration_year_the_document_stays_flagged(engine):
    text = HENAN_2018.format(year=2020, acceptance="今年已经通过验收").replace("当前是2020年，今年打算把能报的都报上。", "")
    m = _match(engine, text)
    assert m["declaration_year"] is None and m["total_yuan"] == 0
    assert _status(m, "henan2018_smart_factory") == "missing_facts"


def test_in_force_needs_the_year_within_issue_and_end():
    meta = PolicyMeta(doc_id="x", title="t", region="河南省", year=2018, valid_until=2020, may_be_expired=True)
    assert [in_force(meta, y) for y in (2017, 2018, 2020, 2021, None)] == [False, True, True, False, False]
    assert not in_force(PolicyMeta(doc_id="y", title="t", region="河南省", year=2018), 2019)   # no end year


def test_only_a_failed_project_of_a_forfeiting_rule_loses_the_award():
    rules = {r.id: r for r in load_rulebook().rules}
    assert forfeited(rules["henan2018_industry_platform"], "failed")
    assert forfeited(rules["henan2018_industry_platform"], "not_accepted") is None
    assert forfeited(rules["henan2018_smart_factory"], "failed") is None


# -- refusals, and a project fact said around the list ------------------------------------------
def test_refused_in_review_and_the_intro_fact_that_a_point_states(engine):
    m = _match(engine, HUNAN_PLATFORM)
    # 平台 1000×30%=300 (≤500); 大数据 500×20%=100; 工控安全 refused. Had "专门做区域性工业互联网平台"
    # been every project's, the 大数据 project would have got 150 as a platform instead of 100
    assert m["total_yuan"] == 4_000_000
    assert _status(m, "hunan_ics_security_pilot") == "ineligible"
    chosen = sorted(a["rule_id"] for a in m["awards"] if a["status"] == "selected")
    assert chosen == ["hunan_big_data_demo", "hunan_industry_platform_pilot"]


def test_an_intro_fact_no_point_states_stays_the_enterprises(engine):
    from assistant.profile_text import ProfileReader
    reader = ProfileReader(engine.understander.reader, engine.facts)
    described = reader.read("我们做区域性工业互联网平台。1. 园区平台项目投资1000万元；2. 另一平台项目投资600万元。")
    assert described.facts["miit_pilot_industry_platform"].value is True
    assert all("miit_pilot_industry_platform" not in p.facts for p in described.projects)


def test_the_full_name_of_the_two_integration_pilot_and_a_review_refusal(engine):
    said = ("衡阳一家机械企业：我们属于两化融合管理体系贯标试点企业（工信部名单），{}。另外工业APP开发应用项目"
            "投资400万元，也入选了省里的产业化示范项目。按湖南政策一共能拿多少？")
    # 贯标 50 + 工业APP 400×20%=80
    assert _match(engine, said.format("去年通过了两化融合贯标认定"))["total_yuan"] == 1_300_000
    m = _match(engine, said.format("两化融合贯标认定去年评审未通过"))
    assert m["total_yuan"] == 800_000 and _status(m, "hunan_lianghua_guanbiao") == "ineligible"


# -- where the enterprise is --------------------------------------------------------------------
@pytest.mark.parametrize(("home", "total"), [
    ("我司注册地在深圳南山，佛山没有分公司也没有子公司，我们为多家佛山企业做工业互联网改造。", 0),
    ("我司注册地在佛山顺德，是佛山本地企业。", 2_000_000),
])
def test_a_local_enterprise_clause_follows_where_the_enterprise_is(engine, home, total):
    m = _match(engine, FOSHAN_PLATFORM.format(home=home))
    assert m["total_yuan"] == total
    platform = next(a for a in m["awards"] if a["rule_id"] == "foshan_cross_industry_platform")
    assert (platform["status"] == "selected") is bool(total)
    if not total:
        assert "本条仅适用于佛山市" in platform["reason"]
    assert _status(m, "foshan_cluster_pilot") == "ineligible"     # a member, not the lead


@pytest.mark.parametrize(("text", "home"), [
    ("我们公司注册和总部都在长沙岳麓，给不少株洲企业做配套，和一家株洲企业合作。", ("湖南省", "长沙市", "岳麓区")),
    ("我们给很多佛山企业提供云服务。", None),
    ("目前在佛山没有注册任何公司。", None),
    ("公司总部位于郑州，洛阳的工厂是分厂。", ("河南省", "郑州市")),      # 洛阳 is not within 郑州: dropped
])
def test_a_stated_home_beats_a_place_inferred_from_another_partys_words(engine, text, home):
    found = engine.understander.home(text)
    assert (tuple(found[0]) if found else None) == home


@pytest.mark.parametrize(("text", "home"), [
    ("我们是江门蓬江的企业，注册地和生产基地都在江门，在佛山没有设立分公司或子公司。", ("广东省", "江门市", "蓬江区")),
    ("一家模具厂，注册地和工厂都在东莞，在佛山没有注册任何公司（没有总部、子公司）。", ("广东省", "东莞市")),
    ("总部在江西，2023年在河南信阳注册了一家全资子公司。", ("河南省", "信阳市")),
])
def test_no_branch_where_the_enterprise_says_it_has_none(engine, text, home):
    found = engine.understander.home(text)
    assert tuple(found[0]) == home
