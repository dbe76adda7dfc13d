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
    """Fold width, brackets and quotes and drop whitespace, so look-alike strings compare equal."""
    text = unicodedata.normalize("NFKC", text or "").translate(_MATCH_TABLE)
    return re.sub(r"\s+", "", text)
