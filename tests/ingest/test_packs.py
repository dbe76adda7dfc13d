"""Policy packs: the built-ins load as packs; a new folder adds a policy without Python; a broken
pack is refused with a clear Chinese error and the knowledge base already loaded keeps serving."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from assistant.lexicon import load_facts
from assistant.service import PolicyService
from errors import PolicyError
from ingest.corpus import load_knowledge_base
from ingest.packs import PACK_FILES, PACKS_DIR, load_packs
from ingest.rules import load_rulebook
from settings import load_settings

BUILTINS = {"henan_2018_smart_mfg", "henan_2022_tech_upgrade", "hunan_mfg_internet", "foshan_industrial_internet"}
TEXT = ("某区稳增长扶持办法\n一、对新认定的省级专精特新企业，给予一次性奖励20万元。\n"
        "二、对企业购置研发设备的，按照购置金额的20%给予补助，最高不超过100万元。\n")
FIXED = {"id": "newpack_srdi", "status": "reviewed", "doc_id": "newpack", "clause": "一、",
         "quote": "对新认定的省级专精特新企业，给予一次性奖励20万元。", "title": "省级专精特新企业奖励",
         "region": "某省某市某区", "keywords": ["专精特新"], "kind": "fixed", "fixed_yuan": 200000,
         "conditions": [{"fact": "srdi_provincial_new", "label": "新认定的省级专精特新企业"}],
         "examples": [{"amount_yuan": 200000}, {"facts": {"srdi_provincial_new": False}, "eligible": False,
                                                "amount_yuan": 0}]}
RATE = {"id": "newpack_rd_equipment", "status": "reviewed", "doc_id": "newpack", "clause": "二、",
        "quote": "按照购置金额的20%给予补助，最高不超过100万元。", "title": "研发设备购置补助",
        "region": "某省某市某区", "keywords": ["研发设备"], "kind": "rate", "base": "purchase_yuan",
        "rate": 0.2, "cap_yuan": 1000000, "is_maximum": True,
        "inputs": [{"name": "purchase_yuan", "label": "研发设备购置金额", "role": "rd_equipment_investment"}],
        "examples": [{"inputs": {"purchase_yuan": 2000000}, "amount_yuan": 400000},
                     {"inputs": {"purchase_yuan": 9000000}, "amount_yuan": 1000000}]}
FACTS = {"srdi_provincial_new": {"label": "新认定的省级专精特新企业", "phrases": ["省级专精特新"], "level": "provincial"}}


def make_pack(root: Path, rules=(FIXED, RATE), facts=FACTS, doc_id: str = "newpack") -> Path:
    folder = root / "packs" / doc_id
    folder.mkdir(parents=True)
    (folder / "policy.txt").write_text(TEXT, encoding="utf-8")
    meta = {"doc_id": doc_id, "title": "某区稳增长扶持办法", "region": "某省某市某区", "parent_regions": ["某省", "某市"],
            "level": "区县级", "year": 2024, "issuer": "某区人民政府", "doc_number": "某政〔2024〕1号"}
    (folder / "meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (folder / "rules.yaml").write_text(yaml.safe_dump(list(rules), allow_unicode=True), encoding="utf-8")
    (folder / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    return folder


def test_the_four_builtins_are_packs_with_every_file():
    packs = load_packs(None)
    assert set(packs) == BUILTINS
    for doc_id, pack in packs.items():
        assert {p.name for p in (PACKS_DIR / doc_id).iterdir()} == set(PACK_FILES)
        assert pack.packaged and pack.rules and pack.questions and pack.vocabulary.vocabulary
        assert {r.status for r in pack.rules} == {"reviewed"} and {r.doc_id for r in pack.rules} == {doc_id}
        used = {c.fact for r in pack.rules for c in r.conditions}
        assert used <= set(pack.facts)                     # each pack declares the facts of its own rules
    assert len(load_rulebook()) == sum(len(p.rules) for p in packs.values()) >= 43
    assert set(load_knowledge_base().documents) == BUILTINS


def test_adding_a_pack_folder_adds_a_policy_without_python(tmp_path, capsys):
    from app import main

    make_pack(tmp_path)
    kb = load_knowledge_base(tmp_path)
    assert set(kb.documents) == BUILTINS | {"newpack"}
    assert kb.clause("newpack", "二、").text.startswith("二、对企业购置研发设备")
    assert load_rulebook(data_dir=tmp_path).get("newpack_rd_equipment").cap_yuan == 1_000_000
    assert "srdi_provincial_new" in load_facts(data_dir=tmp_path) and "srdi_provincial_new" not in load_facts()
    code = main(["calc", "newpack_rd_equipment", "purchase_yuan=300万", "--json", "--data-dir", str(tmp_path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["amount_yuan"] == 600000 and out["citation"]["doc_id"] == "newpack"


def test_a_data_pack_replaces_the_builtin_pack_of_the_same_doc_id(tmp_path):
    folder = tmp_path / "packs" / "hunan_mfg_internet"
    shutil.copytree(PACKS_DIR / "hunan_mfg_internet", folder)
    rules = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules[:2], allow_unicode=True), encoding="utf-8")
    book = load_rulebook(data_dir=tmp_path)
    assert len(book.for_document("hunan_mfg_internet")) == 2 and len(book) == len(load_rulebook()) - len(rules) + 2


def _break(change: str, folder: Path) -> None:
    rules = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))
    if change == "quote":
        rules[0]["quote"] = "对新认定的省级专精特新企业，给予一次性奖励30万元。"
    elif change == "fact":
        rules[0]["conditions"][0]["fact"] = "nobody_declared_this"
    elif change == "example":
        rules[1]["examples"][0]["amount_yuan"] = 500000
    elif change == "role":
        rules[1]["inputs"][0]["role"] = "no_such_role"
    elif change == "clause":
        rules[1]["clause"] = "九、"
    if change == "yaml":
        (folder / "rules.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    elif change == "meta":
        (folder / "meta.yaml").write_text("doc_id: another\ntitle: x\nregion: 某区\n", encoding="utf-8")
    else:
        (folder / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(("change", "says"), [
    ("quote", "引文不是条款 一、 的原文"),
    ("fact", "nobody_declared_this”未在 facts.yaml 中声明"),
    ("example", "算例复算不一致"),
    ("role", "no_such_role”不在 knowledge/lexicon.yaml"),
    ("clause", "条款“九、”在 policy.txt 中不存在"),
    ("yaml", "rules.yaml 不是有效的 YAML"),
    ("meta", "应与文件夹名“newpack”相同"),
])
def test_a_broken_pack_is_refused_and_the_loaded_knowledge_base_keeps_serving(tmp_path, change, says):
    folder = make_pack(tmp_path)
    service = PolicyService(load_settings(tmp_path))
    assert "newpack" in service.kb.documents and service.rulebook.get("newpack_srdi")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    _break(change, folder)
    for load in (load_knowledge_base, lambda d: load_rulebook(data_dir=d), lambda d: load_facts(data_dir=d)):
        with pytest.raises(PolicyError) as err:
            load(tmp_path)
        assert err.value.code == "bad_pack" and says in err.value.message, err.value.message
        assert "政策包" in err.value.message and "newpack" in err.value.message and "原有知识库保持不变" in err.value.message
    with pytest.raises(PolicyError):
        service.reload()
    assert service.rulebook.get("newpack_srdi").fixed_yuan == 200000       # the old generation still serves
    assert service.kb.clause("newpack", "一、") and len(service.kb.documents) == 5
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(after) == set(before)                                          # nothing removed by the refusal


def test_a_fact_declared_twice_and_a_duplicate_rule_id_are_refused(tmp_path):
    make_pack(tmp_path)
    make_pack(tmp_path, rules=[{**FIXED, "id": "newpack_srdi", "doc_id": "second"}], doc_id="second")
    with pytest.raises(PolicyError) as err:
        load_rulebook(data_dir=tmp_path)
    assert "srdi_provincial_new" in err.value.message or "newpack_srdi" in err.value.message
    assert "一次" in err.value.message or "重复" in err.value.message


def test_reload_serves_a_pack_added_while_running(tmp_path):
    service = PolicyService(load_settings(tmp_path))
    assert "newpack" not in service.kb.documents
    make_pack(tmp_path)
    service.reload()
    assert "newpack" in service.kb.documents and service.rulebook.get("newpack_rd_equipment")
