"""Give each money amount of a question to the rule input it describes.

"项目已投入1000万元，已获得上级补助350万元": each amount goes to the input whose label shares the
most words with the text just before it (back to the previous amount); amounts nobody claims
fill the rule's base input first.
"""
from __future__ import annotations

import re
from decimal import Decimal

from calculators.amounts import AmountMatch
from calculators.models import Rule
from ingest.normalize import for_matching

_GENERIC = set("的了额金元万实际")
# How users name amounts, rewritten to the words of the rules' input labels.
_USER_WORDS = [
    (re.compile(r"(?:省里|省级|省上|省财政|国家|中央|部里|上面|上级)(?:已经|已|先|还)?(?:补|给|拨|奖|支持)(?:了|过)?"), "已获得上级补助"),
    (re.compile(r"(?:花了|投了|投入了|砸了|花费|总共花)"), "投入投资"),
]
_NO_UPPER = re.compile(r"(?:没|没有|未|尚未|还没)(?:拿|获得|得到|收到|申请)?过?(?:任何)?(?:上级|省级|省里|国家)(?:的)?(?:补助|补贴|资金|奖补)")


def _user_words(text: str) -> str:
    for pattern, words in _USER_WORDS:
        text = pattern.sub(lambda m, w=words: m.group(0) + w, text)
    return text


def _bigrams(text: str) -> set[str]:
    t = for_matching(text)
    return {t[i:i + 2] for i in range(len(t) - 1) if not set(t[i:i + 2]) <= _GENERIC}


def _affinity(window: str, label: str) -> int:
    return len(_bigrams(window) & _bigrams(label))


def assign_inputs(rule: Rule, text: str, amounts: list[AmountMatch]) -> dict[str, Decimal]:
    """Rule input name -> amount in yuan, from the amounts found in `text`."""
    if not rule.inputs or not amounts:
        return {}
    assigned: dict[str, Decimal] = {}
    if _NO_UPPER.search(text):   # "没拿过上级补助": the upper-level subsidy is known to be 0
        assigned.update({s.name: Decimal(0) for s in rule.inputs if not s.required and "上级" in s.label})
    unclaimed: list[AmountMatch] = []
    previous_end = 0
    penalty = 1 if len(amounts) > sum(1 for spec in rule.inputs if spec.required) else 2
    for amount in amounts:
        window = _user_words(re.split(r"[，。；！？,;!?\n]", text[max(previous_end, amount.start - 8):amount.start])[-1])
        previous_end = amount.end
        # An optional input (an amount that lowers a limit) needs clearer words than the base,
        # the more so when there are no more amounts than required inputs.
        scores = [(_affinity(window, spec.label) - (0 if spec.required else penalty), spec.name)
                  for spec in rule.inputs if spec.name not in assigned]
        best = max(scores, default=(0, ""))
        if best[0] > 0 and sum(1 for s, _ in scores if s == best[0]) == 1:
            assigned[best[1]] = amount.value
        else:
            unclaimed.append(amount)
    order = [rule.base] if rule.base else []
    order += [s.name for s in rule.inputs if s.required and s.name not in order]
    for name in order:
        if name not in assigned and unclaimed:
            assigned[name] = unclaimed.pop(0).value
    return assigned


def missing_inputs(rule: Rule, given: dict[str, Decimal]) -> list[str]:
    """Labels of the required inputs not yet given."""
    return [spec.label for spec in rule.inputs if spec.required and spec.name not in given]
