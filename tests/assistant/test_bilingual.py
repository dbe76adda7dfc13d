from decimal import Decimal

import pytest
import yaml

from assistant.bilingual import EN_LEXICON, read_lexicon
from assistant.normalize import normalize, normalize_question
from errors import PolicyError


def good() -> dict:
    return {
        "version": 1,
        "region_suffixes": {"province": ["Province"]},
        "regions": {"province": {"河南省": ["Henan"]}},
        "terms": {"awards": {"首版次软件": ["first-version software"]}},
        "numbers": {"{n}年": ["{n} years"]},
        "amounts": {"currencies": {"元": ["RMB"]}, "multipliers": {"1000000": ["million"]},
                    "short_multipliers": {"1000000": ["m"]}},
    }


def write(tmp_path, data) -> str:
    path = tmp_path / "en.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_small_lexicon_loads_and_translates(tmp_path):
    lexicon = read_lexicon(write(tmp_path, good()))
    result = normalize("Henan Province first version software, RMB 2.5m for 3 years", lexicon)
    assert result.text == "河南省首版次软件, 250万元 for 3年"
    assert result.translated == ("河南省", "首版次软件", "250万元", "3年")   # in the order of the text
    assert lexicon.multipliers["million"] == Decimal(1_000_000)


def test_the_packaged_lexicon_loads():
    lexicon = read_lexicon(EN_LEXICON)
    assert lexicon.currencies["rmb"] == "元"
    assert any(p.chinese == "首版次软件" for p in lexicon.phrases_at("first"))


def broken(change):
    data = good()
    change(data)
    return data


@pytest.mark.parametrize("data, says", [
    (broken(lambda d: d["terms"]["awards"].update({"首版次软件": ["首版次 software"]})), "不含中文"),
    (broken(lambda d: d["terms"]["awards"].update({"first version": ["first version"]})), "应含有中文"),
    (broken(lambda d: d["terms"]["awards"].update({"首台（套）": []})), "不能为空"),
    (broken(lambda d: d["terms"]["awards"].update({"首台（套）": ["first-version software"]})), "同时对应"),
    (broken(lambda d: d["regions"]["province"].update({"湖南省": ["HENAN"]})), "同时对应"),
    (broken(lambda d: d["numbers"].update({"{n}个月": ["months"]})), "{n}"),
    (broken(lambda d: d["regions"].update({"planet": {"火星": ["Mars"]}})), "regions.planet"),
    (broken(lambda d: d.update({"colours": {}})), "colours"),
    (broken(lambda d: d["amounts"]["multipliers"].update({"lots": ["lots"]})), "multipliers"),
    (broken(lambda d: d.pop("terms")), "terms"),
    ("terms: [first version\n", "不是有效的 YAML"),
    ("- just a list\n", "词表文件"),
])
def test_a_broken_lexicon_is_refused_with_a_clear_error(tmp_path, data, says):
    path = write(tmp_path, data)
    with pytest.raises(PolicyError) as err:
        read_lexicon(path)
    assert err.value.code == "bad_lexicon"
    assert str(path) in err.value.message and says in err.value.message


def test_a_missing_lexicon_file_is_a_clear_error(tmp_path):
    with pytest.raises(PolicyError) as err:
        read_lexicon(tmp_path / "missing.yaml")
    assert err.value.code == "bad_lexicon" and "无法读取" in err.value.message


def test_longest_phrase_wins_whatever_the_file_order(tmp_path):
    data = good()
    data["terms"]["awards"] = {"软件": ["software"], "首版次": ["first version"], "首版次软件": ["first version software"]}
    assert normalize("first-version software", read_lexicon(write(tmp_path, data))).text == "首版次软件"


def test_packaged_lexicon_is_used_by_default():
    assert normalize_question("Henan") == "河南省"
