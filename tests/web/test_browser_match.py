"""The 政策匹配 tab in a real browser (the server and page of test_browser.py): fill the form,
get the best total, the result table and the Word report. Screenshot: /tmp/policy_ui_match.png."""
from __future__ import annotations

import io

import pytest
from docx import Document
from test_browser import WAIT_MS, page, server  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = ("佛山本地工业企业。\n1. “空调总装”项目入选市级工业互联网标杆示范项目，项目已投入1500万元，没有拿过上级补助；\n"
         "2. 买了资源池本地服务商的云MES，合同130万元。")


def test_match_tab_gives_the_best_total_the_table_and_the_report(page):  # noqa: F811
    page.get_by_role("tab", name="政策匹配").click()
    page.fill("#pa-match-location textarea, #pa-match-location input", "佛山顺德")
    page.fill("#pa-match-words textarea", WORDS)
    page.click("#pa-match-btn")
    summary = page.locator("#pa-match-summary")
    page.wait_for_function("document.querySelector('#pa-match-summary').innerText.includes('合计最多可获得')",
                           timeout=WAIT_MS)
    assert "合计最多可获得350万元" in summary.inner_text().replace(" ", "")     # 300 + min(65, 50)
    table = page.locator("#pa-match-table").inner_text()
    assert "计入合计" in table and "工业互联网标杆示范项目奖补" in table
    link = page.locator("#pa-match-report a").first
    link.wait_for(timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as info:
        link.click()
    data = open(info.value.path(), "rb").read()
    assert "350万元" in "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    page.screenshot(path="/tmp/policy_ui_match.png", full_page=True)
