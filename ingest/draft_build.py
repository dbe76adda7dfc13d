"""A draft as a typed ``Rule``: inputs, conditions, title, keywords, quote and worked examples.

The examples' amounts are computed here from the draft's own reading of the sentence (plain
arithmetic, not the calculator); ``ingest/draft_check.py`` then recomputes them with the
calculator, so a draft the calculator reads differently is caught.
"""
from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal

from pydantic import ValidationError

from calculators.models import Rule
from ingest.clauses import Clause
from ingest.draft_conditions import threshold_conditions
from ingest.draft_pieces import Draft, Undraftable, input_name
from ingest.draft_text import Lexicon


def _inputs(draft: Draft, lex: Lexicon) -> tuple[list[dict], str | None]:
    if draft.kind == "per_unit" and draft.unit is None:       # 每超过1亿元: money counted in steps
        name = input_name(draft.base_label, lex)
        return [{"name": name, "label": draft.base_label}], name
    if draft.kind == "per_unit" or (draft.kind == "bands" and draft.unit):
        name = lex.quantity_inputs.get(draft.unit, "quantity")
        label = f"{draft.base_label}（{draft.unit}）" if draft.base_label else f"数量（{draft.unit}）"
        return _limit_inputs(draft, [{"name": name, "label": label, "unit": draft.unit}]), name
    if draft.kind not in ("rate", "bands"):
        return [], None
    name = input_name(draft.base_label, lex)
    inputs = [{"name": name, "label": draft.base_label}]
    if draft.fields.get("band_measure"):      # bands chosen by another amount than the rate's base
        measure = draft.fields["band_measure"]
        other = input_name(measure, lex)
        inputs.append({"name": other if other != name else "band_yuan", "label": measure})
    if draft.fields.get("base_cap"):
        inputs.append({"name": "insured_amount_yuan", "label": "保险金额（投保金额）", "required": False})
    return _limit_inputs(draft, inputs), name


_OPTIONAL = {"received_yuan": "已获得的相关奖补金额", "awarded_this_year_yuan": "本企业本年度已获同类奖补金额",
             "upper_subsidy_yuan": "该项目已获得的上级补助资金"}


def _limit_inputs(draft: Draft, inputs: list[dict]) -> list[dict]:
    """`inputs` with the optional amounts the draft's limits subtract (已获得的相关奖补金额 …)."""
    for limit in draft.fields.get("limits", []):
        minus = limit.get("minus_input")
        if minus and minus not in {i["name"] for i in inputs}:
            inputs.append({"name": minus, "label": _OPTIONAL[minus], "required": False})
        of = limit.get("of_input")
        if of and of not in {i["name"] for i in inputs}:
            inputs.append({"name": of, "label": limit["input_label"], "required": False})
    return inputs


def _keywords(draft: Draft) -> list[str]:
    parts = re.split(r"[、，,和及或与（）()“”\"的]|经|认定|获得|入选|对", draft.subject)
    words = [p for p in parts if 2 <= len(p) <= 12 and re.search(r"[\u4e00-\u9fff]", p)]
    return list(dict.fromkeys([*words[:6], draft.award_word]))


def _quote(draft: Draft, clause_text: str) -> str:
    pieces = sorted(draft.pieces, key=lambda p: p.start)
    text, end = "", None
    if draft.lead:            # the sentence of an earlier clause it starts with, then "……"
        text, end = draft.lead[1].text.strip(), -1
    elif draft.prefix is not None and draft.prefix.end <= pieces[0].start:   # the colon's lead of its sentence
        text, end = clause_text[draft.prefix.start:draft.prefix.end].strip(), -1
    for piece in pieces:
        if end is not None and piece.start != end:
            text += "……"
        text += clause_text[piece.start:piece.end].strip()
        end = piece.end
    return text


def expected(rule: dict, base: Decimal, cost: Decimal | None = None) -> Decimal:
    """The award for `base` as the draft reads it: min(product, cap, every limit's bound; the actual cost if given)."""
    if rule["kind"] == "per_unit":
        product = min(base, rule.get("base_max_yuan") or base) * rule["unit_yuan"]
    else:
        product = base * rule["rate"]
    bounds = [product]
    if rule.get("cap_yuan"):
        bounds.append(rule["cap_yuan"])
    for limit in rule.get("limits", []):
        if rule["kind"] == "per_unit" and limit.get("minus_input"):
            continue        # noted, not applied, until what it subtracts is given (calculators/arithmetic.py)
        if not limit.get("of_input"):
            bounds.append(limit["amount_yuan"] if limit.get("amount_yuan") else base * limit["rate"])
        elif cost is not None:
            bounds.append(cost * limit["rate"])
    return min(bounds).quantize(Decimal("0.01"))


def _progressive_award(rule: dict, base: Decimal) -> Decimal:
    """分段累进 as the draft reads it: each part of `base` at its band's rate, added up, capped."""
    amount = Decimal(0)
    for band in rule["bands"]:
        top = base if band.get("max_yuan") is None else min(base, band["max_yuan"])
        amount += max(top - band.get("min_yuan", Decimal(0)), Decimal(0)) * band["rate"]
    if rule.get("cap_yuan"):
        amount = min(amount, rule["cap_yuan"])
    return amount.quantize(Decimal("0.01"))


def _progressive_examples(rule: dict, base_name: str) -> list[dict]:
    """A base inside every part, and one far above the top part's start (where a cap bites)."""
    bases = [((b.get("min_yuan", Decimal(0)) + b["max_yuan"]) / 2).quantize(Decimal(1))
             for b in rule["bands"] if b.get("max_yuan") is not None]
    bases.append(rule["bands"][-1]["min_yuan"] * 3)
    return [{"inputs": {base_name: base}, "amount_yuan": _progressive_award(rule, base)} for base in bases]


def _band_award(rule: dict, band: dict, base: Decimal) -> Decimal:
    if band.get("amount_yuan"):
        amount = band["amount_yuan"]
    elif band.get("rate") and rule.get("base_max_yuan"):
        amount = min(base, rule["base_max_yuan"]) * band["rate"]
    else:
        amount = base * (band.get("rate") or band["unit_yuan"])
    if rule.get("cap_yuan"):
        amount = min(amount, rule["cap_yuan"])
    return amount.quantize(Decimal("0.01"))


def _band_examples(rule: dict, base_name: str, quantity: bool) -> list[dict]:
    """One base inside every band, and one below the lowest band when it starts above zero."""
    step = Decimal(1) if quantity else Decimal(10_000)
    chooser = rule.get("band_input") or base_name
    examples = []
    for band in rule["bands"]:
        low, high = band.get("min_yuan", Decimal(0)), band.get("max_yuan")
        if low == 0:
            base = (high / 2).quantize(Decimal(1))
        else:
            base = low if band.get("include_min", True) else low + step
            if high is not None and base >= high:
                base = (low + high) / 2
        examples.append({"inputs": {chooser: base}, "amount_yuan": _band_award(rule, band, base)})
        if chooser != base_name:       # the rate's own base: within and above its counted maximum
            for own in (Decimal(500_000), Decimal(3_000_000)):
                examples.append({"inputs": {chooser: base, base_name: own}, "amount_yuan": _band_award(rule, band, own)})
            examples.pop(-3)
    lowest = min(b.get("min_yuan", Decimal(0)) for b in rule["bands"])
    if lowest > 0:
        extra = {base_name: Decimal(500_000)} if chooser != base_name else {}
        examples.append({"inputs": {chooser: lowest / 2, **extra}, "eligible": False, "amount_yuan": Decimal(0)})
    return examples


def _step_examples(rule: dict, base_name: str) -> list[dict]:
    """At the start, two and a half steps above it (whole steps only), and below the start when there is one."""
    start, step = rule.get("step_from") or Decimal(0), rule["unit_step"]
    examples = []
    money = rule["inputs"][0].get("unit", "元") == "元"
    for base in (start or step, start + step * (Decimal("2.5") if money else 3)):
        steps = ((base - start) / step).to_integral_value(rounding=ROUND_DOWN)
        amount = rule.get("fixed_yuan", Decimal(0)) + steps * rule["unit_yuan"]
        amount = min(amount, rule["cap_yuan"]) if rule.get("cap_yuan") else amount
        examples.append({"inputs": {base_name: base}, "amount_yuan": amount.quantize(Decimal("0.01"))})
    if rule.get("cap_yuan"):
        base = start + step * (rule["cap_yuan"] / rule["unit_yuan"] + 1).to_integral_value(rounding=ROUND_DOWN)
        examples.append({"inputs": {base_name: base}, "amount_yuan": rule["cap_yuan"]})
    if start:
        examples.append({"inputs": {base_name: start / 2}, "eligible": False, "amount_yuan": Decimal(0)})
    return examples


def _examples(rule: dict, base_name: str | None) -> list[dict]:
    kind = rule["kind"]
    if rule.get("unit_step"):
        return _step_examples(rule, base_name)
    if kind == "bands" and rule.get("progressive"):
        return _progressive_examples(rule, base_name)
    if kind == "bands":
        return _band_examples(rule, base_name, rule["inputs"][0].get("unit", "元") != "元")
    if kind == "fixed":
        return [{"amount_yuan": rule["fixed_yuan"]}]
    if kind == "tiers":
        return [{"facts": {rule["tier_fact"]: t["value"]}, "amount_yuan": t["amount_yuan"]} for t in rule["tiers"]]
    factor = rule["unit_yuan"] if kind == "per_unit" else rule["rate"]
    cap = rule.get("cap_yuan")
    bases = [Decimal(10), Decimal(1000)] if kind == "per_unit" and not cap else []
    if cap:
        step = Decimal(10_000) if kind != "per_unit" else Decimal(1)
        bases = [max(step, (cap / factor / 2 / step).quantize(Decimal(1)) * step),
                 (cap / factor * 2 / step).quantize(Decimal(1)) * step + step]
    elif kind == "rate":
        bases = [Decimal(1_000_000), Decimal(10_000_000)]
    low = rule.get("min_base_yuan")
    examples = []
    for base in bases:
        base = max(base, low) if low else base
        examples.append({"inputs": {base_name: base}, "amount_yuan": expected(rule, base)})
    if low:
        examples.append({"inputs": {base_name: low / 2}, "eligible": False, "amount_yuan": Decimal(0)})
    for limit in [lim for lim in rule.get("limits", []) if lim.get("of_input")][:1]:   # the actual cost lower
        cost = (examples[0]["amount_yuan"] / 2).quantize(Decimal(1))
        examples.append({"inputs": {**examples[0]["inputs"], limit["of_input"]: cost},
                         "amount_yuan": expected(rule, examples[0]["inputs"][base_name], cost)})
    return examples


def compact(text: str) -> str:
    """Line breaks and spaces inside Chinese words of the source (年度纳税 额) removed, for labels."""
    return re.sub(r"(?<=[\u4e00-\u9fff\d%])\s+(?=[\u4e00-\u9fff\d])|(?<=[\u4e00-\u9fff])\s+(?=[(（])", "", text)


def _title(draft: Draft) -> str:
    subject = re.split(r"[，,]", compact(draft.subject))[0]
    subject = subject if len(subject) <= 24 else subject[:24] + "…"
    if draft.variant and draft.variant not in subject and len(draft.variant) <= 16:
        subject = f"{subject}（{compact(draft.variant)}）"      # siblings under one lead: 参加一般性境外展（亚洲地区以外）
    return f"{subject}{draft.award_word}" if subject else f"{draft.award_word}（自动起草）"


_NO_CAP = "条款未写明上限（最高金额）：按比例计算，不设封顶"


def _uncapped(draft: Draft, lex: Lexicon) -> None:
    """A rate without a cap is drafted when its base is a growth (新增地方财政贡献的70%) or is named before
    it and an award word follows (按照市级奖励金额的10%给予奖励); never a tax rate or a share-out."""
    growth = bool(lex.growth_base.search(draft.base_label or ""))
    piece, rate = draft.pieces[0], draft.figures[0]
    awarded = lex.award_words.search(piece.text[rate.end:]) and not lex.not_award_rate.search(piece.text)
    if not growth and not (draft.named_base and awarded):
        raise Undraftable("比例没有写明上限（最高金额），且未写明按什么金额给予奖补，不按无上限起草")
    if not growth:
        draft.fields.setdefault("notes", []).append(_NO_CAP)
    if lex.yoy_growth.search(draft.base_label or ""):
        draft.fields.setdefault("notes", []).append(f"计算基数为{draft.base_label}（本年度数额减去上年度数额），不是本年度全额")


def _recipient(draft: Draft, lex: Lexicon) -> str | None:
    """Who the phrase of the draft's award grants it to (给予个人10万元安家费 → 个人), if it says."""
    if not draft.figures:
        return None
    piece = next((p for p in draft.pieces if draft.figures[0].text in p.text), draft.pieces[0])
    start, end = piece.phrase_bounds(draft.figures[0].start)
    found = lex.recipient.search(piece.text[start:end])
    return found.group("who") if found else None


def _rule_fields(draft: Draft) -> dict:
    """The draft's arithmetic fields as the Rule has them (the drafter's own notes of them dropped)."""
    fields = {k: v for k, v in draft.fields.items() if k not in ("grades", "full_cost", "tier_name", "band_measure",
                                                                     "per_period")}
    if fields.get("base_cap"):
        fields["base_cap"] = {"input": "insured_amount_yuan", **fields["base_cap"]}
    if fields.get("limits"):
        fields["limits"] = [{k: v for k, v in lim.items() if k != "input_label"} for lim in fields["limits"]]
    return fields


def build_rule(draft: Draft, rule_id: str, doc_id: str, clause: Clause, region: str, lex: Lexicon) -> Rule:
    """The draft as a validated Rule (status draft); Undraftable when it does not validate."""
    if draft.kind == "rate" and not draft.fields.get("cap_yuan") and not draft.fields.get("base_cap"):
        _uncapped(draft, lex)
    if draft.kind == "per_unit" and draft.fields.get("cap_yuan") and draft.fields["cap_yuan"] < draft.fields["unit_yuan"]:
        raise Undraftable("上限低于一个单位的金额，上限应属同句另一项奖补")
    inputs, base = _inputs(draft, lex)
    fields = _rule_fields(draft)
    record = {
        "id": rule_id, "doc_id": doc_id, "clause": clause.label, "quote": _quote(draft, clause.text),
        "title": _title(draft), "region": region, "keywords": _keywords(draft), "kind": draft.kind,
        "status": "draft", "inputs": inputs,
        "conditions": [{"fact": f"{rule_id}_eligible", "label": compact(draft.subject) or f"符合{clause.label}规定的条件"}],
        **fields,
    }
    if base:
        record["base"] = base
    if draft.fields.get("band_measure"):
        record["band_input"] = inputs[1]["name"]
    if draft.lead:
        record["quote_clauses"] = [draft.lead[0].label]
    if draft.kind == "tiers":
        name = draft.fields.get("tier_name", "获奖等次")
        record |= {"tier_fact": f"{rule_id}_grade", "tier_label": f"{name}（" + "、".join(draft.fields["grades"]) + "）"}
    for n, extra in enumerate(record.get("extras", []), start=1):
        extra["fact"] = f"{rule_id}_extra{n}"
    if draft.kind == "rate":
        record.setdefault("is_maximum", bool(re.search(r"不超过|最高", draft.pieces[0].text)))
    who = _recipient(draft, lex)
    if who:
        record["recipient"] = who
    record["examples"] = _examples(record, base)
    try:
        rule = Rule.model_validate(record)
        extra = threshold_conditions(rule)      # 单套价格达到200万元人民币及以上: a condition of its own
        return Rule.model_validate({**record, "conditions": [*record["conditions"], *extra]}) if extra else rule
    except ValidationError as err:
        problems = "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()[:3])
        raise Undraftable(f"起草的规则不完整：{problems}") from None
