"""Enterprise descriptions in the styles people really write them (assistant/profile_text.py,
assistant/reading.py): a consultant's labelled table lines, a boss's run-on sentence, dates and
places said in passing."""
from __future__ import annotations

import pytest

from tests.assistant.conftest import project_amounts as _amounts


def test_labelled_table_lines_are_one_project_each_with_all_their_fields(reader):
    d = reader.read("客户：湘潭某机床厂\n"
                    "项目一：车间数据平台；类别：已入选工业大数据应用示范项目；投资：0.08亿元；状态：已验收\n"
                    "项目二：数控系统APP；类别：已入选工业APP产业化示范项目；项目投资：三百万元；状态：在建\n"
                    "事项C：通过两化融合贯标认定\n"
                    "备注：以上互不重叠")
    assert len(d.projects) == 3
    first, second, third = d.projects
    assert first.facts.get("big_data_demo_project") is True and _amounts(first) == {"investment": [8_000_000]}
    assert second.facts.get("industrial_app_demo_project") is True
    assert list(_amounts(second).values()) == [[3_000_000]]
    assert third.facts.get("lianghua_guanbiao_certified") is True and not _amounts(third)


def test_a_field_named_like_a_label_inside_a_line_starts_no_project(reader):
    # "类别：" and "投资：" are fields of the line, not items: without labelled lines each
    # ；-clause stating a fact or an amount used to become a project of its own
    d = reader.read("项目A：企业级工业互联网平台；类别：入选企业级工业互联网平台示范项目；投资：900万元\n"
                    "项目B：工控安全试点示范应用项目；投资：200万元")
    assert [_amounts(p) for p in d.projects] == [{"investment": [9_000_000]}, {"investment": [2_000_000]}]


@pytest.mark.parametrize("text, role", [
    # a part word earlier in the sentence (整机 of the line's name) does not name the amount
    ("我们弄了个整机装配线的技改项目，设备加软件一共投了三千万元", "equipment_software_investment"),
    ("整机购置投了800万元", "machine_purchase_investment"),
])
def test_the_part_named_nearest_a_whole_word_names_the_amount(reader, text, role):
    amounts = reader.reader.read(text).amounts
    assert [(a.role, int(a.value)) for a in amounts][-1][0] == role


def test_the_year_a_named_document_was_applied_under_is_the_declaration_year(reader):
    said = "我们2020年依据《河南省支持智能制造和工业互联网发展若干政策》（配套三年行动计划那份）申请过，当时项目投资500万元。"
    assert reader.reader.read(said).declaration_year == 2020
    # a year said of a recognition is no declaration year
    assert reader.reader.read("2020年入选工信部智能制造试点示范").declaration_year is None


def test_a_denial_in_another_title_s_clause_is_that_title_s(reader):
    r = reader.reader.read("喷涂车间经省认定为智能车间；整厂也报了智能工厂，只拿到市级的，省里没有认定")
    assert r.facts["smart_workshop_provincial"].value is True
    assert r.facts["smart_factory_provincial"].value is False
    # said in the title's own clause, the denial holds
    assert reader.reader.read("智能车间省里没有认定").facts["smart_workshop_provincial"].value is False


@pytest.mark.parametrize("said, held", [
    ("我们的纺织行业工业互联网平台已纳入省重点培育名单", True),
    ("我们的纺织行业工业互联网平台只进了郑州市的培育名单", False),
    ("我们的纺织行业工业互联网平台，还没有纳入省重点培育名单", False),
])
def test_an_industry_platform_needs_the_province_s_key_list(reader, said, held):
    assert reader.reader.read(said).facts["industry_platform_listed"].value is held


@pytest.mark.parametrize("said, held", [
    ("我们是跨行业跨区域的工业互联网平台，今年在株洲建了区域中心，投资3000万元", True),
    ("我们是跨行业跨区域的工业互联网平台，今年在南昌建了华中区域中心，投资3000万元", False),
    ("我們是跨行業跨區域的工業互聯網平台，今年在廣州設了第二總部", False),     # 繁體 too
    ("我们是跨行业跨区域的工业互联网平台，今年建了区域中心", True),          # no place said
])
def test_a_regional_centre_counts_only_where_the_rule_needs_it(reader, said, held):
    from assistant.normalize import normalize_question
    text = normalize_question(said)
    assert reader.reader.read(text).facts["famous_platform_second_hq"].value is held


def test_a_fact_s_region_must_be_a_known_place():
    from pydantic import ValidationError

    from assistant.lexicon import FactSpec
    with pytest.raises(ValidationError):
        FactSpec(phrases=["区域中心"], in_region="不存在省")


@pytest.mark.parametrize("said, held", [
    ("我们自己建的平台被工信部认定为跨行业跨领域工业互联网平台", True),
    ("我们接入的是一家央企的平台，它是工信部认定的跨行业跨领域工业互联网平台", False),
    ("平台是工信部认定的跨行业跨领域工业互联网平台，不过平台不归我们，我们只是它的用户", False),
])
def test_a_platform_the_enterprise_only_uses_is_not_its_own(reader, said, held):
    assert reader.reader.read(said).facts["cross_industry_platform_recognized"].value is held


def test_being_a_user_does_not_deny_what_the_enterprise_bought(reader):
    # buying from a provider is using it: only facts the enterprise must own are denied
    r = reader.reader.read("我们买了资源池本地服务商的云MES，我们只是用户，合同30万元")
    assert r.facts["uses_local_pool_provider"].value is True


@pytest.mark.parametrize("said, year", [
    ("23年6月我们的平台项目进入了工业和信息化部的工业互联网应用试点示范名单", 2023),
    ("2022年我们的平台项目进入了工业和信息化部的工业互联网应用试点示范名单", 2022),
    ("保险投保3年，我们的平台项目进入了工业和信息化部的工业互联网应用试点示范名单", None),   # a count of years
])
def test_a_two_digit_year_with_its_month_is_the_recognition_s_year(reader, said, year):
    assert reader.reader.read(said).facts["miit_pilot_demo_project"].year == year
