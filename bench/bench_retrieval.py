"""Retrieval speed and growth.

    python bench/bench_retrieval.py [--work-dir data/bench-speed] [--scales 1,10,100]

Prints: the index build time for the four policies (cold embedding cache, warm cache, unchanged
corpus), warm query latency p50/p95 (embedding + both searches + fusion, distinct questions),
and for 1x, 10x, 100x today's clauses (copies of the four policies under new doc ids) the
query latency, the process memory the loaded retriever takes and the index size on disk.
Each scale runs in its own process so memory figures do not mix.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.corpus import Document, KnowledgeBase, load_knowledge_base  # noqa: E402
from settings import load_settings  # noqa: E402

QUESTIONS = [ROOT / "tests" / "assistant" / "retrieval_cases.jsonl", ROOT.parent / "shared" / "eval" / "dev.jsonl"]


def questions() -> list[str]:
    out: list[str] = []
    for path in QUESTIONS:
        if path.is_file():
            out += [json.loads(x)["q"] for x in path.read_text(encoding="utf-8").splitlines()
                    if x.strip() and "q" in json.loads(x)]
    return list(dict.fromkeys(out))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def disk_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def copies(kb: KnowledgeBase, n: int) -> KnowledgeBase:
    """`n` copies of every document, under new doc ids (same text, so embeddings are cached)."""
    docs = dict(kb.documents)
    for i in range(1, n):
        for doc_id, doc in kb.documents.items():
            meta = doc.meta.model_copy(update={"doc_id": f"{doc_id}_copy{i}"})
            docs[meta.doc_id] = Document(meta=meta, text=doc.text)
    return KnowledgeBase(docs)


def latency(retriever, qs: list[str]) -> dict:
    retriever.search("预热 上云 补贴")
    times = []
    for q in qs:
        start = time.perf_counter()
        retriever.search(q)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
            "max_ms": times[-1], "queries": len(times)}


def build_times(work: Path) -> dict:
    """Cold embedding cache, unchanged corpus (reuse), and a new index from a warm cache."""
    from assistant.retrieval import ensure_index

    kb = load_knowledge_base(None)
    cold, warm = work / "build", work / "build-warm"
    for folder in (cold, warm):
        shutil.rmtree(folder, ignore_errors=True)
    timings = {"clauses": len(kb.clauses)}
    for label in ("cold_cache_s", "unchanged_s"):
        start = time.perf_counter()
        ensure_index(load_settings(cold), kb, progress=False)
        timings[label] = time.perf_counter() - start
    (warm / "index").mkdir(parents=True)
    shutil.copy(cold / "index" / "embeddings.sqlite", warm / "index" / "embeddings.sqlite")
    start = time.perf_counter()
    ensure_index(load_settings(warm), kb, progress=False)
    timings["warm_cache_s"] = time.perf_counter() - start
    return timings


def one_scale(work: Path, n: int) -> dict:
    """Run in a child process: build (embeddings from the shared cache), load, time queries."""
    from assistant.lexical import default_tokenizer
    from assistant.retrieval import _embedder, build_retriever

    data = work / f"scale{n}"
    shutil.rmtree(data, ignore_errors=True)
    (data / "index").mkdir(parents=True)
    shutil.copy(work / "build" / "index" / "embeddings.sqlite", data / "index" / "embeddings.sqlite")
    settings = load_settings(data)
    _embedder(settings.embedding_model), default_tokenizer()     # model and jieba: not the index
    kb = copies(load_knowledge_base(None), n)
    before = rss_mb()
    start = time.perf_counter()
    retriever = build_retriever(settings, kb)
    built = time.perf_counter() - start
    result = {"scale": n, "clauses": len(kb.clauses), "build_s": built,
              "index_disk_mb": disk_mb(data / "index" / "chroma")}
    result.update(latency(retriever, questions()))
    result["retriever_rss_mb"] = rss_mb() - before
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="retrieval speed and growth")
    parser.add_argument("--work-dir", default=str(ROOT / "data" / "bench-speed"))
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work = Path(args.work_dir)
    if args.one_scale:
        print(json.dumps(one_scale(work, args.one_scale)))
        return 0
    builds = build_times(work)
    print(f"Index build, four policies ({builds['clauses']} clauses): cold embedding cache "
          f"{builds['cold_cache_s']:.1f} s, warm cache {builds['warm_cache_s']:.1f} s, "
          f"unchanged corpus {builds['unchanged_s']:.2f} s")
    print("\n| clauses | scale | warm query p50 | p95 | max | build (cached embeddings) "
          "| memory (clauses + Chroma + BM25) | index on disk |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in [int(x) for x in args.scales.split(",")]:
        out = subprocess.run([sys.executable, __file__, "--work-dir", str(work), "--one-scale", str(n)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['clauses']} | {n}x | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['max_ms']:.1f} ms "
              f"| {r['build_s']:.1f} s | {r['retriever_rss_mb']:.0f} MB | {r['index_disk_mb']:.1f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
