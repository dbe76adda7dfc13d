"""Fixtures of the web tests: an app over the fake service, with its own store and settings."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_service import FakeService  # noqa: E402

from settings import load_settings  # noqa: E402
from web.app import create_app  # noqa: E402
from web.config import WebConfig  # noqa: E402
from web.store import Store, default_url  # noqa: E402


@pytest.fixture
def fake_service() -> FakeService:
    return FakeService()


@pytest.fixture
def make_client(tmp_path, fake_service):
    """make_client(**config_overrides) -> TestClient over a fresh app (no UI unless ui=True)."""
    clients = []

    def make(ui: bool = False, service=None, **overrides) -> TestClient:
        config = WebConfig(**{"api_keys": [], "cors_origins": [], "wechat_token": None, **overrides})
        store = Store(default_url(tmp_path / f"db{len(clients)}"))
        app = create_app(load_settings(tmp_path), service or fake_service, config=config, store=store, ui=ui)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory) -> Path:
    """A data directory with the real index, built once for the whole session (about a minute)."""
    from assistant.service import PolicyService

    data_dir = tmp_path_factory.mktemp("policy_data")
    PolicyService(load_settings(data_dir)).warm_up()
    return data_dir


@pytest.fixture(scope="session")
def real_service(real_data_dir):
    from assistant.service import PolicyService

    service = PolicyService(load_settings(real_data_dir))
    service.warm_up()
    return service
