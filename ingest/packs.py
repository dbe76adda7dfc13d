"""Policy packs: one folder per policy is the unit of the knowledge base.

``knowledge/packs/<doc_id>/`` (built in, never written) and ``<data_dir>/packs/<doc_id>/`` (ingested;
overrides a built-in pack with the same doc_id) each hold::

    policy.txt       the verbatim text                meta.yaml        title, issuer, 文号, region …
    rules.yaml       its rules (status reviewed|draft) facts.yaml       the facts its rules use, how users state them
    vocabulary.yaml  retrieval terms and synonyms     questions.jsonl  worked questions (dev.jsonl format)

Only policy.txt and meta.yaml are required. Every cross-reference is checked when a pack is loaded
(ingest/pack_check.py); a broken pack raises ``PolicyError("bad_pack")`` naming it, and nothing is
half-loaded, so a running service keeps its previous knowledge base. Facts shared by several
policies live in ``knowledge/facts.yaml``; a fact is declared exactly once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.lexicon import FactSpec, load_shared_facts, parse_facts
from calculators.models import Rule
from errors import PolicyError
from ingest.corpus import KNOWLEDGE_DIR, Document, PolicyMeta
from ingest.rules import read_rule_file

PACKS_DIR = KNOWLEDGE_DIR / "packs"
PACK_FILES = ("policy.txt", "meta.yaml", "rules.yaml", "facts.yaml", "vocabulary.yaml", "questions.jsonl")


class Vocabulary(BaseModel):
    """vocabulary.yaml: terms jieba keeps whole, spelling variants, synonym groups (as assistant/synonyms.yaml)."""

    model_config = ConfigDict(extra="forbid")
    vocabulary: list[str] = Field(default_factory=list)
    normalize: dict[str, str] = Field(default_factory=dict)
    synonyms: list[list[str]] = Field(default_factory=list)


@dataclass(frozen=True)
class Pack:
    folder: Path
    document: Document
    rules: tuple[Rule, ...] = ()
    facts: dict[str, FactSpec] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    questions: tuple[dict, ...] = ()
    packaged: bool = False

    @property
    def doc_id(self) -> str:
        return self.document.meta.doc_id


def pack_error(folder: Path | str, problems: list[str]) -> PolicyError:
    shown = "；".join(problems[:8]) + (f"；等共 {len(problems)} 处" if len(problems) > 8 else "")
    return PolicyError("bad_pack", f"政策包 {folder} 有误，未载入（原有知识库保持不变）：{shown}")


def _yaml(folder: Path, name: str, default):
    path = folder / name
    if not path.is_file():
        return default
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise pack_error(folder, [f"{name} 不是有效的 YAML（{first}）"]) from None
    return default if data is None else data


def _questions(folder: Path) -> tuple[dict, ...]:
    path = folder / "questions.jsonl"
    if not path.is_file():
        return ()
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError:
            raise pack_error(folder, [f"questions.jsonl 第{n}行不是有效的 JSON"]) from None
        if not isinstance(case, dict) or not case.get("id") or not (case.get("q") or case.get("messages")):
            raise pack_error(folder, [f"questions.jsonl 第{n}行需要 id 和 q（或 messages）"])
        out.append(case)
    return tuple(out)


def _meta(folder: Path) -> PolicyMeta:
    raw = _yaml(folder, "meta.yaml", None)
    if not isinstance(raw, dict):
        raise pack_error(folder, ["缺少 meta.yaml，或它不是“字段: 值”的映射"])
    try:
        meta = PolicyMeta(**raw)
    except (TypeError, ValidationError) as exc:
        where = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()) if isinstance(exc, ValidationError) else exc
        raise pack_error(folder, [f"meta.yaml 字段有误：{where}"]) from None
    if meta.doc_id != folder.name:
        raise pack_error(folder, [f"meta.yaml 的 doc_id“{meta.doc_id}”应与文件夹名“{folder.name}”相同"])
    return meta


def read_pack(folder: Path, packaged: bool = False) -> Pack:
    """The files of one pack, each validated on its own (cross-references: ingest/pack_check.py)."""
    meta = _meta(folder)
    try:
        text = (folder / "policy.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise pack_error(folder, ["缺少 policy.txt 或它不是 UTF-8 文本"]) from None
    rules: list[Rule] = []
    if (folder / "rules.yaml").is_file():
        _yaml(folder, "rules.yaml", [])               # YAML errors named by the pack first
        try:
            rules = read_rule_file(folder / "rules.yaml")
        except PolicyError as err:
            raise pack_error(folder, [err.message]) from None
    facts_raw = _yaml(folder, "facts.yaml", {})
    if not isinstance(facts_raw, dict):
        raise pack_error(folder, ["facts.yaml 应为“事实名: 说法”的映射"])
    try:
        facts = parse_facts(facts_raw, folder / "facts.yaml")
        vocabulary = Vocabulary.model_validate(_yaml(folder, "vocabulary.yaml", {}))
    except PolicyError as err:
        raise pack_error(folder, [err.message]) from None
    except ValidationError as exc:
        raise pack_error(folder, [f"vocabulary.yaml 有误：{exc.errors()[0]['msg']}"]) from None
    return Pack(folder, Document(meta=meta, text=text), tuple(rules), facts, vocabulary, _questions(folder), packaged)


def _signature(folder: Path) -> tuple:
    stats = []
    for name in PACK_FILES:
        try:
            st = (folder / name).stat()
            stats.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((name, None, None))
    return tuple(stats)


_CACHE: dict[Path, tuple[tuple, Pack]] = {}


def _cached_read(folder: Path, packaged: bool) -> Pack:
    """read_pack, reused while none of the pack's files changed (loaders call this often)."""
    key, sig = folder.resolve(), _signature(folder)
    hit = _CACHE.get(key)
    if hit and hit[0] == sig:
        return hit[1]
    pack = read_pack(folder, packaged)
    _CACHE[key] = (sig, pack)
    return pack


def read_pack_dir(root: Path, packaged: bool = False) -> dict[str, Pack]:
    """Every pack folder under `root` (folders starting with "." are staging or old generations)."""
    if not root.is_dir():
        return {}
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return {f.name: _cached_read(f, packaged) for f in folders}


def data_packs(data_dir: Path | str) -> dict[str, Pack]:
    """The ingested packs of a data directory (an older data directory's policies/ + drafts/ read as packs)."""
    root = Path(data_dir) / "packs"
    if root.is_dir():
        return read_pack_dir(root)
    from ingest.pack_legacy import legacy_packs
    return legacy_packs(Path(data_dir))


def load_packs(data_dir: Path | str | None = None, extra: dict[str, Pack] | None = None) -> dict[str, Pack]:
    """Built-in packs overlaid with the data directory's (and `extra`), every cross-reference checked."""
    from ingest.pack_check import check_packs

    packs = dict(read_pack_dir(PACKS_DIR, packaged=True))
    if data_dir is not None:
        packs.update(data_packs(data_dir))
    packs.update(extra or {})
    check_packs(packs, load_shared_facts())
    return packs
