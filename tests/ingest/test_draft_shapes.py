"""More drafted shapes, each from a real sentence of ../shared/corpus-extra (read in place) and computed:
a fixed maximum to a named group per band, rates with a cap worded 标准为 / 总额不超过, uncapped rates of a
named base, a year-over-year excess, two awards of one sentence to two recipients, thresholds as conditions."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.draft import draft_document
from tests.ingest.test_draft_kinds import EXTRA, amount, drafted

pytestmark = pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/corpus-extra is not present")

_LEASING = "002_ganjingzi_financial_leasing"


@pytest.mark.parametrize("clause,low,high,award", [("第七条（一）", 1_000_000_000, None, 500_000),
                                                    ("第七条（二）", 500_000_000, 1_000_000_000, 300_000),
                                                    ("第七条（三）", 300_000_000, 500_000_000, 150_000),
                                                    ("第七条（四）", 100_000_000, 300_000_000, 80_000)])
def test_a_band_of_a_base_with_a_fixed_maximum_to_a_named_group(clause, low, high, award):
    """（二）对当年新增业务规模达5亿元（含）以上，10亿以下的融资租赁企业，给予企业高级管理人员最高合计30万元奖励."""
    (rule,), _ = drafted(_LEASING, clause)
    (band,) = rule.bands
    assert (rule.kind, band.min_yuan, band.max_yuan, band.amount_yuan) == ("bands", low, high, award)
    assert band.include_min and not band.include_max
    assert rule.is_maximum and rule.recipient == "企业高级管理人员"
    assert [c.label for c in rule.conditions] == ["融资租赁企业"]
    assert amount(rule, low) == award
    assert amount(rule, low - 1) is None
    if high:
        assert amount(rule, high) is None          # 10亿以下: the upper end belongs to the band above


def test_a_step_size_elsewhere_in_the_document_is_not_a_stepped_threshold():
    """第四条 每超过1亿元… must not make （四）达1亿元（含）以上… a base of a stepped award."""
    _, report = drafted(_LEASING, "第七条（四）")
    assert not any("递增" in (s.reason or "") for s in report.sentences)


def test_a_rate_worded_standard_with_a_cap_and_a_discretionary_case_as_a_note():
    """标准为总部企业落地固定资产投资额的1%，每项引荐扶持金额不超过25万元。对投资额大…的重点总部企业引荐者（企业），
    由领导小组研究决定扶持金额。"""
    (rule,), _ = drafted("004_ganjingzi_hq_economy", "第五章第十一条第1段")
    assert (rule.kind, rule.rate, rule.cap_yuan) == ("rate", Decimal("0.01"), 250_000)
    assert rule.input(rule.base).label == "总部企业落地固定资产投资额"
    assert [c.label for c in rule.conditions] == ["总部企业引荐者（企业）"]
    assert len(rule.notes) == 1 and "由领导小组研究决定扶持金额" in rule.notes[0]
    assert "研究决定" not in rule.quote
    assert amount(rule, "1000万") == 100_000
    assert amount(rule, "5000万") == 250_000


@pytest.mark.parametrize("contains,rate,label", [("国家拨款额", "0.5", "所获国家拨款额"),
                                                  ("风险投资总额", "0.2", "风险投资总额")])
def test_a_rate_granted_of_a_named_total_with_its_cap(contains, rate, label):
    """给予其所获国家拨款额50%的专项资金支持，最高不超过500万元 / 给予风险投资总额20%的风险跟投支持，总额不超过500万元."""
    (rule,), _ = drafted("011_dalian_integrated_circuit", "三、（十三）", contains)
    assert (rule.rate, rule.cap_yuan, rule.input(rule.base).label) == (Decimal(rate), 5_000_000, label)
    assert "给予" not in rule.conditions[0].label
    assert amount(rule, "1亿") == 5_000_000


def test_an_uncapped_rate_of_a_named_base_is_drafted_with_a_note():
    """对被认定…首台（套）技术设备示范应用项目的企业或项目单位，按照市级奖励金额的10%给予奖励."""
    (rule,), _ = drafted("007_ganjingzi_economic_awards", "第六章第四条")
    assert (rule.kind, rule.rate, rule.cap_yuan, rule.input(rule.base).label) == \
        ("rate", Decimal("0.1"), None, "市级奖励金额")
    assert any("未写明上限" in n for n in rule.notes)
    assert amount(rule, "300万") == 300_000


@pytest.mark.parametrize("text", ["第一条 符合条件并经认定的高新技术企业，按国家规定减按15%征收企业所得税。",
                                  "第一条 项目建成运营后，由乡镇与经济开发区根据项目年度地方财政贡献按50%比例进行分配。",
                                  "第一条 对重点企业，按30%给予奖励。"])
def test_an_uncapped_rate_without_a_named_base_or_not_an_award_is_listed(text):
    report = draft_document("t", f"某办法\n{text}\n", "某地")
    assert report.rules == []


def test_a_rate_of_the_year_over_year_excess_reads_the_increase():
    """对年度纳税额超过500万元的生产加工型企业，按其地方财政贡献额同比超出部分的20%给予企业奖励."""
    (rule,), _ = drafted("024_liuhe_key_industries_2023", "二、（五）第12条")
    assert (rule.kind, rule.rate, rule.cap_yuan, rule.base) == ("rate", Decimal("0.2"), None, "growth_yuan")
    assert "同比超出部分" in rule.input(rule.base).label
    assert any("减去上年度" in n for n in rule.notes)
    assert [c.label for c in rule.conditions[1:]] == ["年度纳税额超过500万元"]
    assert amount(rule, "150万") == 300_000
    # the part above a threshold (超出额) stays listed
    _, report = drafted("024_liuhe_key_industries_2023", "二、（五）第11条")
    assert any("超出额" in s.text for s in report.listed)


def test_an_amount_per_person_to_the_enterprise_and_a_fixed_award_to_the_person():
    """按每人2万元标准一次性给予企业引才资助，一次性给予个人10万元的安家费."""
    rules, _ = drafted("005_ganjingzi_talent_10_measures", "四、")
    per_person, settling = rules
    assert (per_person.kind, per_person.unit_yuan, per_person.recipient) == ("per_unit", 20_000, "企业")
    assert (settling.kind, settling.fixed_yuan, settling.recipient) == ("fixed", 100_000, "个人")
    assert per_person.title.endswith("引才资助") and settling.title.endswith("安家费")
    assert amount(per_person, 3) == 60_000 and amount(settling) == 100_000


def test_a_threshold_on_another_quantity_is_a_condition_the_base_threshold_is_not():
    """利用商业贷款购买大型设备（单套价格达到200万元人民币及以上）…每套设备按照年贷款利息的20%给予补贴."""
    (rule,), _ = drafted(_LEASING, "第五条")
    assert rule.min_base_yuan is None and rule.conditions[-1].label == "单套价格达到200万元人民币及以上"
    # 年缴纳个人所得税…总额5万元及以上…按其缴纳的个人所得税区级留成部分的50%: the threshold is on the total
    (rule,), _ = drafted("004_ganjingzi_hq_economy", "第六章第十三条（一）2第1段")
    assert rule.min_base_yuan is None and rule.max_years == 4
    assert rule.conditions[-1].label.endswith("总额5万元及以上")
    # 投资5亿元以上的商业项目或投资2亿元以上的工业项目…的任一条件: alternatives stay one condition
    (rule,), _ = drafted("007_ganjingzi_economic_awards", "第四章第四条")
    assert len(rule.conditions) == 1 and "任一条件" in rule.conditions[0].label


@pytest.mark.parametrize("clause,places", [("第五章第一条", 3), ("第五章第四条", 5), ("第四章第一条", 3)])
def test_awards_by_place_in_a_ranking(clause, places):
    """对年度财政收入总量在全区排前三名的城市街道，分别奖励50万元、40万元、30万元."""
    rule = drafted("007_ganjingzi_economic_awards", clause)[0][0]
    assert rule.kind == "tiers" and [t.value for t in rule.tiers] == [f"第{i}名" for i in range(1, places + 1)]
    assert rule.tiers[0].amount_yuan == 500_000 and rule.tier_label.startswith("排名")
    assert "排前" in rule.conditions[0].label          # 财政收入总量 is who qualifies, not a quota
    assert amount(rule, facts={rule.tier_fact: "第2名"}) == 400_000


def test_a_cap_alone_first_in_its_clause_is_a_fixed_maximum():
    """第二十九条 结合专项资金年度预算、专家评审结果和企业项目投资规模，单个项目的补助上限原则上不超过200万元."""
    (rule,), _ = drafted("021_liaoning_enterprise_tech_innovation_fund", "第五章第二十九条")
    assert (rule.kind, rule.fixed_yuan, rule.is_maximum) == ("fixed", 2_000_000, True)
    assert not rule.conditions[0].label.startswith("结合")
    assert any("最高金额" in n for n in rule.notes)
    # a cap after an award of its clause still caps that award (单一企业最高补贴300万元)
    (rule,), _ = drafted("002_ganjingzi_financial_leasing", "第六条")
    assert (rule.kind, rule.rate, rule.cap_yuan) == ("rate", Decimal("0.01"), 3_000_000)


def test_a_rate_of_at_most_a_share_with_instalments():
    """补贴标准原则上不超过产品订货合同及发票认定金额的10%，补贴金额最高不超过200万元。订货合同完成后，一次性拨付
    补助金额的80%，项目通过验收后，再拨付剩余的20%。"""
    (rule,), _ = drafted("017_dalian_first_set_equipment", "第三章第六条")
    assert (rule.rate, rule.cap_yuan, rule.is_maximum) == (Decimal("0.1"), 2_000_000, True)
    assert [(i.stage, i.share) for i in rule.instalments] == [("订货合同完成后", Decimal("0.8")),
                                                              ("项目通过验收后", Decimal("0.2"))]
    assert amount(rule, "1000万") == 1_000_000


@pytest.mark.parametrize("clause,contains,label,rate,cap", [
    ("第六章第十五条", "活动费用补贴", "实际发生费用", "0.5", 500_000),
    ("第六章第十四条", "场租减免部分", "场租减免部分", "0.5", 200_000)])
def test_a_rate_whose_base_is_named_by_dui_before_it(clause, contains, label, rate, cap):
    """对实际发生费用给予50%活动费用补贴，最高不超过50万元 / 对其场租减免部分，经…审核认定，每年给予支撑平台50%的补贴."""
    (rule,), _ = drafted("006_ganjingzi_sci_tech_innovation", clause, contains)
    assert (rule.input(rule.base).label, rule.rate, rule.cap_yuan) == (label, Decimal(rate), cap)


def test_a_whole_cost_base_keeps_its_first_characters():
    """按照其实际发生的改建费用，一次性最高奖励100万元: the base is 实际发生的改建费用 (not 照其…)."""
    (rule,), _ = drafted("006_ganjingzi_sci_tech_innovation", "第六章第十四条", "改建费用")
    assert (rule.input(rule.base).label, rule.rate, rule.cap_yuan) == ("实际发生的改建费用", 1, 1_000_000)
