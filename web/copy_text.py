"""复制答复口径: an answer as plain text that pastes cleanly into WeChat or a ticket.

The figure first, the arithmetic in words ("2000万元×30%=600万元，超过上限，按500万元"), then the
文号 and clause it rests on. No Markdown, no HTML.
"""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.answer import Answer, Calculation, Citation
from web.formatting import citation_label, yuan_to_text
from web.wechat_xml import plain_text

_MIN_RULE = re.compile(r"^min\(\s*([\d.]+)万元\s*[×x*]\s*([\d.]+)%\s*,\s*([\d.]+)万元\s*\)\s*=\s*([\d.]+)万元$")


def _wan(value: Decimal) -> str:
    return f"{value.normalize():f}万元"


def formula_in_words(formula: str) -> str:
    """min(2000万元 × 30%, 500万元) = 500万元 -> 2000万元×30%=600万元，超过上限，按500万元."""
    m = _MIN_RULE.match(formula.strip())
    if not m:
        return re.sub(r"\s*([×=+\-])\s*", r"\1", formula.strip())
    base, rate, cap, _result = (Decimal(g) for g in m.groups())
    product = base * rate / 100
    head = f"{_wan(base)}×{rate.normalize():f}%={_wan(product)}"
    if product > cap:
        return f"{head}，超过上限，按{_wan(cap)}"
    return f"{head}，未超过上限{_wan(cap)}，按{_wan(product)}"


def source_line(c: Citation) -> str:
    """《title》（文号）clause label."""
    return citation_label(c)


def calculation_line(calc: Calculation) -> str:
    if calc.eligible and calc.amount_yuan is not None:
        lead = "最高可获得" if calc.is_maximum else "可获得"
        words = f"（{formula_in_words(calc.formula)}）" if calc.formula else ""
        return f"{calc.title}：{lead}{yuan_to_text(calc.amount_yuan)}{words}；依据{source_line(calc.citation)}。"
    why = f"：{calc.reason}" if calc.reason else ""
    return f"{calc.title}：暂不符合条件{why}；依据{source_line(calc.citation)}。"


def answer_copy_text(answer: Answer) -> str:
    """The answer's text, each calculation in words, and the sources, as plain text."""
    parts = [calculation_line(c) for c in answer.calculations]
    body = plain_text(answer.answer)
    body = "\n".join(line for line in body.splitlines() if not line.startswith(("计算：", "依据：")))
    parts.append(re.sub(r"\n{3,}", "\n\n", body).strip())
    sources = list(dict.fromkeys(source_line(c) for c in [*[c.citation for c in answer.calculations],
                                                           *answer.citations]))
    if sources:
        parts.append("政策依据：" + "；".join(sources[:5]) + "。")
    return "\n".join(p for p in parts if p)
