"""Exclusion sentences of a drafted rule's clause, read against what the question states.

"经评估验收完成揭榜任务的实施主体，按其实际投入额的20%…予以奖补。对创新联合体成员单位承担的揭榜
项目，列入省级科技计划的，不再重复支持。": the second sentence takes the award away when a fact holds
(列入省级科技计划). The drafter reads only the award sentence, so before a draft's figure is given
each such sentence becomes a condition: stated as holding ("已经列进省级科技计划了") the draft's
award is not due, and the answer says why; not stated, it is listed as a condition to check.
The exclusion words are data (``knowledge/lexicon/trust.yaml``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.trust_words import load_trust_words
from assistant.wording import char_pairs
from ingest.normalize import for_matching

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_PIECE = re.compile(r"[，,、：:]")
_LEAD = re.compile(r"^(?:对于|对|凡|其中|如|若)?(?:已经|已)?")
_STOP = set("的了和与及或对在是为已经被所其等")
STATED_SHARE = 0.6      # the share of the fact's character pairs the question must contain
MIN_PAIRS = 3


@dataclass(frozen=True)
class Exclusion:
    sentence: str     # 对创新联合体成员单位承担的揭榜项目，列入省级科技计划的，不再重复支持
    fact: str         # 列入省级科技计划


def exclusions(clause_text: str) -> list[Exclusion]:
    """Every sentence of the clause that withholds support when a fact holds, with that fact: the
    phrase just before the exclusion words (its 的 dropped)."""
    words = load_trust_words().exclusions
    out = []
    for m in _SENTENCE.finditer(clause_text):
        sentence = m.group(0).strip()
        folded = for_matching(sentence)
        word = next((w for w in words if w in folded), None)
        if word is None:
            continue
        before = [p for p in _PIECE.split(folded[:folded.index(word)]) if p.strip()]
        if not before:
            continue
        fact = _LEAD.sub("", before[-1]).removesuffix("的").removesuffix("者")
        if len(fact) >= 3:
            out.append(Exclusion(sentence, fact))
    return out


def _pairs(text: str) -> set[str]:
    return char_pairs(for_matching(text), stop=_STOP)


def _states(fact: str, text: str) -> bool:
    want = _pairs(fact)
    have = want & _pairs(text)
    return len(have) >= min(MIN_PAIRS, len(want)) and len(have) >= STATED_SHARE * len(want)


def verdict(clause_text: str, said: str, denied: str) -> tuple[str, Exclusion | None]:
    """("excluded", the sentence) when the question affirms an exclusion's fact; ("check", the first
    exclusion) when it neither affirms nor denies one; ("clear", None) otherwise."""
    found = exclusions(clause_text)
    for e in found:
        if _states(e.fact, said) and not _states(e.fact, denied):
            return "excluded", e
    unknown = [e for e in found if not _states(e.fact, denied)]
    return ("check", unknown[0]) if unknown else ("clear", None)


def condition_text(e: Exclusion) -> str:
    """How an exclusion not yet ruled out is listed among the conditions to meet."""
    return f"不属于以下情形：{e.sentence}"
