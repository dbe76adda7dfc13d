"""`app.py match PROFILE [--json] [--report OUT.docx]`: every award an enterprise can get, and the best total.

The profile is YAML or JSON (docs/profile_example.yaml). Bad input is an error (exit 2).
"""
from __future__ import annotations

from pathlib import Path

from cli.common import print_json
from errors import PolicyError
from settings import load_settings


def register(subparsers) -> None:
    p = subparsers.add_parser("match", help="政策匹配：按企业画像列出可享受的全部奖补与最优合计",
                              description="政策匹配，例如：match docs/profile_example.yaml --json")
    p.add_argument("profile", help="企业画像文件（YAML 或 JSON，格式见 docs/profile_example.yaml）")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（Answer 契约中的 match）")
    p.add_argument("--report", default=None, metavar="OUT.docx", help="另存为 Word 报告")
    p.set_defaults(handler=run)


def run(args) -> int:
    from assistant.match_report import report_docx
    from assistant.match_service import match_service, match_text
    from assistant.profile_file import read_profile_file
    from assistant.service import PolicyService

    data = read_profile_file(args.profile)
    service = PolicyService(load_settings(data_dir=args.data_dir))
    result = match_service(service).match(data)
    if args.report:
        out = Path(args.report)
        if out.suffix.lower() != ".docx":
            raise PolicyError("bad_arguments", "报告文件应以 .docx 结尾")
        out.write_bytes(report_docx(result))
    if args.json:
        print_json(result.model_dump(mode="json"))
    else:
        print(match_text(result))
    return 0
