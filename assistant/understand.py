"""The one understanding stage: the conversation (and a case carried over) -> a typed result.

Each user turn is normalised (繁體, full width, English), read into typed values
(assistant/reading.py) and folded into the enterprise's case (assistant/case.py): facts
accumulate and a later statement replaces an earlier one; amounts belong to the item being
discussed; a turn that names another award starts a new item but keeps the enterprise. The
latest turn gives the intent. Nothing downstream reads the raw text again.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.case import Case, Item
from assistant.folding import fold_amounts
from assistant.lexicon import FactSpec, Lexicon
from assistant.normalize import normalize_question
from assistant.reading import TurnReader, TurnReading
from assistant.regions import RegionIndex, RegionMentions
from assistant.run_on import SENTENCE, RunOn

INTENTS = ("greeting", "out_of_scope", "uncovered_region", "validity", "compare", "match",
           "calculate", "lookup")
MANY_AWARDS = 3     # awards named in one turn that make it a profile to match, not one calculation
_SHORT = re.compile(r"[\s，。！？!?,.~、：:]+")


@dataclass
class Part:
    """One of several items a single question describes, each under an award of its own
    ("一套是国家首台（套），卖了1.2个亿；另一套是省认定的首台（套），发票3200万")."""

    text: str
    award: str
    item: Item
    facts: dict


@dataclass
class Understanding:
    intent: str
    question: str                       # the latest user message, normalised
    topic: str                          # earlier words that named the current item's award
    case: Case
    reading: TurnReading                # the latest turn, read
    regions: RegionMentions             # named in the latest turn
    scope: tuple[str, ...] = ()         # covered regions that scope retrieval and rules
    continues: bool = False             # the latest turn continues the earlier topic
    asks_amount: bool = False
    asks_count: bool = False
    first_stage: bool = False
    injection: bool = False
    distinct_regions: tuple[str, ...] = field(default_factory=tuple)
    parts: list[Part] = field(default_factory=list)

    @property
    def facts(self) -> dict:
        return self.case.fact_values()

    @property
    def all_text(self) -> str:
        return f"{self.topic}\n{self.question}" if self.topic else self.question

    @property
    def unsplit_sum(self) -> bool:
        """The total of several awards is asked ("两项加起来一共"), with amounts of different kinds
        (or undescribed ones), but the question could not be split into one part per award."""
        roles = [a.role or "" for a in self.reading.amounts]
        return ("sum_items" in self.reading.cues and not self.parts and len(roles) > 1
                and (len(set(roles)) > 1 or "" in roles))


class Understander:
    def __init__(self, lexicon: Lexicon, facts: dict[str, FactSpec], regions: RegionIndex,
                 award_of: Callable[[str], str | None], fact_labels: dict[str, str] | None = None):
        self.lex = lexicon
        self.facts = facts
        self.regions = regions
        self.award_of = award_of
        self.reader = TurnReader(lexicon, facts, fact_labels)
        self.run_on = RunOn(lexicon)

    # -- the conversation ------------------------------------------------------------------------
    def understand(self, messages: list[dict], case: Case | None = None) -> Understanding:
        users = [normalize_question(m["content"]) for m in messages if m["role"] == "user"]
        if case is not None:
            users = users[-1:]   # a carried case stands for the conversation so far: read only the latest turn
        case = case.model_copy(deep=True) if case else Case()
        had_case = bool(case.facts or case.location or not case.item.empty)
        topic, reading, continues = "", None, False
        for i, text in enumerate(users):
            reading = self.reader.read(text)
            if "new_case" in reading.cues:
                case = Case()          # another caller: nothing said before applies
            topic, items = case.item.topic, len(case.items)
            continues = (i > 0 or had_case) and "new_case" not in reading.cues and self._continues(reading, text)
            self._fold(case, reading, text, continues)
            same_item = len(case.items) == items
        mentions = self.regions.find(reading.text)
        u = Understanding(intent="lookup", question=reading.text, topic=topic if same_item else "",
                          case=case, reading=reading, regions=mentions, continues=continues)
        u.scope = self._scope(u)
        u.parts = self._parts(reading.text) or self._item_parts(case, reading)
        u.distinct_regions = tuple(self._distinct(mentions.covered))
        self._intent(u)
        return u

    def names_award(self, text: str) -> bool:
        return self.award_of(text) is not None

    def _continues(self, r: TurnReading, text: str) -> bool:
        if r.cues & {"follow_up", "correction", "addition"}:
            return True
        return not self.names_award(text)

    def _fold(self, case: Case, r: TurnReading, text: str, continues: bool) -> None:
        case.facts.update(r.facts)
        for name, state in case.facts.items():
            # "没进工信部的名单": a title that needs that level fails, unless it was said at that level
            spec = self.facts[name]
            if spec.level_denied(r.negated_levels) and not (name in r.facts and state.level in spec.levels):
                case.facts[name] = state.model_copy(update={"value": False, "said": text[:40]})
        case.denied_levels = sorted(set(case.denied_levels) | r.negated_levels)
        self._fold_location(case, r, text, continues)
        item = case.item
        award = self.award_of(text)
        other_award = award and item.topic and award != self.award_of(item.topic) and "correction" not in r.cues
        if award and not item.empty and (not continues or (other_award and r.amounts)):
            item = Item()       # another project: "另外我们还有个机器换人示范项目，整机购置700万呢？"
            case.items.append(item)
        if award and not (continues and r.cues & {"correction"} and item.topic):
            item.topic = f"{item.topic}\n{text}".strip()
        fold_amounts(item, r, continues, self.lex)

    def _fold_location(self, case: Case, r: TurnReading, text: str, continues: bool) -> None:
        home = self.home(text)
        if home:
            case.location, case.covered = home
        elif continues and r.cues & {"follow_up", "correction"} and case.location:
            named = self._named_place(text)     # "那如果是湖南呢？": the enterprise is asked about elsewhere
            if named:
                case.location, case.covered = named

    def home(self, text: str) -> tuple[list[str], bool] | None:
        """Where the enterprise says it is ("我们是江苏的企业", "东莞企业", "商丘的小巨人企业") as
        (its administrative chain, whether a covered region holds it)."""
        table = self.regions.table
        said = [m.start(1) for m in self.lex.cue("home").finditer(text) if m.lastindex]
        after, other = self.lex.cue("subject_after_place"), self.lex.cue("other_party_before")
        denied = self.lex.cue("denied_after_place")
        branches = [m.span(1) for m in self.lex.cue("branch_place").finditer(text) if m.lastindex]
        found, registered, stated = [], [], []
        for mention in table.find(text):
            if mention.place is None or other.search(text[max(0, mention.start - 4):mention.start]) \
                    or denied.search(text[mention.end:mention.end + 4]):
                continue
            if any(a <= mention.start < b for a, b in branches):
                registered.append(mention.place)     # the branch applies where it is registered ("河南信阳")
            elif any(start <= mention.start <= start + 2 for start in said):
                stated.append(mention.place)
            elif after.search(text[mention.end:mention.end + 16]):
                found.append(mention.place)
        found = registered or stated + _within(found, stated)
        if not found:
            return None
        place = max(found, key=lambda p: len(p.chain))      # the most specific place said
        return list(place.chain), self.regions.covers(place)

    def _named_place(self, text: str) -> tuple[list[str], bool] | None:
        places = [m.place for m in self.regions.table.find(text) if m.place is not None]
        if not places:
            return None
        place = max(places, key=lambda p: len(p.chain))
        return list(place.chain), self.regions.covers(place)

    def _item_parts(self, case: Case, r: TurnReading) -> list[Part]:
        """"两项今年一共能拿多少？": the case's items, each under its own award, summed."""
        if "sum_items" not in r.cues:
            return []
        parts = [Part(item.topic, award, item, {}) for item in case.items
                 if item.amounts and item.topic and (award := self.award_of(item.topic))]
        return parts if len(parts) > 1 and len({p.award for p in parts}) > 1 else []

    def _parts(self, text: str) -> list[Part]:
        """Items of different awards in one question, each with its own amounts and facts."""
        cut = [0, *(m.end() for m in self.lex.cue("part_break").finditer(text)), len(text)]
        parts = []
        for start, end in zip(cut, cut[1:], strict=False):
            segment = text[start:end]
            reading = self.reader.read(segment)
            award = self.award_of(segment)
            if reading.amounts and award:
                item = Item(topic=segment)
                for a in reading.amounts:
                    item.amounts.setdefault(a.role or "", []).append(a.value)
                item.rates.update(reading.rates)
                parts.append(Part(segment, award, item, {k: v.value for k, v in reading.facts.items()}))
        return parts if len({p.award for p in parts}) > 1 else []

    # -- the latest turn -------------------------------------------------------------------------
    def _scope(self, u: Understanding) -> tuple[str, ...]:
        """Regions that scope the answer: named now; else, continuing, named for this topic;
        else where the enterprise is. A region named for an earlier topic does not carry over."""
        if u.regions.covered:
            return u.regions.covered
        if u.continues and u.topic:
            earlier = self.regions.find(u.topic).covered
            if earlier:
                return earlier
        if u.case.covered and u.case.location:
            return tuple(self.regions.find(" ".join(u.case.location)).covered)
        return ()

    def _distinct(self, names: tuple[str, ...]) -> list[str]:
        """Named regions, a region dropped when another named one contains it (广东 ⊃ 佛山)."""
        return [r for r in names if not any(o != r and r in self.regions.expand(o) for o in names)]

    def _intent(self, u: Understanding) -> None:
        cues, text = u.reading.cues, u.question
        u.injection = "injection" in cues
        u.first_stage = "first_stage" in cues or ("first_year" in cues and "asks_total" not in cues)
        u.asks_count = "asks_count" in cues and "asks_money" not in cues
        u.asks_amount = self._asks_amount(cues) or (u.continues and "follow_up" in cues and bool(u.topic))
        amounts = bool(u.reading.amounts)
        if "greeting" in cues and len(_SHORT.sub("", text)) <= 12 and not self.names_award(text) \
                and not amounts and "domain" not in cues - {"greeting"}:
            u.intent = "greeting"
        elif "not_policy" in cues and not ("asks_support" in cues and (u.regions.covered or u.regions.uncovered)):
            # 个税 filing, not an award that a named region's policy pays on 个税 (nor a national
            # policy a place without documents of its own may draw on: 劳动合同 in 创业担保贷款)
            u.intent = "out_of_scope"
        elif u.regions.uncovered and not u.regions.covered:
            u.intent = "uncovered_region"
        elif "validity" in cues and not amounts:
            u.intent = "validity"
        elif self._describes_many(u):
            u.intent = "match"      # a profile: three or more awards, each told in its own sentence
        elif len(u.distinct_regions) > 1:
            u.intent = "compare"
        elif self._matches(u, cues, text, amounts):
            u.intent = "match"
        elif u.asks_amount or amounts or u.reading.below:
            u.intent = "calculate"
        else:
            u.intent = "lookup"

    def _matches(self, u: Understanding, cues: set[str], text: str, amounts: bool) -> bool:
        """Whether the turn asks what the enterprise can get as a whole (policy matching), after the
        greeting, scope, validity, profile and comparison readings have had their turn."""
        if "match" in cues and not amounts and (not self.names_award(text) or len(u.case.facts) >= 2):
            return True
        if ("match" in cues or ("match_total" in cues and not u.parts)) \
                and "items_are_enterprises" not in cues and self._awards_named(text) >= 2:
            # two awards told in two sentences and asked about together (not several awards' parts
            # asked as one calculation, nor a provider's buyers: one award over them)
            return True      # "…一个绿色化改造项目，投了3200万元。另外还被认定为…，一共最多能拿多少？"
        if self._profile_of_parts(u):
            return True
        if "match_list" in cues and cues & {"match", "asks_amount", "asks_get"}:
            return True      # "1. …；2. …；最多能拿多少": several projects told together
        if cues & {"asks_amount", "asks_get"} and "asks_total" not in cues and self._another_project(text):
            # "我们的…项目入选了…；我们还作为牵头单位建设了…。能拿多少" (a total asked over parts told
            # as items of one award, "另一套…一共能拿多少", stays a calculation)
            return True
        return False

    def _describes_many(self, u: Understanding) -> bool:
        """An enterprise's profile asked about as a whole: the turn names MANY_AWARDS or more
        different awards in sentences of their own and asks what it can get ("…；…；…最多拿多少")."""
        cues = u.reading.cues
        return bool(cues & {"match", "match_total", "asks_amount", "asks_get"}) \
            and "sum_items" not in cues and self._awards_named(u.question) >= MANY_AWARDS

    def _another_project(self, text: str) -> bool:
        """A sentence opened as another of the enterprise's projects ("另外，我们的…", "我们还…")
        names an award other than those of the sentences before it."""
        named: set[str] = set()
        for sentence in self.run_on.sentences(text):
            award = self.award_of(sentence)
            if award and named and award not in named and self.lex.cue("new_item").search(sentence):
                return True
            named |= {award} if award else set()
        return False

    def _awards_named(self, text: str) -> int:
        """How many different awards the turn's sentences name, each on its own (a run-on
        sentence's clauses, each on its own)."""
        return len({award for s in self.run_on.sentences(text) if (award := self.award_of(s))})

    def _profile_of_parts(self, u: Understanding) -> bool:
        """Two or more awards, each told with amounts of its own, asked about under a policy rather
        than as one award ("…项目入选了…标杆示范项目，投了900万；还买了…合同50万。按佛山这个政策能拿多少？";
        not "…今年首台套销售奖励一共能拿多少")."""
        if not u.asks_amount or u.reading.cues & {"items_are_enterprises", "sum_items"} or len(u.parts) < 2:
            return False
        sentences = [s for s in SENTENCE.findall(u.question) if s.strip("。；;！？!?\n ")]
        return not self.award_of(sentences[-1]) and self._awards_named(u.question) >= 2

    @staticmethod
    def _asks_amount(cues: set[str]) -> bool:
        if "asks_count" in cues and "asks_money" not in cues:
            return False
        return "asks_amount" in cues or ("asks_get" in cues and "asks_kinds" not in cues)


def _within(inferred: list, stated: list) -> list:
    """Places inferred from "X的企业" (maybe another party's: "牵头单位是佛山本地一家企业") count beside
    a place the enterprise states as its own ("公司注册和总部都在广州黄埔") only when one holds the other."""
    if not stated:
        return inferred
    def nested(a, b) -> bool:
        short, long = sorted((tuple(a.chain), tuple(b.chain)), key=len)
        return long[:len(short)] == short
    return [p for p in inferred if any(nested(p, s) for s in stated)]
