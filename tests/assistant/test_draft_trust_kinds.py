"""The trust check on the drafted shapes of tests/ingest/test_draft_kinds.py (real clauses of ../shared/corpus-extra):
a draft that reads every number of its clause may give its figure; a clause with a number no draft reads may not."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.draft_trust import missed_threshold, trusted, unexplained
from ingest.clauses import parse_clauses
from ingest.draft import draft_document
from ingest.draft_conditions import rule_numbers
from ingest.loaders import load_text

_ROOT = Path(__file__).resolve().parents[2]
EXTRA = next((p / "shared" / "corpus-extra" for p in (_ROOT.parent, _ROOT.parent.parent)
              if (p / "shared" / "corpus-extra").is_dir()), _ROOT.parent / "shared" / "corpus-extra")

pytestmark = pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/corpus-extra is not present")


def clause_and_rules(stem: str, label: str):
    text = load_text(EXTRA / f"{stem}.txt")
    rules = [r for r in draft_document(stem, text, "测试地区").rules if r.clause == label]
    return parse_clauses(stem, text).by_label(), rules


def test_a_stepped_award_read_across_two_clauses_is_trusted():
    by_label, (rule,) = clause_and_rules("002_ganjingzi_financial_leasing", "第四条（二）")
    base = by_label["第四条（一）"].text.removeprefix("（一）")
    question = "我们是入驻大连融资租赁服务园区的融资租赁企业，到位注册资本2.7亿元，能拿多少奖励？"
    assert trusted(rule, 0, by_label["第四条（二）"].text, [rule], question, [], [base])
    assert not trusted(rule, 5, by_label["第四条（二）"].text, [rule], question, [], [base])   # not the clause asked


@pytest.mark.parametrize("stem,label", [("007_ganjingzi_economic_awards", "第四章第六条"),
                                        ("013_dalian_foreign_investment", "一、1"),
                                        ("024_liuhe_key_industries_2023", "二、（三）第5条"),
                                        ("009_ganjingzi_foreign_trade_ecommerce", "第二章第十条（一）")])
def test_new_shapes_that_read_every_number_are_trusted(stem, label):
    by_label, rules = clause_and_rules(stem, label)
    assert rules and unexplained(by_label[label].text, rules) == []
    assert all(trusted(r, 0, by_label[label].text, rules) for r in rules)


@pytest.mark.parametrize("stem,label,conditions", [
    ("015_dalian_cross_border_ecommerce", "第二章第六条（一）", ["线下园区实际使用面积超过5万平方米", "入驻有经营业绩的跨境电商企业达到20家"]),
    ("002_ganjingzi_financial_leasing", "第五条", ["单套价格达到200万元人民币及以上"]),
    ("004_ganjingzi_hq_economy", "第三章第六条（一）第1段", ["建筑面积自用率达到60%以上"])])
def test_thresholds_on_another_quantity_are_carried_as_conditions_and_trusted(stem, label, conditions):
    """线下园区实际使用面积超过5万平方米、…达到20家的，每新入驻1家…: the thresholds are not of the counted
    base; each becomes a condition with its number (listed as 需满足的条件), so the figure is not refused."""
    by_label, (rule,) = clause_and_rules(stem, label)
    assert [c.label for c in rule.conditions[1:]] == conditions
    assert missed_threshold(rule) is None
    assert trusted(rule, 0, by_label[label].text, [rule])


def test_numbers_no_draft_reads_refuse_the_figure():
    # 给予20万元扶持资金；超过5000万美元的，给予50万元；超过1亿美元的…: bands nobody drafted, a threshold no condition carries
    label = "第二章第六条（六）"
    by_label, rules = clause_and_rules("015_dalian_cross_border_ecommerce", label)
    assert rules and not any(trusted(r, 0, by_label[label].text, rules) for r in rules)
    assert "5000万美元" in missed_threshold(rules[0], by_label[label].text, set().union(*(rule_numbers(r) for r in rules)))
    # 每增加出口1美元，即给予0□02元: listed, and the amount is a number nothing reads
    by_label, rules = clause_and_rules("009_ganjingzi_foreign_trade_ecommerce", "第二章第七条（一）")
    assert rules == [] and unexplained(by_label["第二章第七条（一）"].text, rules)
