"""WeChat safe mode (安全模式, AES): decrypt incoming messages and encrypt replies with wechatpy.

wechatpy's ``WeChatCrypto`` (with the ``cryptography`` package) does the AES-CBC, PKCS#7 and
``msg_signature`` work. Its own envelope parser is not used: the envelope is read with
defusedxml (web.wechat_xml.parse_xml) and only its ``Encrypt`` text is handed over.
"""
from __future__ import annotations

from errors import PolicyError
from web.guards import HttpError
from web.wechat_xml import parse_xml


class SafeMode:
    """Decrypts and encrypts with the account's EncodingAESKey and AppID."""

    def __init__(self, token: str, aes_key: str, app_id: str):
        from wechatpy.crypto import WeChatCrypto
        try:
            self.crypto = WeChatCrypto(token, aes_key, app_id)
        except Exception as exc:            # a key that is not 43 base64 characters
            raise ValueError(f"WECHAT_AES_KEY 无效（应为公众号后台的 43 位 EncodingAESKey）：{exc}") from exc

    def decrypt(self, body: bytes, msg_signature: str, timestamp: str, nonce: str) -> bytes:
        """The plaintext message XML; 403 for a bad msg_signature or AppID, 400 for a bad envelope."""
        from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
        encrypted = (parse_xml(body).findtext("Encrypt") or "").strip()
        if not encrypted:
            raise PolicyError("bad_xml", "消息格式有误：安全模式的消息缺少 Encrypt")
        try:
            plain = self.crypto.decrypt_message({"Encrypt": encrypted}, msg_signature, timestamp, nonce)
        except (InvalidSignatureException, InvalidAppIdException):
            raise HttpError(403, "bad_signature", "安全模式消息签名或 AppID 校验失败") from None
        except Exception:                   # bad base64, bad padding
            raise PolicyError("bad_xml", "消息格式有误：无法解密") from None
        return plain.encode("utf-8") if isinstance(plain, str) else plain

    def encrypt(self, reply_xml: str, nonce: str, timestamp: str) -> str:
        return self.crypto.encrypt_message(reply_xml, nonce, timestamp)
