"""Why an applicable award was not selected, and which facts would raise the best total."""
from __future__ import annotations

from decimal import Decimal

from assistant.calculations import yuan_int
from assistant.match_model import Unlock
from assistant.match_select import Candidate, across_rule, conflicts, select, value
from assistant.stacking import NO_STACKING, Stacking
from calculators.amounts import format_wan
from calculators.items import calculate_many

MAX_TRIES = 12


def alternatives_reasons(cands: list[Candidate], chosen: list[Candidate],
                         stacking: dict[str, Stacking], title) -> None:
    """Each alternative's reason: the selected award it conflicts with and the document's words."""
    for c in cands:
        o = c.payload
        if o.status != "alternative":
            continue
        rival = next(((x, why) for x in chosen if (why := conflicts(c, x, stacking))), None)
        if rival is None:
            o.reason = "与已选奖补共用同一年度上限，计入后不增加合计"
            continue
        other, why = rival
        rules = across_rule(c, other, stacking) or stacking.get(c.doc_id, NO_STACKING)
        o.reason = f"{_lead(c, other, why, rules, title)}。依据{rules.clause}：{rules.quote}"


def _lead(c: Candidate, other: Candidate, why: str, rules: Stacking, title) -> str:
    """Why an alternative lost to the selected award it conflicts with."""
    name = title(other.rule_id)
    if why != "same_project":
        return f"一个申报年度内只能申请{rules.per_year}个项目，已选金额更高的“{name}”"
    if c.amount == other.amount:
        return f"与已选的“{name}”金额相同（均为{format_wan(c.amount)}），为同一项目只能享受一项，两者任选其一，合计不变，本项可作替代"
    return f"与已选的“{name}”为同一项目，只能享受一项（取金额较高者）"


def _gain(cands: list[Candidate], extra: Candidate, stacking, total: Decimal,
          replace: str | None = None) -> Decimal:
    pool = [c for c in cands if c.key != replace] + [extra]
    return value(select(pool, stacking)) - total


def unlocks(matcher, outcomes, cands: list[Candidate], total: Decimal) -> list[Unlock]:
    """Facts that, if true, add an award or raise one (如入选后两年内服务满15家，再奖励200万元)."""
    out: list[Unlock] = []
    tries = 0
    for o in outcomes:
        if tries >= MAX_TRIES:
            break
        facts = [m for m in o.pending if m.kind == "fact"]
        known = o.calc is not None and o.calc.amount_yuan is not None and not o.calc.citation.may_be_expired
        if o.status == "missing_facts" and o.mentioned and facts and known and o.amount:
            tries += 1
            trial = matcher._candidate(o, 10_000 + tries)
            gain = _gain(cands, trial, matcher.stacking, total)
            if gain > 0:
                out += [_unlock(m.name, m.label, gain, o.rule) for m in facts[:1]]
        if o.status in ("selected", "alternative") and o.rule.extras:
            for extra in o.rule.extras:
                if o.facts.get(extra.fact) is True or tries >= MAX_TRIES:
                    continue
                tries += 1
                better = calculate_many(o.rule, o.sets or [{}], {**o.facts, extra.fact: True})
                if better.amount_yuan is None or better.amount_yuan <= (o.amount or 0):
                    continue
                key = next(c.key for c in cands if c.payload is o)
                trial = matcher._candidate(o, 20_000 + tries)
                trial.amount = better.amount_yuan
                gain = _gain(cands, trial, matcher.stacking, total, replace=key)
                if gain > 0:
                    out.append(_unlock(extra.fact, extra.label, gain, o.rule))
    return sorted(out, key=lambda u: -u.gain_yuan)


def _unlock(fact: str, label: str, gain: Decimal, rule) -> Unlock:
    return Unlock(fact=fact, label=label, gain_yuan=yuan_int(gain), rule_id=rule.id, title=rule.title)
