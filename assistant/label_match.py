"""Which of the user's amounts a drafted rule's input label names, by the words said before it.

A draft's input label is the policy's own wording ("实际研发费用支出", "所获国家拨款额"); users
paraphrase it ("研发投入900万元", "国家拨款720万元"). A label is read as modifiers and a head
(研发 + 费用支出); an amount fills it when its words have a head of the same kind (投入: spent) and
carry every modifier of the label, and when the role the reader gave it is not another kind than
the label's (总投资 never fills 设备购置). Vocabulary: knowledge/input_labels.yaml.

An input counting growth ("地方财政贡献额同比超出部分") takes an amount said as growth ("比上年增长了
90万"), or the difference of two years' amounts ("当年520万元，2023年是430万元"); one year's amount
alone leaves it unclear, to be asked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.case import Said
from assistant.wording import char_pairs
from calculators.amounts import format_wan as _wan
from errors import PolicyError

LABELS_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "input_labels.yaml"
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
_PUNCT = re.compile(r"[\s，,。；;：:、（）()“”\"'《》]")


class Increment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: list[str] = Field(min_length=1)
    said: list[str] = Field(min_length=1)
    current: list[str] = Field(min_length=1)
    previous: list[str] = Field(min_length=1)


class LabelVocab(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    filler: list[str]
    suffixes: list[str]
    heads: dict[str, list[str]] = Field(min_length=1)
    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    increment: Increment


@cache
def load_vocab(path: Path = LABELS_FILE) -> LabelVocab:
    try:
        return LabelVocab.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PolicyError("bad_input_labels", f"输入标签词表 {path.name} 有误：{str(exc).splitlines()[0]}") from None


@dataclass(frozen=True)
class Phrase:
    head: str            # "" when no head word is found
    kinds: frozenset[str]
    mods: str            # the words before the head, fillers dropped


def _longest_first(words) -> list[str]:
    return sorted(set(words), key=len, reverse=True)


def _clean(text: str, vocab: LabelVocab) -> str:
    text = _YEAR.sub("", _PUNCT.sub("", text))
    for canonical, variants in vocab.synonyms.items():
        for v in _longest_first(variants):
            text = text.replace(v, canonical)
    for word in _longest_first(vocab.filler):
        text = text.replace(word, "")
    return text


def _head_words(vocab: LabelVocab) -> list[tuple[str, frozenset[str]]]:
    kinds: dict[str, set[str]] = {}
    for kind, words in vocab.heads.items():
        for w in words:
            kinds.setdefault(w, set()).add(kind)
    return [(w, frozenset(kinds[w])) for w in _longest_first(kinds)]


def read_phrase(text: str, vocab: LabelVocab, label: bool = False) -> Phrase:
    """Modifiers and head of a label (its head ends it, past a suffix: "国家拨款额") or of a
    user's words (the last head word said: "产业化项目刚拿到社会风险投资")."""
    text = _clean(text, vocab)
    heads = _head_words(vocab)
    if label:
        for _ in range(2):
            for word, kinds in heads:
                if text.endswith(word):
                    return Phrase(word, kinds, text[:-len(word)])
            suffix = next((s for s in _longest_first(vocab.suffixes) if text.endswith(s)), None)
            if suffix is None:
                break
            text = text[:-len(suffix)]
        return Phrase("", frozenset(), text)
    found = [(text.rfind(w) + len(w), len(w), w, k) for w, k in heads if w in text]
    if not found:
        return Phrase("", frozenset(), text)
    end, size, word, kinds = max(found)
    return Phrase(word, kinds, text[:end - size])


def _units(mods: str) -> set[str]:
    """What a modifier says, as character pairs (a single character when that is all)."""
    if len(mods) < 2:
        return {mods} if mods else set()
    return char_pairs(mods)


def fit(label: str, words: str, vocab: LabelVocab | None = None) -> int | None:
    """How well the user's words name the label (higher is closer); None when they name another
    kind of amount or leave out one of the label's modifiers."""
    vocab = vocab or load_vocab()
    mine, theirs = read_phrase(label, vocab, label=True), read_phrase(words, vocab)
    if not mine.head or not theirs.head or not (mine.kinds & theirs.kinds):
        return None
    need, have = _units(mine.mods), _units(theirs.mods) | set(theirs.mods)
    if not need <= have:
        return None
    return len(need) * 2 + (mine.head == theirs.head)


def best_said(label: str, said: list[Said], allowed) -> list[Said] | None:
    """The amounts (one, or a list said with the same words) whose words fit the label best, if
    one set fits better than every other; `allowed(said)`: whether its role may fill the label."""
    groups: dict[str, list[Said]] = {}
    for s in said:
        groups.setdefault(s.words, []).append(s)
    scored = sorted(((score, words) for words, group in groups.items()
                     if (score := fit(label, words)) is not None and all(allowed(s) for s in group)),
                    reverse=True)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return groups[scored[0][1]]


@dataclass
class Growth:
    """What the user said of an input counting growth."""

    values: list[Decimal]
    used: str = ""        # "地方财政贡献额同比超出部分90万元（520万元 − 430万元）"
    unclear: bool = False


def growth_stem(label: str, vocab: LabelVocab | None = None) -> str | None:
    """What grows, for a label counting growth ("地方财政贡献额同比超出部分" → 地方财政贡献额)."""
    vocab = vocab or load_vocab()
    marker = next((m for m in _longest_first(vocab.increment.label) if m in label), None)
    return None if marker is None else label.replace(marker, "").replace("同比", "").replace("比上年", "")


def _when(words: str, vocab: LabelVocab) -> tuple[int, int] | None:
    """(explicit year or 0, 1 current / -1 previous / 0 unsaid), None when nothing says it."""
    year = _YEAR.search(words)
    rel = (1 if any(w in words for w in vocab.increment.current) else
           -1 if any(w in words for w in vocab.increment.previous) else 0)
    if not year and not rel:
        return None
    return (int(year.group(0)[:4]) if year else 0, rel)


def _later(a: tuple[int, int], b: tuple[int, int]) -> bool | None:
    """Whether the amount said with `a` is the later year's than the one said with `b` (None: not said)."""
    if a[0] and b[0] and a[0] != b[0]:
        return a[0] > b[0]
    if (a[1] == 1) != (b[1] == 1):
        return a[1] == 1
    if (a[1] == -1) != (b[1] == -1):
        return b[1] == -1
    return None


def _of_it(words: str, vocab: LabelVocab) -> bool:
    """Words that name only a time ("2023年是", "去年"): another year's amount of what came before."""
    rest = _clean(words, vocab)
    for w in (*vocab.increment.current, *vocab.increment.previous):
        rest = rest.replace(w, "")
    return rest == "" and _when(words, vocab) is not None


def _years_of(said: list[Said], found: list[int], vocab: LabelVocab) -> list[tuple[Said, Said]]:
    """(later, earlier) pairs of two years' amounts of the same thing: a found amount and the one
    after it naming only a year ("当年…520万元，2023年是430万元"), or two found ones of two years."""
    pairs = []
    for i in found:
        others = [j for j in found if j > i] + ([i + 1] if i + 1 < len(said) and _of_it(said[i + 1].words, vocab)
                                                else [])
        for j in others:
            a, b = _when(said[i].words, vocab) or (0, 0), _when(said[j].words, vocab) or (0, 0)
            later = _later(a, b)
            if later is not None:
                pairs.append((said[i], said[j]) if later else (said[j], said[i]))
    return pairs


def growth(label: str, said: list[Said], allowed) -> Growth | None:
    """The growth a label counting growth takes (None: the label counts no growth)."""
    vocab = load_vocab()
    stem = growth_stem(label, vocab)
    if stem is None:
        return None
    found = [i for i, s in enumerate(said) if allowed(s) and fit(stem, s.words, vocab) is not None]
    grown = [said[i] for i in found if any(w in said[i].words for w in vocab.increment.said)]
    if len(grown) == 1:
        return Growth([grown[0].value], f"{label}{_wan(grown[0].value)}")
    pairs = _years_of(said, found, vocab) if not grown else []
    if len(pairs) == 1 and pairs[0][0].value > pairs[0][1].value:
        later, earlier = pairs[0]
        diff = later.value - earlier.value
        return Growth([diff], f"{label}{_wan(diff)}（{_wan(later.value)} − {_wan(earlier.value)}）")
    return Growth([], unclear=bool(found))

