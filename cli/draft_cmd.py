"""`app.py rules draft FILE... [--json] [--region 河南省]`: draft rules from policy files alone.

No curated rule is used: each file is loaded (txt/docx/pdf/html), parsed into clauses and drafted
by ingest/draft.py. JSON: ``{"rules": [... same shape as rules --json, status "draft"],
"undrafted": [{"doc_id", "clause", "text", "reason"}], "counts": {...}}``.
"""
from __future__ import annotations

from pathlib import Path

from cli.common import print_json
from errors import PolicyError


def _draft_file(path: Path, region: str | None):
    from ingest.draft import draft_document
    from ingest.loaders import load_text
    from ingest.store import read_sidecar, sanitise_doc_id

    if not path.is_file():
        raise PolicyError("file_not_found", f"找不到文件：{path}")
    text = load_text(path)
    meta = read_sidecar(path)
    doc_id = meta.get("doc_id") or sanitise_doc_id(path.stem)
    title = meta.get("title") or next(line.strip() for line in text.splitlines() if line.strip())[:100]
    report = draft_document(doc_id, text, region or meta.get("region") or "未指定地区")
    return report, title, meta.get("doc_number")


def draft_dict(rule, title: str, doc_number: str | None) -> dict:
    from calculators.describe import describe
    from cli.rules_cmd import _plain

    return {**_plain(rule.model_dump()), "summary": describe(rule), "doc_title": title, "doc_number": doc_number}


def run_draft(files: list[str], region: str | None, as_json: bool) -> int:
    if not files:
        raise PolicyError("no_input", "请给出要起草规则的政策文件：python app.py rules draft 文件.txt [--json]")
    rules, undrafted, drafted = [], [], 0
    for name in files:
        report, title, number = _draft_file(Path(name), region)
        rules += [draft_dict(r, title, number) for r in report.rules]
        undrafted += [{"doc_id": s.doc_id, "clause": s.clause, "text": s.text, "reason": s.reason}
                      for s in report.listed]
        drafted += sum(1 for s in report.sentences if s.rule_ids)
    counts = {"rules": len(rules), "sentences_drafted": drafted, "sentences_listed": len(undrafted)}
    if as_json:
        print_json({"rules": rules, "undrafted": undrafted, "counts": counts})
        return 0
    for rule in rules:
        print(f"{rule['id']}  {rule['clause']}  {rule['title']}\n    {rule['summary']}\n    引文：{rule['quote']}")
    for item in undrafted:
        print(f"未起草  {item['doc_id']} {item['clause']}：{item['reason']}\n    {item['text']}")
    print(f"共起草 {len(rules)} 条规则（草稿，尚未人工复核）；{drafted} 句已起草，{len(undrafted)} 句未能起草。")
    return 0
