"""The units a per-unit award counts (每亩5万元, 每件1万元, 300元/吨), as questions write them.

One list serves the drafter and the reader: ``quantity_inputs`` of knowledge/lexicon/draft.yaml
(unit -> the input it fills); the drafter's ``units`` pattern may name only units of that list.
knowledge/lexicon/units.yaml adds what questions write differently (800平米, 3位), what turns a
unit into another word (3个月, 2项目) and the periods a price may be per (每平方米每月18元).
A broken or inconsistent file is refused with a Chinese error naming the entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from errors import PolicyError

LEXICON = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon"
DRAFT_FILE = LEXICON / "draft.yaml"
UNITS_FILE = LEXICON / "units.yaml"
NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十]+"
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def number(text: str) -> Decimal | None:
    """3, 1,200, 2.5, 两, 十二, 二十五 (up to 九十九); None for anything else."""
    text = text.replace(",", "")
    if text[:1].isdigit():
        return Decimal(text)
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return Decimal(_CN[text]) if len(text) == 1 and text in _CN else None
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _CN) or (ones and ones not in _CN):
        return None
    return Decimal((_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0))


@dataclass(frozen=True)
class Units:
    inputs: dict[str, str]               # unit -> input name (draft.yaml quantity_inputs)
    counted: tuple[str, ...]             # units a count may be in (draft.yaml `units`)
    aliases: dict[str, str]              # 平米 -> 平方米
    not_after: dict[str, tuple[str, ...]]
    periods: dict[str, int]              # 月 -> 12 (per year)

    @property
    def written(self) -> list[str]:
        """Every way a question writes a counted unit, longest first (平方米 before 平方)."""
        return sorted({*self.counted, *self.aliases}, key=len, reverse=True)

    def canonical(self, written: str) -> str:
        return self.aliases.get(written, written)

    def same_input(self, unit: str) -> set[str]:
        """The units filling the input `unit` fills (人 and 名 both count people)."""
        name = self.inputs.get(unit)
        return {u for u, n in self.inputs.items() if n == name} | {unit} if name else {unit}

    def ends_word(self, unit: str, after: str) -> bool:
        """Whether the text right after the unit makes it part of another word (3个月, 5人民币)."""
        return any(after.startswith(w) for w in self.not_after.get(unit, ()))


def _fail(path: Path, why: str) -> PolicyError:
    return PolicyError("bad_lexicon", f"单位词表 {path.name} 有误：{why}")


def _read(path: Path) -> dict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise _fail(path, str(err)) from None
    if not isinstance(raw, dict):
        raise _fail(path, "应为映射（键: 值）")
    return raw


@lru_cache(maxsize=4)
def load_units(draft_file: Path = DRAFT_FILE, units_file: Path = UNITS_FILE) -> Units:
    draft, extra = _read(draft_file), _read(units_file)
    inputs = draft.get("quantity_inputs")
    if not isinstance(inputs, dict) or not isinstance(draft.get("units"), str):
        raise _fail(draft_file, "缺少 quantity_inputs 或 units")
    counted = tuple(u.strip() for u in draft["units"].split("|") if u.strip())
    unknown = [u for u in counted if u not in inputs]
    if unknown:
        raise _fail(draft_file, f"units 中的单位“{'、'.join(unknown)}”不在 quantity_inputs 中")
    aliases, not_after, periods = (extra.get(k) or {} for k in ("aliases", "not_after", "periods"))
    if not all(isinstance(x, dict) for x in (aliases, not_after, periods)):
        raise _fail(units_file, "aliases、not_after、periods 应为映射")
    for written, unit in aliases.items():
        if unit not in counted:
            raise _fail(units_file, f"别名“{written}”指向的单位“{unit}”不在起草词表 units 中")
    for unit, words in not_after.items():
        if unit not in counted or not isinstance(words, list):
            raise _fail(units_file, f"not_after 的“{unit}”应为起草词表 units 中的单位，值为词语列表")
    if any(not isinstance(n, int) or n < 1 for n in periods.values()):
        raise _fail(units_file, "periods 的值应为每年的期数（正整数）")
    return Units(dict(inputs), counted, dict(aliases),
                 {u: tuple(map(str, w)) for u, w in not_after.items()}, dict(periods))


def count_pattern(units: Units) -> re.Pattern:
    """A number and a counted unit: 120吨, 3个, 两名, 1,600平米."""
    written = "|".join(map(re.escape, units.written))
    return re.compile(rf"(?<![\d.])({NUMBER})\s*({written})")


def price_patterns(units: Units) -> list[re.Pattern]:
    """An amount per unit, maybe per period: 每平方米每月25元, 月租金每平方米18元, 25元/平方米·月."""
    written = "|".join(map(re.escape, units.written))
    periods = "|".join(map(re.escape, sorted(units.periods, key=len, reverse=True)))
    money = r"(?P<n>\d+(?:\.\d+)?)\s*元"
    return [re.compile(rf"每\s*(?P<unit>{written})\s*(?:每\s*(?P<period>{periods}))?[^\d，,。；;]{{0,4}}?{money}"),
            re.compile(rf"{money}\s*[/／每]\s*(?P<unit>{written})\s*(?:[·•/／.]\s*(?P<period>{periods}))?")]
