"""Documents a question names by their titles: "按省里支持中央驻冀科研院所成果转化的那个措施" names
《支持中央驻冀科研院所科技成果转化的若干措施（试行）》, "万企转型政策里" names 《河北省支持“万企转型”
若干政策措施》. Hotline staff and enterprises point at a document this way; the answer then draws on it.

A title's core drops the issuer, 关于/印发/通知 and the kind of document (knowledge/lexicon/titles.yaml).
A question names a document when it repeats `min_run` characters of its core in one stretch, or
`short_run` characters that no other title's core has, and a word for a document follows soon after.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from errors import PolicyError
from ingest.normalize import for_matching

TITLES_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon" / "titles.yaml"


class TitleWords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    strip: list[str] = Field(min_length=1)
    refer: str = Field(min_length=1)
    min_run: int = Field(ge=4, le=30)
    short_run: int = Field(ge=2, le=30)
    refer_window: int = Field(ge=0, le=20)

    @field_validator("strip")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for p in value:
            re.compile(p)
        return value


def load_title_words(path: Path | str = TITLES_FILE) -> TitleWords:
    try:
        return TitleWords.model_validate(yaml.safe_load(Path(path).read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValueError, re.error) as exc:
        raise PolicyError("bad_lexicon", f"标题词表 {path} 无效：{exc}") from exc


class DocumentNames:
    """Finds the documents a text names by title (doc ids)."""

    def __init__(self, titles: dict[str, str], words: TitleWords | None = None):
        self.words = words or load_title_words()
        self._strip = [re.compile(p) for p in self.words.strip]
        self._refer = re.compile(self.words.refer)
        self.cores = {doc_id: core for doc_id, title in titles.items() if len(core := self.core(title)) >= 4}

    def core(self, title: str) -> str:
        text = for_matching(title)
        for pattern in self._strip:
            text = pattern.sub("", text)
        return text

    def find(self, text: str) -> set[str]:
        text = for_matching(text)
        out = set()
        for doc_id, core in self.cores.items():
            m = SequenceMatcher(None, text, core, autojunk=False).find_longest_match(0, len(text), 0, len(core))
            run = core[m.b:m.b + m.size]
            if not self._refer.search(text[m.a + m.size:m.a + m.size + self.words.refer_window]):
                continue        # a title's words describing a project, not pointing at the document
            if m.size >= min(self.words.min_run, len(core)) or \
                    (m.size >= self.words.short_run and self._unique(doc_id, run)):
                out.add(doc_id)
        return out

    def _unique(self, doc_id: str, run: str) -> bool:
        return not any(run in core for other, core in self.cores.items() if other != doc_id)
