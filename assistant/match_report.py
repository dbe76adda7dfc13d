"""The match as a Word document to keep: the profile, the awards with amounts and clauses, the
total, the date and the documents' validity (python-docx)."""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt

from assistant.compose import wan
from assistant.match_model import MatchResult

STATUS_NAMES = {"selected": "计入合计", "alternative": "备选（不能同时享受）",
                "missing_facts": "待确认", "ineligible": "不符合"}


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _profile(doc, result: MatchResult) -> None:
    p = result.profile or {}
    doc.add_heading("一、企业画像", level=2)
    doc.add_paragraph(f"所在地：{p.get('location') or '未填写'}")
    if p.get("declaration_year"):
        doc.add_paragraph(f"申报年度：{p['declaration_year']}")
    if p.get("facts"):
        doc.add_paragraph("企业情况：" + "；".join(p["facts"]))
    for i, project in enumerate(p.get("projects", []), 1):
        facts = "；".join(project.get("facts", [])) or "—"
        doc.add_paragraph(f"项目{i}：{project.get('name')}（{facts}）")


def _awards(doc, result: MatchResult) -> None:
    doc.add_heading("二、匹配结果", level=2)
    doc.add_paragraph(f"最优组合合计：{wan(result.total_yuan)}万元（{result.total_yuan:,}元）")
    if result.payable_later_yuan or result.paid_yuan:
        doc.add_paragraph(f"按项目所处阶段：现在可申请拨付{wan(result.payable_now_yuan)}万元；"
                          f"通过验收后再拨付{wan(result.payable_later_yuan)}万元"
                          + (f"；已拨付{wan(result.paid_yuan)}万元" if result.paid_yuan else ""))
    shown = [a for a in result.awards if a.mentioned]
    rows = [[STATUS_NAMES[a.status], a.title, a.project or "—",
             wan(a.amount_yuan) if a.amount_yuan else "—",
             f"《{a.citation.title}》{a.citation.clause}", a.reason or a.formula] for a in shown]
    _table(doc, ["状态", "奖补事项", "项目", "金额（万元）", "依据条款", "说明"], rows)
    if result.unlock:
        doc.add_paragraph("还可以争取：" + "；".join(f"如{u.label}，合计还可增加{wan(u.gain_yuan)}万元"
                                                  for u in result.unlock))
    if result.missing_facts:
        doc.add_paragraph("还需确认：" + "；".join(m.label for m in result.missing_facts))


def _documents(doc, result: MatchResult) -> None:
    doc.add_heading("三、依据文件及有效性", level=2)
    rows = [[d.title, d.doc_number or "—", ("可能已失效：" if d.may_be_expired else "") + (d.validity or "—")]
            for d in result.documents]
    _table(doc, ["文件", "文号", "有效性"], rows)


def report_docx(result: MatchResult, today: date | None = None) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading("政策匹配报告", level=1)
    doc.add_paragraph(f"生成日期：{(today or date.today()).isoformat()}")
    _profile(doc, result)
    _awards(doc, result)
    _documents(doc, result)
    doc.add_paragraph("说明：“按不超过X%给予补助”的按上限计算，为最高可获得金额；可能已失效的文件只列出、不计入合计；"
                      "具体以主管部门当年申报通知和审核为准。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
