"""Which regions a question names, and which of them the knowledge base covers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.places import Place, RegionTable, is_national

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
    """Maps the places users name to the regions the knowledge base's documents declare.

    Places come from the shared region table (assistant.places): a named place counts for the
    declared region it is (广东 -> 广东省), else for the nearest document region around it
    (郑州 -> 河南省, 顺德 -> 佛山市); a place no document region covers is reported as uncovered by
    its short name (深圳: Foshan's policy does not cover its neighbours; 宜昌)."""

    def __init__(self, regions: dict[str, list[str]], table: RegionTable | None = None):
        # regions: full region name -> its parent regions (e.g. 佛山市 -> [广东省])
        self.parents = {r: list(p) for r, p in regions.items()}
        self.table = table or RegionTable.load()
        declared = dict.fromkeys([*self.parents, *(p for ps in self.parents.values() for p in ps)])
        self._places: dict[str, Place | None] = {}
        for region in declared:
            parents = self.parents.get(region, [])
            self._places[region] = (parents and self.table.place("".join([*parents, region]))) \
                or self.table.place(region)
        # declared names the table cannot place (a custom region) are matched as written
        literal = [n for n, p in self._places.items() if p is None and not is_national(n)]
        literal += [short_name(n) for n in literal if len(short_name(n)) >= 2]
        self._literal = re.compile("|".join(map(re.escape, sorted(set(literal), key=len, reverse=True)))) \
            if literal else None

    def find(self, text: str) -> RegionMentions:
        covered: list[tuple[int, str]] = []
        uncovered: list[str] = []
        taken = [0] * len(text)
        for region in sorted(self._places, key=len, reverse=True):     # a declared multi-level name
            if len(region) >= 4 and not is_national(region):
                for m in re.finditer(re.escape(region), text):
                    if not any(taken[m.start():m.end()]):
                        taken[m.start():m.end()] = [1] * (m.end() - m.start())
                        covered.append((m.start(), self.canonical(region)))
        for m in self._literal.finditer(text) if self._literal else ():
            if not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = [1] * (m.end() - m.start())
                covered.append((m.start(), self.canonical(m.group())))
        for mention in self.table.find(text):
            if mention.place is None or any(taken[mention.start:mention.end]):
                continue
            region = self._region_of(mention.place)
            if region:
                covered.append((mention.start, region))
            elif (name := mention.place.short or mention.place.name) not in uncovered:
                uncovered.append(name)
        uncovered += [c for c in COUNTRIES if c in text and c not in uncovered]
        self._national(text, covered, uncovered)
        ordered = [r for _, r in sorted(covered)]
        return RegionMentions(tuple(dict.fromkeys(ordered)), tuple(uncovered))

    def _national(self, text: str, covered: list, uncovered: list) -> None:
        national = NATIONAL.search(text)
        if national:
            covering = [r for r in self.parents if r.startswith("全国")]
            if covering:
                covered.append((national.start(), covering[0]))
            elif "国家层面（全国）" not in uncovered:
                uncovered.append("国家层面（全国）")

    def _region_of(self, place: Place) -> str | None:
        """The declared region that is this place, else the nearest document region around it."""
        same = [r for r, p in self._places.items() if p is not None and p.code == place.code]
        if same:
            return next((r for r in same if r in self.parents), same[0])
        around = [(len(p.lineage), r) for r in self.parents
                  if (p := self._places.get(r)) is not None and place.within(p)]
        return max(around)[1] if around else None

    def covers(self, place: Place) -> bool:
        """Whether a document region holds this place (郑州 → 河南省; 深圳 → none)."""
        return self._region_of(place) is not None

    def place(self, region: str) -> Place | None:
        """The place of a declared region (its parents settle a shared name), else of any name."""
        return self._places.get(region) or self.table.place(region)

    def canonical(self, name: str) -> str:
        """A short or full name -> the full region name the documents use."""
        if name in self.parents:
            return name
        place = self._places.get(name) or self.table.place(name)
        if place is not None:
            same = [r for r, p in self._places.items() if p is not None and p.code == place.code]
            if same:
                return next((r for r in same if r in self.parents), same[0])
        for region in self._places:
            if name in (region, short_name(region)):
                return region
        return name

    def expand(self, region: str) -> set[str]:
        """A region and every declared region inside it (广东省 -> 广东省, 佛山市)."""
        out = {region}
        outer = self._places.get(region) or self.table.place(region)
        for name, place in self._places.items():
            if outer is not None and place is not None and place.within(outer):
                out.add(name)
            elif region in self.parents.get(name, []):
                out.add(name)
        return out

    def strip(self, text: str) -> str:
        """The text with each place it names replaced by one space (to rank by the topic alone)."""
        spans = [(m.start, m.end) for m in self.table.find(text)]
        spans += [m.span() for m in self._literal.finditer(text)] if self._literal else []
        out, at = [], 0
        for start, end in sorted(spans):
            if start >= at:
                out += [text[at:start], " "]
                at = end
        return "".join([*out, text[at:]])

    @property
    def covered_names(self) -> list[str]:
        return list(self.parents)
