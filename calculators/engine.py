"""``calculate(rule, inputs, facts)``: exact award arithmetic over a typed rule. Pure: no I/O.

Money is ``Decimal`` yuan throughout; the award is rounded down to the fen, so it never exceeds
the rate, the cap or any limit. Facts decide eligibility: a fact known to be false makes the
result ineligible; an unknown fact leaves it eligible on condition (listed in ``missing``).
"""
from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from calculators.amounts import check_amount, format_wan, parse_amount
from calculators.arithmetic import (
    Outcome,
    compute_bands,
    compute_fixed,
    compute_per_unit,
    compute_rate,
    compute_tiers,
    fact_value,
)
from calculators.models import Rule
from calculators.result import CalcResult, InstalmentResult, Missing
from errors import PolicyError

_COMPUTE = {"rate": compute_rate, "fixed": compute_fixed, "tiers": compute_tiers,
            "bands": compute_bands, "per_unit": compute_per_unit}


def check_inputs(rule: Rule, inputs: dict[str, Any]) -> dict[str, Decimal]:
    """Inputs as checked Decimal yuan; PolicyError for an unknown name or a bad value."""
    values: dict[str, Decimal] = {}
    for name, raw in inputs.items():
        if name not in rule.input_names:
            known = "、".join(f"{s.name}（{s.label}）" for s in rule.inputs) or "无（定额奖励，不需要金额）"
            raise PolicyError("unknown_input", f"规则 {rule.id} 没有输入项“{name}”。可用的输入项：{known}")
        spec = rule.input(name)
        values[name] = check_amount(_parse_value(raw, spec), f"{spec.label}（{name}）")
    return values


def _parse_value(raw: Any, spec) -> Decimal:
    """A money amount (元), or a quantity in the input's unit (亩, 平方米, 人: ``50亩`` or ``50``)."""
    if isinstance(raw, Decimal):
        return raw
    text = str(raw).strip()
    if spec.unit != "元" and isinstance(raw, str):
        text = text.removesuffix(spec.unit)
    try:
        return parse_amount(text if isinstance(raw, str) else raw)
    except PolicyError:
        example = "（示例：2000万、2000万元、1.2亿、20000000、两千万）" if spec.unit == "元" else f"（示例：50、50{spec.unit}）"
        kind = "金额" if spec.unit == "元" else f"数量（{spec.unit}）"
        raise PolicyError("bad_amount", f"{spec.label}（{spec.name}）不是有效的{kind}：“{raw}”{example}") from None


def _region_failure(rule: Rule, facts: dict[str, Any]) -> str | None:
    regions = facts.get("regions") or ([facts["region"]] if facts.get("region") else [])
    if regions and rule.region not in regions:
        return f"本条仅适用于{rule.region}，与所在地区（{'、'.join(map(str, regions))}）不符"
    return None


def _conditions(rule: Rule, facts: dict[str, Any]) -> tuple[list[str], list[Missing]]:
    """(reasons the applicant fails, conditions not yet confirmed)."""
    failed, pending = [], []
    region = _region_failure(rule, facts)
    if region:
        failed.append(region)
    for cond in rule.conditions:
        if cond.fact not in facts:
            pending.append(Missing(name=cond.fact, label=cond.label, kind="fact", required=True))
        elif fact_value(facts[cond.fact]) != cond.value:
            failed.append(f"须满足“{cond.label}”")
    return failed, pending


def _instalments(rule: Rule, amount: Decimal) -> list[InstalmentResult]:
    result, paid = [], Decimal(0)
    for index, inst in enumerate(rule.instalments):
        last = index == len(rule.instalments) - 1
        part = amount - paid if last else (amount * inst.share).quantize(Decimal("0.01"), ROUND_DOWN)
        paid += part
        result.append(InstalmentResult(stage=inst.stage, share=inst.share, amount_yuan=part))
    return result


def _summary(rule: Rule, outcome: Outcome, eligible: bool) -> str:
    if not eligible:
        return "不符合申报条件，不能获得本项奖补"
    if outcome.amount is None:
        labels = "、".join(m.label for m in outcome.missing if m.required)
        ceiling = f"，本条最高不超过{format_wan(rule.ceiling_yuan)}" if rule.ceiling_yuan else ""
        return f"需提供{labels}后才能计算{ceiling}"
    per_year = f"（每年，最长{rule.max_years}年）" if rule.max_years else ""
    prefix = "最高可获得" if outcome.is_maximum else "可获得"
    return f"{prefix}{format_wan(outcome.amount)}{per_year}"


def calculate(rule: Rule, inputs: dict[str, Any], facts: dict[str, Any] | None = None) -> CalcResult:
    """The award of `rule` for these inputs (yuan) and facts (qualifications, recognitions…)."""
    facts = dict(facts or {})
    values = check_inputs(rule, inputs)
    failed, pending = _conditions(rule, facts)
    outcome = _COMPUTE[rule.kind](rule, values, facts)
    eligible = not failed and outcome.eligible
    if failed:
        outcome.reason, outcome.formula = "；".join(failed), ""
        outcome.amount = Decimal(0) if outcome.amount is not None else None
    amount = outcome.amount
    if amount is not None:
        amount = max(Decimal(0), amount).quantize(Decimal("0.01"), ROUND_DOWN)
    if eligible and amount == 0:   # a limit is used up (e.g. upper-level subsidy already 50%)
        eligible = False
        outcome.reason = _exhausted_reason(rule, values)
    reason = outcome.reason
    if eligible and pending:
        reason = "须满足：" + "；".join(m.label for m in pending)
    return CalcResult(
        rule_id=rule.id, title=rule.title, doc_id=rule.doc_id, clause=rule.clause, inputs=values,
        eligible=eligible, amount_yuan=amount, is_maximum=outcome.is_maximum and eligible,
        formula=outcome.formula, summary=_summary(rule, outcome, eligible), reason=reason,
        instalments=_instalments(rule, amount) if eligible and amount else [],
        notes=[*outcome.notes, *rule.notes, *(_quota_note(q) for q in rule.quotas)],
        missing=[*pending, *outcome.missing], ceiling_yuan=rule.ceiling_yuan,
    )


def _exhausted_reason(rule: Rule, values: dict[str, Decimal]) -> str:
    used = [lim.label for lim in rule.limits if lim.minus_input and lim.minus_input in values]
    if used:
        return "可补助额度已用完：" + "；".join(used)
    return "按所给金额计算，可获补助为0元"


def _quota_note(quota) -> str:
    return f"{quota.label}（年度名额、资金总量，不影响单个项目的计算）"
