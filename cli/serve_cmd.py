"""`app.py serve` (and bare `app.py`): the web UI and the HTTP API on one uvicorn server.

The service is warmed up before the port opens: the knowledge base, the rules and the retrieval
index load (the index is built on first start, which takes about a minute), so the first user
does not wait and a broken data directory fails here with a clear message.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import time

from errors import PolicyError

WARM_UP_QUESTION = "河南国家级专精特新小巨人企业，设备软件投资2000万元，能拿多少？"


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="启动网页界面和 HTTP API（默认 http://127.0.0.1:7860）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；对外服务用 0.0.0.0）")
    p.add_argument("--port", type=int, default=7860, help="端口（默认 7860）")
    p.add_argument("--data-dir", default=None, help="数据目录（默认 ./data 或 POLICY_DATA_DIR）")
    p.add_argument("--no-warm-up", action="store_true", help="不预先加载索引（首个请求时再加载）")
    p.set_defaults(handler=run)


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def build(data_dir: str | None, warm_up: bool = True):
    """The FastAPI app over a warmed-up PolicyService (shared by `serve` and bench/load_test.py)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.live import LiveService
    from settings import load_settings
    from web.app import create_app

    settings = load_settings(data_dir)
    service = LiveService(settings)      # follows what other instances publish (assistant/live.py)
    if warm_up:
        _say(f"正在加载知识库和检索索引（数据目录 {settings.data_dir}；首次启动需建立索引，约 1 分钟）……")
        start = time.perf_counter()
        service.warm_up()
        service.answer([{"role": "user", "content": WARM_UP_QUESTION}])   # loads what warm_up leaves lazy
        _say(f"加载完成，用时 {time.perf_counter() - start:.1f} 秒。")
    service.start()
    return create_app(settings, service)


def check_port(host: str, port: int) -> None:
    """Fail at once, in Chinese, rather than after the warm-up, when the port is taken."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            raise PolicyError("port_unavailable", f"无法监听 {host}:{port}（{err.strerror}），"
                              "请用 --port 换一个端口或检查 --host") from None


def run(args: argparse.Namespace) -> int:
    import uvicorn

    check_port(args.host, args.port)
    app = build(args.data_dir, warm_up=not args.no_warm_up)
    _say(f"政策问答助手已启动：http://{args.host}:{args.port}/ （HTTP 接口文档：/docs；Ctrl+C 退出）")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=5)
    return 0
