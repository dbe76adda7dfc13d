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


def validation_detail(exc, whole: str) -> str:
    """"（where）：message" of a pydantic ValidationError's first error, `whole` when it has no path."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or whole
    return f"（{where}）：{first['msg']}"
