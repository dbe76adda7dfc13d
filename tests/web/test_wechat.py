"""The WeChat callback with real SHA1 signatures and real message XML."""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from fake_service import FakeService

from web.wechat_xml import parse_message, plain_text, signature, trim

TOKEN = "policyTok3n"
QUESTION = "河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？"


def signed(timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or secrets.token_hex(6)          # each delivery its own nonce, as WeChat's
    # computed independently of web.wechat_xml, as WeChat's documentation describes
    sig = hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()
    return {"signature": sig, "timestamp": timestamp, "nonce": nonce}


def text_xml(content: str, msg_id: str = "23451234567890123", user: str = "oUser_openid_1") -> bytes:
    return (f"<xml><ToUserName><![CDATA[gh_policy]]></ToUserName>"
            f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>1732500000</CreateTime>"
            f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
            f"<MsgId>{msg_id}</MsgId></xml>").encode()


@pytest.fixture
def client(make_client):
    return make_client(wechat_token=TOKEN, public_url="https://zc.example.cn/")


def reply_of(resp) -> dict[str, str]:
    assert resp.status_code == 200, resp.text
    root = ET.fromstring(resp.content)
    return {child.tag: child.text or "" for child in root}


def test_signature_is_sha1_of_sorted_parts():
    assert signature("a", "c", "b") == hashlib.sha1(b"abc").hexdigest()


def test_url_verification_echoes_echostr(client):
    resp = client.get("/wechat", params={**signed(), "echostr": "5837397598123"})
    assert resp.status_code == 200 and resp.text == "5837397598123"


def test_forged_signatures_are_rejected_with_403(client):
    forged = {**signed(), "signature": "0" * 40}
    assert client.get("/wechat", params={**forged, "echostr": "x"}).status_code == 403
    assert client.get("/wechat", params={"echostr": "x"}).status_code == 403
    assert client.post("/wechat", params=forged, content=text_xml("你好")).status_code == 403
    tampered = {**signed(), "nonce": "other"}          # signature of different parameters
    assert client.post("/wechat", params=tampered, content=text_xml("你好")).status_code == 403
    assert client.app.state.store.counts()["exchanges"] == 0


def test_not_configured_without_token(make_client):
    assert make_client().get("/wechat", params={**signed(), "echostr": "x"}).status_code == 404


def test_text_message_gets_a_passive_text_reply(client):
    resp = client.post("/wechat", params=signed(), content=text_xml(QUESTION))
    assert resp.headers["content-type"].startswith("application/xml")
    reply = reply_of(resp)
    assert reply["ToUserName"] == "oUser_openid_1" and reply["FromUserName"] == "gh_policy"
    assert reply["MsgType"] == "text" and int(reply["CreateTime"]) > 0
    assert "500万元" in reply["Content"] and "三、（一）3" in reply["Content"]
    assert "**" not in reply["Content"]                        # no Markdown in WeChat
    [row] = client.app.state.store.exchanges()
    assert row["channel"] == "wechat" and row["client"] == "wechat:oUser_openid_1"


def test_repeated_msgid_is_answered_once(client, fake_service):
    first = client.post("/wechat", params=signed(), content=text_xml(QUESTION, msg_id="777"))
    again = client.post("/wechat", params=signed(nonce="2"), content=text_xml(QUESTION, msg_id="777"))
    assert reply_of(first)["Content"] == reply_of(again)["Content"]
    assert fake_service.calls == 1
    assert client.app.state.store.counts()["exchanges"] == 1
    client.post("/wechat", params=signed(), content=text_xml(QUESTION, msg_id="778"))
    assert fake_service.calls == 2


def test_concurrent_redeliveries_share_one_computation(make_client):
    slow = FakeService(delay_s=0.5)
    client = make_client(service=slow, wechat_token=TOKEN)
    results: list[str] = []

    def deliver() -> None:
        results.append(reply_of(client.post("/wechat", params=signed(), content=text_xml(QUESTION, "900")))["Content"])

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert slow.calls == 1 and len(set(results)) == 1 and "500万元" in results[0]


def test_reply_within_five_seconds_even_when_the_service_is_slow(make_client):
    client = make_client(service=FakeService(delay_s=3.0), wechat_token=TOKEN, wechat_deadline_s=1.0)
    start = time.perf_counter()
    reply = reply_of(client.post("/wechat", params=signed(), content=text_xml(QUESTION, "901")))
    assert time.perf_counter() - start < 5.0
    assert "正在查询" in reply["Content"]


def test_normal_reply_time_is_well_under_five_seconds(client):
    start = time.perf_counter()
    reply_of(client.post("/wechat", params=signed(), content=text_xml(QUESTION, "902")))
    assert time.perf_counter() - start < 5.0


def test_follow_up_turn_carries_the_conversation(client, fake_service):
    seen: list[list[dict]] = []
    original = fake_service.answer
    fake_service.answer = lambda messages, id=None, case=None: (seen.append(messages), original(messages, id))[1]
    client.post("/wechat", params=signed(), content=text_xml("我是河南的小巨人企业", msg_id="31"))
    client.post("/wechat", params=signed(), content=text_xml("投了2000万", msg_id="32"))
    assert [m["content"] for m in seen[1]][0] == "我是河南的小巨人企业"
    assert seen[1][-1] == {"role": "user", "content": "投了2000万"}
    client.post("/wechat", params=signed(), content=text_xml("别人的问题", msg_id="33", user="oOther"))
    assert len(seen[2]) == 1


def test_events_and_other_message_types(client):
    subscribe = (b"<xml><ToUserName><![CDATA[gh_policy]]></ToUserName><FromUserName><![CDATA[oU]]></FromUserName>"
                 b"<CreateTime>1732500001</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                 b"<Event><![CDATA[subscribe]]></Event></xml>")
    assert "政策问答助手" in reply_of(client.post("/wechat", params=signed(), content=subscribe))["Content"]
    image = (b"<xml><ToUserName>gh_policy</ToUserName><FromUserName>oU</FromUserName><CreateTime>1</CreateTime>"
             b"<MsgType>image</MsgType><PicUrl>http://x/y.jpg</PicUrl><MsgId>55</MsgId></xml>")
    assert "文字" in reply_of(client.post("/wechat", params=signed(), content=image))["Content"]


def test_malicious_or_broken_xml_is_a_400(client):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>'
    resp = client.post("/wechat", params=signed(), content=bomb)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "bad_xml"
    assert client.post("/wechat", params=signed(), content=b"<xml><a>").status_code == 400
    assert client.post("/wechat", params={**signed(), "encrypt_type": "aes"}, content=text_xml("x")).status_code == 400


def test_cdata_terminator_in_content_survives(client):
    incoming = parse_message(text_xml("问题"))
    from web.wechat_xml import text_reply
    root = ET.fromstring(text_reply(incoming, "a]]>b<c>&"))
    assert root.findtext("Content") == "a]]>b<c>&"


def test_long_answers_are_trimmed_with_a_pointer():
    long_text = "\n".join(f"第{i}段：" + "政策条款内容" * 20 for i in range(30))
    out = trim(long_text, 600, "完整回答与条款原文请访问：https://zc.example.cn/")
    assert len(out) <= 600 + 40 and len(out.encode()) <= 2048
    assert out.endswith("https://zc.example.cn/") and "……" in out
    assert trim("短回答", 600, "ptr") == "短回答"


def test_plain_text_strips_markdown():
    assert plain_text("## 结论\n**最高可获得500万元**\n> 三、（一）3 原文\n- 条件一") == \
        "结论\n最高可获得500万元\n三、（一）3 原文\n· 条件一"
