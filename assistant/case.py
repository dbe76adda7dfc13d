"""The enterprise's case: what the conversation has told us about the enterprise and its items.

The understanding stage builds it turn by turn (assistant/understand.py): facts accumulate, a
correction replaces the one value it corrects, a new topic starts a new item but keeps the
enterprise. It travels in the Answer JSON (``case``) and comes back through ``POST /api/chat``,
so a portal can keep it between calls; the web chat shows it as removable chips.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from calculators.amounts import format_wan

LEVEL_NAMES = {"national": "国家级", "provincial": "省级", "municipal": "市级"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class FactState(_Model):
    """One stated fact: 小巨人 = true (national, valid) / false (expired) …"""

    value: bool | str
    label: str | None = None          # readable name of the fact
    level: str | None = None          # national | provincial | municipal, as the user stated it
    expired: bool = False             # the user said it has expired
    year: int | None = None           # the year it was granted, as the user said ("2021年工信部认定的")
    said: str = ""                    # the words that stated it


LIST_MARK = "#"       # "个税分别是#2": the second amount of a list whose words come before the first


class Counted(_Model):
    """A count the user said with what it counts ("3件国内发明专利授权": 3, 件, 国内发明专利授权)."""

    unit: str
    value: Decimal
    words: str = ""          # the category words said with it, for the rule whose subject names them

    @field_serializer("value")
    def _value(self, value: Decimal) -> int | float:
        return _num(value)


class Said(_Model):
    """One amount as the user said it: its value, its role (empty when none) and the words before it
    (an amount listed after another takes the first one's words): a drafted rule's input label is
    matched against these words (assistant/label_match.py)."""

    value: Decimal
    role: str = ""
    words: str = ""

    @field_serializer("value")
    def _value(self, value: Decimal) -> int | float:
        return _num(value)


class Item(_Model):
    """A project, product or contract the enterprise asks about, with its amounts by role."""

    topic: str = ""                                         # the user's words that named its award
    amounts: dict[str, list[Decimal]] = Field(default_factory=dict)   # role -> yuan, in order stated
    below: dict[str, Decimal] = Field(default_factory=dict)          # role -> "不到X" upper bound
    rates: dict[str, Decimal] = Field(default_factory=dict)          # premium_rate -> 0.04
    quantities: dict[str, Decimal] = Field(default_factory=dict)     # 平方米 -> 28000, 亩 -> 50
    counts: list[Counted] = Field(default_factory=list)     # every count said, with its category words
    # amounts no role of the vocabulary names, by the user's words for them ("实际贷款" -> 2500万):
    # a drafted rule's input takes one whose words its label shares
    worded: dict[str, Decimal] = Field(default_factory=dict)
    said: list[Said] = Field(default_factory=list)          # every amount with the words said for it
    each_year: bool = False      # the amount is said to recur every year ("每年都一样")
    years: int | None = Field(default=None, gt=0, le=50)
    stage: str | None = None                                # listed | first_paid | accepted | not_accepted | failed
    across_enterprises: bool = False     # several amounts are several enterprises' (a provider's buyers)

    @field_serializer("amounts")
    def _amounts(self, value: dict[str, list[Decimal]]) -> dict[str, list[int | float]]:
        return {role: [_num(v) for v in values] for role, values in value.items()}

    @field_serializer("below", "rates", "quantities", "worded")
    def _numbers(self, value: dict[str, Decimal]) -> dict[str, int | float]:
        return {k: _num(v) for k, v in value.items()}

    @property
    def empty(self) -> bool:
        return not (self.amounts or self.below or self.rates or self.quantities or self.counts or self.years
                    or self.stage)


class Case(_Model):
    location: list[str] = Field(default_factory=list)       # where the enterprise is: 河南省 > 驻马店市
    covered: bool | None = None                              # the location lies in a covered region
    facts: dict[str, FactState] = Field(default_factory=dict)
    denied_levels: list[str] = Field(default_factory=list)   # "没进工信部的名单": no recognition of that level
    items: list[Item] = Field(default_factory=lambda: [Item()])

    @property
    def item(self) -> Item:
        """The item the conversation is about now (the last one)."""
        if not self.items:
            self.items.append(Item())
        return self.items[-1]

    def fact_values(self) -> dict[str, Any]:
        return {name: state.value for name, state in self.facts.items()}

    @classmethod
    def from_json(cls, data: Any) -> Case:
        from errors import PolicyError
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise PolicyError("bad_case", "case 应为对象（上一次回答返回的 case）")
        try:
            return cls.model_validate({k: v for k, v in data.items() if k != "chips"})
        except ValueError as exc:
            raise PolicyError("bad_case", f"case 格式有误：{str(exc).splitlines()[0]}") from None

    def to_json(self, role_labels: dict[str, str]) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["chips"] = self.chips(role_labels)
        return data

    def chips(self, role_labels: dict[str, str]) -> list[dict[str, str]]:
        """What the chat shows above the input: one removable chip per value we hold."""
        out = []
        if self.location:
            out.append({"key": "location", "label": self.location[-1]})
        for name, state in self.facts.items():
            if isinstance(state.value, bool) and not state.value:
                text = f"非{state.label or name}" if not state.expired else f"{state.label or name}（已过期）"
            else:
                level = LEVEL_NAMES.get(state.level or "", "")
                text = state.label or name
                text = text if level in text else level + text
                text = text if not isinstance(state.value, str) else f"{state.label or name}：{state.value}"
            out.append({"key": f"fact:{name}", "label": text})
        for level in self.denied_levels:
            out.append({"key": f"denied:{level}", "label": f"非{LEVEL_NAMES.get(level, level)}认定"})
        item = self.item
        for role, values in item.amounts.items():
            shown = "、".join(format_wan(v) for v in values)
            out.append({"key": f"amount:{role}", "label": f"{role_labels.get(role, role)}{shown}"})
        for role, value in item.rates.items():
            out.append({"key": f"rate:{role}", "label": f"{role_labels.get(role, role)}{_num(value * 100)}%"})
        for unit, value in item.quantities.items():
            out.append({"key": f"quantity:{unit}", "label": f"{_num(value)}{unit}"})
        if item.years:
            out.append({"key": "years", "label": f"{item.years}年"})
        return out

    def without(self, key: str) -> Case:
        """The case with one chip's value removed (the chat's × on a chip)."""
        case = self.model_copy(deep=True)
        kind, _, name = key.partition(":")
        if kind == "location":
            case.location, case.covered = [], None
        elif kind == "fact":
            case.facts.pop(name, None)
        elif kind == "denied":
            case.denied_levels = [x for x in case.denied_levels if x != name]
        elif kind == "amount":
            case.item.amounts.pop(name, None)
        elif kind == "rate":
            case.item.rates.pop(name, None)
        elif kind == "quantity":
            case.item.quantities.pop(name, None)
            case.item.counts = [c for c in case.item.counts if c.unit != name]
        elif kind == "years":
            case.item.years = None
        return case
