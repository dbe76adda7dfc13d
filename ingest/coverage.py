"""Coverage: per document, every quantified sentence with the rules (reviewed or drafted) that quote it.

A sentence is covered when a rule of the same clause quotes it. The four built-in policies must be
covered completely by their curated rules. Used by ``app.py coverage`` and the web admin tab.
"""
from __future__ import annotations


def _covering(sentence: str, rules: list) -> list:
    from ingest.draft_text import load_lexicon

    core = load_lexicon().numbering.sub("", sentence.strip("。；; "))
    return [r for r in rules
            if any(f.strip("。；;， ") and (f.strip("。；;， ") in core or core in f) for f in r.quote.split("……"))]


def document_coverage(doc, rules: list) -> dict:
    """{doc_id, title, sentences, covered, ratio, items: [{clause, text, rule_ids, status}]} of one document."""
    from ingest.draft import draft_document

    report = draft_document(doc.meta.doc_id, doc.text, doc.meta.region)
    items = []
    for s in report.sentences:
        found = _covering(s.text, [r for r in rules if s.clause in (r.clause, *r.quote_clauses)])
        items.append({"clause": s.clause, "text": s.text, "rule_ids": [r.id for r in found],
                      "status": sorted({r.status for r in found}) or None})
    covered = sum(1 for i in items if i["rule_ids"])
    return {"doc_id": doc.meta.doc_id, "title": doc.meta.title, "sentences": len(items), "covered": covered,
            "ratio": round(covered / len(items), 3) if items else 1.0, "items": items}


def coverage_report(data_dir) -> dict:
    """{documents: [...document_coverage, builtin], builtin_complete} over the whole knowledge base."""
    from ingest.corpus import load_knowledge_base, packaged_doc_ids
    from ingest.rules import load_rulebook

    kb = load_knowledge_base(data_dir)
    book = load_rulebook(data_dir=data_dir, drafts=True)
    builtin = packaged_doc_ids()
    docs = [document_coverage(d, book.for_document(d.meta.doc_id)) for d in kb.documents.values()]
    for entry in docs:
        entry["builtin"] = entry["doc_id"] in builtin
    complete = all(e["covered"] == e["sentences"] for e in docs if e["builtin"])
    return {"documents": docs, "builtin_complete": complete}
