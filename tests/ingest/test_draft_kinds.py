"""Drafted shapes beyond one sentence = one award, each drafted from a real sentence of ../shared/corpus-extra
(read in place) and computed: stepped increments, "分别" lists, per-year awards, rates of a growth."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calculators.engine import calculate
from ingest.clauses import parse_clauses
from ingest.draft import draft_document
from ingest.draft_check import quoted_text, verify_draft
from ingest.loaders import load_text

_ROOT = Path(__file__).resolve().parents[2]
EXTRA = next((p / "shared" / "corpus-extra" for p in (_ROOT.parent, _ROOT.parent.parent)
              if (p / "shared" / "corpus-extra").is_dir()), _ROOT.parent / "shared" / "corpus-extra")

pytestmark = pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/corpus-extra is not present")


def drafted(stem: str, clause: str, contains: str = ""):
    """The verified drafts of one clause of a corpus-extra policy (quoting `contains`), and its report."""
    text = load_text(EXTRA / f"{stem}.txt")
    report = draft_document(stem, text, "测试地区")
    by_label = parse_clauses(stem, text).by_label()
    rules = [r for r in report.rules if r.clause == clause and contains in r.quote]
    for rule in rules:
        verify_draft(rule, quoted_text(rule, by_label))
    return rules, report


def amount(rule, base=None, facts=None, **inputs):
    values = {rule.base: base, **inputs} if base is not None else inputs
    result = calculate(rule, values, facts)
    return result.amount_yuan if result.eligible else None


def test_a_stepped_award_adds_whole_steps_to_the_award_of_the_clause_before():
    """（一）到位注册资本1.7亿元的，给予170万元；（二）超过1.7亿元的，每超过1亿元，给予100万元."""
    rules, report = drafted("002_ganjingzi_financial_leasing", "第四条（二）")
    (rule,) = rules
    assert (rule.kind, rule.fixed_yuan, rule.step_from, rule.unit_step, rule.unit_yuan) == \
        ("per_unit", 1_700_000, 170_000_000, 100_000_000, 1_000_000)
    assert rule.quote_clauses == ["第四条（一）"] and rule.quote.startswith("（一）到位注册资本1.7亿元")
    assert amount(rule, "1.7亿") == 1_700_000
    assert amount(rule, "2.69亿") == 1_700_000          # not yet a whole step above
    assert amount(rule, "2.7亿") == 2_700_000
    assert amount(rule, "5.2亿") == 4_700_000
    assert amount(rule, "1.2亿") is None
    assert "⌊(2.7亿元 − 1.7亿元) ÷ 1亿元⌋" in calculate(rule, {rule.base: "2.7亿"}).formula
    both = [s for s in report.sentences if s.clause in ("第四条（一）", "第四条（二）")]
    assert [s.rule_ids for s in both] == [(rule.id,), (rule.id,)]


def test_an_award_per_new_enterprise_with_a_cap():
    """每新入驻1家跨境电商企业，给予园区扶持资金1万元，最多给予200万元扶持资金."""
    (rule,), _ = drafted("015_dalian_cross_border_ecommerce", "第二章第六条（一）")
    assert (rule.kind, rule.unit_yuan, rule.unit_step, rule.cap_yuan) == ("per_unit", 10_000, 1, 2_000_000)
    assert rule.input(rule.base).unit == "家"
    assert amount(rule, 35) == 350_000
    assert amount(rule, 260) == 2_000_000
    assert calculate(rule, {rule.base: 35}).formula == "35家 × 1万元 = 35万元"


def test_a_step_amount_with_an_unreadable_character_is_listed_not_read_as_a_whole_number():
    """每增加出口1美元，即给予0\ue01002元 (the source's decimal point is a symbol-font character)."""
    rules, report = drafted("009_ganjingzi_foreign_trade_ecommerce", "第二章第七条（一）")
    assert rules == []
    (listed,) = [s for s in report.listed if "每增加出口" in s.text]
    assert "存疑" in listed.reason


def test_a_stepped_award_of_a_foreign_currency_with_a_yearly_cap():
    """The same shape written with its decimal point: per whole 1美元, 0.02元, at most 10万元 a year."""
    report = draft_document("t", "某办法\n第一条 企业每增加出口1美元，即给予0.02元人民币的奖励，每家企业每年最高奖励不超过10万元。\n", "某地")
    (rule,) = report.rules
    assert (rule.unit_step, rule.unit_yuan, rule.cap_yuan, rule.input(rule.base).unit) == (1, Decimal("0.02"), 100_000, "美元")
    assert amount(rule, "300万") == 60_000
    assert amount(rule, "800万") == 100_000


def test_rate_bands_listed_with_fenbie_are_chosen_by_the_investment_and_paid_on_the_fees():
    """固定资产投资10亿元以上、5亿元以上到10亿元、1亿元到5亿元的重点工业项目，对其…中介服务事项费用
    （累计不超过100万元），分别给予50%、30%、10%的奖励."""
    (rule,), _ = drafted("007_ganjingzi_economic_awards", "第四章第六条")
    assert rule.kind == "bands" and rule.band_input == "investment_yuan" and rule.base_max_yuan == 1_000_000
    assert [(b.min_yuan, b.rate) for b in rule.bands] == [(100_000_000, Decimal("0.1")), (500_000_000, Decimal("0.3")),
                                                          (1_000_000_000, Decimal("0.5"))]
    assert amount(rule, "60万", investment_yuan="12亿") == 300_000
    assert amount(rule, "300万", investment_yuan="12亿") == 500_000        # fees counted at most 100万
    assert amount(rule, "60万", investment_yuan="10亿") == 300_000          # 10亿元以上 includes 10亿
    assert amount(rule, "60万", investment_yuan="3亿") == 60_000
    assert amount(rule, "60万", investment_yuan="8000万") is None
    assert "investment_yuan" in [m.name for m in calculate(rule, {rule.base: "60万"}).missing]


def test_rate_bands_of_the_contribution_without_a_cap_for_five_years():
    """年度地方财政贡献1000万元及以上至2000万元、2000万元以上至5000万元、5000万元以上的，分别参照其地方财政
    贡献的70%、80%和90%给予企业奖励，奖励额度不设上限 (连续5年)."""
    (rule,), _ = drafted("024_liuhe_key_industries_2023", "二、（三）第5条")
    assert (rule.kind, rule.band_input, rule.cap_yuan, rule.max_years) == ("bands", None, None, 5)
    assert amount(rule, "1500万") == 10_500_000
    assert amount(rule, "2000万") == 16_000_000      # 2000万元以上: 以上 includes the number itself
    assert amount(rule, "6000万") == 54_000_000
    assert amount(rule, "800万") is None


def test_fenbie_over_levels_and_standards_is_tiers_by_a_fact():
    rules, _ = drafted("024_liuhe_key_industries_2023", "二、（四）第10条")
    tiers = {tuple(t.value for t in r.tiers): r for r in rules if r.kind == "tiers"}
    standards, levels = tiers[("国际标准", "国家标准", "行业标准")], tiers[("国家级", "省级")]
    assert amount(standards, facts={standards.tier_fact: "国家标准"}) == 500_000
    assert amount(levels, facts={levels.tier_fact: "省级"}) == 100_000
    assert amount(levels, facts={levels.tier_fact: "市级"}) is None
    assert calculate(levels, {}).amount_yuan == 300_000 and calculate(levels, {}).is_maximum
    assert levels.tier_label == "级别（国家级、省级）"


def test_bands_of_a_foreign_currency_base_are_in_that_currency_and_award_yuan():
    """实缴注册外资1000万（含）至2000万美元、2000万（含）至1亿美元、1亿美元（含）以上的，经认定分别给予600万元、
    900万元、1200万元奖励."""
    (rule,), _ = drafted("013_dalian_foreign_investment", "一、1")
    spec = rule.input(rule.base)
    assert (rule.kind, spec.unit) == ("bands", "美元")
    assert amount(rule, 15_000_000) == 6_000_000
    assert amount(rule, 20_000_000) == 9_000_000
    assert amount(rule, 100_000_000) == 12_000_000
    assert amount(rule, 5_000_000) is None
    assert "1500万美元" in calculate(rule, {rule.base: 15_000_000}).formula


def test_a_rate_per_item_and_year_with_the_cap_written_after_it():
    """每套设备按照年贷款利息的20%给予补贴，补贴期限3年，单套设备最高补贴100万元人民币."""
    (rule,), _ = drafted("002_ganjingzi_financial_leasing", "第五条")
    assert (rule.kind, rule.rate, rule.cap_yuan, rule.max_years) == ("rate", Decimal("0.2"), 1_000_000, 3)
    assert amount(rule, "300万") == 600_000
    assert amount(rule, "800万") == 1_000_000
    assert "每年，最长3年" in calculate(rule, {rule.base: "300万"}).summary


def test_a_rate_with_only_a_yearly_cap_for_two_years():
    """给予租赁费用10%的补贴，每家企业每年最高不超过2万元，享受补贴不超过2年."""
    (rule,), _ = drafted("009_ganjingzi_foreign_trade_ecommerce", "第二章第十条（一）")
    assert (rule.rate, rule.cap_yuan, rule.max_years, rule.input(rule.base).label) == (Decimal("0.1"), 20_000, 2, "租赁费用")
    assert amount(rule, "15万") == 15_000
    assert amount(rule, "50万") == 20_000
    assert amount(rule, "15万", awarded_this_year_yuan="1万") == 10_000    # the year's other awards count


def test_a_rate_of_the_growth_needs_no_cap():
    """以企业上一年度地方财政贡献为基数，参照其年度新增地方财政贡献的70%给予企业奖励 (兼并重组完成后的3年内)."""
    rules, report = drafted("024_liuhe_key_industries_2023", "二、（五）第16条", "新增")
    (rule,) = rules
    assert (rule.kind, rule.rate, rule.cap_yuan, rule.max_years) == ("rate", Decimal("0.7"), None, 3)
    assert "新增" in rule.input(rule.base).label
    assert amount(rule, "200万") == 1_400_000
    assert not any("不设封顶" in n for n in rule.notes)          # a growth: no note that the cap is missing
    assert any("一事一议" in n for n in rule.notes)            # 对地方财政贡献较大的…实行“一事一议”: a note
