"""Parse a policy text into a tree of citable clauses.

Every paragraph (non-empty line) of the body becomes exactly one clause, so the clauses
partition the text: nothing lost, nothing duplicated. A numbered paragraph is labelled by
its numbering path (``三、（一）3``, ``第二章第五条``); an unnumbered paragraph under a heading is
labelled by its place (``二、第3段``); paragraphs before the first heading are ``序言第N段``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize import remove_artefacts, strip_line

_CN = "零〇一二三四五六七八九十百千两"
# (kind, pattern): the pattern's group 1 is the number; the kind decides nesting and label form.
_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第([{_CN}\d]+)章")),
    ("article", re.compile(rf"^第([{_CN}\d]+)条(?=[\s\u3000　]|[^\s]|$)")),
    ("section", re.compile(rf"^([{_CN}]+)、")),
    ("item", re.compile(rf"^[（(]([{_CN}]+)[）)]")),
    ("point", re.compile(r"^(\d{1,2})(?:[.．](?!\d)|、)")),
    ("subpoint", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("circled", re.compile(r"^([①-⑳])")),
]
_TOP_KINDS = ("chapter", "article")


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
            return kind, m.group(1)
    return None


def _short_heading(text: str, limit: int = 40) -> str:
    """The heading part of a numbered paragraph: up to the first full stop, at most `limit` chars."""
    head = re.split(r"[。；;]", text, maxsplit=1)[0]
    return head if len(head) <= limit else head[:limit] + "…"


def _push(stack: list[_Frame], kind: str, part: str, text: str) -> None:
    if kind == "chapter":
        stack.clear()
    elif kind == "article":
        while stack and stack[-1].kind != "chapter":
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


def parse_clauses(doc_id: str, raw_text: str) -> ParsedDocument:
    """Split a policy text into clauses labelled by their numbering path."""
    text = remove_artefacts(raw_text)
    doc = ParsedDocument(doc_id=doc_id, text=text)
    stack: list[_Frame] = []
    loose = {"序言": 0, "正文": 0}   # paragraphs outside any heading: before / after the first
    seen: dict[str, int] = {}
    pos = 0
    for raw_line in text.split("\n"):
        line_start, pos = pos, pos + len(raw_line) + 1
        body = strip_line(raw_line)
        if not body:
            continue
        start = line_start + raw_line.index(body)
        heading = _classify(body)
        if heading:
            kind, number = heading
            _push(stack, kind, _label_part(kind, number), body)
            parts = [f.label for f in stack]
            label = "".join(parts)
            parent = "".join(parts[:-1]) or None
            headings = tuple(f.heading for f in stack[:-1])
        elif stack and (_close_lists(stack) or stack):
            stack[-1].paragraphs += 1
            kind = "paragraph"
            parent = "".join(f.label for f in stack)
            label = f"{parent}第{stack[-1].paragraphs}段"
            headings = tuple(f.heading for f in stack)
        else:
            where = "正文" if any(c.kind != "preamble" for c in doc.clauses) else "序言"
            loose[where] += 1
            kind, parent, label, headings = "preamble", None, f"{where}第{loose[where]}段", ()
        label = _unique(label, seen)
        doc.clauses.append(Clause(
            id=f"{doc_id}#{label}", doc_id=doc_id, label=label, text=body, headings=headings,
            kind=kind, start=start, end=start + len(body), parent=parent,
        ))
    _mark_headings(doc)
    return doc


def _mark_headings(doc: ParsedDocument) -> None:
    parents = {c.parent for c in doc.clauses if c.parent}
    doc.clauses = [
        c if c.label not in parents else Clause(**{**c.__dict__, "is_heading": True})
        for c in doc.clauses
    ]
