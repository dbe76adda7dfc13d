"""Cross-references of policy packs, checked whenever packs are loaded.

Per pack: every rule belongs to the pack's document and region, names a clause that exists, quotes
it verbatim, uses facts declared once (the pack's facts.yaml or the shared knowledge/facts.yaml) and
input roles of knowledge/lexicon.yaml (a drafted rule may leave the role unset), and its worked
examples recompute exactly. Across packs: rule ids and fact ids are unique. The worked questions
(questions.jsonl) need the whole engine, so tests/assistant/test_pack_questions.py runs them.
"""
from __future__ import annotations

from calculators.engine import calculate
from calculators.models import Rule
from errors import PolicyError
from ingest.draft_check import quote_in_clause, quoted_text

# generations already checked, by the identity of their pack objects; the packs are kept here so an
# identity is never reused by another pack while its key is remembered
_CHECKED: dict[frozenset, tuple] = {}


def rule_facts(rule: Rule) -> list[str]:
    facts = [c.fact for c in rule.conditions] + [e.fact for e in rule.extras]
    return facts + ([rule.tier_fact] if rule.tier_fact else [])


def _example_problems(rule: Rule) -> list[str]:
    problems = []
    for n, example in enumerate(rule.examples, start=1):
        try:
            result = calculate(rule, example.inputs, example.facts)
        except PolicyError as err:
            problems.append(f"规则 {rule.id} 的第{n}个算例无法计算：{err.message}")
            continue
        if result.eligible != example.eligible or result.amount_yuan != example.amount_yuan:
            problems.append(f"规则 {rule.id} 的第{n}个算例复算不一致：写的是 {example.amount_yuan} 元"
                            f"{'' if example.eligible else '（不符合条件）'}，计算器得 {result.amount_yuan} 元")
    return problems


def rule_problems(rule: Rule, pack, declared: set[str], roles: set[str]) -> list[str]:
    """What is wrong between one rule and its pack (empty when nothing)."""
    meta = pack.document.meta
    if rule.doc_id != meta.doc_id:
        return [f"规则 {rule.id} 的 doc_id“{rule.doc_id}”不是本政策包的“{meta.doc_id}”"]
    problems = []
    if rule.region != meta.region:
        problems.append(f"规则 {rule.id} 的地区“{rule.region}”与 meta.yaml 的“{meta.region}”不同")
    by_label = pack.document.parsed.by_label()
    text = quoted_text(rule, by_label)
    if text is None:
        missing = [c for c in [*rule.quote_clauses, rule.clause] if c not in by_label]
        problems.append(f"规则 {rule.id} 的条款“{'、'.join(missing)}”在 policy.txt 中不存在")
    elif not quote_in_clause(rule.quote, text):
        problems.append(f"规则 {rule.id} 的引文不是条款 {rule.clause} 的原文（或片段顺序不对）")
    for fact in rule_facts(rule):
        if fact not in declared:
            problems.append(f"规则 {rule.id} 用到的事实“{fact}”未在 facts.yaml 中声明（用户怎么说它）")
    for spec in rule.inputs:
        if spec.role is not None and spec.role not in roles:
            problems.append(f"规则 {rule.id} 的输入 {spec.name} 的角色“{spec.role}”不在 knowledge/lexicon.yaml 的 roles 中")
    return problems + _example_problems(rule)


def pack_problems(pack, declared: set[str], roles: set[str]) -> list[str]:
    problems, seen = [], set()
    for rule in pack.rules:
        if rule.id in seen:
            problems.append(f"规则编号 {rule.id} 重复")
        seen.add(rule.id)
        problems += rule_problems(rule, pack, declared | set(pack.facts), roles)
    return problems


def _duplicates(packs: dict, shared: dict) -> dict[str, list[str]]:
    """Per doc_id, the fact and rule ids it declares that another pack (or the shared file) also declares."""
    fact_owner = {f: "knowledge/facts.yaml" for f in shared}
    rule_owner: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    for doc_id, pack in packs.items():
        for fact in pack.facts:
            if fact in fact_owner:
                found.setdefault(doc_id, []).append(f"事实“{fact}”已在 {fact_owner[fact]} 中声明（一个事实只声明一次）")
            fact_owner.setdefault(fact, f"政策包 {doc_id}")
        for rule in pack.rules:
            if rule.id in rule_owner:
                found.setdefault(doc_id, []).append(f"规则编号 {rule.id} 与政策包 {rule_owner[rule.id]} 重复")
            rule_owner.setdefault(rule.id, doc_id)
    return found


def check_packs(packs: dict, shared_facts: dict) -> None:
    """Raise PolicyError("bad_pack") naming the first broken pack and what is wrong with it."""
    key = frozenset((d, id(p)) for d, p in packs.items()) | {("__shared__", id(shared_facts))}
    if key in _CHECKED:
        return
    from assistant.lexicon import load_lexicon

    roles = set(load_lexicon().roles)
    duplicates = _duplicates(packs, shared_facts)
    for doc_id, pack in packs.items():
        problems = duplicates.get(doc_id, []) + pack_problems(pack, set(shared_facts), roles)
        if problems:
            from ingest.packs import pack_error
            raise pack_error(pack.folder, problems)
    if len(_CHECKED) > 16:
        _CHECKED.clear()
    _CHECKED[key] = (tuple(packs.values()), shared_facts)
