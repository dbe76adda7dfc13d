"""Conditions a drafted award leaves to another clause, read against what the question states.

Office guides (办事指南) and many policies state the award in one clause ("对符合条件的申报单位，一次性
给予20万元入统奖励") and whom it is for in another ("二、申请条件 … 上年度营业收入不超过4亿元"). A draft
whose subject defers so names no condition of its own; before its figure is given, the document's
conditions clauses are read as the draft's conditions:

- a stated value failing a threshold there ("去年营收4.6亿" against "营业收入不超过4亿元") makes the
  applicant ineligible, the condition quoted; a value of that unit not tied to it gives no figure;
- a condition on where the applicant came from ("由广州市以外地区直接变更至南沙区") is checked with
  the region table when the question says where it moved from; when that place cannot be read
  exactly, no figure is given;
- otherwise the conditions are listed, with their citation, among those to meet.

The conditions are read by assistant/condition_check.py; the vocabulary is data:
knowledge/lexicon/deferred.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.condition_check import NUMBERING, Finding, Vocabulary, check, claimed, load_vocabulary
from assistant.draft_trust import states_award
from calculators.models import Rule

_TITLE = 16          # a heading longer than this is a sentence that leads a list, not a title
_MOST = 8            # conditions listed in the answer


def subject_text(rule: Rule) -> str:
    """Whom a draft says it is for: its conditions' labels, else its quote's opening words."""
    own = " ".join(c.label for c in rule.conditions)
    return own or NUMBERING.sub("", rule.quote.split("……")[0])[:40]


def defers(rule: Rule, vocab: Vocabulary | None = None) -> bool:
    """Whether a draft's subject leaves its conditions to another clause ("符合条件的申报单位")."""
    vocab = vocab or load_vocabulary()
    opening = NUMBERING.sub("", rule.quote.split("……")[0])[:24]
    labels = [c.label for c in rule.conditions] or [""]
    return any(vocab.deferring.search(t.strip()) for t in [*labels, opening] if t.strip())


def contrast_misfit(subject: str, question: str, vocab: Vocabulary | None = None) -> bool:
    """Whether the question states one side of a contrast ("租了3000平方米") and the subject only
    another ("新建成或购置自用办公房产的"): the draft is not for what was asked."""
    vocab = vocab or load_vocabulary()
    for group in vocab.contrasts:
        asked = {i for i, side in enumerate(group) if any(w in question for w in side)}
        mine = {i for i, side in enumerate(group) if any(w in subject for w in side)}
        if asked and mine and not asked & mine:
            return True
    return False


def _under(clause, heading_re: re.Pattern) -> bool:
    titles = (NUMBERING.sub("", h).strip() for h in clause.headings)
    return any(len(t) <= _TITLE and heading_re.match(t) for t in titles)


def conditions_clauses(document, label: str, vocab: Vocabulary | None = None) -> list:
    """The clauses of the document that state whom the award at clause `label` is for: those under
    a conditions heading (申请条件, 支持对象 …) that state no award of their own; else the items of
    the clause itself when it leads a list ("对符合以下条件的企业…："), else those of the nearest
    lead before it in its chapter ("…应符合以下条件：")."""
    vocab = vocab or load_vocabulary()
    clauses = [c for c in document.clauses if c.label != label]
    found = [c for c in clauses if _under(c, vocab.headings) and not states_award(c.text)]
    if found:
        return found
    own = next((c for c in document.clauses if c.label == label), None)
    if own is None:
        return []
    children = [c for c in clauses if c.parent == label]
    if children and vocab.lead.search(own.text.rstrip()):
        return children
    leads = [c for c in clauses if c.start < own.start and vocab.lead.search(c.text.rstrip())
             and c.headings[:1] == own.headings[:1] and any(x.parent == c.label for x in clauses)]
    return [c for c in clauses if c.parent == leads[-1].label] if leads else []


def listed(clauses: list, cite) -> list[str]:
    """The conditions to meet, as shown in the answer: each with its citation (`cite(clause)`)."""
    return [f"{NUMBERING.sub('', c.text).strip()}（{cite(c)}）" for c in clauses[:_MOST]]


@dataclass(frozen=True)
class Deferred:
    finding: Finding
    clauses: list
    question: str = ""


def for_rule(kb, rule: Rule, question: str) -> Deferred | None:
    """The conditions clauses a draft defers to, read against the question; None when the draft
    states its own subject or the document has no conditions clause."""
    if rule.status != "draft" or rule.doc_id not in kb.documents or not defers(rule):
        return None
    clauses = conditions_clauses(kb.documents[rule.doc_id], rule.clause)
    return Deferred(check(clauses, question), clauses, question) if clauses else None


def applied(calc, deferred: Deferred | None, cite):
    """The calculation with the deferred conditions: ineligible, the condition quoted, when the
    question fails one; else those conditions listed among the ones to meet. `cite(doc_id, label)`
    gives a clause's Citation."""
    if deferred is None or not calc.eligible:
        return calc          # already ineligible (另规定 …): its reason stands

    def where(c) -> str:
        found = cite(c.doc_id, c.label)
        return f"《{found.title}》{found.clause}"
    finding = deferred.finding
    if finding.status == "failed":
        return calc.model_copy(update={
            "eligible": False, "amount_yuan": 0, "instalments": [], "is_maximum": False,
            "formula": f"不符合申报条件：{finding.why}",
            "reason": f"申报须满足“{finding.why}”（{where(finding.clause)}），按您所述不符合",
        })
    return calc.model_copy(update={"conditions": [*calc.conditions, *listed(deferred.clauses, where)]})


def unclear_first(deferred: Deferred | None, stated: str, threshold: str, rule: Rule, got) -> tuple[str, str]:
    """The draft's own threshold verdict, or "unclear" with the words to ask about when the
    question leaves a deferred condition unclear, when the amount the draft would compute from is
    a deferred condition's value, or when a draft computes an amount in 元 from what its label calls
    a rate ("当笔贷款基准利率": the loan is not the interest)."""
    if stated == "unclear" or rule.status != "draft":
        return stated, threshold
    if deferred is not None and deferred.finding.status in ("unclear", "failed"):
        failed = deferred.finding.status == "failed"       # ineligible whatever the amount (applied)
        return (stated, threshold) if failed else ("unclear", deferred.finding.why)
    given = {v for s in (got.sets if got else []) for v in s.values()}
    if deferred is not None and given & claimed(deferred.clauses, deferred.question):
        return "unclear", rule.input(rule.base).label if rule.base else threshold
    rate_named = [i.label for i in rule.inputs if i.unit == "元" and load_vocabulary().rate_label.search(i.label)]
    if rate_named and given:
        return "unclear", rate_named[0]
    return stated, threshold


def citations(deferred: Deferred | None, cite) -> list:
    """Citations of the conditions clauses shown with a figure (the failed one first)."""
    if deferred is None:
        return []
    first = [deferred.finding.clause] if deferred.finding.clause is not None else []
    return [cite(c.doc_id, c.label) for c in dict.fromkeys([*first, *deferred.clauses[:_MOST]])]
