"""Successive years of a multi-year award (calculators/items.calculate_many with per_year): a limit
worded for one year binds each year; a limit on the whole binds their sum."""
from __future__ import annotations

from decimal import Decimal

from calculators.items import calculate_many
from calculators.models import Rule


def _rule(limit_label: str, limit: int) -> Rule:
    return Rule(id="r", doc_id="d", clause="c", quote="给予租赁费用10%的补贴，每家企业每年最高不超过2万元，享受补贴不超过2年。",
                title="仓储补贴", region="辽宁省大连市甘井子区", keywords=["仓储"], kind="rate", base="x",
                rate=Decimal("0.1"), cap_yuan=Decimal(1_000_000), max_years=2,
                limits=[{"label": limit_label, "amount_yuan": limit, "aggregate": True}],
                inputs=[{"name": "x", "label": "租赁费用"}],
                examples=[{"inputs": {"x": 100_000}, "amount_yuan": 10_000}])


YEARS = [{"x": Decimal(300_000)}, {"x": Decimal(150_000)}]


def test_a_yearly_limit_binds_each_year_not_the_sum():
    got = calculate_many(_rule("每家企业每年最高不超过2万元", 20_000), YEARS, {}, per_year=True)
    assert got.amount_yuan == Decimal(35_000)          # min(3万, 2万) + min(1.5万, 2万)


def test_a_limit_on_the_whole_binds_the_sum_of_the_years():
    got = calculate_many(_rule("累计最高不超过3万元", 30_000), YEARS, {}, per_year=True)
    assert got.amount_yuan == Decimal(30_000)


def test_items_of_one_year_still_share_the_yearly_limit():
    got = calculate_many(_rule("每家企业每年最高不超过2万元", 20_000), YEARS, {})
    assert got.amount_yuan == Decimal(20_000)
