"""Read one user turn into typed values: amounts with their roles, rates, years, stated facts
(with the level and validity said of them), the item's stage. Vocabulary: assistant/lexicon.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.case import Counted, FactState
from assistant.counts import Price, read_counts, read_prices, single_counts
from assistant.lexicon import FactSpec, Lexicon
from assistant.places import RegionTable
from assistant.units import load_units
from assistant.wording import noun_after
from calculators.amounts import AmountMatch, find_amounts
from errors import PolicyError

_CLAUSE_END = re.compile(r"[。！？!?；;\n]")
_QUOTES_END = re.compile(r"[\"'“”‘’「」《》]+$")
_ASIDE = re.compile(r"[（(][^（()）]*[)）]")     # a bracketed aside closed before a phrase: its own clause
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
# a count of enterprises (新入驻25家), in digits only: "一家企业" is the one asking
_FIRMS = re.compile(r"(\d+(?:,\d{3})*)\s*家")
# an amount in a foreign currency (680万美元): a quantity in that currency, never converted to 元
_FOREIGN = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿)?\s*(美元|美金)")
_SCALE = {None: 1, "万": 10_000, "亿": 100_000_000}
_CN_NUMBER = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass
class RoleAmount:
    value: Decimal
    role: str | None         # None: nothing says what the amount is
    start: int
    end: int
    text: str
    words: str = ""          # the words just before it (what the user called it)


@dataclass
class TurnReading:
    text: str
    amounts: list[RoleAmount] = field(default_factory=list)
    below: list[RoleAmount] = field(default_factory=list)      # "不到1000万": an upper bound only
    rates: dict[str, Decimal] = field(default_factory=dict)
    quantities: dict[str, Decimal] = field(default_factory=dict)
    counts: list[Counted] = field(default_factory=list)        # every count, with what it counts
    prices: list[Price] = field(default_factory=list)          # "每平方米每月25元"
    years: int | None = None
    facts: dict[str, FactState] = field(default_factory=dict)
    stage: str | None = None
    cues: set[str] = field(default_factory=set)
    negated_levels: set[str] = field(default_factory=set)    # "不是国家的": that level is denied
    declaration_year: int | None = None                       # "2024年度打算申报的有"


def _years_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _CN_NUMBER:
        return _CN_NUMBER[text]
    if text.startswith("十") and len(text) == 2:
        return 10 + _CN_NUMBER.get(text[1], 0)
    return None


def _full_year(said: str) -> int:
    """"2023" or "23" (said with its month: "23年6月") -> 2023."""
    return int(said) + (2000 if len(said) == 2 else 0)


def _positions(text: str, word: str) -> list[int]:
    out, at = [], text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def _occurrences(text: str, role) -> list[tuple[int, int]]:
    """Every (start, end) of each of the role's phrases and patterns in the text (overlaps kept)."""
    out = []
    for phrase in role.phrases:
        at = text.find(phrase)
        while at >= 0:
            out.append((at, at + len(phrase)))
            at = text.find(phrase, at + 1)
    for pattern in role.patterns:
        out += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return out


class TurnReader:
    def __init__(self, lexicon: Lexicon, facts: dict[str, FactSpec], labels: dict[str, str] | None = None):
        self.lex = lexicon
        self.facts = facts
        self.labels = {name: spec.label or (labels or {}).get(name) for name, spec in facts.items()}
        self._years = [re.compile(p) for p in lexicon.years.patterns]
        self._sep = re.compile(f"^[{lexicon.bounds.list_separators}]*$")
        self._sep_each = re.compile(f"^[{lexicon.bounds.list_separators}，,；;]*$")
        self._each = tuple(lexicon.bounds.each)
        self._declaration = [re.compile(p) for p in lexicon.years.declaration]
        self._recognized = re.compile(lexicon.years.recognized)
        levels = sorted((w for words in lexicon.levels.values() for w in words), key=len, reverse=True)
        self._level_end = re.compile(f"(?:{'|'.join(map(re.escape, levels))})的?$")
        phrases = sorted({p for spec in facts.values() for p in spec.phrases}, key=len, reverse=True)
        self._titles = re.compile("|".join(map(re.escape, phrases)) or "(?!)")
        # titles listed after one, sharing what is said next ("小巨人、绿色工厂这些称号都是母公司的")
        self._listed = re.compile(rf"^(?:[”\"」’]*(?:、|和|及|与|以及)[“\"「‘]*(?:{self._titles.pattern})[”\"」’]*)*")

    def read(self, text: str) -> TurnReading:
        reading = TurnReading(text=text)
        reading.cues = {name for name, cue in self.lex.cues.items() if cue.search(text)}
        self._amounts(text, reading)
        self._per_each(text, reading)
        self._rates(text, reading)
        self._counts(text, reading)
        words = {"国家": "national", "工信部": "national", "工业和信息化部": "national", "部里": "national",
                 "省": "provincial", "市": "municipal"}
        reading.negated_levels = {words[m.group(2)] for m in self.lex.cue("negated_level").finditer(text)}
        reading.years = self._year_count(text)
        said = [m for p in self._declaration for m in p.finditer(text)]
        reading.declaration_year = int(said[0].group(1)) if said else None
        reading.facts = self._deny_levels(self._facts(text), reading.negated_levels)
        reading.stage = next((stage for stage, words in self.lex.stages.items()
                              if any(w in text for w in words)), None)
        if reading.stage == "listed" and "not_accepted" in reading.cues:
            reading.stage = "not_accepted"
        return reading

    # -- counts ----------------------------------------------------------------------------------
    def _counts(self, text: str, reading: TurnReading) -> None:
        """Counts by unit (units.yaml), firms and foreign currency; prices per unit, which are no
        amount of the item: with a period and the count of their unit, they give the yearly amount."""
        units = load_units()
        reading.counts = [c for _, c in read_counts(text, units)]
        reading.quantities = single_counts(reading.counts)
        seen: dict[str, set[Decimal]] = {}
        for m in _FIRMS.finditer(text):
            seen.setdefault("家", set()).add(Decimal(m.group(1).replace(",", "")))
        for m in _FOREIGN.finditer(text):
            seen.setdefault("美元", set()).add(Decimal(m.group(1).replace(",", "")) * _SCALE[m.group(2)])
        reading.quantities.update({unit: values.pop() for unit, values in seen.items() if len(values) == 1})
        reading.prices = read_prices(text, units)
        inside = [a for a in reading.amounts if any(p.start <= a.start < p.end for p in reading.prices)]
        reading.amounts = [a for a in reading.amounts if a not in inside]
        for price in reading.prices:
            count = next((v for u, v in reading.quantities.items() if u in units.same_input(price.unit)), None)
            if price.period and count is not None:
                yearly = price.value * count * units.periods[price.period]
                words = f"年{price.words}" if price.words else ""
                reading.amounts.append(RoleAmount(yearly, self._nearest_role(words) if words else None,
                                                  price.start, price.end, f"{yearly}元", words))
        reading.amounts.sort(key=lambda a: a.start)

    # -- amounts ---------------------------------------------------------------------------------
    def _amounts(self, text: str, reading: TurnReading) -> None:
        bounds = self.lex.bounds
        previous: RoleAmount | None = None
        sep = self._sep_each if any(w in text for w in self._each) else self._sep
        for match in find_amounts(text):
            before = text[max(0, match.start - 2):match.start]
            if any(before.endswith(sign) for sign in bounds.negative):
                raise PolicyError("negative_amount",
                                  f"金额不能为负数：“{text[max(0, match.start - 1):match.end]}”，请核对后重新提问")
            after = text[match.end:match.end + 4]
            if any(after.startswith(word) for word in bounds.describes_a_class):
                continue       # "3亿元以上的项目" describes a class of projects, not the user's figure
            if (any(before.endswith(w) for w in bounds.back_reference)
                    and any(a.value == match.value for a in reading.amounts)):
                continue       # "也就这1.6亿元": the amount said before, pointed at again
            role = self._role(text, match, previous, sep)
            words = re.split(r"[，。；！？,;!?\n]", text[max(previous.end if previous else 0, match.start - 10):match.start])[-1]
            words += noun_after(text, match.end)      # "放了4个亿的融资": what the amount is of
            item = RoleAmount(match.value, role, match.start, match.end, match.text, words)
            if any(text[max(0, match.start - 4):match.start].endswith(w) for w in bounds.below):
                reading.below.append(item)
                continue
            reading.amounts.append(item)
            previous = item

    def _per_each(self, text: str, reading: TurnReading) -> None:
        """"两家工厂各跟它签了60万": the amount stands for each of the items counted before it
        in its sentence."""
        out = []
        for amount in reading.amounts:
            out.append(amount)
            if not self.lex.bounds.per_each.search(text[max(0, amount.start - 12):amount.start]):
                continue
            sentence_start = max(text.rfind(c, 0, amount.start) for c in "。！？；\n") + 1
            counts = list(self.lex.bounds.counted_items.finditer(text[sentence_start:amount.start]))
            # "跟两家…各签了一份，每份都是80万元": the count of more than one
            several = [n for c in counts if (n := _years_number(c.group(1))) and n > 1]
            count = several[-1] if several else None
            if count and 1 < count <= 50:
                out += [amount] * (count - 1)
        reading.amounts = out

    def _role(self, text: str, match: AmountMatch, previous: RoleAmount | None, sep: re.Pattern) -> str | None:
        start = max(previous.end if previous else 0, match.start - self.lex.amount_window)
        window = text[start:match.start]
        ends = _CLAUSE_END.search(window[::-1])
        if ends:
            window = window[len(window) - ends.start():]
        if previous and previous.role and sep.match(window):
            return previous.role             # "分别是4000万、5000万、6200万": the list shares one role
        found = self._nearest_role(window)
        if found:
            return found
        after = text[match.end:match.end + 6]
        return self._nearest_role(after.removeprefix("元").removeprefix("的"), at_start=True)

    def _nearest_role(self, window: str, at_start: bool = False) -> str | None:
        """The role named nearest the amount: ending last before it, or starting first after it."""
        best: tuple[int, int, str] | None = None
        for name, role in self.lex.roles.items():
            for start, end in _occurrences(window, role):
                if at_start and start > 1:
                    continue
                key = (-start, end - start) if at_start else (end, end - start)
                if best is None or key > best[:2]:
                    best = (*key, name)
        if best is None:
            return None
        # "设备加软件一共投了1200万": a part named before a word for the whole, or for any
        # investment, says which part the amount is
        found = self.lex.roles[best[2]]
        if not (found.generic or any(r.part_of == best[2] for r in self.lex.roles.values())):
            return best[2]
        # a part word inside a title ("入选了…关键软硬件产品…示范项目，投资450万元") names the award, not a part
        titles = [(t.start(), t.end()) for t in self._titles.finditer(window)]
        parts = [(start, start - end, name) for name, role in self.lex.roles.items()
                 if role.part_of and (role.part_of == best[2] or found.generic)
                 for start, end in _occurrences(window, role)
                 if not any(a <= start and end <= b for a, b in titles)]
        # the first part in the whole word's own clause ("整机总装线的…项目，设备加软件投了5000万":
        # 设备软件; "购置科研仪器、设备和软件，实际投资…": 科研仪器), else the first before it
        cut = max(window.rfind(c, 0, best[0] - best[1]) for c in "，,") + 1
        own = [p for p in parts if p[0] >= cut]
        return min(own or parts)[2] if parts else best[2]

    def _rates(self, text: str, reading: TurnReading) -> None:
        previous = 0
        for m in _PERCENT.finditer(text):
            window = text[max(previous, m.start() - self.lex.amount_window):m.start()]
            previous = m.end()
            if any(window.endswith(sign) for sign in self.lex.bounds.negative) or Decimal(m.group(1)) > 100:
                raise PolicyError("bad_rate", f"比例无效：“{text[max(0, m.start() - 1):m.end()]}”，请核对后重新提问")
            for name, role in self.lex.percent_roles.items():
                if role.cue.search(window):
                    reading.rates[name] = Decimal(m.group(1)) / 100

    def _year_count(self, text: str) -> int | None:
        for pattern in self._years:
            m = pattern.search(text)
            if m:
                return _years_number(m.group(1))
        return None

    # -- facts -----------------------------------------------------------------------------------
    def _deny_levels(self, facts: dict[str, FactState], denied: set[str]) -> dict[str, FactState]:
        """"没有进入工信部…名单": a title that needs a denied level is false, unless said at that level."""
        return {name: state.model_copy(update={"value": False})
                if self.facts[name].level_denied(denied) and state.level not in self.facts[name].levels else state
                for name, state in facts.items()}

    def _facts(self, text: str) -> dict[str, FactState]:
        out: dict[str, FactState] = {}
        for name, spec in self.facts.items():
            state = self._fact(text, spec)
            if state is not None:
                out[name] = state.model_copy(update={"label": self.labels[name]})
        return out

    def _fact(self, text: str, spec: FactSpec) -> FactState | None:
        named = [v for v, phrases in spec.values.items() if any(p in text for p in phrases)]
        if len(named) == 1:
            return FactState(value=named[0], label=spec.label, said=named[0])
        asked = self.lex.cue("asked_award")
        states = [self._mention(text, m, spec) for m in spec.phrase_cue.finditer(text)
                  if not asked.search(text[max(0, m.start() - 8):m.start()])]
        negative = next((n for n in spec.negative_cue.finditer(text) if not self._denies_another(text, n, spec)), None)
        if negative:
            states.append(FactState(value=False, label=spec.label, said=negative.group(0)))
        counted = self._counted(text, spec)
        if counted is not None:
            states.append(counted)
        if not states:
            return None
        # a defeat stated anywhere in the turn wins ("入选的是省级的…，没有进工信部的名单")
        return next((s for s in states if s.value is False), states[-1])

    def _denies_another(self, text: str, negative: re.Match, spec: FactSpec) -> bool:
        """The denial's clause names another title and not this one, which the text names in a
        clause of its own: it denies that other title ("装配车间经省认定为智能车间；整厂只拿到市级
        “智能工厂”，省里没有认定" is no denial of the 车间)."""
        start = max(text.rfind(c, 0, negative.start()) for c in "。；;\n") + 1
        end = min([i for i in (text.find(c, negative.end()) for c in "。；;\n") if i >= 0] or [len(text)])
        clause = text[start:end]
        if spec.phrase_cue.search(clause) or not self._titles.search(clause):
            return False
        return bool(spec.phrase_cue.search(text[:start] + "\n" + text[end:]))

    def _mention(self, text: str, m: re.Match, spec: FactSpec) -> FactState:
        said = m.group(0)
        value = not self._negated(text, m.start())
        level = self._level(text, m)
        expired = (spec.expires and self._expired(text, m)) or self._revoked(text, m)
        if spec.level and level and level not in spec.levels:
            value = False
        if spec.owned and self._used_only(text, m):
            value = False       # "用的是一家龙头企业的平台…，我们只是用户": another's
        if spec.in_region and self._elsewhere(text, m, spec.in_region):
            value = False       # "在武汉建了华中区域中心": not in the region the rules need
        if expired or (spec.scope != "enterprise" and self._pending(text, m)):
            value = False       # expired, or applied for and not yet granted ("还在评审")
        return FactState(value=value, label=spec.label, level=level, expired=expired, said=said,
                         year=self._year_of(text, m))

    def _used_only(self, text: str, m: re.Match) -> bool:
        """The title's sentence says the thing is another party's, the enterprise only a user."""
        start = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
        end = min([i for i in (text.find(c, m.end()) for c in "。；;\n") if i >= 0] or [len(text)])
        return bool(self.lex.not_owned.search(text[start:end]))

    def _elsewhere(self, text: str, m: re.Match, region: str) -> bool:
        """The title's clause (up to it) names places, none of them in `region`."""
        start = max(text.rfind(c, 0, m.start()) for c in "，,。；;\n") + 1
        table = RegionTable.load()
        inside = table.place(region)
        places = [p.place for p in table.find(text[start:m.end()]) if p.place is not None]
        return bool(places) and not any(p.within(inside) for p in places)

    def _year_of(self, text: str, m: re.Match) -> int | None:
        """The year said in the title's clause (not the declaration year), the nearest one."""
        start = max(text.rfind(c, 0, m.start()) for c in "，,。；;\n") + 1
        end = min([i for i in (text.find(c, m.end()) for c in "，,。；;\n") if i >= 0] or [len(text)])
        declared = {d.start(1) for p in self._declaration for d in p.finditer(text, start, end)}
        years = [(abs(y.start(1) - m.start()), _full_year(y.group(1))) for y in self._recognized.finditer(text, start, end)
                 if y.start(1) not in declared]
        return min(years)[1] if years else None

    def _negated(self, text: str, start: int) -> bool:
        """A negation just before the phrase (past a level word and quotes: "没有国家级“小巨人”"), or a
        strong one a few words before in its clause; not one inside an aside closed before it
        ("焊接车间（跟总装线不是一回事）经省认定为智能车间")."""
        text = _ASIDE.sub("", text[:start])
        start = len(text)
        before = _QUOTES_END.sub("", text[max(0, start - 12):start])
        before = _QUOTES_END.sub("", self._level_end.sub("", before))
        if any(before[-4:].endswith(n) for n in self.lex.negations):
            return True
        window = re.split(r"[，。；！？,;!?\n]", text[max(0, start - 24):start])[-1]
        return any(n in window for n in self.lex.far_negations)

    def _level(self, text: str, m: re.Match) -> str | None:
        """The level said of a title: in the phrase itself, else the nearest word before it."""
        best: tuple[int, str] | None = None
        window_start = max(0, m.start() - 10)
        for level, cue in self.lex.level_cue.items():
            for hit in cue.finditer(text[window_start:m.end()]):
                pos = window_start + hit.end()
                if best is None or pos > best[0]:
                    best = (pos, level)
        return best[1] if best else None

    def _pending(self, text: str, m: re.Match) -> bool:
        end = _CLAUSE_END.search(text, m.end())
        sentence = text[max(text.rfind(c, 0, m.start()) for c in "。；\n") + 1:end.start() if end else len(text)]
        return any(w in sentence for w in self.lex.validity.pending)

    def _revoked(self, text: str, m: re.Match) -> bool:
        """Said to have been taken away just after the title, before the sentence ends
        ("…跨领域工业互联网平台，但资格已被取消"), or denied right after it in its clause
        ("两化融合贯标认定还没通过"), or said to be still in progress there ("贯标认定正在做")."""
        after = _CLAUSE_END.split(text[m.end():m.end() + self.lex.validity.revoked_reach], maxsplit=1)[0]
        clause = re.split(r"[，,]", after, maxsplit=1)[0]
        return (any(w in after for w in self.lex.validity.revoked) or bool(self.lex.after_negation.search(clause))
                or any(w in clause for w in [*self.lex.validity.in_progress, *self.lex.validity.pending])
                or self._refused(after) or self._not_ours(after))

    def _not_ours(self, after: str) -> bool:
        """The listing said to be another party's, after the title with no other title between but
        those listed with it ("…“头雁”企业名单里，但名单上只有母公司，我们这家子公司本身不在名单里",
        "小巨人、绿色工厂这些称号都是母公司的")."""
        found = self.lex.not_ours.search(after)
        listed = self._listed.match(after).end()
        return bool(found) and not self._titles.search(after[listed:found.start()])

    def _refused(self, after: str) -> bool:
        """Applied for and refused, said after the title with no other title in between
        ("…示范企业我们也申报了，但2024年没有获批"; not "绿色工厂，申报的质量标杆没有获批")."""
        for word in self.lex.validity.refused:
            at = after.find(word)
            if at >= 0 and not self._titles.search(after[:at]):
                return True
        return False

    def _expired(self, text: str, m: re.Match) -> bool:
        """Said to have expired in its sentence; when the sentence also says something is valid,
        the word nearer the title decides ("…小巨人，2023年到期复核没通过，现在只有省级称号（还在有效期）")."""
        end = _CLAUSE_END.search(text, m.end())
        start = text.rfind("。", 0, m.start()) + 1
        sentence = text[start:end.start() if end else len(text)]
        at = m.start() - start

        def nearest(words: list[str]) -> int | None:
            found = [abs(i - at) for w in words for i in _positions(sentence, w)]
            return min(found) if found else None

        expired, valid = nearest(self.lex.validity.expired), nearest(self.lex.validity.valid)
        return expired is not None and (valid is None or expired < valid)

    def _counted(self, text: str, spec: FactSpec) -> FactState | None:
        if not spec.counted:
            return None
        qualifiers = "|".join(map(re.escape, self.lex.bounds.count_qualifiers)) or "(?!)"
        m = re.search(rf"{spec.counted}了?\s*(?:{qualifiers})?\s*(\d+)\s*家", text)
        if not m:
            return None
        count = int(m.group(1))
        end = _CLAUSE_END.search(text, m.end())
        excluded = self.lex.bounds.count_excluded.search(text[m.end():end.start() if end else len(text)])
        if excluded and int(excluded.group("n")) <= count:
            count -= int(excluded.group("n"))      # "其中3家是东莞的企业，不是佛山集群企业"
        return FactState(value=count >= spec.at_least, label=spec.label, said=m.group(0))
