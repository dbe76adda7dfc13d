"""BM25 over jieba tokens with the policy vocabulary and synonym groups."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import yaml

from assistant.lexical import SYNONYMS_FILE, LexicalIndex, default_tokenizer

ROOT = Path(__file__).resolve().parents[2]


def test_policy_vocabulary_stays_whole():
    tokens = default_tokenizer().tokens("河南国家级专精特新小巨人企业实施机器换人，申报首台（套）和首版次")
    for word in ("专精特新", "小巨人", "机器换人", "首台套", "首版次"):
        assert word in tokens
    assert default_tokenizer().tokens("首台(套)") == default_tokenizer().tokens("首台（套）")


def test_punctuation_and_question_words_are_dropped():
    tokens = default_tokenizer().tokens("请问，我们能拿多少补贴？？😀")
    assert "补贴" in tokens
    assert not {"请问", "我们", "多少", "，", "？", "😀"} & set(tokens)


def test_synonyms_reach_the_policy_wording():
    texts = ["对技术改造示范项目按照实际投资的30%给予补助。",
             "鼓励企业参加国外重要展会。",
             "开展佛山市“上云上平台”服务券奖补。"]
    index = LexicalIndex(texts)
    assert index.search("技改补贴", 3)[0][0] == 0
    assert index.search("企业上云 代金券", 3)[0][0] == 2
    hit, _ = index.search("上云补贴", 1)[0]
    assert {"奖补", "上云上平台"} <= set(index.matched(hit, default_tokenizer().expand("上云补贴")))


def test_search_respects_the_allowed_mask_and_scores_positive():
    index = LexicalIndex(["融资租赁 智能装备 补助", "融资租赁 公司", "数据 中心"])
    assert sorted(p for p, _ in index.search("融资租赁", 5)) == [0, 1]
    only = index.search("融资租赁", 5, allowed=np.array([False, True, False]))
    assert [p for p, _ in only] == [1]
    assert index.search("天气", 5) == []


def test_empty_index_is_harmless():
    assert LexicalIndex([]).search("补贴", 5) == []


def test_synonym_file_is_well_formed():
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"vocabulary", "normalize", "synonyms", "stopwords"}
    for group in data["synonyms"]:
        assert len(group) >= 2 and len(set(group)) == len(group), group
    # the pairs the product card names
    groups = [set(g) for g in data["synonyms"]]
    for a, b in [("上云", "上云上平台"), ("补贴", "奖补"), ("补助", "奖励"), ("技改", "技术改造"),
                 ("小巨人", "专精特新小巨人"), ("租赁", "融资租赁"), ("设备", "装备")]:
        assert any({a, b} <= g for g in groups), (a, b)


def test_jieba_prints_nothing_to_stdout():
    code = "from assistant.lexical import Tokenizer; print('专精特新' in Tokenizer().tokens('专精特新'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout == "True\n"
    assert "Building prefix dict" not in out.stderr


def test_character_grams_tell_apart_siblings_that_differ_by_a_character_or_two():
    """021 第九条: four items that differ only in 海外/省外 and 科技型/非科技型."""
    from assistant.lexical import CharIndex
    items = ["1.并购海外科技型企业的项目，按核定后并购金额的20%给予支持。",
             "2.并购海外非科技型企业的项目，按核定后并购金额的10%给予补助。",
             "3.并购省外科技型企业的项目，按核定后并购金额的5%给予补助。",
             "4.并购省外非科技型企业的项目，不在本政策支持范围。"]
    index = CharIndex(items)
    assert index.rank("我们并购了一家省外的非科技型企业，能补吗", range(4))[0][0] == 3
    assert index.rank("并购了省外一家科技型企业能补多少", range(4))[0][0] == 2
    assert {p for p, _ in index.rank("并购省外非科技型企业", [0, 1])} <= {0, 1}   # only the positions given
    assert index.rank("！？", range(4)) == []
