"""Benchmark the offline answer engine: cold start, warm per-question latency, batch throughput.

    .venv/bin/python bench/bench_ask.py [--rounds 5]

Prints figures (not a test). Questions: the project's golden cases (tests/assistant/golden_offline.jsonl).
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.service import PolicyService  # noqa: E402
from errors import PolicyError  # noqa: E402
from settings import load_settings  # noqa: E402


def _answer(service, messages) -> None:
    """One answer; bad input (a negative amount…) is an answered Chinese error, not a crash."""
    try:
        service.answer(messages)
    except PolicyError:
        pass


def _questions() -> list[list[dict]]:
    cases = [json.loads(x) for x in (ROOT / "tests/assistant/golden_offline.jsonl").read_text("utf-8").splitlines() if x]
    return [c.get("messages") or [{"role": "user", "content": c["q"]}] for c in cases]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    questions = _questions()
    with tempfile.TemporaryDirectory() as data_dir:
        t0 = time.perf_counter()
        service = PolicyService(load_settings(data_dir))
        service.warm_up()
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm_service = PolicyService(load_settings(data_dir))
        warm_service.warm_up()
        reopen = time.perf_counter() - t0
        _answer(service, questions[0])
        embedder = service.retriever.embedder
        times, embeds = [], []
        for _ in range(args.rounds):
            for q in questions:
                t = time.perf_counter()
                _answer(service, q)
                times.append((time.perf_counter() - t) * 1000)
                text = q[-1]["content"]
                t = time.perf_counter()
                embedder.embed_query(text + str(len(embeds)))     # a new text: no cache hit
                embeds.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"machine: {platform.processor() or platform.machine()}, {platform.system()}, Python {platform.python_version()}")
    print(f"first start (build index for the 4 policies, load models): {build:.1f} s")
    print(f"later start (index on disk, load models):                   {reopen:.2f} s")
    print(f"warm ask over {len(times)} answers: p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms, mean {statistics.fmean(times):.1f} ms")
    print(f"batch throughput (warm): {1000 / statistics.fmean(times):.1f} questions/s")
    embed = statistics.median(embeds)
    print(f"one query embedding (same run): p50 {embed:.1f} ms")
    print(f"warm answer p50 / query embedding p50: {statistics.median(times) / embed:.2f}×")


if __name__ == "__main__":
    main()
