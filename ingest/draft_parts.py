"""Parts of a sentence that are awards of their own, and per-person lists read as tiers.

``sentence_parts`` cuts a sentence where a later part names its own applicants: two 分别 awards each for
its own subject (…，对…分别给予…), or a bare condition after an award to a 对-subject (对引进的博士后，每人给予
10万元，出站后留在本区工作的，给予20万元): that part is about the same applicant, so its drafts quote the
对-phrase first and their subject starts with it. ``where_tiers`` reads 其中本科生2万元，硕士研究生4万元 as
tiers of the award by a grade of the applicant.
"""
from __future__ import annotations

import re
from decimal import Decimal

from calculators.amounts import find_amounts
from ingest.draft_pieces import Draft, award_word, clean_subject, subject_before
from ingest.draft_text import Figure, Lexicon, Piece, depth

_AMOUNT = re.compile(r"\d\s*[万亿]?元")


def sentence_parts(piece: Piece, lex: Lexicon) -> list[tuple[Piece, Piece | None]]:
    """The parts of `piece` drafted one by one, each with the lead (a Piece: 对…，) qualifying it, if any."""
    parts = []
    for part in _respective_parts(piece, lex):
        parts.extend(_condition_parts(part, lex))
    return parts


def _respective_parts(piece: Piece, lex: Lexicon) -> list[Piece]:
    """对新建成国家级、省级…分别给予30万元、20万元建站奖励，对评定为国家级优秀、省级优秀站点的，再分别给予…: a
    sentence of two 分别 awards, each for its own subject (，对…), read as two parts."""
    cuts, last = [], 0
    for m in re.finditer(r"[，,](?=(?:对于|对|凡)\S)", piece.text):
        before, after = piece.text[last:m.start()], piece.text[m.end():]
        if depth(piece.text, m.start()) or not (lex.respectively.search(before) and lex.respectively.search(after)):
            continue
        if _AMOUNT.search(before[lex.respectively.search(before).end():]):
            cuts.append(m.end())
            last = m.end()
    return _cut(piece, cuts)


def _cut(piece: Piece, cuts: list[int]) -> list[Piece]:
    bounds = [0, *cuts, len(piece.text)]
    return [Piece(piece.text[a:b], piece.start + a, piece.start + b, piece.sentence)
            for a, b in zip(bounds, bounds[1:], strict=False)]


def _condition_parts(piece: Piece, lex: Lexicon) -> list[tuple[Piece, Piece | None]]:
    """对X，每人给予…10万元…，Y的，给予20万元…: cut before `Y的`, a bare condition (no figure, no 对) granting an
    award of its own after an award to the 对-subject X; the later part is led by `对X，`."""
    lead = re.match(rf"\s*(?:{lex.numbering.pattern})?(?:对于|对)[^，,\d]{{2,60}}?[，,]", piece.text)
    if not lead or depth(piece.text, lead.end()):
        return [(piece, None)]
    grant = lex.bare_condition_grant.pattern
    cuts = []
    for m in re.finditer(rf"[，,](?=(?P<cond>[^，,；;。]{{2,40}}?的)[，,]\s*(?:{grant}))", piece.text):
        cond, before = m.group("cond"), piece.text[cuts[-1] if cuts else lead.end():m.start()]
        if m.start() < lead.end() or depth(piece.text, m.start()) or lex.subject_prefix.search(cond):
            continue
        if find_amounts(cond) or re.search(rf"\d\s*(?:{lex.units.pattern}|%|％)", cond):
            continue            # 超过5亿元的，奖励20万元: a band of the same award, not a new part
        if _AMOUNT.search(before) and lex.grant_words.search(before):
            cuts.append(m.end())
    if not cuts:
        return [(piece, None)]
    parts = _cut(piece, cuts)
    head = Piece(piece.text[lead.start():lead.end()], piece.start + lead.start(), piece.start + lead.end(),
                 piece.sentence)
    return [(parts[0], None), *((part, head) for part in parts[1:])]


def lead_subject(lead: Piece, own: list[Draft], lex: Lexicon) -> None:
    """The drafts of a part led by `对X，`: quoted after the lead, their subject X first."""
    who = clean_subject(lead.text, lex)
    for draft in own:
        if draft.prefix is None:
            draft.prefix = lead
            draft.subject = f"{who}，{draft.subject}" if draft.subject and draft.subject != who else who


def where_tiers(piece: Piece, lex: Lexicon, inherited: str) -> list[Draft] | None:
    """…人才发放住房补贴，其中本科生2万元，硕士研究生4万元，博士研究生6万元: one award, its amount by a grade of
    the applicant (per person or item); None when the sentence has no such list."""
    m = lex.where_list.search(piece.text)
    if not m or any(f.start < m.start() and f.role in ("award", "award_max", "rate", "unit") for f in piece.figures):
        return None
    amounts = [a for a in find_amounts(piece.text) if m.start("items") <= a.start < m.end("items")]
    grades, last = [], m.start("items")
    for found in amounts:
        grade = re.sub(r"(?:为|是|每人|每名|每项|每个)$", "", piece.text[last:found.start].strip(" ，,、；;"))
        if not grade or re.search(r"\d", grade):
            return None
        grades.append(grade)
        last = found.end
    if len(amounts) < 2 or len(set(grades)) != len(grades):
        return None
    figures = [Figure("money", a.value, a.start, a.end, a.text, "award") for a in amounts]
    phrase = piece.phrase_bounds(m.start())[0]
    grants = list(lex.where_grant.finditer(piece.text, phrase, m.start()))
    subject = subject_before(piece, grants[0].start() if grants else m.start(), lex) or inherited
    tiers = [{"value": g, "amount_yuan": Decimal(a.value)} for g, a in zip(grades, amounts, strict=True)]
    return [Draft("tiers", [piece], subject, award_word(piece.text[:m.start()], lex),
                  {"tiers": tiers, "grades": grades, "tier_name": "人员或项目类别"}, figures=figures,
                  span=(0, m.start()))]
