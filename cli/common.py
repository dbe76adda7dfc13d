"""Helpers shared by the sub-commands: JSON output and the error envelope."""
from __future__ import annotations

import json
import sys
from typing import Any

from errors import PolicyError


def print_json(obj: Any, stream=None) -> None:
    stream = stream or sys.stdout
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stream.flush()


def report_error(err: PolicyError, as_json: bool) -> int:
    """Print an error (JSON envelope on stdout when --json, plain Chinese on stderr otherwise)."""
    if as_json:
        print_json(err.to_dict())
    else:
        sys.stderr.write(f"错误：{err.message}\n")
    return 2
