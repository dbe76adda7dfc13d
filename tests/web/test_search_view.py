"""条款检索 honesty (issue 13, items 8 and 9) over the real corpus through the fake service."""
from __future__ import annotations

import re

from fake_service import KB, FakeService

from web.search_view import is_body, search_html


def _cards(html: str) -> list[str]:
    return re.findall(r'<div class="pa-hit">.*?(?=<div class="pa-hit">|<div class="pa-count|$)', html, re.S)


def test_exact_matches_come_first_with_their_true_count():
    term = "工控安全"
    truth = [c for c in KB.clauses if term in c.text and is_body(c)]
    html = search_html(FakeService(), term, None, None, 3)
    assert f"共 {len(truth)} 条条款包含“{term}”" in html
    assert len(truth) > 0


def test_no_heading_without_a_body_and_no_title_fragments():
    html = search_html(FakeService(), "附件", None, None, 20)
    headings = {c.text for c in KB.clauses if not is_body(c)}
    texts = re.findall(r'<div class="pa-hit-text">(.*?)</div>', html, re.S)
    assert all(re.sub("<[^>]+>", "", t) not in headings for t in texts)


def test_a_clause_is_found_by_doc_number_and_label_written_any_way():
    for query in ("豫政办〔2022〕8号 三、（一）3", "豫政办[2022]8号三、（一）3", "豫政办(2022)8号 三、（一）3"):
        html = search_html(FakeService(), query, None, None, 8)
        assert "找到条款 1 条" in html, query
        assert '<span class="pa-clause">三、（一）3</span>' in html
    whole = search_html(FakeService(), "豫政办〔2022〕8号", None, None, 8)
    assert "找到文件" in whole and "在原文中查看" in whole


def test_a_hit_with_an_award_rule_offers_go_calculate():
    html = search_html(FakeService(), "豫政办〔2022〕8号 三、（一）3", None, None, 8)
    assert 'class="pa-calc-go" type="button" data-rule="henan2022_xiaojuren_equipment">去计算</button>' in html
    assert 'class="pa-goto" href="#pa-goto=henan_2022_tech_upgrade%7C' in html
