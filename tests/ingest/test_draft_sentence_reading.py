"""How a sentence is read, each on a sentence written for this test (not copied from a policy): the period of
an amount per unit written on either side of the unit (每月每平方米 / 每平方米每月 / 元/月/平方米 …) drafted per
year, a sentence opening with the award's period (补贴期限为 3 年) giving its years, a later per-unit sentence
of the same paragraph drafted on its own with its cap."""
from __future__ import annotations

from decimal import Decimal

import pytest

from calculators.engine import calculate
from ingest.draft import draft_document
from tests.ingest.drafting import drafted


def amount(rule, inputs, facts=None):
    facts = facts if facts is not None else {c.fact: c.value for c in rule.conditions}
    result = calculate(rule, inputs, facts)
    return result.amount_yuan if result.eligible else None


@pytest.mark.parametrize("phrase", ["按每月每平方米最高40元", "按每平方米每月最高40元", "按40元/平方米/月",
                                    "按40元/月/平方米", "按每月每平方米40元"])
def test_the_period_of_an_amount_per_unit_is_read_on_either_side_of_the_unit(phrase):
    rules, listed = drafted(f"对租用孵化场地的初创企业，{phrase}的标准给予租金补贴，补贴期限为2年，每年最高不超过100万元。")
    assert not listed and len(rules) == 1
    rule = rules[0]
    assert rule.kind == "per_unit" and rule.unit_yuan == Decimal(480) and rule.max_years == 2
    assert rule.cap_yuan == Decimal(1_000_000)
    assert amount(rule, {"area_sqm": 1000}) == Decimal(480_000)       # a year, not one month
    assert amount(rule, {"area_sqm": 5000}) == Decimal(1_000_000)
    assert any("12个月" in note for note in rule.notes)


def test_an_amount_per_person_and_year_written_before_the_unit_is_a_yearly_amount():
    rules, _ = drafted("对引进的青年技术骨干，按每年每人1.2万元的标准给予生活补贴。")
    assert [(r.kind, r.unit_yuan) for r in rules] == [("per_unit", Decimal(12_000))]
    assert any("一年" in note for note in rules[0].notes)


def test_a_sentence_opening_with_the_awards_period_gives_its_years():
    rules, _ = drafted("企业租用研发用房的，按每月每平方米20元的标准给予补贴。补贴期限为 3 年，每年最高补贴金额不超过50万元。")
    assert [(r.unit_yuan, r.max_years, r.cap_yuan) for r in rules] == [(Decimal(240), 3, Decimal(500_000))]


def test_a_later_per_unit_sentence_of_the_paragraph_is_its_own_draft_with_its_cap():
    rules, listed = drafted("企业租用研发用房的，按每月每平方米20元的标准给予补贴，补贴期限为3年，每年最高不超过50万元。"
                            "企业购置研发用房的，按每平方米500元的标准给予一次性补贴，补贴金额不超过200万元。")
    assert not listed
    bought = [r for r in rules if "购置" in r.quote and "租用" not in r.quote]
    assert [(r.unit_yuan, r.cap_yuan, r.max_years) for r in bought] == [(Decimal(500), Decimal(2_000_000), None)]
    assert amount(bought[0], {"area_sqm": 3000}) == Decimal(1_500_000)
    assert amount(bought[0], {"area_sqm": 5000}) == Decimal(2_000_000)


def test_amounts_by_a_grade_of_the_applicant_after_qizhong_are_tiers_of_the_award():
    rules, listed = drafted("对新招用的高校毕业生发放就业补贴，其中专科生1万元，本科生1.5万元，研究生3万元。")
    assert not listed and [r.kind for r in rules] == ["tiers"]
    rule = rules[0]
    assert [(t.value, t.amount_yuan) for t in rule.tiers] == [
        ("专科生", Decimal(10_000)), ("本科生", Decimal(15_000)), ("研究生", Decimal(30_000))]
    assert rule.conditions[0].label == "新招用的高校毕业生"
    facts = {c.fact: c.value for c in rule.conditions} | {rule.tier_fact: "本科生"}
    assert amount(rule, {}, facts) == Decimal(15_000)


def test_a_bare_condition_after_an_award_to_a_dui_subject_is_its_own_award_for_that_subject():
    rules, listed = drafted("对新引进的青年科学家，每人给予一次性启动经费20万元和每年5万元的生活补助，"
                            "服务期满后继续在本区工作并签订5年以上合同的，给予30万元安家补贴。")
    assert not listed
    got = {r.fixed_yuan: r for r in rules}
    assert sorted(got) == [Decimal(50_000), Decimal(200_000), Decimal(300_000)]
    for value in (Decimal(50_000), Decimal(200_000)):     # the later part's condition is not theirs
        assert [c.label for c in got[value].conditions] == ["新引进的青年科学家"]
        assert "5年以上" not in got[value].quote
    assert any("一年" in note for note in got[Decimal(50_000)].notes)
    later = got[Decimal(300_000)]
    assert later.conditions[0].label == "新引进的青年科学家，服务期满后继续在本区工作并签订5年以上合同"
    assert later.quote.startswith("对新引进的青年科学家，……服务期满后")


def test_bands_of_one_measure_in_comma_parts_are_not_cut_into_new_subjects():
    rules, _ = drafted("对新建的物流园区，占地超过100亩的，给予50万元奖励，占地超过300亩的，给予100万元奖励。")
    assert all("物流园区" in r.conditions[0].label for r in rules) and rules


def test_a_cap_per_household_and_year_after_a_rate_stays_the_rates_cap():
    rules, listed = drafted("对开展农户小额贷款业务的银行，按其实际收取贷款利息的10%给予风险补偿，每户每年不超过5万元。")
    assert not listed
    assert [(r.kind, r.rate, r.cap_yuan) for r in rules] == [("rate", Decimal("0.1"), Decimal(50_000))]


def test_a_price_per_unit_and_month_after_biaozhun_with_a_counted_area_limit_and_years():
    rules, listed = drafted("新入驻的软件企业租赁办公场地，按照实际租用面积给予企业不超过2年的租金补贴，"
                            "补贴标准为每平方米每月最高30元，补贴面积不超过300平方米。")
    assert not listed
    assert [(r.kind, r.unit_yuan, r.max_years, r.base_max_yuan) for r in rules] == [
        ("per_unit", Decimal(360), 2, Decimal(300))]
    assert amount(rules[0], {"area_sqm": 500}) == Decimal(108_000)


def test_an_amount_per_enterprise_written_after_a_slash_is_per_unit():
    rules, _ = drafted("根据园区上一年度引进规上企业的数量，按5万元/家的标准，给予园区运营机构一次性奖励。")
    assert [(r.kind, r.unit_yuan) for r in rules] == [("per_unit", Decimal(50_000))]
    assert amount(rules[0], {"enterprises": 3}) == Decimal(150_000)


def test_money_lent_by_a_bank_is_no_award():
    rules, _ = drafted("区政府设立风险资金池，合作银行可为每家小微企业提供最高500万元信用贷款，贷款期限不超过一年。")
    assert rules == []


def test_a_heading_naming_no_applicant_is_not_the_subject():
    report = draft_document("t", "测试政策\n三、奖励标准\n按申报企业当年新增研发投入的20%给予奖励，最高不超过50万元。\n", "测试地区")
    assert [c.label for c in report.rules[0].conditions] == ["符合三、第1段规定的条件"]


def test_a_rate_of_an_increase_over_a_base_year_with_no_threshold_is_drafted():
    rules, listed = drafted("以企业入驻前一年对我区的地方经济贡献为基数，连续2年按照其地方经济贡献增量部分的60%予以奖励。")
    assert not listed
    assert [(r.kind, r.rate, r.max_years) for r in rules] == [("rate", Decimal("0.6"), 2)]
    assert "增量部分" in rules[0].input(rules[0].base).label


def test_a_part_above_a_money_threshold_stays_listed():
    _, listed = drafted("企业年度营业收入超过1亿元的，按其营业收入增量部分的1%给予奖励，最高100万元。")
    assert listed


def test_two_awards_joined_by_a_dunhao_each_keep_their_own_dui_subject():
    rules, _ = drafted("对获得国家级质量奖的企业给予30万元的一次性奖励、对获得省级质量奖的企业给予10万元的一次性奖励。")
    assert sorted((r.fixed_yuan, r.conditions[0].label) for r in rules) == [
        (Decimal(100_000), "获得省级质量奖的企业"), (Decimal(300_000), "获得国家级质量奖的企业")]


def test_a_band_item_under_a_heading_naming_the_applicant_takes_its_subject_from_it():
    text = ("测试政策\n第二条 落户奖\n1.对内资企业：\n(1)实缴注册资本1000万元(含)至5000万元的，奖励100万元;\n"
            "(2)实缴注册资本5000万元(含)以上的，奖励200万元。\n")
    report = draft_document("t", text, "测试地区")
    assert report.rules and all(r.conditions[0].label == "内资企业" for r in report.rules)


def test_an_amount_restated_to_forbid_stacking_is_no_second_award_and_the_granter_is_no_subject():
    rules, _ = drafted("企业首次入选省级专精特新名单的，市财政给予一次性50万元奖励，企业同时入选国家级和省级名单的，只享受一次50万元奖励。")
    assert [(r.fixed_yuan, r.conditions[0].label) for r in rules] == [(Decimal(500_000), "企业首次入选省级专精特新名单")]


def test_a_clause_numbered_twice_in_its_heading_loses_both_numberings():
    text = ("测试政策\n第二章 奖励\n第五条 （一）对新落户的总部企业，按纳税总额给予奖励：\n1.纳税总额超过1000万元（含）的，奖励100万元；\n"
            "2.纳税总额超过2000万元（含）的，奖励200万元。\n")
    report = draft_document("t", text, "测试地区")
    assert report.rules and all(r.conditions[0].label == "新落户的总部企业" for r in report.rules)


def test_who_is_named_after_the_grant_verb_before_a_maximum():
    rules, listed = drafted("给予引进的省级以上技能大师最高30万元安家补贴。给予引进的市级技能大师最高10万元安家补贴及最高5万元培训经费补助。")
    assert not listed
    assert sorted((r.fixed_yuan, r.is_maximum, r.conditions[0].label) for r in rules) == [
        (Decimal(50_000), True, "引进的市级技能大师"), (Decimal(100_000), True, "引进的市级技能大师"),
        (Decimal(300_000), True, "引进的省级以上技能大师")]
