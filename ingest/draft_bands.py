"""Awards for a band of an amount or a quantity that the sentence's subject states.

当年营业收入1亿（含）至5亿元的，给予100万元的奖励；… 10亿元（含）以上的，给予300万元 — each draft whose
subject states one threshold on a measure gets that band (``band_of``); consecutive drafts of a
clause banded on the same measure become one ``bands`` draft (``group_bands``), and a single
banded draft a one-band rule (its minimum). A base in a foreign currency is a quantity in that
currency (实缴注册外资1000万（含）至2000万美元: bands of 美元, never converted). A band that cannot be
computed (a per-unit award with a money threshold, overlapping bands) makes its drafts undraftable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from calculators.amounts import find_amounts
from ingest.draft_pieces import Draft, Undraftable, clean_subject, input_name, subject_before, tier_values
from ingest.draft_text import Lexicon, Piece, chinese_int

_COMMA = re.compile(r"[，,；;：:]")
_UPPER_END = re.compile(r"^(?:不超过|不高于|低于|不足|少于|小于)?\d+(?:\.\d+)?\s*[万亿]?元?(?:人民币)?(?:（含）)?(?:以下|以内)?的")


@dataclass
class Band:
    measure: str
    unit: str                      # 元, a quantity unit (亩, 平方米, 人) or a foreign currency (美元 …: never converted)
    low: Decimal = Decimal(0)
    low_incl: bool = True
    high: Decimal | None = None
    high_incl: bool = False
    explicit_high: bool = False    # （含500万元） / 以下: the upper end's inclusion is stated
    values: list[Decimal] = field(default_factory=list)


@dataclass
class _Token:
    start: int
    end: int
    value: Decimal
    unit: str


def _tokens(text: str, lex: Lexicon) -> list[_Token]:
    found = [_Token(m.start, m.end, m.value, "元") for m in find_amounts(text)]
    units = f"{lex.units.pattern}|{lex.band_units.pattern}"
    for m in re.finditer(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:[—\-－~～]|至|到)\s*\d+(?:\.\d+)?\s*(?P<u>{units})", text):
        found.append(_Token(m.start(), m.end(1), Decimal(m.group(1)), m.group("u")))   # 100—500亩
    for m in re.finditer(rf"(?<![\d.每])(\d+(?:\.\d+)?)\s*(?P<u>{units})", text):
        if not re.match(r"\s*[/／]", text[m.end():]) and not re.search(r"每\s*$", text[:m.start()]):
            found.append(_Token(m.start(), m.end(), Decimal(m.group(1)), m.group("u")))
    for m in lex.foreign_amount.finditer(text):
        found.append(_Token(m.start(), m.end(), _foreign_value(m.group()), _currency(m.group())))
    found.sort(key=lambda t: t.start)
    kept: list[_Token] = []
    for tok in found:      # 200万美元: the amount finder skips it, the quantity finder may not
        if kept and tok.start < kept[-1].end:
            if tok.unit in CURRENCIES:
                kept[-1] = tok
            continue
        kept.append(tok)
    for low, high in zip(kept, kept[1:], strict=False):   # 1000万（含）至2000万美元: the low end's currency
        if low.unit == "元" and high.unit in CURRENCIES and lex.band_joiner.fullmatch(text[low.end:high.start].strip()):
            low.unit = high.unit
    return kept


CURRENCIES = {"美元": "美元", "美金": "美元", "欧元": "欧元", "日元": "日元", "英镑": "英镑", "港元": "港元", "港币": "港元"}


def _currency(text: str) -> str:
    return next(v for k, v in CURRENCIES.items() if text.endswith(k))


def _foreign_value(text: str) -> Decimal:
    """200万美元 -> 2000000 (in the currency: never converted)."""
    m = re.match(r"(\d+(?:\.\d+)?)\s*([万亿]?)", text)
    return Decimal(m.group(1)) * {"万": Decimal(10_000), "亿": Decimal(100_000_000)}.get(m.group(2), Decimal(1))


def _measure(phrase: str, lex: Lexicon) -> str:
    text = re.sub(rf"(?:{lex.band_low_before.pattern}|{lex.band_high_before.pattern}|在|为|是)+$", "", phrase)
    text = clean_subject(text, lex)
    return re.sub(r"^(?:对|凡|其中|并且|且|并|按照|按)", "", text).strip(" 　")


def band_of(text: str, lex: Lexicon) -> Band | None:
    """The band the subject `text` states (…1亿（含）至5亿元的 / …200亩以上的), None when it states none."""
    tokens = _tokens(text, lex)
    marks = [t for t in tokens if re.search(r"[（(]含\s*$", text[:t.start])]
    tokens = [t for t in tokens if t not in marks]
    if len(tokens) == 2 and _COMMA.search(text[tokens[0].end:tokens[1].start]):
        return _split_band(text, tokens, lex)
    if not tokens or len(tokens) > 2 or _COMMA.search(text[tokens[0].start:tokens[-1].end]):
        return None
    first, last = tokens[0], tokens[-1]
    phrase_start = max((m.end() for m in _COMMA.finditer(text, 0, first.start)), default=0)
    before, after = text[phrase_start:first.start], text[last.end:]
    band = Band(_measure(before, lex), first.unit, values=[t.value for t in tokens])
    if len(tokens) == 2:
        joiner = text[first.end:last.start]
        if last.unit != first.unit or not lex.band_joiner.fullmatch(joiner.strip()):
            return None
        band.low, band.high = first.value, last.value
        band.low_incl = not re.search(rf"(?:{lex.band_low_excl.pattern})$", before)
        inside = re.search(r"[（(](不?)含[）)]", text[last.start:last.end])    # 2000万（不含）美元
        band.high_incl = bool(marks) or bool(lex.band_incl_after.match(after)) or bool(inside and not inside.group(1))
        band.explicit_high = band.high_incl or bool(inside)
        return band
    if lex.band_low_after.match(after) or re.search(rf"(?<!不)(?:{lex.band_low_before.pattern})$", before):
        band.low = first.value
        band.low_incl = not re.search(rf"(?:{lex.band_low_excl.pattern})$", before)
        return band
    if lex.band_high_after.match(after) or re.search(rf"(?:{lex.band_high_before.pattern})$", before):
        band.high = first.value
        band.high_incl = not re.search(rf"(?:{lex.band_high_excl.pattern})$", before)
        band.explicit_high = True
        return band
    return None


def _split_band(text: str, tokens: list[_Token], lex: Lexicon) -> Band | None:
    """达5亿元（含）以上，10亿以下的: the two ends of one band in two phrases of the same measure."""
    low, high = tokens
    between, after = text[low.end:high.start], text[high.end:]
    lower = lex.band_low_after.match(between)
    if low.unit != high.unit or not lower or not _COMMA.fullmatch(between[lower.end():].strip(" 且")[:1] or "x"):
        return None
    rest = between[lower.end():].strip(" ，,且")
    upper = lex.band_high_after.match(after) if not rest else re.fullmatch(lex.band_high_before.pattern, rest)
    if not upper or high.value <= low.value:
        return None
    first = band_of(text[:between.index(lower.group()) + low.end + len(lower.group())], lex)
    if first is None:
        return None
    first.high, first.values = high.value, [low.value, high.value]
    first.high_incl = bool(rest) and not re.fullmatch(lex.band_high_excl.pattern, rest) or \
        bool(lex.band_incl_after.match(after))
    first.explicit_high = True
    return first


def _compatible(a: Band, b: Band) -> bool:
    if a.unit != b.unit:
        return False
    if not a.measure or not b.measure:
        return True
    x, y = a.measure, b.measure
    if x.endswith(y) or y.endswith(x):
        return True
    # 年销售额 / 当年销售额: one measure; 批发企业年销售额 / 零售企业年零售额: two (a different subject named)
    return x[-2:] == y[-2:] and not _own_subjects(x, y)


def _own_subjects(x: str, y: str) -> bool:
    """Each measure names its own kind of applicant (批发企业… / 零售企业…) before the amount."""
    who = re.compile(r"^(.{1,8}?(?:企业|机构|单位|项目|园区|楼宇|市场))")
    mx, my = who.match(x), who.match(y)
    return bool(mx and my and mx.group(1) != my.group(1))


def _close(bands: list[Band]) -> None:
    """Give each band its upper end (the next band's lower end) and settle shared ends."""
    ordered = sorted(bands, key=lambda b: b.low)
    for low, high in zip(ordered, ordered[1:], strict=False):
        if low.high is None:
            low.high, low.high_incl = high.low, not high.low_incl
        elif low.high < high.low and not low.explicit_high:
            low.high_incl = True    # 20-25户、26-30户: counted in whole units, the upper end is in its band
        elif low.high == high.low and low.high_incl and high.low_incl:
            if low.explicit_high:
                high.low_incl = False
            else:
                low.high_incl = False


def _band_record(band: Band, draft: Draft) -> dict:
    record = {"min_yuan": band.low, "include_min": band.low_incl, "include_max": band.high_incl}
    if band.high is not None:
        record["max_yuan"] = band.high
    if draft.kind == "fixed":
        record["amount_yuan"] = draft.fields["fixed_yuan"]
    elif draft.kind == "per_unit":
        record["unit_yuan"] = draft.fields["unit_yuan"]
    else:
        record["rate"] = draft.fields["rate"]
    return record


def _merge(run: list[tuple[Draft, Band]], lex: Lexicon) -> Draft:
    bands = [b for _, b in run]
    kinds = {d.kind for d, _ in run}
    unit = bands[0].unit
    if (unit == "元" and "per_unit" in kinds) or ("rate" in kinds and unit != "元"):
        raise Undraftable("分档的计量单位与奖补单价不一致")
    if "rate" in kinds and kinds != {"rate"}:
        raise Undraftable("分档中既有比例又有定额，无法确定计算方式")
    if len(bands) == 1 and bands[0].low == 0:
        raise Undraftable("只写明了上限门槛，没有写明起点")
    _close(bands)
    first = run[0][0]
    measure = next((b.measure for b in bands if b.measure), "")
    if not measure:
        raise Undraftable("分档的计量对象（按什么金额或数量分档）不明")
    fields = {"bands": sorted((_band_record(b, d) for d, b in run), key=lambda r: r["min_yuan"])}
    for key in ("cap_yuan", "limits", "instalments", "max_years", "quotas", "base_max_yuan"):
        values = {repr(d.fields.get(key)) for d, _ in run}
        if len(values) > 1:
            raise Undraftable("各档的上限、限额或分期写法不一致，无法合并为一条分档规则")
        if first.fields.get(key) is not None:
            fields[key] = first.fields[key]
    if any(d.fields.get("extras") for d, _ in run):
        raise Undraftable("分档奖励另有追加奖励，无法合并")
    fields["is_maximum"] = any(d.fields.get("is_maximum") for d, _ in run)
    label = measure
    if kinds == {"rate"} and first.base_label and input_name(first.base_label, lex) != input_name(measure, lex):
        fields["band_measure"], label = measure, first.base_label    # 按投资额分档，按中介服务费用计
    merged = Draft("bands", [], without_band(first.subject, bands[0]), first.award_word, fields,
                   base_label=label, unit=None if unit == "元" else unit)
    merged.prefix = first.prefix
    for draft, _ in run:
        merged.pieces.extend(p for p in draft.pieces if p not in merged.pieces)
        merged.figures.extend(draft.figures)
    return merged


def without_band(subject: str, band: Band) -> str:
    """The subject without the phrase stating the band (the band is now data)."""
    phrases = [p for p in re.split(r"[，,]", subject) if p.strip()]
    if band.high is not None and len(phrases) > 1:      # 达5亿元（含）以上，10亿以下的融资租赁企业: the upper end's phrase
        phrases[1:] = [_UPPER_END.sub("", p) for p in phrases[1:]]
    kept = [p for p in phrases if not re.search(r"\d", p) or (band.measure and band.measure not in p)]
    if not kept and phrases:        # 固定资产投资10亿元以上、…的重点工业项目: who it is for, after the bands
        tail = phrases[0].rsplit("的", 1)[-1] if "的" in phrases[0] else ""
        return "" if re.search(r"\d", tail) else tail
    return "，".join(kept) if len(kept) < len(phrases) else re.split(r"\d", subject)[0].rstrip("在达到超过为")


def group_bands(drafts: list[Draft], lex: Lexicon) -> tuple[list[Draft], dict[int, str]]:
    """Runs of banded drafts merged into bands drafts; (drafts, id(piece) -> reason) for those dropped."""
    out: list[Draft] = []
    failed: dict[int, str] = {}
    run: list[tuple[Draft, Band]] = []

    def flush() -> None:
        if not run:
            return
        try:
            out.append(_merge(run, lex))
        except Undraftable as why:
            for draft, _ in run:
                failed.setdefault(id(draft.pieces[0]), str(why))
        run.clear()

    for draft in drafts:
        band = draft.band
        if band is None or draft.kind not in ("fixed", "rate", "per_unit"):
            flush()
            out.append(draft)
            continue
        if run and not _compatible(run[-1][1], band):
            flush()
        run.append((draft, band))
    flush()
    return out, failed


def subject_band(piece: Piece, span: tuple[int, int], lex: Lexicon) -> Band | None:
    return band_of(piece.text[span[0]:span[1]], lex)


def _top_items(text: str) -> list[str]:
    """The items of an enumeration (、) outside brackets."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif ch == "、" and depth == 0:
            items.append(text[start:i])
            start = i + 1
    return [*items, text[start:]]


def enumerated_ranges(text: str, count: int, lex: Lexicon) -> list[Band] | None:
    """固定资产投资10亿元以上、5亿元以上到10亿元、1亿元到5亿元的 …，分别…: one band per item, the
    measure named once (first item); None unless one phrase has `count` items, each a band of one unit."""
    phrase = next((p for p in _COMMA.split(text) if "、" in p and re.search(r"\d", p)), None)
    items = _top_items(phrase) if phrase else []
    if len(items) != count:
        return None
    bands = [band_of(item, lex) for item in items]
    if any(b is None for b in bands) or len({b.unit for b in bands}) != 1 or not bands[0].measure:
        return None
    for band in bands[1:]:
        band.measure = bands[0].measure
    return bands


def _enumerated(text: str, count: int, lex: Lexicon) -> list[Band] | None:
    """首次超过1.5亿元、3亿元、5亿元的，分别…: one lower end per item of the enumeration."""
    tokens = [t for t in _tokens(text, lex) if not re.search(r"[（(]含\s*$", text[:t.start])]
    if len(tokens) != count or len({t.unit for t in tokens}) != 1:
        return None
    between = text[tokens[0].end:tokens[-1].start]
    if re.search(r"[，,；;]", between):
        return None
    phrase_start = max((m.end() for m in _COMMA.finditer(text, 0, tokens[0].start)), default=0)
    before = text[phrase_start:tokens[0].start]
    exclusive = bool(re.search(rf"(?:{lex.band_low_excl.pattern})$", before))
    measure = _measure(before, lex)
    return [Band(measure, t.unit, t.value, not exclusive, values=[t.value]) for t in tokens]


_RANK = "排名"


def _ranks(subject: str, count: int, lex: Lexicon) -> tuple[list[str], str] | None:
    """在全区排前三名的城市街道，分别奖励50万元、40万元、30万元: one award per place (第1名 …)."""
    m = lex.rank_places.search(subject)
    if not m or chinese_int(m.group("n")) != count:
        return None
    return [f"第{i}名" for i in range(1, count + 1)], _RANK


def _tiers(own: list[Draft], piece: Piece, subject: str, lex: Lexicon) -> Draft:
    """国家级、省级…的，分别给予30万元和10万元: one award per item, chosen by which item the applicant is."""
    found = tier_values(subject, len(own), lex) or _ranks(subject, len(own), lex)
    if found is None:
        raise Undraftable(f"“分别”对应{len(own)}个金额，但列举的对象个数不同")
    values, what = found
    tiers = [{"value": v, "amount_yuan": d.fields["fixed_yuan"]} for v, d in zip(values, own, strict=True)]
    name = "排名" if what == _RANK else "级别" if all(v.endswith("级") for v in values) else "类别"
    fields = {"tiers": tiers, "grades": values, "tier_name": name}
    return Draft("tiers", [piece], own[0].subject, own[0].award_word, fields,
                 figures=[f for d in own for f in d.figures], span=own[0].span)


def attach_bands(own: list[Draft], piece: Piece, lex: Lexicon) -> None:
    """Give the drafts of one sentence the bands their subjects state; Undraftable when one cannot be used."""
    spans = {d.span for d in own}
    if len(own) > 1 and len(spans) == 1:
        subject = piece.text[own[0].span[0]:own[0].span[1]]
        bands = enumerated_ranges(subject, len(own), lex) or _enumerated(subject, len(own), lex)
        listed = [d for d in own if d.fields.pop("listed", False)]
        if [d for d in own if d.fields.pop("by_bands", False)] and not bands:
            raise Undraftable("多个金额并列（如2万元、5万元），未写明“分别”，前面也没有同样多的分档")
        if listed and not bands:
            own[:] = [_tiers(own, piece, subject, lex)]
        whole = subject_before(piece, own[0].span[1], lex, own[0].span[0]) if bands else ""
        for draft, band in zip(own, bands or [], strict=False):
            draft.band = band
            draft.subject = whole or draft.subject     # who: the whole subject, not one band's item of it
        return
    for draft in own:
        if draft.fields.get("unit_step"):
            continue            # a stepped award reads its own starting amount (ingest/draft_steps.py)
        band = subject_band(piece, draft.span, lex)
        if draft.kind == "rate" and not draft.measure_base:
            continue
        if draft.measure_base and band is None:
            raise Undraftable("未写明比例的计算基数（按什么金额的百分之几）")
        if draft.kind == "per_unit" and band is not None and band.unit != draft.unit:
            continue            # 亩均税收达到100万元以上的，按3元/月•平方米: a condition (its own), not a band
        draft.band = band
