"""`python app.py ask`: readable, --json (the contract) and --batch (JSONL in, JSONL out)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "app.py", "ask", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_batch_answers_in_order_and_isolates_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "messages": [{"role": "user", "content": "湖南工控安全试点示范应用项目投资300万元，支持多少？"}]},
                   ensure_ascii=False),
        "{这不是 JSON",
        json.dumps({"id": "c", "messages": [{"role": "user", "content": "   "}]}),
        json.dumps({"id": "d", "messages": [{"role": "wizard", "content": "hi"}]}),
        json.dumps({"id": "e", "messages": [{"role": "user", "content": "x" * 100_000}]}),
        json.dumps({"id": "f", "messages": [{"role": "user", "content": "今天天气怎么样？"}]}, ensure_ascii=False),
        json.dumps({"id": ["x"], "messages": [{"role": "user", "content": "今天天气怎么样？"}]}, ensure_ascii=False),
        json.dumps({"id": 7, "messages": [{"role": "user", "content": "今天天气怎么样？"}]}, ensure_ascii=False),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _run("--json", "--batch", str(batch), data_dir=tmp_path / "data")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "c", "d", "e", "f", None, "7"]
    assert out[0]["calculations"][0]["amount_yuan"] == 600_000 and out[0]["mode"] == "offline"
    for bad in out[1:5]:
        assert bad["error"]["message"] and "answer" not in bad
    assert "没有收录" in out[5]["answer"] and out[5]["calculations"] == []
    assert out[6]["error"]["code"] == "bad_id" and "id" in out[6]["error"]["message"]   # not echoed back
    assert "没有收录" in out[7]["answer"] and "Warning" not in proc.stderr


@pytest.mark.slow
def test_single_question_readable_and_json(tmp_path):
    proc = _run("河南机器换人示范项目整机购置投资1000万元，补助多少？", data_dir=tmp_path / "data")
    assert proc.returncode == 0
    assert "最高可获得300万元" in proc.stdout and "三、（一）4" in proc.stdout
    empty = _run("--json", "  ", data_dir=tmp_path / "data")
    assert empty.returncode == 2 and json.loads(empty.stdout)["error"]["code"] == "empty_question"
    assert "Traceback" not in empty.stderr
