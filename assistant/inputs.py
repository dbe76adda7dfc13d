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
    unclaimed: list[AmountMatch] = []
    previous_end = 0
    penalty = 1 if len(amounts) > sum(1 for spec in rule.inputs if spec.required) else 2
    for amount in amounts:
        window = re.split(r"[，。；！？,;!?\n]", text[max(previous_end, amount.start - 8):amount.start])[-1]
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
