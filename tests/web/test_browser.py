"""The real server in a subprocess, driven by Debian's Chromium through Playwright: all four tabs.

Screenshots go to /tmp/policy_ui_*.png.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from web.store import Store, default_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUESTION = "河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？"
WAIT_MS = 30_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url + "healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError("server did not become healthy")


@contextmanager
def served(data_dir: Path, **env_extra: str):
    """`python app.py` (the README's main job, no sub-command) on a free loopback port over
    `data_dir`; yields its URL and stops it (terminate, then kill) afterwards."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("API_KEYS", "DATABASE_URL", "WECHAT_TOKEN")}
    # one browser runs a whole walk-through; the UI's rate limit has its own tests
    env.update(GRADIO_ANALYTICS_ENABLED="False", UI_RATE_LIMIT="1000/minute", **env_extra)
    proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
                             "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(real_data_dir):
    with served(real_data_dir) as url:
        yield url


@contextmanager
def browser_page(url: str, height: int = 1000, clipboard: bool = False):
    """Debian's Chromium (installed if absent) on the served app at 1280 px, the chat ready."""
    if not os.path.exists(CHROMIUM):
        subprocess.run(["bash", str(ROOT / "scripts" / "install_browser.sh")], check=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": height}, locale="zh-CN")
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#pa-question textarea", timeout=WAIT_MS)
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(server):
    with browser_page(server, clipboard=True) as page:
        yield page


def _bot_messages(page):
    return page.locator("#pa-chat .message-row.bot-row, #pa-chat [data-testid='bot']")


def test_chat_answers_with_the_figure_and_a_source_card(page, real_data_dir):
    page.locator("#pa-chat button").filter(has_text="设备软件投资2000万元").first.click()   # an example
    card = page.locator("#pa-chat details.pa-card").first
    card.wait_for(timeout=WAIT_MS)
    assert "最高可获得500万元" in _bot_messages(page).last.inner_text().replace(" ", "")
    summary = card.locator("summary")
    assert "三、（一）3" in summary.inner_text() and "豫政办〔2022〕8号" in summary.inner_text()
    summary.click()
    quote = card.locator(".pa-quote")
    quote.wait_for(state="visible", timeout=WAIT_MS)
    assert "补助金额最高不超过500万元" in quote.inner_text()
    page.screenshot(path="/tmp/policy_ui_chat.png", full_page=True)


def test_follow_up_question_uses_the_conversation(page):
    page.fill("#pa-question textarea", "如果投资是1200万呢？")
    page.click("#pa-send")
    page.wait_for_function("document.querySelectorAll('#pa-chat details.pa-card').length >= 2 && "
                           "!document.querySelector('#pa-chat').innerText.includes('正在检索条款')", timeout=WAIT_MS)
    assert "360万元" in _bot_messages(page).last.inner_text().replace(" ", "")
    page.screenshot(path="/tmp/policy_ui_chat2.png", full_page=True)


def test_the_case_shows_as_chips_above_the_input(page):
    chips = page.locator("#pa-case")
    chips.wait_for(state="visible", timeout=WAIT_MS)
    text = chips.inner_text().replace(" ", "")
    assert "设备、软件投资1200万元" in text and "小巨人" in text and "河南省" in text
    box, question = chips.bounding_box(), page.locator("#pa-question").bounding_box()
    assert box and question and box["y"] < question["y"]             # above the input
    page.screenshot(path="/tmp/policy_ui_chips.png")


def test_feedback_with_a_comment_is_stored(page, real_data_dir):
    # Gradio labels the thumbs in the page's language: 赞/踩 in zh-CN, Like/Dislike otherwise
    page.locator("#pa-chat button[aria-label='踩'], #pa-chat button[aria-label='Dislike']").last.click()
    page.locator("#pa-feedback textarea").wait_for(state="visible", timeout=WAIT_MS)
    page.fill("#pa-feedback textarea", "希望写明申报时间")
    page.get_by_role("button", name="提交意见").click()
    page.locator("#pa-feedback textarea").wait_for(state="hidden", timeout=WAIT_MS)
    store = Store(default_url(real_data_dir))
    last_ui = [r for r in store.exchanges() if r["channel"] == "ui"][0]
    assert last_ui["question"] == "如果投资是1200万呢？" and len(last_ui["messages"]) == 3
    feedback = store.feedback(last_ui["id"])
    store.close()
    assert feedback and feedback[-1]["rating"] == -1 and feedback[-1]["comment"] == "希望写明申报时间"
    assert last_ui["client"] == "ip:127.0.0.1"                     # UI audit rows name the browser


def test_answer_copy_is_plain_text_with_the_arithmetic_in_words(page):
    page.locator("#pa-chat a.pa-copy-answer").first.click()
    page.wait_for_function("document.querySelector('#pa-chat a.pa-copy-answer').textContent.includes('已复制')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "2000万元×30%=600万元，超过上限，按500万元" in copied and "豫政办〔2022〕8号" in copied
    assert "<" not in copied and "**" not in copied


def test_page_has_no_english_names_and_one_set_of_examples(page):
    names = page.evaluate("[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))")
    assert not [n for n in names if n in ("chatbot conversation", "Textbox", "Copy message") or "<" in n]
    assert page.get_by_text("示例问题").count() == 0                # the chat's own examples only


def test_users_text_is_text_and_typing_survives_the_stream(page):
    users = page.locator("#pa-chat .message-row.user-row").count()
    page.fill("#pa-question textarea", '<img src="http://127.0.0.1:9/x.png">小巨人**设备**投资2000万元能补多少')
    page.click("#pa-send")
    # the box is emptied when the question is sent; what is typed while the answer streams stays
    page.wait_for_function(f"document.querySelectorAll('#pa-chat .message-row.user-row').length > {users}",
                           timeout=WAIT_MS)
    page.locator("#pa-question textarea").type("下一个问题")
    page.wait_for_function("!document.querySelector('#pa-chat').innerText.includes('正在检索条款') && "
                           "document.querySelectorAll('#pa-chat .message-row.user-row').length >= 3", timeout=WAIT_MS)
    page.wait_for_timeout(800)
    user = page.locator("#pa-chat .message-row.user-row").last
    assert user.locator("img").count() == 0 and "<img" in user.inner_text() and "**设备**" in user.inner_text()
    assert page.locator("#pa-question textarea").input_value() == "下一个问题"


def test_new_conversation_closes_the_feedback_box(page):
    page.locator("#pa-chat button[aria-label='有帮助'], #pa-chat button[aria-label='赞']").last.click()
    page.locator("#pa-feedback textarea").wait_for(state="visible", timeout=WAIT_MS)
    box, chat = page.locator("#pa-feedback").bounding_box(), page.locator("#pa-chat").bounding_box()
    assert box and chat and box["y"] < chat["y"] + chat["height"] + 60        # right under the answer
    page.click("#pa-clear")
    page.locator("#pa-feedback textarea").wait_for(state="hidden", timeout=WAIT_MS)
    assert page.locator("#pa-question textarea").input_value() == ""
    page.locator("#pa-case").wait_for(state="hidden", timeout=WAIT_MS)    # the case is emptied too


def test_view_in_source_opens_the_clause_highlighted(page):
    page.locator("#pa-chat button").filter(has_text="设备软件投资2000万元").first.click()
    card = page.locator("#pa-chat details.pa-card").first
    card.wait_for(timeout=WAIT_MS)
    card.locator("summary").click()
    card.locator("a.pa-goto").click()
    marked = page.locator("#pa-doc-tree .pa-hl")
    marked.wait_for(state="visible", timeout=WAIT_MS)
    assert marked.get_attribute("data-clause") == "三、（一）3" and "500万元" in marked.inner_text()
    page.screenshot(path="/tmp/policy_ui_goto.png")


def test_search_by_doc_number_and_label_then_go_calculate(page):
    page.get_by_role("tab", name="条款检索").click()
    page.fill("#pa-search-q textarea", "豫政办[2022]8号 三、（一）3")
    page.click("#pa-search-btn")
    page.wait_for_function("document.querySelector('#pa-hits').innerText.includes('找到条款 1 条')", timeout=WAIT_MS)
    page.locator("#pa-hits button.pa-calc-go").first.click()
    page.locator("#pa-amount-0 textarea").wait_for(state="visible", timeout=WAIT_MS)
    assert page.locator("#pa-rule input").input_value().startswith("国家级专精特新")
    page.screenshot(path="/tmp/policy_ui_gocalc.png")


def test_search_highlights_matches_and_copies_a_clause_with_its_citation(page):
    page.get_by_role("tab", name="条款检索").click()
    page.fill("#pa-search-q textarea", "上云 服务券")
    page.click("#pa-search-btn")
    page.wait_for_function("document.querySelector('#pa-hits .pa-hit mark') && "
                           "document.querySelector('#pa-hits').innerText.includes('服务券')", timeout=WAIT_MS)
    first = page.locator("#pa-hits .pa-hit").first
    assert first.locator("mark").count() > 0
    first.locator("button.pa-copy").click()
    page.wait_for_function("document.querySelector('#pa-hits button.pa-copy').textContent.includes('已复制')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("《") and "》" in copied and "服务券" in copied
    page.screenshot(path="/tmp/policy_ui_search.png", full_page=True)


def test_calculator_gives_the_exact_result_with_formula_and_clause(page):
    page.get_by_role("tab", name="奖补计算器").click()
    page.click("#pa-rule input")
    page.keyboard.type("小巨人")
    page.get_by_role("option", name="国家级专精特新").first.click()
    page.locator("#pa-amount-0 textarea").wait_for(state="visible", timeout=WAIT_MS)
    page.fill("#pa-amount-0 textarea", "两千万")
    page.click("#pa-calc-btn")
    result = page.locator("#pa-calc-result .pa-calc")
    result.wait_for(timeout=WAIT_MS)
    text = result.inner_text()
    assert "500万元" in text and "min(2000万元 × 30%, 500万元)" in text and "三、（一）3" in text
    page.screenshot(path="/tmp/policy_ui_calc.png", full_page=True)


def test_documents_tab_shows_the_clause_tree(page):
    page.get_by_role("tab", name="政策文件").click()
    page.click("#pa-doc input")
    page.keyboard.type("技术改造")
    page.get_by_role("option").filter(has_text="技术改造").first.click()
    page.wait_for_function("document.querySelector('#pa-doc-tree').innerText.includes('豫政办〔2022〕8号')")
    tree = page.locator("#pa-doc-tree")
    assert tree.locator("details.pa-section").count() >= 3
    assert "三、（一）3" in tree.inner_text()
    page.screenshot(path="/tmp/policy_ui_docs.png", full_page=False)


# -- phone width: the portal is embedded in a WeChat-style page ------------------------------------
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone(server, page):          # after the desktop tests (they share the server's audit store)
    browser = page.context.browser
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone_page = context.new_page()
    phone_page.goto(server)
    phone_page.wait_for_selector("#pa-question textarea", timeout=WAIT_MS)
    yield phone_page
    context.close()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


def test_phone_every_tab_is_visible_and_nothing_scrolls_sideways(phone):
    tabs = phone.get_by_role("tab")
    assert [t for t in tabs.all_inner_texts() if t.strip()] == ["问答", "条款检索", "奖补计算器", "政策匹配", "政策文件"]
    for name in ("条款检索", "奖补计算器", "政策匹配", "政策文件", "问答"):
        phone.get_by_role("tab", name=name).click()
        phone.wait_for_timeout(300)
        _no_sideways_scroll(phone)
    box = phone.locator("#pa-question textarea").bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"]      # the input is on the first screen


def test_phone_answer_opens_at_its_figure(phone):
    phone.fill("#pa-question textarea", "我们是郑州的小巨人企业，今年设备和软件投了1200万，能拿多少补助？")
    phone.click("#pa-send")
    phone.locator("#pa-chat .pa-headline").wait_for(timeout=WAIT_MS)
    phone.fill("#pa-question textarea", "河南和佛山对标杆示范项目的奖励有什么不同？")      # a long answer
    phone.click("#pa-send")
    phone.wait_for_function("document.querySelectorAll('#pa-chat details.pa-card').length >= 3", timeout=WAIT_MS)
    phone.wait_for_timeout(500)
    chat = phone.locator("#pa-chat").bounding_box()
    question = phone.locator("#pa-chat .message-row.user-row").last.bounding_box()
    assert chat and question and chat["y"] <= question["y"] <= chat["y"] + 120   # the new question is at the top
    _no_sideways_scroll(phone)
    figures = phone.evaluate("[...document.querySelectorAll('#pa-chat .pa-num')].map(e => getComputedStyle(e).whiteSpace)")
    assert figures and set(figures) == {"nowrap"}                   # 500万元 never splits from its unit
    phone.screenshot(path="/tmp/policy_ui_phone_chat.png")


def test_phone_search_filters_stack_and_hits_stay_readable(phone):
    phone.get_by_role("tab", name="条款检索").click()
    phone.fill("#pa-search-q textarea", "工控安全 试点示范")
    phone.click("#pa-search-btn")
    phone.locator("#pa-hits .pa-hit").first.wait_for(timeout=WAIT_MS)
    query = phone.locator("#pa-search-q").bounding_box()
    region = phone.locator("#pa-search-region").bounding_box()
    doc = phone.locator("#pa-search-doc").bounding_box()
    assert query and region and doc
    assert region["width"] >= 0.9 * query["width"] and doc["width"] >= 0.9 * query["width"]   # one field a row
    title = phone.locator("#pa-hits .pa-hit-title").first.bounding_box()
    assert title and title["width"] >= 0.6 * PHONE["width"]        # not squeezed beside the copy button
    _no_sideways_scroll(phone)
    phone.screenshot(path="/tmp/policy_ui_phone_search.png", full_page=True)


def test_phone_calculator_shows_the_rule_name(phone):
    phone.get_by_role("tab", name="奖补计算器").click()
    phone.click("#pa-rule input")
    phone.keyboard.type("工控安全")
    phone.get_by_role("option", name="工控安全").first.click()
    rule = phone.locator("#pa-rule").bounding_box()
    assert rule and rule["width"] >= 0.8 * PHONE["width"]
    assert phone.locator("#pa-rule input").input_value().startswith("工控安全试点示范应用项目资金支持｜湖南省")
    _no_sideways_scroll(phone)
    phone.screenshot(path="/tmp/policy_ui_phone_calc.png", full_page=True)
