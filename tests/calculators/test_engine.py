"""Behaviour of calculate(): formulas, thresholds, combined caps, facts, missing inputs, bad input."""
from __future__ import annotations

from decimal import Decimal

import pytest

from calculators.engine import calculate
from errors import PolicyError


def calc(rulebook, rule_id, inputs=None, facts=None):
    return calculate(rulebook.get(rule_id), inputs or {}, facts)


def test_capped_rate_formula_and_maximum(rulebook):
    result = calc(rulebook, "henan2022_xiaojuren_equipment", {"investment_yuan": Decimal(20_000_000)})
    assert result.amount_yuan == Decimal(5_000_000)
    assert result.formula == "min(2000万元 × 30%, 500万元) = 500万元"
    assert result.is_maximum and result.summary == "最高可获得500万元"
    assert (result.doc_id, result.clause) == ("henan_2022_tech_upgrade", "三、（一）3")


def test_uncapped_part_and_wan_formatting(rulebook):
    result = calc(rulebook, "henan2022_xiaojuren_equipment", {"investment_yuan": "900万"})
    assert result.formula == "min(900万元 × 30%, 500万元) = 270万元"
    result = calc(rulebook, "hunan_ics_security_pilot", {"project_investment_yuan": "2.5万"})
    assert result.formula == "min(2.5万元 × 20%, 100万元) = 0.5万元"


def test_below_minimum_is_an_explained_ineligible_result(rulebook):
    result = calc(rulebook, "henan2022_tech_upgrade_demo", {"investment_yuan": "999万"})
    assert not result.eligible and result.amount_yuan == 0
    assert "不低于1000万元方可申报" in result.reason
    assert calc(rulebook, "henan2022_tech_upgrade_demo", {"investment_yuan": "1000万"}).amount_yuan == 3_000_000


def test_facts_decide_eligibility(rulebook):
    pending = calc(rulebook, "henan2022_xiaojuren_equipment", {"investment_yuan": "2000万"})
    assert pending.eligible and "小巨人" in pending.reason
    assert [m.name for m in pending.missing] == ["xiaojuren_national"]
    confirmed = calc(rulebook, "henan2022_xiaojuren_equipment", {"investment_yuan": "2000万"}, {"xiaojuren_national": "是"})
    assert confirmed.eligible and confirmed.reason is None and confirmed.missing == []
    refused = calc(rulebook, "henan2022_xiaojuren_equipment", {"investment_yuan": "2000万"}, {"xiaojuren_national": "否"})
    assert not refused.eligible and refused.amount_yuan == 0 and refused.formula == ""
    assert "小巨人" in refused.reason


def test_region_fact(rulebook):
    assert not calc(rulebook, "foshan_cross_industry_platform", facts={"region": "河南省"}).eligible
    assert calc(rulebook, "foshan_cross_industry_platform", facts={"regions": ["佛山市", "广东省"]}).eligible


def test_combined_limit_with_upper_level_subsidy(rulebook):
    result = calc(rulebook, "foshan_benchmark_project",
                  {"invested_yuan": "1000万", "upper_subsidy_yuan": "400万"})
    assert result.amount_yuan == 1_000_000
    assert result.formula == "min(1000万元 × 30%, 300万元, 1000万元 × 50% − 400万元) = 100万元"
    no_upper = calc(rulebook, "foshan_benchmark_project", {"invested_yuan": "1000万"})
    assert no_upper.amount_yuan == 3_000_000
    assert any("上级补助" in n for n in no_upper.notes)
    assert [m.name for m in no_upper.missing if m.kind == "input"] == ["upper_subsidy_yuan"]
    exhausted = calc(rulebook, "foshan_identifier_node", {"construction_yuan": "1000万", "upper_subsidy_yuan": "800万"})
    # The contract: a used-up limit is "not eligible" with the reason, not an eligible zero.
    assert exhausted.amount_yuan == 0 and not exhausted.eligible
    assert "50%" in exhausted.reason


def test_a_limit_of_another_input_than_the_base(rulebook):
    """30% of 项目建设金额, but the 50% limit of 项目投资总额 when it is stated apart."""
    both = calc(rulebook, "foshan_identifier_node",
                {"construction_yuan": "900万", "total_investment_yuan": "1100万", "upper_subsidy_yuan": "400万"})
    assert both.amount_yuan == 1_500_000
    assert both.formula == "min(900万元 × 30%, 200万元, 1100万元 × 50% − 400万元) = 150万元"
    alone = calc(rulebook, "foshan_identifier_node", {"construction_yuan": "900万", "upper_subsidy_yuan": "400万"})
    assert alone.amount_yuan == 500_000


def test_premium_rate_counted_at_most_three_percent(rulebook):
    capped = calc(rulebook, "henan2022_first_set_premium",
                  {"annual_premium_yuan": "50万", "insured_amount_yuan": "1000万"})
    assert capped.amount_yuan == 240_000
    assert capped.formula == "min(50万元, 1000万元 × 3%) × 80% = 24万元"
    assert not capped.is_maximum and "每年" in capped.summary and "3年" in capped.summary
    premium_only = calc(rulebook, "henan2022_first_set_premium", {"annual_premium_yuan": "20万"})
    assert premium_only.amount_yuan == 160_000 and premium_only.formula == "20万元 × 80% = 16万元"
    assert any("3%" in n for n in premium_only.notes)


def test_enterprise_annual_cap_across_products(rulebook):
    result = calc(rulebook, "henan2022_first_set_provincial_sales",
                  {"sales_invoice_yuan": "1亿", "awarded_this_year_yuan": "450万"})
    assert result.amount_yuan == 500_000
    assert result.formula == "min(10000万元 × 5%, 300万元, 500万元 − 450万元) = 50万元"


def test_instalments_add_up(rulebook):
    result = calc(rulebook, "henan2022_industrial_internet_platform")
    assert [(i.share, i.amount_yuan) for i in result.instalments] == [
        (Decimal("0.4"), Decimal(2_000_000)), (Decimal("0.6"), Decimal(3_000_000))]
    old = calc(rulebook, "henan2018_comprehensive_platform")
    assert [i.amount_yuan for i in old.instalments] == [Decimal(10_000_000)] * 2
    assert any("全额收回" in n for n in old.notes)


def test_fixed_award_with_extra(rulebook):
    base = calc(rulebook, "foshan_cluster_pilot")
    assert base.amount_yuan == 1_000_000 and base.formula == "定额奖励100万元"
    assert any("再奖励200万元" in n for n in base.notes)
    both = calc(rulebook, "foshan_cluster_pilot", facts={"served_15_cluster_enterprises": "yes"})
    assert both.amount_yuan == 3_000_000 and both.formula.endswith("= 300万元")


def test_tiers(rulebook):
    unknown = calc(rulebook, "henan2022_sme_service_platform")
    assert unknown.amount_yuan == 500_000 and unknown.is_maximum
    assert "sme_platform_grade" in [m.name for m in unknown.missing]
    third = calc(rulebook, "henan2022_sme_service_platform", facts={"sme_platform_grade": "三等奖"})
    assert third.amount_yuan == 100_000 and third.formula == "三等奖 = 10万元"
    none = calc(rulebook, "henan2022_sme_service_platform", facts={"sme_platform_grade": "优秀奖"})
    assert not none.eligible and none.amount_yuan == 0


def test_missing_base_gives_no_figure_but_the_ceiling(rulebook):
    result = calc(rulebook, "henan2022_touyan_key_project")
    assert result.amount_yuan is None
    assert [m.name for m in result.missing_inputs] == ["investment_yuan"]
    assert "2000万元" in result.summary and result.ceiling_yuan == 20_000_000


def test_quota_notes_never_cut_the_award(rulebook):
    result = calc(rulebook, "foshan_cloud_voucher", {"contract_yuan": "100万"})
    assert result.amount_yuan == 500_000
    assert any("2000万" in n and "不影响" in n for n in result.notes)


def test_fen_rounding_is_down(rulebook):
    result = calc(rulebook, "hunan_big_data_demo", {"project_investment_yuan": Decimal("0.07")})
    assert result.amount_yuan == Decimal("0.01")


@pytest.mark.parametrize("inputs, code", [
    ({"investment_yuan": "-1"}, "negative_amount"),
    ({"investment_yuan": "很多"}, "bad_amount"),
    ({"investment_yuan": "1e40"}, "absurd_amount"),
    ({"investment_yuan": Decimal("NaN")}, "bad_amount"),
    ({"equipment_yuan": "100万"}, "unknown_input"),
])
def test_bad_inputs_raise_policy_errors(rulebook, inputs, code):
    with pytest.raises(PolicyError) as err:
        calc(rulebook, "henan2022_xiaojuren_equipment", inputs)
    assert err.value.code == code
    assert "设备" in err.value.message or "equipment_yuan" in err.value.message


def test_fixed_rule_accepts_no_amounts(rulebook):
    with pytest.raises(PolicyError) as err:
        calc(rulebook, "henan2022_national_title", {"investment_yuan": "100万"})
    assert "定额" in err.value.message
