"""The kinds of award arithmetic (rate / fixed / tiers / bands / per_unit), each with its formula in words."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from calculators.amounts import format_amount, format_percent, format_wan
from calculators.models import Limit, Rule
from calculators.result import Missing

_TRUE = {"true", "yes", "y", "1", "是", "有", "对", "已获得", "已入选"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "不是", "未获得", "未入选"}


def fact_value(value: Any) -> bool | str:
    """Normalise a fact: yes/no words become bool, anything else stays a string."""
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    return text


@dataclass
class Outcome:
    amount: Decimal | None
    formula: str = ""
    eligible: bool = True
    reason: str | None = None
    is_maximum: bool = False
    notes: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def _optional_missing(rule: Rule, values: dict[str, Decimal]) -> list[Missing]:
    return [Missing(name=s.name, label=s.label, kind="input", required=False)
            for s in rule.inputs if not s.required and s.name not in values]


def _counted_base(rule: Rule, base: Decimal, values: dict[str, Decimal]) -> tuple[Decimal, str, list[str]]:
    """The base as counted: min(base, other × rate) when the rule caps it (premium rate ≤ 3%)."""
    cap = rule.base_cap
    if cap is None:
        return base, format_wan(base), []
    if cap.input not in values:
        label = rule.input(cap.input).label
        return base, format_wan(base), [f"{cap.label}；未提供{label}，按{rule.input(rule.base).label}全额计算，"
                                        f"如{label}的{format_percent(cap.rate)}低于它，以{format_percent(cap.rate)}为限"]
    other = values[cap.input]
    counted = min(base, other * cap.rate)
    return counted, f"min({format_wan(base)}, {format_wan(other)} × {format_percent(cap.rate)})", []


def _limit(limit: Limit, base: Decimal, values: dict[str, Decimal], rule: Rule) -> tuple[Decimal, str, str | None]:
    """(bound, text, note when the amount it subtracts is not known)."""
    if limit.of_input is not None and limit.of_input in values:
        base = values[limit.of_input]
    bound = base * limit.rate if limit.rate is not None else limit.amount_yuan
    text = f"{format_wan(base)} × {format_percent(limit.rate)}" if limit.rate is not None else format_wan(bound)
    if limit.minus_input is None:
        return bound, text, None
    spec = rule.input(limit.minus_input)
    if limit.minus_input not in values:
        return bound, text, f"{limit.label}；如适用，请提供{spec.label}以核算"
    return bound - values[limit.minus_input], f"{text} − {format_wan(values[limit.minus_input])}", None


def _below_minimum(rule: Rule, base: Decimal) -> Outcome:
    label = rule.input(rule.base).label
    minimum = format_wan(rule.min_base_yuan)
    return Outcome(amount=Decimal(0), eligible=False,
                   reason=f"{label}不低于{minimum}方可申报（当前为{format_wan(base)}）",
                   formula=f"{format_wan(base)} < {minimum}（最低{label}），不符合申报条件")


def compute_rate(rule: Rule, values: dict[str, Decimal], facts: dict[str, Any]) -> Outcome:
    optional = _optional_missing(rule, values)
    if rule.base not in values:
        return _missing_base(rule, optional)
    base = values[rule.base]
    if rule.min_base_yuan is not None and base < rule.min_base_yuan:
        return _below_minimum(rule, base)
    counted, counted_text, notes = _counted_base(rule, base, values)
    product = f"{counted_text} × {format_percent(rule.rate)}"
    terms = [(counted * rule.rate, product)]
    if rule.cap_yuan is not None:
        terms.append((rule.cap_yuan, format_wan(rule.cap_yuan)))
    for limit in rule.limits:
        bound, text, note = _limit(limit, base, values, rule)
        if note:
            notes.append(note)
        if note is None or bound < min(t[0] for t in terms):
            terms.append((bound, text))
    amount = max(Decimal(0), min(t[0] for t in terms))
    shown = product if len(terms) == 1 else f"min({', '.join(t[1] for t in terms)})"
    return Outcome(amount=amount, formula=f"{shown} = {format_wan(_fen(amount))}",
                   is_maximum=rule.is_maximum, notes=notes, missing=optional)


def compute_fixed(rule: Rule, values: dict[str, Decimal], facts: dict[str, Any]) -> Outcome:
    amount, parts, notes, missing = rule.fixed_yuan, [format_wan(rule.fixed_yuan)], [], []
    for extra in rule.extras:
        known = extra.fact in facts
        if known and fact_value(facts[extra.fact]) is True:
            amount += extra.amount_yuan
            parts.append(f"{format_wan(extra.amount_yuan)}（{extra.label}）")
        elif not known:
            notes.append(f"若{extra.label}，再奖励{format_wan(extra.amount_yuan)}")
            missing.append(Missing(name=extra.fact, label=extra.label, kind="fact", required=False))
    formula = f"定额奖励{parts[0]}" if len(parts) == 1 else f"{' + '.join(parts)} = {format_wan(amount)}"
    return Outcome(amount=amount, formula=formula, is_maximum=rule.is_maximum, notes=notes, missing=missing)


def compute_tiers(rule: Rule, values: dict[str, Decimal], facts: dict[str, Any]) -> Outcome:
    listing = " / ".join(f"{t.value}{format_wan(t.amount_yuan)}" for t in rule.tiers)
    value = facts.get(rule.tier_fact)
    if value is None:
        best = max(t.amount_yuan for t in rule.tiers)
        return Outcome(amount=best, is_maximum=True, formula=f"{listing}，最高{format_wan(best)}",
                       missing=[Missing(name=rule.tier_fact, label=rule.tier_label, kind="fact", required=True)])
    for tier in rule.tiers:
        if str(value).strip() == tier.value:
            return Outcome(amount=tier.amount_yuan, is_maximum=rule.is_maximum,
                           formula=f"{tier.value} = {format_wan(tier.amount_yuan)}")
    options = "、".join(t.value for t in rule.tiers)
    return Outcome(amount=Decimal(0), eligible=False, formula=listing,
                   reason=f"{rule.tier_label}为“{value}”，本条只奖励{options}")


def _fen(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), ROUND_DOWN)


def _capped(rule: Rule, amount: Decimal, shown: str) -> tuple[Decimal, str]:
    if rule.cap_yuan is None or amount <= rule.cap_yuan:
        return amount, shown
    return rule.cap_yuan, f"min({shown}, {format_wan(rule.cap_yuan)})"


def band_end(value: Decimal, unit: str) -> str:
    """A band's end in the base's unit: 300万元, 500亩, or a foreign currency as written (1000万美元)."""
    if unit == "元":
        return format_wan(value)
    if unit.endswith("元") and value >= 10_000:
        return format_wan(value).removesuffix("元") + unit
    return f"{format(value.normalize(), 'f')}{unit}"


def band_award(band, unit: str) -> str:
    if band.amount_yuan:
        return format_wan(band.amount_yuan)
    if band.unit_yuan:
        return f"{format_wan(band.unit_yuan)}/{unit}"
    return format_percent(band.rate)


def _band_text(band, unit: str = "元") -> str:
    low = f"{band_end(band.min_yuan, unit)}{'（含）' if band.include_min else '（不含）'}"
    high = f"{band_end(band.max_yuan, unit)}{'（含）' if band.include_max else '（不含）'}" if band.max_yuan else "以上"
    award = band_award(band, unit)
    return f"{low}至{high}：{award}" if band.max_yuan else f"{low}以上：{award}"


def _missing_base(rule: Rule, optional: list[Missing] = (), name: str | None = None) -> Outcome:
    """No figure yet: the base input (or `name`) is still to be given."""
    spec = rule.input(name or rule.base)
    return Outcome(amount=None, is_maximum=rule.is_maximum,
                   missing=[Missing(name=spec.name, label=spec.label, kind="input", required=True), *optional])


def compute_bands(rule: Rule, values: dict[str, Decimal], facts: dict[str, Any]) -> Outcome:
    chooser = rule.band_input or rule.base
    spec = rule.input(chooser)
    for name in dict.fromkeys([chooser, rule.base]):
        if name not in values:
            return _missing_base(rule, [], name)
    measure, base = values[chooser], values[rule.base]
    if rule.progressive:
        return _progressive(rule, base, spec.label)
    band = next((b for b in rule.bands if b.holds(measure)), None)
    if band is None:
        listing = "；".join(_band_text(b, spec.unit) for b in rule.bands)
        return Outcome(amount=Decimal(0), eligible=False, formula=listing,
                       reason=f"{spec.label}为{band_end(measure, spec.unit)}，不在本条任何档次内（{listing}）")
    chosen = f"{spec.label}{band_end(measure, spec.unit)}属于档次“{_band_text(band, spec.unit)}”"
    if band.amount_yuan is not None:
        amount, shown = band.amount_yuan, chosen
    elif band.unit_yuan is not None:
        amount = base * band.unit_yuan
        shown = f"{band_end(base, spec.unit)} × {format_wan(band.unit_yuan)}/{spec.unit}"
    else:
        counted = min(base, rule.base_max_yuan) if rule.base_max_yuan else base
        text = f"min({format_wan(base)}, {format_wan(rule.base_max_yuan)})" if counted != base else format_wan(base)
        amount, shown = counted * band.rate, f"{text} × {format_percent(band.rate)}"
        if rule.band_input:
            shown = f"{chosen}：{shown}"
    amount, shown = _capped(rule, amount, shown)
    return Outcome(amount=amount, formula=f"{shown} = {format_wan(_fen(amount))}", is_maximum=rule.is_maximum)


def _progressive(rule: Rule, base: Decimal, label: str) -> Outcome:
    """分段累进: each part of the base at its band's rate, added up, then capped."""
    parts = [(min(base, b.max_yuan) if b.max_yuan is not None else base) - b.min_yuan for b in rule.bands]
    used = [(part, b) for part, b in zip(parts, rule.bands, strict=True) if part > 0]
    amount = sum((part * b.rate for part, b in used), Decimal(0))
    shown = " + ".join(f"{format_wan(part)} × {format_percent(b.rate)}" for part, b in used) or "0"
    shown = f"({shown})" if len(used) > 1 and rule.cap_yuan is not None and amount > rule.cap_yuan else shown
    amount, shown = _capped(rule, amount, shown)
    return Outcome(amount=amount, formula=f"{label}{format_wan(base)}分段累进：{shown} = {format_wan(_fen(amount))}",
                   is_maximum=rule.is_maximum)


def compute_per_unit(rule: Rule, values: dict[str, Decimal], facts: dict[str, Any]) -> Outcome:
    spec = rule.input(rule.base)
    if rule.base not in values:
        return _missing_base(rule)
    quantity = values[rule.base]
    if rule.unit_step is not None:
        return _stepped(rule, quantity, spec)
    counted = min(quantity, rule.base_max_yuan) if rule.base_max_yuan else quantity
    shown = f"{band_end(quantity, spec.unit)}"
    if counted != quantity:
        shown = f"min({shown}, {band_end(rule.base_max_yuan, spec.unit)})"
    shown = f"{shown} × {format_wan(rule.unit_yuan)}/{spec.unit}"
    amount, shown = _capped(rule, counted * rule.unit_yuan, shown)
    amount, shown, notes = _unit_limits(rule, amount, shown, values)
    return Outcome(amount=amount, formula=f"{shown} = {format_wan(_fen(amount))}", is_maximum=rule.is_maximum,
                   notes=notes, missing=_optional_missing(rule, values))


def _unit_limits(rule: Rule, amount: Decimal, shown: str, values: dict[str, Decimal]) -> tuple[Decimal, str, list[str]]:
    """A per-unit award bounded by amounts (不超过实际租赁成本: of_input × rate; 每年不超过45万元): the bounds whose
    amounts are known; a note for each whose amount is not given."""
    terms, notes = [(amount, shown)], []
    for limit in rule.limits:
        if limit.rate is not None and limit.of_input not in values:
            notes.append(f"{limit.label}；请提供{rule.input(limit.of_input).label}以核算")
            continue
        bound, text, note = _limit(limit, Decimal(0), values, rule)
        if note:        # what it subtracts is not known: the limit may concern other awards, so only noted
            notes.append(note)
        else:
            terms.append((bound, text))
    if len(terms) == 1:
        return amount, shown, notes
    return max(Decimal(0), min(t[0] for t in terms)), f"min({', '.join(t[1] for t in terms)})", notes


def _stepped(rule: Rule, base: Decimal, spec) -> Outcome:
    """fixed_yuan + ⌊(base − step_from) ÷ unit_step⌋ × unit_yuan: whole steps only."""
    def end(value: Decimal) -> str:
        return format_amount(value) if spec.unit == "元" else band_end(value, spec.unit)

    start = rule.step_from or Decimal(0)
    if base < start:
        return Outcome(amount=Decimal(0), eligible=False, reason=f"{spec.label}须达到{end(start)}（当前为{end(base)}）",
                       formula=f"{end(base)} < {end(start)}，不符合申报条件")
    steps = ((base - start) / rule.unit_step).to_integral_value(rounding=ROUND_DOWN)
    if rule.unit_step == 1 and not rule.step_from:
        shown = f"{end(steps)} × {format_wan(rule.unit_yuan)}"
    else:
        over = f"({end(base)} − {end(start)})" if rule.step_from else end(base)
        shown = f"⌊{over} ÷ {end(rule.unit_step)}⌋ × {format_wan(rule.unit_yuan)}"
    amount = steps * rule.unit_yuan
    if rule.fixed_yuan:
        shown, amount = f"{format_wan(rule.fixed_yuan)} + {shown}", amount + rule.fixed_yuan
    amount, shown = _capped(rule, amount, shown)
    return Outcome(amount=amount, formula=f"{shown} = {format_wan(_fen(amount))}", is_maximum=rule.is_maximum)
