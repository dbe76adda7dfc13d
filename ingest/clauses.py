"""Parse a policy text into a tree of citable clauses.

Every paragraph (non-empty line) of the body becomes exactly one clause, so the clauses
partition the text: nothing lost, nothing duplicated. A numbered paragraph is labelled by
its numbering path (``三、（一）3``, ``第二章第五条``, ``附件一、``); an unnumbered paragraph under a
heading is labelled by its place (``二、第3段``); paragraphs before the first heading are ``序言第N段``.

Real documents are untidy: numbers with spaces inside (``第 1 0 条``, ``二 、``), full-width digits,
chapter titles whose ``第X章`` was lost in conversion (a bare ``总则`` or ``附则`` line before an
article: numbered after the previous chapter), articles restarting in every chapter, an annex
(``附件``) restarting the numbering. A label that still repeats gets a ``（重2）`` suffix.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.normalize import chinese_number, chinese_numeral, remove_artefacts, strip_line

_CN = "零〇一二三四五六七八九十百千两"
_NUM = rf"[{_CN}\d０-９]"
# (kind, pattern): the pattern's group 1 is the number (spaces inside are dropped: `第 1 0 条`);
# the kind decides the label form. Nesting follows the order in which the document uses them.
_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("annex", re.compile(r"^(附件\s*[\d一二三四五六七八九十]*)\s*[:：]?$")),
    ("chapter", re.compile(rf"^第\s*({_NUM}(?:\s*{_NUM})*)\s*章")),
    ("article", re.compile(rf"^第\s*({_NUM}(?:\s*{_NUM})*)\s*条")),
    ("section", re.compile(rf"^([{_CN}]+)\s*、")),
    ("item", re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]")),
    ("point", re.compile(r"^([\d０-９]{1,2})\s*(?:[.．](?![\d０-９])|、)")),
    ("subpoint", re.compile(r"^[（(]\s*([\d０-９]{1,2})\s*[）)]")),
    ("circled", re.compile(r"^([①-⑳])")),
]
# A chapter title whose `第X章` numbering was lost in conversion (docx list numbering): a short
# line without punctuation, directly followed by an article, in a document that has chapters.
_BARE_TITLE = re.compile(r"^[^\s，。、；：,.;:！？!?（）()“”\"]{2,15}$")
# Unnumbered paragraphs that belong to the list item before them, not to the enclosing level.
_ATTACHED = re.compile(r"^(——|[（(]?(?:责任单位|牵头单位|配合单位|责任部门|牵头部门)[：:])")


@dataclass(frozen=True)
class Clause:
    """One citable paragraph of a policy, with its provenance."""

    id: str                       # stable: doc_id + "#" + label
    doc_id: str
    label: str                    # citation label, e.g. 三、（一）3
    text: str                     # verbatim paragraph text (artefacts removed)
    headings: tuple[str, ...]     # ancestors' heading texts, outermost first
    kind: str                     # chapter | article | section | item | point | ... | paragraph
    start: int                    # offsets of `text` in the cleaned document text
    end: int
    parent: str | None = None     # label of the enclosing numbered clause, if any
    is_heading: bool = False      # True when later clauses nest under it

    @property
    def context(self) -> str:
        """The clause with its heading path, for embedding and display."""
        return " > ".join([*self.headings, self.text])


@dataclass
class _Frame:
    kind: str
    label: str
    heading: str
    paragraphs: int = 0
    children: int = 0
    complete: bool = False        # the numbered line is a whole provision, not a title


_LIST_KINDS = ("item", "point", "subpoint", "circled")


@dataclass
class ParsedDocument:
    doc_id: str
    text: str                     # cleaned text (artefacts removed); clause offsets point here
    clauses: list[Clause] = field(default_factory=list)

    def by_label(self) -> dict[str, Clause]:
        return {c.label: c for c in self.clauses}


def _label_part(kind: str, number: str) -> str:
    return {
        "annex": number,
        "chapter": f"第{number}章",
        "article": f"第{number}条",
        "section": f"{number}、",
        "item": f"（{number}）",
        "point": number,
        "subpoint": f"（{number}）",
        "circled": number,
    }[kind]


def _classify(line: str) -> tuple[str, str] | None:
    for kind, pattern in _HEADINGS:
        m = pattern.match(line)
        if m:
            return kind, unicodedata.normalize("NFKC", re.sub(r"\s+", "", m.group(1)))
    return None


def _short_heading(text: str, limit: int = 40) -> str:
    """The heading part of a numbered paragraph: up to the first full stop, at most `limit` chars."""
    head = re.split(r"[。；;]", text, maxsplit=1)[0]
    return head if len(head) <= limit else head[:limit] + "…"


def _push(stack: list[_Frame], kind: str, part: str, text: str) -> None:
    """Put a numbered paragraph on the stack: a sibling of the same kind, else a child of the top."""
    if kind == "annex":
        stack.clear()
    elif kind == "chapter":
        while stack and stack[-1].kind != "annex":
            stack.pop()
    elif any(f.kind == kind for f in stack):
        while stack[-1].kind != kind:
            stack.pop()
        stack.pop()
    if stack:
        stack[-1].children += 1
    complete = len(text) > 30 and text.endswith(("。", "；", ";"))
    stack.append(_Frame(kind, part, _short_heading(text), complete=complete))


def _close_lists(stack: list[_Frame]) -> None:
    """An unnumbered paragraph after a finished list item belongs to the enclosing level."""
    while (stack and stack[-1].kind in _LIST_KINDS and stack[-1].paragraphs == 0
           and (stack[-1].complete or stack[-1].children)):
        stack.pop()


def _unique(label: str, seen: dict[str, int]) -> str:
    seen[label] = seen.get(label, 0) + 1
    return label if seen[label] == 1 else f"{label}（重{seen[label]}）"


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for every non-blank line, without its indentation."""
    found, pos = [], 0
    for raw_line in text.split("\n"):
        body = strip_line(raw_line)
        if body:
            found.append((pos + raw_line.index(body), body))
        pos += len(raw_line) + 1
    return found


class _Parser:
    """Walks the paragraphs once, keeping the stack of enclosing numbered headings."""

    def __init__(self, doc: ParsedDocument, paragraphs: list[tuple[int, str]]):
        self.doc, self.paragraphs = doc, paragraphs
        self.kinds = [_classify(body) for _, body in paragraphs]
        self.has_chapters = any(k and k[0] == "chapter" for k in self.kinds)
        self.stack: list[_Frame] = []
        self.loose = {"序言": 0, "正文": 0}   # paragraphs outside any heading: before / after the first
        self.seen: dict[str, int] = {}
        self.chapter = 0                       # number of the last chapter, to number bare titles
        self.started = False                   # a numbered heading has been seen

    def heading_of(self, i: int) -> tuple[str, str] | None:
        """The kind and number of paragraph i, recognising chapter titles that lost `第X章`."""
        heading = self.kinds[i]
        if heading and heading[0] == "annex" and not self.started:
            return None                        # `附件` above the whole text: the document is the annex
        if heading and heading[0] == "chapter":
            self.chapter = chinese_number(heading[1]) or self.chapter + 1
        elif (heading is None and self.has_chapters and i > 0 and i + 1 < len(self.kinds)
              and _BARE_TITLE.match(self.paragraphs[i][1])
              and (self.kinds[i + 1] or ("",))[0] == "article"):
            self.chapter += 1
            heading = ("chapter", chinese_numeral(self.chapter))
        return heading

    def numbered(self, kind: str, number: str, body: str) -> tuple[str, str, str | None, tuple]:
        _push(self.stack, kind, _label_part(kind, number), body)
        self.started = True
        parts = [f.label for f in self.stack]
        return kind, "".join(parts), "".join(parts[:-1]) or None, tuple(f.heading for f in self.stack[:-1])

    def unnumbered(self, body: str) -> tuple[str, str, str | None, tuple]:
        if not _ATTACHED.match(body):
            _close_lists(self.stack)
        if self.stack:
            self.stack[-1].paragraphs += 1
            parent = "".join(f.label for f in self.stack)
            return "paragraph", f"{parent}第{self.stack[-1].paragraphs}段", parent, tuple(
                f.heading for f in self.stack)
        where = "正文" if self.started else "序言"
        self.loose[where] += 1
        return "preamble", f"{where}第{self.loose[where]}段", None, ()

    def run(self) -> None:
        for i, (start, body) in enumerate(self.paragraphs):
            heading = self.heading_of(i)
            kind, label, parent, headings = self.numbered(*heading, body) if heading else self.unnumbered(body)
            label = _unique(label, self.seen)
            self.doc.clauses.append(Clause(
                id=f"{self.doc.doc_id}#{label}", doc_id=self.doc.doc_id, label=label, text=body,
                headings=headings, kind=kind, start=start, end=start + len(body), parent=parent,
            ))


def parse_clauses(doc_id: str, raw_text: str) -> ParsedDocument:
    """Split a policy text into clauses labelled by their numbering path."""
    text = remove_artefacts(raw_text)
    doc = ParsedDocument(doc_id=doc_id, text=text)
    _Parser(doc, _paragraphs(text)).run()
    _mark_headings(doc)
    return doc


def _mark_headings(doc: ParsedDocument) -> None:
    parents = {c.parent for c in doc.clauses if c.parent}
    doc.clauses = [
        c if c.label not in parents else Clause(**{**c.__dict__, "is_heading": True})
        for c in doc.clauses
    ]
