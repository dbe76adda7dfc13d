"""The LLM engine's tools: search_policies, list_rules, calculate_award over the service facade.

A `ToolSession` lives for one answer. It adapts a narrow `ToolService` (the methods of
`assistant.service.PolicyService` it needs) into LangChain tools and records what the tools
returned: the clauses the search produced (as `Citation`s) and the exact `Calculation`s. The
engine builds the Answer's citations and calculations from this record, never from the model,
and checks the answer against it: `select_citations` (the clauses the answer refers to) and
`unsupported_figures` (money amounts and rates that no calculation or cited clause states).
"""
from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool, StructuredTool, ToolException
from pydantic import ValidationError

from assistant.answer import Calculation, Citation
from calculators.amounts import find_amounts, format_wan, parse_amount
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

    def __init__(self, service: ToolService, stated: dict[str, Any] | None = None):
        self.service = service
        # what the user stated (the case's facts and location): they override the model's facts,
        # so a stated "资格已过期" defeats a condition whatever the model passes
        self.stated = dict(stated or {})
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
            merged = {**dict(facts or {}), **self.stated}
            calc = self.service.calculate(rule_id, dict(inputs or {}), merged or None)
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


# -- grounding: which clauses the answer refers to, and whether its figures are backed -----------

_FOLD = str.maketrans({"(": "（", ")": "）", "０": "0", "１": "1", "２": "2", "３": "3", "４": "4",
                         "５": "5", "６": "6", "７": "7", "８": "8", "９": "9", "％": "%", "．": "."})
_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{6,})[”\"」』]")
_LABEL_BEFORE = "0123456789零〇一二两三四五六七八九十"   # 十三、 is not 三、
_LABEL_AFTER = "0123456789（第"                        # 三、（一）3 is not 三、（一）
_MONEY_UNIT = re.compile(r"[元万亿块]")    # a bare number (12345热线, a postcode) is not checked
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之([零〇一二两三四五六七八九十百]+|\d+(?:\.\d+)?)")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_FOLD))


def _mentions_label(text: str, label: str) -> bool:
    """The label occurs as a whole: `三、（一）` is not mentioned by `三、（一）3` nor by `十三、（一）`."""
    for match in re.finditer(re.escape(label), text):
        before = text[match.start() - 1:match.start()]
        after = text[match.end():match.end() + 1]
        if not (before and before in _LABEL_BEFORE) and not (after and after in _LABEL_AFTER):
            return True
    return False


def _refers(text: str, quotes: list[str], cite: Citation) -> bool:
    clause = _normalise(cite.text)
    pieces = (p for q in quotes for p in re.split(r"…+|\.{3,}", q) if len(p) >= 6)
    return _mentions_label(text, _normalise(cite.clause)) or any(p in clause for p in pieces)


def select_citations(text: str, returned: list[Citation], calculated: list[Citation]) -> list[Citation]:
    """The calculations' clauses, plus the returned clauses the text names by label or quotes;
    all of them when the text refers to none."""
    norm = _normalise(text)
    quotes = [_normalise(q) for q in _QUOTE.findall(text)]
    candidates = list({(c.doc_id, c.clause): c for c in [*calculated, *returned]}.values())
    referenced = [c for c in candidates if _refers(norm, quotes, c)]
    if not referenced:
        return candidates
    chosen = {(c.doc_id, c.clause): c for c in [*calculated, *referenced]}
    return [c for c in candidates if (c.doc_id, c.clause) in chosen]


def _rates(text: str) -> list[tuple[str, Decimal]]:
    found = []
    for match in _RATE.finditer(text.translate(_FOLD)):
        try:
            found.append((match.group(), parse_amount(match.group(1) or match.group(2))))
        except PolicyError:
            continue
    return found


def _figures(text: str) -> list[tuple[str, str, Decimal]]:
    """(kind, as written, value) for every money amount (yuan) and rate (percent) in the text."""
    money = [("money", m.text, m.value) for m in find_amounts(text) if _MONEY_UNIT.search(m.text)]
    return money + [("rate", written, value) for written, value in _rates(text)]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return parse_amount(value) if isinstance(value, (str, int, float, Decimal)) else None
    except (PolicyError, InvalidOperation):
        return None


def _backed(calculations: list[Calculation], citations: list[Citation]) -> set[tuple[str, Decimal]]:
    texts = [c.text for c in citations]
    backed: set[tuple[str, Decimal]] = set()
    for calc in calculations:
        texts += [calc.formula, calc.reason or "", *calc.notes, calc.citation.text]
        texts += [i.share for i in calc.instalments]
        amounts = [calc.amount_yuan, *(i.amount_yuan for i in calc.instalments)]
        backed.update(("money", Decimal(a)) for a in amounts if a is not None)
        for value in filter(None, map(_number, calc.inputs.values())):
            backed.update({("money", value), ("rate", value), ("rate", value * 100)})
    backed.update((kind, value) for text in texts for kind, _, value in _figures(text))
    return backed


def unsupported_figures(text: str, calculations: list[Calculation], citations: list[Citation]) -> list[str]:
    """The money amounts and rates in `text` that no calculation or cited clause states."""
    backed = _backed(calculations, citations)
    return [written for kind, written, value in _figures(text) if (kind, value) not in backed]
