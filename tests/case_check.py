"""One case checker for pytest and the evaluation scripts: ../shared/eval/score.py decides whether
an answer passes, ../shared/eval/figures.py whether it states a wrong figure. Loaded from the shared
folder beside the checkout (CI lays it there); a missing folder is an error, not a skip."""
from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@cache
def _module(name: str):
    path = SHARED_EVAL / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"the shared scorer {path} is missing: tests read ../shared/eval beside the checkout")
    spec = importlib.util.spec_from_file_location(f"shared_eval_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def failures(case: dict, answer: dict[str, Any]) -> list[str]:
    """Why the answer (the Answer JSON, or an error object) fails the case; empty when it passes."""
    why = list(_module("score").check(case, answer))
    verdict = _module("figures").verdict(case, answer)
    if verdict and verdict[0] == "wrong":
        why.append(f"wrong figure {verdict[1]} (expected {case.get('amount_yuan', 0)})")
    return why
