"""A small stand-in for assistant.service.PolicyService with the same methods, over the real corpus.

It answers every question with the 小巨人 award (real clause, real calculator), searches by
substring, counts its calls, and raises PolicyError where the real service does, so the web layer
can be tested without building an index or loading an embedding model.
"""
from __future__ import annotations

import threading
import time

from assistant.answer import Answer, Calculation, Citation
from assistant.calculations import to_calculation
from assistant.retrieval import Hit
from calculators.engine import calculate
from errors import PolicyError
from ingest.corpus import load_knowledge_base
from ingest.rules import load_rulebook

KB = load_knowledge_base()


FakeHit = Hit   # the real hit record: the fake service only ranks differently


RULEBOOK = load_rulebook()
LITTLE_GIANT = "henan2022_xiaojuren_equipment"


class FakeService:
    def __init__(self, delay_s: float = 0.0):
        self.delay_s = delay_s
        self.calls = 0
        self._lock = threading.Lock()

    def citation(self, doc_id: str, label: str) -> Citation:
        meta, clause = KB.meta(doc_id), KB.clause(doc_id, label)
        return Citation(doc_id=doc_id, title=meta.title, region=meta.region, clause=label, text=clause.text,
                        doc_number=meta.doc_number, may_be_expired=meta.may_be_expired, validity=meta.validity)

    def calculate(self, rule_id: str, inputs: dict, facts: dict | None = None) -> Calculation:
        """The real calculators (pure, cheap) over the real rules."""
        rule = RULEBOOK.get(rule_id)
        return to_calculation(calculate(rule, inputs, facts or {}), rule, KB)

    def answer(self, messages: list[dict], id: str | None = None, case=None) -> Answer:
        with self._lock:
            self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        question = str(messages[-1].get("content", "")).strip() if messages else ""
        if not question or messages[-1].get("role") != "user":
            raise PolicyError("empty_question", "问题为空，请输入您想咨询的政策问题")
        calc = self.calculate(LITTLE_GIANT, {"investment_yuan": 20_000_000})
        text = f"最高可获得**500万元**。\n\n计算：{calc.formula}\n\n依据：豫政办〔2022〕8号 三、（一）3"
        return Answer(id=id, answer=text, calculations=[calc],
                      citations=[calc.citation, self.citation("henan_2018_smart_mfg", "三、（九）")])

    def stream(self, messages: list[dict], case=None):
        final = self.answer(messages)
        for i in range(0, len(final.answer), 8):
            yield final.answer[i:i + 8]
        yield final

    def search(self, query: str, k: int = 5, region: str | None = None, doc_id: str | None = None) -> list[FakeHit]:
        words = [w for w in query.split() if w]
        hits = []
        for clause in KB.clauses:
            meta = KB.meta(clause.doc_id)
            if (region and region not in meta.regions) or (doc_id and clause.doc_id != doc_id):
                continue
            found = tuple(w for w in words if w in clause.text)
            if found:
                hits.append(FakeHit(clause, meta, float(len(found)), (), found))
        return sorted(hits, key=lambda h: -h.score)[:k]

    def list_rules(self, region: str | None = None) -> list:
        return [r for r in RULEBOOK.rules if region is None or r.region == region]

    def documents(self) -> list:
        return [d.meta for d in KB.documents.values()]

    def clauses(self, doc_id: str) -> list:
        if doc_id not in KB.documents:
            raise PolicyError("document_not_found", f"没有文件 {doc_id}")
        return KB.documents[doc_id].clauses
