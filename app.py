"""Policy assistant entry point.

    python app.py                      serve the web app and API (127.0.0.1:7860)
    python app.py ask "问题" [--json] [--batch FILE]
    python app.py search "关键词" [--json] [--k 5] [--region 河南省]
    python app.py ingest PATH... [--manifest FILE]
    python app.py rules [--json] [--region ...]
    python app.py calc RULE_ID name=value ... [--json]
    python app.py match PROFILE.yaml [--json] [--report OUT.docx]
    python app.py rules draft FILE... [--json]   draft rules from policy files (not reviewed)
    python app.py coverage [--json]             quantified sentences with or without a rule
    python app.py rules review [--doc D] [--show ID | --accept ID --by NAME [--set f=v] | --reject ID --by NAME]

Every sub-command takes --data-dir (default ./data, or POLICY_DATA_DIR).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from cli.common import report_error
from errors import PolicyError

COMMANDS = ["ask", "search", "ingest", "rules", "calc", "match", "coverage", "serve"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors, in Chinese, without a traceback
        self.print_usage(sys.stderr)
        raise PolicyError("bad_arguments", f"命令参数有误：{message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="app.py", description="政策问答助手")
    parser.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"cli.{name}_cmd")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    try:
        if not argv or argv[0].startswith("--") and argv[0] not in ("-h", "--help"):
            argv = ["serve", *argv]
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except PolicyError as err:
        return report_error(err, wants_json)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an unexpected failure: a clear message, the traceback only on request
        if os.environ.get("POLICY_DEBUG"):
            raise
        err = PolicyError("internal_error", f"内部错误（{exc.__class__.__name__}），设置 POLICY_DEBUG=1 可查看详情")
        return report_error(err, wants_json)


if __name__ == "__main__":
    sys.exit(main())
