"""Drafts of one sentence (piece): which award its figures describe, who qualifies, what base it counts.

``draft_piece`` returns the sentence's drafts (a rate × base, a fixed award, tiers by a grade,
bands of a base amount, an amount per unit) or the reason it cannot draft it with confidence.
Sentence-level modifiers (caps, limits, instalments, years) are added by ``ingest/draft.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ingest.draft_text import Figure, Lexicon, Piece, depth

AWARD_ROLES = ("award", "award_max", "rate", "unit", "per_other", "minimum", "extra", "cap", "year_cap", "combined",
               "first_share", "then_share", "year_share")
_SPLIT = re.compile(r"[，,]")


@dataclass
class Draft:
    """A rule being drafted: its arithmetic fields and where in the clause it was read."""

    kind: str
    pieces: list[Piece]
    subject: str
    award_word: str
    fields: dict = field(default_factory=dict)
    base_label: str | None = None
    unit: str | None = None
    figures: list[Figure] = field(default_factory=list)   # figures it uses (for the report)
    span: tuple[int, int] = (0, 0)     # the subject's offsets in its first piece
    band: Any = None                   # the band its subject states (ingest/draft_bands.py)
    measure_base: bool = False         # a rate of the measure its subject bands (…的，扶持20%)
    named_base: bool = False           # the rate's base is named before it (按照市级奖励金额的10% / 给予…总额20%)
    lead: Any = None                   # (clause, piece) of an earlier clause the quote starts with
    prefix: Any = None                 # the words before a colon of its sentence that qualify it (a Piece)
    variant: str | None = None         # the condition telling it from its siblings under a shared lead (亚洲地区以外)


class Undraftable(Exception):
    """A quantified sentence that cannot be drafted with confidence; the message says why."""


def clean_subject(text: str, lex: Lexicon) -> str:
    text = lex.numbering.sub("", text.strip(" ，,；;。"))
    for _ in range(2):
        text = lex.numbering.sub("", text)          # 第五条 （一）对…: two numberings
        text = lex.subject_prefix.sub("", text).strip(" ，,")
        text = re.sub(r"(?:给予|予以|一次性|分别|各|再)+$", "", text).strip(" ，,")
        text = lex.subject_suffix.sub("", text).strip(" ，,")
        text = lex.subject_trail.sub("", text).strip(" ，,")
    return text


def subject_before(piece: Piece, pos: int, lex: Lexicon, start: int = 0) -> str:
    """Who qualifies: the phrases before offset `pos` (from `start`), without quota phrases."""
    text = piece.text[start:pos]
    cut = next((g for g in lex.grant_words.finditer(text) if not _SPLIT.search(text[g.start():])), None)
    if cut is not None and not lex.numbering.sub("", text[:cut.start()]).strip():
        m = re.fullmatch(r"(?P<who>[^，,\d]{2,60}?)(?:最高|最多)", text[cut.end():])   # 给予…医疗人才最高500万元安家补贴
        if m and not lex.award_words.search(m.group("who")):
            return clean_subject(m.group("who"), lex)
    text = text if cut is None else text[:cut.start()]       # …的，给予其所获国家拨款额: who, not what is granted
    phrases = [p for p in _SPLIT.split(text)      # not a quota (每年安排不超过2000万元); 财政收入总量…排前三名 is who
               if p.strip() and not (lex.quota_words.search(p) and re.search(r"\d", p))]
    rate_verb = re.compile(r"(?:最高)?(?:按照|按|根据|依据|标准为|标准是)")
    if phrases and rate_verb.search(phrases[-1]):
        phrases[-1] = phrases[-1][:rate_verb.search(phrases[-1]).start()]
        phrases = [p for p in phrases if p.strip()]
        grant = re.search(r"给予|予以", phrases[-1]) if phrases else None
        if grant and grant.start():      # 对引荐者给予招商引荐扶持，标准为…: the phrase granting, not who
            phrases[-1] = phrases[-1][:grant.start()]
    return clean_subject("，".join(p for p in phrases if p.strip()), lex)


def award_word(text: str, lex: Lexicon) -> str:
    found = lex.award_words.findall(text)
    return found[-1] if found else "奖补"


def _base_label(piece: Piece, rate: Figure, lex: Lexicon) -> str | None:
    before = piece.before(rate)
    earlier = [f for f in piece.figures if f.end <= rate.start and f.start >= piece.phrase_bounds(rate.start)[0]]
    m = re.search(r"(?P<base>[^，,]+?)的[^，,]{0,6}比例由$", before[:before.rfind("由") + 1]) if "提高" in before else None
    if m:
        label = m.group("base")
    elif earlier:
        label = before[earlier[-1].end - piece.phrase_bounds(rate.start)[0]:]
        label = re.sub(r"^(?:（含）)?(?:及|和|、|并)", "", label)
    else:
        m = re.search(rf"(?:{lex.rate_base_lead.pattern})(?P<base>.*)$", before) or re.search(r"给予不超过(?P<base>.+)$", before) \
            or re.search(rf".*(?:{lex.rate_base_grant.pattern})(?P<base>[^，,]{{2,20}}?(?:{lex.rate_base_nouns.pattern}))的?$", before)
        if not m:
            return _named_earlier(piece, rate, lex)
        label = _after_colon(m.group("base"), lex)
    label = _clean_label(re.split(r"给予|予以", label)[0])
    return label or (None if earlier else _named_earlier(piece, rate, lex))


def _after_colon(label: str, lex: Lexicon) -> str:
    """扶持的标准为：按购房价的5%: the base is named after the colon that follows the first lead
    word, by a lead word of its own (购房价, not ：按购房价)."""
    return re.sub(rf"^\s*[：:]\s*(?:{lex.rate_base_lead.pattern})?", "", label)


def _clean_label(label: str) -> str | None:
    label = re.split(r"不得超过|不超过|不高于", label)[-1]      # 补助资金不得超过项目总投入: the base after the bound
    label = re.sub(r"^(?:将|其|每人次|每人|每项|每个|不超过|最高)+", "", label)
    label = re.sub(r"(?:的|不超过|最高|最多|给予|予以)+$", "", re.sub(r"\s+", "", label)).strip(" （）")
    return label if 2 <= len(label) <= 40 and re.search(r"[\u4e00-\u9fff]", label) else None


def _named_earlier(piece: Piece, rate: Figure, lex: Lexicon) -> str | None:
    """对实际发生费用给予50%活动费用补贴 / 对其场租减免部分，…每年给予支撑平台50%的补贴 / 根据其…实际发生的费用
    给予资助，对…给予10%: the base named by 对/根据 in the rate's phrase or a phrase before it."""
    nouns = f"(?:{lex.rate_base_nouns.pattern}|部分)"
    start = piece.phrase_bounds(rate.start)[0]
    m = re.search(rf"对其?(?P<base>[^，,]{{0,30}}?{nouns})给予[^，,]{{0,8}}$", piece.text[start:rate.start])
    while m is None and start > 0:
        start = piece.phrase_bounds(start - 1)[0]
        phrase = piece.text[start:piece.phrase_bounds(start)[1]]
        m = re.fullmatch(rf"\s*(?:{lex.period_lead.pattern})?(?:对|根据|按照|依据)其?(?P<base>[^，,]{{2,30}}?{nouns})"
                         rf"(?:给予\S{{0,6}})?\s*", phrase)
        if re.search(r"\d", phrase):
            break
    return _clean_label(m.group("base")) if m else None


def input_name(label: str, lex: Lexicon) -> str:
    return next((name for key, name in lex.inputs.items() if label and key in label), "base_yuan")


def _min_base(piece: Piece, rate: Figure, label: str, lex: Lexicon) -> Figure | None:
    """设备、软件投资不低于1000万元的，按照…实际投资的30%: a threshold on the same amount as the base."""
    found = None
    for fig in piece.roles("threshold"):
        start = piece.phrase_bounds(fig.start)[0]
        words = piece.text[start:fig.start]
        lower = lex.threshold_after.search(piece.after(fig)) or re.search(r"(?:不低于|不少于|达到|超过|满)$", words)
        if fig.start > rate.start or not lower or (start and piece.text[start - 1] in "（("):
            continue
        part = lex.part_of_base.search(label) and not lex.part_of_base.search(words)   # 个人所得税总额 / 其区级留成部分
        if input_name(words, lex) == input_name(label, lex) != "base_yuan" and not part:
            found = fig
    return found


def _rate_list(piece: Piece, rates: list[Figure], lex: Lexicon, inherited: str) -> list[Draft]:
    """…10亿元以上、5亿元以上到10亿元、1亿元到5亿元的…，分别给予50%、30%、10%: one rate per band of the
    enumeration before it (ingest/draft_bands.py pairs them); the base is named before the rates
    (参照其地方财政贡献的70%、80%) or is the phrase before them (对其…中介服务事项费用（累计不超过100万元），)."""
    pairs = list(zip(rates, rates[1:], strict=False))
    if any(re.fullmatch(r"\s*(?:[-－~～—]+|至|到)\s*", piece.text[a.end:b.start]) for a, b in pairs):
        raise Undraftable("比例为区间（如5%—20%），无法确定具体比例")
    if any(not re.fullmatch(r"\s*(?:、|和|及|，|,)\s*", piece.text[a.end:b.start]) for a, b in pairs):
        raise Undraftable("一句中有多个比例，无法确定各自对应的对象")
    start = piece.phrase_bounds(rates[0].start)[0]
    label, fields = _base_label(piece, rates[0], lex), {}
    if label is None and start:
        prev = piece.text[piece.phrase_bounds(start - 1)[0]:start - 1]
        m = re.fullmatch(r"\s*对其?(?P<base>[^，,（(]{2,30})(?:[（(](?P<cap>[^）)]*)[）)])?\s*", prev)
        caps = [f for f in piece.roles("cap") if m and m.group("cap") and m.start("cap") <= f.start - piece.phrase_bounds(
            start - 1)[0] < m.end("cap")]
        label = m.group("base") if m else None
        if caps:
            caps[0].role = "base_max"
            fields["base_max_yuan"] = caps[0].value
        start = piece.phrase_bounds(start - 1)[0] if m else start
    word = award_word(piece.text[rates[-1].end:] or piece.text, lex)
    subject = subject_before(piece, start, lex) or inherited
    return [Draft("rate", [piece], subject, word, {"rate": r.value, **fields}, base_label=label, figures=[r],
                  span=(0, start), measure_base=label is None) for r in rates]


def _rate_draft(piece: Piece, lex: Lexicon, inherited: str) -> Draft | list[Draft]:
    rates = piece.roles("rate")
    if len(rates) > 1:
        return _rate_list(piece, rates, lex, inherited)
    rate = rates[0]
    for later in piece.roles("award_max"):
        if later.start > rate.end:
            later.role = "cap"     # …的20%给予补贴，单套设备最高补贴100万元: the rate's cap
    label = _base_label(piece, rate, lex)
    draft = Draft("rate", [piece], subject_before(piece, rate.start, lex) or inherited,
                  award_word(piece.text[rate.end:] or piece.text, lex), {"rate": rate.value}, base_label=label,
                  figures=[rate], span=(0, piece.phrase_bounds(rate.start)[0]), measure_base=label is None)
    draft.named_base = label is not None and not any(
        f.end <= rate.start and f.start >= piece.phrase_bounds(rate.start)[0] for f in piece.figures)
    if label is None:
        return draft
    minimum = _min_base(piece, rate, label, lex)
    if minimum is not None:
        draft.fields["min_base_yuan"] = minimum.value
        draft.figures.append(minimum)
    base_caps = piece.roles("base_cap")
    if base_caps:
        cap = base_caps[0]
        start = piece.phrase_bounds(cap.start)[0]
        text = re.sub(r"^(?:按照|按)", "", piece.text[start:cap.end])
        draft.fields["base_cap"] = {"rate": cap.value, "label": f"{text}（超过部分不予计算）"}
        draft.figures.append(cap)
    return draft


def _own_grants(piece: Piece, after: int, awards: list[Figure], lex: Lexicon) -> bool:
    """按每人2万元标准…给予企业引才资助，一次性给予个人10万元安家费: each later award in a phrase of its own,
    granted by its own verb."""
    bounds = [piece.phrase_bounds(f.start) for f in awards]
    return all(start >= after and re.search(r"给予|予以|奖励|补贴|补助", piece.text[start:fig.start])
               for (start, _), fig in zip(bounds, awards, strict=True)) and len(set(bounds)) == len(awards)


def _unit_draft(piece: Piece, lex: Lexicon, inherited: str) -> list[Draft]:
    units, awards = piece.roles("unit"), piece.roles("award")
    unit = units[0]
    end = piece.phrase_bounds(unit.start)[1]
    if len(units) > 1 and not awards:
        listed = _unit_list(piece, units, lex, inherited)
        if listed:
            return listed
    if len(units) > 1 or (awards and not _own_grants(piece, end, awards, lex)):
        raise Undraftable("一句中有多个单价或定额，无法确定各自对应的对象")
    fields = _per_unit_fields(unit, lex)
    if re.search(rf"(?:{lex.cap_before.pattern})$", piece.before(unit)):
        fields["is_maximum"] = True         # 按每月每平方米最高50元的标准: at most that much per unit
    counted = _count_limit(piece, unit, lex)
    if counted is not None:
        fields["base_max_yuan"] = counted
    span = (0, piece.phrase_bounds(unit.start)[0])
    subject = subject_before(piece, unit.start, lex) or inherited
    drafts = [Draft("per_unit", [piece], subject, award_word(piece.text[:end], lex), fields,
                    unit=unit.unit, figures=[unit], span=span)]
    for fig in awards:      # a second award of the sentence, to its own recipient (给予个人10万元安家费)
        start, stop = piece.phrase_bounds(fig.start)
        drafts.append(Draft("fixed", [piece], subject, award_word(piece.text[start:stop], lex),
                            {"fixed_yuan": fig.value}, figures=[fig], span=span))
    return drafts


def _unit_list(piece: Piece, units: list[Figure], lex: Lexicon, inherited: str) -> list[Draft] | None:
    """对进站博士后、优秀博士后导师、优秀科研项目分别按10万元/人、10万元/人、5万元/项目 / 对引进正高级、副高级工程师的
    企业，按每人20万元、10万元标准: amounts per unit, one 、-list, one per item of the enumeration before it (in
    order); None unless the counts agree and nothing else in the sentence is an award."""
    joiner = re.compile(r"\s*(?:[/／][^、，,\d]{1,6})?\s*、\s*")        # 10万元/人、5万元/项目 / 每人20万元、10万元
    if any(not joiner.fullmatch(piece.text[a.end:_unit_start(piece, b)]) for a, b in zip(units, units[1:], strict=False)):
        return None
    cut = lex.respectively.search(piece.text)
    end = cut.start() if cut and cut.start() < units[0].start else piece.phrase_bounds(units[0].start)[0]
    subject = subject_before(piece, _grant_before(piece, units[0], lex) if end == 0 else end, lex) or inherited
    labels = unit_labels(subject, len(units), lex)
    if labels is None:
        return None
    span = (0, end)
    return [Draft("per_unit", [piece], label, award_word(piece.text[units[-1].end:] or piece.text, lex),
                  _per_unit_fields(fig, lex), unit=fig.unit, figures=[fig], span=span)
            for label, fig in zip(labels, units, strict=True)]


def _unit_start(piece: Piece, fig: Figure) -> int:
    """Where an amount per unit starts, with the 每人 written before it (每人20万元、每人10万元)."""
    m = re.search(r"每[^\d、，,]{1,3}$", piece.text[:fig.start])
    return m.start() if m else fig.start


def unit_labels(subject: str, count: int, lex: Lexicon) -> list[str] | None:
    """Who each amount of a list is for: 引进正高级、副高级工程师的企业 -> 引进正高级工程师的企业, 引进副高级工程师的企业
    (items sharing an ending); 进站博士后、优秀博士后导师、优秀科研项目 -> each item; None when the counts differ."""
    found = tier_values(subject, count, lex)
    if found:
        values, what = found
        phrase = next((p for p in reversed(_SPLIT.split(subject)) if "、" in p), "")
        first = re.split(r"、", re.sub(r"[（(][^）)]*[）)]", "", phrase))[0]
        lead = first[:len(first) - len(values[0])] if first.endswith(values[0]) else ""
        return [f"{lead}{value}{what}" for value in values]
    phrase = next((p for p in reversed(_SPLIT.split(subject)) if "、" in p), "")
    items = [clean_subject(i, lex) for i in re.split(r"、", re.sub(r"[（(][^）)]*[）)]", "", phrase))]
    return items if len(items) == count and all(items) and len(set(items)) == count else None


def _count_limit(piece: Piece, unit: Figure, lex: Lexicon) -> Decimal | None:
    """每户不超过150吨: the most of the quantity counted (in the award's unit); None when the sentence states none;
    Undraftable when the limit is relative to another quantity (每亩不超过500公斤, 人均不超过20平方米) or unclear."""
    if unit.unit is None:
        return None
    if lex.relative_count_limit.search(piece.text):
        raise Undraftable("计奖的数量另有按另一数量计的上限（如每亩不超过若干公斤、人均不超过若干平方米），无法按单价直接计算")
    pattern = rf"(?P<scope>[^，,。；\d]{{0,10}}?)(?:不超过|不高于|最多|最高|上限为?)\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<k>[万千]?)\s*{unit.unit}"
    found = [m for m in re.finditer(pattern, piece.text) if not re.match(r"\s*[/／]", piece.text[m.end():])]
    if not found:
        return None
    if len(found) > 1 or not lex.count_cap_scope.search(found[0].group("scope")):
        raise Undraftable(f"计奖的数量另有上限（如人均不超过若干{unit.unit}），无法按单价直接计算")
    scale = {"万": Decimal(10_000), "千": Decimal(1000)}.get(found[0].group("k"), Decimal(1))
    return Decimal(found[0].group("n")) * scale


def _per_unit_fields(unit: Figure, lex: Lexicon) -> dict:
    """The amount per unit, per year when it has a period (30元/平方米•月 → 360元 per 平方米 a year, noted)."""
    if unit.period is None:
        return {"unit_yuan": unit.value}
    times = lex.periods[unit.period]
    yearly = unit.value * times
    text = re.sub(r"\s+", "", unit.text)
    note = (f"条款按{unit.period}计（{text}每{unit.unit}每{unit.period}），按一年{times}个{unit.period}折算为每{unit.unit}每年"
            f"{yearly.normalize():f}元；金额为一年的数额") if times > 1 else f"金额为一年的数额（{text}每{unit.unit}每年）"
    return {"unit_yuan": yearly, "per_period": (unit.value, times), "notes": [note]}


def _grades(piece: Piece, awards: list[Figure], lex: Lexicon) -> list[str] | None:
    found = []
    for fig in awards:
        m = lex.grades.search(piece.before(fig))
        if not m:
            return None
        found.append(m.group())
    return found if len(set(found)) == len(found) else None


def _enumerated(subject: str, count: int) -> list[str] | None:
    """智能工厂、智能车间 (two awards 分别): one label per item, sharing the first item's prefix."""
    head = _SPLIT.split(subject)[-1]
    items = [i for i in re.split(r"、|和|或", head) if i]
    if len(items) != count:
        return None
    prefix = items[0][:-len(items[1])] if len(items[0]) > len(items[1]) else ""
    return [items[0], *(prefix + i for i in items[1:])]


def tier_values(text: str, count: int, lex: Lexicon) -> tuple[list[str], str] | None:
    """对年度新获认定为国家级、省级版权示范单位的 (2 awards) -> (["国家级", "省级"], "版权示范单位"): the
    items of the enumeration one of which the applicant is (the tier), and what they are; None when the
    enumeration does not have `count` items sharing an ending."""
    phrase = next((p for p in reversed(_SPLIT.split(text)) if "、" in p), "")
    items = [i.strip() for i in re.split(r"、|和|及|或", re.sub(r"[（(][^）)]*[）)]", "", phrase)) if i.strip()]
    if len(items) != count or re.search(r"\d", phrase):
        return None
    items[0] = re.sub(lex.tier_lead.pattern, "", lex.subject_prefix.sub("", items[0]))
    shared = _common_suffix(items)
    if len(shared) >= 2 and all(len(i) > len(shared) for i in items):     # 省服务业重点企业、市服务业重点企业
        return (items, "") if len(set(items)) == count and all(len(i) <= 16 for i in items) else None
    middle = items[:-1]
    common = middle[0][-1]
    for item in middle[1:]:
        while common and not item.endswith(common):
            common = common[1:]
    while len(middle) > 1 and common and all(i.endswith(middle[0][-len(common) - 1:]) for i in middle):
        common = middle[0][-len(common) - 1:]
    if not common or common not in items[-1] or any(len(i) > 8 for i in middle):
        return None
    cut = items[-1].index(common) + len(common)
    values = [*middle, items[-1][:cut]]
    if len(set(values)) != count:
        return None
    return values, clean_subject(items[-1][cut:], lex)


def _common_suffix(items: list[str]) -> str:
    shared = items[0]
    for item in items[1:]:
        while shared and not item.endswith(shared):
            shared = shared[1:]
    return shared


def _per_step(piece: Piece, fig: Figure, lex: Lexicon) -> None:
    """每月2000元 / 每增加出口1美元，即给予… / 每超过1亿元，给予100万元: not one fixed amount."""
    start = piece.phrase_bounds(fig.start)[0]
    start = piece.phrase_bounds(start - 1)[0] if start > 0 else start
    if lex.per_step.search(piece.text[start:fig.start]):
        raise Undraftable("金额按月、按增量或每超过一定数额计，无法按定额起草")


def _fixed_drafts(piece: Piece, lex: Lexicon, inherited: str) -> list[Draft]:
    awards = piece.roles("award", "award_max")
    word = award_word(piece.text, lex)
    grades = _grades(piece, awards, lex) if len(awards) > 1 else None
    if grades:
        subject = subject_before(piece, piece.phrase_bounds(awards[0].start)[0], lex) or inherited
        tiers = [{"value": g, "amount_yuan": f.value} for g, f in zip(grades, awards, strict=True)]
        return [Draft("tiers", [piece], subject, word, {"tiers": tiers, "grades": grades}, figures=awards)]
    if _listed_awards(piece, awards, lex):      # 上云数达500家以上、1000家以上的给予奖励2万元、5万元: bands only
        cut = _grant_before(piece, awards[0], lex)
        subject = subject_before(piece, cut, lex) or inherited
        return [Draft("fixed", [piece], subject, word, {"fixed_yuan": f.value, "listed": True, "by_bands": True},
                      figures=[f], span=(0, cut)) for f in awards]
    if len(awards) > 1 and lex.respectively.search(piece.text):
        cut = lex.respectively.search(piece.text).start()
        if any(f.start < cut for f in awards):
            raise Undraftable("“分别”前后的金额无法一一对应")
        subject = subject_before(piece, cut, lex) or inherited
        tiered = tier_values(subject, len(awards), lex)     # 国家级、省级、市级…: tiers by the level (ingest/draft_bands.py)
        labels = None if tiered else _enumerated(subject, len(awards))
        if labels is None:      # bands or tiers the enumeration states, or listed (ingest/draft_bands.py)
            return [Draft("fixed", [piece], subject, word, {"fixed_yuan": f.value, "listed": True}, figures=[f],
                          span=(0, cut)) for f in awards]
        return [Draft("fixed", [piece], label, word, {"fixed_yuan": f.value}, figures=[f], span=(0, cut))
                for label, f in zip(labels, awards, strict=True)]
    if any(re.match(r"\s*、\s*\d", piece.text[f.end:]) for f in awards):
        raise Undraftable("多个金额并列（如最高500万元、200万元…），未写明“分别”对应的对象")
    drafts, start = [], 0
    outside = [f for f in awards if not depth(piece.text, f.start)]
    for fig in awards:
        if outside and depth(piece.text, fig.start):
            continue        # 给予10万元奖励(第一年奖励5万元，第二年…): a schedule of the award before it
        _per_step(piece, fig, lex)
        if drafts and piece.phrase_bounds(fig.start)[0] < start:     # 给予…10万元和每年8万元的…: the same applicant
            prev = drafts[-1].figures[0].end
            other = re.search(r"[、，,]\s*(?:对于|对)", piece.text[prev:fig.start])   # …奖励、对获得…的单位给予10万元
            subject = subject_before(piece, fig.start, lex, prev + other.end()) if other else drafts[-1].subject
            drafts.append(Draft("fixed", [piece], subject or inherited, word, _fixed_fields(piece, fig),
                                figures=[fig], span=(prev + other.start() + 1, fig.start) if other else drafts[-1].span))
            continue
        own = subject_before(piece, fig.start, lex, start)
        if fig.role == "award_max" and lex.graded_award.search(piece.text[start:fig.start]):
            raise Undraftable("按档次（或标准）给予，所写最高金额只是上限，不按定额起草")
        if fig.role == "award_max" and re.fullmatch(r"(?:每年|每家|每个|单个|单一|企业|项目)*(?:最多|最高)?", own):
            fig.role = "cap"        # 最多给予200万元扶持资金: the cap of the award before it
            continue
        subject = own or inherited
        fields = _fixed_fields(piece, fig)
        span = _band_head(piece, fig, lex) if len(outside) > 1 else None
        drafts.append(Draft("fixed", [piece], subject, word, fields, figures=[fig],
                            span=span or (start, piece.phrase_bounds(fig.start)[0])))
        start = piece.phrase_bounds(fig.start)[1] + 1
    return drafts


def _fixed_fields(piece: Piece, fig: Figure) -> dict:
    """A fixed award's fields; one stated per year (每年8万元的生活补助) says so in a note."""
    fields = {"fixed_yuan": fig.value, "is_maximum": fig.role == "award_max"}
    if re.search(r"每年(?:度)?[^，,、和及\d]{0,6}$", piece.text[piece.phrase_bounds(fig.start)[0]:fig.start]):
        written = re.sub(r"\s+", "", fig.text)
        fields["notes"] = [f"条款按年计（每年{written}），金额为一年的数额"]
    return fields


def _listed_awards(piece: Piece, awards: list[Figure], lex: Lexicon) -> bool:
    """给予奖励2万元、5万元 without 分别: the awards one 、-list, after the sentence's only grant verb."""
    if len(awards) < 2 or lex.respectively.search(piece.text):
        return False
    if any(not re.fullmatch(r"\s*、\s*", piece.text[a.end:b.start]) for a, b in zip(awards, awards[1:], strict=False)):
        return False
    return len(lex.grant_words.findall(piece.text[:awards[0].start])) >= 1 and not any(
        f.start > awards[-1].end and f.role in ("award", "award_max", "rate", "unit") for f in piece.figures)


def _grant_before(piece: Piece, fig: Figure, lex: Lexicon) -> int:
    """Where the grant of `fig` starts in its phrase (给予奖励2万元 → at 给予), else the phrase's start."""
    start = piece.phrase_bounds(fig.start)[0]
    grants = list(lex.grant_words.finditer(piece.text, start, fig.start))
    return grants[0].start() if grants else start


def _band_head(piece: Piece, fig: Figure, lex: Lexicon) -> tuple[int, int] | None:
    """…100-200亩的，奖励1万元，200至300亩的奖励2万元 / 带动20-25户补助4万元，带动26-30户补助5万元: the words
    before the grant in the award's own phrase state its band; (start, end) of them, None when they state
    no number (the band, if any, is then in the phrases before)."""
    start = piece.phrase_bounds(fig.start)[0]
    grants = list(lex.grant_words.finditer(piece.text, start, fig.start))
    if not grants:
        return None
    head = piece.text[start:grants[-1].start()]
    stated = re.search(rf"\d\s*(?:[万亿]?元|{lex.units.pattern})", head) or lex.foreign_amount.search(head)
    if not stated or re.search(r"每", head):
        return None
    return start, grants[-1].start()


def _full_cost_draft(piece: Piece, lex: Lexicon, inherited: str) -> Draft | None:
    """按照…实际发生额给予补贴，最高不超过300万元: the whole cost, capped (a cap alone, no other award)."""
    m = lex.full_cost.search(piece.text)
    caps = [f for f in piece.figures if f.role in ("cap", "award_max")]
    if not m or len(caps) != 1 or caps[0].start < m.end() - 1 or piece.roles("award", "extra"):
        return None
    caps[0].role = "cap"
    whole = Figure("percent", Decimal(1), m.start("base"), m.end("base"), m.group("base"), "rate")
    label = re.sub(r"^(?:经审核后的|经审核的|其)", "", m.group("base"))
    return Draft("rate", [piece], subject_before(piece, m.start(), lex) or inherited, award_word(piece.text, lex),
                 {"rate": Decimal(1), "full_cost": True}, base_label=label, figures=[whole], span=(0, m.start()))


def lone_cap_draft(piece: Piece, lex: Lexicon, inherited: str) -> Draft | None:
    """单个项目的补助上限原则上不超过200万元 / 扶持金额最高不超过30万元, first in its clause (no award before
    it to cap): the most the award can be, a fixed maximum (the amount itself is decided case by case)."""
    caps = piece.roles("cap")
    if len(caps) != 1 or piece.roles("award", "award_max", "rate", "unit", "range", "partial_list") \
            or not lex.award_words.search(piece.text) or lex.per_step.search(piece.text):
        return None
    cap = caps[0]
    start = piece.phrase_bounds(cap.start)[0]
    phrases = [p for p in _SPLIT.split(subject_before(piece, start, lex)) if not re.match(r"结合|根据|按照|依据|比照", p)]
    subject = "，".join(phrases) or inherited
    fields = {"fixed_yuan": cap.value, "is_maximum": True,
              "notes": ["条款只写明最高金额，具体金额按条款规定核定"]}
    cap.role = "award_max"
    return Draft("fixed", [piece], subject, award_word(piece.text, lex), fields, figures=[cap], span=(0, start))


def draft_piece(piece: Piece, lex: Lexicon, inherited: str) -> list[Draft]:
    """The drafts of one sentence ([] when it only modifies earlier drafts); Undraftable otherwise."""
    if piece.roles("partial_list"):
        raise Undraftable("金额列举不全（如10、20、30万元），无法一一对应")
    if piece.roles("minimum"):
        raise Undraftable("只写明最低金额（不少于…），具体金额未定，不按定额起草")
    if piece.roles("per_other"):
        raise Undraftable("金额按一种无法计数的单位计（如10元/公斤、15元/每月•每平方），不起草")
    compact = re.sub(r"\s+", "", piece.text).replace("超过部分不予", "")
    excess = lex.excess_base.search(lex.yoy_growth.sub("", compact))
    growth = excess and lex.growth_base.search(excess.group()) and not any(f.kind == "money" for f in piece.figures)
    if piece.roles("rate") and excess and not growth:   # …经济贡献增量部分的80% with no threshold: a growth base
        raise Undraftable("按超出门槛的部分或分段累进计算，暂不起草")
    for fig in piece.roles("unit") if piece.roles("rate") else []:
        periods = "|".join(lex.periods)
        if re.search(rf"每(?:{lex.units.pattern})(?:每(?:{periods}))?(?:{lex.cap_before.pattern})$", piece.before(fig)):
            fig.role, fig.period = "cap", None      # …给予企业5%、每项(每年)不超过50万元的资助: the rate's cap of one item
    if piece.roles("rate"):
        if piece.roles("award", "unit"):
            raise Undraftable("一句中既有比例又有定额或单价，无法确定计算方式")
        drafts = _rate_draft(piece, lex, inherited)
        return drafts if isinstance(drafts, list) else [drafts]
    if piece.roles("unit"):
        return _unit_draft(piece, lex, inherited)
    full = _full_cost_draft(piece, lex, inherited)
    if full:
        return [full]
    if piece.roles("award", "award_max"):
        return _fixed_drafts(piece, lex, inherited)
    return []


def is_quantified(piece: Piece, lex: Lexicon) -> bool:
    """A sentence that states an award figure: an award word and a figure in an award role."""
    return bool(lex.award_words.search(piece.text)) and bool(piece.roles(*AWARD_ROLES, "range", "partial_list",
                                                                                  "other")) \
        and not all(f.role in ("threshold", "quota", "condition", "old_rate", "other") for f in piece.figures)

