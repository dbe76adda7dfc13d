"""The words a drafted rule's figure is checked against (``knowledge/lexicon/trust.yaml``), validated
when loaded: qualifiers of a subject, exclusion sentences, duration units."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from errors import PolicyError
from ingest.normalize import for_matching

TRUST_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon" / "trust.yaml"


@dataclass(frozen=True)
class TrustWords:
    qualifiers: dict[str, tuple[str, ...]]     # name -> the words that state it (folded)
    exclusions: tuple[str, ...]                # 不再重复支持 … (folded), longest first
    duration_units: dict[str, int]             # 年 -> 12, 个月 -> 1
    more: tuple[str, ...]
    under: tuple[str, ...]
    not_elapsed: tuple[str, ...]


def _words(data: dict, key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise PolicyError("bad_lexicon", f"{path.name}：{key} 须为非空的词语列表")
    return tuple(sorted({for_matching(w) for w in value}, key=len, reverse=True))


@lru_cache(maxsize=4)
def load_trust_words(path: Path | str = TRUST_FILE) -> TrustWords:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError("bad_lexicon", f"无法读取{path.name}：{exc}") from exc
    quals = data.get("qualifiers")
    if not isinstance(quals, dict) or not quals:
        raise PolicyError("bad_lexicon", f"{path.name}：qualifiers 须为“名称: [词语…]”")
    durations = data.get("durations")
    units = durations.get("units") if isinstance(durations, dict) else None
    if not isinstance(units, dict) or not units or not all(
            isinstance(k, str) and isinstance(v, int) and v > 0 for k, v in units.items()):
        raise PolicyError("bad_lexicon", f"{path.name}：durations.units 须为“单位: 月数（正整数）”")
    return TrustWords(
        qualifiers={name: _words(quals, name, path) for name in quals},
        exclusions=_words(data, "exclusion_words", path),
        duration_units=dict(sorted(units.items(), key=lambda kv: -len(kv[0]))),
        more=_words(durations, "more", path), under=_words(durations, "under", path),
        not_elapsed=_words(durations, "not_elapsed", path))
