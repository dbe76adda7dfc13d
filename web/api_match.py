"""Policy matching over HTTP: POST /api/match (the match) and POST /api/match/report (a Word file).

The body is a profile (docs/profile_example.yaml as JSON); a bad profile is a 400 with a Chinese
message (web/http_errors.py), never a 500."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from assistant.match_model import MatchResult
from web.guards import rate_limited, require_api_key, text_is_valid

router = APIRouter(prefix="/api", tags=["政策匹配"],
                   dependencies=[Depends(require_api_key), Depends(rate_limited), Depends(text_is_valid)])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXAMPLE = {"location": "广东省佛山市顺德区", "declaration_year": 2024,
           "facts": {"foshan_local": True, "foshan_local_industrial": True},
           "projects": [{"name": "空调总装5G+数字孪生", "kind": ["benchmark_project"],
                         "amounts": {"invested_amount": "1500万"}, "upper_subsidy": 0}]}
Profile = Annotated[Any, Body(examples=[EXAMPLE])]


def _match(request: Request, profile: Any) -> MatchResult:
    from assistant.match_service import match_service
    return match_service(request.app.state.service).match(profile)


@router.post("/match", response_model=MatchResult, summary="政策匹配：企业画像 → 全部可享受的奖补与最优合计")
def match(request: Request, profile: Profile) -> MatchResult:
    return _match(request, profile)


@router.post("/match/report", summary="政策匹配报告（Word 文档）",
             response_class=Response, responses={200: {"content": {DOCX: {}}}})
def match_report(request: Request, profile: Profile) -> Response:
    from assistant.match_report import report_docx
    content = report_docx(_match(request, profile))
    name = f"policy-match-{date.today().isoformat()}.docx"
    return Response(content, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
