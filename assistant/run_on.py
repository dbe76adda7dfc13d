"""Run-on paragraphs: an enterprise that tells several projects in one sentence, or with no
punctuation at all ("…投资一千八百万这个平台项目同时进入了…另外我们是…还有一个…投资三百万…请问…").

``punctuate`` gives a stretch without punctuation a clause break (，) before each word that starts
a clause; ``sentences`` splits a text into sentences and a sentence longer than the vocabulary's
``long_sentence``, or one that had to be punctuated, into its comma clauses. Vocabulary: knowledge/lexicon.yaml ``run_on``.
"""
from __future__ import annotations

import re

from assistant.lexicon import Lexicon

_PUNCTUATION = re.compile(r"[，,。；;！？!?：:、\n]")
SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?\n]?")     # a sentence with its end mark (；and a line end too)
_OPENING, _CLOSING = "（(“「《", "）)”」》"


class RunOn:
    def __init__(self, lex: Lexicon):
        self.words = lex.run_on
        starts = sorted(set(self.words.clause_starts), key=len, reverse=True)
        self._starts = re.compile("|".join(map(re.escape, starts)) or "(?!)")

    def punctuate(self, text: str) -> str:
        """The text with a clause break before each clause start inside a long unpunctuated stretch."""
        out, at = [], 0
        for m in re.finditer(r"[^，,。；;！？!?：:、\n]+", text):
            out.append(text[at:m.start()])
            out.append(self._break(m.group(0)) if len(m.group(0)) >= self.words.unpunctuated else m.group(0))
            at = m.end()
        out.append(text[at:])
        return "".join(out)

    def _break(self, stretch: str) -> str:
        cuts, last = [], 0
        for m in self._starts.finditer(stretch):
            if m.start() - last >= self.words.min_clause:
                cuts.append(m.start())
                last = m.start()
        pieces = [stretch[a:b] for a, b in zip([0, *cuts], [*cuts, len(stretch)], strict=False)]
        return "，".join(p for p in pieces if p)

    def sentences(self, text: str, run_on: bool = False) -> list[str]:
        """Sentences (with their end marks); one longer than ``long_sentence``, or run on without
        punctuation (or every one, when ``run_on`` says the text was), as its comma clauses."""
        out = []
        for sentence in SENTENCE.findall(text):
            told = self.punctuate(sentence)
            if run_on or len(sentence) > self.words.long_sentence or told != sentence:
                out += comma_clauses(told)
            else:
                out.append(sentence)
        return out


def comma_clauses(sentence: str) -> list[str]:
    """The sentence's comma clauses (each with its comma); a comma inside brackets or quotes does
    not end one."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        depth += (ch in _OPENING) - (ch in _CLOSING and depth > 0)
        if ch in "，," and depth == 0:
            out.append(sentence[start:i + 1])
            start = i + 1
    if start < len(sentence):
        out.append(sentence[start:])
    return out
