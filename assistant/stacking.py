"""The documents' own no-stacking rules (``knowledge/stacking.yaml``), validated when loaded.

Each document may say: at most one award for the same project (同一项目不重复支持, 就高原则); at
most N awards per enterprise per declaration year, some kinds exempt when the enterprise has a
fact (除“头雁”企业定额奖励项目外); only the higher award for a project that two documents of
the region fund (就高原则 across documents); no award for a project another provincial fund has supported.
Caps within one clause (单个企业奖补不超过50万元, 上级+市级 ≤ 50%) are the rules' own limits.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from errors import PolicyError

STACKING_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "stacking.yaml"
_ID = r"^[a-z][a-z0-9_]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exempt(_Model):
    kinds: list[Literal["rate", "fixed", "tiers", "bands", "per_unit"]] = Field(min_length=1)
    fact: str | None = Field(default=None, pattern=_ID)    # the enterprise fact the exemption needs


class ExcludedBy(_Model):
    fact: str = Field(pattern=_ID)
    label: str


class Stacking(_Model):
    clause: str
    quote: str
    same_project: Literal["one", "any"] = "any"
    # "region": the same project under this document and another document of its region also gets
    # only the higher award (湖南：与其他政策有重复的，按照就高原则享受，不得重复享受)
    same_project_across: Literal["none", "region"] = "none"
    per_year: int | None = Field(default=None, gt=0)
    exempt: Exempt | None = None
    excluded_by: ExcludedBy | None = None

    def exempt_award(self, kind: str, facts: dict) -> bool:
        """Whether an award of this kind does not count towards per_year."""
        ex = self.exempt
        return bool(ex and kind in ex.kinds and (ex.fact is None or facts.get(ex.fact) is True))


NO_STACKING = Stacking(clause="", quote="")


def parse_stacking(data, doc_ids: set[str] | None = None, path: Path = STACKING_FILE) -> dict[str, Stacking]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PolicyError("bad_stacking", f"{path.name} 应为映射（文件 doc_id: 规则）")
    out = {}
    for doc_id, spec in data.items():
        if doc_ids is not None and doc_id not in doc_ids:
            raise PolicyError("bad_stacking", f"{path.name}：未知的文件 {doc_id}")
        try:
            out[str(doc_id)] = Stacking.model_validate(spec)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise PolicyError("bad_stacking", f"{path.name} 中 {doc_id} 有误（{where}）：{first['msg']}") from None
    return out


@cache
def load_stacking(path: Path = STACKING_FILE) -> dict[str, Stacking]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError("bad_stacking", f"无法读取 {path.name}：{exc}") from None
    return parse_stacking(data, path=path)
