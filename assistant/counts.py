"""Counts a question states, each with what it counts, and prices per unit (and period).

"拿到3件发明专利、2件实用新型专利": two counts of one unit, each with its category words, for the
per-unit rule whose subject names them (assistant/inputs.py). "A、B各一个": one count of each.
"共5台：3台甲型，2台乙型": the 5 is the total of the counts after it, not a count of its own.
"每平方米每月25元": a price per unit and per period (assistant/units.py for the vocabulary).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.case import Counted
from assistant.units import Units, count_pattern, number, price_patterns

_STOP = "，,。；;：:！？!?\n（）()"
_AFTER_END = re.compile(rf"[{_STOP}、]|和|与|及|以及|另外|还有|\d")
_BEFORE_END = re.compile(rf"[{_STOP}]")
_LIST = re.compile(r"[、和与及]")
_FILLER = re.compile(r"^(?:的|了|共|一共|总共|合计)+|(?:的|了)+$")
WORDS_REACH = 12


@dataclass
class Price:
    value: Decimal            # yuan per unit (and per period)
    unit: str
    period: str | None        # 月, 年 … (None: not said)
    words: str                # what it is the price of ("租金")
    start: int
    end: int


def _after(text: str, end: int) -> str:
    tail = text[end:end + WORDS_REACH]
    cut = _AFTER_END.search(tail)
    return _FILLER.sub("", tail[:cut.start()] if cut else tail)


def _before(text: str, start: int) -> str:
    head = text[max(0, start - WORDS_REACH):start]
    cuts = list(_BEFORE_END.finditer(head))
    return head[cuts[-1].end():] if cuts else head


def _each(before: str) -> list[str] | None:
    """"越南、日本各": the items a count is for each of; None when the count is not "each"."""
    lead, sep, _ = before.rpartition("各")
    if not sep:
        return None
    items = [w.strip() for w in _LIST.split(lead) if w.strip()]
    return items if len(items) > 1 else None


def read_counts(text: str, units: Units) -> list[tuple[int, Counted]]:
    """(position, count) of every count in the text, a list's total dropped when its parts follow."""
    out: list[tuple[int, Counted]] = []
    for m in count_pattern(units).finditer(text):
        unit = units.canonical(m.group(2))
        value = number(m.group(1))
        if value is None or units.ends_word(unit, text[m.end():m.end() + 4]) or text[m.start() - 1:m.start()] == "第":
            continue
        after, before = _after(text, m.end()), _before(text, m.start())
        each = _each(before)
        for words in each or [after or _FILLER.sub("", before)]:
            out.append((m.start(), Counted(unit=unit, value=value, words=words)))
    return _without_articles(text, _without_totals(text, out, units), units)


def _without_articles(text: str, counts: list[tuple[int, Counted]], units: Units) -> list[tuple[int, Counted]]:
    """"做了一个项目": 一 is an article, not a count, unless other counts of its input stand in its
    sentence ("A、B各一个，还有一个在C")."""
    def sentence(at: int) -> int:
        return max(text.rfind(ch, 0, at) for ch in "。！？\n")

    def article(at: int, c: Counted) -> bool:
        return (text[at] == "一" and not text[max(0, at - 1):at] == "各"
                and not any(p != at and sentence(p) == sentence(at) and x.unit in units.same_input(c.unit)
                            for p, x in counts))
    return [(at, c) for at, c in counts if not article(at, c)]


def _without_totals(text: str, counts: list[tuple[int, Counted]], units: Units) -> list[tuple[int, Counted]]:
    """"3个展会：A、B各一个，还有一个在C": a count equal to the sum of the later counts of its
    input in its sentence is their total."""
    drop = set()
    for i, (at, c) in enumerate(counts):
        end = min([p for p in (text.find(ch, at) for ch in "。！？\n") if p >= 0] or [len(text)])
        later = [x for p, x in counts[i + 1:] if p < end and x.unit in units.same_input(c.unit)]
        if len(later) > 1 and sum(x.value for x in later) == c.value:
            drop.add(i)
    return [x for i, x in enumerate(counts) if i not in drop]


def single_counts(counts: list[Counted]) -> dict[str, Decimal]:
    """Unit -> value, for the units counted once (a repeated mention of the same count is one):
    of two different counts of one unit, neither is known to be "the" quantity."""
    seen: dict[str, set[tuple[Decimal, str]]] = {}
    for c in counts:
        seen.setdefault(c.unit, set()).add((c.value, c.words))
    return {unit: next(iter(v))[0] for unit, v in seen.items() if len({value for value, _ in v}) == 1 and len(v) == 1}


def read_prices(text: str, units: Units) -> list[Price]:
    """Every price per unit the text states, with its period when said (每月, or 月租金 before it)."""
    out: list[Price] = []
    for pattern in price_patterns(units):
        for m in pattern.finditer(text):
            if any(p.start <= m.start() < p.end for p in out):
                continue
            words = _before(text, m.start())
            period = m.group("period") or next((p for p in units.periods if words.startswith(p)), None)
            lead = words.removeprefix(period) if period and words.startswith(period) else words
            out.append(Price(Decimal(m.group("n")), units.canonical(m.group("unit")), period,
                             _FILLER.sub("", lead), m.start(), m.end()))
    return out
