"""Shapes of clause language seen in policies of a region nobody here drafted for, each tested on a sentence
written for this test (not copied from a policy): a rate of a cost named after its grant verb with a per-item
cap, amounts per unit and period (元/平方米•月 drafted per year), an amount per an uncountable unit listed,
a money threshold of a per-unit award as a condition, bands stated in each award's own phrase, a colon's lead
qualifying the later parts of its sentence, and minimums or unmatched amount lists listed, not guessed."""
from __future__ import annotations

from decimal import Decimal

import pytest

from calculators.engine import calculate
from ingest.draft import draft_document
from tests.ingest.drafting import drafted


def amount(rule, base, facts=None):
    facts = facts or {c.fact: c.value for c in rule.conditions}
    result = calculate(rule, {rule.base: base}, facts)
    return result.amount_yuan if result.eligible else None


@pytest.mark.parametrize("sentence,rate,cap,label", [
    ("企业参加境外培训的，对其培训费给予60%的资助，每家企业最高资助8万元。", "0.6", 80_000, "培训费"),
    ("补贴参训人员差旅费的40%，最高1万元。", "0.4", 10_000, "参训人员差旅费"),
    ("对园区新建的检测设备购置费给予不超过40%的补助，每个项目最高补助25万元。", "0.4", 250_000, "检测设备购置费"),
    ("给予实际培训支出30%、每年最高6万元的补贴。", "0.3", 60_000, "实际培训支出"),
])
def test_a_rate_of_a_cost_named_after_its_grant_verb_with_a_per_item_cap(sentence, rate, cap, label):
    (rule,), listed = drafted(sentence)
    assert (rule.kind, rule.rate, rule.cap_yuan) == ("rate", Decimal(rate), cap) and not listed
    assert label in rule.inputs[0].label
    assert amount(rule, 10_000) == Decimal(rate) * 10_000
    assert amount(rule, cap * 10) == cap


def test_an_amount_per_unit_and_month_is_drafted_per_year_with_a_note():
    (rule,), _ = drafted("对入驻孵化基地的企业，按12元/平方米•月的标准给予租金补助，补助期限不超过2年，每年最高不超过10万元。")
    assert (rule.kind, rule.unit_yuan, rule.cap_yuan, rule.max_years) == ("per_unit", 144, 100_000, 2)
    assert rule.inputs[0].unit == "平方米"
    assert any("12个月" in n and "144" in n for n in rule.notes)
    assert amount(rule, 500) == 72_000
    assert amount(rule, 1000) == 100_000


@pytest.mark.parametrize("sentence,unit,per_year", [
    ("对小微企业租用标准厂房的，按4元/月•平方米给予补助。", "平方米", 48),
    ("小型泵站给予不超过2万元/座/年的运维补助。", "座", 20_000),
    ("一类巡查员补助0.8万/人/年。", "人", 8000),
])
def test_the_parts_of_a_compound_unit_in_either_order(sentence, unit, per_year):
    (rule,), _ = drafted(sentence)
    assert (rule.kind, rule.inputs[0].unit, rule.unit_yuan) == ("per_unit", unit, per_year)
    assert any("一年" in n for n in rule.notes)


@pytest.mark.parametrize("sentence", ["回收废旧农膜按0.5元/公斤给予补助。", "对签约收购的农户，每200公斤秸秆补助8元。",
                                      "孵化器给予不超过9元/每月•每平方的租金补助。"])
def test_an_amount_per_a_unit_nobody_counts_is_listed_not_a_fixed_award(sentence):
    rules, listed = drafted(sentence)
    assert not rules and len(listed) == 1


def test_a_money_threshold_of_a_per_unit_award_is_a_condition_not_a_band():
    (rule,), _ = drafted("年纳税额达到50万元以上的企业，按2元/月•平方米给予厂房租赁补助。")
    assert (rule.kind, rule.unit_yuan, rule.bands) == ("per_unit", 24, [])
    assert any("年纳税额达到50万元以上" in c.label for c in rule.conditions)
    assert amount(rule, 1000) == 24_000


def test_a_cap_below_one_unit_belongs_to_another_award_of_the_sentence():
    rules, listed = drafted("长度在3公里以内的给予5万元/处/年的补助，超过3公里的每公里增加不超过2万元的补助。")
    assert not rules and listed


def test_bands_stated_in_each_awards_own_phrase():
    (rule,), _ = drafted("种植面积50-100亩的，奖励5000元，100至300亩的奖励1万元，300亩以上的奖励2万元。")
    assert rule.kind == "bands" and rule.inputs[0].unit == "亩"
    assert [amount(rule, q) for q in (40, 50, 80, 100, 299, 300, 1000)] == [None, 5000, 5000, 10_000, 10_000,
                                                                            20_000, 20_000]


def test_whole_unit_ranges_keep_their_upper_end_and_a_threshold_before_them_is_a_condition():
    (rule,), _ = drafted("吸纳困难人员年均增收1000元以上，吸纳10-20人补助1万元，吸纳21-40人补助2万元，吸纳41人以上补助3万元。")
    assert rule.kind == "bands" and rule.inputs[0].unit == "人"
    assert [amount(rule, q) for q in (9, 10, 20, 21, 40, 41)] == [None, 10_000, 10_000, 20_000, 20_000, 30_000]
    assert any("增收1000元以上" in c.label for c in rule.conditions)


def test_a_colons_lead_qualifies_each_later_part_and_two_applicants_stay_two_rules():
    rules, _ = drafted("年增长20%以上的商贸企业：批发企业年销售额首次达到2亿元、4亿元，分别给予奖励8万元、16万元；"
                       "零售企业年零售额首次达到1亿元、3亿元，分别给予奖励6万元、12万元。")
    wholesale, retail = rules
    assert [b.amount_yuan for b in wholesale.bands] == [80_000, 160_000]
    assert [b.amount_yuan for b in retail.bands] == [60_000, 120_000]
    assert retail.quote.startswith("年增长20%以上的商贸企业：……零售企业")
    assert any("20%以上" in c.label for c in retail.conditions)
    assert amount(retail, 150_000_000) == 60_000 and amount(wholesale, 150_000_000) is None


@pytest.mark.parametrize("sentence,reason", [
    ("对新认定的市级示范基地，给予不少于20万元的奖励。", "最低金额"),
    ("对新认定的国家级、省级示范基地，分别给予不少于50万元、20万元的奖励。", "最低金额"),
    ("对入选的创新团队，经评审给予最高300万元、100万元、50万元资助。", "并列"),
])
def test_a_minimum_or_an_unmatched_list_of_amounts_is_listed_not_guessed(sentence, reason):
    rules, listed = drafted(sentence)
    assert not rules and reason in listed[0].reason


def test_an_aside_bounding_the_quantity_is_neither_a_band_nor_ignored():
    """（人均不超过15平方米）bounds the area counted: no band starting above 15平方米, no per-unit draft over
    the whole area; the sentence is listed."""
    for sentence in ("对入驻企业，按实际租赁面积（人均不超过15平方米），最高给予10元/平方米•月房租补助，年补助金额不超过12万元。",
                     "对入驻企业，按实际租赁面积（每人不超过15平方米）给予10元/平方米•月的房租补助，每年不超过12万元。"):
        rules, listed = drafted(sentence)
        assert not rules and len(listed) == 1


def test_a_sentence_the_builder_cannot_read_is_listed_and_the_document_still_drafts(monkeypatch):
    import ingest.draft as draft_module
    real = draft_module.build_rule

    def half_read(draft, rid, *args, **kwargs):
        if "租金" in draft.pieces[0].text:
            raise TypeError("argument of type 'NoneType' is not iterable")
        return real(draft, rid, *args, **kwargs)

    monkeypatch.setattr(draft_module, "build_rule", half_read)
    text = ("一、对企业租用办公用房的，按租金的50%给予补贴，最高20万元。\n"
            "二、对新认定的高新技术企业，一次性奖励10万元。\n")
    report = draft_document("t", text, "某省某市")
    assert [r.fixed_yuan for r in report.rules] == [Decimal("100000")]
    listed = [s for s in report.sentences if "租金" in s.text]
    assert listed and not listed[0].rule_ids and "未能可靠解析" in listed[0].reason


def test_a_later_sentence_listing_amounts_for_its_own_subjects_is_no_cap_of_the_award_before():
    rules, listed = drafted("对新建的标准化鸡舍，每个笼位补贴50元；对存栏1万只、5万只及10万只以上的养殖场购置环控设备，"
                            "分别补贴不超过10万元、20万元和40万元。")
    per_cage = [r for r in rules if r.kind == "per_unit"]
    assert per_cage and per_cage[0].unit_yuan == Decimal("50") and per_cage[0].cap_yuan is None
    assert amount(per_cage[0], Decimal("3000")) == Decimal("150000")


def test_a_base_named_after_the_colon_of_a_lead_word_is_the_base_not_the_colon():
    (rule,), _ = drafted("购买自用办公用房的，扶持标准为：按购房价的4%给予补助，最高不超过150万元。")
    assert (rule.kind, rule.rate, rule.cap_yuan) == ("rate", Decimal("0.04"), 1_500_000)
    assert rule.inputs[0].label == "购房价"


def test_a_base_named_in_an_earlier_phrase_after_a_time_word_is_read():
    rules, listed = drafted("对检测服务平台，每年根据其为园区企业提供服务实际发生的费用给予资助，"
                            "对注册在本区的单位给予8%、不超过60万元的资助。")
    (rule,) = [r for r in rules if r.kind == "rate"]
    assert (rule.rate, rule.cap_yuan) == (Decimal("0.08"), 600_000) and not listed
    assert rule.inputs[0].label.endswith("费用")
    assert amount(rule, 1_000_000) == 80_000


def test_progressive_parts_are_one_rule_summing_each_part_at_its_rate_capped_by_the_sentence_after():
    rules, listed = drafted(
        "对企业投资本地科技企业的，根据投资额分级给予奖励。单笔投资额不超过300万元（含）的，按投资额的5%给予奖励。"
        "单笔投资额在300万元以上的，300万元（含）以下的部分按投资额的5%给予奖励；超过300万元不超过2000万元（含）的部分"
        "按投资额的3%给予奖励；2000万元以上的部分按投资额的1%给予奖励。单笔奖励不超过80万元。")
    (rule,) = rules
    assert (rule.kind, rule.progressive, rule.cap_yuan) == ("bands", True, 800_000) and not listed
    assert [(b.min_yuan, b.max_yuan, b.rate) for b in rule.bands] == [
        (0, 3_000_000, Decimal("0.05")), (3_000_000, 20_000_000, Decimal("0.03")), (20_000_000, None, Decimal("0.01"))]
    assert amount(rule, 2_000_000) == 100_000                       # inside the first part
    assert amount(rule, 10_000_000) == 150_000 + 210_000            # 300万×5% + 700万×3%
    assert amount(rule, 100_000_000) == 800_000                     # 15万 + 51万 + 800万 = 146万 → the cap


def test_a_maximum_of_an_award_given_by_grades_is_the_cap_of_the_parts_not_a_fixed_award():
    rules, _ = drafted(
        "对经评定的首台套产品研制企业，分别按档次给予一次性奖补，合计最高400万元。其中，单价在800万元（含）以下的，"
        "按其单价的20%给予奖补；单价在800万元以上的，按其800万元（含）以内价值的20%加上超出800万元价值部分的10%给予一次性奖补。")
    assert not [r for r in rules if r.kind == "fixed"]
    (rule,) = rules
    assert (rule.progressive, rule.cap_yuan) == (True, 4_000_000)
    assert amount(rule, 5_000_000) == 1_000_000
    assert amount(rule, 20_000_000) == 1_600_000 + 1_200_000        # 800万×20% + 1200万×10%
    assert amount(rule, 50_000_000) == 4_000_000


def test_a_graded_maximum_alone_is_listed_not_drafted_as_a_fixed_award():
    rules, listed = drafted("对认定的示范企业，按档次给予奖励，最高200万元。")
    assert not rules and listed


def test_parts_that_do_not_join_are_listed_not_guessed():
    rules, listed = drafted("500万元（含）以下的部分按投资额的4%给予奖励；超过800万元的部分按投资额的2%给予奖励。")
    assert not rules and listed
