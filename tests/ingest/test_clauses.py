"""The clause parser: the four packaged policies' real structure, no text lost, regulation style."""
from __future__ import annotations

import re

import pytest

from ingest.clauses import ParsedDocument, parse_clauses
from ingest.corpus import load_knowledge_base
from ingest.normalize import chinese_number, chinese_numeral, for_matching, remove_artefacts, strip_line

CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
      "十六", "十七", "十八"]


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(None)


def _parsed(kb, doc_id: str) -> ParsedDocument:
    return kb.documents[doc_id].parsed


def _sections(doc: ParsedDocument) -> list[str]:
    return [c.label for c in doc.clauses if c.kind == "section" and c.parent is None]


def _children(doc: ParsedDocument, parent: str, kind: str) -> list[str]:
    return [c.label for c in doc.clauses if c.parent == parent and c.kind == kind]


def assert_partition(doc: ParsedDocument) -> None:
    """Every non-blank character of the cleaned text lands in exactly one clause, in order."""
    assert re.sub(r"\s", "", "".join(c.text for c in doc.clauses)) == re.sub(r"\s", "", doc.text)
    assert all(doc.text[c.start:c.end] == c.text for c in doc.clauses)
    assert all(a.end <= b.start for a, b in zip(doc.clauses, doc.clauses[1:], strict=False))
    outside = "".join(doc.text[a.end:b.start] for a, b in zip(doc.clauses, doc.clauses[1:], strict=False))
    assert outside.strip(" \t\n\u3000\u00a0\u2002\u2003\u2009") == ""
    assert len({c.label for c in doc.clauses}) == len(doc.clauses)
    assert len({c.id for c in doc.clauses}) == len(doc.clauses)


# ---------------------------------------------------------------- the packaged corpus
def test_henan_2018_has_six_sections_holding_items_one_to_eighteen(kb):
    doc = _parsed(kb, "henan_2018_smart_mfg")
    assert _sections(doc) == [f"{n}、" for n in CN[:6]]
    items = [c for c in doc.clauses if c.kind == "item"]
    assert [c.label.split("、", 1)[1] for c in items] == [f"（{n}）" for n in CN[:18]]
    per_section = {s: len(_children(doc, s, "item")) for s in _sections(doc)}
    assert per_section == {"一、": 3, "二、": 4, "三、": 3, "四、": 1, "五、": 3, "六、": 4}
    eighth = kb.clause("henan_2018_smart_mfg", "三、（八）")
    assert eighth.text.startswith("(八)对获得国家智能制造") and eighth.headings == ("三、支持开展试点示范",)


def test_henan_2022_section_three_holds_four_items_with_numbered_points(kb):
    doc = _parsed(kb, "henan_2022_tech_upgrade")
    assert _sections(doc) == ["一、", "二、", "三、", "四、"]
    assert _children(doc, "三、", "item") == ["三、（一）", "三、（二）", "三、（三）", "三、（四）"]
    points = {item: _children(doc, item, "point") for item in _children(doc, "三、", "item")}
    assert [len(p) for p in points.values()] == [4, 2, 3, 3]
    third = kb.clause("henan_2022_tech_upgrade", "三、（一）3")
    assert "专精特新“小巨人”" in third.text
    assert third.headings == ("三、支持政策", "（一）技术改造项目") and third.parent == "三、（一）"
    assert kb.clause("henan_2022_tech_upgrade", "三、（一）").is_heading
    closing = kb.clause("henan_2022_tech_upgrade", "三、第1段")   # after the last list: back to section 三
    assert closing.text.startswith("对同一企业的同一项目") and closing.parent == "三、"


def test_hunan_has_ten_sections_of_numbered_paragraphs(kb):
    doc = _parsed(kb, "hunan_mfg_internet")
    assert _sections(doc) == [f"{n}、" for n in CN[:10]]
    assert kb.clause("hunan_mfg_internet", "二、第3段").text.startswith("对行业性、区域性工业互联网平台建设")
    assert all(c.kind in ("preamble", "section", "paragraph") for c in doc.clauses)


def test_foshan_has_eight_sections_and_its_annex_line_is_preamble(kb):
    doc = _parsed(kb, "foshan_industrial_internet")
    assert _sections(doc) == [f"{n}、" for n in CN[:8]]
    assert kb.clause("foshan_industrial_internet", "序言第1段").text == "附件"
    assert kb.clause("foshan_industrial_internet", "一、第4段").text.startswith("在落实广东省支持企业")


@pytest.mark.parametrize("doc_id", ["henan_2018_smart_mfg", "henan_2022_tech_upgrade",
                                    "hunan_mfg_internet", "foshan_industrial_internet"])
def test_no_text_lost_in_packaged_policy(kb, doc_id):
    doc = _parsed(kb, doc_id)
    assert doc.text == kb.documents[doc_id].text.replace("[bookmark: _GoBack]", "")
    assert_partition(doc)


def test_clause_ids_and_context_carry_provenance(kb):
    clause = kb.clause("henan_2022_tech_upgrade", "三、（二）1")
    assert clause.id == "henan_2022_tech_upgrade#三、（二）1"
    assert clause.context.startswith("三、支持政策 > （二）新产品推广 > 1.对经省认定的首台（套）")


# ---------------------------------------------------------------- normalisation
def test_artefacts_are_removed_and_nothing_else():
    raw = "\ufeff一、总则[bookmark: _GoBack]\r\n\u3000\u3000（一）内容[bookmark: _Toc12345]。\u200b\r\n"
    assert remove_artefacts(raw) == "一、总则\n\u3000\u3000（一）内容。\n"
    doc = parse_clauses("t", raw)
    assert [c.text for c in doc.clauses] == ["一、总则", "（一）内容。"]
    assert [c.label for c in doc.clauses] == ["一、", "一、（一）"]


def test_leading_full_width_spaces_are_indentation_not_text():
    assert strip_line("\u3000\u3000第一条\u3000为了规范管理。 \t") == "第一条\u3000为了规范管理。"


def test_for_matching_folds_width_brackets_quotes_and_spaces():
    assert for_matching("（一）“小巨人”企业，500 万元") == for_matching('(一)"小巨人"企业,500万元')
    assert for_matching("豫政办〔2022〕8号") == for_matching("豫政办[2022]8号")
    assert for_matching("ＡＢＣ１２３％") == "ABC123%"


def test_chinese_heading_numbers():
    assert [chinese_number(x) for x in ("一", "十", "十二", "二十", "二十七", "一百零三", "３")] == \
        [1, 10, 12, 20, 27, 103, 3]
    assert chinese_number("甲") is None
    assert [chinese_numeral(n) for n in (1, 10, 12, 20, 27)] == ["一", "十", "十二", "二十", "二十七"]


# ---------------------------------------------------------------- regulation style and untidy text
REGULATION = """某某市专项资金管理办法
第一章　总则
第一条　为了规范专项资金管理，制定本办法。
第二条 专项资金的使用原则：
（一）公开透明；
（二）突出重点。
第二章 支持范围
第三条 专项资金支持以下项目：
1．技术改造项目；
2．首台（套）装备项目，其中：
（1）整机；
（2）关键零部件。
第四条 对符合条件的项目，按投资额的10%给予补助，最高不超过500万元。
附则
第五条 本办法自发布之日起施行。
"""


def test_regulation_labels_carry_the_chapter():
    doc = parse_clauses("reg", REGULATION)
    labels = [c.label for c in doc.clauses]
    assert labels == [
        "序言第1段", "第一章", "第一章第一条", "第一章第二条", "第一章第二条（一）", "第一章第二条（二）",
        "第二章", "第二章第三条", "第二章第三条1", "第二章第三条2", "第二章第三条2（1）", "第二章第三条2（2）",
        "第二章第四条", "第三章", "第三章第五条",
    ]
    assert doc.by_label()["第三章"].text == "附则"     # a chapter title that lost its 第三章
    assert doc.by_label()["第二章第三条2（1）"].headings == ("第二章 支持范围", "第三条 专项资金支持以下项目：",
                                                       "2．首台（套）装备项目，其中：")
    assert_partition(doc)


def test_articles_without_chapters_are_labelled_by_article_alone():
    doc = parse_clauses("flat", "某办法\n第一条 目的。\n第二条\u3000范围：\n（一）企业；\n第三条 施行。\n")
    assert [c.label for c in doc.clauses] == ["序言第1段", "第一条", "第二条", "第二条（一）", "第三条"]


def test_articles_restarting_in_each_chapter_stay_unique():
    text = "第一章 奖项\n第一条 甲。\n第二条 乙。\n第二章 程序\n第一条 丙。\n第二条 丁。\n"
    assert [c.label for c in parse_clauses("x", text).clauses] == [
        "第一章", "第一章第一条", "第一章第二条", "第二章", "第二章第一条", "第二章第二条"]


def test_spaced_numbers_and_articles_inside_sections():
    text = "一、政策支持\n第 1 条 设立引导资金。\n二 、支持范围\n(一)投资奖励\n第 1 0 条 对项目给予奖励。\n"
    assert [c.label for c in parse_clauses("x", text).clauses] == [
        "一、", "一、第1条", "二、", "二、（一）", "二、（一）第10条"]


def test_annex_restarts_numbering_and_duplicates_get_a_suffix():
    text = ("一、总体要求\n内容。\n二、保障措施\n内容。\n附件\n推广清单\n一、甲方面\n1\n二、乙方面\n"
            "二、乙方面\n")
    labels = [c.label for c in parse_clauses("x", text).clauses]
    assert labels == ["一、", "一、第1段", "二、", "二、第1段", "附件", "附件第1段", "附件一、", "附件一、第1段",
                      "附件二、", "附件二、（重2）"]


def test_responsibility_lines_stay_with_their_item():
    text = "一、任务\n（一）落实企业投资自主权，全面推进改革。\n责任单位：市发展改革委\n（二）规范审批。\n"
    labels = [c.label for c in parse_clauses("x", text).clauses]
    assert labels == ["一、", "一、（一）", "一、（一）第1段", "一、（二）"]


def test_empty_and_blank_text_has_no_clauses():
    assert parse_clauses("x", "").clauses == []
    assert parse_clauses("x", "\n\u3000\u3000\n  \n").clauses == []
