"""A drafted rule's input takes the amount the user's words name, in the user's own wording
(assistant/label_match.py through assistant/inputs.gather), read from real sentences."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.case import Item
from assistant.folding import fold_amounts
from assistant.inputs import gather
from assistant.label_match import fit, growth_stem
from assistant.lexicon import load_facts, load_lexicon
from assistant.reading import TurnReader
from calculators.items import calculate_many
from calculators.models import Rule

LEX = load_lexicon()
READER = TurnReader(LEX, load_facts())


def _item(text: str) -> Item:
    item = Item()
    fold_amounts(item, READER.read(text), False, LEX)
    return item


def _draft(label: str, rate: str = "0.2", cap: int | None = None, max_years: int | None = None) -> Rule:
    quote = f"按{label}的{Decimal(rate) * 100:g}%给予奖励" + (f"，最高不超过{cap // 10_000}万元。" if cap else "。")
    return Rule(id="r", doc_id="d", clause="c", quote=quote, title="t", region="吉林省通化市柳河县",
                keywords=["k"], kind="rate", status="draft", base="x", rate=Decimal(rate),
                cap_yuan=Decimal(cap) if cap else None, max_years=max_years,
                inputs=[{"name": "x", "label": label}],
                examples=[{"inputs": {"x": 1_000_000}, "amount_yuan": min(int(1_000_000 * Decimal(rate)),
                                                                           cap or 10**12)}])


def _bases(rule: Rule, text: str, **kw) -> list[Decimal]:
    return [s["x"] for s in gather(rule, _item(text), LEX, **kw).sets]


@pytest.mark.parametrize("label, text, want", [
    ("实际研发费用支出", "承担科技重大项目，研发投入900万元，最多能补多少？", 9_000_000),
    ("所获国家拨款额", "争取到国家科技重大专项，国家拨款720万元，市里配套多少？", 7_200_000),
    ("新设备购置费用", "项目固定资产投资3500万元，其中新设备购置费用1600万元，能奖多少？", 16_000_000),
    ("研发实际发生额", "产品年销售额1500万元，研发实际花了180万元，县里奖励多少？", 1_800_000),
    ("风险投资总额", "产业化项目刚拿到社会风险投资3,200万元，能给多少跟进支持？", 32_000_000),
])
def test_a_paraphrase_of_the_label_fills_it(label, text, want):
    assert _bases(_draft(label), text) == [Decimal(want)]


@pytest.mark.parametrize("label, text", [
    ("新设备购置费用", "项目总投资3500万元，能奖多少？"),            # the whole, not the part the label names
    ("设备购置费用", "我们投资了3500万元，能奖多少？"),
    ("实际研发费用支出", "销售收入900万元，能补多少？"),              # another kind of amount
    ("所获国家拨款额", "省里拨款720万元，市里配套多少？"),            # 国家 is not said
])
def test_an_amount_of_another_kind_never_fills_the_label(label, text):
    assert _bases(_draft(label), text) == []


def test_the_label_reads_as_modifiers_and_a_head():
    assert fit("实际研发费用支出", "研发投入") is not None
    assert fit("实际研发费用支出", "投入") is None          # 研发 left out
    assert fit("新设备购置费用", "项目固定资产投资") is None


def test_a_growth_label_takes_the_difference_of_the_two_years_said():
    rule = _draft("地方财政贡献额同比超出部分")
    text = "2024年纳税1,350万元，当年地方财政贡献520万元，2023年是430万元。按财政贡献增长能奖多少？"
    got = gather(rule, _item(text), LEX)
    assert got.sets == [{"x": Decimal(900_000)}] and not got.unclear
    assert "520万元 − 430万元" in got.used[0]
    assert calculate_many(rule, got.sets, {}).amount_yuan == Decimal(180_000)


def test_a_growth_label_takes_the_years_in_either_order():
    rule = _draft("地方财政贡献额比上年增长部分")
    assert _bases(rule, "地方财政贡献去年430万元，今年520万元，能奖多少？") == [Decimal(90_000 * 10)]


def test_growth_said_as_growth_is_taken_as_it_is():
    rule = _draft("年产值同比增长部分")
    assert _bases(rule, "今年产值比上年同期增长了8000万元，能奖多少？") == [Decimal(80_000_000)]


def test_one_years_amount_for_a_growth_label_is_asked_not_taken():
    rule = _draft("地方财政贡献额同比超出部分")
    got = gather(rule, _item("当年地方财政贡献520万元，按财政贡献增长能奖多少？"), LEX)
    assert got.sets == [] and got.unclear == ["地方财政贡献额同比超出部分"]


def test_no_growth_between_the_years_gives_no_base():
    rule = _draft("地方财政贡献额同比超出部分")
    got = gather(rule, _item("今年地方财政贡献400万元，去年是430万元，能奖多少？"), LEX)
    assert got.sets == [] and got.unclear


def test_the_growth_marker_is_cut_to_read_what_grows():
    assert growth_stem("地方财政贡献额同比超出部分") == "地方财政贡献额"
    assert growth_stem("实际研发费用支出") is None


def test_a_recurring_yearly_amount_asked_over_the_term_counts_each_year_capped():
    rule = _draft("租赁费用", rate="0.1", cap=20_000, max_years=2)
    item = _item("租了仓库，一年租金25万元，每年都一样。前后一共能拿多少？")
    got = gather(rule, item, LEX, over_term=True)
    assert got.per_year and [s["x"] for s in got.sets] == [Decimal(250_000)] * 2
    assert calculate_many(rule, got.sets, {}, per_year=True).amount_yuan == Decimal(40_000)


def test_one_years_amount_asked_over_the_term_is_that_years_figure_said_as_such():
    rule = _draft("租赁费用", rate="0.1", cap=20_000, max_years=2)
    got = gather(rule, _item("租了仓库，租金15万元。前后一共能拿多少？"), LEX, over_term=True)
    assert got.yearly and not got.per_year and len(got.sets) == 1
    assert any("一年的金额" in n for n in got.notes)
    # not asked over the term: the one year's figure as before
    plain = gather(rule, _item("租了仓库，租金15万元。能拿多少？"), LEX)
    assert not plain.yearly and not plain.notes


def test_a_corrected_amount_replaces_the_words_said_for_it():
    item = _item("争取到国家科技重大专项，国家拨款720万元，市里配套多少？")
    fold_amounts(item, READER.read("不对，是800万"), True, LEX)
    assert [s["x"] for s in gather(_draft("所获国家拨款额"), item, LEX).sets] == [Decimal(8_000_000)]
    fold_amounts(item, READER.read("那如果国家拨款是900万元呢？"), True, LEX)
    assert [s["x"] for s in gather(_draft("所获国家拨款额"), item, LEX).sets] == [Decimal(9_000_000)]


def test_the_whole_term_asked_with_one_years_amount_asks_for_each_year():
    from types import SimpleNamespace

    from assistant.answer import Calculation  # noqa: F401  (the engine path is covered in test_ingested_engine)
    from assistant.offline_engine import _asked_back
    rule = SimpleNamespace(base="expense_yuan", input=lambda name: SimpleNamespace(label="租赁费用"))
    got = SimpleNamespace(ask=[], yearly=True)
    assert _asked_back(rule, got) == ["补贴期限内各年的租赁费用（或说明每年都相同）"]
    assert _asked_back(rule, SimpleNamespace(ask=[], yearly=False)) is None


def test_a_draft_figure_that_would_not_answer_the_question_is_withheld():
    from types import SimpleNamespace

    from assistant.offline_engine import OfflineEngine
    first_year = SimpleNamespace(first_stage=True, reading=SimpleNamespace(cues=set()))
    total = SimpleNamespace(first_stage=False, reading=SimpleNamespace(cues={"asks_total"}))
    plain = SimpleNamespace(first_stage=False, reading=SimpleNamespace(cues=set()))
    paid_at_once = SimpleNamespace(status="draft", instalments=[], tiers=[], tier_fact=None)
    graded = SimpleNamespace(status="draft", instalments=[], tiers=["本科生", "硕士研究生"], tier_fact="degree")
    assert OfflineEngine._unsafe_draft(paid_at_once, first_year, {})
    assert not OfflineEngine._unsafe_draft(paid_at_once.__class__(**{**vars(paid_at_once), "status": "reviewed"}),
                                           first_year, {})
    assert OfflineEngine._unsafe_draft(graded, total, {})
    assert not OfflineEngine._unsafe_draft(graded, total, {"degree": "本科生"})
    assert not OfflineEngine._unsafe_draft(graded, plain, {})
