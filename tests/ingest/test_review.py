"""Review of drafted rules through the CLI, end to end: ingest drafts → list → show → accept (with
edits) / reject → the pack file, `rules --json` and the store's review records say so."""
from __future__ import annotations

import contextlib
import io
import json

import pytest
import yaml

from app import main
from ingest.packs import PACKS_DIR
from web.store import Store, default_url

POLICY = ("某市扶持办法\n第一条 对新认定的智能工厂，给予一次性奖励100万元。\n"
          "第二条 对技术改造项目，按照设备投资的10%给予补助，最高不超过200万元。\n")


def run(*argv: str) -> tuple[int, object]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, json.loads(out.getvalue())


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    policy = tmp_path / "p.txt"
    policy.write_text(POLICY, encoding="utf-8")
    data = tmp_path / "data"
    code, _ = run("ingest", str(policy), "--region", "某省某市", "--no-index", "--data-dir", str(data), "--json")
    assert code == 0
    return data


def _drafts(data) -> dict:
    code, listing = run("rules", "review", "--json", "--data-dir", str(data))
    assert code == 0
    return {r["clause"]: r for r in listing}


def _pack_rules(data) -> dict:
    return {r["id"]: r for r in yaml.safe_load((data / "packs" / "p" / "rules.yaml").read_text(encoding="utf-8"))}


def test_draft_accept_and_reject_end_to_end(data):
    drafts = _drafts(data)
    assert set(drafts) == {"第一条", "第二条"}
    rate_id, fixed_id = drafts["第二条"]["id"], drafts["第一条"]["id"]
    code, shown = run("rules", "review", "--show", rate_id, "--json", "--data-dir", str(data))
    assert code == 0 and shown["rule"]["cap_yuan"] == 2000000 and "最高不超过200万元" in shown["clause_text"]

    code, done = run("rules", "review", "--accept", rate_id, "--by", "张三", "--set", "inputs.0.role=investment",
                     "--set", "title=技术改造项目设备投资补助", "--json", "--data-dir", str(data))
    assert code == 0 and done == {"rule_id": rate_id, "doc_id": "p", "decision": "accepted",
                                  "review_id": done["review_id"], "status": "reviewed"}
    code, _ = run("rules", "review", "--reject", fixed_id, "--by", "李四", "--note", "与上级政策重复",
                  "--json", "--data-dir", str(data))
    assert code == 0

    in_file = _pack_rules(data)
    assert list(in_file) == [rate_id] and in_file[rate_id]["status"] == "reviewed"
    assert in_file[rate_id]["title"] == "技术改造项目设备投资补助" and in_file[rate_id]["inputs"][0]["role"] == "investment"
    _, listing = run("rules", "--json", "--data-dir", str(data))
    statuses = {r["id"]: r["status"] for r in listing}
    assert statuses[rate_id] == "reviewed" and fixed_id not in statuses
    assert set(statuses.values()) == {"reviewed"} and len(statuses) >= 44     # every rule listed, with status
    reviews = Store(default_url(data)).list_reviews()
    assert [(r["rule_id"], r["decision"], r["reviewer"]) for r in reviews] == \
        [(fixed_id, "rejected", "李四"), (rate_id, "accepted", "张三")]
    assert reviews[0]["note"] == "与上级政策重复" and reviews[1]["changes"]["title"] == "技术改造项目设备投资补助"
    assert reviews[1]["created_at"] is not None
    _, calc = run("calc", rate_id, "investment_yuan=500万", "--json", "--data-dir", str(data))
    assert calc["amount_yuan"] == 500000


def test_rules_json_lists_drafts_and_reviewed_rules_with_their_status(data):
    _, listing = run("rules", "--json", "--data-dir", str(data))
    mine = [r for r in listing if r["doc_id"] == "p"]
    assert {r["status"] for r in mine} == {"draft"} and len(mine) == 2
    assert all(r["status"] == "reviewed" for r in listing if r["doc_id"] != "p")


@pytest.mark.parametrize(("extra", "says"), [
    (["--set", "cap_yuan=3000000"], "不在引文中"),                       # a number the clause does not state
    (["--set", "examples.0.amount_yuan=999"], "算例复算不一致"),
    (["--set", "quote=对技术改造项目给予补助"], "引文与条款原文不一致"),
    (["--set", "inputs.0.role=no_such_role"], "no_such_role"),
    (["--set", "rate=2"], "rate"),
    (["--set", "nonsense"], "字段=值"),
])
def test_an_accept_that_fails_verification_is_refused_and_changes_nothing(data, extra, says):
    rate_id = _drafts(data)["第二条"]["id"]
    before = (data / "packs" / "p" / "rules.yaml").read_bytes()
    code, out = run("rules", "review", "--accept", rate_id, "--by", "张三", *extra, "--json", "--data-dir", str(data))
    assert code == 2 and says in out["error"]["message"], out
    assert (data / "packs" / "p" / "rules.yaml").read_bytes() == before
    assert Store(default_url(data)).list_reviews() == []


def test_review_mistakes_are_chinese_errors(data):
    rate_id = _drafts(data)["第二条"]["id"]
    code, out = run("rules", "review", "--accept", rate_id, "--json", "--data-dir", str(data))
    assert code == 2 and "--by" in out["error"]["message"]
    code, out = run("rules", "review", "--accept", "henan2022_xiaojuren_equipment", "--by", "x", "--json",
                    "--data-dir", str(data))
    assert code == 2 and out["error"]["code"] == "unknown_rule"              # built-in packs are read-only
    code, out = run("rules", "review", "--doc", "nope", "--json", "--data-dir", str(data))
    assert code == 2 and out["error"]["code"] == "unknown_document"
    run("rules", "review", "--accept", rate_id, "--by", "张三", "--set", "inputs.0.role=investment", "--json",
        "--data-dir", str(data))
    code, out = run("rules", "review", "--reject", rate_id, "--by", "张三", "--json", "--data-dir", str(data))
    assert code == 2 and out["error"]["code"] == "not_a_draft"
    assert not any(p.name.startswith(".") for p in PACKS_DIR.iterdir())      # knowledge/ untouched


def test_reingesting_keeps_the_reviewed_rule_and_drafts_the_rest(data, tmp_path):
    rate_id = _drafts(data)["第二条"]["id"]
    run("rules", "review", "--accept", rate_id, "--by", "张三", "--json", "--data-dir", str(data))
    code, out = run("ingest", str(tmp_path / "p.txt"), "--region", "某省某市", "--no-index", "--data-dir", str(data),
                    "--json")
    assert code == 0 and out["added"][0]["kept_reviewed"] == 1 and out["added"][0]["drafted_rules"] == 1
    assert {r["status"] for r in _pack_rules(data).values()} == {"reviewed", "draft"}
