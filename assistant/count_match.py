"""Which of the user's counts a per-unit rule counts.

A count belongs to the rule whose subject names what it counts: of "3件发明专利、2件实用新型专利",
the 3 to the rule for 发明专利 and the 2 to the one for 实用新型专利 of the same clause; the counts of
one rule are added up. A count whose words fit two rules as well ("国内发明专利" for the rules
before and after a date) is asked back, never guessed. A subject "亚洲地区以外" does not take what
names 亚洲. A drafted rule whose quote limits the count with a number it does not carry
("每户不超过150吨") takes no count: its figure could exceed what the clause allows.
"""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.case import Counted, Item
from assistant.units import load_units
from assistant.wording import char_pairs
from calculators.models import InputSpec, Rule
from ingest.draft_conditions import rule_numbers

_GENERIC = set("的了额金元万亿实际年度总和与及或对在是为按本该其获得给予每个件名项")
_OUTSIDE = re.compile(r"([^，,、；。的]{2,8}?)(?:地区)?(?:以外|之外)")
_LIMIT = r"(?:不超过|不高于|不多于|最多|上限为?)\s*(\d+(?:\.\d+)?)\s*(?:{units}|公斤|千克|斤)"


def _subject(rule: Rule) -> str:
    return " ".join([*(c.label for c in rule.conditions), *rule.keywords])


def _excluded(rule: Rule, words: str) -> bool:
    """"亚洲地区以外" excludes what names 亚洲 (not what says 亚洲以外 itself)."""
    for m in _OUTSIDE.finditer(_subject(rule)):
        place = m.group(1)
        at = words.find(place)
        if at >= 0 and not re.match(r"(?:地区)?(?:以外|之外)", words[at + len(place):]):
            return True
    return False


def owner(count: Counted, rules: list[Rule]) -> Rule | None:
    """The one rule whose subject names the count's category words best, if one does."""
    asked = char_pairs(count.words, _GENERIC)
    scored = sorted(((len(asked & char_pairs(_subject(r), _GENERIC)), i) for i, r in enumerate(rules)
                     if not _excluded(r, count.words)), reverse=True)
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return rules[scored[0][1]]


def unread_limit(rule: Rule) -> str | None:
    """The words of a limit on the counted quantity the draft does not carry ("每户不超过150吨")."""
    if rule.status != "draft":
        return None
    units = "|".join(map(re.escape, load_units().written))
    used = rule_numbers(rule)
    for m in re.finditer(_LIMIT.format(units=units), rule.quote):
        if Decimal(m.group(1)).normalize() not in used:
            return m.group(0)
    return None


def quantity_values(rule: Rule, spec: InputSpec, item: Item, siblings: list[Rule] = ()
                    ) -> tuple[list[Decimal], list[str]]:
    """(the count(s) for the rule's base, counts to ask about)."""
    units = load_units()
    same = units.same_input(spec.unit)
    if unread_limit(rule):
        return [], []
    counts = list({(c.unit, c.value, c.words): c for c in item.counts if c.unit in same}.values())
    single = next((v for u, v in item.quantities.items() if u in same), None)
    rivals = [r for r in siblings if r.id != rule.id and any(i.unit in same for i in r.inputs)]
    if len(counts) <= 1:
        if counts and rivals and counts[0].words and owner(counts[0], [rule, *rivals]) not in (None, rule):
            return [], []          # the one count is another rule's ("1件美国发明专利" for 国内发明专利)
        value = single if single is not None else (counts[0].value if counts else None)
        return ([value], []) if value is not None else ([], [])
    rules = [rule, *rivals]
    mine, asks = [], []
    for c in counts:
        found = owner(c, rules)
        if found is None:
            asks.append(f"{c.value}{c.unit}{c.words}")
        elif found is rule:
            mine.append(c.value)
    if asks:
        return [], asks
    return ([sum(mine, Decimal(0))], []) if mine else ([], [])


def other_owners(rule: Rule, item: Item, siblings: list[Rule]) -> list[Rule]:
    """The other per-unit rules of the clause that the item's counts of this rule's unit belong to."""
    units = load_units()
    specs = [i for i in rule.inputs if i.name == rule.base and i.unit != "元"]
    if not specs:
        return []
    same = units.same_input(specs[0].unit)
    rules = [rule, *(r for r in siblings if r.id != rule.id and any(i.unit in same for i in r.inputs))]
    found = {id(o): o for c in item.counts if c.unit in same and c.words
             and (o := owner(c, rules)) is not None and o is not rule}
    return list(found.values())
