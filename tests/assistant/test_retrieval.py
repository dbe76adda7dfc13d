"""Hybrid retrieval: scope rules and bad input with a fake embedder; quality with the real one."""
from __future__ import annotations

import statistics
import time

import pytest

from assistant.embedders import EmbeddingCache, FakeEmbedder
from assistant.index import chroma_client, open_index, rules_for_clauses
from assistant.retrieval import Hit, HybridRetriever, region_chain
from errors import PolicyError
from ingest.normalize import for_matching
from ingest.rules import load_rulebook


@pytest.fixture(scope="module")
def fake_retriever(tmp_path_factory, packaged_kb) -> HybridRetriever:
    data = tmp_path_factory.mktemp("fake-retrieval")
    rule_map = rules_for_clauses(packaged_kb, load_rulebook())
    index = open_index(chroma_client(data), packaged_kb, FakeEmbedder(),
                       EmbeddingCache(data / "emb.sqlite"), rule_map)
    return HybridRetriever(packaged_kb, index, rule_map=rule_map)


def _docs(hits: list[Hit]) -> set[str]:
    return {h.clause.doc_id for h in hits}


def test_hits_carry_clause_meta_rules_and_matched_terms(fake_retriever):
    hits = fake_retriever.search("河南国家级专精特新小巨人企业设备投资补助多少", k=3)
    top = hits[0]
    assert top.clause.id == "henan_2022_tech_upgrade#三、（一）3"
    assert top.meta.doc_number == "豫政办〔2022〕8号" and top.rule_ids
    assert "小巨人" in top.matched_terms
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    with pytest.raises(AttributeError):
        top.score = 1.0                                   # frozen
    assert top.to_dict()["clause"] == "三、（一）3" and top.to_dict()["region"] == "河南省"


@pytest.mark.parametrize("query, docs", [
    ("佛山对标识解析二级节点补多少", {"foshan_industrial_internet"}),
    ("广东对企业上云有什么支持", {"foshan_industrial_internet"}),          # 广东 finds 佛山
    ("长沙的企业开发工业APP有补贴吗", {"hunan_mfg_internet"}),             # a city of a covered province
    ("河南省技术改造补助", {"henan_2018_smart_mfg", "henan_2022_tech_upgrade"}),
])
def test_a_named_region_limits_the_documents(fake_retriever, query, docs):
    hits = fake_retriever.search(query, k=10)
    assert hits and _docs(hits) <= docs


def test_two_regions_search_both(fake_retriever):
    hits = fake_retriever.search("河南和佛山对工业互联网标杆示范项目的奖励有什么不同", k=10)
    regions = {h.meta.region for h in hits}
    assert regions <= {"河南省", "佛山市"} and len(regions) == 2


def test_an_uncovered_region_gets_no_hits(fake_retriever):
    assert fake_retriever.search("北京市对智能工厂的奖励是多少？") == []
    assert fake_retriever.search("浙江 上云 补贴") == []


def test_region_and_doc_id_arguments(fake_retriever):
    assert _docs(fake_retriever.search("工业互联网平台", k=10, region="湖南省")) == {"hunan_mfg_internet"}
    assert _docs(fake_retriever.search("工业互联网平台", k=10, region="佛山")) == {"foshan_industrial_internet"}
    assert fake_retriever.search("工业互联网平台", region="北京市") == []
    only = fake_retriever.search("补助", k=10, doc_ids=["henan_2018_smart_mfg"])
    assert _docs(only) == {"henan_2018_smart_mfg"}
    assert fake_retriever.search("补助", doc_ids=["henan_2018_smart_mfg"], region="湖南") == []


def test_region_chains():
    assert region_chain("辽宁省大连市甘井子区") == ["辽宁", "大连", "甘井子"]
    assert region_chain("上海市（临港地区）") == ["上海", "临港"]


def test_amount_questions_prefer_clauses_with_rules(fake_retriever):
    plain = fake_retriever.search("佛山 资源池 服务商", k=5, want_amount=False)
    priced = fake_retriever.search("佛山 资源池 服务商", k=5, want_amount=True)
    assert sum(bool(h.rule_ids) for h in priced[:2]) >= sum(bool(h.rule_ids) for h in plain[:2])
    assert priced[0].rule_ids


def test_headings_do_not_crowd_out_their_items(fake_retriever):
    hits = fake_retriever.search("技术改造项目", k=5, region="河南")
    assert not hits[0].clause.is_heading


@pytest.mark.parametrize("query", ["", "   ", "x" * 100_000, "补贴" * 50_000])
def test_empty_or_huge_queries_are_refused_in_chinese(fake_retriever, query):
    with pytest.raises(PolicyError) as err:
        fake_retriever.search(query)
    assert err.value.code in {"empty_query", "query_too_long"} and err.value.message


@pytest.mark.parametrize("query", ["？？！！。。", "😀🎉🙏", "'; DROP TABLE clauses; --",
                                   "<script>alert(1)</script>", "../../etc/passwd", "\x00\x01"])
def test_meaningless_queries_get_no_hits(fake_retriever, query):
    assert fake_retriever.search(query) == []


def test_fragments_around_a_real_question_still_work(fake_retriever):
    hits = fake_retriever.search("<b>零增地</b> OR 1=1; --")
    assert hits and "零增地" in hits[0].clause.text


def test_without_a_dense_index_the_lexical_side_still_answers(packaged_kb):
    retriever = HybridRetriever(packaged_kb, None)
    assert "零增地" in retriever.search("零增地")[0].clause.text


# -- the real embedder ------------------------------------------------------------------------
def _rank(hits: list[Hit], snippets: list[str]) -> int | None:
    for i in range(len(hits)):
        seen = for_matching("".join(h.clause.text for h in hits[:i + 1]))
        if all(for_matching(s) in seen for s in snippets):
            return i + 1
    return None


@pytest.mark.slow
def test_users_words_find_the_cited_clause(real_retriever, retrieval_cases):
    assert len(retrieval_cases) >= 40
    ranks = {c["id"]: _rank(real_retriever.search(c["q"], k=5), c["cite"]) for c in retrieval_cases}
    missing = [cid for cid, r in ranks.items() if r is None]
    assert missing == []                                              # recall@5 = 1.0
    at_one = sum(r == 1 for r in ranks.values()) / len(ranks)
    assert at_one >= 0.9, {cid: r for cid, r in ranks.items() if r != 1}


@pytest.mark.slow
def test_the_product_card_examples(real_retriever):
    voucher = real_retriever.search("上云 服务券 补贴")
    assert voucher[0].clause.id == "foshan_industrial_internet#一、第4段"
    land = real_retriever.search("零增地")
    assert all("零增地" in h.clause.text for h in land[:2])
    assert {h.clause.doc_id for h in land[:2]} == {"henan_2018_smart_mfg", "henan_2022_tech_upgrade"}


@pytest.mark.slow
def test_warm_queries_are_fast(real_retriever, retrieval_cases):
    real_retriever.search("预热")
    times = []
    for case in retrieval_cases[:30]:
        start = time.perf_counter()
        real_retriever.search(case["q"])
        times.append(time.perf_counter() - start)
    # the benchmark reports p95 on a quiet machine (< 50 ms); here other test runs share the CPU
    assert statistics.median(times) < 0.15
