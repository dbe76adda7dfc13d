"""Thresholds a drafted rule's arithmetic does not use, carried as conditions with their numbers.

利用商业贷款购买大型设备（单套价格达到200万元人民币及以上）…每套设备按照年贷款利息的20%给予补贴: the
rate is of the interest; 200万元 is a threshold on another quantity (the price of one set). The
drafter writes it as a condition of its own ("单套价格达到200万元人民币及以上"), so the answer lists it
among the conditions to meet and the trust check (assistant/draft_trust.py) knows the number is
read. A threshold on the base itself is the rule's minimum base or a band (ingest/draft_pieces.py,
ingest/draft_bands.py); alternatives (或 / 任一条件) stay in the subject's one condition.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from calculators.amounts import find_amounts
from calculators.models import Rule
from ingest.draft_text import load_lexicon

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
THRESHOLD_AFTER = re.compile(r"^\s*[^\d，。；、,;]{0,4}?\s*[（(]?含?[）)]?\s*(?:以上|及以上|以下|以内|之上)")
THRESHOLD_BEFORE = re.compile(r"(?<!不)(?:达到|不低于|不少于|超过|高于|满|至少|低于|不足)\s*$")   # "不超过" is a cap
_EDGE = re.compile(r"并且|且|或|每[^\d，,]{0,6}\d+\s*[家个户人名项]")
_TAIL = re.compile(r"\s*(?:[万亿千]?\s*(?:元|美元|平方米|亩|家|户|人|名|个|项|年|月|次|台|套|吨|千瓦|件|场)|[%％‰])?"
                   r"(?:人民币)?\s*(?:[（(]含[）)])?\s*(?:及|或)?\s*(?:以上|以下|以内|之上)?")
_ALTERNATIVES = re.compile(r"或|任一|之一|其中一项")


def label_numbers(text: str) -> set[Decimal]:
    """The numbers a label states, as written and as money amounts (200万元 → 200 and 2000000)."""
    return {Decimal(m.group()).normalize() for m in _NUMBER.finditer(text)} | \
        {a.value.normalize() for a in find_amounts(text)}


def rule_numbers(rule: Rule, conditions: bool = True) -> set[Decimal]:
    """Every number the rule reads, as the quote may write it (yuan, 万元, 亿元; rates also as %),
    with the numbers its conditions state (a threshold carried as a condition is read)."""
    money: list[Decimal] = [Decimal(v) for v in (rule.cap_yuan, rule.fixed_yuan, rule.min_base_yuan, rule.unit_yuan,
                                                 rule.unit_step, rule.step_from, rule.base_max_yuan) if v is not None]
    money += [t.amount_yuan for t in rule.tiers] + [e.amount_yuan for e in rule.extras]
    money += [lim.amount_yuan for lim in rule.limits if lim.amount_yuan]
    rates: list[Decimal] = [Decimal(rule.rate)] if rule.rate is not None else []
    rates += [lim.rate for lim in rule.limits if lim.rate] + [i.share for i in rule.instalments]
    for band in rule.bands:
        for key, value in band.model_dump().items():
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                (rates if "rate" in key else money).append(Decimal(value))
    out = {x for v in money for x in (v, v / 10_000, v / 100_000_000)}
    out |= {x for v in rates for x in (v, v * 100)}
    out = {x.normalize() for x in out}
    for condition in rule.conditions if conditions else []:
        out |= label_numbers(condition.label)
    return out


def unread_thresholds(text: str, used: set[Decimal]) -> Iterator[re.Match]:
    """Numbers of `text` stated as thresholds (以上 / 达到 / 超过 …) that are not in `used`."""
    amounts = {(a.start, a.end): a.value for a in find_amounts(text)}
    for m in _NUMBER.finditer(text):
        value = Decimal(m.group(0))
        money = next((v for (s, e), v in amounts.items() if s <= m.start() < e), None)
        if value.normalize() in used or (money is not None and money.normalize() in used):
            continue
        after, before = text[m.end():m.end() + 8], text[max(0, m.start() - 4):m.start()]
        if THRESHOLD_AFTER.match(after) or THRESHOLD_BEFORE.search(before):
            yield m


def _left_edge(text: str, pos: int) -> int:
    """Where the threshold's phrase starts: after the nearest comma, 且/或, step (每新吸引1家) or opening
    bracket around it; a bracketed aside before it (个人所得税（工资、薪金所得产生）总额) is kept."""
    depth, left = 0, 0
    for at in range(pos - 1, -1, -1):
        ch = text[at]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if not depth:
                left = at + 1
                break
            depth -= 1
        elif not depth and ch in "，,；;：:。":
            left = at + 1
            break
    masked = re.sub(r"（[^（）]*）|\([^()]*\)", lambda m: "＿" * len(m.group()), text[left:pos])
    edges = [e.end() for e in _EDGE.finditer(masked)]
    start = edges[-1] if edges else 0
    listed = masked.rfind("、", start)        # 面积超过5万平方米、入驻…达到20家: one threshold per listed item
    return left + (listed + 1 if listed >= 0 and len(masked) - listed > 4 else start)


def threshold_label(text: str, m: re.Match) -> str:
    """The phrase stating the threshold at `m`: 单套价格达到200万元人民币及以上 / 建筑面积自用率达到60%以上."""
    left = _left_edge(text, m.start())
    right = _TAIL.match(text, m.end()).end()
    label = load_lexicon().numbering.sub("", re.sub(r"\s+", "", text[left:right]))
    return re.sub(r"^(?:对于|对|凡是|凡|其中|经|并与|并|且)", "", label).rstrip("的")


def threshold_conditions(rule: Rule) -> list[dict]:
    """Conditions for the thresholds of the rule's quote that its arithmetic and conditions do not read."""
    if _ALTERNATIVES.search(" ".join(c.label for c in rule.conditions)):
        return []               # 投资5亿元以上…或…100人以上的任一条件: alternatives, one condition
    found, used = [], rule_numbers(rule, conditions=False)
    for fragment in rule.quote.split("……"):
        for m in unread_thresholds(fragment, used):
            label = threshold_label(fragment, m)
            if re.search(r"[\u4e00-\u9fff]", label) and label not in found:
                found.append(label)
    return [{"fact": f"{rule.id}_threshold{n}", "label": label} for n, label in enumerate(found, start=1)]
