"""What a calculation returns: the figure, how it was obtained, and what is still unknown."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class InstalmentResult(BaseModel):
    stage: str
    share: Decimal
    amount_yuan: Decimal


class Missing(BaseModel):
    """An input or fact the assistant may still ask for."""

    name: str
    label: str
    kind: Literal["input", "fact"]
    required: bool                 # required: no figure (input) or no certainty (fact) without it


class CalcResult(BaseModel):
    rule_id: str
    title: str
    doc_id: str
    clause: str
    inputs: dict[str, Decimal] = Field(default_factory=dict)
    eligible: bool
    amount_yuan: Decimal | None = None    # None when a required input is missing
    is_maximum: bool = False              # the figure is the maximum obtainable (最高可获得)
    formula: str = ""                     # e.g. min(2000万元 × 30%, 500万元) = 500万元
    summary: str = ""                     # e.g. 最高可获得500万元
    reason: str | None = None             # why not eligible, or what still has to hold
    instalments: list[InstalmentResult] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    missing: list[Missing] = Field(default_factory=list)
    ceiling_yuan: Decimal | None = None   # the most the rule can ever give
    item_inputs: list[dict[str, Decimal]] = Field(default_factory=list)   # several items / years

    @property
    def missing_inputs(self) -> list[Missing]:
        """Required inputs without which there is no figure."""
        return [m for m in self.missing if m.kind == "input" and m.required]
