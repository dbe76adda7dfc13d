"""Character pairs and the values a question states after its words (assistant/wording.py)."""
import re
from decimal import Decimal

from assistant.wording import (
    char_pairs,
    measure_pairs,
    speaks_of,
    stated_values,
    tied_values,
    words_before,
)


def test_char_pairs_are_adjacent_characters():
    assert char_pairs("实际投资") == {"实际", "际投", "投资"}
    assert char_pairs("投") == set()


def test_pairs_made_only_of_stop_characters_are_dropped():
    assert char_pairs("企业的了", stop=set("的了")) == {"企业", "业的"}


def test_no_pair_spans_a_cut():
    assert char_pairs("3500万美元", cut=re.compile(r"\d+")) == {"万美", "美元"}
    assert char_pairs("投资 额", cut=re.compile(" ")) == {"投资"}


def test_measure_pairs_leave_out_how_a_threshold_compares():
    assert measure_pairs("实际资金到位额超过") == {"资金", "金到", "到位"}


def test_speaks_of_needs_two_shared_pairs():
    assert speaks_of("实际资金到位额", "资金到位了1800万元")
    assert not speaks_of("实际资金到位额", "到位了1800万元")


def test_words_before_a_value_stop_at_punctuation_and_numbers():
    question = "我们是工业企业，今年服务了60家企业"
    assert words_before(question, question.index("60")) == "今年服务了"
    assert words_before("2023年营收4.6亿", len("2023年营收")) == "年营收"


def test_stated_values_of_a_unit_with_their_words():
    assert stated_values("今年服务了60家企业，招了12名员工", "家") == [("今年服务了", Decimal(60))]
    assert stated_values("今年服务了60家企业，招了12名员工", "人") == [("招了", Decimal(12))]
    # money: the words before and the noun said right after (a space between, so no pair spans them)
    assert stated_values("实际资金到位1800万元", "元") == [("实际资金到位 ", Decimal(18_000_000))]
    assert stated_values("买了一套600万的大型设备", "元") == [("买了一套 大型设备", Decimal(6_000_000))]


def test_only_values_after_the_quantity_s_words_are_tied():
    values = stated_values("资金到位1800万元，营业收入3亿元", "元")
    assert tied_values("实际资金到位额", values) == [Decimal(18_000_000)]
    assert tied_values("上年度营业收入", values) == [Decimal(300_000_000)]
