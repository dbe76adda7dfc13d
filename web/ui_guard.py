"""What stands in front of the Gradio UI's own endpoints (``/gradio_api/…``, ``/login``).

The chat UI is public by design, but its endpoints are an API too: every event a browser (or a
script) starts — ``POST /gradio_api/queue/join``, ``/gradio_api/call/<fn>``, ``/gradio_api/run/<fn>``,
a login attempt — counts against a per-address budget (``UI_RATE_LIMIT``) and gets a Chinese 429
past it. No tab takes files, so ``/gradio_api/upload`` is refused unless ``UI_UPLOADS`` is set.
"""
from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from web.guards import API_PREFIXES, HttpError, RateLimiter

UPLOAD_PATHS = ("/gradio_api/upload",)
COUNTED_PREFIXES = ("/gradio_api/", "/login")


def scope_address(scope: Scope) -> str:
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class UiGuardMiddleware:
    """Per-address rate limit on UI events; uploads refused unless allowed."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, uploads: bool = False):
        self.app, self.limiter, self.uploads = app, limiter, uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].startswith(API_PREFIXES):
            return await self.app(scope, receive, send)
        path = scope["path"]
        if not self.uploads and path.startswith(UPLOAD_PATHS):
            return await _reject(send, HttpError(403, "uploads_disabled", "本服务不接收文件上传"))
        if path.startswith(COUNTED_PREFIXES):
            try:
                self.limiter.check(scope_address(scope))
            except HttpError as err:
                return await _reject(send, err)
        await self.app(scope, receive, send)


async def _reject(send: Send, err: HttpError) -> None:
    data = json.dumps(err.to_dict(), ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(data)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
    await send({"type": "http.response.start", "status": err.status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
