"""Documents named by their titles (assistant/doc_names.py), over titles written here."""
from assistant.doc_names import DocumentNames

TITLES = {
    "a": "某某省人民政府办公厅关于印发某某省支持钢铁行业创新发展若干措施的通知",
    "b": "支持中央驻某科研院所科技成果转化的若干措施（试行）",
    "c": "某某省支持“万企转型”若干政策措施",
    "d": "关于印发《关于推动铸造和锻压行业 高质量发展的若干措施》的通知",
    "e": "某市人民政府关于支持康养产业高质量发展的实施意见",
}
NAMES = DocumentNames(TITLES)


def test_a_title_core_drops_the_issuer_and_the_kind_of_document():
    assert NAMES.core(TITLES["a"]) == "支持钢铁行业创新发展"
    assert NAMES.core(TITLES["c"]) == "支持万企转型"
    assert NAMES.core(TITLES["d"]) == "推动铸造和锻压行业高质量发展"
    assert NAMES.core(TITLES["e"]) == "支持康养产业高质量发展"


def test_a_long_stretch_of_a_title_names_it_even_reworded_around():
    assert NAMES.find("按省里支持中央驻某科研院所成果转化的那个措施，吸纳方能拿多少？") == {"b"}


def test_a_short_name_only_its_title_has_names_it_before_a_word_for_a_document():
    assert NAMES.find("万企转型政策里对技改有什么支持？") == {"c"}
    assert NAMES.find("我们想转型，万企都在做什么？") == set()


def test_words_many_titles_share_name_none():
    assert NAMES.find("高质量发展的政策有哪些？") == set()
    assert NAMES.find("企业技术改造能补多少？") == set()


def test_a_titles_words_describing_a_project_name_no_document():
    assert NAMES.find("我们的项目被认定为支持钢铁行业创新发展示范项目，市里给了50万元") == set()
    assert NAMES.find("按支持钢铁行业创新发展的那个文件，还能拿什么？") == {"a"}
