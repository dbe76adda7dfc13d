"""Draft award rules from a policy's own text (offline: sentence patterns, no curated rule used).

For every quantified sentence of every clause (ingest/draft_pieces.py reads one sentence), the
drafter builds a rule with ``status: draft``; sentences that only modify an award (a cap, a
per-enterprise yearly limit, a combined cap with upper-level money, instalments, a number of
years, an extra award) are applied to the drafts they follow. Every draft is then verified
(ingest/draft_check.py); a sentence that cannot be drafted, or whose draft fails verification,
is listed with the reason instead.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from calculators.amounts import find_amounts
from calculators.models import Rule
from ingest.clauses import Clause, parse_clauses
from ingest.draft_bands import attach_bands, group_bands
from ingest.draft_build import build_rule
from ingest.draft_check import verify_draft
from ingest.draft_modifiers import apply_modifiers
from ingest.draft_parts import lead_subject, sentence_parts, where_tiers
from ingest.draft_pieces import (
    Draft,
    Undraftable,
    clean_subject,
    draft_piece,
    is_quantified,
    lone_cap_draft,
    subject_before,
)
from ingest.draft_progressive import progressive
from ingest.draft_steps import join_step_bases, step_drafts
from ingest.draft_text import Lexicon, Piece, depth, find_figures, load_lexicon, split_pieces


@dataclass(frozen=True)
class Sentence:
    """A quantified sentence and what became of it: the rules drafted from it, or why none."""

    doc_id: str
    clause: str
    text: str
    rule_ids: tuple[str, ...] = ()
    reason: str | None = None


@dataclass
class DraftReport:
    doc_id: str
    rules: list[Rule] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def listed(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.rule_ids]


def _clause_drafts(clause: Clause, lex: Lexicon) -> tuple[list[Draft], dict[int, str], list]:
    """(drafts, piece index -> reason it was not drafted, pieces) of one clause."""
    parts = [part for piece in split_pieces(clause.text) for part in sentence_parts(piece, lex)]
    pieces, leads = [p for p, _ in parts], {id(p): lead for p, lead in parts if lead is not None}
    inherited = _heading_subject(clause, lex)
    drafts: list[Draft] = []
    reasons: dict[int, str] = {}
    lead = shared = None
    for index, piece in enumerate(pieces):
        piece.figures = find_figures(piece, lex)
        try:
            own = _own_drafts(piece, lex, inherited, leads.get(id(piece)))
        except Undraftable as why:
            reasons[index] = str(why)
            own = []
        lead = _colon_lead(piece, own, lead)
        shared = _shared_lead(piece, own, shared, lex)
        if own and own[0].subject:
            inherited = own[0].subject
        elif not piece.figures:
            inherited = clean_subject(piece.text, lex) or inherited
        used = index not in reasons and apply_modifiers(piece, own, drafts, lex)   # a failed sentence modifies nothing
        if not own and not used and not drafts and not reasons:     # no earlier sentence it may belong to
            own = [d for d in [lone_cap_draft(piece, lex, inherited)] if d]
            if own:
                apply_modifiers(piece, own, drafts, lex)       # its instalments or years (按40%、30%、30%…分三年)
        if not own and not used and index not in reasons and is_quantified(piece, lex):
            reasons[index] = _why_not(piece)
        drafts.extend(own)
    drafts, failed = _grouped(drafts, clause, lex)
    drafts, dropped, read = progressive(clause, pieces, drafts, lex)
    failed |= dropped
    for index, piece in enumerate(pieces):
        if id(piece) in read:
            reasons.pop(index, None)        # a part of the progressive draft, not a sentence left undrafted
        if id(piece) in failed:
            reasons[index] = failed[id(piece)]
    return drafts, reasons, pieces


def _grouped(drafts: list[Draft], clause: Clause, lex: Lexicon) -> tuple[list[Draft], dict[int, str]]:
    """The clause's drafts with banded runs merged; (drafts, id(piece) -> reason) for those dropped."""
    drafts, failed = group_bands(drafts, lex)
    for draft in drafts:
        if draft.kind == "bands" and not draft.subject:     # (1)实缴注册资本…的，奖励300万元 under 1.对内资企业：
            draft.subject = _heading_subject(clause, lex, who=True)
    return drafts, failed


def _heading_subject(clause: Clause, lex: Lexicon, who: bool = False) -> str:
    """The subject the clause's own heading states ("" for one naming no applicant, 四、奖励标准); with `who`,
    only who a 对-heading names (1.对内资企业： / (二)对…总部型企业，按照…纳税总额给予…: the words before 按照 / 给予)."""
    if not clause.headings:
        return ""
    heading = clause.headings[-1].rstrip("…:：。； ")
    bare = lex.numbering.sub("", lex.numbering.sub("", heading.strip()))
    if who and not lex.subject_prefix.search(bare):
        return ""           # 二、大力发展数字经济: a measure's title, not who qualifies
    text = subject_before(Piece(heading, 0, len(heading)), len(heading), lex) if who else clean_subject(heading, lex)
    return "" if lex.heading_not_subject.search(text) else text


def _own_drafts(piece: Piece, lex: Lexicon, inherited: str, lead: Piece | None) -> list[Draft]:
    """The drafts of one sentence part (Undraftable when it cannot be drafted); `lead` qualifies it (对X，)."""
    own = step_drafts(piece, lex, inherited)
    own = where_tiers(piece, lex, inherited) if own is None else own
    own = draft_piece(piece, lex, inherited) if own is None else own
    if lead is not None:
        lead_subject(lead, own, lex)
    attach_bands(own, piece, lex)
    return own


def _colon_lead(piece, own: list[Draft], lead):
    """已纳入限上商贸统计库且年增速达15%以上的企业：批发企业…；零售企业…: the words before the colon qualify
    every later part of the same sentence (；), so those parts' drafts quote them first. Returns the lead
    (a Piece of the text up to the colon) in force after `piece`."""
    if lead is not None and lead.sentence == piece.sentence and lead.start < piece.start:
        for draft in own:
            draft.prefix = draft.prefix or lead
    at = next((i for i, ch in enumerate(piece.text) if ch in "：:" and not depth(piece.text, i)), None)
    if at is None:
        return lead if lead is not None and lead.sentence == piece.sentence else None
    if any(f.start < at and f.role not in ("threshold", "condition") for f in piece.figures) or at < 4:
        return None
    return Piece(piece.text[:at + 1], piece.start, piece.start + at + 1, piece.sentence)


_PHRASE = re.compile(r"[，,]")


def _shared_lead(piece, own: list[Draft], shared, lex: Lexicon):
    """参加一般性境外展，境外展会举办地为亚洲地区的，给予…；亚洲地区以外的，给予…: the phrases before the first
    part's condition (…的) are what every later part of the sentence (；) that opens with a bare condition of
    its own is about, so those parts' subjects and quotes start with them. Returns the lead (a Piece) in force."""
    if shared is not None and shared.sentence == piece.sentence:
        head = piece.text[own[0].span[0]:own[0].span[1]].strip(" ，,") if own else ""
        bare = head.endswith("的") and not _PHRASE.search(head) and not lex.subject_prefix.search(head) \
            and not lex.grant_words.search(head)
        if bare and len({d.span for d in own}) == 1 and all(d.prefix is None for d in own):
            who = clean_subject(shared.text, lex)
            for draft in own:
                draft.prefix, draft.variant = shared, clean_subject(head, lex)
                draft.subject = f"{who}，{draft.subject}" if draft.subject else who
        return shared
    if not own or len({d.span for d in own}) != 1 or own[0].prefix is not None:
        return None
    head = piece.text[own[0].span[0]:own[0].span[1]].rstrip(" ，,")
    cuts = [m.start() for m in _PHRASE.finditer(head) if not depth(head, m.start())]
    if not cuts or not head.endswith("的") or re.search(r"\d", head[:cuts[-1]].replace(lex.numbering.match(head).group()
                                                                                       if lex.numbering.match(head) else "", "")):
        return None
    start = piece.start + own[0].span[0]
    for draft in own:
        draft.variant = clean_subject(head[cuts[-1] + 1:], lex)
    return Piece(head[:cuts[-1] + 1], start, start + cuts[-1] + 1, piece.sentence)


def _why_not(piece) -> str:
    roles = {f.role for f in piece.figures}
    if roles & {"cap"}:
        return "只有上限，没有写明比例、定额或单价"
    if roles & {"range"}:
        return "金额为区间（如5-10万元），无法确定具体数额"
    if roles & {"year_cap", "combined", "first_share", "then_share", "year_share", "extra"}:
        return "限额或分期条款前面没有可对应的奖补"
    return "没有可识别的奖补金额或比例"


def _document_exclusions(clauses: list[Clause], lex: Lexicon) -> list[str]:
    """本意见中所指企业为…，房地产、贸易型企业均不享受本意见全部条款: who the whole document excludes, as notes."""
    found = []
    for clause in clauses:
        for piece in split_pieces(clause.text):
            m = lex.document_exclusion.search(piece.text)
            if m:
                start = max(piece.text.rfind("，", 0, m.start()), piece.text.rfind(",", 0, m.start())) + 1
                found.append("本文件另规定：" + piece.text[start:].strip(" 。；;") + "（" + clause.label + "）")
    return found


def rule_id(doc_id: str, index: int) -> str:
    return f"d{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}_{index:03d}"


def _stepped_thresholds(clauses: list[Clause], lex: Lexicon) -> set:
    """超过1.7亿元的，每超过1亿元再给予100万元: amounts that a later sentence builds steps on."""
    found = set()
    for clause in clauses:
        for piece in split_pieces(clause.text):
            if not re.search(r"每(?:超过|增加|新增|多)", piece.text) or not lex.award_words.search(piece.text):
                continue
            found |= {m.value for m in find_amounts(piece.text)
                      if re.search(r"(?<!每)超过\s*$", piece.text[:m.start])}     # not the step (每超过1亿元)
    return found


def _stepped(draft, clause: Clause, steps: set) -> bool:
    """A draft of the base amount of a stepped award (到位注册资本1.7亿元的，给予170万元): it alone is not the award."""
    if not steps or re.search(r"每(?:超过|增加|新增|多)", "".join(p.text for p in draft.pieces)):
        return False
    piece, award = draft.pieces[0], draft.figures[0]
    return any(m.value in steps for m in find_amounts(piece.text[:award.start]))


def draft_document(doc_id: str, text: str, region: str, lex: Lexicon | None = None) -> DraftReport:
    """Drafted, verified rules of one policy text, and every quantified sentence's fate."""
    lex = lex or load_lexicon()
    report = DraftReport(doc_id)
    clauses = parse_clauses(doc_id, text).clauses
    steps = _stepped_thresholds(clauses, lex)
    read = [(clause, *_clause_drafts(clause, lex)) for clause in clauses]
    excluded = _document_exclusions(clauses, lex)
    for _, drafts, _, _ in read:
        for draft in drafts:
            draft.fields.setdefault("notes", []).extend(excluded)
    joined = join_step_bases([(clause, drafts) for clause, drafts, _, _ in read])
    made: dict[int, list[str]] = {}
    failed: dict[int, str] = {}
    count = 0
    for clause, drafts, _, _ in read:
        for draft in drafts:
            count += 1
            rule = _built(draft, rule_id(doc_id, count), clause, region, lex, steps, failed)
            if rule is None:
                continue
            report.rules.append(rule)
            for piece in [*([draft.lead[1]] if draft.lead else []), *draft.pieces]:
                made.setdefault(id(piece), []).append(rule.id)
    for piece_id, (_, draft) in joined.items():
        if id(draft.pieces[-1]) in failed:
            failed.setdefault(piece_id, failed[id(draft.pieces[-1])])
    for clause, _, reasons, pieces in read:
        for index, piece in enumerate(pieces):
            ids = made.get(id(piece), [])
            reason = failed.get(id(piece)) or reasons.get(index)
            if ids or reason or is_quantified(piece, lex):
                report.sentences.append(Sentence(doc_id, clause.label, piece.text.strip(), tuple(ids),
                                                 None if ids else reason or "未能起草"))
    return report


def _built(draft, rid: str, clause: Clause, region: str, lex: Lexicon, steps: set, failed: dict) -> Rule | None:
    """The draft as a verified rule, or None with the reason recorded in `failed` (by its first piece)."""
    if _stepped(draft, clause, steps):
        failed.setdefault(id(draft.pieces[0]), "超过该数额后另按“每超过…再给予…”递增，单独一句不能算出金额")
        return None
    text = f"{draft.lead[0].text}\n{clause.text}" if draft.lead else clause.text
    try:
        rule = build_rule(draft, rid, clause.doc_id, clause, region, lex)
        verify_draft(rule, text)
    except Undraftable as why:
        failed.setdefault(id(draft.pieces[0]), str(why))
        return None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError) as exc:
        # a shape the patterns half-read: the sentence is listed, the ingest goes on
        failed.setdefault(id(draft.pieces[0]), f"未能可靠解析该句（{type(exc).__name__}），未起草")
        return None
    return rule
