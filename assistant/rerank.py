"""Re-ranking signals beyond shared words, from ``knowledge/lexicon/retrieval.yaml``:

- the kind of question: one asking about limits ("迁到别的区有没有限制", "两个都能拿吗") prefers
  clauses stating obligations or exclusions (不得, 至多只能获得一项, 10年内不迁离); one asking about
  the first payment prefers instalments (分三年, 预拨);
- qualifiers telling sibling clauses apart: a clause naming only another member of a contrast than
  the question's (海外 against 省外) loses; a negated qualifier (非科技型 against 科技型) loses when
  only one side negates it and gains when both do.

``Reranker.factors`` gives one multiplier per candidate clause; the retriever applies them to the
fused scores.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.lexical import fold
from errors import PolicyError

CUES_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon" / "retrieval.yaml"
_NOT_NEGATION = ("并", "除", "是", "莫", "无")       # 并非, 除非, 是非: not a negated qualifier
_QUALIFIER_LENGTHS = (2, 3)
SUBJECT_CHARS = 40      # qualifiers count in a clause's opening, where siblings state whom they cover


@dataclass(frozen=True)
class Kind:
    name: str
    boost: float
    asks: tuple[str, ...]
    states: tuple[str, ...]


@dataclass(frozen=True)
class Cues:
    kinds: tuple[Kind, ...]
    contrasts: tuple[tuple[tuple[str, ...], ...], ...]
    negation: str
    match: float
    clash: float


def _bad(message: str) -> PolicyError:
    return PolicyError("bad_retrieval_cues", f"检索词表 {CUES_FILE.name} 有误：{message}")


def _words(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise _bad(f"{where} 须是非空的词语列表")
    return tuple(fold(w.strip()) for w in value)


def _share(value, where: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 3:
        raise _bad(f"{where} 须是 0 到 3 之间的数")
    return float(value)


def parse_cues(data: dict) -> Cues:
    """The cues of one file's data; PolicyError naming the entry when it is malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise _bad("缺少 kinds")
    kinds = []
    for name, spec in data["kinds"].items():
        if not isinstance(spec, dict):
            raise _bad(f"kinds.{name} 须是映射")
        kinds.append(Kind(str(name), _share(spec.get("boost"), f"kinds.{name}.boost"),
                          _words(spec.get("asks"), f"kinds.{name}.asks"),
                          _words(spec.get("states"), f"kinds.{name}.states")))
    contrasts = []
    for i, members in enumerate(data.get("contrasts") or []):
        if not isinstance(members, list) or len(members) < 2:
            raise _bad(f"contrasts 第{i + 1}项须列出至少两组词")
        contrasts.append(tuple(_words(m, f"contrasts 第{i + 1}项") for m in members))
    negation = data.get("negation")
    if not isinstance(negation, str) or len(negation) != 1:
        raise _bad("negation 须是一个字")
    return Cues(tuple(kinds), tuple(contrasts), negation,
                _share(data.get("match"), "match"), min(_share(data.get("clash"), "clash"), 0.9))


@lru_cache(maxsize=2)
def load_cues(path: Path = CUES_FILE) -> Cues:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _bad(f"无法读取（{exc.__class__.__name__}）") from None
    return parse_cues(data)


class Reranker:
    """Multipliers for candidate clauses (texts in clause order) given a question."""

    def __init__(self, texts: Sequence[str], cues: Cues | None = None):
        self.cues = cues or load_cues()
        self.texts = [fold(t) for t in texts]
        self.heads = [t[:SUBJECT_CHARS] for t in self.texts]

    def kinds(self, query: str) -> list[Kind]:
        """The kinds of question the query asks."""
        q = fold(query)
        return [k for k in self.cues.kinds if any(w in q for w in k.asks)]

    def factors(self, query: str, positions: Sequence[int]) -> dict[int, float]:
        """A multiplier (1.0 when nothing applies) for each candidate position."""
        q = fold(query)
        kinds = self.kinds(q)
        members = [(c, m) for c in self.cues.contrasts if (m := _named_member(q, c)) is not None]
        out = {}
        for pos in positions:
            text, head = self.texts[pos], self.heads[pos]
            factor = 1.0
            for kind in kinds:
                if any(w in text for w in kind.states):
                    factor *= 1.0 + kind.boost
            for contrast, member in members:
                factor *= self._qualifier(_named_member(head, contrast, several=True), member)
            factor *= self._negation(q, head)
            out[pos] = factor
        return out

    def _qualifier(self, clause_side: set[int] | None, query_side: int) -> float:
        """clash when the clause names members of the contrast but not the question's."""
        if clause_side is None or query_side in clause_side:
            return 1.0
        return 1.0 - self.cues.clash

    def _negation(self, query: str, text: str) -> float:
        """match when both say 非X, clash when one says 非X and the other only X."""
        neg = self.cues.negation
        for x in _negated_words(text, neg):
            if x in query and not _plain(text, x, neg):
                if neg + x in query:
                    return 1.0 + self.cues.match if not _plain(query, x, neg) else 1.0
                return 1.0 - self.cues.clash
        for x in _negated_words(query, neg):
            if _plain(text, x, neg) and neg + x not in text and not _plain(query, x, neg):
                return 1.0 - self.cues.clash
        return 1.0


def _plain(text: str, word: str, neg: str) -> bool:
    """Whether `word` occurs in the text without the negation before it."""
    start = text.find(word)
    while start != -1:
        if not text[max(0, start - 1):start] == neg:
            return True
        start = text.find(word, start + 1)
    return False


def _negated_words(text: str, neg: str) -> list[str]:
    """The qualifiers a text negates: 科技, 科技型 for 非科技型企业 (not 并非, 除非)."""
    out = []
    start = text.find(neg)
    while start != -1:
        if not (start and text[start - 1] in _NOT_NEGATION):
            out += [text[start + 1:start + 1 + n] for n in _QUALIFIER_LENGTHS
                    if len(text) >= start + 1 + n]
        start = text.find(neg, start + 1)
    return out


def _named_member(text: str, contrast, several: bool = False):
    """The index of the one member of a contrast the text names (None when none or, for a
    question, several); with `several`, the set of the members named (None when none)."""
    named = {i for i, words in enumerate(contrast) if any(w in text for w in words)}
    if several:
        return named or None
    return next(iter(named)) if len(named) == 1 else None
