"""One-line Chinese descriptions of a rule's arithmetic, for listings and prompts. Pure."""
from __future__ import annotations

from calculators.amounts import format_percent, format_wan
from calculators.arithmetic import band_award, band_end
from calculators.models import Rule


def _rate_text(rule: Rule) -> str:
    base = rule.input(rule.base).label
    words = "不超过" if rule.is_maximum else ""
    text = f"按{base}的{words}{format_percent(rule.rate)}"
    if rule.base_cap:
        text += f"（{rule.base_cap.label}）"
    if rule.cap_yuan is not None:
        text += f"，最高{format_wan(rule.cap_yuan)}"
    if rule.min_base_yuan is not None:
        text += f"；{base}不低于{format_wan(rule.min_base_yuan)}方可申报"
    for limit in rule.limits:
        text += f"；{limit.label}"
    return text


def _based_text(rule: Rule) -> str:
    spec = rule.input(rule.base)
    if rule.kind == "per_unit" and rule.unit_step is not None:
        text = f"按{spec.label}每{band_end(rule.unit_step, spec.unit)}{format_wan(rule.unit_yuan)}"
        if rule.step_from:
            text = (f"{spec.label}{band_end(rule.step_from, spec.unit)}的{format_wan(rule.fixed_yuan or 0)}，超过部分"
                    f"每{band_end(rule.unit_step, spec.unit)}再加{format_wan(rule.unit_yuan)}")
    elif rule.kind == "per_unit":
        text = f"按{spec.label}每{spec.unit}{format_wan(rule.unit_yuan)}"
    else:
        chooser = rule.input(rule.band_input or rule.base)
        text = f"按{chooser.label}分档：" + " / ".join(_band(b, chooser.unit) for b in rule.bands)
        if rule.progressive:
            text = f"按{chooser.label}分段累进：" + " / ".join(_part(b) for b in rule.bands)
        if rule.band_input:
            text += f"（比例按{spec.label}计）"
    if rule.cap_yuan is not None:
        text += f"，最高{format_wan(rule.cap_yuan)}"
    return text


def _band(band, unit: str) -> str:
    low = band_end(band.min_yuan, unit) + ("以上" if band.include_min else "（不含）以上")
    high = f"至{band_end(band.max_yuan, unit)}{'（含）' if band.include_max else '（不含）'}" if band.max_yuan else ""
    return f"{low}{high}{band_award(band, unit)}"


def _part(band) -> str:
    high = f"至{format_wan(band.max_yuan)}" if band.max_yuan is not None else "以上"
    return f"{format_wan(band.min_yuan) if band.min_yuan else '0'}{high}的部分{format_percent(band.rate)}"


def describe(rule: Rule) -> str:
    """E.g. “按设备、软件实际投资额的不超过30%，最高500万元” or “定额奖励100万元（分期：50% / 50%）”."""
    if rule.kind == "rate":
        text = _rate_text(rule)
    elif rule.kind == "fixed":
        text = f"定额奖励{format_wan(rule.fixed_yuan)}"
        text += "".join(f"；若{e.label}，再奖励{format_wan(e.amount_yuan)}" for e in rule.extras)
    elif rule.kind in ("bands", "per_unit"):
        text = _based_text(rule)
    else:
        text = f"按{rule.tier_label}：" + " / ".join(f"{t.value}{format_wan(t.amount_yuan)}" for t in rule.tiers)
    if rule.instalments:
        text += "（分期拨付：" + "，".join(f"{i.stage}{format_percent(i.share)}" for i in rule.instalments) + "）"
    if rule.max_years:
        text += f"；按年度计算，最长{rule.max_years}年"
    if rule.recipient:
        text += f"；给予{rule.recipient}"
    return text


def fact_names(rule: Rule) -> list[str]:
    """Every fact the rule asks about (conditions, extras, tier), in order, without duplicates."""
    names = [c.fact for c in rule.conditions] + [e.fact for e in rule.extras]
    if rule.tier_fact:
        names.append(rule.tier_fact)
    return list(dict.fromkeys(names))


def fact_label(rule: Rule, name: str) -> str:
    for item in [*rule.conditions, *rule.extras]:
        if item.fact == name:
            return item.label
    return rule.tier_label if name == rule.tier_fact else name
