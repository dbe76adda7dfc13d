"""The LLM engine's tools: search_policies, list_rules, calculate_award over the service facade.

A `ToolSession` lives for one answer. It adapts a narrow `ToolService` (the methods of
`assistant.service.PolicyService` it needs) into LangChain tools and records what the tools
returned: the clauses the search produced (as `Citation`s) and the exact `Calculation`s. The
engine builds the Answer's citations and calculations from this record, never from the model.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool, StructuredTool, ToolException
from pydantic import ValidationError

from assistant.answer import Calculation, Citation
from calculators.amounts import format_wan
from errors import PolicyError

MAX_K = 10


class ToolService(Protocol):
    """What the tools need from the service facade (see docs/INTERFACES.md)."""

    def search(self, query: str, k: int = 5, region: str | None = None,
               doc_id: str | None = None) -> list[Any]: ...      # list[assistant.retrieval.Hit]

    def list_rules(self, region: str | None = None) -> list[Any]: ...  # list[calculators.models.Rule]

    def calculate(self, rule_id: str, inputs: dict[str, Any],
                  facts: dict | None = None) -> Calculation: ...

    def citation(self, doc_id: str, label: str) -> Citation: ...


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def rule_summary(rule: Any) -> dict[str, Any]:
    """What the model needs to choose a rule and gather its inputs and facts (calculators.models.Rule)."""
    facts = [{"fact": c.fact, "label": c.label, "value": c.value} for c in rule.conditions]
    facts += [{"fact": e.fact, "label": e.label, "value": True} for e in rule.extras]
    if rule.tier_fact:
        facts.append({"fact": rule.tier_fact, "label": rule.tier_label, "values": [t.value for t in rule.tiers]})
    return {"rule_id": rule.id, "title": rule.title, "region": rule.region, "doc_id": rule.doc_id,
            "clause": rule.clause, "quote": rule.quote, "keywords": list(rule.keywords),
            "inputs": [{"name": i.name, "label": i.label, "unit": i.unit, "required": i.required}
                       for i in rule.inputs],
            "facts": facts}


def _matches(summary: dict[str, Any], keyword: str) -> bool:
    return keyword.lower() in _json(summary).lower()


class ToolSession:
    """The three tools for one answer, and the record of what they returned."""

    def __init__(self, service: ToolService):
        self.service = service
        self.returned: dict[tuple[str, str], Citation] = {}   # clauses search returned, in order
        self.calculations: list[Calculation] = []
        self._tools: dict[str, BaseTool] | None = None

    # -- the tools (their docstrings are the descriptions the model reads) --------------------

    def search_policies(self, query: str, region: str | None = None, k: int = 5) -> str:
        """检索政策原文条款。返回条款列表：doc_id、文件标题、地区、条款编号（clause）、条款原文（text）及挂在该条款上的计算规则 rule_ids。

        Args:
            query: 用中文描述要找的支持事项，例如“智能化改造 设备投资 补助比例”。
            region: 可选，地区名，例如“河南省”“湖南省”“佛山市”；不确定时不填。
            k: 返回条款数，1 到 10，默认 5。
        """
        hits = self.service.search(query, k=max(1, min(int(k), MAX_K)), region=region or None)
        results = []
        for hit in hits:
            cite = self.service.citation(hit.clause.doc_id, hit.clause.label)
            self.returned.setdefault((cite.doc_id, cite.clause), cite)
            item = {"doc_id": cite.doc_id, "title": cite.title, "region": cite.region,
                    "clause": cite.clause, "text": cite.text,
                    "rule_ids": list(getattr(hit, "rule_ids", ()) or ())}
            if cite.may_be_expired:
                item["validity"] = cite.validity or "可能已失效，申报前请向主管部门确认"
            results.append(item)
        return _json(results) if results else "未检索到相关条款：知识库可能不包含这方面的政策。"

    def list_rules(self, region: str | None = None, keyword: str | None = None) -> str:
        """列出可精确计算的奖补规则：rule_id、标题、地区、出处条款（clause、quote）、所需金额输入（inputs）和企业情况（facts）。

        Args:
            region: 可选，地区名，例如“河南省”。
            keyword: 可选，关键词，例如“小巨人”“智能化改造”“上云”。
        """
        rules = [rule_summary(r) for r in self.service.list_rules(region=region or None)]
        if keyword:
            rules = [r for r in rules if _matches(r, keyword)]
        return _json(rules) if rules else "没有符合条件的计算规则。"

    def calculate_award(self, rule_id: str, inputs: dict[str, Any],
                        facts: dict[str, Any] | None = None) -> str:
        """按规则精确计算奖补金额。回答中的任何金额都必须来自本工具的结果，不要自己计算。

        Args:
            rule_id: 规则编号，来自 list_rules 或 search_policies 的 rule_ids。
            inputs: 规则所需的输入，键名按 list_rules 给出的 inputs，例如 {"investment_yuan": 20000000}；金额以元为单位，也可写“2000万”。
            facts: 可选，企业情况，键名按 list_rules 给出的 facts，值为 true/false 或给定的取值。
        """
        try:
            calc = self.service.calculate(rule_id, dict(inputs or {}), dict(facts) if facts else None)
        except PolicyError as err:
            raise ToolException(f"计算失败（{err.code}）：{err.message}") from err
        self.calculations.append(calc)
        data = calc.model_dump(mode="json", exclude_none=True)
        if calc.amount_yuan is not None:
            data["amount_text"] = format_wan(Decimal(calc.amount_yuan))
        return _json(data)

    # -- plumbing ----------------------------------------------------------------------------

    def tools(self) -> list[BaseTool]:
        if self._tools is None:
            built = [StructuredTool.from_function(func=method, parse_docstring=True, handle_tool_error=True)
                     for method in (self.search_policies, self.list_rules, self.calculate_award)]
            self._tools = {tool.name: tool for tool in built}
        return list(self._tools.values())

    def run(self, call: ToolCall) -> ToolMessage:
        """Execute one tool call of the model; a bad call becomes an error message for the model."""
        tools = {tool.name: tool for tool in self.tools()}
        tool = tools.get(call["name"])
        if tool is None:
            return ToolMessage(f"没有名为 {call['name']} 的工具，可用：{'、'.join(tools)}",
                               tool_call_id=call["id"], name=call["name"], status="error")
        try:
            return tool.invoke({**call, "type": "tool_call"})
        except (ValidationError, TypeError, ValueError) as err:
            return ToolMessage(f"参数有误：{err}", tool_call_id=call["id"], name=call["name"],
                               status="error")

    def calculation_citations(self) -> Iterable[Citation]:
        return (calc.citation for calc in self.calculations)
