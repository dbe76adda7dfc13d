"""Pure functions that turn answers, calculations and search hits into HTML / Markdown for the UI.

Every piece of text that comes from a policy, a rule or a user is escaped here; no other module
builds HTML from data.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from assistant.answer import Answer, Calculation, Citation


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def yuan_to_text(amount: int | Decimal | None) -> str:
    """5000000 -> '500万元', 1234500 -> '123.45万元', 8000 -> '8000元', None -> '—'."""
    if amount is None:
        return "—"
    value = Decimal(amount)
    if abs(value) < 10000:
        return f"{value.normalize():f}元"
    wan = (value / Decimal(10000)).normalize()
    return f"{wan:f}万元"


def safe_markdown(text: str) -> str:
    """Markdown from the engine, with any HTML tag or entity neutralised (Markdown itself kept)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-!|>~]")
_FIGURE = re.compile(r"(\d[\d,.]*\s*(?:万元|亿元|万|亿|元|%|％))")


def user_text(text: str) -> str:
    """What the user typed, shown as typed: no HTML (no fetched <img>), no Markdown (its marks become
    character references, which show as the characters and mark nothing up)."""
    escaped = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", escaped)


def keep_figures(escaped: str) -> str:
    """In escaped text, keep each figure with its unit on one line (500万元 never breaks as 500 / 万元)."""
    return _FIGURE.sub(r'<span class="pa-num">\1</span>', escaped)


def goto_link(c: Citation) -> str:
    """在原文中查看: opens the clause, highlighted, in the documents tab (web.ui_style's click handler)."""
    target = quote(f"{c.doc_id}|{c.clause}", safe="")       # in the href: the chat's sanitiser drops data-*
    return f'<a class="pa-goto" href="#pa-goto={target}">在原文中查看</a>'


def book_title(title: str) -> str:
    """《title》, a title quoted inside it in 〈〉 as Chinese typography wants (《…〈…〉…》)."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def citation_label(c: Citation) -> str:
    number = f"（{c.doc_number}）" if c.doc_number else ""
    return f"{book_title(c.title)}{number}{c.clause}"


def citation_copy_text(c: Citation) -> str:
    """What a hotline worker pastes or reads out: the clause and where it comes from."""
    return f"{citation_label(c)}：{c.text}（{c.region}）"


def _expiry_note(c: Citation) -> str:
    if not c.may_be_expired:
        return ""
    why = esc(c.validity) if c.validity else "请向主管部门确认是否仍然有效。"
    return f'<div class="pa-expired">⚠️ 该政策可能已过期：{why}</div>'


def citation_card(c: Citation, index: int | None = None, open_: bool = False) -> str:
    """An expandable source card: title, region, 文号, clause label; the verbatim text inside."""
    number = f' <span class="pa-docno">{esc(c.doc_number)}</span>' if c.doc_number else ""
    marker = f"[{index}] " if index is not None else ""
    expired = ' <span class="pa-badge-expired">可能已过期</span>' if c.may_be_expired else ""
    return (
        f'<details class="pa-card"{" open" if open_ else ""}>'
        f'<summary>{marker}<b>{esc(c.title)}</b> · <span class="pa-region">{esc(c.region)}</span>'
        f'{number} · <span class="pa-clause">{esc(c.clause)}</span>{expired}</summary>'
        f'<blockquote class="pa-quote">{esc(c.text)}</blockquote>{_expiry_note(c)}{goto_link(c)}</details>'
    )


def _instalments(calc: Calculation) -> str:
    if not calc.instalments:
        return ""
    items = "".join(f"<li>{esc(i.stage)}：{esc(i.share)}，{esc(yuan_to_text(i.amount_yuan))}</li>"
                    for i in calc.instalments)
    return f'<div class="pa-inst">分期拨付：<ul>{items}</ul></div>'


def calculation_card(calc: Calculation) -> str:
    """The figure, the formula, the conditions and the clause of one calculation."""
    if calc.eligible and calc.amount_yuan is not None:
        lead = "最高可获得" if calc.is_maximum else "可获得"
        figure = f'<div class="pa-figure">{lead} <b>{keep_figures(esc(yuan_to_text(calc.amount_yuan)))}</b></div>'
    elif calc.eligible:
        figure = '<div class="pa-figure">符合条件，金额需补充信息后计算</div>'
    else:
        figure = '<div class="pa-figure pa-ineligible">暂不符合条件</div>'
    formula = f'<div class="pa-formula">计算：{keep_figures(esc(calc.formula))}</div>' if calc.formula else ""
    reason = f'<div class="pa-reason">说明：{esc(calc.reason)}</div>' if calc.reason else ""
    notes = "".join(f"<li>{esc(n)}</li>" for n in calc.notes)
    notes_html = f'<ul class="pa-notes">{notes}</ul>' if notes else ""
    return (
        f'<div class="pa-calc"><div class="pa-calc-title">{esc(calc.title)}</div>{figure}{formula}'
        f"{reason}{_instalments(calc)}{notes_html}"
        f'<div class="pa-basis">依据：{esc(citation_label(calc.citation))}</div></div>'
    )


def expired_documents(citations: Iterable[Citation]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for c in citations:
        if c.may_be_expired and c.doc_id not in seen:
            seen[c.doc_id] = c
    return list(seen.values())


def _told(calc: Calculation, text: str) -> bool:
    """The answer text already states this calculation's formula (the offline engine's does)."""
    return bool(calc.formula) and calc.formula in text


def answer_extras(answer: Answer) -> str:
    """Everything shown under the answer text: warnings, calculations not yet told, source cards."""
    cites = list(answer.citations)
    calc_cites = [calc.citation for calc in answer.calculations]
    parts = [f'<div class="pa-warning">⚠️ 《{esc(c.title)}》可能已过期或被替代，申报前请向主管部门确认。</div>'
             for c in expired_documents([*cites, *calc_cites]) if f"《{c.title}》可能已" not in answer.answer]
    parts += [calculation_card(calc) for calc in answer.calculations if not _told(calc, answer.answer)]
    if cites:
        cards = "".join(citation_card(c, i) for i, c in enumerate(cites, 1))
        parts.append(f'<div class="pa-sources"><div class="pa-sources-title">引用条款（点击展开原文）</div>{cards}</div>')
    return "\n".join(parts)


_BOLD_LEAD = re.compile(r"^\*\*([^*\n]+)\*\*([^\n]*)$")


def _answer_body(answer: Answer) -> str:
    """The answer's Markdown with its figure line set as a headline and its ⚠️ paragraphs as warnings.

    A calculated answer opens with a bold line (`**最高可获得360万元**（规则名）`); that line becomes
    a large headline so the figure is the first thing a reader sees. A paragraph that starts with
    ⚠️ (the expiry warning) gets the same yellow box as the UI's own warnings. Everything else is
    the engine's Markdown, escaped.
    """
    paragraphs = re.split(r"\n{2,}", answer.answer.strip())
    out = []
    for i, para in enumerate(paragraphs):
        lead = _BOLD_LEAD.match(para) if i == 0 and answer.calculations else None
        if lead:
            out.append(f'<div class="pa-headline"><b>{keep_figures(esc(lead[1]))}</b>{keep_figures(esc(lead[2]))}</div>')
        elif para.startswith("⚠️") and "\n" not in para:
            out.append(f'<div class="pa-told-warning">{keep_figures(esc(para))}</div>')
        else:
            out.append(keep_figures(safe_markdown(para)))
    return "\n\n".join(out)


def answer_message(answer: Answer) -> str:
    """The whole chat message for one answer: Markdown text, then the HTML extras."""
    text = _answer_body(answer)
    if answer.follow_up and answer.follow_up not in answer.answer:
        text += f"\n\n**还需要确认：** {safe_markdown(answer.follow_up)}"
    extras = answer_extras(answer)
    from web.copy_text import answer_copy_text
    # the chat's sanitiser drops buttons and data-*: a link, and the text in a hidden block beside it
    copy = (f'<div class="pa-answer-tools"><a class="pa-copy-answer" href="#pa-copy">📋 复制答复口径</a>'
            f'<pre class="pa-copy-source">{esc(answer_copy_text(answer))}</pre></div>')
    return f"{text}\n\n{extras}\n\n{copy}" if extras else f"{text}\n\n{copy}"


def highlight(text: str, terms: Sequence[str]) -> str:
    """Escape `text` and wrap every occurrence of a term in <mark> (longest terms first)."""
    words = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return esc(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(esc(text[last:m.start()]))
        out.append(f"<mark>{esc(m.group(0))}</mark>")
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def hit_citation(hit: Any) -> Citation:
    meta, clause = hit.meta, hit.clause
    return Citation(doc_id=clause.doc_id, title=meta.title, region=meta.region, clause=clause.label,
                    text=clause.text, doc_number=meta.doc_number, may_be_expired=meta.may_be_expired,
                    validity=meta.validity)


def hit_card(hit: Any, rank: int, query_terms: Sequence[str] = ()) -> str:
    """One ranked clause: where it is from, its heading path, the text with matched words marked.

    The head shows the document's short title (the full one is its tooltip and is what the copy
    button copies), then a line of region · 文号 · clause · badges, so it reads well on a phone.
    """
    cite = hit_citation(hit)
    terms = [*hit.matched_terms, *query_terms]
    path = " › ".join(hit.clause.headings)
    short = getattr(hit.meta, "short_title", None) or cite.title
    number = f' · <span class="pa-docno">{esc(cite.doc_number)}</span>' if cite.doc_number else ""
    rules = f' <span class="pa-rules">含奖补规则 {len(hit.rule_ids)} 条</span>' if hit.rule_ids else ""
    calc = "".join(f'<button class="pa-calc-go" type="button" data-rule="{esc(r)}">去计算</button>'
                   for r in hit.rule_ids[:3])
    expired = ' <span class="pa-badge-expired">可能已过期</span>' if cite.may_be_expired else ""
    return (
        f'<div class="pa-hit"><div class="pa-hit-head"><span class="pa-rank">{rank}</span>'
        f'<div class="pa-hit-title"><b title="{esc(cite.title)}">{esc(short)}</b>'
        f'<div class="pa-hit-meta"><span class="pa-region">{esc(cite.region)}</span>{number} · '
        f'<span class="pa-clause">{esc(cite.clause)}</span>{expired}{rules}</div></div>'
        f'<button class="pa-copy" type="button" data-copy="{esc(citation_copy_text(cite))}">复制条款及出处</button></div>'
        + (f'<div class="pa-path">{esc(path)}</div>' if path else "")
        + f'<div class="pa-hit-text">{highlight(cite.text, terms)}</div>'
        + f'<div class="pa-hit-tools">{goto_link(cite)}{calc}</div></div>'
    )


def hits_html(hits: Sequence[Any], query: str = "") -> str:
    if not hits:
        return '<div class="pa-empty">没有找到相关条款。可以换个说法，或去掉地区/文件筛选再试。</div>'
    terms = [w for w in re.split(r"[\s,，、;；]+", query) if len(w) >= 2]
    head = f'<div class="pa-count">共找到 {len(hits)} 条相关条款，按相关度排序：</div>'
    return head + "".join(hit_card(h, i, terms) for i, h in enumerate(hits, 1))


def _clause_line(clause: Any, highlight: str | None = None) -> str:
    depth = len(clause.headings)
    cls = "pa-node pa-node-heading" if clause.is_heading else "pa-node"
    if highlight is not None and clause.label == highlight:
        cls += " pa-hl"
    return (f'<div class="{cls}" style="--pa-depth:{depth}" data-clause="{esc(clause.label)}">'
            f'<span class="pa-clause">{esc(clause.label)}</span> {esc(clause.text)}</div>')


def document_tree(meta: Any, clauses: Sequence[Any], highlight: str | None = None) -> str:
    """A policy as its clause tree: a table of contents, each top-level section collapsible, the text
    verbatim; the clause labelled `highlight` is marked (and scrolled to by the page script)."""
    facts = [f"发文：{esc(meta.issuer)}" if meta.issuer else "", f"文号：{esc(meta.doc_number)}" if meta.doc_number else "",
             f"地区：{esc(meta.region)}", f"年份：{meta.year}" if meta.year else ""]
    head = (f'<div class="pa-doc-head"><h3>{esc(meta.title)}</h3>'
            f'<div class="pa-doc-facts">{" · ".join(f for f in facts if f)}</div>')
    if meta.validity:
        warn = "⚠️ " if meta.may_be_expired else ""
        head += f'<div class="{"pa-expired" if meta.may_be_expired else "pa-validity"}">{warn}有效期：{esc(meta.validity)}</div>'
    sections = [c for c in clauses if c.parent is None and c.is_heading]
    anchor = {id(c): f"pa-sec-{re.sub(r'[^A-Za-z0-9_-]', '', str(meta.doc_id))}-{i}" for i, c in enumerate(sections, 1)}
    if len(sections) > 1:
        links = "".join(f'<a href="#{anchor[id(c)]}">{esc(c.text)}</a>' for c in sections)
        head += f'<nav class="pa-toc"><span class="pa-toc-title">目录</span>{links}</nav>'
    parts, open_section = [head + "</div>"], False
    for clause in clauses:
        if id(clause) in anchor:
            if open_section:
                parts.append("</details>")
            parts.append(f'<span class="pa-anchor" id="{anchor[id(clause)]}"></span>'
                         f'<details class="pa-section" open><summary>{esc(clause.text)}</summary>')
            open_section = True
        else:
            parts.append(_clause_line(clause, highlight))
    if open_section:
        parts.append("</details>")
    return "".join(parts)


def rule_choice_label(rule: Any, meta: Any | None) -> str:
    """The rule's name first (what people look for), then where it is: region · document · clause."""
    doc = (meta.doc_number or meta.short_title or meta.title) if meta is not None else rule.doc_id
    return f"{rule.title}｜{rule.region} · {doc} · {rule.clause}"


def rule_choices(rules: Sequence[Any], metas: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, rule_id) pairs grouped by region, then document, then clause order."""
    doc_order = {doc_id: i for i, doc_id in enumerate(metas)}
    ordered = sorted(rules, key=lambda r: (r.region, doc_order.get(r.doc_id, 99), r.doc_id))
    return [(rule_choice_label(r, metas.get(r.doc_id)), r.id) for r in ordered]
