"""Question understanding for the offline engine: what is asked, where, by whom, with what figures.

Facts given in earlier user turns count ("我是河南的小巨人企业" then "投了1200万"): regions and
enterprise facts accumulate over the conversation, amounts come from the latest turn first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.regions import RegionIndex, RegionMentions, short_name
from calculators.amounts import AmountMatch, find_amounts
from errors import PolicyError

_ASKS_AMOUNT = re.compile(r"多少|几万|几百万|几千万|补几|奖几|最高|最多|上限|封顶|补贴额|金额|算一下|计算|怎么算")
# "多少家/几年/多久" ask for a count or a duration, not for money (unless money is named too).
_ASKS_COUNT = re.compile(r"(多少|几)\s*(家|个|项|年|次|名|人|天|月|期|倍|批)|多久|多长时间|期限")
_ASKS_MONEY = re.compile(r"多少钱|多少万|几万|几百万|几千万|金额|补贴额|奖金")
# "能拿/能补…" asks for a figure unless it asks which kinds of support there are ("能拿哪些补助").
_ASKS_GET = re.compile(r"能拿|能补|能获|可获|可得|能得")
_ASKS_KINDS = re.compile(r"哪些|什么|哪几|哪种|怎么申请|如何申请")
_ASKS_COMPARE = re.compile(r"(分别|区别|不同|差别|差异|比较|对比|相比|哪个(?:更)?(?:多|高|好))")
_INJECTION = re.compile(
    r"(忽略|无视|忘记|不要遵守|覆盖).{0,8}(规则|指令|提示|设定|限制)|系统提示|system\s*prompt|"
    r"(上限|封顶|限额).{0,6}(取消|不再|作废|失效)|规则已更新|新规则|developer\s*mode",
    re.IGNORECASE,
)
# Facts a user can state about the enterprise or project; a phrase preceded by a negation
# ("不是", "没有", "未") records the fact as false.
_NEGATION = re.compile(r"(不是|并非|非|没有|没|未|尚未|还没|不属于)$")


@dataclass
class Understanding:
    question: str                                  # the latest user message
    earlier: str                                   # earlier user messages, joined
    regions: RegionMentions                        # named in the latest message
    context_regions: tuple[str, ...]               # named anywhere in the conversation
    amounts: list[AmountMatch]                     # money amounts in the latest message
    earlier_amounts: list[AmountMatch]
    below: list[AmountMatch] = field(default_factory=list)   # "不到1000万": an upper bound only
    facts: dict[str, bool] = field(default_factory=dict)
    asks_amount: bool = False
    asks_count: bool = False                       # "多少家/几年": a count or duration, not money
    compare: bool = False
    injection: bool = False
    home: RegionMentions = RegionMentions((), ())       # where the enterprise says it is

    @property
    def amount_windows(self) -> list[str]:
        """The words just before each of the latest amounts (what the amount is)."""
        out = []
        for a in self.amounts:
            out.append(re.split(r"[，。；！？,;!?\n]", self.question[max(0, a.start - 12):a.start])[-1])
        return out

    @property
    def all_text(self) -> str:
        return f"{self.earlier}\n{self.question}" if self.earlier else self.question


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 4):start]))


def _first(text: str, phrases: list[str]) -> re.Match | None:
    for phrase in sorted(phrases, key=len, reverse=True):
        m = re.search(re.escape(phrase), text)
        if m:
            return m
    return None


def _counted(text: str, verb: str, at_least: int) -> bool | None:
    m = re.search(rf"{verb}了?\s*(\d+)\s*家", text)
    return None if not m else int(m.group(1)) >= at_least


def detect_facts(text: str, vocabulary: dict[str, dict]) -> dict[str, bool | str]:
    """fact id -> value for each fact the text states (knowledge/facts.yaml describes how)."""
    facts: dict[str, bool | str] = {}
    for fact, spec in vocabulary.items():
        named = [v for v, phrases in (spec.get("values") or {}).items() if _first(text, phrases)]
        if len(named) == 1:
            facts[fact] = named[0]
        m = _first(text, spec.get("phrases") or [])
        if m:
            facts[fact] = not _negated(text, m.start())
        if _first(text, spec.get("negative") or []) or any(
                re.search(p, text) for p in spec.get("negative_patterns") or []):
            facts[fact] = False
        if spec.get("counted"):
            counted = _counted(text, spec["counted"], int(spec.get("at_least", 1)))
            if counted is not None:
                facts[fact] = counted
    return facts


_DESCRIPTOR = re.compile(r"^\s*(?:及|或)?(?:以上|以下|以内|起|之上)")
_BELOW = re.compile(r"(?:不到|不足|低于|少于|未满|未达到|未达|没到|没有|还没到)\s*$")


_NEGATIVE = re.compile(r"(?:-|－|−|负)\s*$")


def user_amounts(text: str) -> list[AmountMatch]:
    """Money amounts that are the user's own figures: "3亿元以上的项目" describes a class, not a
    figure, and "不到1000万" only bounds one (see `upper_bounds`). A negative amount is an error."""
    found = find_amounts(text)
    for a in found:
        if _NEGATIVE.search(text[max(0, a.start - 2):a.start]):
            raise PolicyError("negative_amount", f"金额不能为负数：“{text[max(0, a.start - 1):a.end]}”，请核对后重新提问")
    return [a for a in found if not _DESCRIPTOR.match(text[a.end:a.end + 4])
            and not _BELOW.search(text[max(0, a.start - 4):a.start])]


def upper_bounds(text: str) -> list[AmountMatch]:
    """Amounts the user's figure is said to be below ("投资不到1000万")."""
    return [a for a in find_amounts(text) if _BELOW.search(text[max(0, a.start - 4):a.start])]


def _asks_amount(question: str) -> bool:
    if _ASKS_COUNT.search(question) and not _ASKS_MONEY.search(question):
        return False
    return bool(_ASKS_AMOUNT.search(question)
                or _ASKS_GET.search(question) and not _ASKS_KINDS.search(question))


FOLLOW_UP = re.compile(r"^(那|那么|那如果|如果|要是|假如|换成|改成|换到|若)|呢[？?]?$")
# "我们是江苏的企业", "公司在杭州": where the enterprise itself is.
_HOME = re.compile(r"(?:我们|我司|本公司|公司|企业|工厂|单位)(?:是|在|位于|设在|注册在|来自)([^，。,；;的\s]{2,6})")


_SUBJECT = re.compile(r"^(?:市|省|区|县)?的?(?:企业|公司|工厂|厂|项目|平台|服务商|智能工厂|智能车间)")


def home_regions(text: str, regions: RegionIndex) -> RegionMentions:
    """Regions the user says the enterprise is in ("我们是江苏的装备企业", "东莞企业",
    "北京的智能工厂")."""
    names = [m.group(1) for m in _HOME.finditer(text)]
    mentioned = regions.find(text)
    for name in (*mentioned.covered, *mentioned.uncovered):
        short = short_name(name)
        for m in re.finditer(re.escape(short), text):
            if _SUBJECT.match(text[m.end():m.end() + 8]):
                names.append(short)
    return regions.find(" ".join(names)) if names else RegionMentions((), ())


def understand(messages: list[dict], regions: RegionIndex,
               fact_phrases: dict[str, dict] | None = None) -> Understanding:
    users = [m["content"] for m in messages if m["role"] == "user"]
    question = users[-1]
    earlier = "\n".join(users[:-1])
    mentions = regions.find(question)
    context = regions.find(earlier).covered + mentions.covered
    facts = detect_facts(earlier, fact_phrases or {})
    facts.update(detect_facts(question, fact_phrases or {}))
    return Understanding(
        question=question,
        earlier=earlier,
        regions=mentions,
        context_regions=tuple(dict.fromkeys(context)),
        amounts=user_amounts(question),
        earlier_amounts=next((a for a in map(user_amounts, reversed(users[:-1])) if a), []),
        below=upper_bounds(question),
        facts=facts,
        asks_amount=_asks_amount(question) or bool(
            FOLLOW_UP.search(question) and users[:-1] and _asks_amount(users[-2])),
        asks_count=bool(_ASKS_COUNT.search(question) and not _ASKS_MONEY.search(question)),
        compare=bool(_ASKS_COMPARE.search(question)) or len(mentions.covered) > 1,
        injection=bool(_INJECTION.search(question)),
        home=home_regions(f"{earlier}\n{question}", regions),
    )
