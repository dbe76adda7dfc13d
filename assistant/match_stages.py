"""What of a match is payable when, and what the declaration year rules out.

Instalments by stage (先给予补助总额的50%；项目通过验收后，再给予50%): an award's instalment whose
stage names acceptance (knowledge/lexicon.yaml ``stages.accepted``) is payable only once the
project has passed it; the others are payable now, or already paid when the project says the
first instalment came (``first_paid``). The total stays the award's full amount; the parts say
now / later / paid.

The declaration year (申报年度): a document issued after it, or valid only until an earlier year
(meta ``valid_until``), does not fit; nor does a recognition said to date from after it, or one
whose validity (knowledge/facts.yaml ``valid_years``) ends before it. Such awards are flagged
(``missing_facts`` with the reason), never added to the total. A document that may have expired
by now still counts for a declaration year within its own period (issued 2018, valid until 2020:
申报年度2019年 fits).

A project that failed acceptance (stage ``failed``: 验收没通过, 达不到验收标准) gets nothing of an
award the clause recovers in full then (rule ``forfeited_if_failed``: 达不到验收标准的，全额收回).
"""
from __future__ import annotations

from decimal import Decimal

from assistant.calculations import yuan_int
from assistant.match_model import StagePart

WHEN = ("paid", "now", "later")


def stage_parts(instalments, amount: Decimal | None, stage: str | None, accepted_words: list[str]) -> list[StagePart]:
    """The award's parts by when they are payable, for a project at `stage`."""
    if amount is None:
        return []
    if not instalments:
        return [StagePart(stage="获批后", amount_yuan=yuan_int(amount), when="now")]
    out = []
    for index, inst in enumerate(instalments):
        after_acceptance = any(w in inst.stage for w in accepted_words)
        if stage == "accepted":
            when = "now"
        elif after_acceptance:
            when = "later"
        else:
            when = "paid" if stage == "first_paid" and index == 0 else "now"
        out.append(StagePart(stage=inst.stage, share=inst.share, amount_yuan=inst.amount_yuan, when=when))
    return out


def payable(awards) -> dict[str, int]:
    """The selected awards' parts added up by when: {"paid": …, "now": …, "later": …}."""
    out = dict.fromkeys(WHEN, 0)
    for a in awards:
        for part in a.payable:
            out[part.when] += part.amount_yuan
    return out


def year_misfit(declaration_year: int | None, meta, facts: dict, years: dict, specs) -> str | None:
    """Why the award does not fit the declaration year, or None."""
    if declaration_year is None:
        return None
    if meta.year and meta.year > declaration_year:
        return f"文件于{meta.year}年印发，晚于申报年度{declaration_year}年"
    until = getattr(meta, "valid_until", None)
    if until and until < declaration_year:
        return f"文件有效期至{until}年，申报年度{declaration_year}年已不在有效期内"
    for name, year in years.items():
        if facts.get(name) is not True or name not in specs:
            continue
        label = specs[name].label or name
        if year > declaration_year:
            return f"“{label}”于{year}年认定，晚于申报年度{declaration_year}年"
        valid = specs[name].valid_years
        if valid and year + valid < declaration_year:
            return f"“{label}”于{year}年认定，有效期{valid}年，至申报年度{declaration_year}年已过有效期，请确认是否已复核或重新认定"
    return None


def in_force(meta, declaration_year: int | None) -> bool:
    """The document was in force in the declaration year: issued by then and valid until then
    (meta ``year`` and ``valid_until``); unknown without a declaration year or an end year."""
    until = getattr(meta, "valid_until", None)
    if declaration_year is None or until is None:
        return False
    return (meta.year or declaration_year) <= declaration_year <= until


def forfeited(rule, stage: str | None) -> str | None:
    """Why the project gets nothing of the award at its stage, or None."""
    if stage != "failed" or not getattr(rule, "forfeited_if_failed", False):
        return None
    return "项目未通过验收，按本条“达不到验收标准的，全额收回”，奖补为0（已拨付的须退回）"
