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
from calculators.amounts import find_amounts
from calculators.models import Rule

_QUANTITY = r"(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<scale>万|亿|千)?\s*(?P<unit>元|美元|平方米|亩|家|户|人|名|个|项|台|套|%|％)?"
_PHRASE = re.compile(rf"(?P<words>[^\d，。；、,;]{{2,16}}?)(?P<op>达到|不低于|不少于|超过|高于|满|至少|在)?\s*"
                     rf"{_QUANTITY}(?:人民币)?\s*(?:[（(]含[）)])?\s*(?P<tail>及以上|以上|之上)?")
_VERBS = re.compile(r"达到|不低于|不少于|超过|高于|至少|年度|当年|实际|的|额|量|数")
_SCALE = {None: Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_ALIKE = {"名": "人", "％": "%"}
_COUNT = re.compile(_QUANTITY)


def amount_value(m: re.Match) -> tuple[Decimal, str] | None:
    """(value, unit) of a quantity match: money in 元, a count or measure in its unit."""
    if not (m.group("unit") or m.group("scale")):
        return None
    value = Decimal(m.group("number").replace(",", "")) * _SCALE[m.group("scale")]
    unit = m.group("unit") or "元"
    return value, _ALIKE.get(unit, unit)


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


def char_pairs(text: str) -> set[str]:
    core = _VERBS.sub(" ", text)
    return {core[i:i + 2] for i in range(len(core) - 1) if " " not in core[i:i + 2]}


def _words(question: str, start: int) -> str:
    """The words just before a value, back to the previous punctuation or number."""
    return re.split(r"[，。；、,;:：\d]", question[max(0, start - 12):start])[-1]


_NOUN_AFTER = re.compile(r"的([^，。；、,;:：\d]{1,8})")


def noun_after(question: str, end: int) -> str:
    """The noun a value is of, said right after it ("一套600万的大型设备": 大型设备)."""
    m = _NOUN_AFTER.match(question, end)
    return m.group(1) if m else ""


def stated_values(question: str, unit: str) -> list[tuple[str, Decimal]]:
    """(the words just before and the noun just after, value) of every value of `unit` the
    question states."""
    if unit == "元":
        return [(f"{_words(question, a.start)} {noun_after(question, a.end)}", a.value)
                for a in find_amounts(question)]
    return [(_words(question, m.start()), found[0]) for m in _COUNT.finditer(question)
            if (found := amount_value(m)) is not None and found[1] == unit]


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
            want = char_pairs(t.words)
            if len(want & char_pairs(question)) < 2:
                continue                      # the question says nothing of this quantity
            values = stated_values(question, t.unit)
            if not values:
                continue                      # 建筑面积8600平方米 says nothing of 建筑面积自用率60%
            tied = [v for words, v in values if len(want & char_pairs(words)) >= 2]
            if not tied:
                return "unclear", condition.label
            if not any(v > t.value if t.strict else v >= t.value for v in tied):
                return "failed", condition.label
            status = "met"
    return status, ""
