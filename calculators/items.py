"""Several items under one rule: each computed on its own, then the rule's aggregate limits
(per enterprise per year, per provider across enterprises) applied to their sum; or successive
years of a multi-year award added up. Pure: no I/O.
"""
from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from calculators.amounts import format_wan
from calculators.engine import calculate
from calculators.models import Limit, Rule
from calculators.result import CalcResult

# the wording of a limit that bounds one year's award ("每家企业每年最高不超过2万元"): over the
# years of a multi-year award it holds for each year, not for their sum
_ONE_YEAR = ("每年", "年度", "当年", "本年")


def _binds_years(lim: Limit) -> bool:
    return not any(w in lim.label for w in _ONE_YEAR)


def _per_item(rule: Rule, shares_cap: bool) -> Rule:
    """The rule as it holds for one item: without the limits that bound the sum (and without the
    cap when the items share it)."""
    update: dict[str, Any] = {"limits": [lim for lim in rule.limits if not lim.aggregate]}
    if shares_cap and rule.kind == "rate" and rule.cap_yuan is not None:
        update["limits"] = [*update["limits"], Limit(label="本项", amount_yuan=Decimal("1e15"))]
        update["cap_yuan"] = None
        if rule.base_cap is None:       # a rate rule needs a cap or a base cap: a bound nobody reaches
            update["cap_yuan"] = Decimal("1e15")
    return rule.model_copy(update=update)


def calculate_many(rule: Rule, sets: list[dict[str, Any]], facts: dict[str, Any] | None = None,
                   per_year: bool = False, across_enterprises: bool = False) -> CalcResult:
    """The award over several input sets: one enterprise's items (or years when `per_year`),
    or, `across_enterprises`, several enterprises' (a provider's buyers, each capped on its own)."""
    if len(sets) == 1 and not per_year:
        return calculate(rule, sets[0], facts)
    shares_cap = rule.cap_scope == "enterprise" and not across_enterprises and not per_year
    single = _per_item(rule, shares_cap) if not per_year else rule
    results = [calculate(single, values, facts) for values in sets]
    first = results[0]
    if not first.eligible or any(r.amount_yuan is None for r in results):
        return first
    total = sum((r.amount_yuan for r in results), Decimal(0))
    name = "第{}年" if per_year else "第{}项"
    parts = [f"{name.format(i + 1)}：{r.formula}" for i, r in enumerate(results)]
    terms = [(total, format_wan(total))]
    notes = []
    if shares_cap:
        terms.append((rule.cap_yuan, format_wan(rule.cap_yuan)))
    shared = {k: v for k, v in first.inputs.items() if k != rule.base}
    for lim in rule.limits:
        if not lim.aggregate or lim.amount_yuan is None or (per_year and not _binds_years(lim)):
            continue
        used = shared.get(lim.minus_input, Decimal(0)) if lim.minus_input else Decimal(0)
        bound = lim.amount_yuan - used
        text = format_wan(lim.amount_yuan) + (f" − {format_wan(used)}" if used else "")
        terms.append((bound, text))
        notes.append(lim.label)
    amount = max(Decimal(0), min(t[0] for t in terms)).quantize(Decimal("0.01"), ROUND_DOWN)
    summed = " + ".join(format_wan(r.amount_yuan) for r in results)
    formula = f"{summed} = {format_wan(total)}"
    if len(terms) > 1:
        formula += f"；min({', '.join(t[1] for t in terms)}) = {format_wan(amount)}"
    prefix = "最高可获得" if first.is_maximum else "可获得"
    eligible = amount > 0
    return first.model_copy(update={
        "inputs": first.inputs, "amount_yuan": amount, "eligible": eligible,
        "formula": formula, "summary": f"{prefix}{format_wan(amount)}（{len(results)}{'年' if per_year else '项'}合计）",
        "instalments": [], "notes": [*parts, *notes, *first.notes],
        "reason": first.reason if eligible else "可获奖励额度已用完：" + "；".join(notes),
        "item_inputs": [r.inputs for r in results],
    })
