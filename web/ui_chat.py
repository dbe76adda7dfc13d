"""The chat tab's event handlers: plain generators and functions, testable without a server.

The chat shows HTML-enriched messages; the conversation sent to the service keeps the plain
answer texts. The state maps each assistant message's index to its audit record, so a 👍/👎 on
a message is stored against the exchange that produced it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.messages import MAX_MESSAGE_CHARS, encodable, too_long
from errors import PolicyError
from web.exchange import Logged, ask_stream
from web.formatting import answer_message, safe_markdown, user_text
from web.store import Store

EXAMPLES = [
    "河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？",
    "佛山企业购买上云服务，合同金额80万元，服务券能补多少？",
    "湖南对工控安全有什么支持？",
    "河南“机器换人”示范项目整机购置投资1500万元，补助多少？",
    "河南和湖南对工业互联网平台分别有什么支持？",
]
THINKING = "正在检索条款并计算……"
EMPTY_HINT = "请先输入您的问题，例如：郑州的小巨人企业设备投资1200万元，能拿多少补助？"
PREVIEW_CHARS = 200      # how much of an over-long question the chat shows back


def too_long_message(question: str) -> str | None:
    """The Chinese notice for a question over the engine's limit, else None."""
    if len(question) <= MAX_MESSAGE_CHARS:
        return None
    return f"⚠️ {too_long(len(question))}再发送。原文已留在输入框中，可直接修改。"


def ui_client(request: gr.Request | None) -> str | None:
    """"ip:<address>" of the browser, as the API's audit records name an unkeyed client."""
    host = getattr(getattr(request, "client", None), "host", None)
    return f"ip:{host}" if host else None


def new_state() -> dict[str, Any]:
    # case: what the last answer understood of the enterprise (Answer.case); the next question is
    # read into it, and removing a chip removes that value from it
    return {"messages": [], "exchanges": {}, "feedback_id": None, "case": None}


def show_case(state: dict) -> Any:
    """The case as chips above the input (a multiselect whose × removes a value)."""
    chips = (state.get("case") or {}).get("chips") or []
    return gr.update(choices=[(c["label"], c["key"]) for c in chips], value=[c["key"] for c in chips],
                     visible=bool(chips))


def remove_chips(kept: list[str] | None, state: dict) -> tuple[dict, Any]:
    """The user removed chips: drop those values from the case the next question continues."""
    from assistant.case import Case
    data = state.get("case")
    if not data:
        return state, show_case(state)
    kept = set(kept or [])
    case = Case.from_json(data)
    for chip in data.get("chips") or []:
        if chip["key"] not in kept:
            case = case.without(chip["key"])
    state["case"] = {**case.model_dump(mode="json"),
                     "chips": [c for c in data.get("chips") or [] if c["key"] in kept]}
    return state, show_case(state)


class ChatHandlers:
    def __init__(self, service: Any, store: Store):
        self.service, self.store = service, store

    def respond(self, question: str, chat: list[dict], state: dict,
                request: gr.Request | None = None) -> Iterator[tuple[list[dict], dict, Any]]:
        """Stream one answer into the chat: yields (chat, state, textbox value); the audit record
        names the browser's address."""
        client = ui_client(request)
        question = (question or "").strip()
        if not question:
            gr.Warning(EMPTY_HINT, title="提示")
            yield chat, state, gr.update()
            return
        if not encodable(question):
            gr.Warning("问题中含有无法识别的字符（如不成对的代理字符），请删除后重新输入。", title="提示")
            yield chat, state, gr.update()
            return
        notice = too_long_message(question)
        if notice:                      # said here, without pasting thousands of characters into the chat
            preview = f"{question[:PREVIEW_CHARS]}……（共{len(question)}字）"
            yield [*chat, {"role": "user", "content": user_text(preview)},
                   {"role": "assistant", "content": notice}], state, question
            return
        messages = [*state["messages"], {"role": "user", "content": question}]
        chat = [*chat, {"role": "user", "content": user_text(question)}, {"role": "assistant", "content": THINKING}]
        yield chat, state, ""               # cleared once; later steps leave what the user types next
        text = ""
        try:
            for part in ask_stream(self.service, self.store, messages, channel="ui", client=client,
                                   case=state.get("case")):
                if isinstance(part, Logged):
                    yield self._finish(chat, state, messages, part), state, gr.update()
                    return
                text += part
                chat = [*chat[:-1], {"role": "assistant", "content": safe_markdown(text)}]
                yield chat, state, gr.update()
        except PolicyError as err:
            chat = [*chat[:-1], {"role": "assistant", "content": f"⚠️ {safe_markdown(err.message)}"}]
            yield chat, state, question

    @staticmethod
    def _finish(chat: list[dict], state: dict, messages: list[dict], logged: Logged) -> list[dict]:
        chat = [*chat[:-1], {"role": "assistant", "content": answer_message(logged.answer)}]
        state["messages"] = [*messages, {"role": "assistant", "content": logged.answer.answer}]
        state["case"] = logged.answer.case
        state["exchanges"][str(len(chat) - 1)] = logged.exchange_id
        return chat

    def like(self, state: dict, data: gr.LikeData) -> tuple[dict, Any, Any]:
        """Store 👍/👎 for the message's exchange and open the optional comment box."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        exchange_id = state["exchanges"].get(str(index))
        if exchange_id is None or data.liked not in (True, False):
            return state, gr.update(), gr.update()
        rating = 1 if data.liked else -1
        state["feedback_id"] = self.store.record_feedback(exchange_id=exchange_id, rating=rating, channel="ui")
        label = ("已记录：有帮助。还有什么建议吗？（可选）" if rating == 1
                 else "已记录：没帮上忙。哪里不对或缺了什么？（可选）")
        return state, gr.update(visible=True), gr.update(label=label, value="")

    def comment(self, text: str, state: dict) -> tuple[dict, Any, str]:
        feedback_id = state.get("feedback_id")
        if feedback_id is not None and (text or "").strip():
            self.store.set_feedback_comment(feedback_id, text)
            gr.Info("意见已保存，谢谢！", title="提示")
        state["feedback_id"] = None
        return state, gr.update(visible=False), ""

    @staticmethod
    def clear() -> tuple[list, dict, str, Any, str]:
        """新对话: empty chat, fresh state, empty box, the feedback box closed and emptied."""
        return [], new_state(), "", gr.update(visible=False), ""
