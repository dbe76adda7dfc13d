"""Two ways a question reads for a draft, not against it (assistant/draft_trust.py): the first
instalment asked when it was read as asked, and a denial that is the clause's own negative condition."""
from __future__ import annotations

from decimal import Decimal

from assistant.draft_trust import fits_better, trusted
from assistant.lexicon import load_lexicon
from calculators.models import Rule

LEX = load_lexicon()
QUOTE = "总部企业实缴注册资本超过5000万元的，按1%给予落户扶持，最高不超过300万元，按40%、30%、30%的比例分三年发放。"


def _instalments() -> Rule:
    return Rule(id="r", doc_id="d", clause="c", quote=QUOTE, title="落户扶持", region="辽宁省大连市甘井子区",
                keywords=["落户扶持"], kind="rate", status="draft", base="x", rate=Decimal("0.01"),
                cap_yuan=Decimal(3_000_000), inputs=[{"name": "x", "label": "总部企业实缴注册资本"}],
                conditions=[{"fact": "f", "label": "总部企业实缴注册资本超过5000万元"}],
                instalments=[{"stage": "第1年", "share": "0.4"}, {"stage": "第2年", "share": "0.3"},
                             {"stage": "第3年", "share": "0.3"}],
                examples=[{"inputs": {"x": 100_000_000}, "amount_yuan": 1_000_000}])


def test_one_instalment_asked_is_computed_only_when_read_as_the_first():
    rule, asked = _instalments(), "总部企业，实缴注册资本1.8亿元，落户扶持第一年能发下来多少？"
    assert not trusted(rule, 0, QUOTE, [rule], asked)
    assert trusted(rule, 0, QUOTE, [rule], asked, first_stage=True)
    later = "总部企业，实缴注册资本1.8亿元，落户扶持第二年能发多少？"
    assert not trusted(rule, 0, QUOTE, [rule], later, first_stage=False)


def test_the_first_year_cue_reads_a_payment_asked_not_a_period_said():
    cue = LEX.cue("first_year")
    assert cue.search("落户扶持第一年能发下来多少？")
    assert cue.search("这笔奖励投产后第一年能拨到多少钱")
    assert not cue.search("拿到营业执照后第一年实际到账外资1500万美元，区里能奖励多少？")


MINE = "对纳入规上统计、未享受过省级技术改造补助的企业，按设备投资额的10%给予奖励"
RIVAL = "对企业购置研发设备的，按购置金额给予贴息支持"


def test_a_denial_of_the_clauses_own_negative_condition_counts_for_it():
    asked, denied = "我们是规上企业，今年买了设备，设备投资能奖多少", "没享受过省级技术改造补助"
    assert fits_better(MINE, RIVAL, asked, denied)
    assert not fits_better(RIVAL, MINE, asked, denied)


def test_a_denial_of_what_a_clause_asks_for_still_counts_against_it():
    wants = "对已享受省级技术改造补助的企业，按设备投资额的10%追加奖励"
    asked, denied = "我们是规上企业，今年买了设备，设备投资能奖多少", "没享受过省级技术改造补助"
    assert not fits_better(wants, RIVAL, asked, denied)
