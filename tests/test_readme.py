"""The README stays true: its quick start is what CI runs, and its usage examples work."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str) -> list[str]:
    section = README.split(heading, 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_quick_start_has_exactly_the_two_commands_that_ci_and_the_tests_run():
    commands = _block_after("## Quick start")
    assert commands == ["bash scripts/setup.sh && .venv/bin/python app.py", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci/run").read_text()
    test_sh = (ROOT / "scripts/test.sh").read_text()
    assert "scripts/setup.sh --test" in test_sh and "pytest" in test_sh
    # The main job's command line (no sub-command) is the one the browser test starts.
    assert '"app.py", "--host"' in (ROOT / "tests/web/test_browser.py").read_text()


def _usage_examples() -> list[list[str]]:
    runnable = []
    for line in _block_after("## Use"):
        args = shlex.split(line)[1:]   # drop the interpreter
        if args[1] in ("ask", "search", "rules", "calc"):
            runnable.append(args)
    return runnable


@pytest.mark.slow
@pytest.mark.parametrize("args", _usage_examples(), ids=lambda a: " ".join(a[1:3]))
def test_usage_example_runs(args, tmp_path_factory):
    data_dir = tmp_path_factory.getbasetemp() / "readme-data"
    if "--batch" in args:
        batch = tmp_path_factory.mktemp("batch") / "questions.jsonl"
        batch.write_text('{"id": "1", "messages": [{"role": "user", "content": "湖南两化融合贯标奖励多少？"}]}\n',
                         encoding="utf-8")
        args = [str(batch) if a == "questions.jsonl" else a for a in args]
    proc = subprocess.run([sys.executable, *args, "--data-dir", str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() and "Traceback" not in proc.stderr
