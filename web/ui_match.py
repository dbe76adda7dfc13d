"""The 政策匹配 tab: a form (location, titles with level and validity, projects with what they are,
amounts and stage, upper-level money, declaration year) -> the result table and a Word report.

Pure handlers over the service (assistant/match_service.py); the form's words are read with the
same vocabulary as the chat (knowledge/facts.yaml, knowledge/lexicon.yaml)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.compose import wan
from assistant.match_report import STATUS_NAMES, report_docx
from errors import PolicyError

PRIVATE = {"api_visibility": "private"}
TITLE_HEADERS = ["称号或认定（如：国家级专精特新小巨人、头雁企业、佛山本地工业企业）", "级别（国家级/省级/市级）", "在有效期内（是/否）"]
PROJECT_HEADERS = ["项目名称", "项目情况（类别、认定、金额，如：入选市级工业互联网标杆示范项目，已投入1500万元）",
                   "已获上级补助（如 300万，没有填 0）", "阶段（如：已列入培育名单、已通过验收）"]
RESULT_HEADERS = ["状态", "奖补事项", "项目", "金额（万元）", "依据条款", "说明"]
_YES = {"是", "有效", "yes", "y", "true", "1", "√", ""}


def _rows(table: Any) -> list[list[str]]:
    """Non-empty rows of a Dataframe value (a pandas frame or a list of lists)."""
    values = table.values.tolist() if hasattr(table, "values") else (table or [])
    return [[("" if v is None else str(v)).strip() for v in row] for row in values
            if any(str(v).strip() for v in row if v is not None)]


class MatchHandlers:
    def __init__(self, service: Any):
        self.service = service

    def _matcher(self):
        from assistant.match_service import match_service
        return match_service(self.service)

    def profile_data(self, location: str, year: Any, words: str, titles: Any, projects: Any) -> dict:
        """The form as a profile (docs/profile_example.yaml)."""
        reader = self._matcher().builder.reader.reader
        data: dict[str, Any] = {"location": (location or "").strip(), "description": (words or "").strip()}
        if year not in (None, "", 0):          # an empty number box sends 0
            data["declaration_year"] = int(float(year))
        data["titles"] = []
        for name, level, valid in (row[:3] + [""] * (3 - len(row[:3])) for row in _rows(titles)):
            facts = list(reader.read(name).facts)
            if not facts:
                raise PolicyError("bad_profile", f"无法识别称号或认定：“{name}”")
            data["titles"].append({"fact": facts[0], "level": level or None, "valid": valid.lower() in _YES})
        data["projects"] = []
        for row in _rows(projects):
            name, words_, upper, stage = (row + [""] * 4)[:4]
            project: dict[str, Any] = {"name": name, "description": words_ or name}
            if upper:
                project["upper_subsidy"] = upper
            if stage:
                read = reader.read(stage).stage
                project["stage"] = read
            data["projects"].append(project)
        return data

    def run(self, location: str, year: Any, words: str, titles: Any, projects: Any):
        """(summary Markdown, result rows, the report file or None)."""
        from assistant.match_service import match_text
        try:
            data = self.profile_data(location, year, words, titles, projects)
            result = self._matcher().match(data)
        except (PolicyError, ValueError) as err:
            message = err.message if isinstance(err, PolicyError) else "申报年度应为数字"
            return f"**无法匹配**：{message}", [], None
        rows = [[STATUS_NAMES[a.status], a.title, a.project or "—", wan(a.amount_yuan) if a.amount_yuan else "—",
                 f"《{a.citation.title}》{a.citation.clause}", a.reason or a.formula]
                for a in result.awards if a.mentioned]
        folder = Path(tempfile.mkdtemp(prefix="policy-match-"))
        path = folder / "政策匹配报告.docx"
        path.write_bytes(report_docx(result))
        return match_text(result), rows, str(path)


def match_tab(service: Any) -> None:
    handlers = MatchHandlers(service)
    gr.Markdown("填写企业所在地、称号认定和项目情况，列出能享受的全部奖补、按文件的不重复享受规定算出最优合计，并可下载报告。")
    with gr.Row(equal_height=True, elem_classes="pa-stack"):
        location = gr.Textbox(label="企业所在地（如：广东省佛山市顺德区、郑州）", scale=3, elem_id="pa-match-location")
        year = gr.Number(label="申报年度", value=None, precision=0, scale=1, elem_id="pa-match-year")
    words = gr.Textbox(label="企业情况（可选，用文字写：佛山本地工业企业、非头雁企业…）", lines=2, elem_id="pa-match-words")
    titles = gr.Dataframe(headers=TITLE_HEADERS, value=[["", "", ""]], row_count=(1, "dynamic"), column_count=(3, "fixed"),
                          datatype=["str", "str", "str"], label="称号与认定", interactive=True, elem_id="pa-match-titles")
    projects = gr.Dataframe(headers=PROJECT_HEADERS, value=[["", "", "", ""]], row_count=(1, "dynamic"),
                            column_count=(4, "fixed"), datatype=["str"] * 4, label="项目（每行一个项目、产品或合同）",
                            interactive=True, elem_id="pa-match-projects")
    button = gr.Button("匹配政策", variant="primary", elem_id="pa-match-btn")
    summary = gr.Markdown(elem_id="pa-match-summary")
    table = gr.Dataframe(headers=RESULT_HEADERS, value=[], interactive=False, label="逐条结果", elem_id="pa-match-table")
    report = gr.File(label="匹配报告（Word）", interactive=False, elem_id="pa-match-report")
    button.click(handlers.run, [location, year, words, titles, projects], [summary, table, report], **PRIVATE)
