"""条款检索 for hotline staff: honest counts, exact matches first, clauses found by 文号 and label.

- A query that names a document's 文号 (豫政办〔2022〕8号, brackets written any way) and a clause
  label (三、（一）3) goes straight to that clause; the 文号 alone lists the document.
- Otherwise the clauses whose text contains every term come first, with their true count over the
  whole scope, then the ranked search's other hits under "其他可能相关".
- Headings without a body, title lines and other fragments are never results.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.retrieval import Hit
from web.formatting import esc, goto_link, hit_card

MIN_BODY_CHARS = 8
OTHER_MAX = 5
_YEAR_BRACKETS = re.compile(r"[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]")
_SPACES = re.compile(r"\s+")
_TERMS = re.compile(r"[\s,，、;；]+")


def norm(text: str) -> str:
    """豫政办[2022]8号 / 豫政办(2022)8号 -> 豫政办〔2022〕8号; spaces removed."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", _SPACES.sub("", text or ""))


def is_body(clause: Any) -> bool:
    """A clause worth returning: not a bare heading, not a title line or other fragment."""
    text = clause.text.strip()
    if clause.is_heading or len(text) < MIN_BODY_CHARS:
        return False
    return not (clause.kind == "preamble" and not text.endswith(("。", "；", ";", "：", ":", ".")))


@dataclass
class Scope:
    metas: dict[str, Any]
    clauses: dict[str, list[Any]]
    rules: dict[tuple[str, str], tuple[str, ...]]

    def hit(self, clause: Any, terms: Iterable[str] = (), score: float = 0.0) -> Hit:
        return Hit(clause=clause, meta=self.metas[clause.doc_id], score=score,
                   rule_ids=self.rules.get((clause.doc_id, clause.label), ()),
                   matched_terms=tuple(t for t in terms if t in clause.text))


def load_scope(service: Any, region: str | None, doc_id: str | None) -> Scope:
    metas = {m.doc_id: m for m in service.documents()
             if (not region or region in m.regions) and (not doc_id or m.doc_id == doc_id)}
    rules: dict[tuple[str, str], tuple[str, ...]] = {}
    for rule in service.list_rules(None):
        key = (rule.doc_id, rule.clause)
        rules[key] = (*rules.get(key, ()), rule.id)
    return Scope(metas, {d: list(service.clauses(d)) for d in metas}, rules)


def locate(scope: Scope, query: str) -> tuple[Any | None, list[Any]]:
    """(document named by its 文号 or None, clauses named by label) for a query such as
    "豫政办〔2022〕8号 三、（一）3" or, with a document chosen, "三、（一）3"."""
    q = norm(query)
    named = [m for m in scope.metas.values() if m.doc_number and norm(m.doc_number) in q]
    doc = max(named, key=lambda m: len(m.doc_number)) if named else None
    rest = q.replace(norm(doc.doc_number), "") if doc else q
    docs = [doc.doc_id] if doc else list(scope.metas)
    found = [c for d in docs for c in scope.clauses[d] if rest and norm(c.label) == rest]
    return doc, found


def search_html(service: Any, query: str, region: str | None, doc_id: str | None, k: int) -> str:
    scope = load_scope(service, region, doc_id)
    doc, labelled = locate(scope, query)
    if labelled:
        head = f'<div class="pa-count">找到条款 {len(labelled)} 条：</div>'
        return head + "".join(hit_card(scope.hit(c), i) for i, c in enumerate(labelled, 1))
    if doc is not None and not norm(query).replace(norm(doc.doc_number), ""):
        return _document_card(doc, scope.clauses[doc.doc_id])
    terms = [t for t in _TERMS.split(query) if t] or [query]
    exact = [c for d in scope.metas for c in scope.clauses[d] if is_body(c) and all(t in c.text for t in terms)]
    ranked = [h for h in service.search(query, k=max(k, 10) + len(exact[:k]), region=region, doc_id=doc_id)
              if is_body(h.clause)]
    order = {h.clause.id: i for i, h in enumerate(ranked)}
    exact.sort(key=lambda c: order.get(c.id, len(order)))
    exact_ids = {c.id for c in exact}
    others = [h for h in ranked if h.clause.id not in exact_ids][:OTHER_MAX if exact else k]
    return _results(scope, terms, exact, others, k) if exact or others else _nothing()


def _results(scope: Scope, terms: list[str], exact: list[Any], others: list[Hit], k: int) -> str:
    said = "”“".join(terms)
    parts = []
    if exact:
        more = f"，显示前 {k} 条" if len(exact) > k else ""
        parts.append(f'<div class="pa-count">共 {len(exact)} 条条款包含“{esc(said)}”{more}：</div>')
        parts += [hit_card(scope.hit(c, terms), i) for i, c in enumerate(exact[:k], 1)]
    else:
        parts.append(f'<div class="pa-count">没有条款原文包含“{esc(said)}”。</div>')
    if others:
        parts.append('<div class="pa-count pa-others">其他可能相关（不含全部检索词，按相关度排序）：</div>')
        start = min(len(exact), k)
        parts += [hit_card(h, start + i, terms) for i, h in enumerate(others, 1)]
    return "".join(parts)


def _document_card(meta: Any, clauses: list[Any]) -> str:
    first = next((c for c in clauses if is_body(c)), None)
    link = goto_link(_cite(meta, first)) if first is not None else ""
    return (f'<div class="pa-count">找到文件：</div><div class="pa-hit"><b>{esc(meta.title)}</b>'
            f'<div class="pa-hit-meta">{esc(meta.region)} · {esc(meta.doc_number)} · 共 {len(clauses)} 条条款</div>'
            f'<div class="pa-hit-tools">{link}</div></div>')


def _cite(meta: Any, clause: Any) -> Any:
    from assistant.answer import Citation
    return Citation(doc_id=meta.doc_id, title=meta.title, region=meta.region, clause=clause.label,
                    text=clause.text, doc_number=meta.doc_number)


def _nothing() -> str:
    return '<div class="pa-empty">没有找到相关条款。可以换个说法，或去掉地区/文件筛选再试。</div>'
