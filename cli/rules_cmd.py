"""`app.py rules [--json] [--region 河南省]`: list the award rules (reviewed and drafted), by region and
document; `app.py rules draft FILE... [--json]` drafts rules from policy files (cli/draft_cmd.py);
`app.py rules review ...` reviews the drafts (cli/review_cmd.py)."""
from __future__ import annotations

import argparse
from decimal import Decimal

from cli.common import print_json
from cli.review_cmd import add_arguments as add_review_arguments
from errors import PolicyError
from settings import load_settings


def register(subparsers) -> None:
    p = subparsers.add_parser("rules", help="列出全部奖补计算规则",
                              description="列出每一项量化奖补规则：规则编号、条款、计算方式和所需输入。")
    p.add_argument("action", nargs="?", choices=["draft", "review"],
                   help="draft：从政策文件起草规则（草稿）；review：复核数据目录中的草稿规则")
    p.add_argument("files", nargs="*", metavar="FILE", help="rules draft 的政策文件（.txt .docx .pdf .html）")
    p.add_argument("--region", default=None, help="只列出该地区的规则，如 河南省、湖南、佛山、广东")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_review_arguments(p)
    p.set_defaults(handler=run)


def _in_region(rules: list, kb, region: str | None) -> list:
    if not region:
        return rules
    from assistant.regions import RegionIndex

    index = RegionIndex({d.meta.region: d.meta.parent_regions for d in kb.documents.values()})
    scope = index.expand(index.canonical(region.strip()))
    return [r for r in rules if r.region in scope]


def _plain(value):
    """Decimals as JSON numbers (5000000, 0.3) rather than strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def rule_dict(rule, kb) -> dict:
    from calculators.describe import describe

    meta = kb.meta(rule.doc_id)
    return {**_plain(rule.model_dump()), "summary": describe(rule),
            "doc_title": meta.title, "doc_number": meta.doc_number}


def format_rules(rules: list, kb) -> str:
    """Readable listing for hotline staff: region > document > one block per rule."""
    from calculators.describe import describe

    lines: list[str] = []
    region = doc_id = None
    for rule in sorted(rules, key=lambda r: (r.region, r.doc_id)):
        if rule.region != region:
            region, doc_id = rule.region, None
            lines.append(f"\n【{region}】")
        if rule.doc_id != doc_id:
            doc_id, meta = rule.doc_id, kb.meta(rule.doc_id)
            number = f"（{meta.doc_number}）" if meta.doc_number else ""
            lines.append(f"《{meta.title}》{number}")
        inputs = "、".join(f"{s.name}（{s.label}{'' if s.required else '，可选'}）" for s in rule.inputs)
        status = "" if rule.status == "reviewed" else "  〔草稿，尚未人工复核〕"
        lines.append(f"  {rule.id}  {rule.clause}  {rule.title}{status}")
        lines.append(f"      {describe(rule)}")
        lines.append(f"      输入：{inputs or '无（定额奖励）'}")
    return "\n".join(lines).lstrip("\n")


def run(args: argparse.Namespace) -> int:
    from ingest.corpus import load_knowledge_base
    from ingest.rules import load_rulebook

    if args.action == "draft":
        from cli.draft_cmd import run_draft

        return run_draft(args.files, args.region, args.json)
    if args.action == "review":
        from cli.review_cmd import run_review

        return run_review(args)
    if args.files:
        raise PolicyError("bad_arguments", f"未知的参数：{' '.join(args.files)}（起草规则请用 rules draft 文件）")
    settings = load_settings(args.data_dir)
    kb = load_knowledge_base(settings.data_dir)
    rules = _in_region(load_rulebook(data_dir=settings.data_dir, drafts=True).rules, kb, args.region)
    if args.json:
        print_json([rule_dict(r, kb) for r in rules])
    elif not rules:
        print(f"没有{args.region}的奖补规则。" if args.region else "没有奖补规则。")
    else:
        print(format_rules(rules, kb))
    return 0
