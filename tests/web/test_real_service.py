"""The HTTP API, the OpenAI-compatible stream and the WeChat callback over the real PolicyService."""
from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest
from test_wechat import TOKEN, signed, text_xml

pytestmark = pytest.mark.slow
QUESTION = "河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？"


@pytest.fixture
def client(make_client, real_service):
    return make_client(service=real_service, wechat_token=TOKEN)


def test_chat_gives_the_exact_figure_and_the_clause(client):
    body = client.post("/api/chat", json={"id": "r1", "messages": [{"role": "user", "content": QUESTION}]}).json()
    assert body["id"] == "r1"
    [calc] = [c for c in body["calculations"] if c["eligible"]]
    assert calc["amount_yuan"] == 5_000_000 and "500万元" in calc["formula"]
    assert calc["citation"]["clause"] == "三、（一）3"
    assert any(c["doc_number"] == "豫政办〔2022〕8号" for c in body["citations"])
    assert "500万元" in body["answer"]


def test_follow_up_turns_count(client):
    messages = [{"role": "user", "content": "我们是河南的国家级专精特新小巨人企业"},
                {"role": "assistant", "content": "请问设备、软件投资额是多少？"},
                {"role": "user", "content": "投了1200万"}]
    body = client.post("/api/chat", json={"messages": messages}).json()
    assert any(c["amount_yuan"] == 3_600_000 for c in body["calculations"])


def test_a_portal_keeps_the_case_between_calls(client):
    """The Answer carries the case; sent back with only the latest message, it continues the
    conversation: a correction replaces one value and keeps the rest."""
    first = client.post("/api/chat", json={"messages": [{"role": "user", "content":
                        "我们是驻马店的国家级专精特新小巨人企业，在有效期内，今年设备和软件投资2400万，能补多少？"}]}).json()
    case = first["case"]
    assert case["location"] == ["河南省", "驻马店市"]
    assert case["items"][-1]["amounts"] == {"equipment_software_investment": [24_000_000]}
    assert [c["label"] for c in case["chips"]][:1] == ["驻马店市"]
    second = client.post("/api/chat", json={"case": case, "messages": [{"role": "user", "content":
                         "我说错了，我们不是小巨人，是省里认定的“头雁”企业，这是我们的重点技术改造项目，投资额不变，能补多少？"}]}).json()
    assert [c["amount_yuan"] for c in second["calculations"] if c["eligible"]] == [7_200_000]
    assert second["case"]["facts"]["xiaojuren_national"]["value"] is False
    bad = client.post("/api/chat", json={"case": {"items": "x"}, "messages": [{"role": "user", "content": "能补多少"}]})
    assert bad.status_code == 400 and "case" in bad.json()["error"]["message"]


def test_service_errors_are_chinese_4xx(client):
    resp = client.post("/api/chat", json={"messages": [{"role": "user", "content": "   "}]})
    assert 400 <= resp.status_code < 500
    assert resp.json()["error"]["message"]
    resp = client.post("/api/calculate", json={"rule_id": "henan2022_xiaojuren_equipment",
                                               "inputs": {"investment_yuan": "很多"}})
    assert resp.status_code == 400 and "不是有效的金额" in resp.json()["error"]["message"]


def test_calculate_search_rules(client):
    calc = client.post("/api/calculate", json={"rule_id": "henan2022_xiaojuren_equipment",
                                               "inputs": {"investment_yuan": "两千万"}}).json()
    assert calc["amount_yuan"] == 5_000_000
    hits = client.get("/api/search", params={"q": "上云 服务券", "region": "佛山市", "k": 3}).json()
    assert hits and all(h["region"] == "佛山市" for h in hits)
    rules = client.get("/api/rules", params={"region": "湖南省"}).json()
    assert rules and all(r["region"] == "湖南省" for r in rules)


def test_openai_stream_over_the_real_engine(client):
    with client.stream("POST", "/v1/chat/completions",
                       json={"stream": True, "messages": [{"role": "user", "content": QUESTION}]}) as resp:
        resp.read()
    events = [line[6:] for line in resp.text.split("\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert chunks[-1]["policy_answer"]["answer"] == text and "500万元" in text


def test_wechat_reply_over_the_real_engine_within_five_seconds(client):
    start = time.perf_counter()
    resp = client.post("/wechat", params=signed(), content=text_xml(QUESTION, msg_id="4242"))
    elapsed = time.perf_counter() - start
    content = ET.fromstring(resp.content).findtext("Content")
    assert elapsed < 5.0 and "500万元" in content and len(content.encode()) <= 2048


def test_calculate_without_the_required_amount_is_a_chinese_4xx(client):
    resp = client.post("/api/calculate", json={"rule_id": "henan2022_xiaojuren_equipment", "inputs": {}})
    assert 400 <= resp.status_code < 500
    assert "设备、软件实际投资额" in resp.json()["error"]["message"]
