"""The admin tab (规则复核), built only when ADMIN_TOKEN is set; every action checks the token.

Each drafted rule of the data directory's packs is shown beside its clause with the quote
highlighted; its fields are edited as YAML; 接受 verifies it again and writes it into the pack
(ingest/review.py), 驳回 removes it; the decision is recorded in the store and the service reloads
its rules. The coverage report (ingest/coverage.py) lists, per document, every quantified sentence
with or without a rule.
"""
from __future__ import annotations

import hmac
from html import escape
from typing import Any

import gradio as gr
import yaml

from errors import PolicyError
from web.store import Store

PRIVATE = {"api_visibility": "private"}
REFUSED = "管理口令不正确，未执行任何操作。"


def clause_html(title: str, label: str, text: str, quote: str) -> str:
    """The clause with each fragment of the quote in <mark>."""
    out, position = [], 0
    for fragment in [f for f in quote.split("……") if f]:
        found = text.find(fragment, position)
        if found < 0:
            break
        out += [escape(text[position:found]), f"<mark>{escape(fragment)}</mark>"]
        position = found + len(fragment)
    body = "".join(out) + escape(text[position:])
    return (f'<div class="pa-admin-clause"><div class="pa-admin-where">《{escape(title)}》 {escape(label)}</div>'
            f"<p>{body}</p></div>")


def coverage_html(report: dict) -> str:
    rows = []
    for doc in report["documents"]:
        items = "".join(
            f"<li class=\"{'pa-covered' if i['rule_ids'] else 'pa-uncovered'}\">{escape(i['clause'])}："
            f"{escape(i['text'])} → {escape('、'.join(i['rule_ids']) or '无规则')}"
            f"{escape('（' + '、'.join(i['status']) + '）') if i['status'] else ''}</li>" for i in doc["items"])
        mark = "内置" if doc["builtin"] else "导入"
        rows.append(f"<details><summary>{escape(doc['title'])}（{mark}）：{doc['covered']}/{doc['sentences']} 句有规则"
                    f"</summary><ul>{items}</ul></details>")
    state = "内置政策全部覆盖。" if report["builtin_complete"] else "内置政策有未覆盖的句子！"
    return f'<div class="pa-admin-coverage"><p>{state}</p>{"".join(rows)}</div>'


def changed_fields(original: dict, edited: dict) -> dict[str, Any]:
    """Top-level fields that differ (a removed field -> None)."""
    changes = {k: v for k, v in edited.items() if original.get(k) != v}
    return changes | {k: None for k in original if k not in edited}


class AdminHandlers:
    def __init__(self, service: Any, store: Store, token: str):
        self.service, self.store, self._token = service, store, token

    @property
    def data_dir(self):
        return self.service.settings.data_dir

    def allowed(self, token: str | None) -> bool:
        return hmac.compare_digest((token or "").encode("utf-8"), self._token.encode("utf-8"))

    def _choices(self) -> list[tuple[str, str]]:
        from ingest.review import drafts

        return [(f"{r.title}｜{r.doc_id} {r.clause}｜{r.id}", r.id) for r in drafts(self.data_dir)]

    def _coverage(self) -> str:
        from ingest.coverage import coverage_report

        return coverage_html(coverage_report(self.data_dir))

    def enter(self, token: str):
        if not self.allowed(token):
            return REFUSED, gr.update(choices=[], value=None), ""
        try:
            choices = self._choices()
            return f"已进入：{len(choices)} 条草稿待复核。", gr.update(choices=choices, value=None), self._coverage()
        except PolicyError as err:
            return err.message, gr.update(choices=[], value=None), ""

    def show(self, token: str, rule_id: str | None):
        from ingest.pack_write import rule_record
        from ingest.review import find_rule

        if not rule_id:
            return gr.update(), "", ""
        if not self.allowed(token):
            return REFUSED, "", ""
        try:
            pack, rule = find_rule(self.data_dir, rule_id)
        except PolicyError as err:
            return err.message, "", ""
        clause = pack.document.parsed.by_label().get(rule.clause)
        html = clause_html(pack.document.meta.title, rule.clause, clause.text if clause else "", rule.quote)
        return "", html, yaml.safe_dump(rule_record(rule), allow_unicode=True, sort_keys=False, width=200)

    def _decide(self, token: str, reviewer: str, rule_id: str | None, text: str, note: str, accept: bool):
        from ingest.pack_write import rule_record
        from ingest.review import accept as do_accept
        from ingest.review import find_rule
        from ingest.review import reject as do_reject

        if not self.allowed(token):
            return REFUSED, gr.update(), gr.update(), gr.update(), gr.update()
        if not (reviewer or "").strip() or not rule_id:
            return "请填写复核人并选择一条草稿。", gr.update(), gr.update(), gr.update(), gr.update()
        try:
            changes = None
            if accept:
                edited = yaml.safe_load(text or "") or {}
                if not isinstance(edited, dict):
                    raise PolicyError("bad_edit", "规则应为“字段: 值”的 YAML 映射")
                changes = changed_fields(rule_record(find_rule(self.data_dir, rule_id)[1]), edited)
                rule = do_accept(self.data_dir, rule_id, changes)
            else:
                rule = do_reject(self.data_dir, rule_id)
            decision = "accepted" if accept else "rejected"
            self.store.record_review(rule_id=rule.id, decision=decision, reviewer=reviewer, doc_id=rule.doc_id,
                                     note=note, changes=changes or None)
            self.service.reload()
        except yaml.YAMLError:
            return "修改后的规则不是有效的 YAML，未保存。", gr.update(), gr.update(), gr.update(), gr.update()
        except PolicyError as err:
            return err.message, gr.update(), gr.update(), gr.update(), gr.update()
        done = f"已{'接受' if accept else '驳回'}：{rule.id}（{rule.title}），复核人 {reviewer.strip()}；服务已载入新规则。"
        return done, gr.update(choices=self._choices(), value=None), "", "", self._coverage()

    def accept(self, token, reviewer, rule_id, text, note):
        return self._decide(token, reviewer, rule_id, text, note, accept=True)

    def reject(self, token, reviewer, rule_id, text, note):
        return self._decide(token, reviewer, rule_id, text, note, accept=False)

    def reload(self, token: str) -> str:
        if not self.allowed(token):
            return REFUSED
        try:
            self.service.reload()
        except PolicyError as err:
            return f"{err.message}（仍在使用原有知识库）"
        return f"已重新载入知识库：{len(self.service.kb.documents)} 份政策，{len(self.service.rulebook)} 条已复核规则。"


def admin_tab(admin: AdminHandlers) -> None:
    gr.Markdown("复核自动起草的规则：左边是条款原文（引文高亮），右边是规则的字段（YAML，可修改）。接受前会再次校验："
                "引文须为原文、规则中的数字须出现在引文中、算例须能复算。")
    with gr.Row(equal_height=True, elem_classes="pa-stack"):
        token = gr.Textbox(label="管理口令", type="password", scale=3, elem_id="pa-admin-token")
        reviewer = gr.Textbox(label="复核人", scale=2, elem_id="pa-admin-by")
        enter = gr.Button("进入", variant="primary", scale=1, min_width=80, elem_id="pa-admin-enter")
    status = gr.Markdown(elem_id="pa-admin-status")
    draft = gr.Dropdown(choices=[], value=None, label="待复核的草稿", filterable=True, elem_id="pa-admin-draft")
    with gr.Row(elem_classes="pa-stack"):
        clause = gr.HTML(elem_id="pa-admin-clause")
        editor = gr.Code(language="yaml", label="规则字段（可修改）", interactive=True, lines=18, elem_id="pa-admin-rule")
    note = gr.Textbox(label="复核意见（可选）", elem_id="pa-admin-note")
    with gr.Row():
        accept = gr.Button("接受（写入政策包）", variant="primary", elem_id="pa-admin-accept")
        reject = gr.Button("驳回", variant="stop", elem_id="pa-admin-reject")
        reload = gr.Button("重新载入知识库", elem_id="pa-admin-reload")
    gr.Markdown("#### 规则覆盖：每份政策的量化句子是否已有规则")
    coverage = gr.HTML(elem_id="pa-admin-coverage")
    enter.click(admin.enter, token, [status, draft, coverage], **PRIVATE)
    token.submit(admin.enter, token, [status, draft, coverage], **PRIVATE)
    draft.change(admin.show, [token, draft], [status, clause, editor], **PRIVATE)
    inputs = [token, reviewer, draft, editor, note]
    accept.click(admin.accept, inputs, [status, draft, clause, editor, coverage], **PRIVATE)
    reject.click(admin.reject, inputs, [status, draft, clause, editor, coverage], **PRIVATE)
    reload.click(admin.reload, token, status, **PRIVATE)
