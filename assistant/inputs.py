"""Give a rule its inputs from the case: each input takes the amounts whose role it names.

Every rule input declares a role (knowledge/lexicon.yaml ``roles``). An input takes the item's
amounts of its role, or of a role it accepts (建设金额 ← 总投资); a required base also takes a
generic amount ("投资了300万") or one nothing describes. A base that is only part of a whole
(设备、软件投资 within 总投资) is never filled from the whole: the engine asks for the part.
Several amounts of the base's role are several items (三台首台套), or years of a multi-year award.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from assistant.case import LIST_MARK, Item
from assistant.count_match import quantity_values
from assistant.label_match import best_said, growth
from assistant.lexicon import Lexicon
from assistant.wording import char_pairs
from calculators.amounts import format_percent, format_wan
from calculators.models import InputSpec, Rule


@dataclass
class Gathered:
    """What the case gives one rule: one set of inputs, several items, or several years."""

    sets: list[dict[str, Decimal]] = field(default_factory=list)
    per_year: bool = False           # the sets are successive years of one award
    yearly: bool = False             # one year's figure of a multi-year award whose whole was asked
    unclear: list[str] = field(default_factory=list)    # labels of inputs whose role is not clear
    ask: list[str] = field(default_factory=list)        # counts said that no one rule's category names
    notes: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)       # "设备、软件实际投资额1450万元" …

    @property
    def inputs(self) -> dict[str, Decimal]:
        return self.sets[0] if self.sets else {}


_GENERIC = set("的了额金元万亿实际年度总和与及或对在是为按本该其")


def _worded(spec: InputSpec, item: Item) -> list[Decimal] | None:
    """The unlabelled amount whose words share the most with the input's label ("实际贷款" for
    年实际贷款额), if exactly one shares anything; with the amounts listed after it ("个税分别是
    620万、260万、140万元": words ``个税分别是``, ``个税分别是#2``, ``个税分别是#3``)."""
    groups: dict[str, list[Decimal]] = {}
    for words, value in item.worded.items():
        groups.setdefault(words.split(LIST_MARK)[0], []).append(value)
    label = char_pairs(spec.label, _GENERIC)
    scored = sorted(((len(char_pairs(words, _GENERIC) & label), words) for words in groups), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return groups[scored[0][1]]
    return None


def role_of(spec: InputSpec, lex: Lexicon) -> str | None:
    """The input's declared role; for a drafted rule without one, the role its label names."""
    if spec.role:
        return spec.role
    found = [(len(p), name) for name, role in lex.roles.items() for p in role.phrases if p in spec.label]
    return max(found)[1] if found else None


def _values(spec: InputSpec, item: Item, lex: Lexicon, base: bool, strict: bool = False,
            draft: bool = False) -> tuple[list[Decimal], str | None]:
    """(amounts for the input, the role they came from); `strict` (a drafted rule): only amounts
    whose own words name the input's role, never a generic or unlabelled one."""
    if (strict or spec.role is None) and (worded := _worded(spec, item)) is not None:
        return (worded if base else worded[:1]), "worded"
    name = role_of(spec, lex)
    if draft and (named := best_said(spec.label, item.said, _may_fill(name, lex))) is not None:
        return [s.value for s in named][:None if base else 1], "label"
    if name is not None:
        for source in (name, *lex.roles[name].accepts):
            if item.amounts.get(source):
                return list(item.amounts[source]), source
    if not base or strict:
        return [], None
    if draft:      # nobody checked the draft's input: only an amount that can be nothing else
        only = [v for role, values in item.amounts.items() for v in values]
        return (list(item.amounts[""]), "") if len(only) == 1 and item.amounts.get("") else ([], None)
    return _fallback(item, lex, lex.roles[name].family if name else None)


def _may_fill(name: str | None, lex: Lexicon):
    """Whether an amount of the role the reader gave it may fill an input whose label names role
    `name`: any, unless both name different kinds (总投资 never fills 设备购置)."""
    def allowed(said) -> bool:
        if not said.role or name is None or said.role == name or said.role not in lex.roles:
            return True
        return lex.roles[said.role].generic or said.role in lex.roles[name].accepts
    return allowed


def _fallback(item: Item, lex: Lexicon, family: str | None) -> tuple[list[Decimal], str | None]:
    """A required base nothing names exactly: a generic amount of its family (any, for a drafted
    input whose label names no role), else the amount nothing describes, when it is the only one."""
    for source, other in lex.roles.items():
        if other.generic and (family is None or other.family == family) and item.amounts.get(source):
            return list(item.amounts[source])[:1 if family is None else None], source
    if len(item.amounts.get("", [])) == 1:       # of two undescribed amounts, neither is known to be it
        return list(item.amounts[""]), ""
    return [], None


def _with_premium(item: Item, out: Gathered) -> Item:
    """保额 × 费率 gives the annual premium when only those two are stated."""
    rate, insured = item.rates.get("premium_rate"), item.amounts.get("insured_amount")
    if not rate or not insured or item.amounts.get("annual_premium"):
        return item
    premium = (insured[-1] * rate).quantize(Decimal("0.01"), ROUND_DOWN)
    out.notes.append(f"年度保费按保险金额{format_wan(insured[-1])} × 费率{format_percent(rate)}推算为{format_wan(premium)}")
    return item.model_copy(update={"amounts": {**item.amounts, "annual_premium": [premium]}})


def gather(rule: Rule, item: Item, lex: Lexicon, strict: bool | None = None,
           siblings: list[Rule] = (), over_term: bool = False) -> Gathered:
    """`strict`: only amounts the user's words name (default: for drafted rules). `siblings`: the
    other rules of the rule's clause, which counts said by category may belong to instead.
    `over_term`: the whole of the award over its years is asked ("前后一共能拿多少")."""
    out = Gathered()
    strict = rule.status == "draft" if strict is None else strict
    if not rule.inputs:
        return out
    item = _with_premium(item, out)
    shared: dict[str, Decimal] = {}
    base_values: list[Decimal] = []
    for spec in rule.inputs:
        is_base = spec.name == rule.base
        values, shown = _input_values(rule, spec, item, lex, is_base, strict, siblings, out)
        if not values:
            continue
        if is_base:
            base_values = values
        else:
            shared[spec.name] = values[-1]
        out.used.append(shown)
    if not base_values:
        out.sets = [shared] if shared else []
        return out
    if rule.max_years:
        base_values = _over_years(rule, item, base_values, over_term, out)
    out.sets = [{rule.base: v, **shared} for v in base_values]
    _derive_insured(rule, item, out)
    return out


def _over_years(rule: Rule, item: Item, values: list[Decimal], over_term: bool, out: Gathered) -> list[Decimal]:
    """The years of a multi-year award: the amounts said year by year, one amount for each of the
    years said ("连续3年"), or — its whole asked of an amount said to recur ("每年都一样") — for
    each year of its term; one year's amount alone, with the whole asked, gives that year's figure."""
    n = rule.max_years
    if len(values) == 1 and not (item.years and item.years > 1) and over_term:
        if not item.each_year:
            out.yearly = True
            out.notes.append(f"本项按年度计算，最长{n}年：以上是一年的金额；{n}年合计需按各年的实际金额分别计算"
                             f"（每年分别计算、分别封顶）后相加")
            return values
        out.notes.append(f"按您所说每年金额相同（{format_wan(values[0])}），计算补贴期限内的{n}年，每年分别封顶")
        values = values * n
    out.per_year = len(values) > 1
    if len(values) == 1 and item.years and item.years > 1:
        values, out.per_year = values * item.years, True
    if len(values) > n:
        out.notes.append(f"补贴期限最长不超过{n}年：只计前{n}年，其余{len(values) - n}年不予补贴")
        values = values[:n]
    return values


def _input_values(rule: Rule, spec: InputSpec, item: Item, lex: Lexicon, is_base: bool, strict: bool,
                  siblings: list[Rule], out: Gathered) -> tuple[list[Decimal], str]:
    """One input's values with how they read in the answer ("研发投入900万元"); what is unclear or
    to be asked goes into `out`."""
    if spec.unit != "元":       # a count (平方米, 亩, 人, 件) for a per-unit award
        values, asks = quantity_values(rule, spec, item, siblings) if is_base else ([], [])
        out.ask += asks
        return values, spec.label + "、".join(f"{v}{spec.unit}" for v in values)
    draft = rule.status == "draft"
    grew = growth(spec.label, item.said, _may_fill(role_of(spec, lex), lex)) if draft else None
    if grew is not None:        # "同比超出部分": the growth said, or the difference of two years
        if grew.unclear:
            out.unclear.append(spec.label)
        return grew.values, grew.used
    values, _ = _values(spec, item, lex, is_base, strict=strict, draft=draft)
    part_of = lex.roles[spec.role].part_of if spec.role else None
    if not values and is_base and part_of and item.amounts.get(part_of):
        out.unclear.append(spec.label)
    return values, spec.label + "、".join(format_wan(v) for v in values)


def _derive_insured(rule: Rule, item: Item, out: Gathered) -> None:
    """A stated premium rate gives the insured amount (保费 ÷ 费率) for a premium-rate cap."""
    cap = rule.base_cap
    rate = item.rates.get("premium_rate")
    if not cap or not rate or any(cap.input in s for s in out.sets):
        return
    for values in out.sets:
        values[cap.input] = (values[rule.base] / rate).quantize(Decimal("0.01"), ROUND_DOWN)
    out.used.append(f"投保费率{format_percent(rate)}")
    out.notes.append(f"按年度保费 ÷ 投保费率{format_percent(rate)}推算{rule.input(cap.input).label}"
                     f"（{'、'.join(format_wan(s[cap.input]) for s in out.sets)}），费率超过"
                     f"{format_percent(cap.rate)}的部分不予补贴" if rate > cap.rate else
                     f"投保费率{format_percent(rate)}未超过{format_percent(cap.rate)}，按年度保费实际支出计算")
