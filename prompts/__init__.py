"""Every text shown to a model or a user, as versioned template files in this package.

Templates are rendered with jinja2 and StrictUndefined: a missing variable is an error,
not a silently empty string.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import jinja2

_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    keep_trailing_newline=False, autoescape=False,
)


@lru_cache(maxsize=64)
def _template(name: str) -> jinja2.Template:
    source = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return _ENV.from_string(source)


def render(name: str, **variables) -> str:
    """Render prompts/<name> with `variables`; raises on any missing variable."""
    return _template(name).render(**variables).strip()
