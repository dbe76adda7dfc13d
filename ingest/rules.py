"""Load the award rules (each pack's ``rules.yaml``) into a validated ``Rulebook``.

The I/O for the calculators lives here: ``calculators`` only sees typed ``Rule`` models. A bad
record fails loudly with the file and record named. The rules come from the policy packs
(ingest/packs.py): the built-in ones and those of ``<data_dir>/packs``; rules drafted on ingest
(``status: draft``, not yet reviewed) are loaded only when asked for.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from calculators.models import Rule
from errors import PolicyError

PACKAGED_RULES = Path(__file__).resolve().parent.parent / "knowledge" / "packs"   # <doc_id>/rules.yaml


class Rulebook:
    """Every award rule, by id, clause and region."""

    def __init__(self, rules: list[Rule]):
        self.rules = list(rules)
        self._by_id = {rule.id: rule for rule in self.rules}

    def get(self, rule_id: str) -> Rule:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise PolicyError("unknown_rule", f"未知的规则：{rule_id}（可用 `python app.py rules` 查看全部规则）") from None

    def for_clause(self, doc_id: str, label: str) -> list[Rule]:
        return [r for r in self.rules if r.doc_id == doc_id and r.clause == label]

    def for_document(self, doc_id: str) -> list[Rule]:
        return [r for r in self.rules if r.doc_id == doc_id]

    def by_region(self, region: str) -> list[Rule]:
        return [r for r in self.rules if r.region == region]

    def __len__(self) -> int:
        return len(self.rules)


def _describe(err: ValidationError) -> str:
    parts = []
    for item in err.errors():
        where = ".".join(str(p) for p in item["loc"]) or "记录"
        parts.append(f"{where}: {item['msg']}")
    return "；".join(parts)


def read_rule_file(path: Path) -> list[Rule]:
    """The records of one YAML file, validated; PolicyError naming the file and record otherwise."""
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as err:
        raise PolicyError("bad_rules", f"规则文件 {path} 不是有效的 YAML：{err}") from None
    if not isinstance(records, list):
        raise PolicyError("bad_rules", f"规则文件 {path} 应为规则记录的列表")
    rules = []
    for index, record in enumerate(records, start=1):
        rule_id = record.get("id", "?") if isinstance(record, dict) else "?"
        try:
            rules.append(Rule.model_validate(record))
        except ValidationError as err:
            raise PolicyError("bad_rule", f"规则文件 {path} 第{index}条记录（id: {rule_id}）有误：{_describe(err)}") from None
    return rules


def read_rule_dir(folder: Path) -> dict[str, Rule]:
    """The rules of every ``*.yaml`` file in one folder, by id (ids unique)."""
    found: dict[str, Rule] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        for rule in read_rule_file(path):
            if rule.id in found:
                raise PolicyError("bad_rule", f"规则文件 {path} 中的规则 id 重复：{rule.id}")
            found[rule.id] = rule
    return found


def load_rulebook(rules_dir: Path | str | None = None, data_dir: Path | str | None = None,
                  drafts: bool = False) -> Rulebook:
    """The rules of the built-in packs and of `<data_dir>/packs` (every pack checked); reviewed
    rules only unless `drafts`. With `rules_dir`, just the rule files of that folder."""
    if rules_dir is not None:
        return Rulebook(list(read_rule_dir(Path(rules_dir)).values()))
    from ingest.packs import load_packs

    rules = [r for pack in load_packs(data_dir).values() for r in pack.rules]
    return Rulebook([r for r in rules if drafts or r.status == "reviewed"])


def verify_rules(rulebook: Rulebook, kb) -> list[str]:
    """Problems between the rules and the knowledge base: unknown clause, quote not verbatim."""
    problems = []
    for rule in rulebook.rules:
        try:
            text = "\n".join(kb.clause(rule.doc_id, label).text for label in [*rule.quote_clauses, rule.clause])
        except (PolicyError, KeyError):
            problems.append(f"{rule.id}: 知识库中没有条款 {rule.doc_id} {rule.clause}")
            continue
        position = 0
        for fragment in rule.quote.split("……"):
            found = text.find(fragment, position)
            if not fragment or found < 0:
                problems.append(f"{rule.id}: 引文片段不在条款原文中（或顺序不对）：{fragment}")
                break
            position = found + len(fragment)
    return problems
