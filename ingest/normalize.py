"""Clean what document conversion left behind, and normalise text for matching only.

Stored clause text stays verbatim apart from removed artefacts; `for_matching` is used
when comparing strings (brackets, quotes and spaces in full- or half-width forms).
"""
from __future__ import annotations

import re
import unicodedata

# `[bookmark: _GoBack]`, `[bookmark: _Toc123]` and similar markers that docx->txt leaves.
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\ufeff|\u200b|\u200c|\u200d|\u2060")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = " \t\u3000\u00a0\u2002\u2003\u2009\r"

_MATCH_TABLE = str.maketrans({
    "（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]",
    "【": "[", "】": "]", "，": ",", "：": ":", "；": ";", "、": ",", "．": ".", "！": "!",
    "？": "?", "—": "-", "－": "-", "～": "~", "％": "%", "＋": "+",
})


def remove_artefacts(text: str) -> str:
    """Drop conversion artefacts and control characters; keep every real character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ARTEFACTS.sub("", text))


def strip_line(line: str) -> str:
    """A paragraph without its indentation (full-width spaces) and trailing blanks."""
    return line.strip(_SPACES + "\n")


def for_matching(text: str) -> str:
    """Fold width, brackets and quotes and drop whitespace, so look-alike strings compare equal;
    Roman ordinals read as Chinese ones (see `roman_ordinals`)."""
    text = roman_ordinals(unicodedata.normalize("NFKC", text or "")).translate(_MATCH_TABLE)
    return re.sub(r"\s+", "", text)


# A Roman numeral (after NFKC: Ⅲ -> III) that numbers a phase, class, grade or rank: Ⅱ期, III类, Ⅳ级.
_ROMAN_ORDINAL = re.compile(r"(?<![A-Za-z])([IVXivx]{1,5})(?=\s*[期类级等])")
_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman_value(numeral: str) -> int | None:
    """I..XXXIX by the subtractive rule (IV = 4); None for letters that are no valid numeral (IIX)."""
    values = [_ROMAN[c] for c in numeral.upper()]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return total if 0 < total < 40 and _roman_text(total) == numeral.upper() else None


def _roman_text(n: int) -> str:
    tens, ones = divmod(n, 10)
    return "X" * tens + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][ones]


def roman_ordinals(text: str) -> str:
    """"II期" is a substring of "III期": before 期/类/级/等 a Roman numeral (Ⅰ…Ⅻ, or ASCII I, II,
    III, IV …) becomes the Chinese numeral (Ⅱ期 -> 二期, III期 -> 三期), which no other contains
    and which reads as users write it ("二期临床"). Apply after NFKC, which spells Ⅲ as III."""
    def one(m: re.Match) -> str:
        value = _roman_value(m.group(1))
        return m.group(1) if value is None else chinese_numeral(value)
    return _ROMAN_ORDINAL.sub(one, text)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """The value of a heading number: `十二` -> 12, `二十` -> 20, `3` -> 3; None if not a number."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None


def chinese_numeral(n: int) -> str:
    """1..99 in the form headings use: 1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not 0 < n < 100:
        return str(n)
    head = "" if tens == 0 else "十" if tens == 1 else digits[tens] + "十"
    return head + (digits[ones] if ones else "")
