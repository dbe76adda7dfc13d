"""Conditions a drafted award leaves to another clause (assistant/deferred_conditions.py,
assistant/condition_check.py).

The clause texts are written here for the tests: an office guide that states the award in one
section and the applicants' conditions in another, and a policy whose leased and bought premises
are paid by different sentences."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import condition_check as cc
from assistant import deferred_conditions as dc
from assistant.answer import Calculation, Citation
from calculators.models import Rule
from errors import PolicyError
from ingest.clauses import Clause

_GUIDE = [   # (label, parent, heading?, headings, text)
    ("一、", None, True, (), "一、 申报条件"),
    ("一、1", "一、", False, ("一、 申报条件",), "1.申报单位注册地及税务关系均在江门市蓬江区，具有独立法人资格。"),
    ("一、2", "一、", False, ("一、 申报条件",), "2.申报单位注册地址由江门市以外地区迁入蓬江区，迁入时间在本年度内。"),
    ("一、3", "一、", False, ("一、 申报条件",), "3.申报单位若为制造业企业，上年度销售收入不超过3亿元；若为其他类型企业，上年度销售收入不超过8000万元。"),
    ("二、", None, True, (), "二、 奖励标准"),
    ("二、第1段", "二、", False, ("二、 奖励标准",), "对符合条件的申报单位，一次性给予15万元迁入奖励。"),
    ("三、", None, True, (), "三、 申请材料"),
    ("三、1", "三、", False, ("三、 申请材料",), "1.符合申报条件的其他证明材料（复印件）。"),
]


def _document(rows) -> SimpleNamespace:
    clauses, start = [], 0
    for label, parent, heading, headings, text in rows:
        clauses.append(Clause(id=f"g#{label}", doc_id="g", label=label, text=text, headings=headings,
                              kind="point", start=start, end=start + len(text), parent=parent,
                              is_heading=heading))
        start += len(text) + 1
    return SimpleNamespace(clauses=clauses)


def _rule(label: str, quote: str, clause: str = "二、第1段", status: str = "draft") -> Rule:
    return Rule(id="r", doc_id="g", clause=clause, quote=quote, title="迁入奖励", region="广东省江门市蓬江区",
                keywords=["迁入"], kind="fixed", status=status, fixed_yuan=Decimal(150_000),
                examples=[{"amount_yuan": 150_000}], conditions=[{"fact": "f0", "label": label}])


def test_a_subject_that_names_no_one_defers_and_a_named_one_does_not():
    assert dc.defers(_rule("符合条件的申报单位", "对符合条件的申报单位，一次性给予15万元迁入奖励。"))
    assert dc.defers(_rule("奖励标准", "按申报单位实际支付利息的50%给予补贴。"))
    assert not dc.defers(_rule("首次入选省级专精特新企业", "对首次入选省级专精特新企业的，给予15万元奖励。"))


def test_the_conditions_are_the_clauses_under_the_conditions_heading():
    found = dc.conditions_clauses(_document(_GUIDE), "二、第1段")
    assert [c.label for c in found] == ["一、1", "一、2", "一、3"]    # not the materials list


def test_without_a_heading_the_nearest_lead_before_the_award_is_used():
    rows = [
        ("第一章", None, True, (), "第一章 总部认定"),
        ("第一章第二条", "第一章", True, ("第一章 总部认定",), "第二条 申请场地补贴的企业，应符合以下条件："),
        ("第一章第二条（一）", "第一章第二条", False, ("第二条 申请场地补贴的企业，应符合以下条件：",),
         "（一）在本区新注册的企业；"),
        ("第一章第三条", "第一章", False, ("第一章 总部认定",), "第三条 对符合条件的企业，按每平方米600元给予一次性补贴。"),
        ("第二章", None, True, (), "第二章 人才"),
        ("第二章第四条", "第二章", False, ("第二章 人才",), "第四条 对符合上述条件的人才给予5万元奖励。"),
    ]
    doc = _document(rows)
    assert [c.label for c in dc.conditions_clauses(doc, "第一章第三条")] == ["第一章第二条（一）"]
    assert dc.conditions_clauses(doc, "第二章第四条") == []          # another chapter's lead is not its own


def test_upper_and_lower_bounds_are_read():
    upper = cc.bounds("上年度销售收入不超过3亿元")[0]
    assert (upper.value, upper.upper, upper.strict) == (Decimal(300_000_000), True, False)
    lower = cc.bounds("研发人员达到30人以上")[0]
    assert (lower.value, lower.unit, lower.upper) == (Decimal(30), "人", False)
    assert cc.bounds("迁入时间在本年度内") == []


@pytest.mark.parametrize("question, want", [
    ("去年销售收入3.5亿，从佛山迁到蓬江区，迁入奖励多少？", "failed"),         # fails both kinds of applicant
    ("去年销售收入1亿元，从佛山迁来，迁入奖励多少？", "unclear"),           # meets one kind, fails the other
    ("去年销售收入5000万元，从佛山迁来，迁入奖励多少？", "met"),
    ("我们是制造业企业，去年销售收入1亿元，从佛山迁来，迁入奖励多少？", "met"),    # its kind's ceiling
    ("我们是贸易公司，属于其他类型企业，去年销售收入1亿元，从佛山迁来，奖励多少？", "failed"),
    ("公司从江门市新会区迁到蓬江区，迁入奖励多少？", "failed"),            # 新会区 lies inside 江门市
    ("公司从外地迁来蓬江区，迁入奖励多少？", "unclear"),                  # where from cannot be read exactly
    ("迁入奖励是多少？", "unstated"),
])
def test_stated_facts_are_read_against_the_deferred_conditions(question, want):
    clauses = dc.conditions_clauses(_document(_GUIDE), "二、第1段")
    assert cc.check(clauses, question).status == want


def test_a_failed_condition_makes_the_figure_ineligible_with_the_condition_quoted():
    kb = SimpleNamespace(documents={"g": _document(_GUIDE)})
    rule = _rule("符合条件的申报单位", "对符合条件的申报单位，一次性给予15万元迁入奖励。")
    cite = lambda doc_id, label: Citation(doc_id=doc_id, title="迁入奖励办事指南", region="蓬江区",  # noqa: E731
                                          clause=label, text="")
    calc = Calculation(rule_id="r", title="迁入奖励", eligible=True, amount_yuan=150_000, citation=cite("g", "二、第1段"))
    moved = dc.applied(calc, dc.for_rule(kb, rule, "我们从江门市新会区迁到蓬江区，迁入奖励多少？"), cite)
    assert (moved.eligible, moved.amount_yuan) == (False, 0)
    assert "由江门市以外地区迁入蓬江区" in moved.reason and "一、2" in moved.reason
    listed = dc.applied(calc, dc.for_rule(kb, rule, "迁入奖励是多少？"), cite)
    assert listed.amount_yuan == 150_000 and len(listed.conditions) == 3
    assert "《迁入奖励办事指南》一、3" in listed.conditions[2]
    reviewed = _rule("符合条件的申报单位", rule.quote, status="reviewed")
    assert dc.for_rule(kb, reviewed, "我们从江门市新会区迁来") is None     # a reviewed rule is the reviewer's


@pytest.mark.parametrize("subject, question, misfit", [
    ("企业在本区新建或购置自用研发用房", "我们租了2000平方米做研发，补多少？", True),
    ("企业在本区租赁自用研发用房", "我们买了2000平方米研发楼，补多少？", True),
    ("企业在本区租赁自用研发用房", "我们承租了2000平方米，补多少？", False),
    ("企业在本区新建或购置自用研发用房", "研发用房补贴标准是多少？", False),   # the question states no side
    ("引进的高层次人才", "我们自主培养的博士能拿多少？", True),
    ("在本区设立的研发机构", "我们租了2000平方米做研发，补多少？", False),   # the subject states no side
])
def test_a_question_on_one_side_of_a_contrast_does_not_fit_the_other(subject, question, misfit):
    assert dc.contrast_misfit(subject, question) is misfit


def test_a_broken_vocabulary_is_refused_in_chinese(tmp_path: Path):
    bad = tmp_path / "deferred.yaml"
    bad.write_text("deferring: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="条件词表"):
        cc.load_vocabulary(bad)


def test_users_words_for_a_measure_are_folded_to_the_policys():
    rows = [("一、", None, True, (), "一、申请条件"),
            ("一、1", "一、", False, ("一、申请条件",), "1.申报单位上年度营业收入不超过2亿元。")]
    clauses = dc.conditions_clauses(_document(rows), "二、第1段")
    assert cc.check(clauses, "我们去年营收2.4亿，贴息多少？").status == "failed"
    assert cc.check(clauses, "我们去年营收1.9亿，贴息多少？").status == "met"


@pytest.mark.parametrize("question, want", [
    ("我们公司注册在江门市新会区，迁入奖励多少？", "failed"),
    ("我们注册在蓬江区，迁入奖励多少？", "met"),
    ("我们注册在一个产业园里，迁入奖励多少？", "unclear"),      # no place the table can read
])
def test_where_the_applicant_is_registered_is_checked_with_the_region_table(question, want):
    rows = [("一、", None, True, (), "一、 申报条件"),
            ("一、1", "一、", False, ("一、 申报条件",), "1.申报单位工商注册地在江门市蓬江区范围内。")]
    assert cc.check(dc.conditions_clauses(_document(rows), "二、第1段"), question).status == want


def _rate_rule(label: str) -> Rule:
    return Rule(id="r", doc_id="g", clause="二、第1段", quote="按申报单位贷款的100%给予贴息，贴息金额不超过50万元。",
                title="贴息", region="广东省江门市蓬江区", keywords=["贴息"], kind="rate", status="draft",
                base="loan_yuan", rate=Decimal(1), cap_yuan=Decimal(500_000),
                inputs=[{"name": "loan_yuan", "label": label}],
                examples=[{"inputs": {"loan_yuan": 100_000}, "amount_yuan": 100_000}],
                conditions=[{"fact": "f0", "label": "奖励标准"}])


def test_an_amount_that_is_a_conditions_value_or_a_rate_is_not_computed_from():
    rows = [("一、", None, True, (), "一、申请条件"),
            ("一、1", "一、", False, ("一、申请条件",), "1.申报单位上年度营业收入不超过2亿元。")]
    kb = SimpleNamespace(documents={"g": _document(rows)})
    rule = _rate_rule("申报单位当笔贷款利息")
    question = "我们去年营收1.5亿，贴息多少？"
    later = dc.for_rule(kb, rule, question)
    revenue = SimpleNamespace(sets=[{"loan_yuan": Decimal(150_000_000)}])
    assert dc.unclear_first(later, "unstated", "", rule, revenue)[0] == "unclear"   # 1.5亿 is the revenue
    interest = SimpleNamespace(sets=[{"loan_yuan": Decimal(80_000)}])
    assert dc.unclear_first(later, "unstated", "", rule, interest)[0] == "unstated"
    rated = _rate_rule("申报单位当笔贷款基准利率")
    assert dc.unclear_first(later, "unstated", "", rated, interest) == ("unclear", "申报单位当笔贷款基准利率")
    too_big = dc.for_rule(kb, rule, "我们去年营收2.5亿，贴息多少？")
    assert dc.unclear_first(too_big, "unstated", "", rated, interest)[0] == "unstated"   # ineligible instead
