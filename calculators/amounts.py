"""Money amounts as people write them: ``2000万``, ``1.2亿元``, ``两千万``, ``3,000万``, ``２０００万``,
``900W`` (W/w for 万 when no other unit letter follows: not ``900kW``, ``900Wh``), ``2.5个亿``,
``一千二百万块钱``, ``1250万元人民币``, ``RMB 650,000``, the financial numerals of contracts and invoices
(大写: ``伍拾陆万元``, ``壹佰贰拾万圆``).

``parse_amount`` turns one amount into yuan (``Decimal``); ``find_amounts`` finds every money
amount in a free sentence ("设备软件投资2000万，已获上级补助350万元"), skipping percentages, years
and counts such as ``15家``, and vague ones (``几十万``, ``数十万``: no figure). ``format_wan`` renders yuan as 万元 figures without trailing zeros.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from errors import PolicyError

MAX_AMOUNT_YUAN = Decimal("1e13")   # 10万亿元: anything above is a typo, not a project

# Full-width digits and punctuation -> ASCII, and the financial numerals (大写) -> the plain ones,
# one character for one (offsets are kept).
_WIDTH = str.maketrans("０１２３４５６７８９．，－壹贰貮叁肆伍陆柒捌玖拾佰仟圆",
                       "0123456789.,-一二二三四五六七八九十百千元")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_TOKEN = re.compile(rf"{_ARABIC}(?:[eE][+-]?\d+)?|[零〇一二两三四五六七八九十百千万亿]")

# In free text: a number (Arabic, or Chinese starting with a digit or 十) and an optional unit.
_CN_NUM = "[零〇一二两三四五六七八九十百千]"
_NUM = rf"(?:{_ARABIC}|[一二两三四五六七八九十]{_CN_NUM}*)"
# 万 also written W/w ("900W") unless a letter follows (900Wh); 亿 also 个亿 ("2.5个亿", "一个亿").
_UNIT = r"(?:[千百十]?万|个?亿|[Ww](?![A-Za-z]))"
_FIND = re.compile(
    rf"(?<![\d.A-Za-z])(?:(?<![几数])|(?=\d))(?P<body>(?:{_NUM}\s*{_UNIT})*{_NUM}\s*{_UNIT}?)"
    r"\s*(?P<yuan>元人民币|元|块钱|块|人民币)?"
)
# A unit after the number that makes it a count, a rate, a date, a size or another currency.
_NOT_MONEY = (*"%％‰家个人项台套户名次吨亩辆件条年月日号天倍岁种批所座只位期轮届级度米㎡",
              "平方", "平米", "立方", "千瓦", "瓦", "公里", "公斤", "千克", "小时", "分钟", "周岁",
              "美元", "美金", "欧元", "日元", "英镑", "港元", "港币", "韩元", "卢布", "澳元", "加元")
_PREFIX = re.compile(r"^(?:人民币|RMB|CNY|[¥￥])", re.IGNORECASE)
_SUFFIX = re.compile(r"(?:元人民币|元|块钱|块|人民币)$")


@dataclass(frozen=True)
class AmountMatch:
    value: Decimal   # yuan
    start: int
    end: int
    text: str


def _bad(text: str) -> PolicyError:
    return PolicyError("bad_amount", f"无法识别的金额：“{text}”（示例：2000万、2000万元、1.2亿、20000000、两千万）")


def _tokens(text: str) -> list[str]:
    pos, tokens = 0, []
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise _bad(text)
        tokens.append(match.group())
        pos = match.end()
    return tokens


def _number(token: str, original: str) -> Decimal:
    if token in _CN_DIGITS:
        return Decimal(_CN_DIGITS[token])
    try:
        value = Decimal(token.replace(",", ""))
    except InvalidOperation:
        raise _bad(original) from None
    if not value.is_finite():
        raise _bad(original)
    return value


def _combine(tokens: list[str], original: str) -> Decimal:
    """Chinese numeral arithmetic: 一千二百万 = (1×1000 + 2×100) × 万; 1亿2000万 = 1×亿 + 2000×万."""
    total = section = Decimal(0)
    number: Decimal | None = None
    for token in tokens:
        if token in _SMALL_UNITS:
            section += (Decimal(1) if number is None else number) * _SMALL_UNITS[token]
            number = None
        elif token in _BIG_UNITS:
            if number is None and section == 0:
                raise _bad(original)
            group = section + (number or 0)
            total = (total + group) * _BIG_UNITS[token] if token == "亿" else total + group * _BIG_UNITS[token]
            section, number = Decimal(0), None
        elif token in ("零", "〇") and (section or total):
            continue   # a place holder: 一千零五十 = 1050
        else:
            if number is not None:
                raise _bad(original)
            number = _number(token, original)
    return total + section + (number or 0)


def parse_amount(text: str | int | float | Decimal) -> Decimal:
    """One money amount in yuan. Raises PolicyError("bad_amount") when it is not a number."""
    if isinstance(text, bool):
        raise _bad(str(text))
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    cleaned = _PREFIX.sub("", re.sub(r"[\s,_]", "", str(text).translate(_WIDTH)))
    cleaned = _SUFFIX.sub("", cleaned).replace("个亿", "亿")
    cleaned = re.sub(r"(?<=\d)[Ww](?![A-Za-z])", "万", cleaned)
    negative = cleaned[:1] in ("-", "负")
    cleaned = cleaned[1:] if negative else cleaned
    if not cleaned:
        raise _bad(str(text))
    value = _combine(_tokens(cleaned), str(text))
    return -value if negative else value


def check_amount(value: Decimal, label: str) -> Decimal:
    """Reject negative, non-finite and absurd amounts with a Chinese message naming the input."""
    if not value.is_finite():
        raise PolicyError("bad_amount", f"{label}不是有效的数字")
    if value < 0:
        raise PolicyError("negative_amount", f"{label}不能为负数")
    if value > MAX_AMOUNT_YUAN:
        raise PolicyError("absurd_amount", f"{label}过大（超过10万亿元），请检查输入")
    return value


def _is_money(match: re.Match[str], text: str) -> bool:
    body, after = match.group("body").rstrip(), text[match.end():match.end() + 2]
    if match.group("yuan"):
        return True    # 元 decides: 650万元项目 is money whatever follows
    if after.startswith(_NOT_MONEY):
        return False   # 3台, 12个月, 5000平方米, 100万美元
    if body.endswith(("W", "w")) and "功率" in text[max(0, match.start() - 4):match.start()]:
        return False   # 功率3000W is power, not 3000万
    if match.group("yuan") or body.endswith(("万", "亿", "W", "w")):
        return True
    if not re.fullmatch(_ARABIC, body) or after[:1].isascii() and after[:1].isalpha():
        return False   # a bare Chinese numeral (一等奖, 三年) is not money, nor 12000kW
    return Decimal(body.replace(",", "")) >= 10_000


def find_amounts(text: str) -> list[AmountMatch]:
    """Every money amount in `text` (with 元/万/亿, or a bare number of at least 10000)."""
    ascii_text = text.translate(_WIDTH)
    found = []
    for match in _FIND.finditer(ascii_text):
        if not _is_money(match, ascii_text):
            continue
        end = match.end() if match.group("yuan") else match.end("body")
        span = text[match.start():end].rstrip()
        try:
            value = parse_amount(span)
        except PolicyError:
            continue
        found.append(AmountMatch(value=value, start=match.start(), end=match.start() + len(span), text=span))
    return found


def format_wan(yuan: Decimal) -> str:
    """5000000 -> '500万元', 5000 -> '0.5万元', 2700000 -> '270万元' (no trailing zeros)."""
    wan = (Decimal(yuan) / 10_000).normalize()
    text = format(wan, "f")
    return f"{text}万元"


def format_percent(rate: Decimal) -> str:
    """Decimal('0.3') -> '30%'."""
    return format((Decimal(rate) * 100).normalize(), "f") + "%"


def format_amount(yuan: Decimal) -> str:
    """Yuan as people write it, and as ``parse_amount`` reads it back exactly:
    2000000000 -> '20亿元', 4500000 -> '450万元', 800 -> '800元'."""
    value = Decimal(yuan)
    if abs(value) >= 100_000_000:
        return format((value / 100_000_000).normalize(), "f") + "亿元"
    if abs(value) >= 10_000:
        return format_wan(value)
    return format(value.normalize(), "f") + "元"
