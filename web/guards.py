"""What stands in front of the routes: API keys, per-key rate limits, body-size limits, CORS.

Rate limits use `limits`, the library under slowapi, as a route dependency: slowapi's middleware
looks routes up in `app.routes` and finds none under FastAPI 0.165's included routers.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from limits import parse, storage, strategies
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.messages import encodable
from errors import PolicyError
from web.config import WebConfig

API_PREFIXES = ("/api/", "/v1/", "/wechat")
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="X-API-Key: <API key>")


class HttpError(PolicyError):
    """A PolicyError that carries its own HTTP status (401, 413, 429…)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(code, message)
        self.status = status
        self.headers = headers or {}


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-api-key") or None


def fingerprint(key: str) -> str:
    return "key:" + hashlib.sha256(key.encode()).hexdigest()[:12]


def client_address(request: Request) -> str:
    return "ip:" + (request.client.host if request.client else "unknown")


def client_id(request: Request) -> str:
    """Who is asking, for rate limits and the audit log: a key fingerprint, else the address."""
    key = presented_key(request)
    if key:
        return fingerprint(key)
    return client_address(request)


def require_api_key(request: Request,
                    _b: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                    _h: Annotated[str | None, Depends(_header)]) -> None:
    """Open when API_KEYS is unset; otherwise a listed key in `Authorization: Bearer` or `X-API-Key`."""
    config: WebConfig = request.app.state.config
    if not config.auth_enabled:
        return
    failures: RateLimiter = request.app.state.key_failures
    address = client_address(request)
    failures.refuse_when_spent(address, "错误的 API 密钥尝试过多")
    key = presented_key(request)
    if key and any(hmac.compare_digest(key.encode(), k.encode()) for k in config.api_keys):
        return
    failures.window.hit(failures.item, address)
    raise HttpError(401, "unauthorized", "缺少或无效的 API 密钥：请在 Authorization: Bearer 或 X-API-Key 头中提供",
                    {"WWW-Authenticate": "Bearer"})


class BodyLimitMiddleware:
    """413 for a body over the limit: API paths get `api_limit`, everything else (the UI) `ui_limit`."""

    def __init__(self, app: ASGIApp, api_limit: int, ui_limit: int):
        self.app, self.api_limit, self.ui_limit = app, api_limit, ui_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.api_limit if scope["path"].startswith(API_PREFIXES) else self.ui_limit
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await self._reject(send, limit)
        body, more, messages = 0, True, []
        while more and length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            message = await receive()      # a chunked body: read it, counting, before the app does
            messages.append(message)
            body += len(message.get("body", b""))
            more = message.get("more_body", False)
            if body > limit:
                return await self._reject(send, limit)
        await self.app(scope, _replay(messages, receive) if messages else receive, send)

    @staticmethod
    async def _reject(send: Send, limit: int) -> None:
        payload = PolicyError("body_too_large", f"请求体过大：上限为 {limit // 1024} KB").to_dict()
        data = json.dumps(payload, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    queue = list(messages)

    async def replay() -> Message:
        return queue.pop(0) if queue else await receive()
    return replay


class RateLimiter:
    """A moving-window limit per client (API key fingerprint, else address)."""

    def __init__(self, rate: str, storage_uri: str = "memory://"):
        self.rate = rate
        self.item = parse(rate)
        self.window = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))

    def check(self, key: str) -> None:
        """Count one request; 429 when the budget is spent."""
        if not self.window.hit(self.item, key):
            raise self._too_many(key, f"请求过于频繁（限额 {self.rate}）")

    def refuse_when_spent(self, key: str, why: str) -> None:
        """429 when the budget is spent, without counting this request."""
        if not self.window.test(self.item, key):
            raise self._too_many(key, why)

    def _too_many(self, key: str, why: str) -> HttpError:
        reset = self.window.get_window_stats(self.item, key).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        return HttpError(429, "rate_limited", f"{why}，请 {retry} 秒后再试", {"Retry-After": str(retry)})


def rate_limited(request: Request) -> None:
    """Route dependency: count this request against its client's budget."""
    request.app.state.limiter.check(client_id(request))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


async def text_is_valid(request: Request) -> None:
    """Route dependency: a JSON body holding a lone surrogate ("\\ud800") is a 400, before anything
    tries to store or print it."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    try:
        body = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError):
        return          # FastAPI reports bad JSON itself
    if not all(encodable(s) for s in _strings(body)):
        raise HttpError(400, "bad_characters", "请求中含有无法识别的字符（如不成对的代理字符），请删除后重试")


def install_guards(app: FastAPI, config: WebConfig) -> None:
    """Rate limiter, body limits and CORS (outermost, so every response carries its headers)."""
    app.state.limiter = RateLimiter(config.rate_limit, config.rate_limit_storage)
    app.state.key_failures = RateLimiter(config.auth_failure_limit, config.rate_limit_storage)
    app.add_middleware(BodyLimitMiddleware, api_limit=config.max_body_bytes, ui_limit=config.max_ui_body_bytes)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=config.cors_origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "OPTIONS"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"],
                           expose_headers=["X-Exchange-Id", "Retry-After"])
