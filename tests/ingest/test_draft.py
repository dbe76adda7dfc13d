"""The rule drafter against the curated rules of the four built-ins, and on 32 real policies.

Recall and precision per field: drafts are paired with curated rules of the same clause (each pair
chosen for the most agreeing fields); a field of a curated rule is recalled when its paired draft has
the same value, a field of a draft is precise when its paired curated rule has the same value (an
unpaired draft counts against precision).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calculators.engine import calculate
from ingest.clauses import parse_clauses
from ingest.corpus import load_knowledge_base
from ingest.draft import draft_document
from ingest.draft_check import quote_in_clause, quoted_text, verify_draft
from ingest.loaders import load_text
from ingest.rules import load_rulebook

FIELDS = ("kind", "rate", "cap_yuan", "fixed_yuan", "min_base_yuan", "instalments", "tiers")
# ../shared/corpus-extra relative to the repository root (a worktree under /work/wt looks one level up).
_ROOT = Path(__file__).resolve().parents[2]
EXTRA = next((p / "shared" / "corpus-extra" for p in (_ROOT.parent, _ROOT.parent.parent)
              if (p / "shared" / "corpus-extra").is_dir()), _ROOT.parent / "shared" / "corpus-extra")


def value(rule, name):
    if name == "instalments":
        return tuple((i.stage, i.share) for i in rule.instalments)
    if name == "tiers":
        return tuple((t.value, t.amount_yuan) for t in rule.tiers)
    return getattr(rule, name)


def agree(a, b) -> int:
    return sum(value(a, f) == value(b, f) for f in FIELDS)


def pair(curated: list, drafts: list) -> list[tuple]:
    """Greedy pairing within each clause by the number of agreeing fields."""
    pairs, free = [], list(drafts)
    candidates = sorted(((agree(c, d), i, j) for i, c in enumerate(curated) for j, d in enumerate(drafts)
                         if (c.doc_id, c.clause) == (d.doc_id, d.clause)), reverse=True)
    used_c, used_d = set(), set()
    for _, i, j in candidates:
        if i not in used_c and j not in used_d:
            used_c.add(i)
            used_d.add(j)
            pairs.append((curated[i], drafts[j]))
    free = [d for j, d in enumerate(drafts) if j not in used_d]
    return pairs, free


@pytest.fixture(scope="module")
def builtin():
    kb = load_knowledge_base()
    docs = ("henan_2018_smart_mfg", "henan_2022_tech_upgrade", "hunan_mfg_internet", "foshan_industrial_internet")
    reports = [draft_document(d, kb.documents[d].text, kb.meta(d).region) for d in docs]
    curated = [r for r in load_rulebook().rules if r.doc_id in docs]
    return kb, reports, curated


def test_drafts_of_the_builtins_reproduce_the_curated_rules(builtin):
    _, reports, curated = builtin
    drafts = [r for rep in reports for r in rep.rules]
    pairs, unpaired = pair(curated, drafts)
    print(f"\n{len(curated)} curated rules, {len(drafts)} drafts, {len(pairs)} paired, {len(unpaired)} unpaired")
    for name in FIELDS:
        hits = sum(value(c, name) == value(d, name) for c, d in pairs)
        print(f"  {name:14} recall {hits / len(curated):.3f}  precision {hits / len(drafts):.3f}")
    exact = [c for c, d in pairs if agree(c, d) == len(FIELDS)]
    for c, d in pairs:
        if agree(c, d) < len(FIELDS):
            print("  MISS", c.id, [(f, value(c, f), value(d, f)) for f in FIELDS if value(c, f) != value(d, f)])
    print(f"  exact-match recall {len(exact) / len(curated):.3f}  precision {len(exact) / len(drafts):.3f}")
    assert len(exact) / len(curated) >= 0.90
    assert len(exact) / len(drafts) >= 0.90


def test_builtin_drafts_are_drafts_and_verified(builtin):
    kb, reports, _ = builtin
    for report in reports:
        for rule in report.rules:
            assert rule.status == "draft"
            text = kb.clause(rule.doc_id, rule.clause).text
            assert quote_in_clause(rule.quote, text)
            verify_draft(rule, text)
            for example in rule.examples:
                assert calculate(rule, example.inputs, example.facts).amount_yuan == example.amount_yuan


def test_a_capped_rate_draft_computes_like_the_policy(builtin):
    """三、（一）1: 不低于1000万元 … 30% … 最高不超过1000万元."""
    _, reports, _ = builtin
    rule = next(r for rep in reports for r in rep.rules if r.clause == "三、（一）1")
    assert (rule.rate, rule.cap_yuan, rule.min_base_yuan) == (Decimal("0.3"), 10_000_000, 10_000_000)
    assert calculate(rule, {rule.base: "2000万"}).amount_yuan == 6_000_000
    assert calculate(rule, {rule.base: "5000万"}).amount_yuan == 10_000_000
    assert calculate(rule, {rule.base: "800万"}).eligible is False


@pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/corpus-extra is not present")
def test_corpus_extra_gives_only_verified_drafts():
    files = sorted(EXTRA.glob("*.txt"))
    assert len(files) == 32
    drafted = listed = rules = 0
    for path in files:
        text = load_text(path)
        report = draft_document(path.stem, text, "测试地区")
        clauses = parse_clauses(path.stem, text).by_label()
        for rule in report.rules:
            verify_draft(rule, quoted_text(rule, clauses))
        rules += len(report.rules)
        drafted += sum(1 for s in report.sentences if s.rule_ids)
        listed += len(report.listed)
        assert all(s.reason for s in report.listed)
    print(f"\ncorpus-extra: {rules} drafts; quantified sentences drafted {drafted}, listed {listed}")
    assert rules > 100 and drafted > listed / 2


def run_app(*argv: str) -> tuple[int, dict]:
    import contextlib
    import io
    import json

    from app import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, json.loads(out.getvalue())


def test_rules_draft_cli_json_shape():
    path = Path(__file__).resolve().parents[2] / "knowledge" / "packs" / "henan_2022_tech_upgrade" / "policy.txt"
    code, out = run_app("rules", "draft", str(path), "--json", "--region", "河南省")
    assert code == 0 and out["counts"]["rules"] == len(out["rules"]) == 18
    _, listing = run_app("rules", "--json")
    assert set(listing[0]) <= set(out["rules"][0])           # the same shape as rules --json
    for rule in out["rules"]:
        assert rule["status"] == "draft" and rule["quote"] and rule["clause"]
        assert {"kind", "rate", "cap_yuan", "fixed_yuan", "min_base_yuan", "tiers", "instalments"} <= set(rule)
    assert {r["status"] for r in listing} == {"reviewed"}


def test_rules_draft_cli_bad_input_is_a_chinese_error(tmp_path):
    code, out = run_app("rules", "draft", str(tmp_path / "none.txt"), "--json")
    assert code == 2 and "找不到" in out["error"]["message"]
    code, out = run_app("rules", "draft", "--json")
    assert code == 2 and out["error"]["code"] == "no_input"


def test_ingest_writes_drafts_that_rules_and_coverage_list(tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_text("某市扶持办法\n第一条 对新认定的智能工厂，给予一次性奖励100万元。\n"
                      "第二条 对技术改造项目，按照设备投资的10%给予补助，最高不超过200万元。\n", encoding="utf-8")
    data = tmp_path / "data"
    code, out = run_app("ingest", str(policy), "--region", "某省某市", "--no-index", "--data-dir", str(data), "--json")
    assert code == 0 and out["added"][0]["drafted_rules"] == 2
    assert (data / "packs" / "p" / "rules.yaml").is_file() and (data / "packs" / "p" / "policy.txt").is_file()
    _, listing = run_app("rules", "--json", "--data-dir", str(data))
    drafts = [r for r in listing if r["status"] == "draft"]
    assert sorted((r["kind"], r["fixed_yuan"] or r["cap_yuan"]) for r in drafts) == [("fixed", 1000000), ("rate", 2000000)]
    _, cover = run_app("coverage", "--json", "--data-dir", str(data))
    assert cover["builtin_complete"] is True
    mine = next(d for d in cover["documents"] if d["doc_id"] == "p")
    assert mine["covered"] == mine["sentences"] == 2


def draft_one(sentence: str):
    report = draft_document("t", f"某办法\n第一条 {sentence}\n", "某省某市")
    return report.rules, report.listed


def test_amount_bands_of_the_subject_become_one_bands_rule():
    rules, _ = draft_one("对外资企业，当年营业收入1亿（含）至5亿元的，给予100万元的奖励；当年营业收入5亿（含）至10亿元的，"
                         "给予200万元的奖励；当年营业收入10亿元（含）以上的，给予300万元的奖励。")
    assert [r.kind for r in rules] == ["bands"]
    rule = rules[0]
    assert calculate(rule, {rule.base: "5亿"}).amount_yuan == 2_000_000
    assert calculate(rule, {rule.base: "12亿"}).amount_yuan == 3_000_000
    assert calculate(rule, {rule.base: "8000万"}).eligible is False


def test_rate_bands_and_enumerated_thresholds():
    rules, _ = draft_one("年度区级贡献在100万元至300万元（含300万元）的，扶持12%。年度区级贡献在300万元至500万元（含500万元）的，"
                         "扶持20%。")
    assert calculate(rules[0], {rules[0].base: "420万"}).amount_yuan == 840_000
    assert calculate(rules[0], {rules[0].base: "300万"}).amount_yuan == 360_000
    rules, _ = draft_one("对主营业务收入首次超过1.5亿元、3亿元、5亿元的，分别一次性给予企业10万、20万、30万。")
    assert calculate(rules[0], {rules[0].base: "4亿"}).amount_yuan == 200_000
    assert calculate(rules[0], {rules[0].base: "1.5亿"}).eligible is False


def test_quantity_minimum_and_quantity_bands_per_unit():
    rules, _ = draft_one("扩建自用生产、仓储场所5000平方米（含）以上的，按每平方米50元的标准给予一次性奖励，单个企业最高奖励300万元。")
    rule = rules[0]
    assert calculate(rule, {rule.base: 6000}).amount_yuan == 300_000
    assert calculate(rule, {rule.base: 4200}).eligible is False
    rules, _ = draft_one("对新建种植基地面积在100亩及以上至500亩的，给予企业100元/亩奖励；对新建面积在500亩以上的，给予企业200元/亩奖励。")
    assert calculate(rules[0], {rules[0].base: 760}).amount_yuan == 152_000
    assert calculate(rules[0], {rules[0].base: 300}).amount_yuan == 30_000


def test_sentences_that_state_no_computable_award_are_listed_not_drafted():
    for sentence in ("逐步放大形成100亿元规模的支持集成电路产业发展资金，重点用于支持大项目引进。",
                     "对总部企业人才在本区租房居住的，每月提供2000元的租房补贴，最长不超过3年。",
                     "被评为国家3A-5A级的企业，分别给予10、20、30万元奖励。",
                     "对规上工业企业年产值同比增长超过1000万元的，给予企业超出额0.5%的奖励，奖励最高不超过20万元。"):
        rules, listed = draft_one(sentence)
        assert rules == [], sentence
        assert sentence.startswith("逐步") or listed, sentence


def test_progressive_rates_are_listed():
    text = ("某办法\n第五条 单笔投资额不超过500万元（含）的，按投资额的4%给予奖励。单笔投资额不超过1000万元（含）的，"
            "500万元（含）以下的部分按投资额的4%给予奖励；超过500万元不超过1000万元（含）的部分按投资额的2%给予奖励。\n")
    report = draft_document("t", text, "某省某市")
    assert report.rules == []
    assert report.listed and all("累进" in s.reason for s in report.listed)


def test_the_whole_cost_capped():
    rules, _ = draft_one("境内首发上市（IPO）企业，按照经审核后的上市票据实际发生额给予补贴，补贴额度最高不超过300万元。")
    rule = rules[0]
    assert (rule.kind, rule.rate, rule.cap_yuan) == ("rate", 1, 3_000_000)
    assert calculate(rule, {rule.base: "460万"}).amount_yuan == 3_000_000
    assert calculate(rule, {rule.base: "120万"}).amount_yuan == 1_200_000
