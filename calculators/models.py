"""Typed award rules: one record per quantified award of a policy clause (``knowledge/rules/*.yaml``).

Three kinds of arithmetic cover every award in the corpus:

- ``rate``: ``min(base × rate, cap, limits…)``, optionally with a minimum base (threshold), the base
  itself counted at most ``other input × rate`` (首台套 premium rate ≤ 3%), and extra limits such as
  "upper-level + municipal ≤ 50% of the investment" or "500万 per enterprise per year".
- ``fixed``: a fixed award (一次性奖励100万元), plus extras for further facts (再奖励10万元).
- ``tiers``: an award chosen by a fact (一等奖50万 / 二等奖30万 / 三等奖10万).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ID = r"^[a-z][a-z0-9_]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Model):
    """A fact the applicant must have, e.g. ``xiaojuren_national``: 国家级专精特新“小巨人”企业."""

    fact: str = Field(pattern=_ID)
    label: str                            # Chinese, readable as "需为/需满足：<label>"
    value: bool | str = True              # the value the fact must have


class InputSpec(_Model):
    """A money amount the user provides (the base, or an amount that lowers a limit)."""

    name: str = Field(pattern=_ID)        # e.g. investment_yuan
    label: str                            # e.g. 设备、软件实际投资额
    role: str = Field(pattern=_ID)        # what users call the amount: a role of knowledge/lexicon.yaml
    unit: Literal["元"] = "元"
    required: bool = True


class BaseCap(_Model):
    """The base counted at most ``input × rate`` (e.g. premium at a rate of at most 3% of the insured sum)."""

    input: str
    rate: Decimal = Field(gt=0, le=1)
    label: str


class Limit(_Model):
    """A further upper bound: ``base × rate − minus_input`` or ``amount_yuan − minus_input``."""

    label: str                            # the policy's wording of the limit
    rate: Decimal | None = Field(default=None, gt=0, le=1)
    amount_yuan: Decimal | None = Field(default=None, gt=0)
    minus_input: str | None = None        # e.g. upper_subsidy_yuan, awarded_this_year_yuan
    # true: the bound holds for the sum over several items (per enterprise per year, per provider),
    # not for each item on its own
    aggregate: bool = False

    @model_validator(mode="after")
    def _one_bound(self) -> Limit:
        if (self.rate is None) == (self.amount_yuan is None):
            raise ValueError("a limit has exactly one of rate / amount_yuan")
        return self


class Extra(_Model):
    """A further fixed award when a fact holds (再奖励10万元)."""

    fact: str = Field(pattern=_ID)
    label: str
    amount_yuan: Decimal = Field(gt=0)


class Tier(_Model):
    value: str                            # e.g. 一等奖
    amount_yuan: Decimal = Field(gt=0)


class Instalment(_Model):
    stage: str                            # e.g. 纳入省重点培育名单后
    share: Decimal = Field(gt=0, le=1)


class Quota(_Model):
    """An annual quota or budget of the programme: recorded and mentioned, never used to cut an award."""

    label: str
    amount_yuan: Decimal | None = None
    count: int | None = None


class Example(_Model):
    inputs: dict[str, Decimal] = Field(default_factory=dict)
    facts: dict[str, bool | str] = Field(default_factory=dict)
    eligible: bool = True
    amount_yuan: Decimal


class Rule(_Model):
    id: str = Field(pattern=_ID)
    doc_id: str
    clause: str                           # clause label in the knowledge base, e.g. 三、（一）3
    quote: str                            # verbatim sentence(s); fragments joined by "……"
    title: str
    region: str
    keywords: list[str] = Field(min_length=1)
    kind: Literal["rate", "fixed", "tiers"]
    conditions: list[Condition] = Field(default_factory=list)
    inputs: list[InputSpec] = Field(default_factory=list)
    is_maximum: bool = False              # "不超过X%": the figure is the maximum obtainable
    # rate
    base: str | None = None
    rate: Decimal | None = Field(default=None, gt=0, le=1)
    cap_yuan: Decimal | None = Field(default=None, gt=0)
    min_base_yuan: Decimal | None = Field(default=None, gt=0)
    base_cap: BaseCap | None = None
    limits: list[Limit] = Field(default_factory=list)
    # fixed
    fixed_yuan: Decimal | None = Field(default=None, gt=0)
    extras: list[Extra] = Field(default_factory=list)
    # tiers
    tier_fact: str | None = None
    tier_label: str | None = None
    tiers: list[Tier] = Field(default_factory=list)
    # all kinds
    instalments: list[Instalment] = Field(default_factory=list)
    max_years: int | None = Field(default=None, gt=0)   # the award is per year, for at most N years
    quotas: list[Quota] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    examples: list[Example] = Field(min_length=1)

    @field_validator("notes", mode="before")
    @classmethod
    def _flatten_notes(cls, value):
        """YAML anchors let a file share its common notes; a shared list nests, so flatten it."""
        if not isinstance(value, list):
            return value
        flat = []
        for item in value:
            flat.extend(item if isinstance(item, list) else [item])
        return flat

    def input(self, name: str) -> InputSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def input_names(self) -> set[str]:
        return {spec.name for spec in self.inputs}

    @property
    def ceiling_yuan(self) -> Decimal | None:
        """The most the rule can ever give (None when uncapped)."""
        if self.kind == "fixed":
            return self.fixed_yuan + sum((e.amount_yuan for e in self.extras), Decimal(0))
        if self.kind == "tiers":
            return max(t.amount_yuan for t in self.tiers)
        return self.cap_yuan

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        check = {"rate": _check_rate, "fixed": _check_fixed, "tiers": _check_tiers}[self.kind]
        check(self)
        names = self.input_names
        referenced = [lim.minus_input for lim in self.limits if lim.minus_input]
        if self.base_cap:
            referenced.append(self.base_cap.input)
        for name in referenced:
            if name not in names:
                raise ValueError(f"input {name!r} is used but not declared in inputs")
        if self.instalments and sum(i.share for i in self.instalments) != 1:
            raise ValueError("instalment shares must add up to 1")
        for example in self.examples:
            unknown = set(example.inputs) - names
            if unknown:
                raise ValueError(f"example uses undeclared inputs {sorted(unknown)}")
        return self


def _check_rate(rule: Rule) -> None:
    if rule.base is None or rule.rate is None or (rule.cap_yuan is None and rule.base_cap is None):
        raise ValueError("a rate rule needs base, rate and cap_yuan (or base_cap)")
    if rule.base not in rule.input_names or not rule.input(rule.base).required:
        raise ValueError(f"base {rule.base!r} must be a required input")
    if rule.fixed_yuan or rule.tiers or rule.extras:
        raise ValueError("a rate rule has no fixed_yuan, extras or tiers")


def _check_fixed(rule: Rule) -> None:
    if rule.fixed_yuan is None:
        raise ValueError("a fixed rule needs fixed_yuan")
    if rule.base or rule.rate or rule.cap_yuan or rule.tiers or rule.inputs:
        raise ValueError("a fixed rule has no base, rate, cap, tiers or inputs")


def _check_tiers(rule: Rule) -> None:
    if not rule.tier_fact or not rule.tier_label or len(rule.tiers) < 2:
        raise ValueError("a tiers rule needs tier_fact, tier_label and at least two tiers")
    if rule.base or rule.rate or rule.fixed_yuan or rule.inputs:
        raise ValueError("a tiers rule has no base, rate, fixed_yuan or inputs")
