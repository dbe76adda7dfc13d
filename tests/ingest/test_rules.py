"""The rule loader: validation with clear errors naming the file and record, lookups (packs: test_packs.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from errors import PolicyError
from ingest.corpus import load_knowledge_base
from ingest.rules import PACKAGED_RULES, load_rulebook, read_rule_file, verify_rules

GOOD = {
    "id": "test_fixed", "doc_id": "henan_2022_tech_upgrade", "clause": "三、（四）3",
    "quote": "给予一次性奖励50万元。", "title": "测试定额奖励", "region": "河南省",
    "keywords": ["测试"], "kind": "fixed", "fixed_yuan": 500000,
    "conditions": [{"fact": "tested", "label": "经过测试"}],
    "examples": [{"amount_yuan": 500000}],
}


def write(folder: Path, name: str, records) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return path


def test_packaged_rulebook_lookups():
    book = load_rulebook()
    assert len(book) == len(book.rules) >= 43
    assert {p.parent.name for p in PACKAGED_RULES.glob("*/rules.yaml")} == {r.doc_id for r in book.rules}
    rule = book.get("henan2022_xiaojuren_equipment")
    assert rule.clause == "三、（一）3" and rule.cap_yuan == 5_000_000
    assert {r.id for r in book.for_clause("foshan_industrial_internet", "二、第2段")} == {"foshan_benchmark_project"}
    assert {r.region for r in book.by_region("湖南省")} == {"湖南省"} and len(book.by_region("湖南省")) == 9
    assert book.by_region("西藏自治区") == []


def test_unknown_rule_is_a_policy_error():
    with pytest.raises(PolicyError) as err:
        load_rulebook().get("nope")
    assert err.value.code == "unknown_rule" and err.value.message.startswith("未知的规则：nope")


def test_bad_record_names_file_and_record(tmp_path):
    bad = {**GOOD, "id": "broken_rule", "fixed_yuan": -1}
    path = write(tmp_path, "x.yaml", [GOOD, bad])
    with pytest.raises(PolicyError) as err:
        read_rule_file(path)
    message = err.value.message
    assert err.value.code == "bad_rule"
    assert str(path) in message and "第2条" in message and "broken_rule" in message and "fixed_yuan" in message


@pytest.mark.parametrize("change", [
    {"kind": "rate"},                                     # a rate rule without base/rate/cap
    {"unknown_field": 1},                                 # typos in field names are caught
    {"examples": []},                                     # worked examples are required
    {"instalments": [{"stage": "a", "share": 0.4}, {"stage": "b", "share": 0.5}]},
    {"id": "Bad Id"},
])
def test_invalid_records_are_rejected(tmp_path, change):
    with pytest.raises(PolicyError):
        read_rule_file(write(tmp_path, "x.yaml", [{**GOOD, **change}]))


def test_not_yaml_and_not_a_list(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        read_rule_file(broken)
    assert err.value.code == "bad_rules" and "broken.yaml" in err.value.message
    with pytest.raises(PolicyError):
        read_rule_file(write(tmp_path, "map.yaml", {"id": "x"}))


def test_duplicate_ids_rejected(tmp_path):
    write(tmp_path / "rules", "a.yaml", [GOOD])
    write(tmp_path / "rules", "b.yaml", [GOOD])
    with pytest.raises(PolicyError) as err:
        load_rulebook(tmp_path / "rules")
    assert "test_fixed" in err.value.message


def test_verify_rules_reports_bad_quotes_and_clauses(tmp_path):
    kb = load_knowledge_base()
    wrong_quote = {**GOOD, "id": "wrong_quote", "quote": "给予一次性奖励60万元。"}
    wrong_clause = {**GOOD, "id": "wrong_clause", "clause": "三、（四）9"}
    write(tmp_path, "r.yaml", [GOOD, wrong_quote, wrong_clause])
    problems = verify_rules(load_rulebook(tmp_path), kb)
    assert len(problems) == 2
    assert problems[0].startswith("wrong_quote") and problems[1].startswith("wrong_clause")
