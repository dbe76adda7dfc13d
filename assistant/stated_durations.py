"""A drafted rule's duration thresholds against the durations the question states.

"对投资规模达到3000万元、期限满两年（含）以上的，按…1%…一次性奖励": the drafter carries "期限满两年
（含）以上" as a condition its arithmetic does not use. Asked "到现在刚满一年半", the figure is not due.
Durations are compared in months where the units agree (年, 个月): a threshold "满两年", "3年以上",
"成立满1年" against "一年半", "18个月", "两年多" (at least 24 months, under 36), "不到两年", or a year
of founding ("2021年成立": between the end of that year and its start, counted to today).
A stated duration is tied to a threshold by its words (投资, 成立 …); the question's only duration
goes with the rule's only duration threshold. The words are data (``knowledge/lexicon/trust.yaml``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.trust_words import load_trust_words
from assistant.wording import REACH, char_pairs, words_before
from calculators.models import Rule
from ingest.normalize import chinese_number, for_matching

_NUM = r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})"
_UNIT = r"(?P<unit>周年|个月|年|月)"
_THRESHOLD = re.compile(r"(?P<words>[^\d,。;、:]{0,12}?)(?P<op>满|达到|达|不少于|不低于|超过|在)?" + _NUM
                        + r"(?P<half>个?半)?" + _UNIT + r"(?:\(含\))?(?P<tail>及以上|以上|之上)?")
_STATED = re.compile(_NUM + r"(?P<half>个?半)?" + _UNIT + r"(?P<half2>半)?")
_FOUNDED = re.compile(r"(?P<year>(?:19|20)\d\d)年(?:\d{1,2}月)?.{0,3}?(?:成立|注册|设立|投资|投入|投的|落户|入驻|开业|挂牌)")
_WITHIN = ("内", "以内", "之内", "度", "底", "初")
_NOT_MEASURED = re.compile(r" |满|达到|以上|不少于|超过|期限|时间|已经|了|的")     # how, not what


@dataclass(frozen=True)
class Span:
    words: str          # the words just before: 投资期限, 成立
    low: float          # months, at least
    high: float         # months, at most (inclusive unless open)
    open_high: bool = False


def _months(m: re.Match) -> float | None:
    num = m.group("num")
    value = float(num) if num[0].isdigit() else chinese_number(num)
    if value is None or (num.isdigit() and int(num) >= 1900):
        return None                       # 2021年 is a date, not a duration
    per = load_trust_words().duration_units[m.group("unit")]
    half = m.group("half") or (m.groupdict().get("half2") or "")
    return value * per + (per / 2 if half else 0)


def duration_thresholds(label: str) -> list[tuple[str, float, bool]]:
    """(words, months, strict) of every duration threshold of a condition label."""
    out = []
    for m in _THRESHOLD.finditer(for_matching(label)):
        after = for_matching(label)[m.end():m.end() + 2]
        if not (m.group("op") or m.group("tail")) or after.startswith(_WITHIN):
            continue
        months = _months(m)
        if months is not None:
            out.append((m.group("words"), months, m.group("op") == "超过"))
    return out


def stated_durations(question: str, today: date | None = None) -> list[Span]:
    """Every duration the question states that has passed, in months."""
    words = load_trust_words()
    text, today = for_matching(question), today or date.today()
    out = []
    for m in _STATED.finditer(text):
        before, after = text[max(0, m.start() - REACH):m.start()], text[m.end():m.end() + 2]
        if any(before.endswith(w) for w in words.not_elapsed) or after.startswith(_WITHIN):
            continue
        months = _months(m)
        if months is None:
            continue
        lead = words_before(text, m.start())
        if any(lead.endswith(w) or lead.endswith(w + "过") for w in words.under):
            out.append(Span(lead, 0, months, open_high=True))
        elif after.startswith(words.more):
            per = words.duration_units[m.group("unit")]
            out.append(Span(lead, months, months + per, open_high=True))
        else:
            out.append(Span(lead, months, months))
    for m in _FOUNDED.finditer(text):
        year = int(m.group("year"))
        low = (today.year - year - 1) * 12 + today.month - 1
        out.append(Span(m.group(0)[4:], max(0, low), (today.year - year) * 12 + today.month))
    return out


def _judge(span: Span, months: float, strict: bool) -> str:
    if span.low > months or (span.low == months and not strict):
        return "met"
    if span.high < months or (span.high == months and (strict or span.open_high)):
        return "failed"
    return "unclear"


def verdict(rule: Rule, question: str, today: date | None = None) -> tuple[str, str]:
    """("failed" | "unclear" | "met" | "unstated", the condition's label) for the rule's first
    duration condition the question's durations do not meet."""
    found = [(c.label, *t) for c in rule.conditions for t in duration_thresholds(c.label)]
    spans = stated_durations(question, today) if found else []
    status = "unstated"
    for label, words, months, strict in found:
        mine = char_pairs(words, cut=_NOT_MEASURED)
        tied = [s for s in spans if mine & char_pairs(s.words, cut=_NOT_MEASURED)]
        if not tied and len(spans) == 1 and len(found) == 1:
            tied = spans                  # the question's only duration, the rule's only threshold
        if not tied:
            if spans:
                return "unclear", label
            continue
        results = {_judge(s, months, strict) for s in tied}
        if results != {"met"}:
            return ("failed" if results == {"failed"} else "unclear"), label
        status = "met"
    return status, ""
