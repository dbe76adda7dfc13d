"""The bands and per_unit kinds: validation, arithmetic, examples, and the status field."""
from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from calculators.engine import calculate
from calculators.models import Rule
from errors import PolicyError

COMMON = {"doc_id": "x", "clause": "一、", "quote": "q", "title": "测试", "region": "某市", "keywords": ["测试"],
          "conditions": [{"fact": "ok", "label": "符合条件"}]}
BANDS = {**COMMON, "id": "bands", "kind": "bands", "base": "investment_yuan",
         "inputs": [{"name": "investment_yuan", "label": "投资额"}],
         "bands": [{"min_yuan": 100_000_000, "amount_yuan": 1_000_000},
                   {"min_yuan": 50_000_000, "max_yuan": 100_000_000, "amount_yuan": 500_000}],
         "examples": [{"inputs": {"investment_yuan": 60_000_000}, "amount_yuan": 500_000}]}
PER_UNIT = {**COMMON, "id": "per_mu", "kind": "per_unit", "base": "area_mu", "unit_yuan": 50_000,
            "cap_yuan": 5_000_000, "inputs": [{"name": "area_mu", "label": "用地面积", "unit": "亩"}],
            "examples": [{"inputs": {"area_mu": 20}, "amount_yuan": 1_000_000}]}


def test_bands_choose_the_band_of_the_base():
    rule = Rule.model_validate(BANDS)
    assert rule.status == "reviewed"
    assert calculate(rule, {"investment_yuan": "1亿"}).amount_yuan == 1_000_000
    assert calculate(rule, {"investment_yuan": "9999万"}).amount_yuan == 500_000
    low = calculate(rule, {"investment_yuan": "4000万"})
    assert low.eligible is False and "档次" in low.reason
    assert calculate(rule, {}).amount_yuan is None and rule.ceiling_yuan == 1_000_000


def test_a_band_with_a_rate_is_capped():
    record = {**BANDS, "cap_yuan": 600_000,
              "bands": [{"min_yuan": 1_000_000, "max_yuan": 3_000_000, "include_max": True, "rate": "0.12"},
                        {"min_yuan": 3_000_000, "include_min": False, "rate": "0.2"}]}
    rule = Rule.model_validate(record)
    assert calculate(rule, {"investment_yuan": "300万"}).amount_yuan == 360_000     # 含300万: the lower band
    assert calculate(rule, {"investment_yuan": "400万"}).amount_yuan == 600_000     # 80万 capped at 60万


@pytest.mark.parametrize("change", [
    {"bands": [{"min_yuan": 0, "max_yuan": 10, "amount_yuan": 1}]},                          # one band
    {"bands": [{"min_yuan": 0, "max_yuan": 20, "amount_yuan": 1}, {"min_yuan": 10, "amount_yuan": 2}]},  # overlap
    {"bands": [{"min_yuan": 0, "max_yuan": 20, "amount_yuan": 1, "rate": "0.1"}, {"min_yuan": 20, "amount_yuan": 2}]},
    {"rate": "0.1"},
])
def test_bad_bands_are_refused(change):
    with pytest.raises(ValidationError):
        Rule.model_validate({**BANDS, **change})


def test_per_unit_multiplies_and_caps():
    rule = Rule.model_validate(PER_UNIT)
    assert calculate(rule, {"area_mu": "20亩"}).amount_yuan == 1_000_000
    assert calculate(rule, {"area_mu": 300}).amount_yuan == 5_000_000
    assert "亩" in calculate(rule, {"area_mu": 20}).formula
    with pytest.raises(PolicyError) as err:
        calculate(rule, {"area_mu": "很多"})
    assert "数量" in err.value.message


def test_per_unit_needs_a_quantity_base_and_a_unit_amount():
    with pytest.raises(ValidationError):
        Rule.model_validate({**PER_UNIT, "unit_yuan": None})
    with pytest.raises(ValidationError):
        Rule.model_validate({**PER_UNIT, "inputs": [{"name": "area_mu", "label": "面积"}]})   # unit 元


def test_status_is_reviewed_or_draft():
    assert Rule.model_validate({**PER_UNIT, "status": "draft"}).status == "draft"
    with pytest.raises(ValidationError):
        Rule.model_validate({**PER_UNIT, "status": "maybe"})


def test_examples_recompute():
    for record in (BANDS, PER_UNIT):
        rule = Rule.model_validate(record)
        for example in rule.examples:
            assert calculate(rule, example.inputs, example.facts).amount_yuan == Decimal(example.amount_yuan)


QUANTITY_BANDS = {**COMMON, "id": "mu_bands", "kind": "bands", "base": "area_mu",
                  "inputs": [{"name": "area_mu", "label": "新建基地面积", "unit": "亩"}],
                  "bands": [{"min_yuan": 100, "max_yuan": 500, "unit_yuan": 100},
                            {"min_yuan": 500, "unit_yuan": 200}],
                  "examples": [{"inputs": {"area_mu": 760}, "amount_yuan": 152_000}]}


def test_bands_of_a_quantity_give_an_amount_per_unit():
    rule = Rule.model_validate(QUANTITY_BANDS)
    assert calculate(rule, {"area_mu": 300}).amount_yuan == 30_000
    assert calculate(rule, {"area_mu": "500亩"}).amount_yuan == 100_000
    low = calculate(rule, {"area_mu": 80})
    assert low.eligible is False and "80亩" in low.reason


def test_a_single_band_is_a_minimum_and_needs_a_lower_end():
    record = {**QUANTITY_BANDS, "bands": [{"min_yuan": 5000, "unit_yuan": 50}], "cap_yuan": 3_000_000,
              "examples": [{"inputs": {"area_mu": 6000}, "amount_yuan": 300_000}]}
    rule = Rule.model_validate(record)
    assert calculate(rule, {"area_mu": 4200}).eligible is False
    with pytest.raises(ValidationError):
        Rule.model_validate({**record, "bands": [{"max_yuan": 5000, "unit_yuan": 50}]})


def test_band_kinds_follow_the_base():
    with pytest.raises(ValidationError):       # a rate of a quantity
        Rule.model_validate({**QUANTITY_BANDS, "bands": [{"min_yuan": 100, "rate": "0.1"}]})
    with pytest.raises(ValidationError):       # an amount per unit of money
        Rule.model_validate({**BANDS, "bands": [{"min_yuan": 100, "unit_yuan": 10}]})
    with pytest.raises(ValidationError):       # two awards in one band
        Rule.model_validate({**QUANTITY_BANDS, "bands": [{"min_yuan": 100, "unit_yuan": 10, "amount_yuan": 5}]})


PER_TONNE = {**COMMON, "id": "per_t", "kind": "per_unit", "base": "tonnes", "unit_yuan": 300, "base_max_yuan": 150,
             "inputs": [{"name": "tonnes", "label": "有机肥用量", "unit": "吨"}],
             "examples": [{"inputs": {"tonnes": 200}, "amount_yuan": 45_000}]}
RENT = {**COMMON, "id": "rent", "kind": "per_unit", "base": "area_sqm", "unit_yuan": 240, "cap_yuan": 600_000,
        "inputs": [{"name": "area_sqm", "label": "办公用房面积", "unit": "平方米"},
                   {"name": "rent_yuan", "label": "实际租赁成本（每年）", "required": False}],
        "limits": [{"label": "不超过实际租赁成本", "rate": 1, "of_input": "rent_yuan"}],
        "examples": [{"inputs": {"area_sqm": 1000, "rent_yuan": 100_000}, "amount_yuan": 100_000}]}


def test_a_per_unit_quantity_is_counted_at_most_its_limit():
    rule = Rule.model_validate(PER_TONNE)
    assert calculate(rule, {"tonnes": 100}).amount_yuan == 30_000
    over = calculate(rule, {"tonnes": 200})
    assert over.amount_yuan == 45_000 and "min(200吨, 150吨)" in over.formula
    assert rule.ceiling_yuan == 45_000
    with pytest.raises(ValidationError):
        Rule.model_validate({**PER_TONNE, "unit_step": 1})


def test_a_per_unit_award_is_bounded_by_an_actual_cost_when_given():
    rule = Rule.model_validate(RENT)
    assert calculate(rule, {"area_sqm": 1000, "rent_yuan": 100_000}).amount_yuan == 100_000   # 24万 by the standard
    assert calculate(rule, {"area_sqm": 100, "rent_yuan": 100_000}).amount_yuan == 24_000     # the standard is lower
    unknown = calculate(rule, {"area_sqm": 100})
    assert unknown.amount_yuan == 24_000 and any("实际租赁成本" in n for n in unknown.notes)
    assert any(m.name == "rent_yuan" and not m.required for m in unknown.missing)
    assert calculate(rule, {"area_sqm": 5000, "rent_yuan": 2_000_000}).amount_yuan == 600_000  # the cap
    with pytest.raises(ValidationError):        # a rate of the quantity itself means nothing
        Rule.model_validate({**RENT, "limits": [{"label": "x", "rate": 1}]})


def test_a_per_unit_award_applies_its_amount_limit():
    record = {**PER_UNIT, "cap_yuan": None, "limits": [{"label": "每年不超过80万元", "amount_yuan": 800_000}],
              "examples": [{"inputs": {"area_mu": 20}, "amount_yuan": 800_000}]}
    rule = Rule.model_validate(record)
    assert calculate(rule, {"area_mu": 20}).amount_yuan == 800_000
    assert calculate(rule, {"area_mu": 10}).amount_yuan == 500_000


def test_a_per_unit_limit_subtracting_an_unknown_amount_is_only_noted():
    record = {**PER_UNIT, "cap_yuan": 500_000,
              "inputs": [*PER_UNIT["inputs"], {"name": "received_yuan", "label": "已获得的相关奖补金额", "required": False}],
              "limits": [{"label": "每年不超过45万元", "amount_yuan": 450_000, "minus_input": "received_yuan"}],
              "examples": [{"inputs": {"area_mu": 20}, "amount_yuan": 500_000}]}
    rule = Rule.model_validate(record)
    unknown = calculate(rule, {"area_mu": 20})
    assert unknown.amount_yuan == 500_000 and any("45万" in n for n in unknown.notes)
    assert calculate(rule, {"area_mu": 20, "received_yuan": 50_000}).amount_yuan == 400_000
