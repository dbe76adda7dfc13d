"""Shared fixtures: the packaged rulebook and knowledge base (loaded once)."""
from __future__ import annotations

import pytest

from ingest.corpus import load_knowledge_base
from ingest.rules import load_rulebook


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base()
