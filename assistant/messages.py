"""Validate a conversation before anything answers it: bad input gets a clear Chinese error."""
from __future__ import annotations

import re
from typing import Any

from errors import PolicyError

MAX_MESSAGE_CHARS = 2000       # the one length limit of a question, a message and a search query
MAX_MESSAGES = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ROLES = ("user", "assistant", "system")


def too_long(length: int, what: str = "问题") -> str:
    """The one wording of the length limit, for every front end."""
    return f"{what}过长（{length}字），请精简到{MAX_MESSAGE_CHARS}字以内"


def encodable(text: str) -> bool:
    """Whether `text` is valid Unicode text (no lone surrogate such as "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(text: str, what: str = "问题") -> str:
    """`text` when it can be stored and shown; PolicyError for unencodable characters."""
    if not encodable(text):
        raise PolicyError("bad_characters", f"{what}中含有无法识别的字符（如不成对的代理字符），请删除后重新输入")
    return text


def _check_message(i: int, m: Any) -> dict:
    if not isinstance(m, dict):
        raise PolicyError("bad_message", f"第{i + 1}条消息格式不对，应为 {{\"role\": ..., \"content\": ...}}")
    role, content = m.get("role"), m.get("content")
    if role not in ROLES:
        raise PolicyError("bad_role", f"第{i + 1}条消息的角色“{role}”无法识别，只能是 user 或 assistant")
    if not isinstance(content, str):
        raise PolicyError("bad_message", f"第{i + 1}条消息的内容必须是文字")
    check_text(content, f"第{i + 1}条消息")
    if len(content) > MAX_MESSAGE_CHARS:
        raise PolicyError("too_long", too_long(len(content), f"第{i + 1}条消息"))
    if _CONTROL.search(content):
        raise PolicyError("control_chars", f"第{i + 1}条消息包含不可见的控制字符，请删除后重新提问")
    return {"role": role, "content": content.strip()}


def validate_messages(messages: Any) -> list[dict]:
    """Checked messages (system messages dropped); the last one is the user's question."""
    if not isinstance(messages, list) or not messages:
        raise PolicyError("no_messages", "请提供对话消息：messages 应为非空列表")
    if len(messages) > MAX_MESSAGES:
        raise PolicyError("too_many_messages", f"对话过长（{len(messages)}条），请开启新的对话")
    checked = [_check_message(i, m) for i, m in enumerate(messages)]
    checked = [m for m in checked if m["role"] != "system"]
    if not checked or checked[-1]["role"] != "user":
        raise PolicyError("no_question", "最后一条消息应是用户的问题")
    if not checked[-1]["content"]:
        raise PolicyError("empty_question", "问题为空，请输入您想咨询的政策问题")
    return checked
