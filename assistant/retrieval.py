"""Hybrid clause retrieval: dense (Chroma) + BM25 (jieba), fused by reciprocal rank.

Scope rules, applied before ranking:
- ``doc_ids`` restricts the search to those documents.
- ``region`` (or, when it is None, the regions the question names) restricts it to documents
  of that region, of regions inside it (广东 finds 佛山's policies) and of regions containing
  it (a question about 佛山 also sees 广东省-level policies).
- Places are found with the shared region table (assistant.places): a city or county the corpus
  does not cover counts for the nearest covered region around it (长沙 -> 湖南省); a neighbour
  does not (深圳 is not in 佛山).
- A question that names only regions the knowledge base does not cover (北京…) gets no hits:
  clauses of other regions would be wrong answers, so the caller can say the region is not
  covered (``HybridRetriever.regions.find(query).uncovered`` names it).
- National documents (region 全国) are searched only when no region is named or asked for.
- Once the filter has used the region names they are removed from the ranked query text.
- A query without any Chinese character and without any lexical match (punctuation, emoji,
  SQL or HTML fragments) gets no hits: dense similarity alone cannot tell relevance there.

Fusion: score = Σ weight / (RRF_K + rank) over three rankings: dense, BM25 over words, and the
candidates of those two re-ranked by BM25 over characters and character pairs (which tells apart
sibling clauses that differ in a character or two: 海外/省外非科技型企业); heading-only
clauses and title lines count half so they do not crowd out their items, and so do the clauses
of a document a later one repeals (ingest/supersede.py: 柳河's 2023 policy over its older one); when the question asks
about money (多少, 金额, 补贴, 奖励 …) clauses carrying calculator rules (without a rulebook:
clauses stating a money figure) are boosted; ties go to the larger normalised score margins.
"""
from __future__ import annotations

import re
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.embedders import Embedder, EmbeddingCache, load_embedder
from assistant.index import ClauseIndex, chroma_client, open_index, rules_for_clauses
from assistant.lexical import CharIndex, LexicalIndex
from assistant.messages import MAX_MESSAGE_CHARS, check_text, too_long
from assistant.regions import RegionIndex, short_name
from assistant.rerank import Reranker
from errors import PolicyError
from ingest.clauses import Clause
from ingest.corpus import KnowledgeBase, PolicyMeta

MAX_QUERY_CHARS = MAX_MESSAGE_CHARS       # one limit for questions and queries
RRF_K = 5
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
CHAR_WEIGHT = 1.0
HEADING_FACTOR = 0.5
SUPERSEDED_FACTOR = 0.5
AMOUNT_BOOST = 0.2
DEPTH = 50
_ASKS_AMOUNT = re.compile(r"多少|几万|几百万|金额|最高|最多|上限|封顶|标准|能拿|能补|补几|奖几|怎么算"
                          r"|补贴|补助|奖补|奖励|资助|给钱|拿钱|资金支持")
_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?元|\d+(?:\.\d+)?\s*[%％]")
_PAYS = re.compile(r"给予|奖励|补助|补贴|资助|奖补|扶持资金|发放|一次性")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def region_chain(region: str) -> list[str]:
    """Short names from outermost to innermost: 辽宁省大连市甘井子区 -> [辽宁, 大连, 甘井子];
    a bracketed part counts as the innermost (上海市（临港地区） -> [上海, 临港])."""
    inner = re.findall(r"[（(]([^）)]+)[）)]", region)
    base = re.sub(r"[（(][^）)]*[）)]", "", region)
    parts = [p for p in re.split(r"(?<=[省市区县])", base) if p]
    parts += [re.sub(r"地区$", "", p) for p in inner]
    return [short_name(p) for p in parts if short_name(p)]


def doc_chain(meta: PolicyMeta) -> list[str]:
    """The document's region chain, outermost first, from its parents and its own region."""
    chain: list[str] = []
    for name in [*meta.parent_regions, meta.region]:
        chain += [p for p in region_chain(name) if p not in chain]
    return chain or [meta.region]


_SENTENCE_END = ("。", "；", ";", ".")


def _is_heading(clause: Clause) -> bool:
    """Headings and title lines (document title, 文号, addressees): context, not answers. A clause
    others nest under is one only when its own text is not a full sentence ("第八条 申报条件："), so
    an article stating its awards before a sub-paragraph ("第三条 …分别给予奖励…。") keeps its weight."""
    if clause.is_heading:
        return not clause.text.endswith(_SENTENCE_END)
    return clause.kind == "preamble" and not clause.text.endswith(_SENTENCE_END)


def _pays_money(text: str) -> bool:
    """Whether a clause states a sum it pays (给予…50万元), not only a threshold (售价不低于500万元):
    drafting may leave such a clause without a rule."""
    return bool(_MONEY.search(text) and _PAYS.search(text))


@dataclass(frozen=True)
class Hit:
    clause: Clause
    meta: PolicyMeta
    score: float
    rule_ids: tuple[str, ...] = ()
    matched_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.clause.doc_id, "title": self.meta.title, "region": self.meta.region,
            "clause": self.clause.label, "text": self.clause.text, "score": round(self.score, 6),
            "doc_number": self.meta.doc_number, "headings": list(self.clause.headings),
            "rule_ids": list(self.rule_ids),
        }


@dataclass(frozen=True)
class Rankings:
    text: str                                  # the query as ranked (region names removed)
    weights: dict[str, float]                  # lexical terms and their weights
    dense: list[tuple[int, float]]             # (clause position, cosine similarity)
    lexical: list[tuple[int, float]]           # (clause position, BM25 score)


def clean_query(query: str) -> str:
    """The query stripped; PolicyError when it is empty or too long."""
    text = check_text((query or "").strip(), "检索词")
    if not text:
        raise PolicyError("empty_query", "请输入要检索的问题或关键词。")
    if len(text) > MAX_QUERY_CHARS:
        raise PolicyError("query_too_long", too_long(len(text)) + "。")
    return text


class HybridRetriever:
    """Clause search over one knowledge base; see the module docstring for the rules."""

    def __init__(self, kb: KnowledgeBase, index: ClauseIndex | None, lexical: LexicalIndex | None = None,
                 rule_map: dict[str, tuple[str, ...]] | None = None, *,
                 dense_weight: float = DENSE_WEIGHT, lexical_weight: float = LEXICAL_WEIGHT,
                 char_weight: float = CHAR_WEIGHT):
        self.kb = kb
        self.index = index
        self.clauses = kb.clauses
        self.position = {c.id: i for i, c in enumerate(self.clauses)}
        self.lexical = lexical or LexicalIndex([c.context for c in self.clauses])
        self.rule_map = rule_map or {}
        self.chars = CharIndex([c.text for c in self.clauses])
        self.reranker = Reranker([c.text for c in self.clauses])
        self.weights = (dense_weight, lexical_weight, char_weight)
        self.regions = RegionIndex({d.meta.region: list(d.meta.parent_regions)
                                    for d in kb.documents.values()})
        self._chains = {doc_id: doc_chain(d.meta) for doc_id, d in kb.documents.items()}
        self._places = {doc_id: self.regions.place(d.meta.region) for doc_id, d in kb.documents.items()}
        self._heading = np.array([_is_heading(c) for c in self.clauses], dtype=bool)
        self._superseded = np.array([kb.meta(c.doc_id).superseded_by is not None for c in self.clauses],
                                    dtype=bool)
        self._span: dict[str, tuple[int, int]] = {}      # a document's clauses are contiguous
        for i, c in enumerate(self.clauses):
            start, _ = self._span.get(c.doc_id, (i, i))
            self._span[c.doc_id] = (start, i + 1)
        self._priced = np.array([bool(self.rule_map.get(c.id)) or _pays_money(c.text)
                                 for c in self.clauses], dtype=bool)

    # -- scope -------------------------------------------------------------------------------
    def docs_for_region(self, region: str) -> set[str]:
        """Documents of `region`, of regions inside it and of regions containing it, by the
        administrative chain of the region table; a region the table cannot place (national,
        a custom one) is matched by name."""
        name = region.strip()
        target = self.regions.table.place(name)
        short = (region_chain(name)[-1:] or [name])[0]
        out = set()
        for doc_id, place in self._places.items():
            if place is not None and target is not None:
                if place.within(target) or target.within(place):
                    out.add(doc_id)
            elif short in self._chains[doc_id]:
                out.add(doc_id)
        return out

    def named_regions(self, query: str) -> list[str] | None:
        """Regions the query names that the corpus covers (a city counts for the nearest covered
        region around it); [] when it names only uncovered ones; None when it names none."""
        mentions = self.regions.find(query)
        if mentions.covered:
            return list(mentions.covered)
        return [] if mentions.uncovered else None

    def scope(self, query: str, region: str | None, doc_ids: list[str] | None
              ) -> tuple[set[str] | None, bool]:
        """(doc ids to search or None for all, whether a region filter applies)."""
        allowed: set[str] | None = set(doc_ids) if doc_ids else None
        names = [region] if region else self.named_regions(query)
        if names == [] and allowed is not None:
            names = None        # only uncovered places named: the caller's scope stands (德国, 襄阳)
        if names is not None:
            in_region = set().union(*(self.docs_for_region(n) for n in names))
            allowed = in_region if allowed is None else allowed & in_region
        return allowed, names is not None

    # -- search ------------------------------------------------------------------------------
    def rankings(self, query: str, region: str | None = None, doc_ids: list[str] | None = None
                 ) -> Rankings | None:
        """Both rankings (clause positions, best first) within scope; None when nothing fits."""
        text = clean_query(query)
        allowed, by_region = self.scope(text, region, doc_ids)
        if allowed is not None and not allowed:
            return None
        if by_region:       # the filter has used the region names: rank by the topic alone
            text = self.regions.strip(text).strip() or text
        mask = None if allowed is None else self._mask(allowed)
        weights = self.lexical.tokenizer.expand(text)
        lexical = self.lexical.search(weights, DEPTH, mask)
        if not _CJK.search(text) and not self._word_matched(lexical, weights):
            return None     # punctuation, emoji, code fragments: nothing to rank by
        in_scope = len(self.clauses) if mask is None else int(mask.sum())
        return Rankings(text, weights, self._dense(text, allowed, in_scope), lexical)

    def _mask(self, doc_ids: set[str]) -> np.ndarray:
        mask = np.zeros(len(self.clauses), dtype=bool)
        for doc_id in doc_ids:
            start, end = self._span.get(doc_id, (0, 0))
            mask[start:end] = True
        return mask

    def search(self, query: str, k: int = 5, region: str | None = None,
               doc_ids: list[str] | None = None, want_amount: bool | None = None) -> list[Hit]:
        found = self.rankings(query, region, doc_ids)
        if found is None:
            return []
        if want_amount is None:
            want_amount = bool(_ASKS_AMOUNT.search(found.text))
        pool = list(dict.fromkeys(p for p, _ in [*found.dense, *found.lexical]))
        fused = self._fuse(found.dense, found.lexical, want_amount, self.chars.rank(found.text, pool),
                           found.text)
        k = max(1, min(int(k), 50))
        return [self.hit(pos, score, found.weights) for pos, score in fused[:k]]

    def _word_matched(self, lexical: list[tuple[int, float]], weights: dict[str, float]) -> bool:
        """Whether the best lexical hit shares a non-numeric term with the query."""
        return any(not term.isdigit() for pos, _ in lexical[:1]
                   for term in self.lexical.matched(pos, weights))

    def _dense(self, text: str, allowed: set[str] | None, in_scope: int) -> list[tuple[int, float]]:
        if self.index is None:
            return []
        vector = self.index.embedder.embed_query(text)
        found = self.index.query(vector, DEPTH, sorted(allowed) if allowed is not None else None, in_scope)
        return [(self.position[cid], sim) for cid, sim in found if cid in self.position]

    def _fuse(self, dense: list[tuple[int, float]], lexical: list[tuple[int, float]],
              want_amount: bool, chars: list[tuple[int, float]] = (), text: str = "") -> list[tuple[int, float]]:
        scores: dict[int, float] = {}
        for weight, ranking in zip(self.weights, (dense, lexical, chars[:DEPTH]), strict=True):
            for rank, (pos, _) in enumerate(ranking, start=1):
                scores[pos] = scores.get(pos, 0.0) + weight / (RRF_K + rank)
        for pos in scores:
            if self._heading[pos]:
                scores[pos] *= HEADING_FACTOR
            if self._superseded[pos]:
                scores[pos] *= SUPERSEDED_FACTOR
            if want_amount and self._priced[pos]:
                scores[pos] *= 1.0 + AMOUNT_BOOST
        for pos, factor in self.reranker.factors(text, list(scores)).items() if text else ():
            scores[pos] *= factor
        margin = _normalised(dense)
        for pos, value in _normalised(lexical).items():
            margin[pos] = margin.get(pos, 0.0) + value
        # ties (rank 1 + rank 2 against rank 2 + rank 1) go to the larger score margins
        return sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), -margin.get(kv[0], 0.0), kv[0]))

    def hit(self, pos: int, score: float, weights: dict[str, float] | None = None) -> Hit:
        clause = self.clauses[pos]
        return Hit(clause=clause, meta=self.kb.meta(clause.doc_id), score=score,
                   rule_ids=self.rule_map.get(clause.id, ()),
                   matched_terms=self.lexical.matched(pos, weights or {}))


def _normalised(ranking: list[tuple[int, float]]) -> dict[int, float]:
    """Scores rescaled to 0..1 within one ranking (best = 1)."""
    if not ranking:
        return {}
    top, low = ranking[0][1], ranking[-1][1]
    span = (top - low) or 1.0
    return {pos: (score - low) / span for pos, score in ranking}


# -- construction ----------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _embedder(name: str) -> Embedder:
    return load_embedder(name)


def _default_rulebook(data_dir) -> Any | None:
    try:
        from ingest.rules import load_rulebook
    except ImportError:          # the rulebook stays optional: retrieval works without it
        return None
    return load_rulebook(data_dir=data_dir)


def ensure_index(settings, kb: KnowledgeBase, progress: bool = True, *, embedder: Embedder | None = None,
                 rulebook: Any | None = None, threads: int = 1) -> ClauseIndex:
    """The Chroma index for this corpus and embedder, (re)built only when either changed.

    `threads` > 1 embeds on that many cores in this thread (ingest; queries stay on one).
    """
    embedder = embedder or _embedder(settings.embedding_model)
    rule_map = rules_for_clauses(kb, rulebook if rulebook is not None else _default_rulebook(settings.data_dir))
    client = chroma_client(settings.data_dir, settings.chroma_host, settings.chroma_port)
    cache = EmbeddingCache(settings.data_dir / "index" / "embeddings.sqlite")
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(kb.clauses), desc=f"嵌入条款（{threads} 线程）", unit="条", file=sys.stderr,
                   leave=False, smoothing=0.1)
    parallel = getattr(embedder, "parallel", None)
    try:
        with parallel(threads) if parallel is not None and threads > 1 else nullcontext():
            return open_index(client, kb, embedder, cache, rule_map, on_progress=bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()


def build_retriever(settings, kb: KnowledgeBase, rulebook: Any | None = None, progress: bool = False,
                    *, embedder: Embedder | None = None) -> HybridRetriever:
    """A ready retriever: the index is loaded, or built first when the corpus or embedder changed."""
    rulebook = rulebook if rulebook is not None else _default_rulebook(settings.data_dir)
    index = ensure_index(settings, kb, progress=progress, embedder=embedder, rulebook=rulebook)
    return HybridRetriever(kb, index, rule_map=rules_for_clauses(kb, rulebook))
