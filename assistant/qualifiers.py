"""Whether a drafted rule's subject is the one the question is about, against rival clauses of any
document: the qualifiers that tell one award's subject from another's.

Two clauses of different policies can pay for the same kind of thing from different sources:
"吸纳京津科技成果" (one policy) and "驻冀院所…向省内转移科技成果…吸纳方" (another). A question that
names 驻冀 is not about the 京津 award, however much else of its wording the 京津 clause shares;
one that names neither origin is about neither for sure. The qualifiers are data
(``knowledge/lexicon/trust.yaml``). Ordinals work the same way within a clause: "进入Ⅱ期、Ⅲ期…分别
给予300万元、500万元" asked with "III期" is not the Ⅱ期 award.
"""
from __future__ import annotations

import re

from assistant.draft_trust import own_sentence
from assistant.trust_words import load_trust_words
from calculators.models import Rule
from ingest.normalize import for_matching

_ORDINAL = re.compile(r"(?<![一二两三四五六七八九十])([一二三四五六七八九十]{1,3})([期类级等])")


def qualifiers_in(text: str) -> set[str]:
    """The names of the qualifiers a text states (folded before matching)."""
    t = for_matching(text)
    return {name for name, words in load_trust_words().qualifiers.items() if any(w in t for w in words)}


def subject_text(rule: Rule) -> str:
    """Whom the draft is for: its conditions, else the sentence its quote opens with."""
    return " ".join(c.label for c in rule.conditions) or own_sentence(rule.quote)


def loses_to_rival(rule: Rule, clause_text: str, rival: str, said: str) -> bool:
    """Whether a rival clause's qualifiers make the draft the wrong award for the question (`said`:
    what the question affirms): the question states a qualifier the rival has and the draft's clause
    lacks, or the draft's subject has one the question does not state while the rival, lacking it,
    has one of its own instead."""
    asked, mine, theirs = qualifiers_in(said), qualifiers_in(clause_text), qualifiers_in(rival)
    if (asked & theirs) - mine:
        return True
    unstated = qualifiers_in(subject_text(rule)) - asked - theirs
    return bool(unstated) and bool(theirs - mine)


def ordinal_conflict(rule: Rule, question: str) -> bool:
    """Whether the question names another ordinal of the counter the draft's own subject numbers
    (draft "进入Ⅱ期", question "III期"), and not the draft's."""
    own = {(m.group(2), m.group(1)) for m in _ORDINAL.finditer(for_matching(subject_text(rule)))}
    asked = {(m.group(2), m.group(1)) for m in _ORDINAL.finditer(for_matching(question))}
    counters = {c for c, _ in own}
    return bool(own) and not (own & asked) and any(c in counters for c, _ in asked)
