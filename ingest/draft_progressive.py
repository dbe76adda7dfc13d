"""分段累进 in one clause: parts of a money base, each at its own rate, added up (``progressive`` bands).

500万元（含）以下的部分按投资额的4%给予奖励；超过500万元不超过1000万元（含）的部分按投资额的2%… / 按其1000万元
（含）以内价值的15%加上超出1000万元价值部分的10%给予一次性奖补. Every part stated in the clause is read (a later
sentence restating the lower parts must agree with them); the parts must join from zero up to an open-ended top
part. The cap is the smallest stated in the sentence just before the parts or just after them when that sentence
grants nothing of its own (合计最高500万元 / 单笔奖励不超过100万元，累计奖励不超过1000万元). The draft replaces every
rate, band and maximum draft of the sentences it reads. A clause whose parts
do not join keeps none of its rate drafts: they are listed with the reason, not guessed.
"""
from __future__ import annotations

from decimal import Decimal

from calculators.amounts import parse_amount
from ingest.clauses import Clause
from ingest.draft_pieces import Draft, Undraftable, award_word, subject_before
from ingest.draft_text import Lexicon, Piece

_UNDRAFTED = "按金额分段累进计算，各段无法衔接，暂不起草"
_Part = tuple[Decimal, Decimal | None, Decimal]        # (from, to or None for the open top part, rate)


def _parts(piece: Piece, lex: Lexicon) -> list[_Part]:
    found = []
    for pattern in (lex.part_above, lex.part_below, lex.part_from):
        for m in pattern.finditer(piece.text):
            names = m.groupdict()
            low = parse_amount(names["low"]) if names.get("low") else Decimal(0)
            high = parse_amount(names["high"]) if names.get("high") else None
            found.append((low, high, Decimal(m.group("rate")) / 100))
    return found


def _joined(parts: list[_Part]) -> list[_Part] | None:
    """The parts from zero, each starting where the one below ends, the top one open; None otherwise."""
    distinct = sorted(set(parts), key=lambda p: (p[0], p[1] is None, p[1] or 0))
    if len({(low, high) for low, high, _ in distinct}) != len(distinct) or distinct[0][0] != 0:
        return None
    for (_, high, _), (low, _, _) in zip(distinct, distinct[1:], strict=False):
        if high != low:
            return None
    return distinct if distinct[-1][1] is None and len(distinct) > 1 else None


def _grants_nothing(piece: Piece) -> bool:
    return not piece.roles("rate", "award", "unit", "extra")


def _cap(pieces: list[Piece], first: int, last: int) -> tuple[Decimal | None, list[int]]:
    """The smallest cap of the full sentences just before and after the parts (pieces[first..last]) that grant
    nothing of their own, and the indices of those pieces."""
    near = []
    for side, step in ((first - 1, -1), (last + 1, 1)):
        sentence = pieces[side].sentence if 0 <= side < len(pieces) else None
        run = []
        while 0 <= side < len(pieces) and pieces[side].sentence == sentence:
            run.append(side)
            side += step
        if run and all(_grants_nothing(pieces[i]) for i in run):
            near.extend(run)
    caps = [f.value for i in near for f in pieces[i].figures if f.role in ("cap", "award_max")]
    return (min(caps) if caps else None), [i for i in near if any(f.role in ("cap", "award_max")
                                                                  for f in pieces[i].figures)]


def _restates(piece: Piece, parts: list[_Part], ends: set[Decimal]) -> bool:
    """单笔投资额不超过500万元（含）的，按投资额的4% before the parts: one part said as a band of its own."""
    rates = {f.value for f in piece.roles("rate")}
    return bool(rates) and rates <= {rate for _, _, rate in parts} and any(
        f.value in ends for f in piece.figures if f.kind == "money")


def _subject(pieces: list[Piece], first: int, lex: Lexicon) -> str:
    """Who qualifies: said before the grant of the first piece read, or of the nearest figure-less piece
    before it (18.外资股权投资企业投资我市科技创新企业的，根据投资额分级…给予奖励。)."""
    for piece in [pieces[first], *(p for p in reversed(pieces[:first]) if not p.figures)][:2]:
        grant = lex.grant_words.search(piece.text)
        if grant and not _figure_before(piece, grant.start()):
            return subject_before(piece, grant.start(), lex)
    return ""


def _figure_before(piece: Piece, pos: int) -> bool:
    return any(f.start < pos for f in piece.figures)


def _base_label(pieces: list[Piece], lex: Lexicon) -> str:
    for piece in pieces:
        m = lex.part_base.search(piece.text)
        if m:
            return m.group("base")
    raise Undraftable("分段累进未写明按什么金额计算")


def _replaced(draft: Draft, read: set[int]) -> bool:
    """A rate, band or maximum drafted from a sentence the progressive draft reads (its parts, a part
    restated as a band of its own, the cap's sentence)."""
    arithmetic = draft.kind in ("rate", "bands") or (draft.kind == "fixed" and draft.fields.get("is_maximum"))
    return bool(arithmetic) and any(id(p) in read for p in draft.pieces)


def progressive(clause: Clause, pieces: list[Piece], drafts: list[Draft], lex: Lexicon) \
        -> tuple[list[Draft], dict[int, str], set[int]]:
    """(drafts with the clause's progressive parts as one draft, id(piece) -> reason for pieces whose drafts
    were dropped, ids of the pieces the new draft reads)."""
    stated = {i: found for i, piece in enumerate(pieces) if (found := _parts(piece, lex))}
    if not stated:
        if not lex.progressive.search(clause.text):
            return drafts, {}, set()
        return _dropped(drafts, lambda d: d.kind in ("rate", "bands"), "按金额分段累进计算，暂不起草")
    at = sorted(stated)
    parts = _joined([part for found in stated.values() for part in found])
    if parts is None:
        return _dropped(drafts, lambda d: d.kind in ("rate", "bands"), _UNDRAFTED)
    ends = {x for low, high, _ in parts for x in (low, high) if x}
    first, last = at[0], at[-1]
    while first > 0 and _restates(pieces[first - 1], parts, ends):
        first -= 1
    while last + 1 < len(pieces) and _restates(pieces[last + 1], parts, ends):
        last += 1
    cap, near = _cap(pieces, first, last)
    read = [pieces[i] for i in sorted({*range(first, last + 1), *near})]
    kept = [d for d in drafts if not _replaced(d, {id(p) for p in read})]
    try:
        label = _base_label(read, lex)
    except Undraftable as why:
        return _dropped(drafts, lambda d: d.kind in ("rate", "bands"), str(why))
    bands = [{"min_yuan": low, "rate": rate, "include_max": True} | ({"max_yuan": high} if high else {})
             for low, high, rate in parts]
    subject = _subject(pieces, pieces.index(read[0]), lex)
    fields = {"bands": bands, "progressive": True}
    if cap is not None:
        fields["cap_yuan"] = cap
    draft = Draft("bands", read, subject, award_word("".join(p.text for p in read), lex), fields, base_label=label)
    return [*kept, draft], {}, {id(p) for p in read}


def _dropped(drafts: list[Draft], which, reason: str) -> tuple[list[Draft], dict[int, str], set[int]]:
    failed = {id(d.pieces[0]): reason for d in drafts if which(d)}
    return [d for d in drafts if not which(d)], failed, set()

