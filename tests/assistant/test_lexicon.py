"""The understanding vocabulary is data, validated when loaded; every fact and input role the
rules use is declared there."""
from __future__ import annotations

import pytest
import yaml

from assistant.lexicon import FACTS_FILE, LEXICON_FILE, load_facts, load_lexicon, parse_facts, parse_lexicon
from errors import PolicyError
from ingest.rules import load_rulebook

RULES = load_rulebook().rules


def _rule_facts() -> set[str]:
    facts = {c.fact for r in RULES for c in r.conditions}
    facts |= {e.fact for r in RULES for e in r.extras}
    facts |= {r.tier_fact for r in RULES if r.tier_fact}
    return facts


def test_every_fact_a_rule_names_is_declared_with_how_users_state_it():
    declared = load_facts()
    missing = sorted(_rule_facts() - set(declared))
    assert missing == [], f"facts without an entry in knowledge/facts.yaml or the pack: {missing}"


def test_every_input_of_a_curated_rule_names_a_declared_role():
    roles = load_lexicon().roles
    for rule in RULES:
        for spec in rule.inputs:
            assert spec.role in roles, f"{rule.id}.{spec.name}: role {spec.role!r} not in knowledge/lexicon.yaml"


def test_a_broken_lexicon_is_refused_with_a_chinese_error():
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    broken = {**data, "roles": {**data["roles"], "x": {"label": "x", "phrases": ["x"], "part_of": "nowhere"}}}
    with pytest.raises(PolicyError) as err:
        parse_lexicon(broken)
    assert "词表文件" in err.value.message and "nowhere" in err.value.message
    bad_regex = {**data, "cues": {**data["cues"], "greeting": {"patterns": ["(unclosed"]}}}
    with pytest.raises(PolicyError):
        parse_lexicon(bad_regex)
    without = {k: v for k, v in data.items() if k != "cues"}
    with pytest.raises(PolicyError):
        parse_lexicon(without)


def test_broken_fact_entries_are_refused():
    with pytest.raises(PolicyError) as err:
        parse_facts({"xiaojuren_national": {"phrases": ["小巨人"], "level": "galactic"}})
    assert "xiaojuren_national" in err.value.message
    with pytest.raises(PolicyError):
        parse_facts({"Bad-Name": {"phrases": ["x"]}})
    with pytest.raises(PolicyError):
        parse_facts({"silent": {}})          # a fact nobody can state
    files = [FACTS_FILE, *sorted((FACTS_FILE.parent / "packs").glob("*/facts.yaml"))]
    declared = [f for path in files for f in parse_facts(yaml.safe_load(path.read_text(encoding="utf-8")) or {})]
    assert sorted(declared) == sorted(load_facts())      # the shared file and the packs', each fact once
