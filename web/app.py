"""The web application: the HTTP API, the WeChat callback and the Gradio UI on one FastAPI app."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from settings import Settings
from web import api, api_match, openai_api, wechat
from web.config import WebConfig
from web.guards import RateLimiter, install_guards
from web.http_errors import install_error_handlers
from web.store import Store, default_url
from web.ui_guard import UiGuardMiddleware
from web.wechat import WeChatResponder

DESCRIPTION = """政策问答助手的 HTTP 接口：条款级引用的政策问答、精确奖补计算、条款检索。

* 设置了环境变量 `API_KEYS` 时，`/api/*` 与 `/v1/*` 需要 `Authorization: Bearer <key>` 或 `X-API-Key: <key>`。
* 错误一律返回 `{"error": {"code": "...", "message": "中文说明"}}` 与 4xx 状态码。
* 金额单位为元。
"""


def _default_service(settings: Settings) -> Any:
    from assistant.service import PolicyService
    return PolicyService(settings)


def _add_api_fallback(app: FastAPI) -> None:
    """Unknown /api/… and /v1/… paths get the API's Chinese JSON 404 (or 405 for a known path
    with the wrong method), not the English 404 of the UI mounted at "/"."""
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    def full_match(scope: dict, method: str) -> bool:
        probe = {**scope, "method": method}
        return any(route.matches(probe)[0] == Match.FULL for route in app.router.routes
                   if not isinstance(route, Mount) and getattr(route, "endpoint", None) is not fallback)

    async def fallback(request: Request, rest: str = "") -> None:
        allowed = [m for m in methods if m != request.method and full_match(request.scope, m)]
        if allowed:
            raise HTTPException(405, headers={"Allow": ", ".join(allowed)})
        raise HTTPException(404)

    for prefix in ("/api", "/v1"):
        app.add_api_route(prefix + "/{rest:path}", fallback, methods=methods, include_in_schema=False)


def create_app(settings: Settings, service: Any = None, *, config: WebConfig | None = None,
               store: Store | None = None, ui: bool = True) -> FastAPI:
    """Build the app; `service` defaults to the real PolicyService, `config` to the environment."""
    config = config or WebConfig()
    service = service if service is not None else _default_service(settings)
    store = store or Store(config.database_url or default_url(settings.data_dir))
    responder = WeChatResponder(service, store, config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        responder.close()

    app = FastAPI(title="政策问答助手 API", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.settings, app.state.config = settings, config
    app.state.service, app.state.store, app.state.wechat = service, store, responder
    install_error_handlers(app)
    install_guards(app, config)
    app.add_middleware(UiGuardMiddleware, limiter=RateLimiter(config.ui_rate_limit, config.rate_limit_storage),
                       uploads=config.ui_uploads)
    for router in (api.health_router, api.router, api_match.router, openai_api.router, wechat.router):
        app.include_router(router)
    _add_api_fallback(app)
    if ui:
        from web.ui import mount_ui
        mount_ui(app, service, store, config)
    return app
