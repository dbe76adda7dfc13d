"""`app.py coverage [--json] [--data-dir D]`: per document, every quantified sentence with or without a rule.

A sentence is covered when a rule of the rulebook (reviewed, or drafted on ingest) quotes it from
the same clause. The four built-in policies must be covered completely by their curated rules.
"""
from __future__ import annotations

import argparse

from cli.common import print_json
from settings import load_settings


def register(subparsers) -> None:
    p = subparsers.add_parser("coverage", help="规则覆盖报告：每份政策的量化句子是否已有规则",
                              description="逐份政策列出含金额、比例的奖补句子，以及对应的规则（已复核或草稿）。")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=run)


def _covering(sentence: str, rules: list) -> list:
    from ingest.draft_text import load_lexicon

    core = load_lexicon().numbering.sub("", sentence.strip("。；; "))
    return [r for r in rules
            if any(f.strip("。；;， ") and (f.strip("。；;， ") in core or core in f) for f in r.quote.split("……"))]


def document_coverage(doc, rules: list) -> dict:
    from ingest.draft import draft_document

    report = draft_document(doc.meta.doc_id, doc.text, doc.meta.region)
    items = []
    for s in report.sentences:
        found = _covering(s.text, [r for r in rules if r.clause == s.clause])
        items.append({"clause": s.clause, "text": s.text, "rule_ids": [r.id for r in found],
                      "status": sorted({r.status for r in found}) or None})
    covered = sum(1 for i in items if i["rule_ids"])
    return {"doc_id": doc.meta.doc_id, "title": doc.meta.title, "sentences": len(items), "covered": covered,
            "ratio": round(covered / len(items), 3) if items else 1.0, "items": items}


def run(args: argparse.Namespace) -> int:
    from ingest.corpus import PACKAGED_POLICIES, load_knowledge_base
    from ingest.rules import load_rulebook

    settings = load_settings(args.data_dir)
    kb = load_knowledge_base(settings.data_dir)
    book = load_rulebook(data_dir=settings.data_dir, drafts=True)
    builtin = {p.stem for p in PACKAGED_POLICIES.glob("*.yaml")}
    docs = [document_coverage(d, book.for_document(d.meta.doc_id)) for d in kb.documents.values()]
    for entry in docs:
        entry["builtin"] = entry["doc_id"] in builtin
    complete = all(e["covered"] == e["sentences"] for e in docs if e["builtin"])
    if args.json:
        print_json({"documents": docs, "builtin_complete": complete})
        return 0
    for e in docs:
        print(f"{e['doc_id']}  《{e['title']}》  {e['covered']}/{e['sentences']} 句有规则")
        for item in e["items"]:
            if not item["rule_ids"]:
                print(f"    未覆盖 {item['clause']}：{item['text']}")
    print("内置政策全部覆盖。" if complete else "内置政策有未覆盖的句子！")
    return 0
