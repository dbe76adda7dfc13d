"""Match a question to the calculator rules it is about.

Three signals, added up: the rule's keywords (how users name the award) found in the question,
character-bigram overlap with the rule's title and quote weighted by rarity across rules (no
segmentation needed, robust to paraphrase), and the rank of the rule's clause in hybrid
retrieval. Rules of regions the conversation did not ask about are left out.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from assistant.wording import char_pairs
from calculators.models import Rule
from ingest.normalize import for_matching

_STOP = set("的了和与及或对在是为按给予不超过以上以下万元元最高金额项目支持资金奖励补助奖补给予")


def bigrams(text: str) -> set[str]:
    return char_pairs(for_matching(text), stop=_STOP)


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    score: float
    keyword_hits: tuple[str, ...]


class RuleMatcher:
    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self._title = {r.id: bigrams(r.title + " " + " ".join(r.keywords)) for r in rules}
        self._quote = {r.id: bigrams(r.quote + " " + " ".join(c.label for c in r.conditions))
                       for r in rules}
        df = Counter(bg for r in rules for bg in self._title[r.id] | self._quote[r.id])
        kw_df = Counter(for_matching(k) for r in rules for k in set(r.keywords))
        n = len(rules) or 1
        self._idf = {bg: math.log(1 + n / c) for bg, c in df.items()}
        self._kw_idf = {k: math.log(1 + n / c) for k, c in kw_df.items()}

    def _text_score(self, rule: Rule, text: str) -> tuple[float, tuple[str, ...]]:
        norm = for_matching(text)
        hits = tuple(k for k in rule.keywords if for_matching(k) and for_matching(k) in norm)
        # A keyword inside a longer matched keyword adds nothing of its own.
        hits = tuple(k for k in hits if not any(k != o and k in o for o in hits))
        kw = sum(self._kw_idf[for_matching(k)] * min(len(k), 6) / 2 for k in hits)
        q = bigrams(text)
        title = sum(self._idf.get(bg, 0) for bg in q & self._title[rule.id])
        quote = sum(self._idf.get(bg, 0) for bg in q & self._quote[rule.id])
        return kw + 0.6 * title + 0.25 * quote, hits

    def fit(self, rule: Rule, text: str) -> float:
        """How well one rule fits a text (keywords and wording only)."""
        return self._text_score(rule, text)[0]

    def names_inputs(self, rule: Rule, windows: list[str]) -> bool:
        return self._input_score(rule, windows) > 0

    def _input_score(self, rule: Rule, windows: list[str]) -> float:
        """How well the words just before the user's amounts name this rule's inputs
        ("发票金额2000万" fits a sales award, "年度保费20万" a premium subsidy)."""
        if not rule.inputs or not windows:
            return 0.0
        labels = [bigrams(spec.label) for spec in rule.inputs]
        return sum(max(sum(self._idf.get(bg, 0.5) for bg in bigrams(w) & lab) for lab in labels)
                   for w in windows)

    def match(self, question: str, earlier: str = "", regions: set[str] | None = None,
              clause_ranks: dict[tuple[str, str], int] | None = None,
              limit: int = 5, amount_windows: list[str] | None = None) -> list[RuleMatch]:
        """Rules ranked by how well they fit the question (and, less, the earlier turns)."""
        clause_ranks = clause_ranks or {}
        scope = [r for r in self.rules if not regions or r.region in regions]
        now = {r.id: self._text_score(r, question) for r in scope}
        # A latest question that names an award of its own moves the topic: earlier turns
        # then only break ties; otherwise they carry the topic ("我们项目投资了300万元").
        weight = 0.15 if any(hits for _, hits in now.values()) else 0.6
        out: list[RuleMatch] = []
        for rule in scope:
            score, hits = now[rule.id]
            if earlier:
                before, before_hits = self._text_score(rule, earlier)
                score += weight * before
                hits = hits + tuple(h for h in before_hits if h not in hits)
            score += 0.8 * self._input_score(rule, amount_windows or [])
            rank = clause_ranks.get((rule.doc_id, rule.clause))
            if rank is not None:
                score += 3.0 / (1 + rank)
            if score > 0:
                out.append(RuleMatch(rule, round(score, 4), hits))
        out.sort(key=lambda m: -m.score)
        return out[:limit]
