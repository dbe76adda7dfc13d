"""Which of the user's amounts a drafted (unreviewed) rule may take (assistant/inputs.gather)."""
from __future__ import annotations

from decimal import Decimal

from assistant.case import Item
from assistant.inputs import gather
from assistant.lexicon import load_lexicon
from calculators.models import Rule

LEX = load_lexicon()


def _draft(label: str, status: str = "draft") -> Rule:
    return Rule(id="r", doc_id="d", clause="c", quote="按照新设备购置费用的2%给予奖励，最高不超过50万元。", title="t",
                region="辽宁省大连市甘井子区", keywords=["k"], kind="rate", status=status, base="x", rate=Decimal("0.02"),
                cap_yuan=Decimal(500_000), inputs=[{"name": "x", "label": label}],
                examples=[{"inputs": {"x": 10_000_000}, "amount_yuan": 200_000}])


def test_a_draft_never_takes_the_total_for_the_part_its_input_names():
    item = Item(amounts={"investment": [Decimal(35_000_000)], "equipment_software_investment": [Decimal(16_000_000)]})
    assert gather(_draft("新设备购置费用"), item, LEX, strict=False).sets == []


def test_a_draft_takes_the_one_amount_that_can_be_nothing_else():
    item = Item(amounts={"": [Decimal(16_000_000)]})
    assert gather(_draft("新设备购置费用"), item, LEX, strict=False).sets == [{"x": Decimal(16_000_000)}]
    two = Item(amounts={"": [Decimal(16_000_000), Decimal(35_000_000)]})
    assert gather(_draft("新设备购置费用"), two, LEX, strict=False).sets == []


def test_amounts_listed_under_the_inputs_words_are_its_items():
    item = Item(amounts={"": [Decimal(6_200_000), Decimal(2_600_000)]},
                worded={"缴的个税分别是": Decimal(6_200_000), "缴的个税分别是#2": Decimal(2_600_000)})
    got = gather(_draft("缴纳的个人所得税"), item, LEX, strict=True)
    assert [s["x"] for s in got.sets] == [Decimal(6_200_000), Decimal(2_600_000)]
