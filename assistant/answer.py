"""The answer contract (DESIGN.md, "Answer contract"): what every front end receives."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    doc_id: str
    title: str
    region: str
    clause: str                      # citation label, e.g. 三、（一）3
    text: str                        # the clause text, verbatim from the source
    doc_number: str | None = None    # 文号 where the document has one
    may_be_expired: bool = False
    validity: str | None = None


class Instalment(BaseModel):
    stage: str                       # e.g. 纳入省级平台培育名单后
    share: str                       # e.g. 40%
    amount_yuan: int


class Calculation(BaseModel):
    rule_id: str
    title: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    eligible: bool
    amount_yuan: int | None = None   # yuan; None when it cannot be computed
    formula: str = ""
    reason: str | None = None        # why not eligible, or what still has to hold
    is_maximum: bool = True          # "不超过X%" rules yield the maximum obtainable
    instalments: list[Instalment] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    used: list[str] = Field(default_factory=list)   # the user's values it used: "设备、软件实际投资额1450万元"
    conditions: list[str] = Field(default_factory=list)   # conditions still to be met (not yet stated)
    reviewed: bool = True            # false: the rule was drafted from the clause text, not yet reviewed
    citation: Citation


class Answer(BaseModel):
    id: str | None = None
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    calculations: list[Calculation] = Field(default_factory=list)
    follow_up: str | None = None
    mode: Literal["offline", "llm"] = "offline"
    # what the assistant understood of the enterprise and its items (assistant/case.py);
    # POST /api/chat accepts it back
    case: dict[str, Any] | None = None
    # policy matching (assistant/match_model.MatchResult): every rule considered, the best total
    match: dict[str, Any] | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Message(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str
