"""Applicants a document excludes as a whole ("房地产、贸易型企业均不享受本意见全部条款"). The drafter
notes that sentence on every draft of the document ("本文件另规定：…", ingest/draft.py); a question
saying the enterprise is one of them ("我们是一家贸易型企业") gets no figure from those drafts, and the
answer says why. Said in a denial ("不是房地产、贸易型企业") it excludes nothing."""
from __future__ import annotations

import re

NOTE = "本文件另规定："
_KIND_SUFFIX = re.compile(r"(?:企业|单位|公司|机构|项目)$")
_CLAUSE_START = "，,。；;（(？?！!\n"


def excluded_kind(notes: list[str], text: str, exclusion: re.Pattern, negations: list[str]) -> tuple[str, str] | None:
    """(the excluded kind the text affirms of the enterprise, the note) among a draft's notes, or None."""
    for note in notes:
        if not note.startswith(NOTE) or not (m := exclusion.search(note)):
            continue
        head = note[len(NOTE):m.start()]
        for kind in (k.strip() for k in re.split(r"[、和及与]", head)):
            core = _KIND_SUFFIX.sub("", kind)
            if len(core) >= 2 and _affirmed(core, text, negations):
                return kind, note
    return None


def _affirmed(word: str, text: str, negations: list[str]) -> bool:
    for m in re.finditer(re.escape(word), text):
        start = max(text.rfind(ch, 0, m.start()) for ch in _CLAUSE_START) + 1
        if not any(n in text[start:m.start()] for n in negations):
            return True
    return False
