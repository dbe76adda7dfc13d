"""Every failure of the HTTP API as `{"error": {"code", "message"}}` in Chinese, never a traceback."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from errors import PolicyError
from web.guards import HttpError

log = logging.getLogger(__name__)

_STATUS_TEXT = {400: "请求有误", 401: "未授权", 403: "禁止访问", 404: "找不到请求的资源",
                405: "不支持该请求方法", 413: "请求体过大", 415: "不支持的内容类型", 429: "请求过于频繁"}


NOT_FOUND = {"unknown_rule", "unknown_document"}      # the service's codes for a missing resource


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def status_for(err: PolicyError) -> int:
    if isinstance(err, HttpError):
        return err.status
    return 404 if err.code.endswith("not_found") or err.code in NOT_FOUND else 400


def _expected(ctx: dict) -> str:
    """pydantic's "'user', 'assistant' or 'system'" as 'user'、'assistant'、'system'."""
    return str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")


# pydantic's error types in Chinese (its own messages are English); {…} are taken from the error's ctx
_KINDS = {
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多允许 {max_length} 项",
    "string_too_short": "不能为空（至少 {min_length} 个字符）",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "dict_type": "应为 JSON 对象", "model_attributes_type": "应为 JSON 对象", "model_type": "应为 JSON 对象",
    "list_type": "应为数组",
}


def _kind_text(kind: str, ctx: dict) -> str:
    if kind in ("literal_error", "enum"):
        return f"只能是 {_expected(ctx)}"
    template = _KINDS.get(kind)
    if template is None:
        return "格式不正确"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("（")[0].split(" {")[0]


def _describe(errors: list[dict]) -> tuple[str, str]:
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return "invalid_json", "请求体不是合法的 JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "请求"
    kind = first.get("type", "")
    if kind == "missing":
        return "invalid_request", f"缺少字段：{where}"
    if kind in ("model_attributes_type", "dict_type", "list_type") and where == "请求":
        return "invalid_request", "请求体格式有误：应为 JSON 对象"
    return "invalid_request", f"字段 {where} 的值不合要求：{_kind_text(kind, first.get('ctx') or {})}"


async def _policy_error(_req: Request, err: PolicyError) -> JSONResponse:
    headers = err.headers if isinstance(err, HttpError) else None
    return error_response(status_for(err), err.code, err.message, headers)


async def _validation_error(_req: Request, err: RequestValidationError) -> JSONResponse:
    code, message = _describe(list(err.errors()))
    return error_response(422, code, message)


async def _http_error(_req: Request, err: HTTPException) -> JSONResponse:
    message = _STATUS_TEXT.get(err.status_code, "请求失败")
    return error_response(err.status_code, f"http_{err.status_code}", message, getattr(err, "headers", None))


async def _unexpected(_req: Request, err: Exception) -> JSONResponse:
    log.exception("unhandled error in the API", exc_info=err)
    return error_response(500, "internal_error", "服务内部错误，请稍后重试")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PolicyError, _policy_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
