"""A small stand-in for assistant.service.PolicyService with the same methods, over the real corpus.

It answers one kind of question (the 小巨人 award) with a real clause and an exact figure, counts
its calls, and raises PolicyError where the real service does, so the web layer can be tested
without building an index.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from assistant.answer import Answer, Calculation, Citation
from errors import PolicyError
from ingest.corpus import load_knowledge_base

KB = load_knowledge_base()


@dataclass(frozen=True)
class FakeHit:
    clause: Any
    meta: Any
    score: float
    rule_ids: tuple[str, ...] = ()
    matched_terms: tuple[str, ...] = ()


class FakeRule(BaseModel):
    id: str
    doc_id: str
    clause: str
    title: str
    region: str


RULES = [FakeRule(id="henan_2022_little_giant", doc_id="henan_2022_tech_upgrade", clause="三、（一）3",
                  title="国家级专精特新“小巨人”企业技术改造补助", region="河南省"),
         FakeRule(id="henan_2018_pilot_national", doc_id="henan_2018_smart_mfg", clause="三、（八）",
                  title="国家级智能制造试点示范奖励", region="河南省")]


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
        if rule_id != "henan_2022_little_giant":
            raise PolicyError("rule_not_found", f"没有编号为 {rule_id} 的奖补规则")
        try:
            base = Decimal(str(inputs["investment_yuan"]))
        except (KeyError, ArithmeticError):
            raise PolicyError("missing_input", "请提供设备、软件实际投资额（investment_yuan）") from None
        amount = min(base * Decimal("0.3"), Decimal(5_000_000))
        return Calculation(rule_id=rule_id, title=RULES[0].title, inputs={"investment_yuan": int(base)},
                           eligible=True, amount_yuan=int(amount),
                           formula=f"min({base / 10000:f}万元 × 30%, 500万元) = {amount / 10000:f}万元",
                           citation=self.citation("henan_2022_tech_upgrade", "三、（一）3"))

    def answer(self, messages: list[dict], id: str | None = None) -> Answer:
        with self._lock:
            self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        question = str(messages[-1].get("content", "")).strip() if messages else ""
        if not question or messages[-1].get("role") != "user":
            raise PolicyError("empty_question", "问题为空，请输入您想咨询的政策问题")
        calc = self.calculate("henan_2022_little_giant", {"investment_yuan": 20_000_000})
        text = f"最高可获得**500万元**。\n\n计算：{calc.formula}\n\n依据：豫政办〔2022〕8号 三、（一）3"
        return Answer(id=id, answer=text, calculations=[calc],
                      citations=[calc.citation, self.citation("henan_2018_smart_mfg", "三、（九）")])

    def stream(self, messages: list[dict]):
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

    def list_rules(self, region: str | None = None) -> list[FakeRule]:
        return [r for r in RULES if region is None or r.region == region]

    def documents(self) -> list:
        return [d.meta for d in KB.documents.values()]

    def clauses(self, doc_id: str) -> list:
        if doc_id not in KB.documents:
            raise PolicyError("document_not_found", f"没有文件 {doc_id}")
        return KB.documents[doc_id].clauses
