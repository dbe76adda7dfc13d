"""Loaders: docx, pdf and html files made here round-trip to the same clauses as the text."""
from __future__ import annotations

from pathlib import Path

import pytest

from errors import PolicyError
from ingest.clauses import parse_clauses
from ingest.loaders import join_wrapped_lines, load_text

POLICY = """某市支持制造业高质量发展的若干措施
为加快制造业转型升级，结合本市实际，制定如下措施。
一、支持技术改造
（一）对企业实施的技术改造项目，按照设备和软件投资额的10%给予补助，单个项目最高不超过500万元。项目须在本市注册并纳税，且投资额不低于1000万元（含）。
（二）对获得国家级专精特新“小巨人”称号的企业，一次性奖励100万元。
二、支持平台建设
对新认定的省级以上制造业创新中心，给予最高1000万元支持，资金分三年拨付，每年根据绩效评价结果确定拨付金额，评价不合格的停止拨付。
1．国家级平台按实际投资的30%给予补助；
2．省级平台按实际投资的20%给予补助。
三、附则
本措施自发布之日起施行，有效期三年。
"""
TABLE = [["序号", "奖励事项", "标准"], ["1", "小巨人企业", "100万元"], ["2", "创新中心", "1000万元"]]


def _clauses(text: str) -> list[tuple[str, str]]:
    return [(c.label, c.text) for c in parse_clauses("doc", text).clauses]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- makers
def make_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        document.add_paragraph("以上表格为奖励标准汇总。")
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(line, style) for line in lines])
    return path


def make_html(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    body = "\n".join(f"<p>{line[:20]}\n    {line[20:]}</p>" if len(line) > 40 else f"<p>{line}</p>"
                     for line in lines)
    page = f"""<!DOCTYPE html><html><head><meta charset="{encoding}"><title>政策文件</title>
<style>p {{ text-indent: 2em; }}</style><script>var 统计 = "不应出现";</script></head>
<body><header>某市人民政府门户网站</header>
<nav><a href="/">首页</a> <a href="/zc">政策文件</a></nav>
<div class="sidebar"><h3>相关文件</h3><ul><li>关于印发某某办法的通知</li></ul></div>
<div class="TRS_Editor">{body}</div>
<footer>主办单位：某市人民政府办公室 版权所有</footer></body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


# ---------------------------------------------------------------- round trips
def test_txt_in_utf8_with_bom_and_gb18030(tmp_path):
    (tmp_path / "a.txt").write_bytes(POLICY.encode("utf-8-sig"))
    (tmp_path / "b.txt").write_bytes(POLICY.replace("\n", "\r\n").encode("gb18030"))
    assert _clauses(load_text(tmp_path / "a.txt")) == _clauses(POLICY)
    assert _clauses(load_text(tmp_path / "b.txt")) == _clauses(POLICY)


def test_docx_paragraphs_in_order_and_table_cells_as_paragraphs(tmp_path):
    path = make_docx(tmp_path / "policy.docx", _lines(POLICY), TABLE)
    text = load_text(path)
    expected = POLICY + "".join(f"{cell}\n" for row in TABLE for cell in row) + "以上表格为奖励标准汇总。\n"
    assert _clauses(text) == _clauses(expected)


def test_pdf_rejoins_lines_wrapped_by_the_layout(tmp_path):
    path = make_pdf(tmp_path / "policy.pdf", _lines(POLICY))
    from pypdf import PdfReader

    raw_lines = PdfReader(str(path)).pages[0].extract_text().splitlines()
    assert len(raw_lines) > len(_lines(POLICY))          # the layout did wrap long paragraphs
    assert _clauses(load_text(path)) == _clauses(POLICY)


def test_pdf_over_several_pages_drops_page_numbers(tmp_path):
    lines = _lines(POLICY) * 1
    many = [lines[0]] + [f"{n}．第{n}项措施的具体内容，对符合条件的企业给予支持，具体标准由主管部门另行制定。"
                         for n in range(1, 60)]
    path = make_pdf(tmp_path / "long.pdf", many)
    text = load_text(path)
    assert _clauses(text) == _clauses("\n".join(many))


def test_html_main_text_without_navigation_scripts_or_footer(tmp_path):
    text = load_text(make_html(tmp_path / "policy.html", _lines(POLICY)))
    assert _clauses(text) == _clauses(POLICY)
    for noise in ("首页", "不应出现", "版权所有", "门户网站", "相关文件"):
        assert noise not in text


def test_html_in_gbk_with_htm_extension(tmp_path):
    text = load_text(make_html(tmp_path / "policy.htm", _lines(POLICY), encoding="gbk"))
    assert _clauses(text) == _clauses(POLICY)


def test_join_wrapped_lines_keeps_headings_and_sentence_ends():
    lines = ["一、总体要求", "对企业实施的技术改造项目按照设备投资额的百分之十给", "予补助，单个项目最高五百万元。",
             "二、保障措施", "（一）加强组织领导，各地要建立工作机制，明确责任分", "工，确保落实。"]
    assert join_wrapped_lines(lines).split("\n") == [
        "一、总体要求", "对企业实施的技术改造项目按照设备投资额的百分之十给予补助，单个项目最高五百万元。",
        "二、保障措施", "（一）加强组织领导，各地要建立工作机制，明确责任分工，确保落实。"]
    assert join_wrapped_lines(["Policy text in English that wraps at the", "line end."]) == \
        "Policy text in English that wraps at the line end."


# ---------------------------------------------------------------- failures: PolicyError, never a traceback
@pytest.mark.parametrize("name,content,code", [
    ("empty.txt", b"", "empty_file"),
    ("empty.docx", b"", "empty_file"),
    ("blank.txt", "\n\u3000\u3000\n".encode(), "empty_file"),
    ("english.txt", b"This is not a policy.", "no_chinese_text"),
    ("binary.txt", b"\x00\x01\x02\xff\xfe\x00", "unreadable_file"),
    ("broken.docx", b"PK\x03\x04 this is not a zip archive", "unreadable_file"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "unreadable_file"),
    ("notes.doc", "第一条 旧格式".encode(), "unsupported_format"),
    ("policy.xlsx", "第一条".encode(), "unsupported_format"),
    ("noext", "第一条".encode(), "unsupported_format"),
])
def test_bad_files_raise_policy_error_in_chinese(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PolicyError) as err:
        load_text(path)
    assert err.value.code == code
    assert name in err.value.message or code == "unsupported_format"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)


def test_missing_file(tmp_path):
    with pytest.raises(PolicyError) as err:
        load_text(tmp_path / "nowhere.txt")
    assert err.value.code == "file_not_found"


def test_pdf_without_text_layer_is_rejected(tmp_path):
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"))
    pdf.rect(50, 50, 200, 200)                  # a drawing, as in a scanned page: no text at all
    pdf.showPage()
    pdf.save()
    with pytest.raises(PolicyError) as err:
        load_text(tmp_path / "scan.pdf")
    assert err.value.code == "empty_file" and "扫描件" in err.value.message


def test_docx_without_chinese_is_rejected(tmp_path):
    with pytest.raises(PolicyError) as err:
        load_text(make_docx(tmp_path / "en.docx", ["Only English here."]))
    assert err.value.code == "no_chinese_text"


def test_docx_merged_cells_are_read_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("一、奖励标准")
    grid = document.add_table(rows=2, cols=3)
    merged = grid.cell(0, 0).merge(grid.cell(0, 2))
    merged.text = "奖励标准汇总表"
    for c, value in enumerate(["甲类", "乙类", "丙类"]):
        grid.cell(1, c).text = value
    document.save(str(tmp_path / "merged.docx"))
    assert load_text(tmp_path / "merged.docx").split("\n")[:5] == ["一、奖励标准", "奖励标准汇总表", "甲类", "乙类", "丙类"]
