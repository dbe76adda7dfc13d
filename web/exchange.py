"""One question → one Answer, through the service, logged in the audit store before it is returned.

Every front end (REST, OpenAI-compatible, WeChat, Gradio) goes through these two functions, so
every answer a user sees has an audit record committed first.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.answer import Answer
from errors import PolicyError
from web.store import Store


@dataclass(frozen=True)
class Logged:
    answer: Answer
    exchange_id: int


def last_question(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return str(message.get("content") or "")
    return ""


def _ms(start: float) -> int:
    return int((time.perf_counter() - start) * 1000)


def ask(service: Any, store: Store, messages: list[dict[str, Any]], *, channel: str,
        client: str | None = None, id: str | None = None, case: Any = None) -> Logged:
    """Answer the conversation (continuing a carried `case`); record it (or the error) before returning."""
    start = time.perf_counter()
    question = last_question(messages)
    try:
        answer = service.answer(messages, id=id, case=case)
    except PolicyError as err:
        store.record_exchange(channel=channel, client=client, question=question, messages=messages,
                              error=err.to_dict(), latency_ms=_ms(start))
        raise
    exchange_id = store.record_exchange(channel=channel, client=client, question=question,
                                        messages=messages, answer=answer.to_json_dict(),
                                        latency_ms=_ms(start))
    return Logged(answer, exchange_id)


def ask_stream(service: Any, store: Store, messages: list[dict[str, Any]], *, channel: str,
               client: str | None = None, case: Any = None) -> Iterator[str | Logged]:
    """Text chunks as the service produces them, then the logged final Answer."""
    start = time.perf_counter()
    question = last_question(messages)
    try:
        for part in service.stream(messages, case=case):
            if isinstance(part, Answer):
                exchange_id = store.record_exchange(
                    channel=channel, client=client, question=question, messages=messages,
                    answer=part.to_json_dict(), latency_ms=_ms(start))
                yield Logged(part, exchange_id)
                return
            yield part
    except PolicyError as err:
        store.record_exchange(channel=channel, client=client, question=question, messages=messages,
                              error=err.to_dict(), latency_ms=_ms(start))
        raise
    raise PolicyError("no_answer", "未能生成回答，请稍后重试")
