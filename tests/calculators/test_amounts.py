from decimal import Decimal

import pytest

from calculators.amounts import check_amount, find_amounts, format_percent, format_wan, parse_amount
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
