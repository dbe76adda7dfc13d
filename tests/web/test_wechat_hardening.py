"""WeChat probes from issue 13 (item 2): freshness, replays, DTDs in any encoding, GBK, per-sender
dedup, and safe mode (AES) through wechatpy with real keys."""
from __future__ import annotations

import base64
import os
import time
import xml.etree.ElementTree as ET

import pytest
from test_wechat import QUESTION, TOKEN, reply_of, signed, text_xml


@pytest.fixture
def client(make_client):
    return make_client(wechat_token=TOKEN, public_url="https://zc.example.cn/")


def test_a_year_old_signature_is_refused(client):
    old = signed(timestamp=str(int(time.time()) - 365 * 86400))
    resp = client.post("/wechat", params=old, content=text_xml(QUESTION))
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "stale_request"
    assert client.get("/wechat", params={**old, "echostr": "x"}).status_code == 403
    future = signed(timestamp=str(int(time.time()) + 600))
    assert client.post("/wechat", params=future, content=text_xml(QUESTION)).status_code == 403
    assert client.post("/wechat", params=signed(timestamp=str(int(time.time()) - 200)),
                       content=text_xml(QUESTION)).status_code == 200
    assert client.app.state.store.counts()["exchanges"] == 1


def test_a_replayed_nonce_with_another_body_is_refused(client):
    params = signed()
    assert client.post("/wechat", params=params, content=text_xml(QUESTION, msg_id="41")).status_code == 200
    again = client.post("/wechat", params=params, content=text_xml(QUESTION, msg_id="41"))
    assert again.status_code == 200                      # WeChat re-delivering: same answer
    forged = client.post("/wechat", params=params, content=text_xml("另一个问题", msg_id="42"))
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "replayed"
    assert client.app.state.store.counts()["exchanges"] == 1


def test_dtd_is_refused_in_utf16_too(client):
    bomb = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE xml [<!ENTITY a "' + "啊" * 100 + '">]>'
            '<xml><ToUserName>gh</ToUserName><FromUserName>u</FromUserName><MsgType>text</MsgType>'
            '<Content>&a;&a;&a;</Content><MsgId>1</MsgId></xml>').encode("utf-16")
    resp = client.post("/wechat", params=signed(), content=bomb)
    assert resp.status_code == 400 and "DTD" in resp.json()["error"]["message"]
    assert client.app.state.store.counts()["exchanges"] == 0


def test_gbk_declared_body_is_a_400_not_500(client):
    body = text_xml(QUESTION).decode().replace("<xml>", '<?xml version="1.0" encoding="GBK"?><xml>', 1)
    resp = client.post("/wechat", params=signed(), content=body.encode("gbk"))
    assert resp.status_code == 400 and "UTF-8" in resp.json()["error"]["message"]


def test_same_msgid_from_two_users_gets_two_answers(client, fake_service):
    first = reply_of(client.post("/wechat", params=signed(), content=text_xml(QUESTION, "5", user="oAlice")))
    second = reply_of(client.post("/wechat", params=signed(), content=text_xml("湖南工控安全", "5", user="oBob")))
    assert first["ToUserName"] == "oAlice" and second["ToUserName"] == "oBob"
    assert fake_service.calls == 2
    questions = [row["question"] for row in client.app.state.store.exchanges()]
    assert questions == ["湖南工控安全", QUESTION]


AES_KEY = base64.b64encode(os.urandom(32)).decode()[:43]
APP_ID = "wx1234567890abcdef"


def test_safe_mode_decrypts_the_question_and_encrypts_the_reply(make_client):
    from wechatpy.crypto import WeChatCrypto
    client = make_client(wechat_token=TOKEN, wechat_aes_key=AES_KEY, wechat_app_id=APP_ID)
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)              # what WeChat's servers do
    params = signed()
    envelope = crypto.encrypt_message(text_xml(QUESTION, "77").decode(), params["nonce"], params["timestamp"])
    msg_signature = ET.fromstring(envelope).findtext("MsgSignature")
    resp = client.post("/wechat", params={**params, "encrypt_type": "aes", "msg_signature": msg_signature},
                       content=envelope.encode())
    assert resp.status_code == 200, resp.text
    reply = ET.fromstring(resp.content)
    plain = crypto.decrypt_message(resp.text, reply.findtext("MsgSignature"), reply.findtext("TimeStamp"),
                                   reply.findtext("Nonce"))
    assert "500万元" in ET.fromstring(plain).findtext("Content")
    bad = client.post("/wechat", params={**signed(), "encrypt_type": "aes", "msg_signature": "0" * 40},
                      content=envelope.encode())
    assert bad.status_code == 403


def test_safe_mode_without_a_key_is_a_clear_400(client):
    resp = client.post("/wechat", params={**signed(), "encrypt_type": "aes"}, content=text_xml("x"))
    assert resp.status_code == 400 and "WECHAT_AES_KEY" in resp.json()["error"]["message"]
