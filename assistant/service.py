"""The one service every front end calls: CLI, HTTP API, OpenAI-compatible stream, Gradio, WeChat.

Heavy parts (knowledge base, rules, index, embedder) load lazily, once, on first use, so a
batch or a server pays start-up once. The offline engine always answers; when an LLM is
configured, the LLM engine answers and falls back to the offline engine.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from assistant.answer import Answer, Calculation, Citation
from assistant.case import Case
from assistant.messages import validate_messages
from assistant.regions import RegionIndex
from errors import PolicyError
from ingest.corpus import KnowledgeBase, load_knowledge_base
from settings import Settings

log = logging.getLogger("assistant.service")


class PolicyService:
    def __init__(self, settings: Settings, llm=None):
        self.settings = settings
        self._llm_override = llm
        self._lock = threading.RLock()

    # -- lazily built parts --------------------------------------------------------------------
    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self.settings.data_dir)

    @cached_property
    def rulebook(self):
        from ingest.rules import load_rulebook
        return load_rulebook(data_dir=self.settings.data_dir, drafts=True)

    def reload(self) -> None:
        """Load the knowledge base and the rules again (after a review, or a pack folder added):
        everything is loaded and checked first, so a broken pack raises PolicyError("bad_pack") and
        the previous knowledge base keeps serving; the retriever and engines are rebuilt lazily."""
        from ingest.rules import load_rulebook

        kb = load_knowledge_base(self.settings.data_dir)
        rulebook = load_rulebook(data_dir=self.settings.data_dir, drafts=True)
        with self._lock:
            for name in ("retriever", "regions", "offline", "_match_service", *(() if self._llm_override else ("llm",))):
                self.__dict__.pop(name, None)
            self.__dict__["kb"], self.__dict__["rulebook"] = kb, rulebook

    @cached_property
    def retriever(self):
        from assistant.retrieval import build_retriever
        with self._lock:
            return build_retriever(self.settings, self.kb, rulebook=self.rulebook)

    @cached_property
    def regions(self) -> RegionIndex:
        return RegionIndex({d.meta.region: d.meta.parent_regions for d in self.kb.documents.values()})

    @cached_property
    def offline(self):
        from assistant.lexicon import load_facts
        from assistant.offline_engine import OfflineEngine
        return OfflineEngine(self.kb, self.rulebook, self.retriever, self.regions,
                             load_facts(data_dir=self.settings.data_dir),   # ingested packs' facts too
                             draft_figures=self.settings.draft_figures)

    @cached_property
    def llm(self):
        if self._llm_override is not None:
            return self._llm_override
        if not self.settings.llm_configured:
            return None
        from assistant.llm_engine import LLMEngine, make_chat_model
        return LLMEngine(make_chat_model(self.settings), self, fallback=self.offline.answer)

    def warm_up(self) -> None:
        """Load everything now (servers call this at start so the first user does not wait):
        the index, and the lazily loaded parts a first answer touches (jieba's dictionary…)."""
        self.offline.answer([{"role": "user", "content": "河南小巨人企业设备投资2000万元能补多少？"}])

    # -- answering -----------------------------------------------------------------------------
    def answer(self, messages: Any, id: str | None = None, case: Any = None) -> Answer:
        """The answer to the conversation; `case` is a case an earlier answer returned."""
        checked = validate_messages(messages)
        carried = Case.from_json(case) if case is not None else None
        if self.llm is not None:
            result = self.llm.answer(checked, case=carried)
        else:
            result = self.offline.answer(checked, carried)
        result.id = id
        return result

    def stream(self, messages: Any, case: Any = None) -> Iterator[str | Answer]:
        """Text chunks, then the final Answer."""
        checked = validate_messages(messages)
        carried = Case.from_json(case) if case is not None else None
        if self.llm is not None:
            yield from self.llm.stream(checked, case=carried)
            return
        result = self.offline.answer(checked, carried)
        for i in range(0, len(result.answer), 24):
            yield result.answer[i:i + 24]
        yield result

    def understood(self, messages: list[dict], case: Case | None = None) -> tuple[dict, dict]:
        """(the facts the user stated, the case as JSON): the LLM engine's tools use the same
        understanding as the offline engine."""
        engine = self.offline
        u = engine.understand(messages, case)
        return engine.stated_facts(u), u.case.to_json(engine.role_labels)

    # -- tools shared by the UI, the API and the LLM engine ----------------------------------------
    def search(self, query: str, k: int = 5, region: str | None = None, doc_id: str | None = None):
        doc_ids = [doc_id] if doc_id else None
        return self.retriever.search(query, k=k, region=region, doc_ids=doc_ids)

    def list_rules(self, region: str | None = None) -> list:
        rules = self.rulebook.rules
        if region:
            scope = self.regions.expand(self.regions.canonical(region))
            rules = [r for r in rules if r.region in scope]
        return rules

    def calculate(self, rule_id: str, inputs: dict[str, Any],
                  facts: dict[str, Any] | None = None) -> Calculation:
        from assistant.calculations import to_calculation
        from calculators.engine import calculate
        rule = self.rulebook.get(rule_id)
        if not isinstance(inputs, dict):
            raise PolicyError("bad_inputs", "inputs 应为 {名称: 金额} 的对象")
        result = calculate(rule, inputs, facts or {})
        if result.amount_yuan is None and result.missing_inputs:   # as `app.py calc`: no figure, an error
            needed = "、".join(f"{m.label}（{m.name}）" for m in result.missing_inputs)
            raise PolicyError("missing_input", f"缺少计算所需的金额：{needed}")
        return to_calculation(result, rule, self.kb)

    def documents(self) -> list:
        return [d.meta for d in self.kb.documents.values()]

    def clauses(self, doc_id: str) -> list:
        if doc_id not in self.kb.documents:
            raise PolicyError("unknown_document", f"知识库中没有文件：{doc_id}")
        return self.kb.documents[doc_id].clauses

    def citation(self, doc_id: str, label: str) -> Citation:
        return self.offline.citation(doc_id, label)
