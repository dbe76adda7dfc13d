"""What a fact the user states excludes from an award: one mechanism for the two places a policy says it.

- The whole document, of kinds of applicant ("房地产、贸易型企业均不享受本意见全部条款"). The drafter
  notes that sentence on every draft of the document ("本文件另规定：…", ingest/draft.py); a question
  saying the enterprise is one of them ("我们是一家贸易型企业") gets no figure from those rules, and
  the answer says why. Said in a denial ("不是房地产、贸易型企业") it excludes nothing.
- The rule's own clause: "经评估验收完成揭榜任务的实施主体，按其实际投入额的20%…予以奖补。对创新联合体
  成员单位承担的揭榜项目，列入省级科技计划的，不再重复支持": the second sentence takes the award away
  when a fact holds (列入省级科技计划). The drafter reads only the award sentence, so before a draft's
  figure is given each such sentence becomes a condition: stated as holding ("已经列进省级科技计划了")
  the draft's award is not due, and the answer says why; not stated, it is listed as a condition to
  check.

`applied` is the one entry point: a figure against both. The exclusion words are data
(``knowledge/lexicon/trust.yaml``; the document's sentence, ``document_exclusion`` of
``knowledge/lexicon/draft.yaml``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Calculation
from assistant.trust_words import load_trust_words
from assistant.wording import char_pairs
from calculators.models import Rule
from ingest.draft_text import load_lexicon as draft_lexicon
from ingest.normalize import for_matching

NOTE = "本文件另规定："
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_PIECE = re.compile(r"[，,、：:]")
_LEAD = re.compile(r"^(?:对于|对|凡|其中|如|若)?(?:已经|已)?")
_STOP = set("的了和与及或对在是为已经被所其等")
STATED_SHARE = 0.6      # the share of the fact's character pairs the question must contain
MIN_PAIRS = 3
_KIND_SUFFIX = re.compile(r"(?:企业|单位|公司|机构|项目)$")
_CLAUSE_START = "，,。；;（(？?！!\n"


@dataclass(frozen=True)
class Stated:
    """What the user's words state: all of them, their phrases that affirm and those that deny, and
    the words of denial a kind of applicant said after is not affirmed by (不是, 并非 …)."""
    text: str
    said: str
    denied: str
    negations: list[str]


@dataclass(frozen=True)
class Exclusion:
    sentence: str     # 对创新联合体成员单位承担的揭榜项目，列入省级科技计划的，不再重复支持
    fact: str         # 列入省级科技计划; of the whole document, the kind: 贸易型企业
    document: bool = False      # the whole document's, of a kind of applicant

    def condition(self) -> str:
        """How an exclusion not yet ruled out is listed among the conditions to meet."""
        return f"不属于以下情形：{self.sentence}"

    def withheld(self, calc: Calculation) -> Calculation:
        """The figure not due, with the sentence that takes it away."""
        if self.document:
            formula, reason = f"{self.fact}不享受本文件政策，不符合申报条件", self.sentence
        else:
            formula = f"条款规定：{self.sentence}。您说明的情况属于“{self.fact}”，本项不予计算"
            reason = f"{self.sentence}（您说明的情况属于“{self.fact}”）"
        return calc.model_copy(update={"eligible": False, "amount_yuan": 0, "instalments": [],
                                       "formula": formula, "reason": reason})


def applied(calc: Calculation, rule: Rule, clause_text: str, stated: Stated) -> Calculation:
    """The rule's figure against what the user states: withheld when it states a kind of applicant
    the rule's document excludes, or (a draft's eligible figure) the fact of an exclusion sentence of
    its clause; that sentence listed among the conditions when the question neither affirms nor
    denies it."""
    status, found = verdict(rule, clause_text, stated, eligible=calc.eligible)
    if status == "check":
        return calc.model_copy(update={"conditions": [*calc.conditions, found.condition()]})
    return found.withheld(calc) if status == "excluded" else calc


def verdict(rule: Rule, clause_text: str, stated: Stated, eligible: bool = True) -> tuple[str, Exclusion | None]:
    """("excluded", the exclusion) when the question states a fact that takes the award away; ("check",
    the first exclusion of a draft's clause) when it neither affirms nor denies one; ("clear", None)
    otherwise. A reviewed rule's clause was read by its reviewer, and an ineligible figure is not
    made more so: only the document's exclusion of kinds holds for them."""
    kind = document_exclusion(rule.notes, stated.text, stated.negations)
    if kind is not None:
        return "excluded", kind
    if rule.status != "draft" or not eligible:
        return "clear", None
    return clause_verdict(clause_text, stated.said, stated.denied)


def document_exclusion(notes: list[str], text: str, negations: list[str]) -> Exclusion | None:
    """The exclusion of a kind of applicant the text affirms of the enterprise, among a rule's notes."""
    exclusion = draft_lexicon().document_exclusion
    for note in notes:
        if not note.startswith(NOTE) or not (m := exclusion.search(note)):
            continue
        head = note[len(NOTE):m.start()]
        for kind in (k.strip() for k in re.split(r"[、和及与]", head)):
            core = _KIND_SUFFIX.sub("", kind)
            if len(core) >= 2 and _affirmed(core, text, negations):
                return Exclusion(note.removeprefix(NOTE), kind, document=True)
    return None


def _affirmed(word: str, text: str, negations: list[str]) -> bool:
    for m in re.finditer(re.escape(word), text):
        start = max(text.rfind(ch, 0, m.start()) for ch in _CLAUSE_START) + 1
        if not any(n in text[start:m.start()] for n in negations):
            return True
    return False


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


def clause_verdict(clause_text: str, said: str, denied: str) -> tuple[str, Exclusion | None]:
    """Of the clause's exclusion sentences: ("excluded", the sentence) when the question affirms an
    exclusion's fact; ("check", the first exclusion) when it neither affirms nor denies one;
    ("clear", None) otherwise."""
    found = exclusions(clause_text)
    for e in found:
        if _states(e.fact, said) and not _states(e.fact, denied):
            return "excluded", e
    unknown = [e for e in found if not _states(e.fact, denied)]
    return ("check", unknown[0]) if unknown else ("clear", None)
