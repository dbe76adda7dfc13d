"""The text side of rule drafting: a clause cut into sentences, each sentence's figures and their roles.

A *piece* is a sentence of a clause (cut at 。！？ and ；, never inside brackets). A *figure* is a
money amount, a percentage or an amount per unit; its *role* (award, cap, threshold, rate,
instalment share …) comes from the words around it inside its phrase, read from
``knowledge/lexicon/draft.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from calculators.amounts import find_amounts
from errors import PolicyError

LEXICON = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon" / "draft.yaml"
_PATTERNS = ("award_words", "grant_words", "cap_before", "threshold_before", "threshold_after", "below_after",
             "range_joiner", "quota_words", "per_year_cap", "combined_cap", "instalment_first",
             "instalment_then", "instalment_years", "rate_ceiling", "old_rate_after", "condition_rate_before",
             "units", "grades", "respectively", "subject_prefix", "subject_suffix", "numbering",
             "band_low_before", "band_low_excl", "band_low_after", "band_high_before", "band_high_excl",
             "band_high_after", "band_joiner", "band_incl_after", "foreign_amount", "fund_size", "fund_after",
             "enterprise_cap", "per_step", "excess_base", "full_cost", "progressive", "step",
             "malformed_number", "tier_lead", "rate_base_nouns", "growth_base", "rate_base_lead", "not_award_rate",
             "discretionary", "rate_base_grant", "part_of_base", "yoy_growth", "recipient", "rank_places", "unit_joiner",
             "minimum_before", "band_units", "relative_count_limit", "count_cap_scope", "actual_cost_cap",
             "document_exclusion", "where_list", "bare_condition_grant", "subject_trail",
             "where_grant", "loan_after", "slash_units", "unit_price_lead",
             "heading_not_subject", "only_once", "period_lead", "graded_award", "part_above", "part_below",
             "part_from", "part_base")
_OPEN, _CLOSE = "（(“《[【", "）)”》]】"
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*([%％‰])")


@dataclass(frozen=True)
class Lexicon:
    patterns: dict[str, re.Pattern[str]]
    max_years: tuple[re.Pattern[str], ...]
    inputs: dict[str, str]
    quantity_inputs: dict[str, str]
    periods: dict[str, int] = field(default_factory=dict)     # 月: 12 (an amount per month, times 12 a year)

    def __getattr__(self, name: str) -> re.Pattern[str]:
        try:
            return self.patterns[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON) -> Lexicon:
    """The drafting patterns, compiled; PolicyError naming the key when one is missing or broken."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        patterns = {key: re.compile(raw[key]) for key in _PATTERNS}
        years = tuple(re.compile(p) for p in raw["max_years"])
        inputs, quantities = dict(raw["inputs"]), dict(raw["quantity_inputs"])
        periods = {str(k): int(v) for k, v in raw["periods"].items()}
    except KeyError as err:
        raise PolicyError("bad_lexicon", f"起草词表 {path} 缺少 {err.args[0]}") from None
    except (OSError, yaml.YAMLError, re.error, TypeError, ValueError) as err:
        raise PolicyError("bad_lexicon", f"起草词表 {path} 有误：{err}") from None
    if any(not re.fullmatch(r"[a-z][a-z0-9_]*", v) for v in [*inputs.values(), *quantities.values()]):
        raise PolicyError("bad_lexicon", f"起草词表 {path} 的输入项名称须为小写英文加下划线")
    if any(n < 1 for n in periods.values()):
        raise PolicyError("bad_lexicon", f"起草词表 {path} 的 periods 须为正整数")
    return Lexicon(patterns, years, inputs, quantities, periods)


@dataclass
class Figure:
    kind: str                     # money | percent
    value: Decimal                # yuan, or a fraction (0.3)
    start: int                    # offsets in the piece
    end: int
    text: str
    role: str = "other"           # award | cap | threshold | rate | unit | base_cap | quota | ...
    unit: str | None = None       # the unit of a per-unit amount (亩, 平方米, 人)
    period: str | None = None     # its period when it has one (30元/平方米•月: 月)


@dataclass
class Piece:
    """One sentence of a clause, with its offsets in the clause text."""

    text: str
    start: int
    end: int
    sentence: int = 0             # index of the full sentence (cut at 。！？ only) it belongs to
    figures: list[Figure] = field(default_factory=list)

    def roles(self, *roles: str) -> list[Figure]:
        return [f for f in self.figures if f.role in roles]

    def phrase_bounds(self, pos: int) -> tuple[int, int]:
        """The phrase around offset `pos`: up to the nearest comma at its bracket depth, or its brackets."""
        return _phrase_edge(self.text, pos, -1), _phrase_edge(self.text, pos, 1)

    def before(self, fig: Figure) -> str:
        return self.text[self.phrase_bounds(fig.start)[0]:fig.start]

    def after(self, fig: Figure) -> str:
        return self.text[fig.end:self.phrase_bounds(fig.start)[1]]


def depth(text: str, index: int) -> int:
    """How many brackets are open at `index`."""
    depth = 0
    for ch in text[:index]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth


def split_pieces(text: str) -> list[Piece]:
    """Sentences of a clause: cut after 。！？；; outside brackets; offsets kept."""
    pieces, start, depth, sentence = [], 0, 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in "。！？；;!?" and depth == 0:
            pieces.append(Piece(text[start:i + 1], start, i + 1, sentence))
            start = i + 1
            sentence += ch in "。！？!?"
    if text[start:].strip():
        pieces.append(Piece(text[start:], start, len(text), sentence))
    return [p for p in pieces if p.text.strip("。；; ")]


def find_figures(piece: Piece, lex: Lexicon) -> list[Figure]:
    """Money amounts and percentages of a piece, each with its role."""
    figures = [Figure("money", m.value, m.start, m.end, m.text) for m in find_amounts(piece.text)]
    for m in _PERCENT.finditer(piece.text):
        value = Decimal(m.group(1)) / (1000 if m.group(2) == "‰" else 100)
        figures.append(Figure("percent", value, m.start(), m.end(), m.group()))
    figures.sort(key=lambda f: f.start)
    for fig in figures:
        fig.role = _money_role(piece, fig, lex) if fig.kind == "money" else _percent_role(piece, fig, lex)
    _threshold_chains(piece, figures)
    return figures


def _threshold_chains(piece: Piece, figures: list[Figure]) -> None:
    """上云费用达1万元、5万元、10万元、20万元以上的: the items of a 、-list whose last item is a threshold are
    thresholds too (each a lower end on the same measure), not awards."""
    for fig, later in reversed(list(zip(figures, figures[1:], strict=False))):
        if later.role == "threshold" and fig.kind == later.kind and fig.role in ("award", "other") \
                and re.fullmatch(r"\s*、\s*", piece.text[fig.end:later.start]):
            fig.role = "threshold"


def _unit_of(piece: Piece, fig: Figure, lex: Lexicon) -> str | None:
    units, periods = lex.units.pattern, "|".join(lex.periods)
    before = piece.before(fig)
    # 每平方米200元 / 每月每平方米50元 / 每平方米每月50元 / 每人每年2万元: the period may stand on either side
    m = re.search(rf"(?:每(?P<p1>{periods}))?每(?P<u>{units})(?:每(?P<p2>{periods}))?(?=[^，,。；每]{{0,8}}$)", before)
    # 每户每年不超过30万元: the period after the unit, then the cap — a cap, unless a rate is stated (按每平方米每月最高…)
    least = 0 if m and m.group("p2") and not lex.unit_price_lead.search(before[:m.start()]) else 1
    if m and re.match(rf"[^\d（(]{{{least},}}?(?:{lex.cap_before.pattern})", before[m.end():]):
        m = None            # 每个项目最高补助30万元 / 每户每年不超过30万元: the cap of one item, not an amount per item
    if m and not re.search(r"每(?:超过|增加|新增)", before[m.start():]):
        fig.period = m.group("p1") or m.group("p2")
        return m.group("u")
    return _per_unit_after(piece.text[fig.end:fig.end + 12], fig, lex)


def _per_unit_after(after: str, fig: Figure, lex: Lexicon) -> str | None:
    """30元/平方米•月 / 3元/月•平方米 / 0.6万/人/年 / 300元/吨: the unit (and period) written after the amount;
    a slash before anything else (10元/公斤) is an amount per a unit nobody here counts ("?")."""
    parts = f"(?:{lex.units.pattern}|{lex.slash_units.pattern}|{'|'.join(lex.periods)})"
    m = re.match(rf"\s*[/／]\s*(?:每)?(?P<a>{parts})(?:\s*(?:{lex.unit_joiner.pattern})\s*(?:每)?(?P<b>{parts}))?", after)
    if not m:
        return "?" if re.match(r"\s*[/／]\s*[\u4e00-\u9fffA-Za-z]", after) else None
    found = [p for p in (m.group("a"), m.group("b")) if p]
    units = [p for p in found if p not in lex.periods]
    periods = [p for p in found if p in lex.periods]
    if len(units) != 1 or len(periods) > 1:
        return "?"
    fig.period = periods[0] if periods else None
    return units[0]


def _listed(before: str) -> str | None:
    """5-10万元: a range; 10、20、30万元: a list whose first items lost their unit."""
    if re.search(r"\d\s*[-－~～—]$", before):
        return "range"
    return "partial_list" if re.search(r"\d\s*[、，,]$", before) else None


def _form(before: str, fig: Figure, lex: Lexicon) -> str | None:
    """A role the figure's own writing decides: a range, a list that lost units, an amount per a unit the
    drafter cannot count (10元/公斤), or the least an award is (给予不少于20万元的奖励)."""
    if fig.unit == "?":
        fig.unit = None
        return "per_other"
    if re.search(rf"(?:{lex.grant_words.pattern})\s*(?:{lex.minimum_before.pattern})", before):
        return "minimum"
    if lex.only_once.search(before):
        return "other"          # 同时被评为…的，只享受一次1000万元的资金奖励: not another award
    return _listed(before)


def _threshold(before: str, after: str, lex: Lexicon) -> bool:
    """1000万元以上 / 500万元以下 / 1亿元至5亿元 / …至5亿元: an end of a band, not an award."""
    if lex.threshold_after.search(after) or lex.below_after.search(after) or lex.range_joiner.search(after):
        return True
    return bool(re.search(r"(?:至|到|－|-|—|~|～)$", before.rstrip("人民币")) and re.search(r"\d", before))


def _upper_threshold(before: str, after: str) -> bool:
    """单笔投资额不超过500万元（含）的，…: the phrase is a band of the base, not a cap."""
    return bool(re.fullmatch(r"(?:人民币)?(?:（含）|\(含\))?的", after)) and bool(re.search(r"(?:不超过|不高于)$", before))


def _money_role(piece: Piece, fig: Figure, lex: Lexicon) -> str:
    before, after = piece.before(fig), piece.after(fig)
    near = before[-8:]
    fig.unit = _unit_of(piece, fig, lex)
    form = _form(before, fig, lex)
    if form:
        return form
    if lex.quota_words.search(before) or lex.loan_after.search(after):
        return "quota"          # a programme's budget, or money lent (最高2000万元信用贷款)
    if _threshold(before, after, lex):
        return "threshold"
    if lex.fund_size.search(before) or lex.fund_after.search(after):
        return "quota"
    if lex.per_year_cap.search(before):
        return "year_cap"
    if fig.unit:
        return "unit"
    if re.search(r"再(?:奖励|给予|奖补|补助|补贴)", near):
        return "extra"
    if _upper_threshold(before, after):
        return "threshold"          # 单笔投资额不超过500万元（含）的，…: a band of the base, not a cap
    if re.search(rf"(?:{lex.cap_before.pattern})(?:[^，,]{{0,12}})$", before):
        capped = _award_after_cap(near, lex) and not lex.enterprise_cap.search(before)
        return "award_max" if capped else "cap"
    if re.search(rf"(?:{lex.threshold_before.pattern})$", before) and re.match(r"^(?:人民币)?(?:（含）)?的", after):
        return "threshold"
    if lex.grant_words.search(before) or lex.grant_words.search(after):
        return "minimum" if lex.minimum_before.search(before) else "award"
    return "other"


def _award_after_cap(near: str, lex: Lexicon) -> bool:
    """给予最高100万元的资助 / 一次性最高奖励100万元: an award of at most that amount."""
    return bool(re.search(rf"(?:最高|最多)(?:合计|累计|总计|共)?(?:{lex.grant_words.pattern})?$", near)) and "不超过" not in near


def _percent_role(piece: Piece, fig: Figure, lex: Lexicon) -> str:
    before, after = piece.before(fig), piece.after(fig)
    if re.search(rf"(?:{lex.rate_ceiling.pattern})$", before):
        return "base_cap"
    if lex.old_rate_after.search(after):
        return "old_rate"
    if lex.instalment_years.search(piece.text) and fig.start >= lex.instalment_years.search(piece.text).start():
        return "year_share"
    if lex.instalment_first.search(before):
        return "first_share"
    if lex.instalment_then.search(before):
        return "then_share"
    if lex.combined_cap.search(before):
        return "combined"
    if re.match(r"^(?:（含）)?(?:及|或)?以上", after) or re.search(
            rf"(?:{lex.condition_rate_before.pattern})$", before):
        return "condition"
    return "rate"


def chinese_int(text: str) -> int | None:
    """3 or 三 -> 3 (years, instalment counts)."""
    digits = "零一二三四五六七八九"
    text = text.replace("两", "二")
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if len(text) == 1 and text in digits:
        return digits.index(text)
    if text.startswith("十") and len(text) == 2:
        return 10 + digits.index(text[1])
    return None


def _phrase_edge(text: str, pos: int, step: int) -> int:
    """Where the phrase around `pos` ends going left (`step` -1) or right (1): at a comma or
    semicolon outside brackets, or at the bracket that encloses it."""
    opening, closing = (_CLOSE, _OPEN) if step < 0 else (_OPEN, _CLOSE)
    depth, at = 0, pos
    while (at > 0) if step < 0 else (at < len(text)):
        ch = text[at - 1] if step < 0 else text[at]
        if ch in opening:
            depth += 1
        elif ch in closing:
            if depth == 0:
                break
            depth -= 1
        elif ch in "，,；;" and depth == 0:
            break
        at += step
    return at
