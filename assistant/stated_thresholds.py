"""A drafted rule's threshold conditions against what the question states.

The drafter carries a threshold its arithmetic does not use as a condition with its number
("实际资金到位额超过2000万元", "服务企业达到50家以上", ingest/draft_conditions.py). Nobody has reviewed
it, so before a draft's figure is given each such condition is read against the question:

- ``failed``: the question states that quantity ("实际资金到位1800万元") and the value misses it;
- ``unclear``: the question speaks of that quantity (its words) and states values of its unit,
  but none can be tied to it ("今年服务了60家企业" against "服务企业达到50家以上"): no figure is safe;
- ``met`` / ``unstated``: a stated value meets it, or the question says nothing of it (the
  condition is listed among those to meet, as for any other condition).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.stated_durations import verdict as duration_verdict
from assistant.wording import QUANTITY, amount_value, speaks_of, stated_values, tied_values
from calculators.models import Rule

_PHRASE = re.compile(rf"(?P<words>[^\d，。；、,;]{{2,16}}?)(?P<op>达到|不低于|不少于|超过|高于|满|至少|在)?\s*"
                     rf"{QUANTITY}(?:人民币)?\s*(?:[（(]含[）)])?\s*(?P<tail>及以上|以上|之上)?")


@dataclass(frozen=True)
class Threshold:
    words: str             # what is measured: 实际资金到位额
    value: Decimal         # in yuan for money, else in the unit
    unit: str              # 元 or the unit
    strict: bool           # 超过 / 高于: the value itself does not meet it


def thresholds(label: str) -> list[Threshold]:
    out = []
    for m in _PHRASE.finditer(label):
        found = amount_value(m)
        if found is None or not (m.group("op") or m.group("tail")):
            continue
        out.append(Threshold(m.group("words"), *found, m.group("op") in ("超过", "高于")))
    return out


def verdict(rule: Rule, question: str) -> tuple[str, str]:
    """("failed" | "unclear" | "met" | "unstated", the condition's label) for the rule's first
    threshold condition that is not met, of money and counts here and of durations
    (assistant/stated_durations.py); ("met"/"unstated", "") when none fails."""
    status, label = _amounts_verdict(rule, question)
    if status in ("failed", "unclear"):
        return status, label
    timed, label = duration_verdict(rule, question)
    return (timed, label) if timed in ("failed", "unclear") else ("met" if "met" in (status, timed) else status, "")


def _amounts_verdict(rule: Rule, question: str) -> tuple[str, str]:
    status = "unstated"
    for condition in rule.conditions:
        for t in thresholds(condition.label):
            if not speaks_of(t.words, question):
                continue                      # the question says nothing of this quantity
            values = stated_values(question, t.unit)
            if not values:
                continue                      # 建筑面积8600平方米 says nothing of 建筑面积自用率60%
            tied = tied_values(t.words, values)
            if not tied:
                return "unclear", condition.label
            if not any(v > t.value if t.strict else v >= t.value for v in tied):
                return "failed", condition.label
            status = "met"
    return status, ""
