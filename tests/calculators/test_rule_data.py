"""The rule records against the policy texts: quotes verbatim, every figure in its quote, examples exact,
and every quantified award of the four policies covered."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from calculators.amounts import find_amounts, format_percent
from calculators.engine import calculate
from calculators.models import Rule
from ingest.rules import load_rulebook, verify_rules

RULES = load_rulebook().rules
IDS = [r.id for r in RULES]
POLICIES = ("henan_2018_smart_mfg", "henan_2022_tech_upgrade", "hunan_mfg_internet", "foshan_industrial_internet")
# Figures in award clauses that are not awards (the old rate the new one replaces).
NOT_AWARDS = {("henan_2018_smart_mfg", "三、（九）"): {"8%"}}


def wan_text(yuan: Decimal) -> str:
    """5000000 -> '500万' as the policies write it (the check a typo in the data must fail)."""
    return format((Decimal(yuan) / 10_000).normalize(), "f") + "万"


def rates(rule: Rule) -> list[Decimal]:
    found = [rule.rate] + [lim.rate for lim in rule.limits] + [i.share for i in rule.instalments]
    if rule.base_cap:
        found.append(rule.base_cap.rate)
    return [r for r in found if r is not None]


def amounts(rule: Rule) -> list[Decimal]:
    found = [rule.cap_yuan, rule.fixed_yuan, rule.min_base_yuan]
    found += [t.amount_yuan for t in rule.tiers] + [e.amount_yuan for e in rule.extras]
    found += [lim.amount_yuan for lim in rule.limits] + [q.amount_yuan for q in rule.quotas]
    return [a for a in found if a is not None]


def test_there_is_a_rule_per_award():
    assert len(RULES) >= 43
    assert len(set(IDS)) == len(IDS)
    assert {r.doc_id for r in RULES} == set(POLICIES)


def test_every_quote_is_verbatim_in_its_clause(rulebook, kb):
    assert verify_rules(rulebook, kb) == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_quote_fragments_occur_in_clause(rule, kb):
    text = kb.clause(rule.doc_id, rule.clause).text
    for fragment in rule.quote.split("……"):
        assert fragment and fragment in text


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_every_rate_cap_and_fixed_amount_is_in_the_quote(rule):
    quote = rule.quote
    for rate in rates(rule):
        assert format_percent(rate) in quote, f"{rule.id}: {format_percent(rate)} not in quote"
    for amount in amounts(rule):
        assert wan_text(amount) in quote, f"{rule.id}: {wan_text(amount)} not in quote"
    for quota in rule.quotas:
        if quota.count is not None:
            assert f"{quota.count}家" in quote or f"{quota.count}个" in quote


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_worked_examples(rule):
    for example in rule.examples:
        result = calculate(rule, example.inputs, example.facts)
        assert result.eligible == example.eligible, (example, result.reason)
        assert result.amount_yuan == example.amount_yuan, (example, result.formula)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_is_well_described(rule):
    assert re.search(r"[\u4e00-\u9fff]", rule.title)
    assert rule.conditions, "who qualifies must be recorded as facts"
    assert all(re.search(r"[\u4e00-\u9fff]", k) for k in rule.keywords)
    if rule.kind == "rate":
        assert any(e.inputs.get(rule.base, 0) * rule.rate > (rule.cap_yuan or 10**15) for e in rule.examples) \
            or rule.cap_yuan is None, "a capped rule needs an example that reaches its cap"


def test_every_award_clause_has_rules_and_every_figure_is_encoded(rulebook, kb):
    """No quantified award is skipped: each award clause with a figure has rules using all of its figures."""
    for clause in kb.clauses:
        if clause.doc_id not in POLICIES:
            continue
        rules = rulebook.for_clause(clause.doc_id, clause.label)
        money = {m.value for m in find_amounts(clause.text)}
        percents = set(re.findall(r"\d+%", clause.text)) - NOT_AWARDS.get((clause.doc_id, clause.label), set())
        is_award = re.search(r"奖励|补助|奖补|补贴|资金支持", clause.text) and (money or percents)
        if not rules:
            assert not is_award, f"{clause.doc_id} {clause.label} has an award but no rule"
            continue
        encoded_money = {a for r in rules for a in amounts(r)}
        encoded_rates = {format_percent(x) for r in rules for x in rates(r)}
        assert money <= encoded_money, (clause.label, money - encoded_money)
        assert percents <= encoded_rates, (clause.label, percents - encoded_rates)


@pytest.mark.parametrize("doc_id, clause, rule_id", [
    ("henan_2018_smart_mfg", "三、（八）", "henan2018_national_pilot"),
    ("henan_2018_smart_mfg", "四、（十一）", "henan2018_industry_platform"),
    ("henan_2022_tech_upgrade", "三、（二）1", "henan2022_first_set_premium"),
    ("henan_2022_tech_upgrade", "三、（二）1", "henan2022_first_set_national_sales"),
    ("henan_2022_tech_upgrade", "三、（二）1", "henan2022_first_set_provincial_sales"),
    ("henan_2022_tech_upgrade", "三、（三）1", "henan2022_innovation_center_national"),
    ("hunan_mfg_internet", "四、第4段", "hunan_lianghua_guanbiao"),
    ("foshan_industrial_internet", "六、第2段", "foshan_demo_base"),
])
def test_for_clause_finds_each_award_of_a_clause(rulebook, doc_id, clause, rule_id):
    assert rule_id in [r.id for r in rulebook.for_clause(doc_id, clause)]
