"""Wording compared by its character pairs, and the values a text states after its words.

Chinese writes no spaces between words, so whether two stretches of text speak of the same thing is
read from the pairs of adjacent characters they share ("实际资金到位额" and "资金到位了1800万" share
资金, 金到, 到位): no word list or segmenter is needed. Each caller says what is not wording for its
purpose: characters that make no pair on their own (`stop`: 的, 了, 元 …) and what the text is cut at
(`cut`: numbers, a threshold's verbs), so that no pair spans it.

A value the question states ("去年营收4.6亿", "服务了60家企业") is tied to a condition by the words
just before it: they must share pairs with what the condition measures (stated_thresholds.py,
condition_check.py, stated_durations.py).
"""
from __future__ import annotations

import re
from collections.abc import Collection
from decimal import Decimal

from calculators.amounts import find_amounts

QUANTITY = r"(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<scale>万|亿|千)?\s*(?P<unit>元|美元|平方米|亩|家|户|人|名|个|项|台|套|%|％)?"
_COUNT = re.compile(QUANTITY)
_SCALE = {None: Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_ALIKE = {"名": "人", "％": "%"}
_NOT_MEASURED = re.compile(r" |达到|不低于|不少于|超过|高于|至少|年度|当年|实际|的|额|量|数")   # how, not what
_BEFORE = re.compile(r"[，。；、,;:：\d]")      # where the words before a value begin
REACH = 12              # how far back the words before a value may begin
SHARED = 2              # pairs two wordings share to be of the same quantity


def char_pairs(text: str, stop: Collection[str] = frozenset(), cut: re.Pattern[str] | None = None) -> set[str]:
    """Every two adjacent characters of `text`, but those made only of `stop` characters and, with
    `cut` (a pattern without groups), those that span one of its matches."""
    pieces = cut.split(text) if cut is not None else (text,)
    return {p[i:i + 2] for p in pieces for i in range(len(p) - 1) if not set(p[i:i + 2]) <= stop}


def measure_pairs(text: str) -> set[str]:
    """The pairs of what a text measures, without the words of how it compares or when
    ("实际资金到位额超过" → 资金, 金到, 到位)."""
    return char_pairs(text, cut=_NOT_MEASURED)


def speaks_of(words: str, text: str) -> bool:
    """Whether `text` names the quantity `words` measures."""
    return len(measure_pairs(words) & measure_pairs(text)) >= SHARED


def words_before(text: str, start: int) -> str:
    """The words just before a value at `start`, back to the previous punctuation or number."""
    return _BEFORE.split(text[max(0, start - REACH):start])[-1]


def amount_value(m: re.Match) -> tuple[Decimal, str] | None:
    """(value, unit) of a `QUANTITY` match: money in 元, a count or measure in its unit."""
    if not (m.group("unit") or m.group("scale")):
        return None
    value = Decimal(m.group("number").replace(",", "")) * _SCALE[m.group("scale")]
    unit = m.group("unit") or "元"
    return value, _ALIKE.get(unit, unit)


_NOUN_AFTER = re.compile(r"的([^，。；、,;:：\d]{1,8})")


def noun_after(question: str, end: int) -> str:
    """The noun a value is of, said right after it ("一套600万的大型设备": 大型设备)."""
    m = _NOUN_AFTER.match(question, end)
    return m.group(1) if m else ""


def stated_values(question: str, unit: str) -> list[tuple[str, Decimal]]:
    """(the words just before and the noun just after, value) of every value of `unit` the question states."""
    if unit == "元":
        return [(f"{words_before(question, a.start)} {noun_after(question, a.end)}", a.value)
                for a in find_amounts(question)]
    return [(words_before(question, m.start()), found[0]) for m in _COUNT.finditer(question)
            if (found := amount_value(m)) is not None and found[1] == unit]


def tied_values(words: str, values: list[tuple[str, Decimal]]) -> list[Decimal]:
    """The stated values whose words before name the quantity `words` measures."""
    return [v for before, v in values if speaks_of(words, before)]
