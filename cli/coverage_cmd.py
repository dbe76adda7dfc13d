"""`app.py coverage [--json] [--data-dir D]`: per document, every quantified sentence with or without a
rule (ingest/coverage.py; the web admin tab shows the same report)."""
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


def run(args: argparse.Namespace) -> int:
    from ingest.coverage import coverage_report

    settings = load_settings(args.data_dir)
    report = coverage_report(settings.data_dir)
    docs, complete = report["documents"], report["builtin_complete"]
    if args.json:
        print_json(report)
        return 0
    for e in docs:
        print(f"{e['doc_id']}  《{e['title']}》  {e['covered']}/{e['sentences']} 句有规则")
        for item in e["items"]:
            if not item["rule_ids"]:
                print(f"    未覆盖 {item['clause']}：{item['text']}")
    print("内置政策全部覆盖。" if complete else "内置政策有未覆盖的句子！")
    return 0
