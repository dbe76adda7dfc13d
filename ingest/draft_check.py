"""Verification of a drafted rule against its clause: nothing in a draft is taken on trust.

1. the quote (fragments joined by ……) is verbatim in the clause, in order;
2. every number of the rule (rate, cap, fixed amount, minimum base, tiers, bands, amount per unit,
   limits, instalment shares, years) occurs in the quote;
3. every worked example recomputes exactly with the calculator.
A failure raises ``Undraftable`` with the reason, and the sentence is listed instead of drafted.
"""
from __future__ import annotations

import re
from decimal import Decimal

from calculators.amounts import find_amounts
from calculators.engine import calculate
from calculators.models import Rule
from errors import PolicyError
from ingest.draft_pieces import Undraftable
from ingest.draft_text import chinese_int, load_lexicon

_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*([%％‰])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_FOREIGN = re.compile(r"(\d+(?:\.\d+)?)\s*([万亿]?)\s*(?:[（(]不?含[）)])?\s*(?:美元|美金|欧元|日元|英镑|港元|港币)")
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_YEARS = re.compile(r"([\d一二两三四五六七八九十]+)\s*年")


def quote_in_clause(quote: str, clause_text: str) -> bool:
    position = 0
    for fragment in quote.split("……"):
        found = clause_text.find(fragment, position)
        if not fragment or found < 0:
            return False
        position = found + len(fragment)
    return True


def rule_numbers(rule: Rule) -> tuple[set[Decimal], set[Decimal], set[int], set[Decimal]]:
    """(money amounts, rates, years, quantities) the rule states."""
    quantity_base = rule.base is not None and rule.input(rule.base).unit != "元"
    money = {rule.cap_yuan, rule.fixed_yuan, rule.min_base_yuan, rule.unit_yuan}
    quantities: set[Decimal | None] = {rule.base_max_yuan} if quantity_base and rule.kind == "per_unit" else set()
    money |= set() if quantities else {rule.base_max_yuan}
    money |= {t.amount_yuan for t in rule.tiers} | {e.amount_yuan for e in rule.extras}
    money |= {lim.amount_yuan for lim in rule.limits} | {q.amount_yuan for q in rule.quotas}
    chooser = rule.band_input or rule.base
    quantity_bands = chooser is not None and rule.input(chooser).unit != "元"
    for band in rule.bands:
        money |= {band.amount_yuan, band.unit_yuan}
        (quantities if quantity_bands else money).update({band.max_yuan, band.min_yuan or None})
    (quantities if quantity_base else money).update({rule.unit_step, rule.step_from})
    rates = {rule.rate, *(lim.rate for lim in rule.limits if not lim.of_input or lim.rate != 1), *(b.rate for b in rule.bands)}
    rates |= {i.share for i in rule.instalments if not i.stage.startswith("其余")}
    if rule.base_cap:
        rates.add(rule.base_cap.rate)
    years = {rule.max_years} | ({len(rule.instalments)} if rule.instalments and rule.instalments[0].stage == "第1年"
                                else set())
    return money - {None}, rates - {None}, years - {None}, quantities - {None}


def _per_year(quote: str) -> set[Decimal]:
    """30元/平方米•月 also states 360元 a year: every amount per period, times the periods in a year."""
    found = set()
    for m in find_amounts(quote):
        for period, times in load_lexicon().periods.items():
            if times > 1 and re.match(rf"\s*[/／][^，,。；\d]{{0,6}}?{period}", quote[m.end:]):
                found.add(m.value * times)
    return found


def quote_numbers(quote: str) -> tuple[set[Decimal], set[Decimal], set[int], set[Decimal]]:
    money = {m.value for m in find_amounts(quote)} | _per_year(quote)
    rates = {Decimal(m.group(1)) / (1000 if m.group(2) == "‰" else 100) for m in _PERCENT.finditer(quote)}
    years = {chinese_int(m.group(1)) for m in _YEARS.finditer(quote)} - {None}
    quantities = {Decimal(m.group()) for m in _NUMBER.finditer(quote)} | money   # 1000万（含）至2000万美元
    quantities |= {Decimal(m.group(1)) * _SCALE.get(m.group(2), 1) for m in _FOREIGN.finditer(quote)}
    return money, rates, years, quantities


def quoted_text(rule: Rule, by_label: dict) -> str | None:
    """The text the rule's quote is read from: its clause, after the earlier clauses it starts with
    (``quote_clauses``); None when one of them is not in `by_label` (label -> clause)."""
    labels = [*rule.quote_clauses, rule.clause]
    if any(label not in by_label for label in labels):
        return None
    return "\n".join(by_label[label].text for label in labels)


def verify_draft(rule: Rule, clause_text: str) -> None:
    """Raise Undraftable when the draft is not verbatim, states a number not in its quote, or miscomputes."""
    if not quote_in_clause(rule.quote, clause_text):
        raise Undraftable("引文与条款原文不一致")
    stated, quoted = rule_numbers(rule), quote_numbers(rule.quote)
    if rule.rate == 1 and load_lexicon().full_cost.search(rule.quote):
        quoted[1].add(Decimal(1))          # 按…实际发生额给予: the whole amount
    costs = [lim for lim in rule.limits if lim.of_input and lim.rate == 1]
    if costs and not all(load_lexicon().actual_cost_cap.search(rule.quote) and lim.label in rule.quote for lim in costs):
        raise Undraftable("“不超过实际成本”的限额不在引文中")
    for kind, mine, theirs in zip(("金额", "比例", "年限", "数量"), stated, quoted, strict=True):
        missing = {x for x in mine if x not in theirs}
        if missing:
            raise Undraftable(f"规则中的{kind}{sorted(missing)}不在引文中")
    for example in rule.examples:
        try:
            result = calculate(rule, example.inputs, example.facts)
        except PolicyError as err:
            raise Undraftable(f"算例无法计算：{err.message}") from None
        if result.eligible != example.eligible or result.amount_yuan != example.amount_yuan:
            raise Undraftable(f"算例复算不一致：应为{example.amount_yuan}，计算器得{result.amount_yuan}")
