"""`app.py search "关键词" [--json] [--k 5] [--region 河南省] [--doc-id ID]`: find clauses."""
from __future__ import annotations

import argparse
import sys

from cli.common import print_json
from errors import PolicyError
from settings import load_settings


def register(subparsers) -> None:
    p = subparsers.add_parser("search", help="检索政策条款（混合检索：向量 + 关键词）",
                              description="按问题或关键词检索条款，输出文件、条款编号和原文。")
    p.add_argument("query", nargs="?", default="", help="问题或关键词，如 “上云 服务券 补贴”")
    p.add_argument("--k", type=int, default=5, help="返回条数（1-50，默认 5）")
    p.add_argument("--region", default=None, help="只检索该地区的政策，如 河南省、佛山")
    p.add_argument("--doc-id", action="append", default=None, dest="doc_ids",
                   help="只检索该文件（可重复给出）")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=run)


def format_hits(hits: list[dict]) -> str:
    """A readable list for hotline staff: rank, document, clause label, verbatim text."""
    if not hits:
        return "没有找到相关条款。"
    lines = []
    for i, h in enumerate(hits, start=1):
        number = f"（{h['doc_number']}）" if h.get("doc_number") else ""
        lines.append(f"{i}. {h['title']}{number} {h['clause']}  [{h['region']}]")
        lines.append(f"   {h['text']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from assistant.retrieval import build_retriever, clean_query
    from ingest.corpus import load_knowledge_base

    query = clean_query(args.query)      # empty or over-long input fails before any loading
    if not 1 <= args.k <= 50:
        raise PolicyError("bad_arguments", "--k 应在 1 到 50 之间。")
    settings = load_settings(args.data_dir)
    kb = load_knowledge_base(settings.data_dir)
    if args.doc_ids:
        unknown = [d for d in args.doc_ids if d not in kb.documents]
        if unknown:
            raise PolicyError("unknown_document", f"知识库中没有文件 {'、'.join(unknown)}。")
    retriever = build_retriever(settings, kb, progress=sys.stderr.isatty())
    hits = [h.to_dict() for h in retriever.search(query, k=args.k, region=args.region,
                                                  doc_ids=args.doc_ids)]
    if args.json:
        print_json(hits)
    else:
        print(format_hits(hits))
    return 0
