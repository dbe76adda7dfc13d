"""The Gradio UI's own endpoints (issue 13, item 1): rate-limited per address, no uploads, optional login,
audited with the browser's address."""
from __future__ import annotations

from types import SimpleNamespace

from fake_service import FakeService

from web.store import Store, default_url
from web.ui_chat import ChatHandlers, new_state

JOIN = {"data": [], "fn_index": 0, "session_hash": "probe"}


def test_ui_events_are_rate_limited_per_address(make_client):
    client = make_client(ui=True, ui_rate_limit="3/minute")
    codes = [client.post("/gradio_api/queue/join", json=JOIN).status_code for _ in range(5)]
    assert codes[:3] == [200] * 3 and codes[3:] == [429, 429]
    resp = client.post("/gradio_api/call/respond", json={"data": ["小巨人"]})
    assert resp.status_code == 429
    assert resp.json()["error"]["code"] == "rate_limited" and "请求过于频繁" in resp.json()["error"]["message"]
    assert int(resp.headers["retry-after"]) > 0
    assert client.get("/api/rules").status_code == 200      # the API has its own budget


def test_uploads_are_refused_unless_enabled(make_client):
    client = make_client(ui=True)
    resp = client.post("/gradio_api/upload", files={"files": ("a.txt", b"hello")})
    assert resp.status_code == 403 and resp.json()["error"]["message"] == "本服务不接收文件上传"
    allowed = make_client(ui=True, ui_uploads=True)
    assert allowed.post("/gradio_api/upload", files={"files": ("a.txt", b"hello")}).status_code == 200


def test_ui_auth_puts_the_ui_behind_a_login(make_client):
    client = make_client(ui=True, ui_auth=["staff:s3cret"])
    assert client.post("/gradio_api/queue/join", json=JOIN).status_code == 401
    assert client.get("/config").status_code == 401
    assert client.post("/login", data={"username": "staff", "password": "wrong"}).status_code == 400
    assert client.post("/login", data={"username": "staff", "password": "s3cret"}).status_code == 200
    assert client.get("/config").status_code == 200
    assert client.post("/gradio_api/queue/join", json=JOIN).status_code == 200
    open_ui = make_client(ui=True)
    assert open_ui.get("/config").status_code == 200


def test_login_attempts_count_against_the_ui_budget(make_client):
    client = make_client(ui=True, ui_auth=["staff:s3cret"], ui_rate_limit="4/minute")
    codes = [client.post("/login", data={"username": "staff", "password": f"guess{i}"}).status_code
             for i in range(6)]
    assert codes[-1] == 429 and 429 not in codes[:4]


def test_ui_audit_records_name_the_browser_address(tmp_path):
    store = Store(default_url(tmp_path))
    request = SimpleNamespace(client=SimpleNamespace(host="203.0.113.9"))
    list(ChatHandlers(FakeService(), store).respond("小巨人设备投资2000万元", [], new_state(), request))
    assert store.exchanges()[0]["client"] == "ip:203.0.113.9"
