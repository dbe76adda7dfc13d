"""`python app.py ask "问题" [--json] [--batch FILE]`: answer questions with the answer contract."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from cli.common import print_json
from errors import PolicyError
from settings import load_settings

log = logging.getLogger("cli.ask")


def register(sub) -> None:
    p = sub.add_parser("ask", help="回答一个问题（--json 输出答案契约；--batch 批量处理 JSONL）")
    p.add_argument("question", nargs="?", help="问题，例如：河南小巨人企业设备投资2000万能拿多少？")
    p.add_argument("--json", action="store_true", help="输出 JSON（答案契约）")
    p.add_argument("--batch", metavar="FILE", help="JSONL 文件：每行 {\"id\":…, \"messages\":[…]}")
    p.add_argument("--data-dir", default=None)
    p.set_defaults(handler=run)


def run(args) -> int:
    from assistant.service import PolicyService
    service = PolicyService(load_settings(args.data_dir))
    if args.batch:
        return _run_batch(service, Path(args.batch))
    if not args.question or not args.question.strip():
        raise PolicyError("empty_question", "问题为空，请输入您想咨询的政策问题")
    answer = service.answer([{"role": "user", "content": args.question}])
    if args.json:
        print_json(answer.to_json_dict())
    else:
        sys.stdout.write(answer.answer + "\n")
        if answer.follow_up:
            sys.stdout.write(f"\n追问：{answer.follow_up}\n")
    return 0


def _run_batch(service, path: Path) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError("bad_batch_file", f"无法读取批量文件 {path}：{exc.__class__.__name__}") from None
    for number, line in enumerate(lines, 1):
        if line.strip():
            print_json(_answer_line(service, line, number))
    return 0


def _item_id(raw, number: int) -> str | None:
    """A batch line's id as the API takes it (text up to 200 characters; a number is read as text)."""
    if raw is None or (isinstance(raw, str) and len(raw) <= 200):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    raise PolicyError("bad_id", f"第{number}行的 id 应为不超过200字的文字或数字")


def _answer_line(service, line: str, number: int) -> dict:
    item_id = None
    try:
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            raise PolicyError("bad_json", f"第{number}行不是有效的 JSON") from None
        if not isinstance(item, dict):
            raise PolicyError("bad_item", f"第{number}行应为对象 {{\"id\":…, \"messages\":[…]}}")
        item_id = _item_id(item.get("id"), number)
        messages = item.get("messages")
        if messages is None and isinstance(item.get("question"), str):
            messages = [{"role": "user", "content": item["question"]}]
        return service.answer(messages, id=item_id, case=item.get("case")).to_json_dict()
    except PolicyError as err:
        return {"id": item_id, **err.to_dict()}
    except Exception:  # one broken item must not stop the batch
        log.exception("batch line %s failed", number)
        return {"id": item_id, **PolicyError("internal_error", f"第{number}行处理时发生内部错误，请联系管理员").to_dict()}
