"""Who each clause of a description is about: the enterprise that applies, or a related company.

"我们集团下面还有一家兄弟公司，它是国家级专精特新“小巨人”企业，…，我们自己没有这个称号": the
sister company's title is not the enterprise's; "我们控股的子公司…做了一个…示范项目，投资900万，由子公司
自己去申报": nor is the subsidiary's project. ``own`` keeps the clauses whose subject is the applicant
and blanks the others, so that no fact or amount of another company is read as the enterprise's.

A clause's subject is the party named at its start (after connectives and a time: "另外，",
"2023年底"): the enterprise's own word, a related company's (by kind: subsidiary, parent, sibling),
the enterprise's word with a related one right after it ("我们控股的子公司", "我们的兄弟公司"), or a
pronoun pointing back at the related company named last ("它是…"); a clause naming none continues
the party of the clause before it in its sentence. The applicant is the enterprise, or the related
company the question asks for ("帮我们子公司问一下"), or, when the enterprise says it set up the
branch that applies ("在佛山设立了控股子公司"), the branch and the group (``branch_applicants``). Vocabulary: knowledge/lexicon.yaml ``parties``.
"""
from __future__ import annotations

import re

from assistant.lexicon import Lexicon
from assistant.run_on import comma_clauses

SELF = "self"
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?\n]?|\n")


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)"


class Parties:
    def __init__(self, lex: Lexicon):
        words = lex.parties
        self.words = words
        self.branch = lex.cue("branch_place")
        self.kind = {w: kind for kind, ws in words.related.items() for w in ws}
        related = _alternation(list(self.kind))
        own = _alternation(words.self_words)
        predicates = _alternation(words.predicates)
        self._lead = re.compile(words.lead)
        self._related = re.compile(rf"^(?:(?!{own}|{predicates})[^，,。；;]){{0,{words.prefix}}}?({related})")
        self._own = re.compile(rf"^(?:{own})")
        self._own_then = re.compile(rf"^(?:{own})((?:(?!{predicates})[^，,。；;]){{0,{words.reach}}}?)({related})")
        self._pronoun = re.compile(rf"^(?:{_alternation(words.pronouns)})")
        self._asked = [re.compile(p.replace("{party}", related)) for p in words.asked_for.patterns]

    def applicant(self, text: str) -> set[str]:
        """The kinds of party whose clauses are the enterprise's."""
        if self.branch.search(text):
            return set(self.words.branch_applicants)
        for pattern in self._asked:
            m = pattern.search(text)
            if m:
                return {self.kind[m.group("party")]}
        return {SELF}

    def subject(self, clause: str) -> str | None:
        """The kind of party a clause starts with ("self", a related kind, "pronoun"), else None."""
        lead = self._lead.match(clause)
        rest = clause[lead.end():] if lead else clause
        if self._pronoun.match(rest):
            return "pronoun"
        m = self._own_then.match(rest)
        if m:
            return self.kind[m.group(2)]
        if self._own.match(rest):
            return SELF
        m = self._related.match(rest)
        return self.kind[m.group(1)] if m else None

    def own(self, text: str, marker: re.Pattern | None = None) -> str:
        """The text with every clause of a party other than the applicant blanked (its list marker
        and end mark kept)."""
        applicant = self.applicant(text)
        if applicant == {SELF} and not self._related_named(text):
            return text
        out, last = [], None
        for sentence in _SENTENCE.findall(text):
            ours = bool(self.words.ours.search(sentence))
            party = SELF if SELF in applicant else next(iter(applicant))
            for clause in comma_clauses(sentence):
                kind = self.subject(clause)
                kind = (last or party) if kind == "pronoun" else kind
                party = kind or party
                last = kind if kind and kind != SELF else last
                out.append(clause if ours or party in applicant else _blank(clause, marker))
        return "".join(out)

    def _related_named(self, text: str) -> bool:
        return any(w in text for w in self.kind)


def _blank(clause: str, marker: re.Pattern | None) -> str:
    """The clause's list marker and end mark, without its words."""
    head = marker.match(clause) if marker else None
    keep = head.group(0) if head else ""
    end = clause[-1] if clause and clause[-1] in "，,。；;！？!?\n" else ""
    return keep + end
