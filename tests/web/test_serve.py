"""`app.py serve`: the app it builds, and a clear error for a port that is taken."""
from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from cli.serve_cmd import build, check_port
from errors import PolicyError


def test_port_in_use_is_a_chinese_error_before_any_loading():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PolicyError) as err:
            check_port("127.0.0.1", port)
    assert err.value.code == "port_unavailable" and "--port" in err.value.message


def test_build_serves_ui_and_api_over_the_real_service(tmp_path, monkeypatch):
    for name in ("API_KEYS", "DATABASE_URL", "WECHAT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with TestClient(build(str(tmp_path), warm_up=False)) as client:
        assert client.get("/healthz").json()["documents"] >= 4
        assert client.get("/").status_code == 200
        assert client.get("/api/rules").status_code == 200
    assert (tmp_path / "assistant.db").exists()
