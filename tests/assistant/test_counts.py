"""Counts a question states with what they count, and prices per unit (assistant/counts.py, units.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.counts import read_counts, read_prices, single_counts
from assistant.lexicon import load_facts, load_lexicon
from assistant.reading import TurnReader
from assistant.units import load_units, number
from errors import PolicyError

UNITS = load_units()
READER = TurnReader(load_lexicon(), load_facts())


def counts(text: str) -> list[tuple[Decimal, str, str]]:
    return [(c.value, c.unit, c.words) for _, c in read_counts(text, UNITS)]


@pytest.mark.parametrize("text, unit, value", [
    ("去年收购了45吨秸秆", "吨", Decimal(45)),
    ("装了两台冷库机组", "台", Decimal(2)),
    ("办了4场招聘会", "场", Decimal(4)),
    ("带动了300户农户", "户", Decimal(300)),
    ("光伏装机500千瓦", "千瓦", Decimal(500)),
    ("仓库面积1,200平米", "平方米", Decimal(1200)),
])
def test_every_unit_of_the_drafters_list_is_read_in_questions(text, unit, value):
    assert READER.read(text).quantities[unit] == value


@pytest.mark.parametrize("text", ["项目周期3个月", "缴了5人民币", "拿到2项目", "做了一个项目", "第一个展会"])
def test_a_unit_inside_another_word_or_an_article_is_no_count(text):
    assert counts(text) == []


def test_each_count_keeps_the_words_of_what_it_counts():
    got = counts("今年申请了4件实用新型专利和2件外观设计专利")
    assert got == [(4, "件", "实用新型专利"), (2, "件", "外观设计专利")]
    assert single_counts([c for _, c in read_counts("今年申请了4件实用新型专利和2件外观设计专利", UNITS)]) == {}


def test_one_count_for_each_of_a_list_and_a_total_of_its_parts_dropped():
    got = counts("一共去了3场展会：广州、成都各一场，还有一场在西安。")
    assert got == [(1, "场", "广州"), (1, "场", "成都"), (1, "场", "在西安")]


def test_people_counted_in_either_unit_fill_one_input():
    assert UNITS.same_input("名") == UNITS.same_input("人") and "人" in UNITS.same_input("名")


def test_a_price_per_unit_and_month_gives_the_yearly_amount_and_is_no_amount_itself():
    reading = READER.read("仓库租了500平方米，租金每平方米每月30元")
    assert [p.value for p in reading.prices] == [Decimal(30)]
    assert [(a.value, a.words) for a in reading.amounts] == [(Decimal(180_000), "年租金")]
    slash = read_prices("租金30元/平方米·月", UNITS)
    assert [(p.value, p.unit, p.period) for p in slash] == [(Decimal(30), "平方米", "月")]


def test_a_price_without_a_period_gives_no_amount():
    reading = READER.read("仓库租了500平方米，每平方米30元")
    assert reading.amounts == [] and reading.prices[0].period is None


@pytest.mark.parametrize("text, value", [("3", 3), ("1,200", 1200), ("两", 2), ("十二", 12), ("二十五", 25)])
def test_numbers_in_digits_or_chinese(text, value):
    assert number(text) == value


def test_a_units_file_naming_an_unknown_unit_is_refused(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text("units: \"亩|吨\"\nquantity_inputs:\n  亩: area_mu\n", encoding="utf-8")
    extra = tmp_path / "units.yaml"
    extra.write_text("aliases: {}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="吨"):
        load_units(draft, extra)
    draft.write_text("units: \"亩\"\nquantity_inputs:\n  亩: area_mu\n", encoding="utf-8")
    extra.write_text("aliases:\n  公顷: 顷\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="公顷"):
        load_units(draft, extra)
