"""The Gradio UI (Chinese), four tabs: 问答, 条款检索, 奖补计算器, 政策文件 (and 规则复核 when ADMIN_TOKEN
is set: web/ui_admin.py); mounted at "/"."""
from __future__ import annotations

from collections import Counter
from typing import Any

import gradio as gr
from fastapi import FastAPI

from web.config import WebConfig
from web.store import Store
from web.ui_chat import EXAMPLES, ChatHandlers, new_state, remove_chips, show_case
from web.ui_match import match_tab
from web.ui_style import COPY_JS, CSS, FOLLOW_QUESTION_JS, HEAD, theme
from web.ui_tools import ALL_DOCS, ALL_REGIONS, MAX_AMOUNTS, ToolHandlers

PLACEHOLDER = ("### 您好，我是政策问答助手\n"
               "可以问我：某项政策支持什么、企业能拿多少奖补、需要满足什么条件。\n"
               "每个回答都附有**条款原文**，金额由计算器按条款**精确计算**。")
# UI events are not a public API: the documented, keyed and rate-limited API is /api and /v1.
PRIVATE = {"api_visibility": "private"}
LOGIN_MESSAGE = "政策问答助手（内部版）：请输入工作账号和密码登录。"
FOOTER = ("回答依据已收录的政策原文，金额按条款精确计算，仅供参考，具体以主管部门解释和年度申报通知为准。"
          "　·　[HTTP 接口文档](/docs)")


def _header(tools: ToolHandlers) -> str:
    counts = Counter(m.region for m in tools.metas().values())
    covered = "、".join(f"{region} {n} 份" for region, n in sorted(counts.items()))
    return f"# 政策问答助手\n已收录政策文件：{covered}。面向企业与热线工作人员：问答、条款检索、奖补计算、政策原文。"


def _chat_tab(chat: ChatHandlers) -> None:
    state = gr.State(new_state())
    chatbot = gr.Chatbot(label="政策问答", show_label=False, height=620, autoscroll=False, elem_id="pa-chat", buttons=[],
                         placeholder=PLACEHOLDER, examples=[{"text": q} for q in EXAMPLES[:4]],
                         feedback_options=("Like", "Dislike"), group_consecutive_messages=False)
    with gr.Row(visible=False, equal_height=True, elem_id="pa-feedback-row") as fb_row:   # right under the answer
        fb_text = gr.Textbox(label="补充意见（可选）", scale=8, max_lines=3, elem_id="pa-feedback")
        fb_send = gr.Button("提交意见", scale=1, min_width=80)
    case_chips = gr.Dropdown(label="当前企业情况（点 × 删除某项，下一问不再使用）", choices=[], value=[],
                             multiselect=True, allow_custom_value=False, visible=False, elem_id="pa-case")
    with gr.Row(equal_height=True, elem_id="pa-input-row"):
        box = gr.Textbox(label="您的问题", show_label=False, placeholder="输入您的问题，回车发送（可以接着上一个回答追问）",
                         scale=8, lines=1, max_lines=4, elem_id="pa-question", autofocus=True)
        send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="pa-send")
        clear = gr.Button("新对话", scale=1, min_width=80, elem_id="pa-clear")

    # the box is an output only to clear it once and to give an over-long question back; it shows no
    # progress overlay, so what the user types while an answer streams stays
    io = {"fn": chat.respond, "inputs": [box, chatbot, state], "outputs": [chatbot, state, box],
          "show_progress_on": [chatbot], **PRIVATE}
    shown = {"fn": show_case, "inputs": [state], "outputs": [case_chips], **PRIVATE}
    box.submit(**io).then(**shown)
    send.click(**io).then(**shown)
    chatbot.example_select(_pick, None, box, **PRIVATE).then(**io).then(**shown)
    case_chips.input(remove_chips, [case_chips, state], [state, case_chips], **PRIVATE)
    chatbot.like(chat.like, [state], [state, fb_row, fb_text], **PRIVATE)
    fb_send.click(chat.comment, [fb_text, state], [state, fb_row, fb_text], **PRIVATE)
    fb_text.submit(chat.comment, [fb_text, state], [state, fb_row, fb_text], **PRIVATE)
    clear.click(chat.clear, None, [chatbot, state, box, fb_row, fb_text], **PRIVATE).then(**shown)
    # the chat's own clear button (trash icon) empties the conversation and the case as well
    chatbot.clear(chat.clear, None, [chatbot, state, box, fb_row, fb_text], **PRIVATE).then(**shown)


def _pick(evt: gr.SelectData) -> str:
    return evt.value["text"]


def _search_tab(tools: ToolHandlers) -> gr.HTML:
    with gr.Row(equal_height=True, elem_classes="pa-stack"):
        query = gr.Textbox(label="关键词", placeholder="如：小巨人 设备投资；上云 服务券；工控安全",
                           scale=5, elem_id="pa-search-q")
        region = gr.Dropdown(tools.regions(), value=ALL_REGIONS, label="地区", scale=2, elem_id="pa-search-region")
        doc = gr.Dropdown([(ALL_DOCS, "")] + tools.document_choices(), value="", label="文件", scale=3,
                          elem_id="pa-search-doc")
        k = gr.Slider(3, 20, value=8, step=1, label="显示条数", scale=2)
    button = gr.Button("检索条款", variant="primary", elem_id="pa-search-btn")
    results = gr.HTML(tools.search("", ALL_REGIONS, "", 8), js_on_load=COPY_JS, elem_id="pa-hits")
    inputs = [query, region, doc, k]
    button.click(tools.search, inputs, results, **PRIVATE)
    query.submit(tools.search, inputs, results, **PRIVATE)
    return results


def _calc_tab(tools: ToolHandlers) -> tuple[gr.Dropdown, gr.Dropdown]:
    gr.Markdown("选择奖补规则，填写金额（可写 2000万、1.2亿、两千万），勾选已满足的条件，得到精确结果、算式和条款。")
    with gr.Row(equal_height=True, elem_classes="pa-stack"):
        region = gr.Dropdown(tools.regions(), value=ALL_REGIONS, label="地区", scale=1, elem_id="pa-calc-region")
        rule = gr.Dropdown(tools.rule_choices(), value=None, label="奖补规则（名称｜地区 · 文件 · 条款，可输入文字筛选）",
                           filterable=True, scale=4, elem_id="pa-rule")
    summary = gr.Markdown("请选择一条奖补规则。")
    amounts = [gr.Textbox(visible=False, label=f"金额{i + 1}", elem_id=f"pa-amount-{i}") for i in range(MAX_AMOUNTS)]
    facts = gr.CheckboxGroup(label="已满足的条件（勾选表示确认；不勾选则结果列出待确认的条件）", visible=False)
    tier = gr.Radio(label="等级", visible=False)
    button = gr.Button("计算", variant="primary", elem_id="pa-calc-btn")
    result = gr.HTML(elem_id="pa-calc-result")
    region.input(lambda r: gr.update(choices=tools.rule_choices(r), value=None), region, rule, **PRIVATE)
    rule.change(tools.describe_rule, rule, [summary, *amounts, facts, tier], **PRIVATE).then(lambda: "", None, result, **PRIVATE)
    button.click(tools.calculate, [rule, *amounts, facts, tier], result, **PRIVATE)
    return region, rule


def _docs_tab(tools: ToolHandlers) -> tuple[gr.Dropdown, gr.HTML]:
    choices = tools.document_choices()
    first = choices[0][1] if choices else None
    doc = gr.Dropdown(choices, value=first, label="政策文件", elem_id="pa-doc")
    tree = gr.HTML(tools.document(first), elem_id="pa-doc-tree")
    doc.input(tools.document, doc, tree, **PRIVATE)
    return doc, tree


def _jumps(tools: ToolHandlers, tabs: gr.Tabs, doc: gr.Dropdown, tree: gr.HTML,
           calc_region: gr.Dropdown, rule: gr.Dropdown) -> None:
    """在原文中查看 and 去计算: the page script writes "target|nonce" into a hidden box, the server
    answers with the tab to show and what to show in it."""
    clause_target = gr.Textbox(elem_id="pa-goto-clause", elem_classes="pa-hidden", show_label=False, label="定位条款")
    rule_target = gr.Textbox(elem_id="pa-goto-rule", elem_classes="pa-hidden", show_label=False, label="定位规则")
    clause_target.change(tools.open_clause, clause_target, [tabs, doc, tree], **PRIVATE)
    rule_target.change(tools.open_rule, rule_target, [tabs, calc_region, rule], **PRIVATE)


def build_ui(service: Any, store: Store, admin_token: str | None = None) -> gr.Blocks:
    """The tabs over the service; the admin tab only with an `admin_token`."""
    chat, tools = ChatHandlers(service, store), ToolHandlers(service)
    with gr.Blocks(title="政策问答助手", analytics_enabled=False) as demo:
        gr.Markdown(_header(tools), elem_id="pa-header")
        with gr.Tabs(overflow_behavior="wrap") as tabs:     # on a phone every tab stays visible
            with gr.Tab("问答", id="chat"):
                _chat_tab(chat)
            with gr.Tab("条款检索", id="search"):
                _search_tab(tools)
            with gr.Tab("奖补计算器", id="calc"):
                calc_region, rule = _calc_tab(tools)
            with gr.Tab("政策匹配", id="match"):
                match_tab(service)
            with gr.Tab("政策文件", id="docs"):
                doc, tree = _docs_tab(tools)
            if admin_token:
                from web.ui_admin import AdminHandlers, admin_tab

                with gr.Tab("规则复核", id="admin"):
                    admin_tab(AdminHandlers(service, store, admin_token))
        _jumps(tools, tabs, doc, tree, calc_region, rule)
        gr.Markdown(FOOTER, elem_id="pa-footer")
    return demo


def mount_ui(app: FastAPI, service: Any, store: Store, config: WebConfig) -> FastAPI:
    """Mount the UI at "/"; behind a login when UI_AUTH is set; no uploads unless UI_UPLOADS is set."""
    demo = build_ui(service, store, config.admin_token).queue(default_concurrency_limit=config.ui_concurrency)
    logins = config.ui_logins
    return gr.mount_gradio_app(app, demo, path="/", theme=theme(), css=CSS, js=FOLLOW_QUESTION_JS, head=HEAD, footer_links=[],
                               run_history=False, ssr_mode=False, mcp_server=False,
                               auth=logins or None, auth_message=LOGIN_MESSAGE if logins else None,
                               max_file_size=config.max_ui_body_bytes if config.ui_uploads else 0)
