"""Reading a policy's stated conditions against what the question states (for drafts whose award
clause defers to them, assistant/deferred_conditions.py).

- thresholds, lower ("达到50家以上") and upper ("上年度营业收入不超过4亿元"), against the values the
  question states and ties to the same words ("去年营收4.6亿": 营收 is folded to 营业收入);
  thresholds by kind of applicant (若为工业类企业…；若为其他类型企业…) fail only for the kind the
  question names, or, when it names none, when every one of them fails;
- a condition on where the applicant came from ("由广州市以外地区直接变更至南沙区") or is registered
  ("注册地…在…范围内"), with the region table (assistant/places.py).

The vocabulary is data: knowledge/lexicon/deferred.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.places import RegionTable
from assistant.wording import (
    QUANTITY,
    amount_value,
    char_pairs,
    measure_pairs,
    speaks_of,
    stated_values,
    tied_values,
)
from errors import PolicyError

VOCABULARY = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon" / "deferred.yaml"
_PATTERNS = ("deferring", "headings", "lead", "any_of", "branches", "lower_before", "upper_before",
             "strict_before", "lower_after", "upper_after", "moved_from_outside", "user_origin",
             "registered_in", "user_registered", "rate_label")
NUMBERING = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]|第[一二三四五六七八九十百\d]+[章节条款项])\s*")
_GENERIC = {"企业", "单位", "类企", "类型", "型企", "机构"}    # words of every kind of applicant


@dataclass(frozen=True)
class Vocabulary:
    patterns: dict[str, re.Pattern]
    measures: dict[str, str]
    contrasts: tuple[tuple[tuple[str, ...], ...], ...]

    def __getattr__(self, name: str) -> re.Pattern:
        try:
            return self.patterns[name]
        except KeyError:
            raise AttributeError(name) from None


def _contrasts(raw) -> tuple[tuple[tuple[str, ...], ...], ...]:
    groups = tuple(tuple(tuple(str(w) for w in side) for side in group) for group in raw)
    if any(len(g) < 2 or any(not side for side in g) for g in groups):
        raise ValueError("contrasts：每组至少两方，每方至少一个词")
    return groups


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """The vocabulary, compiled; PolicyError naming the key when one is missing or broken."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        patterns = {key: re.compile(raw[key]) for key in _PATTERNS}
        measures = {str(k): str(v) for k, v in raw["measures"].items()}
        return Vocabulary(patterns, measures, _contrasts(raw["contrasts"]))
    except KeyError as err:
        raise PolicyError("bad_lexicon", f"条件词表 {path.name} 缺少 {err.args[0]}") from None
    except (OSError, yaml.YAMLError, re.error, TypeError, ValueError, AttributeError) as err:
        raise PolicyError("bad_lexicon", f"条件词表 {path.name} 有误：{err}") from None


@lru_cache(maxsize=1)
def _regions() -> RegionTable:
    return RegionTable.load()


@dataclass(frozen=True)
class Bound:
    words: str
    value: Decimal
    unit: str
    upper: bool           # 不超过4亿元: the value must not exceed it
    strict: bool          # 超过 / 低于: the value itself does not meet it

    def holds(self, v: Decimal) -> bool:
        if self.upper:
            return v < self.value if self.strict else v <= self.value
        return v > self.value if self.strict else v >= self.value


def bounds(text: str, vocab: Vocabulary | None = None) -> list[Bound]:
    """The thresholds a condition states, lower ("达到50家以上") and upper ("不超过4亿元")."""
    vocab = vocab or load_vocabulary()
    ops = f"{vocab.upper_before.pattern}|{vocab.lower_before.pattern}"
    phrase = re.compile(rf"(?P<words>[^\d，。；、,;]{{2,16}}?)(?P<op>{ops})?\s*{QUANTITY}(?:人民币)?\s*"
                        rf"(?:[（(]含[）)])?\s*(?P<tail>{vocab.upper_after.pattern}|{vocab.lower_after.pattern})?")
    out = []
    for m in phrase.finditer(text):
        found = amount_value(m)
        op, tail = m.group("op") or "", m.group("tail") or ""
        if found is None or not (op or tail) or (op == "在" and not tail):
            continue
        upper = bool(vocab.upper_after.fullmatch(tail)) if tail else bool(vocab.upper_before.fullmatch(op))
        strict = bool(op) and bool(vocab.strict_before.fullmatch(op)) and not tail
        out.append(Bound(m.group("words"), *found, upper, strict))
    return out


@dataclass(frozen=True)
class Finding:
    status: str                 # failed | unclear | met | unstated
    clause: object = None       # the conditions clause it is about
    why: str = ""               # the condition's words, quoted in the answer


def _folded(question: str, vocab: Vocabulary) -> str:
    for said, policy in vocab.measures.items():
        question = question.replace(said, policy)
    return question


def _kind(part: str, vocab: Vocabulary) -> set[str]:
    """Character pairs of the kind of applicant a branch is for ("若为工业类企业，…" → 工业, 业类)."""
    m = vocab.branches.search(part)
    kind = re.split(r"[，,]", part[m.end():])[0] if m else ""
    return char_pairs(kind) - _GENERIC


def _branch(sentence: str, question: str, vocab: Vocabulary) -> str:
    """The branch of a sentence of branches whose kind of applicant the question names ("我们是
    工业企业" → "若为工业类企业，上年度营业收入不超过4亿元"); the whole sentence when it names none."""
    asked = measure_pairs(question)
    named = [p for p in re.split(r"[；;]", sentence) if _kind(p, vocab) & asked]
    return named[0] if len(named) == 1 else sentence


def _sentence_status(sentence: str, question: str, vocab: Vocabulary) -> str:
    """The thresholds of one sentence against the question; thresholds by kind of applicant
    (若为…；若为其他类型企业…) fail only when every one of them fails, unless the question names
    its kind."""
    if vocab.branches.search(sentence):
        sentence = _branch(sentence, question, vocab)
    results = []
    for b in bounds(sentence, vocab):
        values = stated_values(question, b.unit)
        if not speaks_of(b.words, question) or not values:
            continue                       # the question says nothing of this quantity
        tied = tied_values(b.words, values)
        results.append("unclear" if not tied else "met" if any(b.holds(v) for v in tied) else "failed")
    if not results:
        return "unstated"
    if "unclear" in results:
        return "unclear"
    if "failed" in results and vocab.branches.search(sentence) and len(results) > 1:
        return "failed" if all(r == "failed" for r in results) else "unclear"
    return "failed" if "failed" in results else "met"


def _origin(question: str, vocab: Vocabulary):
    """(stated, the most specific place) the question says the applicant moved from."""
    m = vocab.user_origin.search(question)
    if m is None:
        return False, None
    span = m.group("origin") or m.group("before") or ""
    places = [p.place for p in _regions().find(span) if p.place is not None]
    return True, max(places, key=lambda p: len(p.lineage)) if places else None


def _registered_status(text: str, question: str, vocab: Vocabulary) -> str:
    """"工商注册地…在广州市南沙区范围内" against where the question says it is registered."""
    m, said = vocab.registered_in.search(text), vocab.user_registered.search(question)
    if m is None or said is None:
        return "unstated"
    inside = _regions().place(m.group("inside"))
    places = [p.place for p in _regions().find(said.group("place")) if p.place is not None]
    if inside is None or not places:
        return "unclear"
    return "met" if max(places, key=lambda p: len(p.lineage)).within(inside) else "failed"


def _place_status(text: str, question: str, vocab: Vocabulary) -> str:
    """"由广州市以外地区直接变更至南沙区" against where the question says it moved from."""
    m = vocab.moved_from_outside.search(text)
    if m is None:
        return _registered_status(text, question, vocab)
    stated, origin = _origin(question, vocab)
    if not stated:
        return "unstated"
    outside = _regions().place(m.group("outside"))
    if origin is None or outside is None:
        return "unclear"
    return "failed" if origin.within(outside) else "met"


def check(clauses: list, question: str, vocab: Vocabulary | None = None) -> Finding:
    """The first condition of `clauses` the question fails or leaves unclear; else met/unstated."""
    vocab = vocab or load_vocabulary()
    question = _folded(question, vocab)
    status = "unstated"
    for c in clauses:
        optional = bool(vocab.any_of.search(" ".join(c.headings[-1:]) + c.text))
        for sentence in re.split(r"(?<=[。])", c.text):
            found = _sentence_status(sentence, question, vocab)
            if found == "unstated":
                found = _place_status(sentence, question, vocab)
            if found == "failed" and optional:
                found = "unclear"          # one of alternatives: another may hold
            if found in ("failed", "unclear"):
                return Finding(found, c, NUMBERING.sub("", sentence).strip())
            status = "met" if found == "met" else status
    return Finding(status)


def claimed(clauses: list, question: str, vocab: Vocabulary | None = None) -> set[Decimal]:
    """The question's values tied to a threshold of the conditions ("去年营收2亿" to 营业收入不超过
    4亿元): a value of a condition is not the amount an award is computed from."""
    vocab = vocab or load_vocabulary()
    question = _folded(question, vocab)
    out = set()
    for b in (b for c in clauses for b in bounds(c.text, vocab)):
        out |= set(tied_values(b.words, stated_values(question, b.unit)))
    return out
