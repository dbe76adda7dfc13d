"""OpenAI-compatible chat completions, so any chat front end can embed the assistant.

The text is in `choices[0].message.content` (or the streamed deltas); the citations and
calculations of the answer contract travel in the extra field `policy_answer`.
"""
from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from itertools import chain
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from errors import PolicyError
from web.exchange import Logged, ask, ask_stream
from web.guards import client_id, rate_limited, require_api_key, text_is_valid

MODEL_ID = "policy-assistant"
log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["OpenAI 兼容接口"], dependencies=[Depends(require_api_key), Depends(rate_limited), Depends(text_is_valid)])


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str = Field(max_length=20)
    content: str | list[dict[str, Any]] | None = None


class CompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")      # temperature, max_tokens… are accepted and ignored
    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, list):        # content parts: keep the text ones
        return "".join(str(p.get("text", "")) for p in content if p.get("type") == "text")
    return content or ""


def to_messages(req: CompletionRequest) -> list[dict[str, str]]:
    """User and assistant turns only; a system prompt cannot change the assistant's rules."""
    messages = [{"role": m.role, "content": _text(m.content)} for m in req.messages
                if m.role in ("user", "assistant")]
    if not messages or messages[-1]["role"] != "user":
        raise PolicyError("invalid_request", "最后一条消息应当是用户（role=user）的问题")
    return messages


def _envelope(completion_id: str, model: str, kind: str) -> dict[str, Any]:
    return {"id": completion_id, "object": kind, "created": int(time.time()), "model": model}


def completion_body(logged: Logged, model: str) -> dict[str, Any]:
    body = _envelope(f"chatcmpl-{uuid.uuid4().hex[:24]}", model, "chat.completion")
    body["choices"] = [{"index": 0, "finish_reason": "stop",
                        "message": {"role": "assistant", "content": logged.answer.answer}}]
    body["usage"] = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    body["policy_answer"] = logged.answer.to_json_dict()
    body["exchange_id"] = logged.exchange_id
    return body


def _sse(obj: Any) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"


def sse_events(parts: Iterator[str | Logged], model: str) -> Iterator[str]:
    """`data: {chunk}` events: the role, each text delta, a final chunk with policy_answer, [DONE]."""
    base = _envelope(f"chatcmpl-{uuid.uuid4().hex[:24]}", model, "chat.completion.chunk")

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        return _sse({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra})

    yield chunk({"role": "assistant", "content": ""})
    try:
        for part in parts:
            if isinstance(part, Logged):
                yield chunk({}, "stop", policy_answer=part.answer.to_json_dict(), exchange_id=part.exchange_id)
            elif part:
                yield chunk({"content": part})
    except PolicyError as err:
        yield _sse(err.to_dict())
    except Exception:           # the stream still ends properly, with a Chinese error and [DONE]
        log.exception("OpenAI-compatible stream failed")
        yield _sse(PolicyError("internal_error", "服务内部错误，回答未完成，请稍后重试").to_dict())
    yield "data: [DONE]\n\n"


@router.post("/chat/completions", summary="OpenAI 兼容的对话接口（支持 stream: true）")
def chat_completions(req: CompletionRequest, request: Request) -> Response:
    state, model = request.app.state, req.model or MODEL_ID
    messages = to_messages(req)
    if not req.stream:
        logged = ask(state.service, state.store, messages, channel="openai", client=client_id(request))
        return Response(json.dumps(completion_body(logged, model), ensure_ascii=False),
                        media_type="application/json", headers={"X-Exchange-Id": str(logged.exchange_id)})
    parts = ask_stream(state.service, state.store, messages, channel="openai", client=client_id(request))
    first = next(parts)                 # a bad question fails here, as a 4xx, before the stream starts
    return StreamingResponse(sse_events(chain([first], parts), model), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/models", summary="可用模型（OpenAI 兼容）")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0,
                                        "owned_by": "policy-assistant"}]}
