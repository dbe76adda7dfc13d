"""Typed award rules: one record per quantified award of a policy clause (a pack's ``rules.yaml``).

Five kinds of arithmetic cover the awards of the corpus:

- ``rate``: ``min(base × rate, cap, limits…)``, optionally with a minimum base (threshold), the base
  itself counted at most ``other input × rate`` (首台套 premium rate ≤ 3%), and extra limits such as
  "upper-level + municipal ≤ 50% of the investment" or "500万 per enterprise per year".
- ``fixed``: a fixed award (一次性奖励100万元), plus extras for further facts (再奖励10万元).
- ``tiers``: an award chosen by a fact (一等奖50万 / 二等奖30万 / 三等奖10万).
- ``bands``: an award chosen by the band a base amount falls in (投资1亿元以上奖励100万元，5000万元至
  1亿元奖励50万元), each band a fixed amount or a rate of the base, optionally capped; or the band a
  quantity falls in (100亩至500亩的100元/亩，500亩以上的200元/亩), each band a fixed amount or an
  amount per unit. A single band is a minimum (5000平方米以上的，每平方米50元).
  With ``progressive`` the bands are parts of the base, each at its own rate, added up (分段累进: 500万元（含）
  以下的部分按4%，超过500万元不超过1000万元的部分按2% → 2000万 gives 500万×4% + 500万×2% + 1000万×…).
- ``per_unit``: a quantity times an amount per unit (每亩5万元, 每平方米200元, 每人2万元), optionally capped, the
  quantity counted at most ``base_max_yuan`` (每户不超过150吨) and bounded by limits of an amount (不超过实际租赁成本);
  or an amount per whole step (``unit_step``) of a base, money or quantity, counted above ``step_from``
  and added to ``fixed_yuan`` there (到位注册资本1.7亿元的，给予170万元；超过1.7亿元的，每超过1亿元，给予100万元
  → 170万 + ⌊(base − 1.7亿) ÷ 1亿⌋ × 100万; 每新入驻1家企业给予1万元，最多200万元).

A base in a foreign currency (实缴注册外资1000万美元) is a quantity whose unit is the currency: it is
never converted; the award stays in 元. A band of ``bands`` may be chosen by another input
(``band_input``: 固定资产投资10亿元以上的项目，中介服务费用的50%) than the base its rate applies to.

``status`` is ``reviewed`` for curated rules and ``draft`` for rules drafted from a clause's text
(``ingest/draft.py``) that no person has checked yet.
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
    # what users call the amount: a role of knowledge/lexicon.yaml (drafted rules may leave it
    # unset; the engine then reads the role from the label)
    role: str | None = Field(default=None, pattern=_ID)
    unit: str = Field(default="元", min_length=1, max_length=4)   # 元, or a quantity's unit (亩, 平方米, 人)
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
    # the input the rate is of, when it is not the base and is stated (30% of 项目建设金额, but the
    # 50% limit of 项目投资总额); when not stated, the base
    of_input: str | None = None
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


class Band(_Model):
    """One band of the base: ``min_yuan ≤ base < max_yuan`` (ends per include_*) → amount, rate or amount per unit.

    The ends are in the base's unit: yuan for a money base, the quantity (亩, 平方米, 人) otherwise.
    """

    min_yuan: Decimal = Field(default=Decimal(0), ge=0)
    max_yuan: Decimal | None = Field(default=None, gt=0)
    include_min: bool = True              # 1亿元以上 / 达到1亿元: the lower end counts; 超过1亿元: it does not
    include_max: bool = False             # （含300万元）: the upper end counts
    amount_yuan: Decimal | None = Field(default=None, gt=0)
    rate: Decimal | None = Field(default=None, gt=0, le=1)
    unit_yuan: Decimal | None = Field(default=None, gt=0)   # per unit of a quantity base (元/亩)

    @model_validator(mode="after")
    def _one_award(self) -> Band:
        if sum(x is not None for x in (self.rate, self.amount_yuan, self.unit_yuan)) != 1:
            raise ValueError("a band has exactly one of amount_yuan / rate / unit_yuan")
        if self.max_yuan is not None and self.max_yuan <= self.min_yuan:
            raise ValueError("a band's max_yuan must be above its min_yuan")
        return self

    def holds(self, base: Decimal) -> bool:
        above = base >= self.min_yuan if self.include_min else base > self.min_yuan
        below = self.max_yuan is None or (base <= self.max_yuan if self.include_max else base < self.max_yuan)
        return above and below


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
    kind: Literal["rate", "fixed", "tiers", "bands", "per_unit"]
    status: Literal["reviewed", "draft"] = "reviewed"
    conditions: list[Condition] = Field(default_factory=list)
    inputs: list[InputSpec] = Field(default_factory=list)
    is_maximum: bool = False              # "不超过X%": the figure is the maximum obtainable
    # who receives the money when the clause names it (给予个人10万元安家费 / 给予企业高级管理人员…奖励)
    recipient: str | None = Field(default=None, min_length=1, max_length=20)
    # rate
    base: str | None = None
    rate: Decimal | None = Field(default=None, gt=0, le=1)
    cap_yuan: Decimal | None = Field(default=None, gt=0)
    # item: each project/product is capped on its own (单项最高300万); enterprise: one enterprise's
    # items share the cap (单个企业奖补不超过50万元)
    cap_scope: Literal["item", "enterprise"] = "item"
    min_base_yuan: Decimal | None = Field(default=None, gt=0)
    base_cap: BaseCap | None = None
    # the base counted at most this (费用累计不超过100万元); of a per_unit rule, the quantity in its unit (每户不超过150吨)
    base_max_yuan: Decimal | None = Field(default=None, gt=0)
    limits: list[Limit] = Field(default_factory=list)
    # fixed
    fixed_yuan: Decimal | None = Field(default=None, gt=0)
    extras: list[Extra] = Field(default_factory=list)
    # tiers
    tier_fact: str | None = None
    tier_label: str | None = None
    tiers: list[Tier] = Field(default_factory=list)
    # bands (base, bands, optional cap_yuan; band_input: the input choosing the band when not the base)
    bands: list[Band] = Field(default_factory=list)
    band_input: str | None = None
    progressive: bool = False             # each band's rate applies to the part of the base inside it, summed
    # per_unit (base = the quantity, unit_yuan per unit, optional cap_yuan); with unit_step: per whole
    # step of the base (money or quantity), counted above step_from, plus fixed_yuan (the award at step_from)
    unit_yuan: Decimal | None = Field(default=None, gt=0)
    unit_step: Decimal | None = Field(default=None, gt=0)
    step_from: Decimal | None = Field(default=None, gt=0)
    # earlier clauses whose text the quote starts with (（一）…1.7亿元的，给予170万元 before （二）每超过1亿元…)
    quote_clauses: list[str] = Field(default_factory=list)
    # all kinds
    instalments: list[Instalment] = Field(default_factory=list)
    # 达不到验收标准的，全额收回: a project that failed acceptance keeps nothing (policy matching)
    forfeited_if_failed: bool = False
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
        if self.kind == "bands" and self.cap_yuan is None and all(b.amount_yuan for b in self.bands):
            return max(b.amount_yuan for b in self.bands)
        if self.kind == "bands" and self.cap_yuan is None and self.base_max_yuan and all(b.rate for b in self.bands):
            return self.base_max_yuan * max(b.rate for b in self.bands)
        if self.kind == "per_unit" and self.base_max_yuan and not self.unit_step:
            return min(x for x in (self.cap_yuan, self.base_max_yuan * self.unit_yuan) if x is not None)
        return self.cap_yuan

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        check = {"rate": _check_rate, "fixed": _check_fixed, "tiers": _check_tiers,
                 "bands": _check_bands, "per_unit": _check_per_unit}[self.kind]
        check(self)
        if self.kind != "per_unit" and (self.unit_step or self.step_from):
            raise ValueError("only a per_unit rule has unit_step / step_from")
        if self.kind != "bands" and (self.band_input or self.progressive):
            raise ValueError("only a bands rule has band_input or progressive")
        if self.kind not in ("bands", "per_unit") and self.base_max_yuan:
            raise ValueError("only a bands or per_unit rule has base_max_yuan")
        names = self.input_names
        referenced = [name for lim in self.limits for name in (lim.minus_input, lim.of_input) if name]
        if self.base_cap:
            referenced.append(self.base_cap.input)
        if self.band_input:
            referenced.append(self.band_input)
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
    if rule.base is None or rule.rate is None:
        raise ValueError("a rate rule needs base and rate (a cap_yuan or base_cap unless the policy sets no cap)")
    if rule.base not in rule.input_names or not rule.input(rule.base).required:
        raise ValueError(f"base {rule.base!r} must be a required input")
    if rule.fixed_yuan or rule.tiers or rule.extras or rule.bands or rule.unit_yuan:
        raise ValueError("a rate rule has no fixed_yuan, extras, tiers, bands or unit_yuan")


def _check_fixed(rule: Rule) -> None:
    if rule.fixed_yuan is None:
        raise ValueError("a fixed rule needs fixed_yuan")
    if rule.base or rule.rate or rule.cap_yuan or rule.tiers or rule.inputs or rule.bands or rule.unit_yuan:
        raise ValueError("a fixed rule has no base, rate, cap, tiers, bands, unit_yuan or inputs")


def _check_tiers(rule: Rule) -> None:
    if not rule.tier_fact or not rule.tier_label or len(rule.tiers) < 2:
        raise ValueError("a tiers rule needs tier_fact, tier_label and at least two tiers")
    if rule.base or rule.rate or rule.fixed_yuan or rule.inputs or rule.bands or rule.unit_yuan:
        raise ValueError("a tiers rule has no base, rate, fixed_yuan, bands, unit_yuan or inputs")


def _check_based(rule: Rule, unit_money: bool | None) -> None:
    """unit_money: the base is money (True), a quantity (False) or either (None)."""
    if rule.base is None or rule.base not in rule.input_names or not rule.input(rule.base).required:
        raise ValueError(f"base {rule.base!r} must be a required input")
    if unit_money is not None and (rule.input(rule.base).unit == "元") != unit_money:
        raise ValueError("the base of a per_unit rule is a quantity, or money counted in steps (unit_step)")
    if rule.rate or rule.tiers or rule.extras or rule.min_base_yuan or rule.base_cap:
        raise ValueError("bands and per_unit rules have no rate, tiers, extras, min_base_yuan or base_cap")
    if rule.fixed_yuan and rule.step_from is None:
        raise ValueError("only a stepped per_unit rule has fixed_yuan (the award at step_from)")


def _check_bands(rule: Rule) -> None:
    _check_based(rule, unit_money=None)
    money = rule.input(rule.base).unit == "元"
    if not rule.bands or rule.unit_yuan or rule.unit_step or rule.step_from:
        raise ValueError("a bands rule needs at least one band and no unit_yuan, unit_step or step_from")
    if rule.band_input is not None:
        if rule.band_input == rule.base or not rule.input(rule.band_input).required:
            raise ValueError("band_input is a required input other than the base")
        if money is False or any(b.rate is None for b in rule.bands):
            raise ValueError("bands chosen by another input give rates of a money base")
    if rule.base_max_yuan is not None and (not money or any(b.rate is None for b in rule.bands)):
        raise ValueError("base_max_yuan bounds a money base of rate bands")
    if len(rule.bands) == 1 and rule.bands[0].min_yuan == 0:
        raise ValueError("a single band states a minimum (min_yuan above 0)")
    _check_band_units(rule, money)
    ordered = sorted(rule.bands, key=lambda b: b.min_yuan)
    for low, high in zip(ordered, ordered[1:], strict=False):
        if low.max_yuan is None or low.max_yuan > high.min_yuan:
            raise ValueError("bands must not overlap")
    if rule.progressive:
        _check_progressive(rule, ordered, money)


def _check_band_units(rule: Rule, money: bool) -> None:
    for band in rule.bands:
        if money and band.unit_yuan is not None:
            raise ValueError("the bands of a money base have amount_yuan or rate, not unit_yuan")
        if not money and band.rate is not None:
            raise ValueError("the bands of a quantity base have amount_yuan or unit_yuan, not rate")


def _check_progressive(rule: Rule, ordered: list[Band], money: bool) -> None:
    """Progressive parts: rates of a money base, from zero, each part starting where the one below ends."""
    if not money or rule.band_input or rule.base_max_yuan or any(b.rate is None for b in ordered):
        raise ValueError("progressive bands are rates of a money base (no band_input, no base_max_yuan)")
    if len(ordered) < 2 or ordered[0].min_yuan != 0:
        raise ValueError("progressive bands are at least two parts, the first from zero")
    if any(low.max_yuan != high.min_yuan for low, high in zip(ordered, ordered[1:], strict=False)):
        raise ValueError("progressive parts must join (each starts where the one below ends)")


def _check_per_unit(rule: Rule) -> None:
    _check_based(rule, unit_money=False if rule.unit_step is None else None)
    if rule.unit_yuan is None or rule.bands or rule.band_input:
        raise ValueError("a per_unit rule needs unit_yuan and no bands or band_input")
    if rule.base_max_yuan is not None and rule.unit_step is not None:
        raise ValueError("a stepped per_unit rule has no base_max_yuan")
    for limit in rule.limits:
        if limit.rate is not None and limit.of_input is None:
            raise ValueError("a rate limit of a per_unit rule names the amount it is of (of_input), not the quantity")
    if rule.step_from is not None and rule.unit_step is None:
        raise ValueError("step_from needs unit_step (the size of one step)")
