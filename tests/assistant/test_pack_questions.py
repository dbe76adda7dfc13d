"""The worked questions of every built-in pack (questions.jsonl, dev.jsonl format) pass over the real
engine. They need the whole engine (embedder, index), so they run here, not at every load of a pack
(ingest/pack_check.py checks everything else when packs load)."""
from __future__ import annotations

import pytest
from case_check import failures

from ingest.packs import load_packs

CASES = [(pack.doc_id, case) for pack in load_packs(None).values() for case in pack.questions]


def test_every_builtin_pack_has_worked_questions():
    assert {doc_id for doc_id, _ in CASES} == set(load_packs(None)) and len(CASES) >= 12


@pytest.mark.parametrize(("doc_id", "case"), CASES, ids=[c["id"] for _, c in CASES])
def test_a_worked_question_of_a_pack_passes(real_service, doc_id, case):
    messages = case.get("messages") or [{"role": "user", "content": case["q"]}]
    answer = real_service.answer(messages).to_json_dict()
    assert failures(case, answer) == [], answer["answer"]
    assert doc_id in {c["doc_id"] for c in answer["citations"]}, "the pack's own policy is cited"
