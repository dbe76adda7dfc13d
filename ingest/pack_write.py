"""Writing policy packs of a data directory (ingest and review; ``knowledge/packs`` is never written).

Each file is written to a temporary name beside it and renamed over the old one, so a reader sees
the old file or the new one, never half of either. Rules drafted from a text come with the facts
their conditions, extras and tiers name, declared with the drafted wording (a reviewer refines it).
"""
from __future__ import annotations

import os
import uuid
from decimal import Decimal
from pathlib import Path

import yaml

from calculators.models import Rule
from ingest.corpus import Document
from ingest.pack_check import rule_facts

RULES_HEADER = ("# 本政策的奖补规则：status 为 reviewed（已人工复核）或 draft（按条款文字自动起草，尚未复核）。\n"
                "# 复核：python app.py rules review --doc DOC_ID，或网页“规则复核”页。金额单位：元。\n")
FACTS_HEADER = "# 本政策规则用到的事实，以及用户怎么说（字段同 knowledge/facts.yaml）。\n"


def plain(value):
    """Decimals as YAML numbers (5000000, 0.3) rather than strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def rule_record(rule: Rule) -> dict:
    """The rule as a YAML record: id and status first, defaults left out."""
    body = plain(rule.model_dump(exclude_defaults=True))
    return {"id": rule.id, "status": rule.status, **{k: v for k, v in body.items() if k not in ("id", "status")}}


def dump(data, header: str = "") -> str:
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_rules(folder: Path, rules: list[Rule]) -> Path:
    path = folder / "rules.yaml"
    write_atomic(path, dump([rule_record(r) for r in rules], RULES_HEADER))
    return path


def write_facts(folder: Path, facts: dict[str, dict]) -> Path:
    path = folder / "facts.yaml"
    write_atomic(path, dump(facts, FACTS_HEADER) if facts else FACTS_HEADER + "{}\n")
    return path


def draft_facts(rules: list[Rule], declared: set[str]) -> dict[str, dict]:
    """Declarations for the facts of drafted rules that nothing declares yet (the drafted wording)."""
    out: dict[str, dict] = {}
    for rule in rules:
        labels = {c.fact: c.label for c in rule.conditions} | {e.fact: e.label for e in rule.extras}
        for fact in rule_facts(rule):
            if fact in declared or fact in out:
                continue
            if fact == rule.tier_fact:
                out[fact] = {"label": rule.tier_label, "values": {t.value: [t.value] for t in rule.tiers}}
            else:
                out[fact] = {"label": labels[fact], "phrases": [labels[fact]]}
    return out


def write_pack(folder: Path, document: Document, rules: list[Rule], facts: dict[str, dict]) -> Path:
    """A whole pack folder (policy.txt, meta.yaml, rules.yaml, facts.yaml), created or replaced file by file."""
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "policy.txt", document.text)
    write_atomic(folder / "meta.yaml", dump(document.meta.model_dump()))
    write_rules(folder, rules)
    write_facts(folder, facts)
    return folder
