"""Clause recall on ingested policies: the engine's scoped hybrid retrieval against BM25 over plain
500-character chunks (the baseline general RAG platforms use), on questions about policies nobody
here wrote the engine for.

    python bench/eval_ingested.py DATA_DIR QUESTIONS.jsonl [MORE.jsonl ...]

DATA_DIR: a data directory with the policies ingested (``app.py ingest --manifest
../shared/corpus-extra/SOURCES.tsv --data-dir DATA_DIR``). A case counts at rank k when all its
``cite`` snippets occur in one of the top-k retrieved texts. Prints recall@1, recall@5 for both.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bm25s  # noqa: E402
import jieba  # noqa: E402

from assistant.service import PolicyService  # noqa: E402
from ingest.normalize import for_matching  # noqa: E402
from settings import load_settings  # noqa: E402


def _found(texts: list[str], snippets: list[str], k: int) -> bool:
    top = [for_matching(t) for t in texts[:k]]
    return any(all(for_matching(s) in t for s in snippets) for t in top)


def _chunks(service) -> list[str]:
    out = []
    for doc in service.kb.documents.values():
        text = doc.text
        out += [text[i:i + 500] for i in range(0, len(text), 450)]
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    service = PolicyService(load_settings(argv[1]))
    engine = service.offline
    cases = [json.loads(line) for path in argv[2:] for line in Path(path).read_text("utf-8").splitlines()
             if line.strip() and json.loads(line).get("cite")]
    chunks = _chunks(service)
    bm25 = bm25s.BM25()
    bm25.index([list(jieba.cut_for_search(c)) for c in chunks], show_progress=False)
    scores = {"hybrid@1": 0, "hybrid@5": 0, "bm25-chunks@1": 0, "bm25-chunks@5": 0}
    for case in cases:
        messages = case.get("messages") or [{"role": "user", "content": case["q"]}]
        u = engine.understand(messages)
        hits = engine._search(engine._query(u), engine._region_filter(u), u)
        texts = [h.clause.text for h in hits]
        ids, _ = bm25.retrieve([list(jieba.cut_for_search(u.question))], k=5, show_progress=False)
        plain = [chunks[i] for i in ids[0]]
        for k in (1, 5):
            scores[f"hybrid@{k}"] += _found(texts, case["cite"], k)
            scores[f"bm25-chunks@{k}"] += _found(plain, case["cite"], k)
    n = len(cases)
    print(f"{n} cases with cited snippets, {len(service.kb.documents)} documents")
    for name, value in scores.items():
        print(f"{name:16s} recall {value / n:.2f} ({value}/{n})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
