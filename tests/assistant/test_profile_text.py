"""Reading an enterprise's description into projects (assistant/profile_text.py) and the reader's
title words it relies on: providers apart, siblings in prose, list markers, years, denials."""
from __future__ import annotations

import pytest

from tests.assistant.conftest import project_amounts as _amounts


def test_two_providers_in_one_line_are_two_projects_each_with_its_total(reader):
    d = reader.read("1. 买了两个资源池本地服务商的上云产品：甲公司的云MES，合同40万元，甲公司今年合计已拿到服务券奖补280万元；"
                    "乙公司的云APS，合同20万元，乙公司今年合计才50万元；\n2. 标杆示范项目已投入300万元。")
    first, second = d.projects[:2]
    assert _amounts(first) == {"contract_amount": [400000], "provider_awarded": [2800000]}
    assert _amounts(second) == {"contract_amount": [200000], "provider_awarded": [500000]}
    assert first.facts.get("uses_local_pool_provider") is second.facts.get("uses_local_pool_provider") is True


def test_a_sentence_with_only_amounts_of_the_same_kind_is_another_item_of_it(reader):
    d = reader.read("我们买了资源池本地服务商的上云产品，甲服务商合同60万元，甲服务商今年累计已经帮客户拿到服务券奖补270万元；"
                    "乙服务商合同20万元。另外我们的项目入选了市级工业互联网标杆示范项目，已投入100万元。")
    pool = [p for p in d.projects if p.facts.get("uses_local_pool_provider")]
    assert [_amounts(p)["contract_amount"] for p in pool] == [[600000], [200000]]


@pytest.mark.parametrize("marks", [("一、", "二、"), ("（一）", "（二）"), ("- ", "- "), ("第一，", "第二，")])
def test_list_markers(reader, marks):
    text = (f"佛山本地工业企业。\n{marks[0]}标杆示范项目已投入300万元；\n"
            f"{marks[1]}首次入选佛山市工业互联网产业生态供给资源池。\n合计最多能拿多少？")
    d = reader.read(text)
    assert d.listed and len(d.projects) == 2


def test_years_and_denials_said_of_titles(reader):
    d = reader.read("国家级专精特新小巨人是2021年认定的。2024年度打算申报：1. 两化融合贯标认定还没通过；"
                    "2. 平台曾入选跨行业跨领域工业互联网平台，但资格已被取消。")
    assert d.declaration_year == 2024
    facts = {k: v for p in d.projects for k, v in p.facts.items()}
    assert facts["lianghua_guanbiao_certified"] is False and facts["cross_industry_platform_recognized"] is False
    assert d.facts["xiaojuren_national"].year == 2021


@pytest.mark.parametrize("text, fact", [
    ("我们买了一批工业机器人，但没有被认定为“机器换人”示范项目。", "robot_replacement_demo"),
    ("列入的是郑州市级技改项目，没有列为省技术改造示范项目。", "tech_upgrade_demo_project"),
    ("只有省级专精特新中小企业称号，没有国家级“小巨人”。", "xiaojuren_national"),
    ("一台设备经市里认定为市级首台（套），省里的首台（套）认定还没申报。", "first_set_provincial"),
    ("我们没评上国家级专精特新小巨人。", "xiaojuren_national"),
    ("平台没能入选工信部双跨平台。", "cross_industry_platform_recognized"),
])
def test_denials_past_a_passive_a_listing_verb_a_level_word_or_an_unfiled_application(reader, text, fact):
    reading = reader.reader.read(text)
    assert reading.facts[fact].value is False


def test_a_level_word_between_a_negation_and_a_title_does_not_swallow_a_positive(reader):
    reading = reader.reader.read("我们是国家级“小巨人”，2023年认定，在有效期内。")
    assert reading.facts["xiaojuren_national"].value is True


def test_a_title_still_in_progress_in_its_clause_is_not_held(reader):
    reading = reader.reader.read("我们2018年进入工信部两化融合试点企业名单，两化融合管理体系贯标认定正在做，还没通过。")
    assert reading.facts["lianghua_guanbiao_certified"].value is False
    assert reading.facts["lianghua_pilot_enterprise"].value is True


def test_an_industry_platform_said_to_enter_the_miit_pilot_in_other_words(reader):
    reading = reader.reader.read("做成了面向船舶配套行业的行业性平台，同一个平台项目2024年进入了工信部的工业互联网试点示范（平台类）。")
    assert reading.facts["miit_pilot_industry_platform"].value is True
    assert "miit_pilot_industry_platform" not in reader.reader.read("做成了面向船舶配套行业的行业性平台。").facts


def test_a_title_applied_for_and_refused_is_not_held(reader):
    reading = reader.reader.read("国家技术创新示范企业我们也申报了，但2024年没有获批。")
    assert reading.facts["national_title_miit"].value is False


def test_a_list_said_not_to_hold_the_enterprise_denies_it(reader):
    reading = reader.reader.read("2025年我们第一次入选佛山市工业互联网产业生态供给资源池；广东省资源池没有我们。")
    assert reading.facts["guangdong_resource_pool"].value is False
    assert reading.facts["resource_pool_first_entry"].value is True


@pytest.mark.parametrize("text, held", [
    ("我们作为牵头单位入选了佛山市级的产业集群数字化转型试点。", False),
    ("我们作为牵头单位入选了省级产业集群工业互联数字化转型试点。", True),
    ("我们作为牵头单位入选了国家级产业集群数字化转型试点。", True),
])
def test_a_title_the_rules_accept_at_two_levels(reader, text, held):
    assert reader.reader.read(text).facts["cluster_pilot_lead"].value is held


def test_a_fact_accepting_two_levels_is_denied_only_when_both_are(reader):
    spec = reader.specs["cluster_pilot_lead"]
    assert spec.levels == {"national", "provincial"}
    assert not spec.level_denied({"national"}) and spec.level_denied({"national", "provincial"})
    assert not reader.specs["foshan_local"].level_denied({"national", "provincial", "municipal"})


@pytest.mark.parametrize("text, held", [
    ("集团平台是江西省认定的特定领域平台，没有入选工信部的跨行业跨领域平台，说实话在全国也谈不上著名。", False),
    ("一家外省的知名跨行业跨区域工业互联网平台在湖南设立的第二总部。", True),
])
def test_the_platform_a_regional_centre_needs(reader, text, held):
    assert reader.reader.read(text).facts["famous_cross_platform"].value is held


@pytest.mark.parametrize("text, held", [
    ("我们公司是“河南省先进耐火材料制造业创新中心”（省级，2022年认定）的建设运营主体。", True),
    ("我们是先进材料制造业创新中心（省级），2023年认定。", True),
    ("我们列入了河南省制造业创新中心培育名单。", None),
])
def test_a_provincial_innovation_centre_named_by_its_own_name(reader, text, held):
    assert getattr(reader.reader.read(text).facts.get("innovation_center_provincial"), "value", None) is held


def test_a_sentence_of_facts_then_one_of_amounts_are_one_project(reader):
    d = reader.read("我们公司是国家级制造业创新中心的河南分中心。2025年分中心购置科研仪器、设备和软件，实际投资1,800万元。"
                    "另外，我们的收获机经省认定为首台（套），2024年销售发票3,600万元。")
    first = d.projects[0]
    assert first.facts.get("innovation_center_provincial") is True
    assert _amounts(first) == {"rd_investment": [18000000]}
    assert len(d.projects) == 2 and "innovation_center_provincial" not in d.projects[1].facts


def test_a_sentence_starting_another_item_is_not_joined_to_the_facts_before(reader):
    d = reader.read("我们的“注塑联网”项目入选了市级工业互联网标杆示范项目。另外，我们去年花了300万元买设备。")
    assert d.projects[0].facts.get("benchmark_project") is True and d.projects[0].item.empty


@pytest.mark.parametrize("text, fact, held", [
    ("入选到现在还不到两年，累计服务了正好15家佛山集群企业获得服务券。", "served_15_cluster_enterprises", True),
    ("入选后两年内累计服务了11家佛山集群企业。", "served_15_cluster_enterprises", False),
    ("我们自己买了资源池里另一家佛山本地服务商的云PLM，合同90万元。", "uses_local_pool_provider", True),
    ("2021年我们首次入选佛山市工业互联网产业生态供给资源池，已经领了10万元奖励；2024年我们又续入选了资源池。",
     "resource_pool_first_entry", False),
])
def test_counts_providers_and_renewed_entries(reader, text, fact, held):
    assert reader.reader.read(text).facts[fact].value is held


def test_a_refusal_after_another_title_is_that_one_s(reader):
    facts = reader.reader.read("我们是国家级绿色工厂，申报的省级首台套没有获批。").facts
    assert facts["national_title_miit"].value is True
    assert facts["first_set_provincial"].value is False


@pytest.mark.parametrize("text, whole", [
    ("产线改造，硬件1,050万元，软件350万元，车间土建另花了600万元。", 14_000_000),
    ("设备600万元+软件300万元，土建工程800万元。", 9_000_000),
    ("设备和软件实际投资2,000万元。", 20_000_000),
])
def test_equipment_and_software_said_apart_are_summed_and_civil_works_kept_out(reader, text, whole):
    amounts = _amounts(reader.read("1. " + text + "\n2. 另一个项目。").projects[0])
    assert amounts["equipment_software_investment"] == [whole]
    assert "" not in amounts


def test_sales_after_the_counted_period_are_not_the_period_s(reader):
    r = reader.reader.read("软件认定后一年内开出发票600万元，此后又卖了900万元。")
    assert [(a.role, int(a.value)) for a in r.amounts] == [("sales_invoice", 6_000_000), ("later_sales_invoice", 9_000_000)]


def test_not_enough_for_a_threshold_is_a_bound_not_an_amount(reader):
    r = reader.reader.read("设备500万元、软件250万元，投资不够1000万，没有列为示范项目。")
    assert [int(a.value) for a in r.below] == [10_000_000]
    assert 10_000_000 not in [int(a.value) for a in r.amounts]


def test_a_part_word_inside_an_award_s_name_does_not_name_the_amount(reader):
    r = reader.reader.read("入选省里的关键软硬件产品和整体解决方案产业化示范项目，投资700万元。")
    assert [a.role for a in r.amounts] == ["investment"]
    assert [a.role for a in reader.reader.read("软硬件一共投了700万元。").amounts] == ["equipment_software_investment"]


@pytest.mark.parametrize("text, fact, held", [
    ("国家级专精特新“小巨人”我们今年才报上去，还没出结果。", "xiaojuren_national", False),
    ("我们是国家级专精特新小巨人企业，正在申报技术改造示范项目。", "xiaojuren_national", True),
    ("集团公司入选了“头雁”企业，但入选的只有集团公司，我们公司并不在其中。", "touyan", False),
    ("我们和母公司都是“头雁”企业。", "touyan", True),
    ("首次入选佛山市资源池，广东省资源池里只有集团总部，分公司不在。", "guangdong_resource_pool", False),
    ("累计服务了17家企业拿到产业集群服务券，但其中4家不在佛山。", "served_15_cluster_enterprises", False),
    ("累计服务了19家企业拿到产业集群服务券，其中4家不在佛山。", "served_15_cluster_enterprises", True),
])
def test_titles_only_applied_for_the_parent_s_listing_and_counts_less_those_elsewhere(reader, text, fact, held):
    assert reader.reader.read(text).facts[fact].value is held


def test_a_title_the_enterprise_says_it_has_not_built_is_not_held(reader):
    assert reader.reader.read("企业级工业互联网平台我们没建。").facts["enterprise_platform_demo"].value is False
    assert reader.reader.read("企业级工业互联网平台我们建了。").facts["enterprise_platform_demo"].value is True


@pytest.mark.parametrize("text, role", [
    ("设备软件是5200万，不是3200万。", "equipment_software_investment"),
    ("买研发和中试设备花了三百五十万。", "rd_equipment_investment"),
    ("软件和设备：800万元。", "equipment_software_investment"),
])
def test_a_bare_part_word_names_only_an_amount_right_after_it_alone(reader, text, role):
    assert reader.reader.read(text).amounts[0].role == role


@pytest.mark.parametrize("text, fact, held", [
    # a negation inside a bracketed aside closed before the title says nothing of it
    ("喷涂车间（跟总装线不是一个车间）经省认定为智能车间。", "smart_workshop_provincial", True),
    ("喷涂车间不是（省里认定的）智能车间。", "smart_workshop_provincial", False),
    ("这个项目去年已经拿到过省里一笔专项资金的支持。", "provincial_fund_supported", True),
    ("目前也不打算在佛山落户。", "foshan_local", False),
])
def test_asides_money_already_had_and_plans_denied(reader, text, fact, held):
    assert reader.reader.read(text).facts[fact].value is held


def test_the_provider_s_locality_is_not_the_enterprise_s(reader):
    assert "foshan_local" not in reader.reader.read("买了一家佛山本地服务商的云ERP。").facts
    assert reader.reader.read("我们是佛山本地的企业。").facts["foshan_local"].value is True


@pytest.mark.parametrize("text, held", [
    ("小巨人、单项冠军这些都是赣州母公司的称号，我们子公司没有。", False),
    ("我们是国家级专精特新小巨人，是赣州某集团公司的全资子公司。", True),
])
def test_titles_listed_together_share_a_parent_s_ownership(reader, text, held):
    assert reader.reader.read(text).facts["xiaojuren_national"].value is held


@pytest.mark.parametrize("joiner", ["。", "\n"])
def test_a_provider_s_total_said_later_goes_with_that_provider_s_contract(reader, joiner):
    d = reader.read(f"顺德的家具厂。买了两家资源池本地服务商的产品：丙公司的云排产合同50万，丁公司的云仓储合同44万{joiner}"
                    "丙公司说别的企业已兑现的服务券奖补一共285万了；丁公司今年合计才几十万。另外标杆示范项目投入了900万元。")
    pool = [_amounts(p) for p in d.projects if p.facts.get("uses_local_pool_provider")]
    assert pool == [{"contract_amount": [500000], "provider_awarded": [2850000]}, {"contract_amount": [440000]}]
