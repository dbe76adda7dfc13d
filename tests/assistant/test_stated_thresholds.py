"""A drafted rule's threshold conditions read against the question (assistant/stated_thresholds.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.stated_thresholds import thresholds, verdict
from calculators.models import Rule


def _rule(*labels: str) -> Rule:
    return Rule(id="r", doc_id="d", clause="c", quote="q", title="t", region="辽宁省大连市", keywords=["k"],
                kind="fixed", status="draft", fixed_yuan=Decimal(200_000), examples=[{"amount_yuan": 200_000}],
                conditions=[{"fact": f"f{i}", "label": label} for i, label in enumerate(labels)])


def test_thresholds_are_read_with_their_unit_and_strictness():
    assert thresholds("实际资金到位额超过2000万元")[0].value == Decimal(20_000_000)
    area = thresholds("线下园区实际使用面积超过5万平方米")[0]
    assert (area.value, area.unit, area.strict) == (Decimal(50_000), "平方米", True)
    firms = thresholds("入驻有经营业绩的跨境电商企业达到20家")[0]
    assert (firms.value, firms.unit, firms.strict) == (Decimal(20), "家", False)
    assert thresholds("经认定的新设外资研发中心") == []


@pytest.mark.parametrize("question, want", [
    ("高端科技服务业机构，实际资金到位1800万元，市里的资金补贴能拿多少？", "failed"),
    ("高端科技服务业机构，实际资金到位2,800万元，市里的资金补贴能拿多少？", "met"),
    ("高端科技服务业机构，实际资金到位额正好2000万元，能拿多少？", "failed"),       # 超过: not the value itself
    ("高端科技服务业机构，实际资金已经到位了，能拿多少？", "unclear"),            # spoken of, no figure for it
    ("高端科技服务业机构，能拿多少补贴？", "unstated"),
])
def test_a_stated_value_meets_or_fails_the_threshold(question, want):
    assert verdict(_rule("实际资金到位额超过2000万元"), question)[0] == want


def test_a_count_is_tied_to_its_words_before_it_is_trusted():
    rule = _rule("线下园区实际使用面积超过5万平方米", "入驻有经营业绩的跨境电商企业达到20家")
    assert verdict(rule, "园区实际使用面积6.2万平方米，园区里有经营业绩的跨境电商企业已有26家")[0] == "met"
    assert verdict(rule, "园区实际使用面积4.8万平方米，园区里有经营业绩的跨境电商企业已有26家")[0] == "failed"
