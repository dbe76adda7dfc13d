"""Read an enterprise's description into projects: "我们是…企业。1. …项目投资6800万元；2. …".

The words before the list (and after it: "这些事项都没用过省级财政其他专项资金") are about the
enterprise; each listed point is one project, with the facts and amounts it states. Without a
numbered list, each sentence that states a project fact or an amount starts a project, unless it
refers back ("这个项目同时…"). Within one point, several amounts of one role whose own clauses
disagree on a fact ("一套是资源池里的…42万元；另一套不在资源池里…80万元") are separate projects.
Facts of enterprise scope (knowledge/facts.yaml ``scope: enterprise``) are the enterprise's
wherever they are said. Vocabulary only from knowledge/; nothing here holds words of its own
beyond the list markers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.case import FactState, Item
from assistant.folding import fold_amounts
from assistant.lexicon import FactSpec
from assistant.parties import Parties
from assistant.profile import Project, fact_years
from assistant.reading import TurnReader, TurnReading
from assistant.run_on import RunOn

_MARKER = re.compile(r"(?:^|(?<=[\n：:；;。]))\s*(?:\d{1,2}(?:[.、．](?!\d)|[)）])|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|"
                     r"第[一二三四五六七八九十]+[，,、：:]|[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[)）]|"
                     r"(?<![^\n])[-–•·*](?=\s))")
_CLAUSE = re.compile(r"[^。；;\n]+[。；;\n]?")
_COMMA_CLAUSE = re.compile(r"[^。；;\n，,]+[。；;\n，,]?")
_BACK_REFERENCE = re.compile(r"^\s*(这个|这一|该|此|其|它|同时|同一|这些?项目|上述|前述|以上)")


@dataclass
class Described:
    facts: dict[str, FactState]          # the enterprise's
    projects: list[Project]
    listed: bool                         # the description was a numbered list
    declaration_year: int | None = None  # "2024年度打算申报的有"


def label_marker(labels: list[str]) -> re.Pattern:
    """A line opened by a labelled item ("项目A：", "事项D：", "项目二："): a list marker."""
    if not labels:
        return re.compile("(?!)")
    nouns = "|".join(map(re.escape, labels))
    return re.compile(rf"(?<![^\n])\s*(?:{nouns})\s*(?:[A-Za-z]|\d{{1,2}}|[一二三四五六七八九十甲乙丙丁戊])\s*[：:]")


def split_points(text: str, labelled: re.Pattern | None = None) -> tuple[str, list[str], str]:
    """(before the list, the listed points, after it); ("", [], "") without a list of two.
    Numbered points, or else lines opened by a labelled item (`labelled`)."""
    marker = _MARKER
    starts = [m.start() for m in marker.finditer(text)]
    if len(starts) < 2 and labelled is not None:
        marker = labelled
        starts = [m.start() for m in marker.finditer(text)]
    if len(starts) < 2:
        return "", [], ""
    points = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=False)]
    last = points[-1]
    if "\n" in last:
        cut = last.index("\n")
        points[-1], after = last[:cut], last[cut:]
    else:
        after = ""
    return text[:starts[0]], [marker.sub("", p, count=1).strip() for p in points], after


class ProfileReader:
    def __init__(self, reader: TurnReader, facts: dict[str, FactSpec]):
        self.reader = reader
        self.specs = facts
        self.labelled = label_marker(reader.lex.bounds.item_labels)
        self.run_on = RunOn(reader.lex)
        self.parties = Parties(reader.lex)

    def read(self, text: str) -> Described:
        """The enterprise's facts and projects; clauses about another company left out."""
        told = self.run_on.punctuate(text)
        run_on, text = told != text, self.parties.own(told, _MARKER)
        before, points, after = split_points(text, self.labelled)
        listed = bool(points)
        if not listed:
            before, points, after = self._sentences(text, run_on)
        facts: dict[str, FactState] = {}
        for part in (before, after):
            if part.strip():
                facts.update(dict(self.reader.read(part).facts))
        projects: list[Project] = []
        for point in points:
            pieces = self._pieces(point)
            for k, piece in enumerate(pieces):
                reading = self.reader.read(piece)
                own = dict(reading.facts)
                for name in [n for n in own if self.specs[n].scope == "enterprise"]:
                    facts[name] = own.pop(name)
                item = Item(topic=piece)
                fold_amounts(item, reading, continues=False, lex=self.reader.lex)
                name = _name(point) + (f"（其{k + 1}）" if len(pieces) > 1 else "")
                projects.append(Project(name=name, facts={k: v.value for k, v in own.items()},
                                        item=item, text=piece, years=fact_years(own)))
        self._drop_listed(facts, projects)
        return Described(facts, [p for p in projects if p.facts or not p.item.empty], listed,
                         self.reader.read(text).declaration_year)

    def _drop_listed(self, facts: dict[str, FactState], projects: list[Project]) -> None:
        """A project fact the words around the list state ("主要做行业性工业互联网平台") that a
        listed point also states is that point's, not every project's."""
        for name in [n for n in facts if self.specs[n].scope == "project"]:
            if any(name in p.facts for p in projects):
                del facts[name]

    def _sentences(self, text: str, run_on: bool = False) -> tuple[str, list[str], str]:
        """No numbered list: sentences (a run-on's clauses), each stating a project fact or an
        amount starting a project."""
        before, points, after = [], [], []
        for sentence in self.run_on.sentences(text, run_on):
            r = self.reader.read(sentence)
            own = {n for n in r.facts if self.specs[n].scope != "enterprise"}
            asks = bool(r.cues & {"asks_amount", "match", "asks_get"}) and not r.amounts and not own
            # a qualifier says how the project just told is done ("累计服务了18家…"), a denial what it
            # is not ("牵头单位是另一家公司"): neither starts a project
            what = {n for n in own if self.specs[n].scope != "qualifier" and r.facts[n].value is not False}
            if asks or (not points and not own and not r.amounts):
                (after if points else before).append(sentence)
            elif points and (_BACK_REFERENCE.match(sentence) or (not what and not r.amounts)
                             or (not own and (self._same_kind(r, points[-1]) or self._per_party(r)))
                             or (not own and "new_item" not in r.cues and self._facts_only(points[-1]))):
                # "乙服务商合同20万元": another item of the same kind; "丙公司说…一共285万了": a party's own total
                points[-1] += sentence
            else:
                points.append(sentence)
        return "".join(before), points, "".join(after)

    def _facts_only(self, point: str) -> bool:
        """The point says what a project is but no amount: the amounts said next are its
        ("…是国家级制造业创新中心的河南分中心。2025年分中心…实际投资1,800万元")."""
        r = self.reader.read(point)
        return not r.amounts and any(self.specs[n].scope != "enterprise" for n in r.facts)

    def _same_kind(self, r: TurnReading, point: str) -> bool:
        """The sentence's amounts are all of roles the previous point has amounts of."""
        before = {a.role for a in self.reader.read(point).amounts}
        return bool(r.amounts) and {a.role for a in r.amounts} <= before - {None}

    def _pieces(self, point: str) -> list[str]:
        """The point, or one piece per amount-bearing clause when amounts of one role recur and
        the clauses disagree on a fact, or each brings amounts of its own of other roles (two
        contracts, each with its provider's awarded total)."""
        pieces = self._by_party(point) or self._split(point, _CLAUSE)
        if len(pieces) == 1:
            pieces = self._split(point, _COMMA_CLAUSE)
        return pieces

    def _per_party(self, reading: TurnReading) -> bool:
        roles = self.reader.lex.roles
        return bool(reading.amounts) and all(a.role in roles and roles[a.role].per_party for a in reading.amounts)

    def _by_party(self, point: str) -> list[str] | None:
        """Items of one role listed in one sentence, a party's own total said of one of them in a
        later one ("A家的云MES合同70万，B家的云WMS合同60万。A家跟我们说…合计290万了"): one piece per
        item, with the sentences that start with the words its own clause starts with."""
        clauses = _CLAUSE.findall(point)
        readings = [self.reader.read(c) for c in clauses]
        party = [i for i, r in enumerate(readings) if self._per_party(r)]
        lists = [i for i, r in enumerate(readings) if len(r.amounts) >= 2 and not self._per_party(r)
                 and len({a.role for a in r.amounts}) == 1]
        if not party or len(lists) != 1:
            return None
        head, items = self._items(clauses[lists[0]])
        owners = [_owner(clauses[j], items) for j in party]
        if len(items) < 2 or None in owners:
            return None
        shared = "".join(c for i, c in enumerate(clauses) if i not in party and i != lists[0])
        return [head + item + "".join(clauses[j] for j, k in zip(party, owners, strict=True) if k == n) + shared
                for n, item in enumerate(items)]

    def _items(self, sentence: str) -> tuple[str, list[str]]:
        """(the words before the first item, the comma clauses with an amount each, words without
        amounts kept with the item before them)."""
        head, _, body = sentence.rpartition("：") if "：" in sentence else ("", "", sentence)
        head += "：" if head else ""
        items: list[str] = []
        for segment in _COMMA_CLAUSE.findall(body):
            if self.reader.read(segment).amounts or not items:
                items.append(segment)
            else:
                items[-1] += segment
        return head, [i for i in items if self.reader.read(i).amounts]

    def _split(self, point: str, pattern: re.Pattern) -> list[str]:
        clauses = pattern.findall(point)
        readings = [self.reader.read(c) for c in clauses]
        with_amounts = [i for i, r in enumerate(readings) if r.amounts]
        roles = [a.role for i in with_amounts for a in readings[i].amounts]
        if len(with_amounts) < 2 or len(set(roles)) == len(roles):
            return [point]
        facts = [{k: v.value for k, v in readings[i].facts.items()} for i in with_amounts]
        disagree = any(k in g and g[k] != f[k] for f in facts for g in facts for k in f)
        own_roles = [{a.role for a in readings[i].amounts} for i in with_amounts]
        paired = all(len(r) >= 2 for r in own_roles) and len({frozenset(r) for r in own_roles}) == 1
        # an amount about one party (the provider's total) belongs to its own clause's item only
        paired = paired or any(self.reader.lex.roles[r].per_party for r in roles if r in self.reader.lex.roles)
        if not (disagree or paired):
            return [point]
        shared = "".join(c for i, c in enumerate(clauses) if i not in with_amounts)
        lead_head = self._head(clauses[with_amounts[0]])
        return [(lead_head if i != with_amounts[0] else "") + clauses[i] + shared for i in with_amounts]

    def _head(self, lead: str) -> str:
        """What the first item's clause says before its own amounts, shared by the others ("买了两个资源池
        本地服务商的上云产品：…", "我们买了…上云产品，甲服务商合同60万元…")."""
        if "：" in lead:
            return lead.split("：")[0] + "："
        head = []
        for segment in _COMMA_CLAUSE.findall(lead):
            if self.reader.read(segment).amounts:
                break
            head.append(segment)
        return "".join(head)


def _owner(sentence: str, items: list[str]) -> int | None:
    """The one item whose clause starts with the longest run of the sentence's first words."""
    def shared(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n] and a[n].isalnum():
            n += 1
        return n
    scores = [shared(sentence.strip(), item.strip()) for item in items]
    best = max(scores)
    return scores.index(best) if best and scores.count(best) == 1 else None


def _name(point: str, size: int = 24) -> str:
    head = re.split(r"[，,；;。：:]", point.strip(), maxsplit=1)[0]
    return head if len(head) <= size else head[:size] + "…"
