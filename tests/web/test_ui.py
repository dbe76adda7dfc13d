"""The UI's handlers without a browser, and the UI mounted on the app."""
from __future__ import annotations

import gradio as gr
import pytest
from fake_service import FakeService

from web.store import Store, default_url
from web.ui_chat import THINKING, ChatHandlers, new_state
from web.ui_tools import ALL_DOCS, ALL_REGIONS, MAX_AMOUNTS, ToolHandlers, checked_facts

QUESTION = "河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？"


@pytest.fixture
def store(tmp_path):
    s = Store(default_url(tmp_path))
    yield s
    s.close()


def _like(index: int, liked: bool) -> gr.LikeData:
    return gr.LikeData(None, {"index": index, "value": "", "liked": liked})


def test_chat_streams_then_shows_cards_and_keeps_the_plain_history(store):
    chat = ChatHandlers(FakeService(), store)
    steps = list(chat.respond(QUESTION, [], new_state()))
    assert steps[0][0][-1]["content"] == THINKING
    partials = [s[0][-1]["content"] for s in steps[1:-1]]
    assert len(partials) > 3 and all(len(a) <= len(b) for a, b in zip(partials, partials[1:], strict=False))
    history, state, box = steps[-1]
    assert steps[0][2] == ""                                         # the box is cleared once, at the start …
    assert all(step[2] == gr.update() for step in steps[1:])         # … then left alone while the answer streams
    assert box == gr.update() and len(history) == 2
    assert "<details class=\"pa-card\">" in history[-1]["content"]
    assert state["messages"][-1]["role"] == "assistant" and "<details" not in state["messages"][-1]["content"]
    assert state["exchanges"] == {"1": store.exchanges()[0]["id"]}
    assert store.exchanges()[0]["channel"] == "ui"


def test_second_turn_sends_the_conversation(store):
    seen = []
    service = FakeService()
    original = service.stream
    service.stream = lambda messages, case=None: (seen.append((messages, case)), original(messages))[1]
    chat = ChatHandlers(service, store)
    *_, (history, state, _) = chat.respond("我是河南的小巨人企业", [], new_state())
    state["case"] = {"facts": {}, "chips": []}       # what the first answer carried back
    *_, (history, state, _) = chat.respond("投了2000万", history, state)
    assert [m["role"] for m in seen[1][0]] == ["user", "assistant", "user"]
    assert seen[0][1] is None and seen[1][1] == {"facts": {}, "chips": []}   # the case goes with the question
    assert set(state["exchanges"]) == {"1", "3"}


def test_case_chips_show_and_remove_values():
    from web.ui_chat import remove_chips, show_case
    case = {"location": ["河南省", "郑州市"], "covered": True,
            "facts": {"xiaojuren_national": {"value": True, "label": "国家级小巨人", "level": "national"}},
            "items": [{"amounts": {"equipment_software_investment": [18000000]}}],
            "chips": [{"key": "location", "label": "郑州市"}, {"key": "fact:xiaojuren_national", "label": "国家级小巨人"},
                      {"key": "amount:equipment_software_investment", "label": "设备、软件投资1800万元"}]}
    state = {**new_state(), "case": case}
    shown = show_case(state)
    assert shown["visible"] and shown["value"] == ["location", "fact:xiaojuren_national",
                                                   "amount:equipment_software_investment"]
    state, shown = remove_chips(["location", "fact:xiaojuren_national"], state)
    assert state["case"]["items"][0]["amounts"] == {} and state["case"]["location"] == ["河南省", "郑州市"]
    assert [c["key"] for c in state["case"]["chips"]] == ["location", "fact:xiaojuren_national"]
    assert show_case(new_state())["visible"] is False


def test_error_keeps_the_question_in_the_box(store):
    chat = ChatHandlers(FakeService(), store)
    assert list(chat.respond("   ", [], new_state()))[-1][0] == []
    service = FakeService()
    service.stream = lambda messages, case=None: iter([service.answer([{"role": "assistant", "content": "x"}])])
    *_, (history, _, box) = ChatHandlers(service, store).respond("问题", [], new_state())
    assert history[-1]["content"].startswith("⚠️ 问题为空") and box == "问题"


def test_feedback_is_stored_against_the_exchange_with_a_comment(store):
    chat = ChatHandlers(FakeService(), store)
    *_, (history, state, _) = chat.respond(QUESTION, [], new_state())
    state, row, box = chat.like(state, _like(1, False))
    assert row["visible"] is True and "没帮上忙" in box["label"]
    state, row, text = chat.comment("缺少申报时间", state)
    assert row["visible"] is False and text == ""
    [fb] = store.feedback(state["exchanges"]["1"])
    assert fb["rating"] == -1 and fb["comment"] == "缺少申报时间"
    state, _, _ = chat.like(state, _like(0, True))          # a user message: nothing stored
    assert len(store.feedback()) == 1


def test_search_handler(store):
    tools = ToolHandlers(FakeService())
    assert "请输入关键词" in tools.search("  ", ALL_REGIONS, ALL_DOCS, 8)
    html = tools.search("小巨人", "河南省", "", 5)
    assert "<mark>小巨人</mark>" in html and "pa-copy" in html
    assert "没有找到" in tools.search("小巨人", "湖南省", "", 5)
    assert ALL_REGIONS in tools.regions() and "佛山市" in tools.regions()


def test_calculator_handlers():
    tools = ToolHandlers(FakeService())
    assert [rid for _, rid in tools.rule_choices("河南省")]
    updates = tools.describe_rule(None)
    assert updates[0] == "请选择一条奖补规则。" and len(updates) == MAX_AMOUNTS + 3
    html = tools.calculate("henan2022_xiaojuren_equipment", "20000000", "", "", [], None)
    assert "500万元" in html and "条款原文" in html
    assert "请先选择" in tools.calculate(None, "", "", "", [], None)


def test_checked_facts_from_the_form():
    from calculators.models import Condition
    rule = type("R", (), {"conditions": [Condition(fact="xiaojuren_national", label="小巨人")],
                          "extras": [], "tier_fact": "grade"})()
    assert checked_facts(rule, ["小巨人"], "一等奖") == {"xiaojuren_national": True, "grade": "一等奖"}
    assert checked_facts(rule, [], None) == {}


def test_documents_handler():
    tools = ToolHandlers(FakeService())
    html = tools.document("henan_2022_tech_upgrade")
    assert "豫政办〔2022〕8号" in html and "三、（一）3" in html
    assert "找不到" in tools.document("nope")


def test_ui_is_mounted_at_the_root(make_client):
    client = make_client(ui=True)
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    config = client.get("/config").json()
    assert config["title"] == "政策问答助手"
    assert client.get("/healthz").status_code == 200 and client.get("/docs").status_code == 200


def test_an_over_long_question_is_refused_in_chinese_without_asking_the_service(store):
    from assistant.messages import MAX_MESSAGE_CHARS
    service = FakeService()
    service.stream = lambda messages: pytest.fail("the service must not be asked")
    question = "小巨人" * (MAX_MESSAGE_CHARS // 3 + 10)
    [(history, state, box)] = list(ChatHandlers(service, store).respond(question, [], new_state()))
    assert box == question and state["messages"] == []             # the text stays in the box to edit
    user, bot = history
    assert len(user["content"]) < 300 and f"（共{len(question)}字）" in user["content"]
    assert bot["content"].startswith(f"⚠️ 问题过长（{len(question)}字），请精简到{MAX_MESSAGE_CHARS}字以内")
    assert store.exchanges() == []


def test_calculator_asks_for_a_missing_amount_and_hides_field_names():
    tools = ToolHandlers(FakeService())
    html = tools.calculate("henan2022_xiaojuren_equipment", "", "", "", [], None)
    assert "请填写设备、软件实际投资额" in html and "pa-calc" not in html
    html = tools.calculate("henan2022_xiaojuren_equipment", "很多钱", "", "", [], None)
    assert "pa-error" in html and "investment_yuan" not in html


def test_ui_message_drops_api_field_names_only():
    from web.ui_tools import ui_message
    assert ui_message("设备、软件实际投资额（investment_yuan）不是有效的金额") == "设备、软件实际投资额不是有效的金额"
    assert ui_message("单个企业奖补不超过50万元（含）（APP）") == "单个企业奖补不超过50万元（含）（APP）"


def test_the_users_own_text_is_shown_as_text_not_html_or_markdown(store):
    question = '<img src="http://203.0.113.5/x.png"> **粗体** [链接](http://x) 设备投资2000万元'
    history = list(ChatHandlers(FakeService(), store).respond(question, [], new_state()))[-1][0]
    shown = history[0]["content"]
    assert "<img" not in shown and "&lt;img" in shown
    assert "**" not in shown and "&#42;&#42;粗体&#42;&#42;" in shown and "&#91;链接&#93;" in shown


def test_a_lone_surrogate_in_the_ui_is_a_chinese_notice_not_an_exception(store):
    steps = list(ChatHandlers(FakeService(), store).respond("小巨人\ud800", [], new_state()))
    history, _, _ = steps[-1]
    assert history == []


def test_new_conversation_closes_and_empties_the_feedback_box(store):
    chat, fb_row, fb_text = ChatHandlers.clear()[0], ChatHandlers.clear()[3], ChatHandlers.clear()[4]
    assert chat == [] and fb_row == gr.update(visible=False) and fb_text == ""


def test_open_clause_and_open_rule_jump_between_tabs():
    tools = ToolHandlers(FakeService())
    tabs, doc, tree = tools.open_clause("henan_2022_tech_upgrade|三、（一）3|1700000000")
    assert tabs.selected == "docs" and doc["value"] == "henan_2022_tech_upgrade"
    assert tree.count('class="pa-node pa-hl"') == 1 and 'data-clause="三、（一）3"' in tree
    tabs, region, rule = tools.open_rule("henan2022_xiaojuren_equipment|1")
    assert tabs.selected == "calc" and rule["value"] == "henan2022_xiaojuren_equipment"
    assert tools.open_rule("no_such_rule|1") == [gr.update(), gr.update(), gr.update()]
