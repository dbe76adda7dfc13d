"""Review of drafted rules: a person accepts (possibly after editing fields) or rejects each draft.

An accepted rule is verified again against its clause (quote verbatim, every number of the rule in
the quote, worked examples recompute: ingest/draft_check.py), checked with its pack's other rules
(ingest/pack_check.py) and written into the pack's rules.yaml with ``status: reviewed``, atomically.
A rejected draft is removed from rules.yaml. Only packs of the data directory are reviewed;
``knowledge/packs`` is read-only. The caller records the decision (web/store.py ``record_review``).
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

import yaml
from pydantic import ValidationError

from calculators.models import Rule
from errors import PolicyError, validation_detail
from ingest.pack_check import pack_problems
from ingest.pack_write import draft_facts, rule_record, write_facts, write_rules
from ingest.packs import Pack, data_packs

EDITABLE_HINT = "可修改的字段如 title、rate、cap_yuan、fixed_yuan、min_base_yuan、keywords、inputs.0.role、examples.0.amount_yuan"


def drafts(data_dir: Path | str, doc_id: str | None = None) -> list[Rule]:
    """The drafts waiting for review (of one document when `doc_id` is given)."""
    packs = data_packs(data_dir)
    if doc_id is not None and doc_id not in packs:
        raise PolicyError("unknown_document", f"数据目录中没有政策包：{doc_id}（内置政策包无需复核）")
    chosen = [packs[doc_id]] if doc_id else packs.values()
    return [r for p in chosen for r in p.rules if r.status == "draft"]


def find_rule(data_dir: Path | str, rule_id: str) -> tuple[Pack, Rule]:
    for pack in data_packs(data_dir).values():
        for rule in pack.rules:
            if rule.id == rule_id:
                return pack, rule
    raise PolicyError("unknown_rule", f"数据目录的政策包中没有规则：{rule_id}（可用 rules review 列出待复核的草稿）")


def parse_sets(pairs: list[str]) -> dict[str, object]:
    """["cap_yuan=2000000", "keywords=[技改, 补助]"] -> {"cap_yuan": 2000000, "keywords": [...]} (YAML values)."""
    changes = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise PolicyError("bad_arguments", f"--set 应写作 字段=值，收到“{pair}”（{EDITABLE_HINT}）")
        try:
            changes[name.strip()] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError:
            changes[name.strip()] = value
    return changes


def _assign(record: dict, path: str, value) -> None:
    keys = path.split(".")
    target = record
    for key in keys[:-1]:
        try:
            target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
        except (IndexError, ValueError, TypeError):
            raise PolicyError("bad_edit", f"规则中没有字段 {path}（{EDITABLE_HINT}）") from None
    last = keys[-1]
    if isinstance(target, list):
        try:
            target[int(last)] = value
        except (IndexError, ValueError):
            raise PolicyError("bad_edit", f"规则中没有字段 {path}") from None
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = value


def edited(rule: Rule, changes: dict[str, object], status: str = "reviewed") -> Rule:
    """The rule with `changes` (dotted field paths) applied, validated as a Rule."""
    record = rule_record(rule)
    for path, value in changes.items():
        if path in ("id", "doc_id"):
            raise PolicyError("bad_edit", f"不能修改规则的 {path}")
        _assign(record, path, value)
    record["status"] = status
    try:
        return Rule.model_validate(record)
    except ValidationError as err:
        raise PolicyError("bad_edit", f"修改后的规则 {rule.id} 有误{validation_detail(err, '规则')}") from None


def verify_accepted(rule: Rule, pack: Pack) -> None:
    """The checks a reviewed rule must pass; PolicyError("review_refused") with the reason otherwise."""
    from assistant.lexicon import load_lexicon, load_shared_facts
    from ingest.draft_check import quoted_text, verify_draft
    from ingest.draft_pieces import Undraftable

    text = quoted_text(rule, pack.document.parsed.by_label())
    if text is None:
        raise PolicyError("review_refused", f"复核未通过：条款“{rule.clause}”不在《{pack.document.meta.title}》中")
    try:
        verify_draft(rule, text)
    except Undraftable as why:
        raise PolicyError("review_refused", f"复核未通过（规则 {rule.id}）：{why}") from None
    others = tuple(r for r in pack.rules if r.id != rule.id) + (rule,)
    facts = {**pack.facts, **_parsed(draft_facts([rule], set(pack.facts) | set(load_shared_facts())))}
    trial = Pack(pack.folder, pack.document, others, facts)
    problems = pack_problems(trial, set(load_shared_facts()), set(load_lexicon().roles))
    if problems:
        raise PolicyError("review_refused", "复核未通过：" + "；".join(problems[:5]))


def _parsed(raw: dict) -> dict:
    from assistant.lexicon import parse_facts
    return parse_facts(raw)


@contextmanager
def _locked(folder: Path):
    """One review at a time per pack (read, change, write rules.yaml)."""
    with open(folder / ".review.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _facts_record(pack: Pack, rules: list[Rule]) -> dict[str, dict]:
    from assistant.lexicon import load_shared_facts

    own = {f: s.model_dump(exclude_defaults=True) for f, s in pack.facts.items()}
    return own | draft_facts(rules, set(own) | set(load_shared_facts()))


def accept(data_dir: Path | str, rule_id: str, changes: dict[str, object] | None = None) -> Rule:
    """Accept the draft `rule_id` (with `changes`), verified, into its pack as reviewed; the rule."""
    pack, _ = find_rule(data_dir, rule_id)
    with _locked(pack.folder):
        pack, rule = find_rule(data_dir, rule_id)              # as it is now, under the lock
        if rule.status == "reviewed" and not changes:
            raise PolicyError("already_reviewed", f"规则 {rule_id} 已复核通过，无需再次接受")
        new = edited(rule, changes or {})
        verify_accepted(new, pack)
        rules = [new if r.id == rule_id else r for r in pack.rules]
        write_facts(pack.folder, _facts_record(pack, rules))
        write_rules(pack.folder, rules)
    return new


def reject(data_dir: Path | str, rule_id: str) -> Rule:
    """Remove the draft `rule_id` from its pack; the rule removed."""
    pack, _ = find_rule(data_dir, rule_id)
    with _locked(pack.folder):
        pack, rule = find_rule(data_dir, rule_id)
        if rule.status != "draft":
            raise PolicyError("not_a_draft", f"规则 {rule_id} 已复核通过，不是草稿，不能驳回")
        write_rules(pack.folder, [r for r in pack.rules if r.id != rule_id])
    return rule
