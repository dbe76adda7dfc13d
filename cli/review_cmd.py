"""`app.py rules review`: list the drafts, show one beside its clause, accept (after edits) or reject.

    python app.py rules review [--doc DOC_ID] [--json]                   drafts waiting for review
    python app.py rules review --show RULE_ID                           the draft beside its clause
    python app.py rules review --accept RULE_ID --by 张三 [--set cap_yuan=2000000 ...] [--note …]
    python app.py rules review --reject RULE_ID --by 张三 [--note …]

Accepted rules are verified again and written into the pack (ingest/review.py); every decision is
recorded in the store (who, when, rule, decision, edits), the database of the web app.
"""
from __future__ import annotations

import argparse

import yaml

from cli.common import print_json
from errors import PolicyError
from settings import load_settings


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules review（复核草稿规则）")
    g.add_argument("--doc", default=None, help="只列出该政策（doc_id）的草稿")
    g.add_argument("--show", metavar="RULE_ID", help="显示一条草稿及其条款原文")
    g.add_argument("--accept", metavar="RULE_ID", help="接受该草稿（校验后写入政策包，状态 reviewed）")
    g.add_argument("--reject", metavar="RULE_ID", help="驳回该草稿（从政策包中删除）")
    g.add_argument("--set", action="append", default=[], metavar="字段=值", help="接受前修改字段，可重复，如 cap_yuan=2000000")
    g.add_argument("--by", default=None, help="复核人（接受或驳回时必填）")
    g.add_argument("--note", default=None, help="复核意见（可选）")


def _store(settings):
    from web.config import WebConfig
    from web.store import Store, default_url

    return Store(WebConfig().database_url or default_url(settings.data_dir))


def highlighted(clause_text: str, quote: str, mark=("【", "】")) -> str:
    """The clause with each fragment of the quote marked."""
    out, position = [], 0
    for fragment in [f for f in quote.split("……") if f]:
        found = clause_text.find(fragment, position)
        if found < 0:
            break
        out += [clause_text[position:found], mark[0], fragment, mark[1]]
        position = found + len(fragment)
    return "".join(out) + clause_text[position:]


def _show(data_dir, rule_id: str, as_json: bool) -> int:
    from ingest.pack_write import rule_record
    from ingest.review import find_rule

    pack, rule = find_rule(data_dir, rule_id)
    clause = pack.document.parsed.by_label().get(rule.clause)
    text = clause.text if clause else ""
    if as_json:
        print_json({"rule": rule_record(rule), "clause_text": text, "doc_title": pack.document.meta.title})
        return 0
    print(f"《{pack.document.meta.title}》 {rule.clause}\n{highlighted(text, rule.quote)}\n")
    print(yaml.safe_dump(rule_record(rule), allow_unicode=True, sort_keys=False, width=200))
    return 0


def _list(data_dir, doc_id: str | None, as_json: bool) -> int:
    from calculators.describe import describe
    from ingest.review import drafts

    found = drafts(data_dir, doc_id)
    if as_json:
        print_json([{"id": r.id, "doc_id": r.doc_id, "clause": r.clause, "title": r.title, "summary": describe(r),
                     "quote": r.quote} for r in found])
        return 0
    for r in found:
        print(f"{r.id}  {r.doc_id} {r.clause}  {r.title}\n    {describe(r)}")
    print(f"共 {len(found)} 条草稿待复核。" if found else "没有待复核的草稿。")
    return 0


def _decide(settings, args: argparse.Namespace) -> int:
    from ingest.review import accept, parse_sets, reject

    if not (args.by or "").strip():
        raise PolicyError("bad_arguments", "请用 --by 写明复核人，如 --by 张三")
    if args.reject and args.set:
        raise PolicyError("bad_arguments", "驳回时不能同时修改字段（--set 只用于 --accept）")
    changes = parse_sets(args.set)
    rule = accept(settings.data_dir, args.accept, changes) if args.accept else reject(settings.data_dir, args.reject)
    decision = "accepted" if args.accept else "rejected"
    review_id = _store(settings).record_review(rule_id=rule.id, decision=decision, reviewer=args.by,
                                               doc_id=rule.doc_id, note=args.note, changes=changes or None)
    if args.json:
        print_json({"rule_id": rule.id, "doc_id": rule.doc_id, "decision": decision, "review_id": review_id,
                    "status": rule.status if args.accept else None})
    else:
        print(f"{'已接受' if args.accept else '已驳回'}：{rule.id}  {rule.title}（复核记录 {review_id}）")
    return 0


def run_review(args: argparse.Namespace) -> int:
    if args.files:
        raise PolicyError("bad_arguments", f"未知的参数：{' '.join(args.files)}")
    if args.accept and args.reject:
        raise PolicyError("bad_arguments", "--accept 和 --reject 一次只能用一个")
    settings = load_settings(args.data_dir)
    if args.accept or args.reject:
        return _decide(settings, args)
    if args.show:
        return _show(settings.data_dir, args.show, args.json)
    return _list(settings.data_dir, args.doc, args.json)
