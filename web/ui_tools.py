"""Handlers of the search, calculator and documents tabs: plain functions over the service."""
from __future__ import annotations

import re
from typing import Any

import gradio as gr

from assistant.messages import check_text
from errors import PolicyError
from web.formatting import calculation_card, document_tree, esc, rule_choices, safe_markdown
from web.search_view import search_html

ALL_REGIONS = "全部地区"
ALL_DOCS = "全部文件"
MAX_AMOUNTS = 3          # the most money inputs any rule has, with room to spare


class ToolHandlers:
    def __init__(self, service: Any):
        self.service = service

    # -- choices -------------------------------------------------------------------------------
    def metas(self) -> dict[str, Any]:
        return {m.doc_id: m for m in self.service.documents()}

    def regions(self) -> list[str]:
        return [ALL_REGIONS, *sorted({m.region for m in self.metas().values()})]

    def document_choices(self) -> list[tuple[str, str]]:
        return [(f"{m.region}｜{m.short_title or m.title}", m.doc_id) for m in self.metas().values()]

    def rule_choices(self, region: str | None = None) -> list[tuple[str, str]]:
        rules = self.service.list_rules(None if region in (None, "", ALL_REGIONS) else region)
        return rule_choices(rules, self.metas())

    # -- search --------------------------------------------------------------------------------
    def search(self, query: str, region: str, doc_id: str, k: float) -> str:
        query = (query or "").strip()
        if not query:
            return '<div class="pa-empty">请输入关键词，例如：小巨人 设备投资、上云 服务券、工控安全。</div>'
        try:
            check_text(query, "检索词")
            return search_html(self.service, query, None if region == ALL_REGIONS else region,
                               None if doc_id in (None, "", ALL_DOCS) else doc_id, int(k))
        except PolicyError as err:
            return f'<div class="pa-error">⚠️ {esc(err.message)}</div>'

    # -- calculator ----------------------------------------------------------------------------
    def _rule(self, rule_id: str) -> Any:
        for rule in self.service.list_rules(None):
            if rule.id == rule_id:
                return rule
        raise PolicyError("rule_not_found", "请先选择一条奖补规则")

    def describe_rule(self, rule_id: str | None) -> list[Any]:
        """Updates for: rule description, each amount box, the condition checkboxes, the tier radio."""
        if not rule_id:
            hidden = [gr.update(visible=False, value="") for _ in range(MAX_AMOUNTS)]
            return ["请选择一条奖补规则。", *hidden, gr.update(visible=False, choices=[], value=[]),
                    gr.update(visible=False, choices=[], value=None)]
        rule = self._rule(rule_id)
        amounts = [gr.update(visible=True, value="",
                             label=f"{spec.label}{'' if spec.required else '（可选）'}",
                             placeholder="如 2000万、1.2亿、20000000")
                   for spec in rule.inputs[:MAX_AMOUNTS]]
        amounts += [gr.update(visible=False, value="") for _ in range(MAX_AMOUNTS - len(amounts))]
        facts = [c.label for c in rule.conditions] + [e.label for e in rule.extras]
        tiers = [t.value for t in rule.tiers]
        return [rule_summary(rule), *amounts,
                gr.update(visible=bool(facts), choices=facts, value=[]),
                gr.update(visible=bool(tiers), choices=tiers, value=None, label=rule.tier_label or "等级")]

    def calculate(self, rule_id: str | None, *values: Any) -> str:
        amounts, checked, tier = values[:MAX_AMOUNTS], values[MAX_AMOUNTS] or [], values[MAX_AMOUNTS + 1]
        try:
            for value in amounts:
                check_text(str(value or ""), "金额")
            rule = self._rule(rule_id or "")
            inputs = {spec.name: str(v).strip() for spec, v in zip(rule.inputs, amounts, strict=False)
                      if v is not None and str(v).strip()}
            missing = [spec.label for spec in rule.inputs[:MAX_AMOUNTS] if spec.required and spec.name not in inputs]
            if missing:
                return (f'<div class="pa-error">⚠️ 请填写{esc("、".join(missing))}'
                        f'（可写 2000万、1.2亿、两千万）。</div>')
            result = self.service.calculate(rule.id, inputs, checked_facts(rule, checked, tier))
        except PolicyError as err:
            return f'<div class="pa-error">⚠️ {esc(ui_message(err.message))}</div>'
        return calculation_card(result) + (f'<details class="pa-card" open><summary>条款原文</summary>'
                                           f'<blockquote class="pa-quote">{esc(result.citation.text)}</blockquote></details>')

    # -- documents -----------------------------------------------------------------------------
    def document(self, doc_id: str | None, highlight: str | None = None) -> str:
        if not doc_id:
            return '<div class="pa-empty">请选择一份政策文件。</div>'
        try:
            return document_tree(self.metas()[doc_id], self.service.clauses(doc_id), highlight)
        except (KeyError, PolicyError):
            return '<div class="pa-error">⚠️ 找不到该文件。</div>'

    # -- jumps between tabs (在原文中查看, 去计算) ------------------------------------------------
    def open_clause(self, target: str) -> list[Any]:
        """"doc_id|label|nonce" -> the documents tab showing that document, the clause highlighted."""
        doc_id, label = (target.split("|") + ["", ""])[:2]
        if doc_id not in self.metas():
            return [gr.update(), gr.update(), gr.update()]
        return [gr.Tabs(selected="docs"), gr.update(value=doc_id), self.document(doc_id, label)]

    def open_rule(self, target: str) -> list[Any]:
        """"rule_id|nonce" -> the calculator tab with that rule chosen (its inputs follow from rule.change)."""
        rule_id = target.split("|")[0]
        if rule_id not in {r.id for r in self.service.list_rules(None)}:
            return [gr.update(), gr.update(), gr.update()]
        return [gr.Tabs(selected="calc"), gr.update(value=ALL_REGIONS),
                gr.update(choices=self.rule_choices(None), value=rule_id)]


def ui_message(message: str) -> str:
    """An engine message for people: drop API field names such as （investment_yuan）."""
    return re.sub(r"（[a-z][a-z0-9_]*）", "", message)


def checked_facts(rule: Any, checked: list[str], tier: str | None) -> dict[str, Any]:
    """Facts the user ticked; unticked conditions stay unknown (listed as still to confirm)."""
    facts: dict[str, Any] = {c.fact: c.value for c in rule.conditions if c.label in checked}
    facts.update({e.fact: True for e in rule.extras if e.label in checked})
    if tier and rule.tier_fact:
        facts[rule.tier_fact] = tier
    return facts


def rule_summary(rule: Any) -> str:
    conds = "".join(f"\n- {safe_markdown(c.label)}" for c in rule.conditions) or "\n- 无特别条件"
    return (f"**{safe_markdown(rule.title)}**　（{safe_markdown(rule.region)}，条款 {safe_markdown(rule.clause)}）\n\n"
            f"> {safe_markdown(rule.quote)}\n\n**申报条件：**{conds}")
