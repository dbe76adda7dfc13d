"""Which documents a later one repeals (同时废止), read from the documents' own closing clauses.

Two forms are read:
- a repeal naming the old document: "《甘井子区经济工作奖励办法（暂行）》…同时废止" repeals the document
  of exactly that title (brackets and spaces folded), in any region;
- a repeal of "此前出台的支持重点产业发展相关支持奖励政策": documents of the same region, older than
  the repealing one (or of unknown year, while its own year is known), whose title shares a topic
  of four or more characters with the repealed description ("重点产业").
A document of unknown year never repeals by description, and a title differing by a word (暂行)
is another document: the old one may still be in force, so nothing is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.corpus import Document
from ingest.normalize import for_matching

_SENTENCE = re.compile(r"[^。；]*废止")
_NAMED = re.compile(r"《([^》]{4,80})》")
_GENERAL = re.compile(r"(?:此前|以前|之前|以往|原)(?:出台|印发|发布|制定)?的?([^。；《》]{2,40}?)(?:政策|办法|规定|意见|措施)[^。；《》]{0,8}?(?:同时|一并)?废止")
_GENERIC = re.compile(r"关于|印发|实施意见|实施办法|管理办法|若干|政策|措施|意见|办法|规定|通知|试行|暂行|中共|人民政府|的|和|及")
MIN_TOPIC = 4


@dataclass(frozen=True)
class Repeal:
    doc_id: str            # the repealed document
    by: str                # the repealing document
    sentence: str          # its words, verbatim


def _core(title: str) -> str:
    return _GENERIC.sub("", for_matching(title))


def _shares_topic(title: str, phrase: str) -> bool:
    core, phrase = _core(title), for_matching(phrase)
    return any(core[i:i + MIN_TOPIC] in phrase for i in range(len(core) - MIN_TOPIC + 1))


def _older(old: Document, new: Document) -> bool:
    if new.meta.year is None:
        return False
    return old.meta.year is None or old.meta.year < new.meta.year


def repeals(documents: dict[str, Document]) -> list[Repeal]:
    """Every repeal the documents state of one another."""
    by_title = {for_matching(d.meta.title): doc_id for doc_id, d in documents.items()}
    out: list[Repeal] = []
    for doc_id, doc in documents.items():
        for m in _SENTENCE.finditer(doc.text):
            sentence = m.group(0).strip()
            named = {by_title.get(for_matching(t)) for t in _NAMED.findall(sentence)} - {None, doc_id}
            out += [Repeal(old, doc_id, sentence) for old in sorted(named)]
            general = _GENERAL.search(sentence)
            if general is None:
                continue
            for old_id, old in documents.items():
                if (old_id != doc_id and old.meta.region == doc.meta.region and _older(old, doc)
                        and _shares_topic(old.meta.title, general.group(1))):
                    out.append(Repeal(old_id, doc_id, sentence))
    return out
