"""Shared by the drafter's sentence tests: the verified drafts of a one-clause policy."""
from __future__ import annotations

from ingest.clauses import parse_clauses
from ingest.draft import draft_document
from ingest.draft_check import quoted_text, verify_draft


def drafted(sentence: str):
    """The verified drafts of a one-clause policy holding `sentence`, and the sentences left listed."""
    text = f"测试政策\n一、扶持措施\n{sentence}\n"
    report = draft_document("t", text, "测试地区")
    by_label = parse_clauses("t", text).by_label()
    for rule in report.rules:
        verify_draft(rule, quoted_text(rule, by_label))
    return report.rules, report.listed
