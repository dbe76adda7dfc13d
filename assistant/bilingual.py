"""The bilingual lexicon (``knowledge/lexicon/en.yaml``): English terms, regions, number phrases and
money words, validated when loaded and compiled into matchers for ``assistant/normalize.py``.

A broken file is refused with a PolicyError("bad_lexicon") naming the file and the entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from errors import PolicyError
from ingest.corpus import KNOWLEDGE_DIR

LEXICON_DIR = KNOWLEDGE_DIR / "lexicon"
EN_LEXICON = LEXICON_DIR / "en.yaml"

_CJK = re.compile(r"[\u3400-\u9fff]")
RegionKind = Literal["province", "autonomous_region", "municipality", "sar", "city", "district", "county", "area"]


def _chinese(value: str) -> str:
    if not _CJK.search(value):
        raise ValueError(f"“{value}”应含有中文")
    return value


def _english(value: str) -> str:
    if _CJK.search(value) or not re.match(r"[A-Za-z0-9{]", value.strip()):
        raise ValueError(f"“{value}”应为以字母或数字开头的英文（不含中文）")
    return value.strip()


Chinese = Annotated[str, AfterValidator(_chinese)]
English = Annotated[str, AfterValidator(_english)]
Aliases = Annotated[list[English], AfterValidator(lambda v: v or _fail("别名列表不能为空"))]


def _fail(message: str):
    raise ValueError(message)


class AmountWords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    currencies: dict[Chinese, list[str]]          # 元 -> [RMB, CNY, ¥, …]
    multipliers: dict[Decimal, Aliases]           # 1000000 -> [million, …]
    short_multipliers: dict[Decimal, Aliases]     # only next to a currency: RMB 7.5m


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    region_suffixes: dict[RegionKind, list[English]]
    regions: dict[RegionKind, dict[Chinese, Aliases]]
    terms: dict[str, dict[Chinese, Aliases]]
    numbers: dict[str, Aliases]
    amounts: AmountWords


@dataclass(frozen=True)
class Phrase:
    """One English alias compiled: matches at a word start, gives `chinese` ({n} filled in)."""
    alias: str
    chinese: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    by_first_word: dict[str, tuple[Phrase, ...]]   # "#" for phrases that start with a number
    amount_pattern: re.Pattern[str]
    currencies: dict[str, str]                     # lower-case alias -> 元 / 美元 / …
    multipliers: dict[str, Decimal]                # lower-case word -> factor
    short_multipliers: frozenset[str]

    def phrases_at(self, word: str) -> tuple[Phrase, ...]:
        """Phrases that may start at `word` (also under its singular: products -> product)."""
        if word[:1].isdigit():
            return self.by_first_word.get("#", ())
        word = word.lower()
        found = self.by_first_word.get(word, ())
        stems = [p for stem in _singulars(word) for p in self.by_first_word.get(stem, ())]
        return tuple(sorted((*found, *stems), key=lambda p: -len(p.alias))) if stems else found


def _singulars(word: str) -> tuple[str, ...]:
    if not word.endswith("s") or len(word) < 5:
        return ()
    return (word[:-1], word[:-2], word[:-3] + "y") if word.endswith("ies") else (word[:-1], word[:-2])


def _piece(piece: str, last: bool) -> str:
    if piece == "{n}":
        return r"(?P<n>\d+(?:\.\d+)?)"
    escaped = re.escape(piece).replace("'", "['’]")
    if not last or len(piece) < 4 or not piece[-1].isalpha() or piece[-1] in "sS":
        return escaped
    if piece[-1] in "yY" and piece[-2] not in "aeiouAEIOU":
        return re.escape(piece[:-1]) + "(?:y|ies)"
    return escaped + "(?:s|es)?"


def _phrase(alias: str, chinese: str) -> Phrase:
    pieces = [p for p in re.split(r"[\s\-]+", alias) if p]
    body = r"[\s\-]+".join(_piece(p, i == len(pieces) - 1) for i, p in enumerate(pieces))
    pattern = re.compile(body + r"(?:['’]s)?(?![A-Za-z0-9])", re.IGNORECASE)
    return Phrase(alias=alias, chinese=chinese, pattern=pattern)


def _entries(data: LexiconFile) -> list[tuple[str, str, str]]:
    """(alias, chinese, where) for every term, region (with its suffixes) and number phrase."""
    entries = []
    for kind, names in data.regions.items():
        for chinese, aliases in names.items():
            for alias in aliases:
                entries.append((alias, chinese, f"regions.{kind}.{chinese}"))
                entries += [(f"{alias} {s}", chinese, f"regions.{kind}.{chinese}")
                            for s in data.region_suffixes.get(kind, []) if not alias.endswith(s)]
    for group, terms in data.terms.items():
        entries += [(a, zh, f"terms.{group}.{zh}") for zh, aliases in terms.items() for a in aliases]
    for template, aliases in data.numbers.items():
        for alias in aliases:
            if template.count("{n}") != 1 or alias.count("{n}") != 1:
                raise ValueError(f"numbers.{template}: “{alias}”与模板都应恰好含一个 {{n}}")
            entries.append((alias, template, f"numbers.{template}"))
    return entries


def _index(entries: list[tuple[str, str, str]]) -> dict[str, tuple[Phrase, ...]]:
    seen: dict[str, tuple[str, str]] = {}
    index: dict[str, list[Phrase]] = {}
    for alias, chinese, where in entries:
        key = re.sub(r"[\s\-]+", " ", alias.lower())
        if key in seen and seen[key][0] != chinese:
            raise ValueError(f"英文“{alias}”同时对应“{seen[key][0]}”（{seen[key][1]}）和“{chinese}”（{where}）")
        seen[key] = (chinese, where)
        first = "#" if alias.startswith("{n}") else re.match(r"[a-z0-9]+", alias.lower()).group()
        index.setdefault(first, []).append(_phrase(alias, chinese))
    return {k: tuple(sorted(v, key=lambda p: -len(p.alias))) for k, v in index.items()}


def _alternation(words: list[str], digits_may_follow: bool) -> str:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        start = r"(?<![A-Za-z])" if word[0].isalpha() else ""
        end = "" if not word[-1].isalnum() else r"(?![A-Za-z])" if digits_may_follow else r"(?![A-Za-z0-9])"
        parts.append(start + re.escape(word) + end)
    return "(?:" + "|".join(parts) + ")"


def _amounts(words: AmountWords) -> tuple[re.Pattern[str], dict[str, str], dict[str, Decimal], frozenset[str]]:
    currencies = {a.lower(): zh for zh, aliases in words.currencies.items() for a in aliases}
    multipliers = {a.lower(): f for f, aliases in words.multipliers.items() for a in aliases}
    short = {a.lower(): f for f, aliases in words.short_multipliers.items() for a in aliases}
    cur, mult = _alternation(list(currencies), True), _alternation([*multipliers, *short], False)
    pattern = re.compile(
        rf"(?<![A-Za-z0-9.,])(?:(?P<c1>{cur})\s*)?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)(?![\d,.]*\s*(?:[万亿千百十个]|[Ww](?![A-Za-z])))"
        rf"(?:\s*(?P<m>{mult}))?(?:\s*(?P<c2>{cur}))?", re.IGNORECASE)
    return pattern, currencies, {**short, **multipliers}, frozenset(short) - frozenset(multipliers)


def _describe(err: ValidationError) -> str:
    return "；".join(f"{'.'.join(str(p) for p in e['loc']) or '文件'}: {e['msg']}" for e in err.errors())


def read_lexicon(path: Path | str) -> Lexicon:
    """Load and validate one lexicon file; PolicyError("bad_lexicon") naming the problem otherwise."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = LexiconFile.model_validate(raw)
        index = _index(_entries(data))
        pattern, currencies, multipliers, short = _amounts(data.amounts)
    except OSError as err:
        raise PolicyError("bad_lexicon", f"无法读取词表文件 {path}：{err.strerror}") from None
    except yaml.YAMLError as err:
        raise PolicyError("bad_lexicon", f"词表文件 {path} 不是有效的 YAML：{err}") from None
    except ValidationError as err:
        raise PolicyError("bad_lexicon", f"词表文件 {path} 有误：{_describe(err)}") from None
    except ValueError as err:
        raise PolicyError("bad_lexicon", f"词表文件 {path} 有误：{err}") from None
    return Lexicon(by_first_word=index, amount_pattern=pattern, currencies=currencies,
                   multipliers=multipliers, short_multipliers=short)


@lru_cache(maxsize=4)
def english_lexicon(path: Path | str = EN_LEXICON) -> Lexicon:
    """The packaged English lexicon, loaded once."""
    return read_lexicon(path)
