"""REST routes over the service: chat, calculate, search, rules, documents, feedback, health."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from assistant.answer import Answer, Calculation, Message
from assistant.messages import MAX_MESSAGE_CHARS
from web.exchange import ask
from web.guards import client_id, rate_limited, require_api_key, text_is_valid

router = APIRouter(prefix="/api", tags=["政策问答 API"], dependencies=[Depends(require_api_key), Depends(rate_limited), Depends(text_is_valid)])
health_router = APIRouter(tags=["运维"])


class ChatRequest(BaseModel):
    messages: list[Message] = Field(min_length=1, max_length=100,
                                    description="对话历史，最后一条为用户的问题")
    id: str | None = Field(default=None, max_length=200, description="可选，原样返回")
    case: dict[str, Any] | None = Field(default=None, description="可选：上一次回答返回的 case（企业情况），"
                                        "带上它即可只发最新一条消息继续对话")


class CalculateRequest(BaseModel):
    rule_id: str = Field(min_length=1, max_length=200)
    inputs: dict[str, str | int | float] = Field(default_factory=dict,
                                                 description="金额可写作 2000万、1.2亿、20000000")
    facts: dict[str, Any] | None = None


class FeedbackRequest(BaseModel):
    exchange_id: int | None = Field(default=None, ge=1, le=2**63 - 1, description="回答响应头 X-Exchange-Id 的值")
    rating: Literal[1, -1] = Field(description="1 有帮助，-1 没帮助")
    comment: str | None = Field(default=None, max_length=2000)


class SearchHit(BaseModel):
    rank: int
    score: float
    doc_id: str
    title: str
    region: str
    doc_number: str | None
    clause: str
    text: str
    headings: list[str]
    matched_terms: list[str]
    rule_ids: list[str]
    may_be_expired: bool


def hit_json(hit: Any, rank: int) -> SearchHit:
    meta, clause = hit.meta, hit.clause
    return SearchHit(rank=rank, score=float(hit.score), doc_id=clause.doc_id, title=meta.title,
                     region=meta.region, doc_number=meta.doc_number, clause=clause.label,
                     text=clause.text, headings=list(clause.headings),
                     matched_terms=list(hit.matched_terms), rule_ids=list(hit.rule_ids),
                     may_be_expired=meta.may_be_expired)


def _messages(req: ChatRequest) -> list[dict[str, str]]:
    return [m.model_dump() for m in req.messages]


@router.post("/chat", response_model=Answer, summary="问答：返回回答、引用条款与计算结果")
def chat(req: ChatRequest, request: Request, response: Response) -> Answer:
    state = request.app.state
    logged = ask(state.service, state.store, _messages(req), channel="api",
                 client=client_id(request), id=req.id, case=req.case)
    response.headers["X-Exchange-Id"] = str(logged.exchange_id)
    return logged.answer


@router.post("/calculate", response_model=Calculation, summary="按奖补规则精确计算")
def calculate(req: CalculateRequest, request: Request) -> Calculation:
    return request.app.state.service.calculate(req.rule_id, req.inputs, req.facts)


@router.get("/search", response_model=list[SearchHit], summary="条款检索")
def search(request: Request, q: str = Query(min_length=1, max_length=MAX_MESSAGE_CHARS, description="关键词或问题"),
           region: str | None = Query(default=None, max_length=40), doc_id: str | None = None,
           k: int = Query(default=5, ge=1, le=50)) -> list[SearchHit]:
    hits = request.app.state.service.search(q, k=k, region=region or None, doc_id=doc_id or None)
    return [hit_json(h, i) for i, h in enumerate(hits, 1)]


@router.get("/rules", summary="奖补规则列表")
def rules(request: Request, region: str | None = None) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in request.app.state.service.list_rules(region or None)]


@router.get("/documents", summary="政策文件列表")
def documents(request: Request) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json") for m in request.app.state.service.documents()]


@router.post("/feedback", summary="对回答的评价（👍/👎 与可选意见）")
def post_feedback(req: FeedbackRequest, request: Request) -> dict[str, int]:
    fb_id = request.app.state.store.record_feedback(exchange_id=req.exchange_id, rating=req.rating,
                                                    comment=req.comment, channel="api")
    return {"feedback_id": fb_id}


@health_router.get("/healthz", summary="健康检查")
def healthz(request: Request) -> dict[str, Any]:
    state = request.app.state
    health = {"status": "ok", "documents": len(state.service.documents()), "store": state.store.ping()}
    generation = getattr(state.service, "generation", None)     # LiveService: what it serves now
    return {**health, "generation": generation} if generation else health
