"""What policy matching returns (Answer JSON ``match``): every rule considered with its status,
the best total, what is missing and what would unlock more."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.answer import Citation, Instalment

STATUSES = ("selected", "alternative", "missing_facts", "ineligible")


class StagePart(BaseModel):
    """One part of an award by when it is payable: already paid, now, or after acceptance."""
    stage: str
    share: str = ""
    amount_yuan: int
    when: Literal["paid", "now", "later"]


class MatchAward(BaseModel):
    rule_id: str
    title: str
    status: Literal["selected", "alternative", "missing_facts", "ineligible"]
    amount_yuan: int | None = None       # the award; for missing_facts the award if the facts hold
    reason: str = ""
    citation: Citation
    project: str = ""                    # the project (or projects) it funds
    formula: str = ""
    is_maximum: bool = True
    instalments: list[Instalment] = Field(default_factory=list)
    payable: list[StagePart] = Field(default_factory=list)    # selected: the parts by when payable
    reviewed: bool = True                # false: a drafted rule no person has checked
    may_be_expired: bool = False         # the document may have expired: never in the total
    mentioned: bool = True               # false: nothing in the profile touches the rule


class MissingFact(BaseModel):
    name: str
    label: str
    kind: Literal["fact", "input"]
    rule_ids: list[str] = Field(default_factory=list)


class Unlock(BaseModel):
    fact: str
    label: str
    gain_yuan: int                       # how much the best total would grow
    rule_id: str
    title: str


class DocumentNote(BaseModel):
    doc_id: str
    title: str
    region: str = ""
    doc_number: str | None = None
    validity: str | None = None
    may_be_expired: bool = False


class MatchResult(BaseModel):
    total_yuan: int                      # the selected awards' full amounts
    payable_now_yuan: int = 0            # of the total: payable at the projects' stage now
    payable_later_yuan: int = 0          # of the total: only after acceptance (验收后再给予)
    paid_yuan: int = 0                   # of the total: instalments the enterprise says it has had
    awards: list[MatchAward] = Field(default_factory=list)
    missing_facts: list[MissingFact] = Field(default_factory=list)
    unlock: list[Unlock] = Field(default_factory=list)
    documents: list[DocumentNote] = Field(default_factory=list)
    profile: dict[str, Any] = Field(default_factory=dict)     # what was matched: location, facts, projects
    regions: list[str] = Field(default_factory=list)
    declaration_year: int | None = None
    elapsed_ms: float | None = None

    def by_status(self, status: str) -> list[MatchAward]:
        return [a for a in self.awards if a.status == status]
