"""WeChat Official Account server callback: GET verifies the URL, POST answers text messages.

A request must be signed and fresh (timestamp within ±WECHAT_MAX_SKEW_S, default 5 min); a signed
(timestamp, nonce) seen before with a different body is a replay and refused. Each delivery of a
(sender, MsgId) is answered from one computation (WeChat re-delivers a message it got no reply to
within 5 s); a reply is always sent before the deadline; a short per-user history lets a user
answer the assistant's follow-up question. Plaintext and safe mode (AES, web.wechat_crypto).
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.answer import Answer
from errors import PolicyError
from web.config import WebConfig
from web.exchange import ask
from web.formatting import yuan_to_text
from web.guards import HttpError
from web.wechat_crypto import SafeMode
from web.wechat_xml import Incoming, check_signature, is_fresh, parse_message, plain_text, text_reply, trim

router = APIRouter(tags=["微信公众号"])
log = logging.getLogger(__name__)

WELCOME = ("您好，这里是政策问答助手。可以直接提问，例如：\n"
           "“河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？”\n"
           "“佛山工业互联网标杆示范项目怎么补助？”")
TEXT_ONLY = "目前只支持文字提问，请直接输入您的问题。"


def wechat_text(answer: Answer) -> str:
    """The answer as plain text, with each figure and the clauses it rests on."""
    lines = [plain_text(answer.answer)]
    figures = [f"· {c.title}：{yuan_to_text(c.amount_yuan)}" for c in answer.calculations
               if c.eligible and c.amount_yuan is not None and yuan_to_text(c.amount_yuan) not in answer.answer]
    if figures:
        lines.append("计算结果：\n" + "\n".join(figures))
    labels = list(dict.fromkeys(f"《{c.title}》{c.clause}" for c in answer.citations))
    if labels:
        lines.append("依据：" + "；".join(labels[:4]))
    return "\n\n".join(lines)


class _Lru(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def put(self, key: str, value: object) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class WeChatResponder:
    """Answers messages once per MsgId, within the deadline, remembering a few turns per user."""

    def __init__(self, service: object, store: object, config: WebConfig, workers: int = 4):
        self.service, self.store, self.config = service, store, config
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wechat")
        self.lock = threading.Lock()
        self.replies: _Lru = _Lru(5000)         # (openid, MsgId) -> Future[str]
        self.history: _Lru = _Lru(5000)         # openid -> (last_seen, messages)
        self.nonces: _Lru = _Lru(20000)         # (timestamp, nonce) -> sha256 of the body
        self.safe = (SafeMode(config.wechat_token or "", config.wechat_aes_key, config.wechat_app_id or "")
                     if config.wechat_aes_key else None)

    def check_replay(self, timestamp: str, nonce: str, body: bytes) -> None:
        """403 when this signed (timestamp, nonce) already came with another body; the same body
        again is WeChat re-delivering, answered from the dedup cache."""
        digest = hashlib.sha256(body).hexdigest()
        with self.lock:
            seen = self.nonces.get((timestamp, nonce))
            if seen is None:
                self.nonces.put((timestamp, nonce), digest)
        if seen is not None and seen != digest:
            raise HttpError(403, "replayed", "请求已使用过（timestamp 与 nonce 重复）")

    def reply(self, msg: Incoming) -> str:
        with self.lock:
            future = self.replies.get(msg.dedup_key)
            if future is None:
                future = self.pool.submit(self._compose, msg)
                self.replies.put(msg.dedup_key, future)
        return self._wait(future)

    def _wait(self, future: Future) -> str:
        try:
            return future.result(timeout=self.config.wechat_deadline_s)
        except FutureTimeout:
            return f"正在查询中，请稍后重新发送问题，或访问 {self.config.public_url} 查看完整回答。"

    def _compose(self, msg: Incoming) -> str:
        if msg.msg_type == "event":
            return WELCOME if msg.event.lower() == "subscribe" else ""
        if msg.msg_type != "text":
            return TEXT_ONLY
        messages = [*self._recent(msg.from_user), {"role": "user", "content": msg.content.strip()}]
        try:
            logged = ask(self.service, self.store, messages, channel="wechat", client=f"wechat:{msg.from_user}")
        except PolicyError as err:
            return err.message
        except Exception:        # the reply must still go out; the audit log has the question
            log.exception("WeChat answer failed")
            return f"服务暂时不可用，请稍后再试，或访问 {self.config.public_url}"
        text = wechat_text(logged.answer)
        self._remember(msg.from_user, [*messages, {"role": "assistant", "content": logged.answer.answer}])
        pointer = f"完整回答与条款原文请访问：{self.config.public_url}"
        return trim(text, self.config.wechat_max_chars, pointer)

    def _recent(self, openid: str) -> list[dict]:
        with self.lock:
            seen, messages = self.history.get(openid, (0.0, []))
        return messages if time.monotonic() - seen < 1800 else []

    def _remember(self, openid: str, messages: list[dict]) -> None:
        with self.lock:
            self.history.put(openid, (time.monotonic(), messages[-8:]))

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _verified(request: Request, signature: str, timestamp: str, nonce: str) -> WeChatResponder:
    config: WebConfig = request.app.state.config
    if not config.wechat_token:
        raise HttpError(404, "wechat_not_configured", "未配置微信公众号接入（WECHAT_TOKEN）")
    if not check_signature(config.wechat_token, signature, timestamp, nonce):
        raise HttpError(403, "bad_signature", "签名校验失败")
    if not is_fresh(timestamp, config.wechat_max_skew_s):
        raise HttpError(403, "stale_request", "请求已过期：时间戳与服务器时间相差超过允许范围")
    return request.app.state.wechat


@router.get("/wechat", response_class=PlainTextResponse, summary="微信服务器 URL 验证")
def verify(request: Request, signature: str = "", timestamp: str = "", nonce: str = "",
           echostr: str = Query(default="", max_length=200)) -> str:
    _verified(request, signature, timestamp, nonce)
    return echostr


@router.post("/wechat", summary="微信消息回调（明文模式或安全模式，被动回复文本）")
async def receive(request: Request, signature: str = "", timestamp: str = "", nonce: str = "",
                  encrypt_type: str = "", msg_signature: str = "") -> Response:
    responder = _verified(request, signature, timestamp, nonce)
    body = await request.body()
    responder.check_replay(timestamp, nonce, body)
    safe = encrypt_type == "aes"
    if safe and responder.safe is None:
        raise HttpError(400, "encryption_unsupported", "未配置安全模式（WECHAT_AES_KEY、WECHAT_APP_ID），"
                        "请在公众号后台选择“明文模式”或配置密钥")
    if encrypt_type not in ("", "raw", "aes"):
        raise HttpError(400, "encryption_unsupported", f"不支持的加密方式：{encrypt_type[:20]}")
    if safe:
        body = responder.safe.decrypt(body, msg_signature, timestamp, nonce)
    msg = parse_message(body)
    content = await run_in_threadpool(responder.reply, msg)
    if not content:
        return PlainTextResponse("success")
    reply = text_reply(msg, content)
    if safe:
        reply = responder.safe.encrypt(reply, nonce, timestamp)
    return Response(reply, media_type="application/xml")
