"""Shapes of clause language seen in a district's policies nobody here drafted for, each tested on sentences
written for this test (not copied from a policy): amounts per unit in a list matched to an enumeration,
two 分别 awards of one sentence, yearly instalments written 分N年按…比例, bands of a foreign amount whose ends
carry their inclusion, a lead shared by the parts of a sentence, a limit on the counted quantity, a per-unit
award at most the actual cost, a rate of a foreign amount (listed, never converted), and awards listed after as
many thresholds on one measure."""
from __future__ import annotations

from decimal import Decimal

import pytest

from calculators.engine import calculate
from ingest.draft import draft_document
from tests.ingest.drafting import drafted


def amount(rule, inputs, facts=None):
    facts = {**{c.fact: c.value for c in rule.conditions}, **(facts or {})}
    result = calculate(rule, inputs, facts)
    return result.amount_yuan if result.eligible else None


def test_amounts_per_unit_in_a_list_go_one_to_each_item_of_the_enumeration():
    rules, listed = drafted("对新录用的见习生、带教导师、实训课题分别按2000元/人、3000元/人、1万元/项的标准给予补助。")
    assert not listed
    got = {r.conditions[0].label: (r.kind, r.unit_yuan, r.inputs[0].unit) for r in rules}
    assert got == {"新录用的见习生": ("per_unit", 2000, "人"), "带教导师": ("per_unit", 3000, "人"),
                   "实训课题": ("per_unit", 10_000, "项")}
    tutor = next(r for r in rules if r.conditions[0].label == "带教导师")
    assert amount(tutor, {tutor.base: 4}) == 12_000


def test_amounts_per_person_by_the_persons_grade_go_to_each_grade():
    rules, listed = drafted("对引进高级技师、技师的企业，按每人5万元、3万元标准给予引才奖励。")
    assert not listed
    got = {r.conditions[0].label: r.unit_yuan for r in rules}
    assert got == {"引进高级技师的企业": 50_000, "引进技师的企业": 30_000}
    assert all(r.kind == "per_unit" and r.inputs[0].unit == "人" for r in rules)


def test_a_list_of_amounts_per_unit_not_matching_the_enumeration_is_listed():
    rules, listed = drafted("对进站的研究人员，分别按2万元/人、1万元/人的标准给予补助。")
    assert not rules and listed


def test_two_fenbie_awards_of_one_sentence_each_for_its_own_subject():
    rules, listed = drafted("对新认定的国家级、省级技能大师工作室分别给予20万元、10万元建设奖励，"
                            "对考核优秀的国家级、省级技能大师工作室，再分别给予5万元、3万元奖励。")
    assert not listed and [r.kind for r in rules] == ["tiers", "tiers"]
    built, excellent = rules
    assert [(t.value, t.amount_yuan) for t in built.tiers] == [("国家级", 200_000), ("省级", 100_000)]
    assert [t.amount_yuan for t in excellent.tiers] == [50_000, 30_000]
    assert "考核优秀" in excellent.conditions[0].label and "考核优秀" not in built.conditions[0].label
    assert amount(excellent, {}, {excellent.tier_fact: "省级"}) == 30_000


def test_yearly_instalments_written_fen_n_nian_an_with_bands_of_a_foreign_amount():
    (rule,), listed = drafted("对新落户的外资企业，实缴外资500万-1000万（不含）美元、1000万美元以上的，分别给予奖励"
                              "50万元、100万元，奖励资金分两年按50%、50%比例拨付。")
    assert not listed and rule.kind == "bands" and rule.inputs[0].unit == "美元"
    assert [(i.stage, i.share) for i in rule.instalments] == [("第1年", Decimal("0.5")), ("第2年", Decimal("0.5"))]
    assert "新落户的外资企业" in rule.conditions[0].label
    assert amount(rule, {rule.base: 5_000_000}) == 500_000
    assert amount(rule, {rule.base: 9_999_999}) == 500_000
    assert amount(rule, {rule.base: 10_000_000}) == 1_000_000      # （不含）: 1000万美元 is in the upper band
    assert amount(rule, {rule.base: 4_000_000}) is None


def test_an_instalment_plan_whose_years_and_shares_disagree_is_not_read():
    rules, _ = drafted("对新落户的外资企业，实缴外资1000万美元以上的，给予奖励100万元，奖励资金分三年按50%、50%比例拨付。")
    assert all(not r.instalments for r in rules)


def test_bands_stated_in_each_awards_own_phrase_in_a_foreign_currency():
    (rule,), listed = drafted("对企业开展境外并购的，按当年中方投资额100万-300万（不含）美元奖励5万元，"
                              "300万-500万（不含）美元奖励8万元。")
    assert not listed and rule.kind == "bands" and rule.inputs[0].unit == "美元"
    assert not rule.inputs[0].label.startswith("按")
    assert amount(rule, {rule.base: 2_000_000}) == 50_000
    assert amount(rule, {rule.base: 3_000_000}) == 80_000
    assert amount(rule, {rule.base: 6_000_000}) is None


def test_a_lead_shared_by_the_parts_of_a_sentence_starts_each_parts_subject_and_quote():
    rules, listed = drafted("参加国内重点展会，展会在省内举办的，每个展位补助3000元；在省外举办的，每个展位补助5000元。")
    assert not listed and [r.unit_yuan for r in rules] == [3000, 5000]
    inside, outside = rules
    assert "参加国内重点展会" in outside.conditions[0].label and "参加国内重点展会" in outside.keywords
    assert outside.quote.startswith("参加国内重点展会，……在省外举办的")
    assert inside.title != outside.title and "省外" in outside.title


def test_a_part_naming_its_own_subject_takes_no_lead():
    rules, _ = drafted("支持企业开拓市场，参加省级展会的，给予2万元补助；对参加国家级展会的企业，给予5万元补助。")
    second = next(r for r in rules if r.fixed_yuan == 50_000)
    assert "支持企业开拓市场" not in second.conditions[0].label


def test_a_limit_of_the_counted_quantity_per_applicant_is_carried():
    (rule,), listed = drafted("对种粮大户使用商品有机肥的，按200元/吨给予补贴，每户不超过80吨。")
    assert not listed and (rule.kind, rule.unit_yuan, rule.base_max_yuan) == ("per_unit", 200, 80)
    assert amount(rule, {rule.base: 50}) == 10_000
    assert amount(rule, {rule.base: 120}) == 16_000


@pytest.mark.parametrize("sentence", [
    "对种粮大户使用商品有机肥的，按200元/吨给予补贴，每亩不超过0.5吨，每户不超过80吨。",
    "对入驻的企业，按实际租赁面积（人均不超过15平方米）给予20元/平方米•月的补助。",
])
def test_a_limit_of_the_count_relative_to_another_quantity_is_listed(sentence):
    rules, listed = drafted(sentence)
    assert not rules and "另一数量" in listed[0].reason


def test_an_amount_per_unit_and_month_at_most_the_actual_cost():
    (rule,), listed = drafted("对入驻园区的科技企业，按最高15元/平方米•月的标准给予租金补助，但不超过实际租金支出，"
                              "补助期限不超过2年。")
    assert not listed and (rule.unit_yuan, rule.max_years) == (180, 2)
    cost = next(i for i in rule.inputs if i.name != rule.base)
    assert not cost.required and "实际租金" in cost.label
    assert amount(rule, {rule.base: 100}) == 18_000
    assert amount(rule, {rule.base: 100, cost.name: 12_000}) == 12_000
    assert amount(rule, {rule.base: 100, cost.name: 30_000}) == 18_000


def test_a_rate_of_a_foreign_amount_among_band_awards_is_listed_never_converted():
    rules, listed = drafted("实缴外资300万-800万（不含）美元、800万美元以上的，分别按人民币20万元、实缴外资额的5‰"
                            "折合人民币给予奖励。")
    assert not rules and listed


def test_awards_listed_after_as_many_thresholds_on_one_measure_are_bands():
    (count,), _ = drafted("对服务平台年度服务企业数达200家以上、500家以上的给予奖励1万元、3万元。")
    assert count.kind == "bands" and count.inputs[0].unit == "家"
    assert [amount(count, {count.base: n}) for n in (150, 200, 499, 500)] == [None, 10_000, 10_000, 30_000]
    (money,), _ = drafted("对企业年营业收入达500万元、1000万元、2000万元以上的分别给予奖励2万元、4万元、8万元。")
    assert [b.min_yuan for b in money.bands] == [5_000_000, 10_000_000, 20_000_000]
    assert amount(money, {money.base: 15_000_000}) == 40_000


def test_awards_listed_without_fenbie_and_without_bands_are_listed():
    rules, listed = drafted("对国家级、省级示范企业给予奖励30万元、20万元。")
    assert not rules and "分别" in listed[0].reason


def test_a_documents_exclusion_of_kinds_of_applicant_is_noted_on_every_draft():
    text = ("测试政策\n一、扶持措施\n对新认定的示范企业，给予奖励10万元。\n二、附则\n"
            "本办法所指企业为注册在本区的企业，类金融企业均不享受本办法全部条款。\n")
    (rule,) = draft_document("t", text, "测试地区").rules
    assert any("类金融企业均不享受本办法全部条款" in n for n in rule.notes)
