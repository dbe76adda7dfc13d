"""Placeholder until the normalisation branch lands."""


def normalize_question(text: str) -> str:
    return text
