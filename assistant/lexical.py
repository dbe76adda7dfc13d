"""The lexical side: BM25 (bm25s) over jieba tokens, with the policy vocabulary and synonyms;
and BM25 over single characters and character pairs (``CharIndex``), which needs no segmentation:
it tells apart sibling clauses that differ by one or two characters (海外/省外, 科技型/非科技型)
where jieba cuts the query and the clause differently.

Vocabulary, spelling variants, synonym groups and stopwords live in ``synonyms.yaml`` beside
this module (shared), plus each policy pack's ``vocabulary.yaml`` (its own award names and terms). Every word of a synonym group also indexes a concept token (``~`` + the group's
first word) in clauses and queries alike; a query's concepts weigh SYNONYM_WEIGHT, its own words
1, so "上云补贴" finds "上云上平台 … 奖补" while the exact wording still ranks first.
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import jieba
import numpy as np
import yaml

from ingest.normalize import roman_ordinals

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
SYNONYM_WEIGHT = 0.5
CONCEPT_MARK = "~"
BM25_K1 = 1.5
BM25_B = 0.75
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]
    normalize: tuple[tuple[str, str], ...]     # (variant, canonical), longest variant first
    groups: tuple[tuple[str, ...], ...]
    stopwords: frozenset[str]


def fold(text: str) -> str:
    """Width/case folding applied to queries, clauses and the vocabulary alike (Ⅲ期 -> 三期)."""
    return roman_ordinals(unicodedata.normalize("NFKC", text or "")).lower()


@lru_cache(maxsize=4)
def _read_vocabulary(path: Path | str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def _pack_vocabulary(data_dir: Path | str | None) -> dict:
    """The vocabulary.yaml of every policy pack (built in, and of `data_dir`), merged."""
    from ingest.packs import load_packs

    merged: dict = {"vocabulary": [], "normalize": {}, "synonyms": []}
    for pack in load_packs(data_dir).values():
        merged["vocabulary"] += pack.vocabulary.vocabulary
        merged["normalize"].update(pack.vocabulary.normalize)
        merged["synonyms"] += pack.vocabulary.synonyms
    return merged


def load_vocabulary(path: Path | str = SYNONYMS_FILE, data_dir: Path | str | None = None) -> Vocabulary:
    """The shared retrieval vocabulary (synonyms.yaml) plus that of the policy packs; with another
    `path`, only that file."""
    data = dict(_read_vocabulary(path))
    if Path(path) == SYNONYMS_FILE:
        packs = _pack_vocabulary(data_dir)
        data["vocabulary"] = [*(data.get("vocabulary") or []), *packs["vocabulary"]]
        data["normalize"] = {**(data.get("normalize") or {}), **packs["normalize"]}
        data["synonyms"] = [*(data.get("synonyms") or []), *packs["synonyms"]]
    norm = {fold(k): fold(v) for k, v in (data.get("normalize") or {}).items()}
    groups = tuple(tuple(dict.fromkeys(fold(w) for w in g)) for g in data.get("synonyms") or [])
    words = {fold(w) for w in data.get("vocabulary") or []} | {w for g in groups for w in g}
    return Vocabulary(
        words=tuple(sorted(words)),
        normalize=tuple(sorted(norm.items(), key=lambda kv: -len(kv[0]))),
        groups=groups,
        stopwords=frozenset(fold(w) for w in data.get("stopwords") or []),
    )


class Tokenizer:
    """jieba with the policy vocabulary, plus the dictionary words inside each word (search
    mode); its own dictionary, so the global jieba is left alone; quiet (no prefix-dict log)."""

    def __init__(self, vocab: Vocabulary | None = None):
        self.vocab = vocab or load_vocabulary()
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word in self.vocab.words:
            if len(word) > 1:
                self._jieba.add_word(word, freq=max(2000, self._jieba.suggest_freq(word)))
        self._concept_of: dict[str, tuple[str, ...]] = {}
        for group in self.vocab.groups:
            for word in group:
                self._concept_of[word] = (*self._concept_of.get(word, ()), CONCEPT_MARK + group[0])

    def normalize(self, text: str) -> str:
        text = fold(text)
        for variant, canonical in self.vocab.normalize:
            text = text.replace(variant, canonical)
        return text

    def tokens(self, text: str) -> list[str]:
        """Each jieba word and the dictionary words inside it, without punctuation and stopwords."""
        out: list[str] = []
        for word in self._jieba.cut(self.normalize(text), HMM=True):
            if not _WORD.search(word):
                continue
            out.extend(self._parts(word))
            out.append(word)
        return [t for t in out if t not in self.vocab.stopwords]

    def _parts(self, word: str) -> list[str]:
        """Dictionary words of two or more characters strictly inside `word` (专精特新 in 专精特新小巨人)."""
        freq = self._jieba.FREQ
        n = len(word)
        return [word[i:i + size] for size in range(2, n) for i in range(n - size + 1)
                if freq.get(word[i:i + size])]

    def concepts(self, tokens: Sequence[str]) -> list[str]:
        """One concept token (``~`` + the group's first word) per token that belongs to a group."""
        return [c for t in tokens for c in self._concept_of.get(t, ())]

    def index_terms(self, text: str) -> list[str]:
        """What a clause is indexed by: its words and the concepts they express."""
        words = self.tokens(text)
        return words + self.concepts(words)

    def expand(self, text: str) -> dict[str, float]:
        """Query words (weight 1) and their concepts (SYNONYM_WEIGHT): "补贴" also finds "奖补"."""
        words = self.tokens(text)
        weights = dict.fromkeys(words, 1.0)
        for concept in self.concepts(words):
            weights.setdefault(concept, SYNONYM_WEIGHT)
        return weights


@lru_cache(maxsize=1)
def default_tokenizer() -> Tokenizer:
    return Tokenizer()


CONTENT_POS = ("n", "vn", "l", "j", "i", "eng")    # jieba flags of words that carry a topic (not 允许, 这样, 一笔)


def _pos_cut(text: str) -> list[tuple[str, str]]:
    import jieba.posseg
    return [(p.word, p.flag) for p in jieba.posseg.cut(text)]


class LexicalIndex:
    """BM25 over the given texts (one per clause, in the order given)."""

    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer or default_tokenizer()
        docs = [self.tokenizer.index_terms(t) for t in texts]
        self.doc_terms = [frozenset(d) for d in docs]
        self.size = len(docs)
        self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if docs:
            self._bm25.index([d or [""] for d in docs], show_progress=False)
        self._vocab = set(self._bm25.vocab_dict) if docs else set()

    def scores(self, query: str | dict[str, float]) -> np.ndarray:
        """BM25 score of every text for the (expanded) query."""
        weights = self.tokenizer.expand(query) if isinstance(query, str) else query
        total = np.zeros(self.size, dtype=np.float32)
        by_weight: dict[float, list[str]] = {}
        for term, w in weights.items():
            if term in self._vocab and term:
                by_weight.setdefault(w, []).append(term)
        for w, terms in by_weight.items():
            total += w * self._bm25.get_scores(terms)
        return total

    def search(self, query: str | dict[str, float], n: int, allowed: np.ndarray | None = None
               ) -> list[tuple[int, float]]:
        """(text position, score) of the `n` best texts with a positive score."""
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def covered_share(self, query: str, texts: Sequence[str]) -> float:
        """How much of the query's content words (nouns and noun-like words of two characters or
        more, by jieba's parts of speech; weighted by rarity over all the indexed texts, a word no
        text has weighing most) the given texts contain: 0 to 1."""
        words = list(dict.fromkeys(w for w, flag in _pos_cut(self.tokenizer.normalize(query))
                                   if len(w) >= 2 and flag.startswith(CONTENT_POS)))
        if not words:
            return 0.0
        if not hasattr(self, "_df"):
            self._df: dict[str, int] = {}
            for terms in self.doc_terms:
                for term in terms:
                    self._df[term] = self._df.get(term, 0) + 1
        weight = {w: math.log((self.size + 1) / (self._df.get(w, 0) + 0.5)) for w in words}
        joined = self.tokenizer.normalize("".join(texts))
        total = sum(weight.values())
        return sum(v for w, v in weight.items() if w in joined) / total if total > 0 else 0.0

    def matched(self, position: int, weights: dict[str, float]) -> tuple[str, ...]:
        """Query words found in the text, and the text's words for query concepts (~补贴 -> 奖补)."""
        terms = self.doc_terms[position]
        found = [t for t in weights if t in terms and not t.startswith(CONCEPT_MARK)]
        concepts = {t for t in weights if t.startswith(CONCEPT_MARK) and t in terms}
        found += [t for t in terms if concepts.intersection(self.tokenizer.concepts([t]))]
        return tuple(dict.fromkeys(found))


_NOT_TEXT = re.compile(r"[^\w\u4e00-\u9fff]")


def char_grams(text: str) -> list[str]:
    """Single characters and character pairs of the folded text, punctuation and spaces dropped."""
    t = _NOT_TEXT.sub("", fold(text))
    return list(t) + [t[i:i + 2] for i in range(len(t) - 1)]


class CharIndex:
    """BM25 over character grams (one text per clause, in the order given)."""

    def __init__(self, texts: Sequence[str]):
        docs = [char_grams(t) or [""] for t in texts]
        self.size = len(docs)
        self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if docs:
            self._bm25.index(docs, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict) if docs else set()

    def rank(self, query: str, positions: Sequence[int]) -> list[tuple[int, float]]:
        """`positions` ordered by their score for the query's grams, best first (positive only)."""
        grams = [g for g in dict.fromkeys(char_grams(query)) if g in self._vocab]
        if not grams or not positions:
            return []
        scores = self._bm25.get_scores(grams)
        ranked = sorted(positions, key=lambda p: (-scores[p], p))
        return [(p, float(scores[p])) for p in ranked if scores[p] > 0]
