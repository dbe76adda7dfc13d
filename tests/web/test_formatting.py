"""Pure formatting: answers to cards, hits to highlighted HTML, everything escaped."""
from __future__ import annotations

import re

from fake_service import KB, FakeHit, FakeService

from assistant.answer import Answer, Calculation, Citation, Instalment
from web.formatting import (
    answer_message,
    book_title,
    calculation_card,
    citation_card,
    citation_copy_text,
    document_tree,
    highlight,
    hits_html,
    rule_choices,
    safe_markdown,
    yuan_to_text,
)

SVC = FakeService()
LITTLE_GIANT = SVC.citation("henan_2022_tech_upgrade", "三、（一）3")
OLD_HENAN = SVC.citation("henan_2018_smart_mfg", "三、（九）")


def unspan(html: str) -> str:
    """The message without the figure spans (<span class="pa-num">500万元</span> -> 500万元)."""
    return re.sub(r'<span class="pa-num">([^<]*)</span>', r"\1", html)


def test_money_in_wan_as_the_policies_speak():
    assert yuan_to_text(5_000_000) == "500万元"
    assert yuan_to_text(1_234_500) == "123.45万元"
    assert yuan_to_text(100_000) == "10万元"
    assert yuan_to_text(8000) == "8000元"
    assert yuan_to_text(None) == "—"


def test_citation_card_has_title_region_number_label_and_verbatim_text():
    card = citation_card(LITTLE_GIANT, 1)
    assert card.startswith('<details class="pa-card">')
    for part in ("河南省人民政府办公厅关于开展企业技术改造提升行动", "河南省", "豫政办〔2022〕8号", "三、（一）3",
                 "补助金额最高不超过500万元"):
        assert part in card
    assert "可能已过期" not in card
    assert citation_card(LITTLE_GIANT, open_=True).startswith('<details class="pa-card" open>')


def test_expired_policy_gets_a_warning():
    card = citation_card(OLD_HENAN)
    assert "可能已过期" in card and "行动计划期限至2020年" in card
    message = answer_message(Answer(answer="见条款。", citations=[OLD_HENAN, LITTLE_GIANT]))
    assert message.count('class="pa-warning"') == 1
    assert "《河南省支持智能制造和工业互联网发展若干政策》可能已过期" in message
    told = answer_message(Answer(answer="⚠️ 《河南省支持智能制造和工业互联网发展若干政策》可能已过有效期。",
                                 citations=[OLD_HENAN]))
    assert 'class="pa-warning"' not in told and "可能已过期" in told      # said once; the card keeps its badge


def test_answer_message_shows_text_calculation_and_sources():
    calc = SVC.calculate("henan2022_xiaojuren_equipment", {"investment_yuan": 20_000_000})
    answer = Answer(answer="最高可获得**500万元**。", calculations=[calc], citations=[LITTLE_GIANT],
                    follow_up="贵企业是否仍在“小巨人”有效期内？")
    message = answer_message(answer)
    assert message.startswith('最高可获得**<span class="pa-num">500万元</span>**。')   # a figure never wraps from its unit
    assert '<div class="pa-figure">最高可获得 <b><span class="pa-num">500万元</span></b></div>' in message
    assert "min(2000万元 × 30%, 500万元) = 500万元" in unspan(message)
    assert "还需要确认" in message and "有效期内" in message
    assert message.count("<details") == 1 and "引用条款" in message


def test_a_formula_already_in_the_text_is_not_repeated():
    calc = SVC.calculate("henan2022_xiaojuren_equipment", {"investment_yuan": 20_000_000})
    answer = Answer(answer=f"最高可获得500万元\n\n计算：{calc.formula}", calculations=[calc])
    assert 'class="pa-calc"' not in answer_message(answer)


def test_ineligible_and_instalments():
    calc = Calculation(rule_id="r", title="平台奖补", eligible=False, reason="投资不低于1000万元方可申报",
                       citation=LITTLE_GIANT)
    card = calculation_card(calc)
    assert "暂不符合条件" in card and "投资不低于1000万元方可申报" in card
    staged = Calculation(rule_id="r", title="平台", eligible=True, amount_yuan=5_000_000, formula="500万元",
                         instalments=[Instalment(stage="列入培育名单后", share="40%", amount_yuan=2_000_000),
                                      Instalment(stage="通过验收后", share="60%", amount_yuan=3_000_000)],
                         is_maximum=False, citation=LITTLE_GIANT)
    card = calculation_card(staged)
    assert '可获得 <b><span class="pa-num">500万元</span></b>' in card and "最高" not in card.split("pa-figure")[1][:20]
    assert "列入培育名单后：40%，200万元" in card and "通过验收后：60%，300万元" in card


def test_everything_from_data_or_users_is_escaped():
    evil = Citation(doc_id="x", title="<script>alert(1)</script>", region="<b>省</b>", clause="一、",
                    text='条款 <img src=x onerror="alert(1)"> & 更多', doc_number='"><i>')
    card = citation_card(evil)
    assert "<script>" not in card and "<img" not in card and '"><i>' not in card
    assert "&lt;script&gt;" in card and "&amp; 更多" in card
    message = answer_message(Answer(answer="回答 <iframe src=//evil> **加粗** &copy;"))
    assert "<iframe" not in message and "&lt;iframe" in message and "**加粗**" in message
    assert "&amp;copy;" in message
    assert safe_markdown("> 引用") == "> 引用"          # Markdown itself survives


def test_highlight_marks_terms_and_escapes_the_rest():
    out = highlight("对<小巨人>企业给予小巨人补助", ["小巨人", "补助"])
    assert out == "对&lt;<mark>小巨人</mark>&gt;企业给予<mark>小巨人</mark><mark>补助</mark>"
    assert highlight("a & b", []) == "a &amp; b"
    assert highlight("amp & amp", ["amp"]) == "<mark>amp</mark> &amp; <mark>amp</mark>"
    assert highlight("智能化改造项目", ["智能化", "智能化改造"]) == "<mark>智能化改造</mark>项目"


def test_hits_are_ranked_cards_with_copy_text():
    hits = SVC.search("小巨人 设备", k=3)
    html = hits_html(hits, "小巨人 设备")
    assert f"共找到 {len(hits)} 条" in html
    assert '<span class="pa-rank">1</span>' in html and "<mark>小巨人</mark>" in html
    copy = citation_copy_text(LITTLE_GIANT)
    assert copy.startswith("《河南省人民政府办公厅关于开展企业技术改造提升行动促进制造业高质量发展的实施意见》（豫政办〔2022〕8号）三、（一）3：3.对")
    assert "data-copy=\"《" in html
    assert "没有找到相关条款" in hits_html([], "火星")


def test_hit_with_rules_and_expired_document():
    clause = KB.clause("henan_2018_smart_mfg", "三、（九）")
    hit = FakeHit(clause, KB.meta("henan_2018_smart_mfg"), 0.5, ("henan2018_smart_transformation",), ("智能化改造",))
    html = hits_html([hit])
    assert "含奖补规则 1 条" in html and "可能已过期" in html and "<mark>智能化改造</mark>" in html


def test_document_tree_is_collapsible_sections_with_every_clause():
    doc = KB.documents["henan_2022_tech_upgrade"]
    html = document_tree(doc.meta, doc.clauses)
    assert html.count('<details class="pa-section" open>') == sum(
        1 for c in doc.clauses if c.parent is None and c.is_heading)
    assert html.count("<details") == html.count("</details>")
    for clause in doc.clauses:
        assert clause.label in html
    assert "豫政办〔2022〕8号" in html


def test_rule_choices_grouped_by_region_then_document():
    metas = {m.doc_id: m for m in SVC.documents()}
    choices = rule_choices(SVC.list_rules(), metas)
    labels = [label for label, _ in choices]
    assert len(labels) == len(SVC.list_rules())
    groups = [tuple(label.split("｜")[1].split(" · ")[:2]) for label in labels]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(runs) == len(set(groups))                 # each (region, document) is one block
    # the rule's name leads (what people scan for; on a phone the rest may be cut off)
    assert "国家级专精特新“小巨人”企业设备、软件投资补助｜河南省 · 豫政办〔2022〕8号 · 三、（一）3" in labels
    rules = {r.id: r for r in SVC.list_rules()}
    assert all(label.startswith(rules[rule_id].title + "｜") for label, rule_id in choices)


def test_a_title_inside_a_title_gets_single_book_marks():
    hunan = SVC.citation("hunan_mfg_internet", "八、第3段")
    assert citation_copy_text(hunan).startswith(
        "《湖南省人民政府办公厅印发〈深化制造业与互联网融合发展的若干政策措施〉的通知》八、第3段：")
    assert book_title("无嵌套标题") == "《无嵌套标题》"


def test_the_figure_line_of_a_calculated_answer_is_a_headline():
    calc = SVC.calculate("henan2022_xiaojuren_equipment", {"investment_yuan": 12_000_000})
    text = f"**最高可获得360万元**（国家级专精特新“小巨人”企业设备、软件投资补助）\n\n计算：{calc.formula}"
    message = answer_message(Answer(answer=text, calculations=[calc], citations=[LITTLE_GIANT]))
    assert message.startswith('<div class="pa-headline"><b>最高可获得<span class="pa-num">360万元</span></b>（国家级专精特新“小巨人”')
    assert f"\n\n计算：{calc.formula}" in unspan(message) and 'class="pa-calc"' not in message
    plain = answer_message(Answer(answer="**注意**：这是查询，不是计算。"))      # no calculation: left as Markdown
    assert plain.startswith("**注意**") and "pa-headline" not in plain
    evil = answer_message(Answer(answer="**<img src=x onerror=alert(1)>**后文", calculations=[calc]))
    assert "<img" not in evil and "&lt;img" in evil


def test_the_answers_own_expiry_warning_is_boxed_once():
    text = "结论。\n\n⚠️ 《河南省支持智能制造和工业互联网发展若干政策》可能已过有效期：请确认。"
    message = answer_message(Answer(answer=text, citations=[OLD_HENAN]))
    assert message.count('<div class="pa-told-warning">⚠️ 《河南省支持智能制造') == 1
    assert 'class="pa-warning"' not in message


def test_hit_head_shows_the_short_title_with_the_full_one_as_tooltip_and_copy_text():
    [hit, *_] = SVC.search("小巨人", k=1)
    html = hits_html([hit], "小巨人")
    assert '<b title="河南省人民政府办公厅关于开展企业技术改造提升行动促进制造业高质量发展的实施意见">河南技术改造提升行动实施意见</b>' in html
    assert 'class="pa-hit-meta"' in html and "豫政办〔2022〕8号" in html
    assert 'data-copy="《河南省人民政府办公厅关于开展企业技术改造提升行动' in html


def test_document_tree_has_a_table_of_contents_linking_each_section():
    doc = KB.documents["henan_2022_tech_upgrade"]
    html = document_tree(doc.meta, doc.clauses)
    sections = [c for c in doc.clauses if c.parent is None and c.is_heading]
    assert '<nav class="pa-toc">' in html
    for i, section in enumerate(sections, 1):
        anchor = f"pa-sec-henan_2022_tech_upgrade-{i}"
        assert f'<a href="#{anchor}">{section.text}</a>' in html
        assert f'<span class="pa-anchor" id="{anchor}"></span><details class="pa-section" open><summary>{section.text}' in html
    assert 'style="--pa-depth:' in html
