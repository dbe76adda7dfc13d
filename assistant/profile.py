"""The enterprise's profile for policy matching: where it is, what it is, and its projects.

One model, four ways in: the conversation's case (assistant/profile_text.py reads a described
list of projects), a profile file (YAML or JSON, docs/profile_example.yaml), ``POST /api/match``
and the 政策匹配 tab. Facts are those of knowledge/facts.yaml; amounts are by role
(knowledge/lexicon.yaml ``roles``). A project's facts say what kind of project it is and what it
has been recognised as; the enterprise's facts hold for all its projects.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.case import Case, FactState, Item
from calculators.amounts import parse_amount
from errors import PolicyError, validation_detail


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Project(_Model):
    name: str = ""
    facts: dict[str, bool | str] = Field(default_factory=dict)
    item: Item = Field(default_factory=Item)
    text: str = ""                      # the words it came from
    years: dict[str, int] = Field(default_factory=dict)     # fact -> the year it was granted


class Profile(_Model):
    location: list[str] = Field(default_factory=list)      # administrative chain: 广东省 > 佛山市 > 顺德区
    facts: dict[str, bool | str] = Field(default_factory=dict)           # the enterprise's
    states: dict[str, FactState] = Field(default_factory=dict)           # how they were said (level, validity)
    years: dict[str, int] = Field(default_factory=dict)                  # fact -> the year it was granted
    projects: list[Project] = Field(default_factory=list)
    declaration_year: int | None = Field(default=None, ge=2000, le=2100)
    scope: list[str] = Field(default_factory=list)      # regions asked about ("按湖南的政策")

    def stated(self) -> set[str]:
        return set(self.facts) | {f for p in self.projects for f in p.facts}


def profile_from_case(case: Case) -> Profile:
    """A case told turn by turn: its facts are the enterprise's, its items its projects."""
    projects = [Project(name=_short(item.topic), item=item, text=item.topic)
                for item in case.items if not item.empty or item.topic]
    return Profile(location=list(case.location), facts=case.fact_values(), states=dict(case.facts),
                   projects=projects, years=fact_years(case.facts))


def fact_years(states: dict[str, FactState]) -> dict[str, int]:
    return {name: s.year for name, s in states.items() if s.year}


def _short(text: str, size: int = 24) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= size else first[:size] + "…"


# -- the file format ---------------------------------------------------------------------------
class TitleIn(_Model):
    fact: str
    level: str | None = None
    valid: bool = True
    year: int | None = Field(default=None, ge=1990, le=2100)     # the year it was granted


class ProjectIn(_Model):
    name: str = ""
    kind: list[str] = Field(default_factory=list)        # facts true of the project
    facts: dict[str, bool | str] = Field(default_factory=dict)
    description: str = ""                                 # read like a user's words
    amounts: dict[str, Any] = Field(default_factory=dict)  # role -> amount or list of amounts
    upper_subsidy: Any = None                             # 已获上级补助 (role upper_subsidy)
    stage: str | None = None


class ProfileIn(_Model):
    location: str | list[str] = ""
    declaration_year: int | None = None
    facts: dict[str, bool | str] = Field(default_factory=dict)
    titles: list[TitleIn] = Field(default_factory=list)
    description: str = ""
    projects: list[ProjectIn] = Field(default_factory=list)

    @field_validator("declaration_year")
    @classmethod
    def _year(cls, value: int | None) -> int | None:
        if value is not None and not 2000 <= value <= 2100:
            raise ValueError("申报年度应在2000至2100之间")
        return value


def parse_profile_data(data: Any) -> ProfileIn:
    if not isinstance(data, dict):
        raise PolicyError("bad_profile", "企业画像应为对象（location、titles、projects…），见 docs/profile_example.yaml")
    try:
        return ProfileIn.model_validate(data)
    except ValidationError as exc:
        raise PolicyError("bad_profile", f"企业画像有误{validation_detail(exc, '画像')}") from None


def amounts_of(raw: dict[str, Any], roles: set[str], where: str) -> dict[str, list[Decimal]]:
    out: dict[str, list[Decimal]] = {}
    for role, value in raw.items():
        if role not in roles:
            raise PolicyError("bad_profile", f"{where}：未知的金额类别“{role}”（可用：{'、'.join(sorted(roles))}）")
        values = value if isinstance(value, list) else [value]
        try:
            out[role] = [parse_amount(v) for v in values]
        except PolicyError as exc:
            raise PolicyError("bad_profile", f"{where}：{role} 金额有误：{exc.message}") from None
        if any(v < 0 for v in out[role]):
            raise PolicyError("bad_profile", f"{where}：{role} 金额不能为负数")
    return out
