"""Retrieval evaluation: the hybrid retriever against BM25 alone, dense alone and naive LangChain RAG.

    python bench/eval_retrieval.py [--work-dir data/bench-retrieval]

Question sets: the development cases with ``cite`` snippets (../shared/eval/dev.jsonl) and our
own questions in users' words (tests/assistant/retrieval_cases.jsonl). A case is found at rank k
when all its snippets occur (after ``for_matching``) in the texts of the top-k hits. Reading
cost: characters of the hits read top-down until the cited text has appeared (all five hits
when it never does).

Corpora: the four packaged policies, and the four plus the 32 policies of ../shared/corpus-extra
ingested into the work directory (read in place, never copied into the repository).

Systems: (a) the hybrid retriever; (b) its BM25 ranking alone and (c) its dense ranking alone
(same clause units, same region scope, no fusion or boosts); (d) naive RAG: each document's
text in RecursiveCharacterTextSplitter chunks of 500 characters (overlap 50) in langchain-chroma,
same embedder, top-5 by similarity, no region filter.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langchain_core.embeddings import Embeddings  # noqa: E402

from assistant.embedders import Embedder, EmbeddingCache  # noqa: E402
from assistant.index import chroma_client  # noqa: E402
from assistant.retrieval import HybridRetriever, build_retriever  # noqa: E402
from ingest.corpus import KnowledgeBase, load_knowledge_base  # noqa: E402
from ingest.normalize import for_matching  # noqa: E402
from settings import load_settings  # noqa: E402

SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev.jsonl"
EXTRA = SHARED / "corpus-extra" / "SOURCES.tsv"
OWN = ROOT / "tests" / "assistant" / "retrieval_cases.jsonl"
K = 5
SYSTEMS = ["(a) hybrid", "(b) BM25 alone", "(c) dense alone", "(d) naive LangChain RAG"]
Search = Callable[[str], list[str]]        # question -> texts of the top-K hits, best first


def load_cases(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("cite")]


def question_of(case: dict) -> str:
    """A single question's text, or a conversation's user turns read as one query."""
    if case.get("q"):
        return case["q"]
    return "\n".join(m["content"] for m in case.get("messages", []) if m.get("role") == "user")


def found_at(texts: list[str], snippets: list[str]) -> int | None:
    wanted = [for_matching(s) for s in snippets]
    for i in range(len(texts)):
        seen = for_matching("".join(texts[:i + 1]))
        if all(w in seen for w in wanted):
            return i + 1
    return None


@dataclass
class Score:
    ranks: list[int | None] = field(default_factory=list)
    chars: list[int] = field(default_factory=list)

    def add(self, texts: list[str], snippets: list[str]) -> None:
        rank = found_at(texts, snippets)
        self.ranks.append(rank)
        self.chars.append(sum(len(t) for t in texts[:rank or K]))

    def recall(self, k: int) -> float:
        return sum(r is not None and r <= k for r in self.ranks) / len(self.ranks)

    @property
    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r) / len(self.ranks)

    @property
    def reading(self) -> float:
        return sum(self.chars) / len(self.chars)


# -- the four systems --------------------------------------------------------------------------
def hybrid(r: HybridRetriever) -> Search:
    return lambda q: [h.clause.text for h in r.search(q, k=K)]


def one_side(r: HybridRetriever, side: str) -> Search:
    def search(q: str) -> list[str]:
        found = r.rankings(q)
        return [r.clauses[pos].text for pos, _ in getattr(found, side)[:K]] if found else []
    return search


class LangChainEmbeddings(Embeddings):
    """The same embedder (and embedding cache) seen through LangChain's interface."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache):
        self.embedder, self.cache = embedder, cache

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.cache.embed(self.embedder, texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


def naive_rag(kb: KnowledgeBase, embedder: Embedder, work: Path) -> Search:
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    chunks = [c for d in kb.documents.values() for c in splitter.split_text(d.parsed.text)]
    key = hashlib.sha256("\x00".join([embedder.name, *chunks]).encode()).hexdigest()[:16]
    store = Chroma(collection_name=f"naive_{key}", client=chroma_client(work),
                   embedding_function=LangChainEmbeddings(embedder, EmbeddingCache(work / "emb.sqlite")),
                   collection_metadata={"hnsw:space": "cosine"})
    if store._collection.count() != len(chunks):
        store.add_texts(chunks, ids=[f"c{i}" for i in range(len(chunks))])
    return lambda q: [d.page_content for d in store.similarity_search(q, k=K)]


# -- corpora -----------------------------------------------------------------------------------
def corpora(work: Path) -> dict[str, Path]:
    """Corpus name -> data directory (the 32 extra policies are ingested into theirs)."""
    four, extended = work / "four", work / "four_plus_32"
    if not (extended / "packs").is_dir():
        from ingest.store import add_policies, read_manifest

        add_policies(extended, read_manifest(EXTRA), progress=False)
    return {"4 policies": four, "4 + 32 policies": extended}


def evaluate(systems: dict[str, Search], case_sets: dict[str, list[dict]]) -> dict:
    out: dict[tuple[str, str], Score] = {}
    for set_name, cases in case_sets.items():
        for name, search in systems.items():
            score = out.setdefault((set_name, name), Score())
            for case in cases:
                score.add(search(question_of(case)), case["cite"])
    return out


def run(work: Path) -> dict:
    case_sets = {"dev": load_cases(DEV), "own": load_cases(OWN)}
    results: dict[str, dict] = {}
    for corpus, data_dir in corpora(work).items():
        start = time.perf_counter()
        settings = load_settings(data_dir)
        kb = load_knowledge_base(data_dir)
        retriever = build_retriever(settings, kb, progress=True)
        systems = dict(zip(SYSTEMS, [hybrid(retriever), one_side(retriever, "lexical"),
                                     one_side(retriever, "dense"),
                                     naive_rag(kb, retriever.index.embedder, data_dir / "naive")], strict=True))
        results[corpus] = evaluate(systems, case_sets)
        print(f"{corpus}: {len(kb.documents)} documents, {len(kb.clauses)} clauses, "
              f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    return {"cases": {k: len(v) for k, v in case_sets.items()}, "results": results}


# -- report ------------------------------------------------------------------------------------
def table(report: dict, set_name: str) -> str:
    lines = ["| corpus | metric | " + " | ".join(SYSTEMS) + " |", "|---|---|" + "---:|" * len(SYSTEMS)]
    metrics = [("recall@1", lambda s: f"{s.recall(1):.2f}"), ("recall@5", lambda s: f"{s.recall(K):.2f}"),
               ("MRR", lambda s: f"{s.mrr:.3f}"), ("reading cost (chars)", lambda s: f"{s.reading:.0f}")]
    for corpus, res in report["results"].items():
        for label, fmt in metrics:
            cells = [fmt(res[(set_name, name)]) for name in SYSTEMS]
            lines.append(f"| {corpus} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def checks(report: dict) -> list[str]:
    """The acceptance bars of issue 5, each as one line with PASS/FAIL."""
    lines = []
    for corpus, res in report["results"].items():
        a = res[("dev", SYSTEMS[0])]
        others = [res[("dev", name)] for name in SYSTEMS[1:]]
        naive = res[("dev", SYSTEMS[3])]
        bars = {
            "leads every baseline on recall@1 and MRR": all(a.recall(1) > o.recall(1) and a.mrr > o.mrr
                                                             for o in others),
            "recall@1 >= 0.9": a.recall(1) >= 0.9,
            "recall@5 = 1.0": a.recall(K) == 1.0,
            "reads <= 1/3 of the naive baseline": a.reading <= naive.reading / 3,
        }
        lines += [f"- {'PASS' if ok else 'FAIL'} {corpus}, dev: hybrid {bar}" for bar, ok in bars.items()]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", default=str(ROOT / "data" / "bench-retrieval"),
                        help="where indexes, caches and the ingested extra corpus go")
    args = parser.parse_args(argv)
    report = run(Path(args.work_dir))
    for set_name, title in [("dev", "development questions with cited snippets"),
                            ("own", "our questions in users' words")]:
        print(f"\n### Retrieval, {title} ({report['cases'][set_name]} questions)\n")
        print(table(report, set_name))
    print("\n" + "\n".join(checks(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
