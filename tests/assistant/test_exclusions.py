"""What a fact the user states excludes from an award (assistant/exclusions.py): kinds of applicant a
whole document excludes, read from the drafter's note, and the exclusion sentences of a draft's own
clause, on notes and clauses written here."""
from decimal import Decimal

import pytest

from assistant.answer import Calculation, Citation
from assistant.exclusions import Stated, applied, document_exclusion
from calculators.models import Rule

NEGATIONS = ["不是", "并非", "非", "没有", "不属于"]
NOTE = "本文件另规定：娱乐业、批发型企业均不享受本办法全部条款（九、第1段）"
CLAUSE = ("完成攻关任务并通过验收的牵头单位，按其研发投入的20%给予奖补，最高100万元。"
          "对已获得市级科技计划立项支持的项目，不再重复支持。")


def test_an_enterprise_of_an_excluded_kind_is_found():
    found = document_exclusion([NOTE], "我们是一家批发型企业，今年新认定了", NEGATIONS)
    assert found and found.fact == "批发型企业" and found.sentence == NOTE.removeprefix("本文件另规定：")


def test_a_kind_said_in_a_denial_or_a_list_of_denials_excludes_nothing():
    assert document_exclusion([NOTE], "我们是制造企业（不是娱乐业、批发型企业）", NEGATIONS) is None
    assert document_exclusion([NOTE], "我们并非批发型企业", NEGATIONS) is None


def test_without_the_documents_exclusion_note_nothing_is_excluded():
    assert document_exclusion(["另有规定：按年度预算执行"], "我们是一家批发型企业", NEGATIONS) is None


def _rule(status: str = "draft") -> Rule:
    return Rule(id="r", doc_id="d", clause="c", quote="q", title="t", region="河北省", keywords=["k"],
                kind="fixed", status=status, fixed_yuan=Decimal(300_000), examples=[{"amount_yuan": 300_000}],
                notes=[NOTE])


def _calc(eligible: bool = True) -> Calculation:
    citation = Citation(doc_id="d", title="t", region="河北省", clause="c", text=CLAUSE)
    return Calculation(rule_id="r", title="t", eligible=eligible, amount_yuan=300_000 if eligible else None,
                       formula="定额奖励30万元", citation=citation)


def _stated(said: str, denied: str = "") -> Stated:
    return Stated("，".join(p for p in (said, denied) if p), said, denied, NEGATIONS)


def test_a_kind_the_document_excludes_withholds_the_figure_and_says_why():
    calc = applied(_calc(), _rule(), CLAUSE, _stated("我们是一家批发型企业，项目验收了"))
    assert not calc.eligible and calc.amount_yuan == 0
    assert calc.formula == "批发型企业不享受本文件政策，不符合申报条件"
    assert calc.reason == NOTE.removeprefix("本文件另规定：")


def test_the_fact_of_a_clause_exclusion_withholds_a_drafts_figure():
    calc = applied(_calc(), _rule(), CLAUSE, _stated("项目验收了，之前拿过市级科技计划的立项支持"))
    assert not calc.eligible and calc.amount_yuan == 0
    assert calc.formula.startswith("条款规定：对已获得市级科技计划立项支持的项目，不再重复支持。")
    assert "获得市级科技计划立项支持的项目" in calc.reason


@pytest.mark.parametrize("said, denied, conditions", [
    ("项目验收了", "", ["不属于以下情形：对已获得市级科技计划立项支持的项目，不再重复支持"]),
    ("项目验收了", "没有获得过市级科技计划立项支持", []),
])
def test_a_clause_exclusion_not_stated_is_a_condition_and_a_denied_one_nothing(said, denied, conditions):
    calc = applied(_calc(), _rule(), CLAUSE, _stated(said, denied))
    assert calc.eligible and calc.amount_yuan == 300_000 and calc.conditions == conditions


def test_a_reviewed_rule_or_an_ineligible_figure_answers_only_to_the_documents_kinds():
    stated = _stated("项目验收了，之前拿过市级科技计划的立项支持")
    assert applied(_calc(), _rule("reviewed"), CLAUSE, stated) == _calc()
    assert applied(_calc(eligible=False), _rule(), CLAUSE, stated) == _calc(eligible=False)
    kind = applied(_calc(eligible=False), _rule("reviewed"), CLAUSE, _stated("我们是娱乐业企业"))
    assert kind.formula == "娱乐业不享受本文件政策，不符合申报条件"
