"""Which regions a question names, and which of them the knowledge base covers."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Provincial-level divisions and the larger cities, so that a question about a region the
# knowledge base does not hold can be recognised and answered honestly.
PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
CITIES = (
    "广州 深圳 佛山 东莞 珠海 中山 惠州 江门 汕头 湛江 肇庆 郑州 洛阳 开封 新乡 南阳 许昌 长沙 株洲 "
    "湘潭 衡阳 岳阳 常德 武汉 南京 苏州 无锡 常州 杭州 宁波 温州 合肥 福州 厦门 南昌 济南 青岛 "
    "成都 贵阳 昆明 西安 兰州 西宁 银川 乌鲁木齐 拉萨 南宁 海口 沈阳 大连 长春 哈尔滨 石家庄 "
    "太原 呼和浩特 天津 柳河 临港"
).split()
# Cities and districts -> the region that contains them, so that "郑州的企业" finds Henan's
# provincial policies and "顺德" finds Foshan's. A city policy does not cover its neighbours:
# 深圳 -> 广东, and the knowledge base has no Guangdong provincial policy, only Foshan's.
CONTAINED_IN = {
    **dict.fromkeys("郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源".split(), "河南"),
    **dict.fromkeys("长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西".split(), "湖南"),
    **dict.fromkeys("广州 深圳 珠海 汕头 韶关 河源 梅州 惠州 汕尾 东莞 中山 江门 阳江 湛江 茂名 肇庆 清远 潮州 揭阳 云浮 佛山".split(), "广东"),
    **dict.fromkeys("禅城 南海 顺德 三水 高明".split(), "佛山"),
    **dict.fromkeys("武汉".split(), "湖北"), **dict.fromkeys("南京 苏州 无锡 常州".split(), "江苏"),
    **dict.fromkeys("杭州 宁波 温州".split(), "浙江"), **dict.fromkeys("成都".split(), "四川"),
    **dict.fromkeys("沈阳 大连".split(), "辽宁"), **dict.fromkeys("柳河".split(), "吉林"),
}
# Questions about national policy ("国家层面有什么补贴"); "国家级小巨人" is not one of them.
NATIONAL = re.compile(r"国家层面|国家出台|中央财政|中央层面|国家财政|全国性|全国统一|国务院(?:出台|发布|的政策)|国家的政策")
COUNTRIES = "美国 日本 德国 英国 法国 韩国 欧盟 俄罗斯 新加坡 印度 澳大利亚 加拿大".split()
_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|区|县)$")


def short_name(region: str) -> str:
    """河南省 -> 河南, 佛山市 -> 佛山, 辽宁省大连市甘井子区 -> 甘井子."""
    parts = [p for p in re.split(r"(?<=[省市区县])", region) if p]
    last = parts[-1] if parts else region
    return _SUFFIX.sub("", last) or last


@dataclass(frozen=True)
class RegionMentions:
    covered: tuple[str, ...]      # full region names of the knowledge base, in order of mention
    uncovered: tuple[str, ...]    # names the question uses that the knowledge base does not cover


class RegionIndex:
    """Maps the short names users type to the regions the knowledge base covers."""

    def __init__(self, regions: dict[str, list[str]]):
        # regions: full region name -> its parent regions (e.g. 佛山市 -> [广东省])
        self.names: dict[str, str] = {}
        for region, parents in regions.items():
            for name in (region, short_name(region), *parents, *(short_name(p) for p in parents)):
                self.names.setdefault(name, region if name in (region, short_name(region)) else name)
        self.parents = regions

    def find(self, text: str) -> RegionMentions:
        covered: list[tuple[int, str]] = []
        spans: list[tuple[int, int]] = []
        for name in sorted(self.names, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                spans.append((m.start(), m.end()))
                covered.append((m.start(), self.canonical(name)))
        uncovered = []
        for name in (*CONTAINED_IN, *PROVINCES, *CITIES, *COUNTRIES):
            for m in re.finditer(name, text):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                spans.append((m.start(), m.end()))
                region = self._covering(name)
                if region:
                    covered.append((m.start(), region))
                elif name not in uncovered:
                    uncovered.append(name)
        national = NATIONAL.search(text)
        if national:
            covering = [r for r in self.parents if r.startswith("全国")]
            if covering:
                covered.append((national.start(), covering[0]))
            elif "国家层面（全国）" not in uncovered:
                uncovered.append("国家层面（全国）")
        ordered = [r for _, r in sorted(covered)]
        return RegionMentions(tuple(dict.fromkeys(ordered)), tuple(uncovered))

    def _covering(self, name: str) -> str | None:
        """The document region that covers a city or district (郑州 -> 河南省), if any."""
        while name in CONTAINED_IN:
            name = CONTAINED_IN[name]
            for region in self.parents:
                if name == short_name(region) or name == region:
                    return region
        return None

    def canonical(self, name: str) -> str:
        """A short or full name -> the full region name the documents use."""
        for region, parents in self.parents.items():
            if name in (region, short_name(region)):
                return region
            for p in parents:
                if name in (p, short_name(p)):
                    return p
        return name

    def expand(self, region: str) -> set[str]:
        """A region and every covered region inside it (广东省 -> 广东省, 佛山市)."""
        out = {region}
        for child, parents in self.parents.items():
            if region in parents:
                out.add(child)
        return out

    @property
    def covered_names(self) -> list[str]:
        return list(self.parents)
