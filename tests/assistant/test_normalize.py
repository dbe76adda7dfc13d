import json
import statistics
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.bilingual import EN_LEXICON, english_lexicon
from assistant.normalize import fold_width, normalize, normalize_question, to_simplified
from calculators.amounts import find_amounts
from ingest.corpus import PACKAGED_POLICIES

HERE = Path(__file__).parent
SANMENXIA = ("How much can a software company in Sanmenxia, Henan get if one of its self-developed products was "
             "recognized by the province as first-version software (首版次软件产品) and its invoiced sales within "
             "12 months of recognition were RMB 7.5 million?")
CHANGDE = ("Our factory in Changde made it onto MIIT's list of industrial service-oriented manufacturing pilot "
           "demonstrations (工业服务型制造试点示范) with a RMB 6.5 million project. How big is the reward under "
           "Hunan's rules?")


def amounts(text: str) -> list[Decimal]:
    return [m.value for m in find_amounts(normalize_question(text))]


def test_traditional_question_becomes_simplified():
    text = "我們是河南駐馬店的產業集聚區，剛剛獲得國家產業集聚區智能化試點示範，一次性獎勵是多少？"
    assert normalize_question(text) == "我们是河南驻马店的产业集聚区，刚刚获得国家产业集聚区智能化试点示范，一次性奖励是多少？"
    assert normalize(text).language == "zh"


def test_traditional_amounts_are_read():
    text = "佛山一家資源池服務商，服務項目投入72萬元，今年可以申請多少獎補？"
    assert normalize_question(text) == "佛山一家资源池服务商，服务项目投入72万元，今年可以申请多少奖补？"
    assert amounts(text) == [Decimal(720_000)]


def test_simplified_policy_text_is_left_alone():
    # t2s converts characters only: phrase conversion (tw2sp) would turn 新增 into 添加, 文件 into 档案.
    paths = sorted(PACKAGED_POLICIES.glob("*/policy.txt"))
    assert len(paths) >= 4
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert to_simplified(line) == line


def test_full_width_letters_digits_and_spaces_but_not_chinese_punctuation():
    assert fold_width("ＡＢＣ１２３　投资１，２５０万元，占比３．５％") == "ABC123 投资1,250万元，占比3.5%"
    kept = "，。（）“”：；！？、《》【】〔〕"
    assert normalize_question(f"首台（套）重大技术装备{kept}") == f"首台（套）重大技术装备{kept}"
    assert amounts("我们投资２０００万，已获补助３５０万元") == [Decimal(20_000_000), Decimal(3_500_000)]


@pytest.mark.parametrize("written", ["豫政办[2022]8号", "豫政办［2022］8号", "豫政办(2022)8号", "豫政办【2022】8号",
                                     "豫政办（2022） 8号", "豫政办〔2022〕8号"])
def test_document_number_brackets_are_unified(written):
    assert normalize_question(f"{written}第三条怎么说") == "豫政办〔2022〕8号第三条怎么说"


def test_brackets_that_are_not_document_numbers_stay():
    assert normalize_question("首台（套）装备（2022年）认定") == "首台（套）装备（2022年）认定"


@pytest.mark.parametrize("text, yuan, written", [
    ("RMB 4.5 million", 4_500_000, "450万元"), ("4.5 million yuan", 4_500_000, "450万元"),
    ("RMB 7.5m", 7_500_000, "750万元"), ("450 wan", 4_500_000, "450万元"),
    ("CNY 12 million", 12_000_000, "1200万元"), ("2 billion yuan", 2_000_000_000, "20亿元"),
    ("RMB 650,000", 650_000, "65万元"), ("¥3.2 million", 3_200_000, "320万元"), ("RMB6.5 Million", 6_500_000, "650万元"),
    ("12 million", 12_000_000, "1200万元"), ("RMB 500k", 500_000, "50万元"),
])
def test_english_amounts_become_chinese_amounts(text, yuan, written):
    normal = normalize_question(f"the investment was {text}, how much?")
    assert written in normal
    assert amounts(f"the investment was {text}, how much?") == [Decimal(yuan)]


@pytest.mark.parametrize("text, written", [
    ("USD 1 million", "100万美元"), ("$500,000", "50万美元"), ("EUR 2 million", "200万欧元"),
])
def test_foreign_currency_is_kept_and_is_not_yuan(text, written):
    assert written in normalize_question(f"we invested {text}")
    assert amounts(f"we invested {text}") == []


@pytest.mark.parametrize("text", ["a 7.5m tall machine", "3 years", "12 months", "2.5% rate", "15 companies",
                                  "5000 square meters", "900 kW", "in 2023", "Windows 10"])
def test_english_non_money_stays_non_money(text):
    assert amounts(text) == []


def test_w_for_wan_in_chinese_questions():
    assert normalize_question("总共投了900W，能支持多少？") == "总共投了900万，能支持多少？"
    assert normalize_question("补了50w") == "补了50万"
    assert normalize_question("电机功率3000W，投资500万") == "电机功率3000W，投资500万"
    assert normalize_question("装机900kW") == "装机900kW"


def test_english_question_about_first_version_software():
    normal = normalize_question(SANMENXIA)
    for term in ("三门峡", "河南", "首版次软件", "销售发票", "750万", "12个月内", "经省认定", "多少"):
        assert term in normal, term
    assert amounts(SANMENXIA) == [Decimal(7_500_000)]
    assert normal.count("首版次软件") == 1   # the user's own Chinese replaces our translation of it
    assert normalize(SANMENXIA).language == "en"


def test_english_question_about_service_oriented_manufacturing():
    normal = normalize_question(CHANGDE)
    for term in ("常德", "工业和信息化部", "服务型制造", "试点示范", "650万", "湖南", "奖励"):
        assert term in normal, term
    assert normal.count("服务型制造") == 1
    assert amounts(CHANGDE) == [Decimal(6_500_000)]


@pytest.mark.parametrize("english, chinese", [
    ("national-level little giant", "国家级专精特新“小巨人”"),
    ("National Level Little Giants", "国家级专精特新“小巨人”"),
    ("first (set) major technical equipment", "首台（套）重大技术装备"),
    ("first-of-its-kind major technical equipment", "首台（套）重大技术装备"),
    ("equipment and software investment", "设备、软件投资"),
    ("robot replacement", "机器换人"), ("machines replacing people", "机器换人"),
    ("identifier resolution secondary node", "标识解析二级节点"), ("service vouchers", "服务券"),
    ("smart factory", "智能工厂"), ("digital workshop", "数字化车间"), ("industrial APP", "工业APP"),
    ("insured amount", "保险金额"), ("insurance premium", "保费"), ("resource pool", "资源池"),
    ("Shunde District, Foshan", "顺德区, 佛山市"), ("Zhengzhou City, Henan Province", "郑州市, 河南省"),
    ("Xi'an", "西安市"), ("Jilin City", "吉林市"), ("Jilin", "吉林省"), ("Guangxi", "广西壮族自治区"),
    ("the title has expired", "the 称号已过期"), ("within 3 years", "3年内"), ("1.5 years", "1.5年"),
    ("we are not national-level", "我们不是国家级"), ("notes", "notes"),
])
def test_lexicon_phrases(english, chinese):
    assert normalize_question(english) == chinese


def test_mixed_question_keeps_its_chinese():
    text = "我们是Zhengzhou的小巨人企业，设备软件投资RMB 9 million"
    assert normalize_question(text) == "我们是郑州市的小巨人企业，设备软件投资900万元"
    assert normalize(text).language == "mixed"


def test_unknown_english_words_stay():
    assert normalize_question("Does the Frobnicator count?") == "Does the Frobnicator count?"


def test_line_breaks_between_items_are_kept():
    assert normalize_question("1. 设备投资900W \r\n\n2.　合同42萬元") == "1. 设备投资900万\n2. 合同42万元"


def _questions() -> list[str]:
    found = [SANMENXIA, CHANGDE]
    for path in HERE.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and "q" in (record := json.loads(line)):
                found.append(record["q"])
    return found


def test_normalising_is_idempotent_on_real_questions():
    for question in _questions():
        once = normalize_question(question)
        assert normalize_question(once) == once, question


def test_every_lexicon_target_is_a_fixed_point():
    lexicon = english_lexicon()
    for phrases in lexicon.by_first_word.values():
        for phrase in phrases:
            chinese = phrase.chinese.replace("{n}", "3")
            assert normalize_question(chinese) == chinese, phrase.alias


_ALPHABET = st.sampled_from(list("我們是河南駐馬店產業區獎勵多少投資萬元億个台月年，。（）“”％０１２３．　 ")
                            + ["900", "2.5", "W", "w", "RMB ", "million ", "wan ", "little giant ", "Henan ",
                               "first-version software ", "(首版次软件)", "3 years ", "USD ", "kW", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_normalising_is_idempotent(text):
    once = normalize_question(text)
    assert normalize_question(once) == once


def test_fast_after_warm_up():
    question = (SANMENXIA + " 我們是國家級小巨人，設備軟件投資900W，已獲補助1.2个亿")[:200]
    normalize_question(question)
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        normalize_question(question)
        runs.append(time.perf_counter() - start)
    assert statistics.median(runs) < 0.005   # ~0.12 ms here; generous for a busy CI machine


def test_packaged_lexicon_is_found_beside_the_other_knowledge_files():
    assert EN_LEXICON.is_file() and EN_LEXICON.parent.parent == PACKAGED_POLICIES.parent
