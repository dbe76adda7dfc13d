"""The knowledge base: policy documents (text + metadata) parsed into clauses.

Each policy is a pack (ingest/packs.py): the built-in ones in ``knowledge/packs/<doc_id>/``,
those added by ``app.py ingest`` in ``<data_dir>/packs/<doc_id>/``, overriding a built-in pack
with the same ``doc_id``. ``knowledge/`` is never written.
"""
from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from errors import PolicyError
from ingest.clauses import Clause, ParsedDocument, parse_clauses

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
PACKS_DIR = KNOWLEDGE_DIR / "packs"
PACKAGED_POLICIES = PACKS_DIR        # the built-in packs (one folder per policy; was knowledge/policies)

# Parent regions of regions the corpus knows, so that "广东" finds Foshan's policies.
REGION_PARENTS = {"佛山市": ["广东省"], "深圳市": ["广东省"], "广州市": ["广东省"],
                  "大连市": ["辽宁省"], "长沙市": ["湖南省"], "郑州市": ["河南省"]}


class PolicyMeta(BaseModel):
    """What a citation needs to say about a document."""

    doc_id: str = Field(pattern=r"^[A-Za-z0-9_\-\u4e00-\u9fff]+$")
    title: str
    short_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None          # 文号, e.g. 豫政办〔2022〕8号
    region: str
    parent_regions: list[str] = Field(default_factory=list)
    level: str | None = None               # 省级 / 地市级 / 区县级 / 国家级
    year: int | None = None
    validity: str | None = None
    valid_until: int | None = None         # the last year it applies, where the text says (行动计划至2020年)
    may_be_expired: bool = False
    superseded_by: str | None = None       # doc_id of a later document that repeals this one (ingest/supersede.py)
    source_file: str | None = None

    @property
    def regions(self) -> list[str]:
        """The region and every region that contains it."""
        return [self.region, *self.parent_regions]


class Document(BaseModel):
    meta: PolicyMeta
    text: str

    model_config = {"arbitrary_types_allowed": True}

    @cached_property
    def parsed(self) -> ParsedDocument:
        return parse_clauses(self.meta.doc_id, self.text)

    @property
    def clauses(self) -> list[Clause]:
        return self.parsed.clauses

    @property
    def content_hash(self) -> str:
        payload = self.meta.model_dump_json() + "\n" + self.text
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class KnowledgeBase:
    """All documents of the packaged corpus plus those ingested into a data directory."""

    def __init__(self, documents: dict[str, Document]):
        self.documents = documents

    @property
    def clauses(self) -> list[Clause]:
        return [c for d in self.documents.values() for c in d.clauses]

    def meta(self, doc_id: str) -> PolicyMeta:
        return self.documents[doc_id].meta

    def clause(self, doc_id: str, label: str) -> Clause:
        try:
            return self.documents[doc_id].parsed.by_label()[label]
        except KeyError:
            raise PolicyError("clause_not_found", f"知识库中没有条款 {doc_id} {label}") from None

    @property
    def content_hash(self) -> str:
        joined = "|".join(f"{k}:{d.content_hash}" for k, d in sorted(self.documents.items()))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]


def read_policy_dir(folder: Path) -> dict[str, Document]:
    """Documents stored as ``<doc_id>.txt`` + ``<doc_id>.yaml`` in one folder (data directories
    written before packs; ingest/pack_legacy.py)."""
    docs: dict[str, Document] = {}
    if not folder.is_dir():
        return docs
    for meta_path in sorted(folder.glob("*.yaml")):
        try:
            meta = PolicyMeta(**yaml.safe_load(meta_path.read_text(encoding="utf-8")))
            text = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, ValueError) as exc:
            raise PolicyError("bad_knowledge_base", f"知识库文件 {meta_path} 无法读取或格式有误，请重新导入该政策"
                              f"（broken policy file: {type(exc).__name__}）。") from None
        docs[meta.doc_id] = Document(meta=meta, text=text)
    return docs


def packaged_doc_ids() -> set[str]:
    """The doc_ids of the built-in packs."""
    return {p.name for p in PACKS_DIR.iterdir() if p.is_dir() and not p.name.startswith(".")}


def load_knowledge_base(data_dir: Path | str | None = None) -> KnowledgeBase:
    """The built-in packs, overlaid with those ingested into `data_dir`; PolicyError("bad_pack")
    naming a broken pack (every cross-reference is checked: ingest/pack_check.py)."""
    from ingest.packs import load_packs

    return KnowledgeBase(with_repeals({doc_id: pack.document for doc_id, pack in load_packs(data_dir).items()}))


def with_repeals(documents: dict[str, Document]) -> dict[str, Document]:
    """The documents, those a later one repeals marked ``superseded_by`` and ``may_be_expired``
    with the repealing words as their validity (ingest/supersede.py)."""
    from ingest.supersede import repeals

    out = dict(documents)
    for r in repeals(documents):
        new = documents[r.by].meta
        meta = out[r.doc_id].meta.model_copy(update={
            "superseded_by": r.by, "may_be_expired": True,
            "validity": f"已被《{new.title}》废止（“{r.sentence}”）"})
        out[r.doc_id] = Document(meta=meta, text=out[r.doc_id].text)
    return out
