"""Property tests over EVERY rule: never negative, never above its cap, never decreasing in the base."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.describe import fact_names
from calculators.engine import calculate
from ingest.rules import load_rulebook

RULES = load_rulebook().rules
IDS = [r.id for r in RULES]
RATE_RULES = [r for r in RULES if r.kind == "rate"]

yuan = st.one_of(
    st.integers(min_value=0, max_value=10**13).map(Decimal),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
)
fact_values = st.sampled_from([True, False, "一等奖", "二等奖", "三等奖", "其他"])


@st.composite
def scenario(draw, rule):
    """Optional inputs present or not, and any facts, for a rule."""
    inputs = {s.name: draw(yuan) for s in rule.inputs if not s.required and draw(st.booleans())}
    facts = {name: draw(fact_values) for name in fact_names(rule) if draw(st.booleans())}
    return inputs, facts


def _bounds_hold(rule, result, base=None):
    amount = result.amount_yuan
    assert amount is not None and amount >= 0
    if rule.ceiling_yuan is not None:
        assert amount <= rule.ceiling_yuan
    if base is not None:
        assert amount <= base * rule.rate
    if not result.eligible:
        assert amount == 0


@pytest.mark.parametrize("rule", RATE_RULES, ids=[r.id for r in RATE_RULES])
@settings(max_examples=150, deadline=None)
@given(data=st.data(), low=yuan, high=yuan)
def test_rate_rule_bounded_and_monotone(rule, data, low, high):
    low, high = min(low, high), max(low, high)
    inputs, facts = data.draw(scenario(rule))
    first = calculate(rule, {**inputs, rule.base: low}, facts)
    second = calculate(rule, {**inputs, rule.base: high}, facts)
    _bounds_hold(rule, first, low)
    _bounds_hold(rule, second, high)
    assert first.amount_yuan <= second.amount_yuan
    if rule.min_base_yuan is not None and low < rule.min_base_yuan:
        assert not first.eligible


@pytest.mark.parametrize("rule", [r for r in RULES if r.kind != "rate"], ids=[r.id for r in RULES if r.kind != "rate"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fixed_and_tier_rules_bounded(rule, data):
    inputs, facts = data.draw(scenario(rule))
    result = calculate(rule, inputs, facts)
    _bounds_hold(rule, result)
    assert sum((i.amount_yuan for i in result.instalments), Decimal(0)) in (0, result.amount_yuan)


@pytest.mark.parametrize("rule", RATE_RULES, ids=[r.id for r in RATE_RULES])
@settings(max_examples=60, deadline=None)
@given(base=yuan, extra=yuan)
def test_more_upper_subsidy_or_prior_awards_never_raise_the_award(rule, base, extra):
    """Amounts that a limit subtracts (上级补助, 本年度已获奖励) can only lower the award."""
    subtracted = [lim.minus_input for lim in rule.limits if lim.minus_input]
    for name in subtracted:
        without = calculate(rule, {rule.base: base, name: Decimal(0)})
        with_more = calculate(rule, {rule.base: base, name: extra})
        assert with_more.amount_yuan <= without.amount_yuan


def test_every_rule_is_exercised():
    assert len(RATE_RULES) + len([r for r in RULES if r.kind != "rate"]) == len(RULES) == len(IDS)
