"""`app.py serve` (and bare `app.py`): placeholder until the web app lands."""
from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="启动网页界面和 API（尚未完成）")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("网页界面和 API 尚在开发中，暂时无法启动。\n"
          "现在可以在命令行提问，例如：python app.py ask \"河南省对国家级专精特新小巨人企业的设备投资有什么奖补？\"")
    return 0
