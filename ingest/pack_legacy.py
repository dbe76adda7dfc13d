"""Data directories written before packs: ``policies/<doc_id>.txt|.yaml``, ``rules/*.yaml`` and
``drafts/<doc_id>.yaml``, read as packs (in memory). The next ingest publishes them as ``packs/``;
the old folders are then left alone and no longer read."""
from __future__ import annotations

from pathlib import Path

from assistant.lexicon import load_shared_facts, parse_facts
from ingest.corpus import read_policy_dir
from ingest.pack_write import draft_facts
from ingest.packs import Pack
from ingest.rules import read_rule_dir


def legacy_packs(data_dir: Path) -> dict:
    docs = read_policy_dir(data_dir / "policies")
    if not docs:
        return {}
    rules = {**read_rule_dir(data_dir / "drafts"), **read_rule_dir(data_dir / "rules")}
    packs = {}
    for doc_id, document in docs.items():
        own = [r for r in rules.values() if r.doc_id == doc_id]
        facts = parse_facts(draft_facts([r for r in own if r.status == "draft"], set(load_shared_facts())))
        packs[doc_id] = Pack(data_dir / "policies" / doc_id, document, tuple(own), facts)
    return packs
