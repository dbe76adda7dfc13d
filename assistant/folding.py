"""A turn's reading folded into an item: shared by the conversation (assistant/understand.py,
where a follow-up's amount may replace the item's) and described profiles (assistant/profile_text.py,
each project read on its own)."""
from __future__ import annotations

from decimal import Decimal

from assistant.case import LIST_MARK, Item, Said
from assistant.lexicon import Lexicon
from assistant.reading import TurnReading


def fold_amounts(item: Item, r: TurnReading, continues: bool, lex: Lexicon | None = None) -> None:
    """The turn's amounts, rates, quantities, years and stage into the item (the conversation's
    current one, or one project of a described profile: `continues` False)."""
    by_role: dict[str, list] = {}
    for a in r.amounts:
        by_role.setdefault(a.role or "", []).append(a.value)
    base = next((role for role in item.amounts if role), None)
    if continues and base and lex is not None and base in lex.roles:
        # "那如果投资是1,350万呢？": a generic word for the item's own kind of amount replaces it
        family = lex.roles[base].family
        for name in [n for n in by_role if n in lex.roles and lex.roles[n].generic]:
            if family and lex.roles[name].family == family and base not in by_role:
                by_role[base] = by_role.pop(name)
    if continues and "" in by_role and base and base not in by_role:
        # "不对，是650万" / "如果是2000万呢": an amount saying nothing of itself replaces the item's
        # first amount; further bare amounts in the turn are only explanations
        by_role[base] = by_role.pop("")[:1]
        _replace_said(item, item.amounts[base], by_role[base][0])
    else:
        # a role said again replaces the item's amount of that role, and the words said for it
        item.said = [s for s in item.said if s.role not in by_role] + _said(r.amounts)
    if lex is not None:
        _sum_components(by_role, lex)
    if "no_upper_subsidy" in r.cues and "upper_subsidy" not in by_role:
        by_role["upper_subsidy"] = [Decimal(0)]
    item.amounts.update(by_role)
    item.worded.update(_worded(r.amounts))
    if len(r.amounts) > 1:
        item.across_enterprises = "items_are_enterprises" in r.cues
    item.below.update({a.role or "": a.value for a in r.below})
    item.rates.update(r.rates)
    _fold_counts(item, r)
    item.each_year = item.each_year or "each_year" in r.cues
    item.years = r.years or item.years
    item.stage = r.stage or item.stage


def _fold_counts(item: Item, r: TurnReading) -> None:
    """"不对，是5件": the turn's counts of a unit replace the item's earlier ones of that unit."""
    item.quantities.update(r.quantities)
    said = {c.unit for c in r.counts}
    item.counts = [c for c in item.counts if c.unit not in said] + list(r.counts)
    for unit in said - set(r.quantities):
        item.quantities.pop(unit, None)     # now counted several times: no single quantity


def _sum_components(by_role: dict[str, list], lex: Lexicon) -> None:
    """Components said one by one ("设备投资0.48亿元、软件投资1,400万元") are one amount of the
    whole they add up to, unless the whole is said itself."""
    wholes: dict[str, Decimal] = {}
    for name in [n for n in by_role if n in lex.roles and lex.roles[n].sums_into]:
        whole = lex.roles[name].sums_into
        wholes[whole] = wholes.get(whole, Decimal(0)) + sum(by_role.pop(name), Decimal(0))
    for whole, total in wholes.items():
        by_role.setdefault(whole, [total])


def _replace_said(item: Item, old: list[Decimal], new: Decimal) -> None:
    """A correction of the item's first amount corrects the words said for it too."""
    for i, said in enumerate(item.said):
        if old and said.value == old[0]:
            item.said[i] = said.model_copy(update={"value": new})
            return


def _said(amounts: list) -> list[Said]:
    """Every amount of the turn with its role and words; one listed after another ("分别是620万、
    260万元") takes the first one's words."""
    out: list[Said] = []
    for a in amounts:
        words = (a.words or "").strip()
        if words.strip("、和及与，, ") == "" and out:
            words = out[-1].words
        out.append(Said(value=a.value, role=a.role or "", words=words))
    return out


def _worded(amounts: list) -> dict[str, Decimal]:
    """What the user called each undescribed amount; an amount listed after another ("分别是620万、
    260万、140万元") takes the first one's words, numbered (LIST_MARK)."""
    out: dict[str, Decimal] = {}
    head, n = "", 0
    for a in amounts:
        words = (a.words or "").strip()
        if words.strip("、和及与，, ") == "" and head:
            n += 1
            words = f"{head}{LIST_MARK}{n}"
        else:
            head, n = words, 1
        if a.role is None and words:
            out[words] = a.value
    return out
