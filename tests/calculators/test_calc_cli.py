"""`app.py rules` and `app.py calc`: output, JSON contract, and error paths (exit 2, no traceback, no figure)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import app
from assistant.answer import Calculation
from ingest.rules import load_rulebook

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = app.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("amount", ["2000万", "2000万元", "0.2亿", "20000000", "两千万", "２０００万"])
def test_calc_json_matches_the_contract(capsys, amount):
    code, out, _ = run(capsys, "calc", "henan2022_xiaojuren_equipment", f"investment_yuan={amount}", "--json")
    assert code == 0
    calc = Calculation.model_validate(json.loads(out))
    assert calc.amount_yuan == 5_000_000 and calc.eligible and calc.is_maximum
    assert calc.inputs == {"investment_yuan": 20_000_000}
    assert calc.formula == "min(2000万元 × 30%, 500万元) = 500万元"
    assert calc.citation.clause == "三、（一）3" and calc.citation.doc_number == "豫政办〔2022〕8号"
    assert "补助金额最高不超过500万元" in calc.citation.text


def test_calc_text_output(capsys):
    code, out, _ = run(capsys, "calc", "foshan_benchmark_project", "invested_yuan=2000万",
                       "upper_subsidy_yuan=850万", "benchmark_project=是")
    assert code == 0
    assert "最高可获得150万元" in out
    assert "min(2000万元 × 30%, 300万元, 2000万元 × 50% − 850万元) = 150万元" in out
    assert "二、第2段" in out and "30个" in out


def test_calc_instalments_and_expiry_warning(capsys):
    code, out, _ = run(capsys, "calc", "henan2018_industry_platform", "--json")
    calc = json.loads(out)
    assert code == 0 and calc["amount_yuan"] == 10_000_000
    assert [(i["share"], i["amount_yuan"]) for i in calc["instalments"]] == [("50%", 5_000_000), ("50%", 5_000_000)]
    assert calc["citation"]["may_be_expired"] is True


def test_calc_facts_and_region(capsys):
    code, out, _ = run(capsys, "calc", "foshan_resource_pool_entry", "guangdong_resource_pool=是", "region=佛山", "--json")
    assert code == 0 and json.loads(out)["amount_yuan"] == 200_000
    code, out, _ = run(capsys, "calc", "henan2022_new_model_project", "region=郑州", "--json")
    assert code == 0 and json.loads(out)["eligible"] is True
    code, out, _ = run(capsys, "calc", "henan2022_new_model_project", "region=长沙", "--json")
    assert code == 0 and json.loads(out)["eligible"] is False


def test_below_minimum_is_not_an_error(capsys):
    code, out, _ = run(capsys, "calc", "henan2022_tech_upgrade_demo", "investment_yuan=800万", "--json")
    calc = json.loads(out)
    assert code == 0 and calc["eligible"] is False and calc["amount_yuan"] == 0
    assert "不低于1000万元方可申报" in calc["reason"]


@pytest.mark.parametrize("argv, code_name, words", [
    (["calc", "no_such_rule"], "unknown_rule", "未知的规则"),
    (["calc", "henan2022_tech_upgrade_demo"], "missing_input", "设备、软件实际投资额"),
    (["calc", "henan2022_tech_upgrade_demo", "investment_yuan=-500万"], "negative_amount", "负数"),
    (["calc", "henan2022_tech_upgrade_demo", "investment_yuan=很多钱"], "bad_amount", "不是有效的金额"),
    (["calc", "henan2022_tech_upgrade_demo", "investment_yuan=1e40"], "absurd_amount", "过大"),
    (["calc", "henan2022_tech_upgrade_demo", "investment_yuan=20000000000000"], "absurd_amount", "过大"),
    (["calc", "henan2022_tech_upgrade_demo", "invest=2000万"], "unknown_input", "investment_yuan"),
    (["calc", "henan2022_tech_upgrade_demo", "2000万"], "bad_arguments", "名称=值"),
])
def test_calc_errors(capsys, argv, code_name, words):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2
    payload = json.loads(out)
    assert payload["error"]["code"] == code_name and words in payload["error"]["message"]
    assert "amount_yuan" not in out
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("错误：") and words in err


def test_rules_listing(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for heading in ("【河南省】", "【湖南省】", "【佛山市】", "豫政办〔2022〕8号"):
        assert heading in out
    assert "henan2022_xiaojuren_equipment" in out and "按设备、软件实际投资额的不超过30%，最高500万元" in out


def test_rules_json_region_filter(capsys):
    code, out, _ = run(capsys, "rules", "--json", "--region", "广东")
    rules = json.loads(out)
    assert code == 0 and rules and {r["region"] for r in rules} == {"佛山市"}
    code, out, _ = run(capsys, "rules", "--json", "--region", "河南省")
    ids = {r["id"] for r in json.loads(out)}
    assert "henan2018_smart_factory" in ids and "hunan_big_data_demo" not in ids
    code, out, _ = run(capsys, "rules", "--region", "西藏")
    assert code == 0 and "没有西藏的奖补规则" in out


def test_subprocess_exit_codes_and_no_traceback():
    bad = subprocess.run([sys.executable, "app.py", "calc", "henan2022_tech_upgrade_demo", "investment_yuan=1e40"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stdout + bad.stderr and "过大" in bad.stderr
    good = subprocess.run([sys.executable, "app.py", "calc", "hunan_lianghua_guanbiao", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and json.loads(good.stdout)["amount_yuan"] == 500_000


def _cli_value(value) -> str:
    return {True: "是", False: "否"}.get(value, str(value)) if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("rule", load_rulebook().rules, ids=lambda r: r.id)
def test_calc_cli_gives_every_worked_example(capsys, rule):
    for example in rule.examples:
        pairs = [f"{k}={_cli_value(v)}" for k, v in {**example.inputs, **example.facts}.items()]
        code, out, _ = run(capsys, "calc", rule.id, *pairs, "--json")
        calc = json.loads(out)
        assert code == 0 and calc["amount_yuan"] == example.amount_yuan and calc["eligible"] == example.eligible
        assert calc["citation"]["clause"] == rule.clause and calc["citation"]["doc_id"] == rule.doc_id
        assert calc["formula"] or not calc["eligible"]


def test_rules_json_numbers(capsys):
    code, out, _ = run(capsys, "rules", "--json")
    by_id = {r["id"]: r for r in json.loads(out)}
    assert len(by_id) == len(load_rulebook().rules)
    rule = by_id["henan2022_xiaojuren_equipment"]
    assert rule["rate"] == 0.3 and rule["cap_yuan"] == 5_000_000 and rule["clause"] == "三、（一）3"
    assert rule["conditions"][0]["fact"] == "xiaojuren_national" and rule["summary"]
