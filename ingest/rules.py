"""Load the award rules (``knowledge/rules/<doc_id>.yaml``) into a validated ``Rulebook``.

The I/O for the calculators lives here: ``calculators`` only sees typed ``Rule`` models. A bad
record fails loudly with the file and record named. Rules in ``<data_dir>/rules`` override
packaged rules with the same id (as ingested policies override packaged ones). Rules drafted on
ingest (``<data_dir>/drafts/<doc_id>.yaml``, ``status: draft``) are loaded only when asked for.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import ValidationError

from calculators.models import Rule
from errors import PolicyError

PACKAGED_RULES = Path(__file__).resolve().parent.parent / "knowledge" / "rules"


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


def _read_dir(folder: Path) -> dict[str, Rule]:
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
    """The packaged rules (or those of `rules_dir`), overlaid with `<data_dir>/rules`; with `drafts`,
    also the drafted rules of `<data_dir>/drafts` (never replacing a reviewed rule)."""
    rules = _read_dir(Path(rules_dir) if rules_dir is not None else PACKAGED_RULES)
    if data_dir is not None:
        rules.update(_read_dir(Path(data_dir) / "rules"))
        if drafts:
            for rule_id, rule in load_drafts(data_dir).items():
                rules.setdefault(rule_id, rule)
    return Rulebook(list(rules.values()))


def _plain(value):
    """Decimals as YAML numbers (5000000, 0.3) rather than strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def drafts_path(data_dir: Path | str, doc_id: str) -> Path:
    return Path(data_dir) / "drafts" / f"{doc_id}.yaml"


def load_drafts(data_dir: Path | str) -> dict[str, Rule]:
    """The rules drafted on ingest, by id; a record that is not a draft is refused."""
    found = _read_dir(Path(data_dir) / "drafts")
    for rule in found.values():
        if rule.status != "draft":
            raise PolicyError("bad_rule", f"{drafts_path(data_dir, rule.doc_id)} 中的规则 {rule.id} 不是草稿（status 应为 draft）")
    return found


def write_drafts(data_dir: Path | str, doc_id: str, rules: list[Rule]) -> Path:
    """Write (atomically replace) the drafted rules of one ingested policy."""
    path = drafts_path(data_dir, doc_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [_plain(rule.model_dump(exclude_defaults=True)) | {"status": "draft"} for rule in rules]
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(path)
    return path


def verify_rules(rulebook: Rulebook, kb) -> list[str]:
    """Problems between the rules and the knowledge base: unknown clause, quote not verbatim."""
    problems = []
    for rule in rulebook.rules:
        try:
            text = kb.clause(rule.doc_id, rule.clause).text
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
