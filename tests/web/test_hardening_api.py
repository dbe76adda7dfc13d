"""Probes from outside (issue 13): bad characters, huge ids, one length limit, wrong-key throttling."""
from __future__ import annotations

import json

from assistant.messages import MAX_MESSAGE_CHARS

SURROGATE = '{"messages": [{"role": "user", "content": "小巨人\\ud800能补多少"}]}'
HEADERS = {"content-type": "application/json"}


def _error(resp) -> dict:
    assert set(resp.json()) == {"error"}, resp.text
    return resp.json()["error"]


def test_lone_surrogate_is_a_chinese_400_on_chat_and_openai(make_client):
    client = make_client()
    for path in ("/api/chat", "/v1/chat/completions"):
        resp = client.post(path, content=SURROGATE.encode(), headers=HEADERS)
        assert resp.status_code == 400, (path, resp.text)
        assert _error(resp)["code"] == "bad_characters" and "无法识别的字符" in _error(resp)["message"]
    stream = SURROGATE[:-1] + ', "stream": true}'
    assert client.post("/v1/chat/completions", content=stream.encode(), headers=HEADERS).status_code == 400


def test_lone_surrogate_in_calculate_and_feedback_is_400(make_client):
    client = make_client()
    body = '{"rule_id": "henan2022_xiaojuren_equipment", "inputs": {"investment_yuan": "2000\\udc00万"}}'
    resp = client.post("/api/calculate", content=body.encode(), headers=HEADERS)
    assert resp.status_code == 400 and _error(resp)["code"] == "bad_characters"
    resp = client.post("/api/feedback", content=b'{"rating": 1, "comment": "\\ud800"}', headers=HEADERS)
    assert resp.status_code == 400


def test_a_valid_surrogate_pair_emoji_is_still_answered(make_client):
    client = make_client()
    body = '{"messages": [{"role": "user", "content": "小巨人能补多少\\ud83d\\ude00"}]}'
    assert client.post("/api/chat", content=body.encode(), headers=HEADERS).status_code == 200


def test_the_service_refuses_and_the_store_audits_a_surrogate(make_client, tmp_path):
    """Below the HTTP layer too: validate_messages refuses, the audit keeps a readable copy."""
    import pytest

    from assistant.messages import validate_messages
    from errors import PolicyError
    from web.store import Store, default_url
    with pytest.raises(PolicyError) as info:
        validate_messages([{"role": "user", "content": "a\ud800"}])
    assert info.value.code == "bad_characters"
    store = Store(default_url(tmp_path / "s"))
    store.record_exchange(channel="ui", question="a\ud800", messages=[{"role": "user", "content": "a\ud800"}],
                          error=info.value.to_dict())
    assert store.exchanges()[0]["question"] == "a\ufffd"


def test_huge_exchange_id_is_a_4xx_not_500(make_client):
    client = make_client()
    for value in (2**63, 2**70, -5, 0):
        resp = client.post("/api/feedback", json={"exchange_id": value, "rating": 1})
        assert resp.status_code == 422, (value, resp.text)
        assert "exchange_id" in _error(resp)["message"]


def test_stream_ends_with_done_even_when_the_service_breaks(make_client, fake_service):
    class Broken(type(fake_service)):
        def stream(self, messages, case=None):
            yield "部分回答"
            raise RuntimeError("boom")
    client = make_client(service=Broken())
    resp = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "小巨人"}],
                                                     "stream": True})
    events = [line[6:] for line in resp.text.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    assert json.loads(events[-2])["error"]["code"] == "internal_error"


def test_one_length_limit_everywhere(make_client):
    from assistant.retrieval import MAX_QUERY_CHARS, clean_query
    from errors import PolicyError
    assert MAX_QUERY_CHARS == MAX_MESSAGE_CHARS
    long = "小" * (MAX_MESSAGE_CHARS + 1)
    try:
        clean_query(long)
    except PolicyError as err:
        query_message = err.message
    from assistant.messages import validate_messages
    try:
        validate_messages([{"role": "user", "content": long}])
    except PolicyError as err:
        chat_message = err.message
    assert f"{MAX_MESSAGE_CHARS}字以内" in query_message and f"{MAX_MESSAGE_CHARS}字以内" in chat_message
    client = make_client()
    resp = client.get("/api/search", params={"q": "小" * MAX_MESSAGE_CHARS})
    assert resp.status_code == 200
    assert client.get("/api/search", params={"q": long}).status_code == 422


def test_wrong_keys_are_throttled_per_address(make_client):
    client = make_client(api_keys=["good-key"], auth_failure_limit="5/minute")
    codes = [client.post("/api/chat", json={"messages": [{"role": "user", "content": "x"}]},
                         headers={"X-API-Key": f"guess-{i}"}).status_code for i in range(8)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
    resp = client.get("/api/rules", headers={"Authorization": "Bearer another-guess"})
    assert resp.status_code == 429 and "错误的 API 密钥尝试过多" in _error(resp)["message"]
    assert int(resp.headers["Retry-After"]) > 0
