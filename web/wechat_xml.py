"""WeChat Official Account protocol: signatures, freshness, incoming XML, passive reply XML.

XML is parsed with defusedxml, which refuses any DTD (so no entity expansion) whatever the
document's encoding (UTF-16 included); an encoding expat cannot read (GBK…) is a 400.
Safe mode (AES) is in web.wechat_crypto.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from errors import PolicyError


def signature(token: str, timestamp: str, nonce: str) -> str:
    """SHA1 of the lexicographically sorted token, timestamp and nonce, concatenated."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode("utf-8")).hexdigest()


def check_signature(token: str, sig: str, timestamp: str, nonce: str) -> bool:
    if not (sig and timestamp and nonce):
        return False
    return hmac.compare_digest(signature(token, timestamp, nonce), sig.lower())


def is_fresh(timestamp: str, max_skew_s: int, now: float | None = None) -> bool:
    """The signed timestamp is within ±max_skew_s of now (WeChat's servers keep good time)."""
    if not timestamp.isdigit() or len(timestamp) > 12:
        return False
    return abs((time.time() if now is None else now) - int(timestamp)) <= max_skew_s


@dataclass(frozen=True)
class Incoming:
    to_user: str          # the Official Account
    from_user: str        # the user's openid
    create_time: str
    msg_type: str         # text | event | image | voice | …
    content: str = ""
    msg_id: str = ""
    event: str = ""

    @property
    def dedup_key(self) -> tuple[str, str]:
        """(sender, MsgId) for messages — MsgIds are not unique across users — and
        (sender, time + event) for events, as WeChat's documentation advises."""
        return self.from_user, self.msg_id or f"{self.create_time}:{self.event}"


def parse_xml(body: bytes) -> ET.Element:
    """The root element; PolicyError (400) for a DTD in any encoding, an unreadable encoding, bad XML."""
    try:
        return SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise PolicyError("bad_xml", "消息格式有误：不接受 DTD 或实体声明") from None
    except ET.ParseError:
        raise PolicyError("bad_xml", "消息格式有误：不是合法的 XML") from None
    except (ValueError, LookupError):        # e.g. encoding="GBK": expat reads no multi-byte encodings
        raise PolicyError("bad_xml", "消息格式有误：仅支持 UTF-8 编码的 XML") from None


def parse_message(body: bytes) -> Incoming:
    """Parse an incoming message (see parse_xml for what is refused)."""
    root = parse_xml(body)

    def field(name: str) -> str:
        return (root.findtext(name) or "").strip()

    if not field("FromUserName") or not field("MsgType"):
        raise PolicyError("bad_xml", "消息格式有误：缺少 FromUserName 或 MsgType")
    return Incoming(to_user=field("ToUserName"), from_user=field("FromUserName"),
                    create_time=field("CreateTime"), msg_type=field("MsgType"),
                    content=root.findtext("Content") or "", msg_id=field("MsgId"),
                    event=field("Event"))


def _cdata(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)    # not allowed in XML 1.0
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(incoming: Incoming, content: str, now: int | None = None) -> str:
    """The passive text reply: to the sender, from the account."""
    created = int(time.time()) if now is None else now
    return ("<xml>"
            f"<ToUserName>{_cdata(incoming.from_user)}</ToUserName>"
            f"<FromUserName>{_cdata(incoming.to_user)}</FromUserName>"
            f"<CreateTime>{created}</CreateTime>"
            "<MsgType><![CDATA[text]]></MsgType>"
            f"<Content>{_cdata(content)}</Content>"
            "</xml>")


_MD = [(re.compile(r"\*\*(.+?)\*\*"), r"\1"), (re.compile(r"`([^`]*)`"), r"\1"),
       (re.compile(r"^#{1,6}\s*", re.M), ""), (re.compile(r"^>\s?", re.M), ""),
       (re.compile(r"^\s*[-*]\s+", re.M), "· "), (re.compile(r"\n{3,}"), "\n\n")]


def plain_text(markdown: str) -> str:
    """WeChat shows no Markdown: strip emphasis, headings, quotes and list bullets."""
    text = markdown
    for pattern, repl in _MD:
        text = pattern.sub(repl, text)
    return text.strip()


def trim(text: str, max_chars: int, pointer: str, max_bytes: int = 2000) -> str:
    """Fit WeChat's passive-reply limit (2048 bytes): cut at a line end and append `pointer`."""
    if len(text) <= max_chars and len((text).encode()) <= max_bytes:
        return text
    budget_bytes = max_bytes - len(pointer.encode()) - 10
    cut = text[:max_chars]
    while len(cut.encode()) > budget_bytes:
        cut = cut[: int(len(cut) * 0.9)]
    line_end = cut.rfind("\n")
    if line_end > len(cut) * 0.6:
        cut = cut[:line_end]
    return cut.rstrip() + "……\n\n" + pointer
