"""The LLM engine: a tool-calling chat model whose every figure is checked against the tools.

Used when ``LLM_BASE_URL`` and ``LLM_MODEL`` are set (``settings.llm_configured``). The model gets the
tools of `assistant.tools.ToolSession` and the system prompt ``prompts/llm_system.md.j2``; it runs
model → tool calls → tool results → model for at most ``max_rounds`` tool rounds. The Answer
(mode="llm") carries the calculations its calculate_award calls produced, and as citations the
clauses the tools returned that the answer refers to (by label or by quoting them).

Number check: every money amount (``500万元``, ``1.2亿元``, ``20000000元``, ``两千万``; a number with
a unit 元/万/亿, so hotline numbers and postcodes are left alone) and rate
(``30%``, ``百分之三十``) in the answer must equal a figure of a calculation (amount, inputs,
formula, instalments, reason, notes) or of a cited clause's text. Otherwise, and whenever the model
server fails, times out, returns nothing or exceeds the round limit, the answer is replaced by the
offline engine's (``fallback(messages)``) and a WARNING goes to the logger ``assistant.llm``.
Figures that only appear in the user's messages do not count: that is how injected "caps" stay out.
A leading ``<think>…</think>`` block (reasoning models without a reasoning parser) is neither shown
nor checked.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator, Iterator
from typing import Any, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    message_chunk_to_message,
)

import prompts
from assistant.answer import Answer
from assistant.tools import ToolService, ToolSession, select_citations, unsupported_figures
from errors import PolicyError

logger = logging.getLogger("assistant.llm")

PROMPT = "llm_system.md.j2"
MAX_HISTORY = 20          # messages of the conversation passed to the model
TURN_SEPARATOR = "\n\n"   # between texts of successive model turns


class Retraction(str):
    """A stream chunk that withdraws the text streamed before it (see `LLMEngine.stream`)."""


RETRACTION = Retraction(
    "\n\n---\n**以上回答中的数字未能与计算结果或政策原文核对一致，已撤回。以下为按政策规则给出的答复：**\n\n")


class EngineService(ToolService, Protocol):
    def documents(self) -> list[Any]: ...    # list[ingest.corpus.PolicyMeta]


class _RoundLimit(Exception):
    pass


def make_chat_model(settings: Any, *, timeout: float = 30.0, max_retries: int = 1) -> BaseChatModel:
    """The chat model for any OpenAI-compatible server; constructing it opens no connection."""
    if not settings.llm_configured:
        raise PolicyError("llm_not_configured", "未配置大模型：请设置 LLM_BASE_URL、LLM_API_KEY 和 LLM_MODEL")
    from langchain_openai import ChatOpenAI  # the only place that knows the provider package
    from pydantic import SecretStr

    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url,
                      api_key=SecretStr(settings.llm_api_key or "not-needed"),  # Ollama/vLLM need none
                      timeout=timeout, max_retries=max_retries, temperature=0)


class LLMEngine:
    """answer(messages) -> Answer and stream(messages), grounded in tool results, else the fallback."""

    def __init__(self, model: BaseChatModel, service: EngineService,
                 fallback: Callable[[list[dict]], Answer], *, max_rounds: int = 5):
        self._model = model
        self._service = service
        self._fallback_engine = fallback
        self.max_rounds = max_rounds
        self._prompt: str | None = None

    def _session(self, messages: list[dict], case) -> tuple[ToolSession, dict | None]:
        """A tool session with the facts the user stated (the same understanding as offline)."""
        understood = getattr(self._service, "understood", None)
        if understood is None:
            return ToolSession(self._service), None
        stated, case_json = understood(messages, case)
        return ToolSession(self._service, stated), case_json

    def answer(self, messages: list[dict], id: str | None = None, case=None) -> Answer:
        session, case_json = self._session(messages, case)
        try:
            text = "".join(self._run(messages, session, streaming=False))
        except Exception as err:   # server down, timeout, bad reply: the offline engine answers
            return self._fallback(messages, _describe(err), id)
        answer, problem = self._verify(text, session)
        if answer is None:
            return self._fallback(messages, problem, id)
        return answer.model_copy(update={"id": id, "case": case_json})

    def stream(self, messages: list[dict], case=None) -> Iterator[str | Answer]:
        """Text chunks as the model writes them, then the final Answer.

        When the answer passes the number check, the chunks joined are exactly ``Answer.answer``.
        When it fails (or the model errors after some text was sent), the stream continues with
        the chunk `RETRACTION` (a `Retraction`, a str, so plain clients show it as text), then the
        offline engine's answer text as one chunk, then that offline Answer (mode="offline").
        Clients that can redraw should replace what they showed with the final ``Answer.answer``.
        """
        session, case_json = self._session(messages, case)
        run, sent = self._run(messages, session, streaming=True), []
        while True:
            try:
                piece = next(run)
            except StopIteration:
                break
            except Exception as err:
                yield from self._replacement(messages, _describe(err), bool(sent))
                return
            sent.append(piece)
            yield piece
        answer, problem = self._verify("".join(sent), session)
        if answer is None:
            yield from self._replacement(messages, problem, bool(sent))
        else:
            yield answer.model_copy(update={"case": case_json})

    # -- the tool-calling loop -----------------------------------------------------------------

    def _run(self, messages: list[dict], session: ToolSession, streaming: bool) -> Generator[str, None, None]:
        """Yield the answer text piece by piece, executing tool calls between model turns."""
        bound = self._model.bind_tools(session.tools())
        history: list[BaseMessage] = [SystemMessage(self._system_prompt()), *_conversation(messages)]
        said = False
        for _ in range(self.max_rounds + 1):
            reply, spoke = yield from _turn(bound, history, streaming, TURN_SEPARATOR if said else "")
            said = said or spoke
            if not reply.tool_calls and not reply.invalid_tool_calls:
                return
            history.append(reply)
            history.extend(session.run(call) for call in reply.tool_calls)
            history.extend(ToolMessage(f"工具参数不是有效的 JSON：{bad.get('error') or bad.get('args')}",
                                       tool_call_id=bad.get("id") or "", status="error")
                           for bad in reply.invalid_tool_calls)
        raise _RoundLimit(f"still calling tools after {self.max_rounds} rounds")

    def _system_prompt(self) -> str:
        if self._prompt is None:
            docs = list(self._service.documents())
            regions = list(dict.fromkeys(doc.region for doc in docs))
            self._prompt = prompts.render(PROMPT, documents=docs, regions=regions, max_rounds=self.max_rounds)
        return self._prompt

    # -- checking and falling back -------------------------------------------------------------

    def _verify(self, text: str, session: ToolSession) -> tuple[Answer | None, str]:
        if not text.strip():
            return None, "the model returned no answer text"
        calculations = list(session.calculations)
        citations = select_citations(text, list(session.returned.values()),
                                     [calc.citation for calc in calculations])
        unsupported = unsupported_figures(text, calculations, citations)
        if unsupported:
            return None, f"figures not backed by a calculation or a cited clause: {unsupported}"
        return Answer(answer=text, citations=citations, calculations=calculations, mode="llm"), ""

    def _fallback(self, messages: list[dict], reason: str, id: str | None = None) -> Answer:
        logger.warning("LLM answer replaced by the offline engine: %s", reason)
        answer = self._fallback_engine(messages)
        return answer if id is None else answer.model_copy(update={"id": id})

    def _replacement(self, messages: list[dict], reason: str, sent_text: bool) -> Iterator[str | Answer]:
        answer = self._fallback(messages, reason)
        if sent_text:
            yield RETRACTION
        yield answer.answer
        yield answer


def _turn(model: Any, history: list[BaseMessage], streaming: bool,
          lead: str) -> Generator[str, None, tuple[AIMessage, bool]]:
    """One model call. Yields its visible text (as it arrives when streaming); returns (reply, spoke)."""
    visible, merged, spoke = _ThinkFilter(), None, False
    for chunk in model.stream(history) if streaming else [model.invoke(history)]:
        merged = chunk if merged is None else merged + chunk
        text = visible.feed(chunk.text)
        if text:
            yield lead + text
            lead, spoke = "", spoke or bool(text.strip())
    rest = visible.flush()
    if rest:
        yield lead + rest
        spoke = spoke or bool(rest.strip())
    return (message_chunk_to_message(merged) if merged is not None else AIMessage("")), spoke


class _ThinkFilter:
    """Drops a leading ``<think>…</think>`` block, fed piece by piece: reasoning models (Qwen3,
    DeepSeek-R1) served by vLLM or Ollama without a reasoning parser write it into the content."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self.state, self.held = "start", ""

    def feed(self, text: str) -> str:
        if self.state == "after":                   # the blank lines after </think> are dropped too
            text = text.lstrip()
            self.state = "text" if text else "after"
            return text
        if self.state == "text":
            return text
        self.held += text
        if self.state == "start":
            head = self.held.lstrip()
            if self.OPEN.startswith(head):          # "" or "<thi": not decided yet
                return ""
            if not head.startswith(self.OPEN):
                self.state = "text"
                return self._release(self.held)
            self.state = "think"
        end = self.held.find(self.CLOSE)
        if end < 0:
            return ""
        self.state = "after"
        return self.feed(self._release(self.held[end + len(self.CLOSE):]))

    def flush(self) -> str:
        """What is still held at the end of the turn; an unfinished think block is dropped."""
        return self._release("" if self.state == "think" else self.held)

    def _release(self, text: str) -> str:
        self.held = ""
        return text


def _conversation(messages: list[dict]) -> list[BaseMessage]:
    """User and assistant turns; anything else a client sends is user text, never a system prompt."""
    out: list[BaseMessage] = []
    for message in messages[-MAX_HISTORY:]:
        role, content = (message["role"], message["content"]) if isinstance(message, dict) \
            else (message.role, message.content)
        out.append(AIMessage(content) if role == "assistant" else HumanMessage(content))
    return out


_SECRET = re.compile(r"(sk-[A-Za-z0-9_-]{6,}|Bearer\s+\S+|api[_-]?key\S*)", re.I)


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {_SECRET.sub('***', str(err))[:300]}"
