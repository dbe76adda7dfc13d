"""Normalisation before understanding: one plain simplified-Chinese form for every question.

``normalize_question("我們在河南駐馬店，投資９００萬")`` -> ``"我们在河南驻马店，投资900万"``:

1. 繁體 -> 简体 (OpenCC ``t2s``: characters only, no phrase rewriting, so simplified text is unchanged);
2. full-width letters, digits, ％ and spaces -> ASCII; Chinese punctuation (，。（）“”：；！？、) stays
   as it is, because policy names and quotes use it; 文号 brackets -> 〔2022〕;
3. English money -> Chinese money ("RMB 4.5 million" -> 450万元, "450 wan", "2 billion yuan" -> 20亿元);
4. English words -> Chinese through ``knowledge/lexicon/en.yaml`` (longest phrase first, whole words,
   any case); the user's own Chinese gloss in brackets wins over the translation; words the lexicon
   does not know stay as they are.

The result is idempotent: normalising it again changes nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

import opencc  # the official OpenCC binding; its dictionaries ship in the wheel

from assistant.bilingual import Lexicon, english_lexicon
from calculators.amounts import find_amounts, format_amount
from ingest.normalize import remove_artefacts

Language = Literal["zh", "en", "mixed"]

# Private-use marks around Chinese the normaliser wrote, removed before returning.
_OPEN, _CLOSE = "\ue000", "\ue001"
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z0-9]+")
_LETTERS = re.compile(r"[A-Za-z]")
# Full-width forms folded to ASCII; full-width punctuation that Chinese text uses is kept.
_KEEP = set("！（），：；？［］｛｝～｜＂＇＼＾｀＜＞")
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20})
_THOUSANDS = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")   # １，２５０万 -> 1,250万
_DOC_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])\s*[\[［【(（〔]\s*((?:19|20)\d{2})\s*[\]］】)）〕]\s*(?=第?\d+\s*号)")
_GLOSS = re.compile(
    rf"(?P<run>(?:{_OPEN}[^{_CLOSE}]*{_CLOSE}[ \t]*)+)"
    rf"[(（](?P<gloss>(?:[^()（）{_OPEN}{_CLOSE}]|[(（][^()（）{_OPEN}{_CLOSE}]*[)）])+)[)）]"
)
_MARKED = re.compile(rf"{_OPEN}([^{_CLOSE}]*){_CLOSE}")


@dataclass(frozen=True)
class NormalizedQuestion:
    text: str                       # what the understanding stage reads
    original: str                   # what the user wrote
    language: Language              # of the original: zh, en, or mixed
    translated: tuple[str, ...]     # Chinese written for English words and amounts, in order


@lru_cache(maxsize=1)
def _converter():
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """繁體 -> 简体, character by character (simplified text comes back unchanged)."""
    return text if text.isascii() else _converter().convert(text)


def fold_width(text: str) -> str:
    """Full-width letters, digits, ％ ＄ ． and spaces -> ASCII; Chinese punctuation kept."""
    return _THOUSANDS.sub(",", text.translate(_WIDTH))


def detect_language(text: str) -> Language:
    letters, cjk = len(_LETTERS.findall(text)), len(_CJK.findall(text))
    if letters > 2 * cjk:
        return "en"
    return "zh" if letters * 2 <= cjk else "mixed"


def _tidy_spaces(text: str) -> str:
    """One space for each run of blanks; line breaks kept (they separate a profile's items)."""
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _wan_letters(text: str) -> str:
    """900W / 50w -> 900万 / 50万 where ``find_amounts`` reads them as money (not 900kW, 功率3000W)."""
    for found in reversed(find_amounts(text)):
        if found.text.endswith(("W", "w")):
            text = text[:found.end - 1] + "万" + text[found.end:]
    return text


def _amount(match: re.Match[str], lexicon: Lexicon) -> str:
    whole, unit = match.group(), match.group("m")
    currency_word = match.group("c1") or match.group("c2")
    if not re.search(r"[^\d\s,.\u4e00-\u9fff]", whole) or not (unit or currency_word):
        return whole   # 2022, 650000元: nothing English to rewrite
    if unit and unit.lower() in lexicon.short_multipliers and not currency_word:
        return whole   # "7.5m" alone may be metres
    factor = lexicon.multipliers[unit.lower()] if unit else Decimal(1)
    currency = lexicon.currencies[currency_word.lower()] if currency_word else "元"
    written = format_amount(Decimal(match.group("num").replace(",", "")) * factor)
    return _OPEN + written.removesuffix("元") + currency + _CLOSE


def _translate(text: str, lexicon: Lexicon) -> str:
    out, pos = [], 0
    for word in _WORD.finditer(text):
        if word.start() < pos:
            continue
        for phrase in lexicon.phrases_at(word.group()):
            found = phrase.pattern.match(text, word.start())
            if found:
                chinese = phrase.chinese.replace("{n}", found.group("n")) if "{n}" in phrase.chinese else phrase.chinese
                out += [text[pos:word.start()], _OPEN + chinese + _CLOSE]
                pos = found.end()
                break
    out.append(text[pos:])
    return "".join(out)


def _covered(piece: str, gloss: str) -> bool:
    return piece in gloss or (len(piece) > 2 and piece[-1] in "省市区县" and piece[:-1] in gloss)


def _prefer_gloss(match: re.Match[str]) -> str:
    """'首版次软件 (首版次软件产品)' -> '首版次软件产品': the user's Chinese replaces our translation of it."""
    gloss = match.group("gloss").strip()
    pieces = _MARKED.findall(match.group("run"))
    kept = list(pieces)
    while kept and _CJK.search(gloss) and _covered(kept[-1], gloss):
        kept.pop()
    if len(kept) == len(pieces):
        return match.group()
    return "".join(f"{_OPEN}{p}{_CLOSE} " for p in kept) + _OPEN + gloss + _CLOSE


def _from_english(text: str, lexicon: Lexicon) -> str:
    text = lexicon.amount_pattern.sub(lambda m: _amount(m, lexicon), text)
    if _LETTERS.search(text):
        text = _GLOSS.sub(_prefer_gloss, _translate(text, lexicon))
    return re.sub(rf"{_CLOSE}[ \t]+{_OPEN}", _CLOSE + _OPEN, text)   # 工业 服务型制造 -> 工业服务型制造


def normalize(text: str, lexicon: Lexicon | None = None) -> NormalizedQuestion:
    """The question in the one form the understanding stage reads (see the module docstring);
    normalising it again changes nothing ("RMB RMB 0": the currency word one pass leaves is read
    by the next)."""
    found = _normalize_once(text, lexicon)
    for _ in range(2):
        again = _normalize_once(found.text, lexicon)
        if again.text == found.text:
            break
        found = NormalizedQuestion(text=again.text, original=found.original, language=found.language,
                                   translated=found.translated + again.translated)
    return found


def _normalize_once(text: str, lexicon: Lexicon | None = None) -> NormalizedQuestion:
    original = text or ""
    text = remove_artefacts(original).replace(_OPEN, "").replace(_CLOSE, "")
    text = fold_width(to_simplified(text))
    text = _DOC_NUMBER.sub(r"〔\1〕", _tidy_spaces(text))
    language = detect_language(text)
    if re.search(r"\d\s*[Ww]", text):
        text = _wan_letters(text)
    if re.search(r"[A-Za-z¥￥$€£]", text):
        text = _from_english(text, lexicon or english_lexicon())
    translated = tuple(_MARKED.findall(text))
    text = _tidy_spaces(text.replace(_OPEN, "").replace(_CLOSE, ""))
    return NormalizedQuestion(text=text, original=original, language=language, translated=translated)


def normalize_question(text: str) -> str:
    """The normalised text alone: 简体, ASCII digits and letters, English turned into Chinese."""
    return normalize(text).text
