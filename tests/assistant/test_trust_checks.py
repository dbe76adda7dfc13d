"""The checks a drafted figure passes before it is given (assistant/qualifiers.py, exclusions.py,
stated_durations.py) and the folding of Roman ordinals (ingest/normalize.roman_ordinals), on clause
texts written here."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assistant.exclusions import clause_verdict, exclusions
from assistant.qualifiers import loses_to_rival, ordinal_conflict
from assistant.stated_durations import duration_thresholds, stated_durations
from assistant.stated_durations import verdict as duration_verdict
from assistant.stated_thresholds import verdict
from calculators.models import Rule
from ingest.normalize import for_matching, roman_ordinals


def _rule(*labels: str, quote: str = "q") -> Rule:
    return Rule(id="r", doc_id="d", clause="c", quote=quote, title="t", region="河北省", keywords=["k"],
                kind="fixed", status="draft", fixed_yuan=Decimal(300_000), examples=[{"amount_yuan": 300_000}],
                conditions=[{"fact": f"f{i}", "label": label} for i, label in enumerate(labels)])


# -- Roman ordinals ---------------------------------------------------------------------------
@pytest.mark.parametrize("mine, other", [("Ⅱ期", "III期"), ("III期", "Ⅱ期"), ("Ⅰ类", "Ⅱ类"), ("II级", "Ⅳ级")])
def test_one_roman_ordinal_does_not_match_inside_another(mine, other):
    assert for_matching(mine) not in for_matching(f"已进入{other}临床")
    assert for_matching(mine) in for_matching(f"已进入{mine}临床")


def test_roman_ordinals_read_as_the_chinese_ones_users_write():
    assert for_matching("Ⅲ期临床") == for_matching("III期临床") == for_matching("三期临床")
    assert roman_ordinals("IV类、VI等") == "四类、六等"
    assert roman_ordinals("WIFI期") == "WIFI期" and roman_ordinals("IIX期") == "IIX期"   # no numeral
    assert roman_ordinals("III号") == "III号"                                          # not an ordinal's counter


def test_a_draft_for_one_phase_is_not_the_phase_asked():
    phase2 = _rule("进入Ⅱ期")
    assert ordinal_conflict(phase2, "我们的新药进了III期临床试验")
    assert not ordinal_conflict(phase2, "我们的新药刚进入二期临床")
    assert not ordinal_conflict(phase2, "新药进入临床试验了")              # no phase named: nothing to tell
    assert ordinal_conflict(_rule("进入Ⅲ期临床试验"), "新药在II期临床")


# -- qualifiers across documents ----------------------------------------------------------------
_OUTSIDE = "我省企业以技术转让方式吸纳京津科技成果的，按技术合同实际交易额给予最高10%的后补助"
_RESIDENT = "对驻冀院所以转让、许可等形式向省内转移科技成果的，按技术合同额的2%给予成果吸纳方奖励"


def test_a_qualifier_the_question_states_takes_the_rival_that_has_it():
    outside = _rule("我省企业以技术转让方式吸纳京津科技成果")
    said = "我们企业以转让方式吸纳了驻冀院所的一项专利，交易额200万元"
    assert loses_to_rival(outside, _OUTSIDE, _RESIDENT, said)
    resident = _rule("驻冀院所以转让、许可等形式向省内转移科技成果")
    assert not loses_to_rival(resident, _RESIDENT, _OUTSIDE, said)


def test_a_qualifier_nobody_states_leaves_both_awards_open():
    said = "我们企业以技术转让方式吸纳了一项专利成果，交易额200万元"
    assert loses_to_rival(_rule("我省企业以技术转让方式吸纳京津科技成果"), _OUTSIDE, _RESIDENT, said)
    assert not loses_to_rival(_rule("我省企业以技术转让方式吸纳京津科技成果"), _OUTSIDE, _OUTSIDE, said)


def test_a_rival_without_qualifiers_does_not_defeat_a_stated_one():
    plain = "对通过认定的高新技术企业给予10万元奖励"
    said = "我们企业吸纳了北京一所高校的科技成果，交易额200万元"
    assert not loses_to_rival(_rule("我省企业以技术转让方式吸纳京津科技成果"), _OUTSIDE, plain, said)


# -- exclusion sentences ------------------------------------------------------------------------
_CLAUSE = ("完成攻关任务并通过验收的牵头单位，按其研发投入的20%给予奖补，最高100万元。"
           "对已获得市级科技计划立项支持的项目，不再重复支持。")


def test_an_exclusion_sentence_names_the_fact_that_defeats_the_award():
    [found] = exclusions(_CLAUSE)
    assert found.fact == "获得市级科技计划立项支持的项目"
    assert found.sentence.endswith("不再重复支持")
    assert exclusions("按研发投入的20%给予奖补。") == []


@pytest.mark.parametrize("said, denied, want", [
    ("项目验收了，研发投入500万，之前拿过市级科技计划的立项支持", "", "excluded"),
    ("项目验收了，研发投入500万", "没有获得过市级科技计划立项支持", "clear"),
    ("项目验收了，研发投入500万", "", "check"),
])
def test_a_stated_fact_defeats_the_draft_and_an_unknown_one_is_a_condition(said, denied, want):
    assert clause_verdict(_CLAUSE, said, denied)[0] == want


# -- durations ----------------------------------------------------------------------------------
_FUND = "基金直接投资省内企业的资金规模达到3000万元，投资期限满两年（含）以上"


def test_duration_thresholds_are_read_in_months():
    assert [(m, s) for _, m, s in duration_thresholds(_FUND)] == [(24, False)]
    assert [m for _, m, _ in duration_thresholds("企业成立满1年")] == [12]
    assert [m for _, m, _ in duration_thresholds("连续经营3年以上的企业")] == [36]
    assert [m for _, m, s in duration_thresholds("运营超过18个月")] == [18]
    assert duration_thresholds("挂牌一年内首次融资") == []


@pytest.mark.parametrize("said, low, high", [
    ("我们投进去到现在刚好一年半", 18, 18), ("投资了十八个月", 18, 18), ("已经投了两年多", 24, 36),
    ("还不到两年", 0, 24), ("投了3年了", 36, 36),
])
def test_stated_durations(said, low, high):
    [span] = stated_durations(said, date(2025, 6, 1))
    assert (span.low, span.high) == (low, high)


def test_a_year_of_founding_is_counted_to_today_and_reference_periods_are_not_durations():
    [span] = stated_durations("公司2021年成立", date(2025, 6, 1))
    assert span.low == 3 * 12 + 5 and span.high == 4 * 12 + 6
    assert stated_durations("近两年营收翻番，第一年就盈利", date(2025, 6, 1)) == []


@pytest.mark.parametrize("said, want", [
    ("基金投了省内企业4000万，到现在刚满一年半", "failed"),
    ("基金投了省内企业4000万，不到两年", "failed"),
    ("基金投了省内企业4000万，投资期限已经三年", "met"),
    ("基金投了省内企业4000万，已经两年多了", "met"),
    ("基金投了省内企业4000万", "met"),            # the amount is met; the duration is left to the conditions
])
def test_a_duration_threshold_against_the_question(said, want):
    assert verdict(_rule(_FUND), said)[0] == want


def test_durations_whose_owner_is_unclear_give_no_verdict_of_met():
    rule = _rule("企业成立满三年", "投资期限满两年（含）以上")
    status, label = duration_verdict(rule, "公司成立五年了，投资才一年半", date(2025, 6, 1))
    assert status == "failed" and "投资期限" in label
    assert duration_verdict(rule, "公司成立五年了，项目才一年半", date(2025, 6, 1))[0] == "unclear"
    assert duration_verdict(rule, "公司成立五年了，投资期限也三年了", date(2025, 6, 1))[0] == "met"
    assert duration_verdict(_rule("企业成立满三年", "运营满两年"), "过了一年半又过了半年", date(2025, 6, 1))[0] == "unclear"
