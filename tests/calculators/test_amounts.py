from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.amounts import (
    check_amount,
    find_amounts,
    format_amount,
    format_percent,
    format_wan,
    parse_amount,
)
from errors import PolicyError


@pytest.mark.parametrize("text, yuan", [
    ("2000万", 20_000_000), ("2000万元", 20_000_000), ("1.2亿", 120_000_000), ("1.2亿元", 120_000_000),
    ("20000000", 20_000_000), ("20000000元", 20_000_000), ("两千万", 20_000_000),
    ("一千二百万元", 12_000_000), ("3,000万", 30_000_000), ("三千万元", 30_000_000), ("500万", 5_000_000),
    ("0.5亿", 50_000_000), ("36万元", 360_000), ("２０００万", 20_000_000), ("１．２亿元", 120_000_000),
    ("十五万", 150_000), ("二十五万元", 250_000), ("一亿二千万", 120_000_000), ("1亿2000万", 120_000_000),
    ("5千万", 50_000_000), ("一千零五十万", 10_500_000), (" 350 万元 ", 3_500_000), ("0", 0),
    ("12345.67元", Decimal("12345.67")),
])
def test_parse_amount(text, yuan):
    assert parse_amount(text) == Decimal(yuan)


def test_parse_amount_keeps_sign_for_the_caller_to_reject():
    assert parse_amount("-5万") == Decimal(-50_000)
    with pytest.raises(PolicyError) as err:
        check_amount(parse_amount("-5万"), "投资额")
    assert err.value.code == "negative_amount" and "负数" in err.value.message


@pytest.mark.parametrize("text", ["abc", "", "万", "2000万万", "12三", "NaN", "inf", "30%", "2000美元"])
def test_parse_amount_rejects_non_numbers(text):
    with pytest.raises(PolicyError) as err:
        parse_amount(text)
    assert err.value.code == "bad_amount"


def test_absurd_amount_is_rejected():
    value = parse_amount("1e40")
    with pytest.raises(PolicyError) as err:
        check_amount(value, "投资额")
    assert err.value.code == "absurd_amount"
    assert check_amount(Decimal("1e13"), "投资额") == Decimal("1e13")


def test_find_amounts_in_a_sentence():
    text = "设备软件投资2000万，已获上级补助350万元"
    found = find_amounts(text)
    assert [m.value for m in found] == [Decimal(20_000_000), Decimal(3_500_000)]
    assert [text[m.start:m.end] for m in found] == ["2000万", "350万元"]
    assert [m.text for m in found] == ["2000万", "350万元"]


@pytest.mark.parametrize("text, values", [
    ("投资两千万元，保费36万元", [20_000_000, 360_000]),
    ("项目投资1.2亿，补贴比例30%", [120_000_000]),
    ("2022年我们服务了15家企业，申请了3个项目", []),
    ("合同金额20000000元", [20_000_000]),
    ("合同金额 3,000万", [30_000_000]),
    ("每年引导3至4万家中小企业上云", []),
    ("一等奖能拿多少？三年内有效", []),
    ("我们投资了２０００万", [20_000_000]),
    ("销售收入为50000", [50_000]),
    ("豫政办〔2022〕8号第1条", []),
    ("合同伍拾陆万元，另一份人民币壹佰贰拾万圆整", [560_000, 1_200_000]),     # financial numerals (大写)
    ("这家服务商今年合计才几十万，那家数十万元，资金总数50万元", [500_000]),   # vague: no figure
    ("宜昌伍家岗区的企业", []),
])
def test_find_amounts_only_money(text, values):
    assert [m.value for m in find_amounts(text)] == [Decimal(v) for v in values]


@pytest.mark.parametrize("yuan, text", [
    (5_000_000, "500万元"), (2_700_000, "270万元"), (5_000, "0.5万元"), (180_000, "18万元"),
    (Decimal("5000000.00"), "500万元"), (0, "0万元"), (30_000_000, "3000万元"),
])
def test_format_wan(yuan, text):
    assert format_wan(Decimal(yuan)) == text


def test_format_percent():
    assert [format_percent(Decimal(r)) for r in ("0.3", "0.05", "0.8", "0.03", "1")] == ["30%", "5%", "80%", "3%", "100%"]


# Amounts as enterprise staff and hotline callers write them (issue 10).
@pytest.mark.parametrize("text, yuan", [
    ("900W", 9_000_000), ("900w", 9_000_000), ("900万", 9_000_000), ("2.5个亿", 250_000_000),
    ("1个亿", 100_000_000), ("一个亿", 100_000_000), ("两个亿", 200_000_000), ("0.3亿", 30_000_000),
    ("1.2个亿", 120_000_000), ("一千二百万块", 12_000_000), ("一千二百万块钱", 12_000_000),
    ("三百五十万元", 3_500_000), ("两千五百万", 25_000_000), ("1,250万元", 12_500_000),
    ("1250万元人民币", 12_500_000), ("12,000,000元", 12_000_000), ("八百万", 8_000_000),
    ("0.15个亿", 15_000_000), ("四千一百万", 41_000_000), ("1.5千万", 15_000_000), ("3千万", 30_000_000),
    ("900W元", 9_000_000),
])
def test_colloquial_amounts_parse_exactly(text, yuan):
    assert parse_amount(text) == Decimal(yuan)
    found = find_amounts(f"我们投资{text}，能拿多少？")
    assert [(m.value, m.text) for m in found] == [(Decimal(yuan), text)]


@pytest.mark.parametrize("text, yuan", [
    ("RMB 650,000", 650_000), ("CNY12000000", 12_000_000), ("人民币450万元", 4_500_000), ("￥3,000万", 30_000_000),
])
def test_parse_amount_with_a_currency_prefix(text, yuan):
    assert parse_amount(text) == Decimal(yuan)


def test_one_point_two_yi_is_not_three_yi():
    # jionlp's money parser reads 1.2个亿 as 3亿; ours must not.
    assert find_amounts("去年营收1.2个亿")[0].value == Decimal(120_000_000)


@pytest.mark.parametrize("text", [
    "3台", "12个月", "3年", "2%", "3.5%", "15家", "5000平方米", "50000平方米", "5万平方米", "900kW",
    "12000kW", "900Wh", "12000 kW", "900 MW", "1.5MW", "100万美元", "50000欧元", "功率3000W的设备", "3万人",
])
def test_counts_sizes_power_and_other_currencies_are_not_money(text):
    assert find_amounts(text) == []


@pytest.mark.parametrize("text", ["900kW", "3个", "12个月", "2000美元", "5Wh"])
def test_parse_amount_rejects_units_that_are_not_money(text):
    with pytest.raises(PolicyError):
        parse_amount(text)


def test_w_in_a_sentence_next_to_other_amounts():
    found = find_amounts("设备投资900W，已获区里补助50w，厂房5000平方米")
    assert [m.value for m in found] == [Decimal(9_000_000), Decimal(500_000)]
    assert [m.text for m in found] == ["900W", "50w"]


@pytest.mark.parametrize("yuan, text", [
    (2_000_000_000, "20亿元"), (4_500_000, "450万元"), (650_000, "65万元"), (800, "800元"),
    (120_000_000, "1.2亿元"), (Decimal("12345.67"), "1.234567万元"),
])
def test_format_amount(yuan, text):
    assert format_amount(Decimal(yuan)) == text


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False))
def test_parse_of_format_round_trips(yuan):
    assert parse_amount(format_amount(yuan)) == yuan
    assert parse_amount(format_wan(yuan)) == yuan
    assert [m.value for m in find_amounts(f"投资{format_amount(yuan)}，")] == [yuan]


@pytest.mark.parametrize("text", ["1. 设备投资900万\n2. 另有一个项目", "设备投资900万 2个项目", "设备投资900W\n2. 另外"])
def test_an_amount_followed_by_a_space_and_a_count_is_still_found(text):
    assert [m.value for m in find_amounts(text)] == [Decimal(9_000_000)]


def test_yuan_decides_whatever_follows():
    assert [m.value for m in find_amounts("一个650万元项目，3台设备")] == [Decimal(6_500_000)]
