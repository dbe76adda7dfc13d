"""Awards per step of an increment: ``per_unit`` drafts with a ``unit_step``.

每新入驻1家跨境电商企业，给予园区扶持资金1万元，最多给予200万元 — 1万元 per whole step of 1家;
到位注册资本超过1.7亿元人民币的，每超过1亿元人民币，给予100万元 — 100万元 per whole 1亿元 above 1.7亿元,
added to the award the sentence before gives at 1.7亿元 (到位注册资本1.7亿元人民币的，给予170万元):
``join_step_bases`` puts the two together, in one clause or across sibling clauses.
A step amount written with a leading zero (002元: a decimal point lost) is listed, never read as 2元.
"""
from __future__ import annotations

import re
from decimal import Decimal

from calculators.amounts import find_amounts
from ingest.draft_bands import band_of, without_band
from ingest.draft_pieces import Draft, Undraftable, award_word, subject_before
from ingest.draft_text import Lexicon, Piece

_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _step(match: re.Match) -> tuple[Decimal, str | None]:
    """(the step in the base's unit, the quantity unit or None for money in 元)."""
    unit = match.group("unit").removesuffix("人民币")
    value = Decimal(match.group("n")) * _SCALE.get(unit[:1], Decimal(1))
    if unit.endswith("美元"):
        return value, "美元"
    return value, (None if unit.endswith("元") else unit)


def _counted_label(match: re.Match, unit: str) -> str:
    """What a quantity step counts: 新入驻跨境电商企业 (家), 增加出口额 (美元)."""
    what = re.split(r"在|并|开展|，|,", match.group("what"))[0]
    if re.search(r"\d", what):
        what = what.split("的")[-1] or "企业"
    label = match.group("verb") + match.group("noun") + what
    return label + "额" if unit == "美元" and not what else label


def step_drafts(piece: Piece, lex: Lexicon, inherited: str) -> list[Draft] | None:
    """The step draft of a sentence with 每超过/每增加/每新入驻 … 给予X元; None when it has no such step."""
    match = lex.step.search(piece.text)
    if not match:
        return None
    if lex.malformed_number.search(piece.text[match.end():]):
        bad = re.sub(r"[\ue000-\uf8ff]", "□", lex.malformed_number.search(piece.text[match.end():]).group())
        raise Undraftable(f"金额写法存疑（“{bad}”：原文有无法识别的字符或以0开头，疑为小数点），不起草")
    awards = [f for f in piece.figures if f.start >= match.end() and f.role in ("award", "award_max")]
    if not awards:
        return None
    award = awards[0]
    award.role = "award"
    for later in awards[1:]:
        later.role = "cap"          # 最多给予200万元扶持资金: the cap of the stepped award
    step, unit = _step(match)
    subject = subject_before(piece, match.start(), lex) or inherited
    fields: dict = {"unit_yuan": award.value, "unit_step": step}
    if unit is None:
        band = band_of(piece.text[:match.start()], lex)
        if band is None or band.unit != "元" or not band.measure or band.high is not None:
            raise Undraftable("按金额每超过一定数额递增，但未写明从多少起算、按什么金额计")
        fields["step_from"] = band.low
        label = band.measure
        subject = (without_band(subject, band) or inherited).rstrip("：:")
    else:
        label = _counted_label(match, unit)
    return [Draft("per_unit", [piece], subject, award_word(piece.text, lex), fields, base_label=label,
                  unit=unit, figures=[award], span=(0, piece.phrase_bounds(match.start())[0]))]


def _base_of(draft: Draft, start: Decimal) -> bool:
    """A fixed award whose subject states the amount `start` (到位注册资本1.7亿元人民币的，给予170万元)."""
    if draft.kind != "fixed" or draft.fields.get("extras") or draft.band is not None and draft.band.high is not None:
        return False
    piece, award = draft.pieces[0], draft.figures[0]
    return any(m.value == start for m in find_amounts(piece.text[:award.start]))


def join_step_bases(clauses: list[tuple]) -> dict[int, tuple]:
    """Stepped drafts take the award at their starting amount from a fixed draft just before them
    (same clause or the clause before). `clauses`: [(clause, drafts)], changed in place; returns
    {id(base piece): (clause label, stepped draft)} for the base drafts taken."""
    taken: dict[int, tuple] = {}
    for index, (clause, drafts) in enumerate(clauses):
        for draft in [d for d in drafts if d.fields.get("step_from")]:
            start = draft.fields["step_from"]
            near = [(clause, d) for d in drafts[:drafts.index(draft)]]
            if index:
                near = [(clauses[index - 1][0], d) for d in clauses[index - 1][1]] + near
            found = next(((c, d) for c, d in reversed(near) if _base_of(d, start)), None)
            if found is None:
                continue
            base_clause, base = found
            draft.fields["fixed_yuan"] = base.fields["fixed_yuan"]
            draft.lead = (base_clause, base.pieces[0]) if base_clause is not clause else None
            if base_clause is clause:
                draft.pieces.insert(0, base.pieces[0])
            (clauses[index - 1][1] if base_clause is not clause else drafts).remove(base)
            taken[id(base.pieces[0])] = (base_clause.label, draft)
    return taken
