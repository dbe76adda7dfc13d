"""The region table: every division of China, found in users' words and scoped by the chain."""
from __future__ import annotations

import shutil
import time

import pytest

from assistant.places import REGIONS_DIR, RegionTable, covering_regions, regions_inside
from assistant.regions import RegionIndex
from errors import PolicyError


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.load()


def _places(table: RegionTable, text: str) -> list[tuple[str, ...] | None]:
    return [m.place.chain if m.place else None for m in table.find(text)]


def test_the_table_covers_every_level(table):
    levels = [p.level for p in table.places.values()]
    assert levels.count("province") == 34 and levels.count("city") > 330 and levels.count("county") > 2800
    assert table.chain("河南省") == ("河南省",) and table.chain("湖南省") == ("湖南省",)
    assert table.contains("广东省", "佛山市") and not table.contains("佛山市", "深圳市")


@pytest.mark.parametrize("text, chain", [
    ("宜昌的企业", ("湖北省", "宜昌市")),
    ("我们在昆山", ("江苏省", "苏州市", "昆山市")),
    ("义乌的外贸公司", ("浙江省", "金华市", "义乌市")),
    ("甘井子的工厂", ("辽宁省", "大连市", "甘井子区")),
    ("郑州的头雁企业", ("河南省", "郑州市")),
    ("顺德区的工厂", ("广东省", "佛山市", "顺德区")),
    ("浏阳烟花企业", ("湖南省", "长沙市", "浏阳市")),
    ("巩义的铝加工", ("河南省", "郑州市", "巩义市")),
    ("济源的企业", ("河南省", "济源市")),                      # 省直辖县级市
    ("湘西的企业", ("湖南省", "湘西土家族苗族自治州")),
    ("湘西州的企业", ("湖南省", "湘西土家族苗族自治州")),        # aliases.tsv
    ("海淀区的公司", ("北京市", "海淀区")),                     # 直辖市: no duplicate city level
    ("北滘镇的家电厂", ("广东省", "佛山市", "顺德区", "北滘镇")),  # towns.tsv
])
def test_places_resolve_with_their_chain(table, text, chain):
    assert _places(table, text) == [chain]


def test_a_shared_name_takes_the_place_the_text_agrees_with(table):
    assert _places(table, "南京鼓楼的企业")[-1] == ("江苏省", "南京市", "鼓楼区")
    assert _places(table, "福州市鼓楼区")[-1] == ("福建省", "福州市", "鼓楼区")
    alone = table.find("鼓楼的企业")
    assert len(alone) == 1 and alone[0].place is None and len(alone[0].candidates) == 4
    assert _places(table, "朝阳") == [("辽宁省", "朝阳市")]            # the higher level
    assert _places(table, "北京朝阳")[-1] == ("北京市", "朝阳区")


@pytest.mark.parametrize("text", ["坚持和平发展", "中山路上的门店", "开发区企业", "新区的项目",
                                  "中山大学的教授", "市、区和县三级财政", "我们不在资源池里", "北京路店",
                                  "今年有三台设备被认定为首台（套）"])
def test_words_that_contain_a_name_are_not_places(table, text):
    assert table.find(text) == []


def test_an_everyday_word_counts_only_inside_a_named_region(table):
    assert table.find("企业和平台") == []
    assert _places(table, "天津和平区") == [("天津市",), ("天津市", "和平区")]
    assert _places(table, "天津和平")[-1] == ("天津市", "和平区")


def test_longest_match_wins_without_overlaps(table):
    found = table.find("辽宁省大连市甘井子区")
    assert [m.text for m in found] == ["辽宁省", "大连市", "甘井子区"]
    assert table.chain("辽宁省大连市甘井子区") == ("辽宁省", "大连市", "甘井子区")
    assert table.chain("上海市（临港地区）") == ("上海市", "临港地区")


DOCS = ["辽宁省", "辽宁省大连市", "辽宁省大连市甘井子区", "全国（国务院）", "河南省"]


def test_covering_regions_follow_the_chain(table):
    assert covering_regions(table.place("大连"), DOCS) == ["辽宁省", "辽宁省大连市", "全国（国务院）"]
    assert covering_regions(table.place("甘井子"), DOCS) == [
        "辽宁省", "辽宁省大连市", "辽宁省大连市甘井子区", "全国（国务院）"]
    assert covering_regions(table.place("金州区"), DOCS) == ["辽宁省", "辽宁省大连市", "全国（国务院）"]
    assert covering_regions(table.place("深圳"), {"佛山市": ["广东省"]}) == []


def test_regions_inside_a_named_region(table):
    assert regions_inside("广东", {"佛山市": ["广东省"], "河南省": []}) == ["佛山市"]
    assert regions_inside("辽宁", DOCS) == ["辽宁省", "辽宁省大连市", "辽宁省大连市甘井子区"]
    assert regions_inside("大连", DOCS) == ["辽宁省大连市", "辽宁省大连市甘井子区"]
    assert regions_inside("鼓楼", {"江苏省南京市鼓楼区": []}) == []       # ambiguous: nothing


def test_region_index_over_the_table():
    index = RegionIndex({"辽宁省": [], "辽宁省大连市": ["辽宁省"], "辽宁省大连市甘井子区": ["辽宁省", "大连市"],
                         "河南省": [], "湖南省": [], "佛山市": ["广东省"]})
    assert index.find("大连的物流企业").covered == ("辽宁省大连市",)
    assert index.expand("辽宁省大连市") == {"辽宁省大连市", "大连市", "辽宁省大连市甘井子区"}
    assert index.find("沈阳的企业").covered == ("辽宁省",)          # nearest covered region around it
    assert index.find("宜昌的企业").uncovered == ("宜昌",)
    assert index.find("狮山镇的工厂").covered == ("佛山市",)
    assert index.find("深圳的企业").covered == ()


def _copy(tmp_path):
    folder = tmp_path / "regions"
    shutil.copytree(REGIONS_DIR, folder)
    return folder


@pytest.mark.parametrize("damage, message", [
    (lambda t: t + "110000\t重复\tprovince\t\t\t\n", "重复"),
    (lambda t: t + "999901\t某县\tcounty\t999900\t某\t\n", "上级代码 999900 不存在"),
    (lambda t: t.replace("\tcounty\t", "\tcountry\t", 1), "级别"),
])
def test_a_broken_table_is_refused_with_a_clear_error(tmp_path, damage, message):
    folder = _copy(tmp_path)
    path = folder / "divisions.tsv"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        RegionTable.load(folder)


def test_a_supplement_pointing_at_the_wrong_division_is_refused(tmp_path):
    folder = _copy(tmp_path)
    with (folder / "towns.tsv").open("a", encoding="utf-8") as f:
        f.write("某镇\t\ttown\t440606\t南海区\t代码是顺德区\n")
    with pytest.raises(PolicyError, match="towns.tsv"):
        RegionTable.load(folder)
    (folder / "divisions.tsv").unlink()
    with pytest.raises(PolicyError, match="地区表缺失"):
        RegionTable.load(folder)


def test_finding_is_fast(table):
    question = ("我们是一家位于佛山市顺德区北滘镇的家电制造企业，去年设备和软件投资一共1800万元，"
                "想问一下能申请多少智能化改造补贴，另外深圳和东莞有没有类似政策？在郑州巩义也有分厂。")[:100]
    table.find(question)
    start = time.perf_counter()
    for _ in range(200):
        table.find(question)
    assert (time.perf_counter() - start) / 200 < 0.001
