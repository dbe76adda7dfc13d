"""Sentence parts that modify an award: caps, yearly and combined limits, instalments, years, extras.

A modifier in the sentence of its award applies to that sentence's drafts; a sentence that is only
a modifier (单个企业年度最高不超过500万元。/ 先给予补助总额的40%；…) applies to the drafts of the
last full sentence (。) of the clause that had any.
"""
from __future__ import annotations

import re

from ingest.draft_pieces import Draft, clean_subject
from ingest.draft_text import Figure, Lexicon, Piece, chinese_int

_BASED = ("rate", "per_unit", "bands")


def _targets(piece: Piece, own: list[Draft], drafts: list[Draft]) -> list[Draft]:
    if own:
        return own
    if not drafts:
        return []
    last = drafts[-1].pieces[0].sentence
    return [d for d in drafts if d.pieces[0].sentence == last]


def _phrase(piece: Piece, fig: Figure) -> str:
    start, end = piece.phrase_bounds(fig.start)
    return piece.text[start:end].strip(" ，,。；;（）()")


def _caps(piece: Piece, targets: list[Draft], own: bool) -> bool:
    caps = piece.roles("cap")
    based = [d for d in targets if d.kind in _BASED]
    if not caps or not based:
        return False
    for draft in based:
        anchor = draft.figures[0].start if own else -1
        mine = [c for c in caps if c.start > anchor]
        for cap in mine:
            if "cap_yuan" not in draft.fields:
                draft.fields["cap_yuan"] = cap.value
            else:
                draft.fields.setdefault("limits", []).append(
                    {"label": _phrase(piece, cap), "amount_yuan": cap.value, "minus_input": "received_yuan"})
            draft.figures.append(cap)
    return True


def _limits(piece: Piece, targets: list[Draft]) -> bool:
    based = [d for d in targets if d.kind in _BASED]
    used = False
    for fig in piece.roles("year_cap", "combined"):
        for draft in based:
            limit = {"label": _phrase(piece, fig)}
            if fig.role == "year_cap" and "cap_yuan" not in draft.fields:
                draft.fields["cap_yuan"] = fig.value     # the only bound of the award: its cap (of a year)
                draft.figures.append(fig)
                used = True
                if draft.kind != "rate":
                    continue
            if fig.role == "year_cap":     # per enterprise per year: it bounds the year's items together
                limit |= {"amount_yuan": fig.value, "minus_input": "awarded_this_year_yuan", "aggregate": True}
            else:
                limit |= {"rate": fig.value, "minus_input": "upper_subsidy_yuan"}
            draft.fields.setdefault("limits", []).append(limit)
            draft.figures.append(fig)
            used = True
    return used


def _stage(piece: Piece, fig: Figure, lex: Lexicon) -> str:
    """The stage of an instalment: the phrase before 先给予/再给予 (列入培育名单后 / 通过验收后)."""
    start, _ = piece.phrase_bounds(fig.start)
    verb = (lex.instalment_first.search(piece.text, start) or lex.instalment_then.search(piece.text, start))
    own = piece.text[start:verb.start()] if verb else ""
    if not own.strip(" （(，,"):
        prev_start, _ = piece.phrase_bounds(max(start - 1, 0))
        own = piece.text[prev_start:max(start - 1, 0)] if start else ""
    stage = clean_subject(re.sub(r"^[（(]|^若|^则", "", own.strip(" ，,")), lex)
    stage = re.sub(r"^(?:列入|纳入)?(?:后)?$", "", stage)
    return (stage if stage.endswith("后") else stage + "后") if stage else "首期"


_REST = "其余部分"


def _later_instalments(piece: Piece, then: list[Figure], targets: list[Draft], lex: Lexicon) -> bool:
    """再给予补助总额的60% in a later sentence: it names the stage of the rest of an earlier plan."""
    used = False
    for draft in targets:
        plan = draft.fields.get("instalments") or []
        if plan and plan[-1]["stage"] == _REST and plan[-1]["share"] == sum(f.value for f in then):
            draft.fields["instalments"] = plan[:-1] + [{"stage": _stage(piece, f, lex), "share": f.value}
                                                       for f in then]
            draft.figures.extend(then)
            used = True
    return used


def _instalments(piece: Piece, targets: list[Draft], lex: Lexicon) -> bool:
    first, then = piece.roles("first_share"), piece.roles("then_share")
    years = lex.instalment_years.search(piece.text)
    if years:
        shares = piece.roles("year_share")
        count = re.search(r"分([\d一二两三四五六七八九十]+)年", years.group())
        if count and chinese_int(count.group(1)) != len(shares):
            return False        # 分三年 with two shares: not a plan the drafter can read
        plan = [{"stage": f"第{i}年", "share": f.value} for i, f in enumerate(shares, start=1)]
    elif first:
        plan = [{"stage": _stage(piece, f, lex), "share": f.value} for f in [*first, *then]]
        if sum(step["share"] for step in plan) < 1:
            plan.append({"stage": _REST, "share": 1 - sum(step["share"] for step in plan)})
    elif then:
        return _later_instalments(piece, then, targets, lex)
    else:
        return False
    for draft in targets:
        draft.fields["instalments"] = plan
        draft.figures.extend([*first, *then, *piece.roles("year_share")])
    return bool(targets)


def _years(piece: Piece, targets: list[Draft], own: bool, lex: Lexicon) -> bool:
    for pattern in lex.max_years:
        m = pattern.search(piece.text)
        years = chinese_int(m.group("n")) if m else None
        if years:
            chosen = targets if own else [d for d in targets if d.pieces[0].sentence == piece.sentence]
            for draft in chosen:
                draft.fields["max_years"] = years
            return bool(chosen)
    return False


def _extras(piece: Piece, targets: list[Draft], lex: Lexicon) -> bool:
    extras = piece.roles("extra")
    fixed = [d for d in targets if d.kind == "fixed"]
    if not extras or not fixed:
        return False
    for fig in extras:
        start = piece.phrase_bounds(fig.start)[0]
        prior = piece.text[:start].split("，")[-2:] if start else []
        label = clean_subject("，".join(p for p in prior if p and not re.search(r"奖励\d", p)), lex)
        fixed[-1].fields.setdefault("extras", []).append({"label": label or "满足再奖励条件", "amount_yuan": fig.value})
        fixed[-1].figures.append(fig)
    return True


COST_INPUT = "actual_cost_yuan"


def _cost_limit(piece: Piece, targets: list[Draft], lex: Lexicon) -> bool:
    """…按最高20元/平方米•月的标准给予补助，但不超过实际租赁成本: a per-unit award at most the cost the applicant
    actually pays (an input: 实际租赁成本, per year when the amount per unit is)."""
    m = lex.actual_cost_cap.search(piece.text)
    units = [d for d in targets if d.kind == "per_unit" and not d.fields.get("unit_step")]
    if not m or not units:
        return False
    for draft in units:
        label = m.group("cost") + ("（每年）" if draft.fields.get("per_period") or draft.fields.get("max_years") else "")
        draft.fields.setdefault("limits", []).append({"label": m.group(), "rate": 1, "of_input": COST_INPUT,
                                                      "input_label": label})
    return True


def _quotas(piece: Piece, targets: list[Draft]) -> None:
    for fig in piece.roles("quota"):
        for draft in targets:
            draft.fields.setdefault("quotas", []).append({"label": _phrase(piece, fig), "amount_yuan": fig.value})


def _discretion(piece: Piece, targets: list[Draft], lex: Lexicon) -> None:
    """对投资额大…的重点总部企业引荐者，由领导小组研究决定扶持金额: a case the award before it does not
    compute, recorded as a note of that award (verbatim) — not its subject, not its quote."""
    if piece.figures or not lex.discretionary.search(piece.text):
        return
    note = "另有规定（金额不按本条计算）：" + lex.numbering.sub("", piece.text.strip())
    for draft in targets:
        draft.fields.setdefault("notes", []).append(note)


def apply_modifiers(piece: Piece, own: list[Draft], drafts: list[Draft], lex: Lexicon) -> bool:
    """Apply the modifiers of `piece`; True when a sentence without its own award modified earlier ones."""
    targets = _targets(piece, own, drafts)
    if not targets:
        return False
    if not own:
        _discretion(piece, targets, lex)
    caps = piece.roles("cap")
    if not own and caps and re.search(r"的\s*[，,]", piece.text[:caps[0].start]):
        return False          # 企业完成…的，…单品种最高奖励不超过300万元: its own award, not a limit of earlier ones
    if not own and caps and (re.search(r"分别", piece.text[:caps[0].start])
                             or re.match(r"\s*[、和及与]", piece.text[caps[0].end:])):
        return False          # 对存栏300头、500头…的，分别补贴不超过30万元、50万元和100万元: a list of its own awards
    used = [_caps(piece, targets, bool(own)), _limits(piece, targets), _instalments(piece, targets, lex),
            _years(piece, targets, bool(own), lex), _extras(piece, targets if own else targets[-1:], lex),
            _cost_limit(piece, targets, lex)]
    if own:
        _quotas(piece, own)
        return True
    if any(used):
        for draft in targets:
            if piece not in draft.pieces:
                draft.pieces.append(piece)
    return any(used)
