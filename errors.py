"""The one error type users see: a code and a Chinese message, never a traceback."""
from __future__ import annotations


class PolicyError(Exception):
    """An expected failure caused by input or configuration, explained in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}
