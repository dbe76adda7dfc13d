"""Review in a real browser: `python app.py` with ADMIN_TOKEN over a data directory with one ingested
policy; Debian's Chromium through Playwright: refused with a wrong token, then a draft beside its
highlighted clause, a field edited, accepted (pack file, store record), another rejected; coverage.

Screenshots go to /tmp/policy_review_*.png.
"""
from __future__ import annotations

import os
import sys

import pytest
import yaml

from ingest.store import IngestItem, add_policies
from web.store import Store, default_url

sys.path.insert(0, os.path.dirname(__file__))
from test_browser import WAIT_MS, browser_page, served  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOKEN = "review-token-42"
POLICY = ("某市扶持办法\n第一条 对新认定的智能工厂，给予一次性奖励100万元。\n"
          "第二条 对技术改造项目，按照设备投资的10%给予补助，最高不超过200万元。\n")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    policy = folder / "p.txt"
    policy.write_text(POLICY, encoding="utf-8")
    add_policies(folder / "data", [IngestItem(policy, {"region": "某省某市"})], progress=False)
    return folder / "data"


@pytest.fixture(scope="module")
def server(data_dir):
    with served(data_dir, ADMIN_TOKEN=TOKEN) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    with browser_page(server, height=1100) as page:
        yield page


def _status(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('#pa-admin-status').innerText.includes(t)", arg=text,
                           timeout=WAIT_MS)


def _pick(page, clause: str) -> None:
    page.click("#pa-admin-draft input")
    page.get_by_role("option").filter(has_text=clause).first.click()
    page.wait_for_function("t => document.querySelector('#pa-admin-clause').innerText.includes(t)", arg=clause,
                           timeout=WAIT_MS)


def test_review_a_draft_in_the_browser(page, data_dir):
    page.get_by_role("tab", name="规则复核").click()
    page.locator("#pa-admin-token input").fill("wrong")
    page.click("#pa-admin-enter")
    _status(page, "管理口令不正确")
    page.locator("#pa-admin-token input").fill(TOKEN)
    page.locator("#pa-admin-by input, #pa-admin-by textarea").first.fill("王五")
    page.click("#pa-admin-enter")
    _status(page, "2 条草稿待复核")
    assert "某市扶持办法" in page.locator("#pa-admin-coverage").text_content()

    _pick(page, "第二条")
    mark = page.locator("#pa-admin-clause mark")
    assert mark.inner_text() == "第二条 对技术改造项目，按照设备投资的10%给予补助，最高不超过200万元。"
    editor = page.locator("#pa-admin-rule .cm-content")
    editor.wait_for(timeout=WAIT_MS)
    page.wait_for_function("document.querySelector('#pa-admin-rule .cm-content').innerText.includes('status: draft')",
                           timeout=WAIT_MS)
    drafts = yaml.safe_load((data_dir / "packs" / "p" / "rules.yaml").read_text(encoding="utf-8"))
    record = next(r for r in drafts if r["clause"] == "第二条")          # what the editor shows
    record["title"] = "技术改造设备投资补助（已复核）"
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))
    page.screenshot(path="/tmp/policy_review_draft.png", full_page=True)
    page.click("#pa-admin-accept")
    _status(page, "已接受")

    saved = yaml.safe_load((data_dir / "packs" / "p" / "rules.yaml").read_text(encoding="utf-8"))
    accepted = next(r for r in saved if r["clause"] == "第二条")
    assert accepted["status"] == "reviewed" and accepted["title"] == "技术改造设备投资补助（已复核）"

    _pick(page, "第一条")
    page.click("#pa-admin-reject")
    _status(page, "已驳回")
    page.screenshot(path="/tmp/policy_review_done.png", full_page=True)
    saved = yaml.safe_load((data_dir / "packs" / "p" / "rules.yaml").read_text(encoding="utf-8"))
    assert [r["clause"] for r in saved] == ["第二条"]
    reviews = Store(default_url(data_dir)).list_reviews()
    assert [(r["decision"], r["reviewer"]) for r in reviews] == [("rejected", "王五"), ("accepted", "王五")]
    assert reviews[1]["changes"] == {"title": "技术改造设备投资补助（已复核）"}
    assert "（reviewed）" in page.locator("#pa-admin-coverage").text_content()
