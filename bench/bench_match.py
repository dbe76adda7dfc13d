"""Policy matching speed: one profile against every rule of the built-ins plus the drafts of
../shared/corpus-extra (ingested into a temporary data directory, rules drafted with
ingest/draft.py), warm. Prints the rule count and the median and worst of the warm runs.

    python bench/bench_match.py [--runs 30]     (target: under 100 ms warm)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.lexicon import load_facts, load_lexicon  # noqa: E402
from assistant.matching import PolicyMatcher  # noqa: E402
from assistant.profile_file import ProfileBuilder  # noqa: E402
from assistant.reading import TurnReader  # noqa: E402
from assistant.regions import RegionIndex  # noqa: E402
from ingest.corpus import load_knowledge_base  # noqa: E402
from ingest.draft import draft_document  # noqa: E402
from ingest.rules import load_rulebook  # noqa: E402
from ingest.store import add_policies, read_manifest  # noqa: E402

EXTRA = ROOT.parent / "shared" / "corpus-extra"
PROFILE = {
    "location": "河南省郑州市", "declaration_year": 2024, "facts": {"touyan": True},
    "titles": [{"fact": "xiaojuren_national", "level": "国家级", "valid": True}],
    "description": "1. 重点技术改造项目，设备和软件实际投资5200万元，也是省技术改造示范项目；\n"
                   "2. “机器换人”示范项目，整机购置实际投资1200万元；\n3. 2024年被工信部认定为国家级绿色工厂；\n"
                   "4. 经省认定的首版次软件产品，销售发票金额600万元；\n5. 企业级工业互联网平台示范项目，项目投资3200万元；\n"
                   "6. 入选市级工业互联网标杆示范项目，项目已投入1500万元；\n7. 上云服务合同130万元、30万元。",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data:
        add_policies(data, read_manifest(EXTRA / "SOURCES.tsv"), progress=False)
        kb = load_knowledge_base(data)
        rules = list(load_rulebook().rules)
        built = {r.doc_id for r in rules}
        for doc_id, doc in kb.documents.items():
            if doc_id not in built:
                rules += draft_document(doc_id, doc.text, doc.meta.region).rules
    regions = RegionIndex({d.meta.region: d.meta.parent_regions for d in kb.documents.values()})
    lex, specs = load_lexicon(), load_facts()
    matcher = PolicyMatcher(rules, kb, lex, specs, regions)
    profile = ProfileBuilder(TurnReader(lex, specs), specs, regions, set(lex.roles)).build(PROFILE)
    profile.scope = sorted({r.region for r in rules})        # every rule of every region considered
    first = matcher.match(profile)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = matcher.match(profile)
        times.append((time.perf_counter() - started) * 1000)
    drafts = sum(1 for r in rules if r.status == "draft")
    print(f"rules: {len(rules)} ({drafts} drafted), awards considered: {len(result.awards)}, "
          f"selected: {len(result.by_status('selected'))}, total: {result.total_yuan} yuan")
    print(f"first run: {first.elapsed_ms:.1f} ms; warm median: {statistics.median(times):.1f} ms, "
          f"worst: {max(times):.1f} ms over {args.runs} runs (target < 100 ms)")
    return 0 if statistics.median(times) < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
