"""Re-ranking by the kind of question and by the qualifiers that tell sibling clauses apart."""
from __future__ import annotations

import pytest

from assistant.rerank import CUES_FILE, Reranker, load_cues, parse_cues
from assistant.retrieval import HybridRetriever, _is_heading, _pays_money
from errors import PolicyError
from ingest.clauses import Clause

SIBLINGS = [
    "1.收购境外科技型企业的项目，按收购金额的20%给予支持。",
    "2.收购境外非科技型企业的项目，按收购金额的10%给予支持。",
    "3.收购省外科技型企业的项目，按收购金额的5%给予支持。",
    "4.收购省外非科技型企业的项目，不予支持。",
]


def test_a_negated_qualifier_tells_siblings_apart():
    r = Reranker(SIBLINGS)
    plain = r.factors("我们收购了一家海外的科技型公司 海外", range(4))
    assert plain[0] > plain[1] and plain[2] > plain[3]
    negated = r.factors("收购的是一家非科技型的贸易公司 省外", range(4))
    assert negated[3] == max(negated.values()) and negated[0] == min(negated.values())


def test_a_place_qualifier_clashes_only_with_the_other_place():
    r = Reranker(SIBLINGS + ["支持企业收购境外、省外企业的股权。", "申报材料一式两份。"])
    f = r.factors("收购了江苏的一家科技型企业 省外", range(6))
    assert f[2] > f[0]
    assert f[4] == 1.0 and f[5] == 1.0      # naming both places, or none, takes no side


def test_a_text_naming_both_sides_of_a_negation_takes_no_side():
    r = Reranker(["境外上市融资1000万美元以上的企业（含首发和非首发），补贴200万元。"])
    assert r.factors("我们准备首发上市", [0]) == {0: 1.0}


def test_qualifiers_count_in_the_clause_opening_only():
    long_tail = "对国内优势企业在我省设立研究机构的，给予支持；" + "其中" * 30 + "研究机构在境外设立分支的另行认定。"
    assert Reranker([long_tail]).factors("省外企业来设研究机构 省外", [0]) == {0: 1.0}


@pytest.mark.parametrize("question, kind", [
    ("拿了区里的扶持以后想把公司迁到别的区，有没有什么限制？", "relocation"),
    ("高新技术企业奖励和专项奖励两个都能拿吗？", "stacking"),
    ("这笔资助能不能拿来还银行贷款？", "use_of_funds"),
    ("补贴的办公室能不能转租？", "letting"),
    ("这笔奖励第一年能先拨多少？", "instalment"),
])
def test_question_kinds(question, kind):
    assert kind in {k.name for k in Reranker([]).kinds(question)}


@pytest.mark.parametrize("question", ["研发投入500万能补多少？", "我们同时拿了鲁班奖和钱江杯，一共奖励多少？",
                                      "被投企业不属于禁止、限制类产业，奖励多少？"])
def test_award_questions_ask_no_kind_of_limit(question):
    assert not {k.name for k in Reranker([]).kinds(question)} & {"limits", "stacking", "relocation"}


def test_a_stacking_question_prefers_the_clause_against_taking_both():
    texts = ["首次认定为高新技术企业的一次性奖励10万元。", "列入省级专项的项目一次性奖励20万元。",
             "同一年度内符合多项奖励条件的企业，至多只能获得一项奖励。"]
    f = Reranker(texts).factors("高新技术企业和省级专项两个都能拿吗", range(3))
    assert f[2] > f[0] == f[1] == 1.0


def test_the_retriever_applies_the_factors(packaged_kb):
    retriever = HybridRetriever(packaged_kb, None)
    pos = 5
    before = dict(retriever._fuse([], [(pos, 1.0)], False, [], "问题"))[pos]
    retriever.reranker.factors = lambda text, positions: {p: 2.0 for p in positions}
    assert dict(retriever._fuse([], [(pos, 1.0)], False, [], "问题"))[pos] == pytest.approx(2 * before)


def test_the_cue_file_loads_and_broken_cues_are_refused_in_chinese():
    cues = load_cues(CUES_FILE)
    assert {"limits", "stacking", "relocation", "instalment"} <= {k.name for k in cues.kinds}
    for broken in [{}, {"kinds": {"x": {"boost": 1, "asks": [], "states": ["不得"]}}, "negation": "非",
                                  "match": 0.2, "clash": 0.3},
                   {"kinds": {"x": {"boost": 9, "asks": ["a"], "states": ["b"]}}, "negation": "非",
                    "match": 0.2, "clash": 0.3},
                   {"kinds": {}, "contrasts": [[["海外"]]], "negation": "非", "match": 0.2, "clash": 0.3},
                   {"kinds": {}, "negation": "", "match": 0.2, "clash": 0.3}]:
        with pytest.raises(PolicyError) as err:
            parse_cues(broken)
        assert "检索词表" in err.value.args[-1] or "检索词表" in str(err.value)


def _clause(text: str, nested: bool, kind: str = "article") -> Clause:
    return Clause(id="d#1", doc_id="d", label="第三条", text=text, headings=(), kind=kind, start=0,
                  end=len(text), is_heading=nested)


def test_an_article_stating_its_award_is_no_heading_though_paragraphs_nest_under_it():
    assert _is_heading(_clause("第八条 申报材料：", nested=True))
    assert not _is_heading(_clause("第三条 新引进的外资企业，实到外资1000万美元以上的，分别给予奖励200万元。", nested=True))
    assert _is_heading(_clause("关于印发某某办法的通知", nested=False, kind="preamble"))


def test_a_stated_sum_paid_counts_as_priced_but_a_threshold_alone_does_not():
    assert _pays_money("对自营出口额500万美元以上且增长10%以上的，给予5万元奖励。")
    assert not _pays_money("成套装备的首套销售价格不低于500万元。")
    assert not _pays_money("对入驻企业给予奖励。")
