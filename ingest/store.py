"""Add or replace policies in a data directory: validate everything, build aside, swap in.

``<data_dir>/packs/<doc_id>/`` holds one policy pack per ingested policy (ingest/packs.py: text,
metadata, the rules drafted from its text, the facts they use) and overlays the built-in packs
(``knowledge/packs``, never written). Every new file is loaded, parsed and drafted before anything
is written; the new generation of ``packs/`` is built next to the old one, loaded back with every
cross-reference checked, and renamed into place, so a failure anywhere leaves the existing
knowledge base exactly as it was.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError
from tqdm import tqdm

from errors import PolicyError
from ingest import limits
from ingest.clauses import parse_clauses
from ingest.corpus import KNOWLEDGE_DIR, REGION_PARENTS, Document, PolicyMeta, packaged_doc_ids
from ingest.loaders import load_text

META_FIELDS = ("doc_id", "title", "short_title", "issuer", "doc_number", "region", "parent_regions",
               "level", "year", "validity", "may_be_expired")
_REGION_PART = re.compile(r".{2,}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗)")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


@dataclass
class IngestItem:
    """One file to ingest and the metadata given for it (flags, sidecar or manifest)."""

    path: Path
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    title: str
    region: str
    clauses: int
    replaced: str | None          # "data" (an earlier ingest), "packaged" (overrides knowledge/) or None
    source: str
    drafted_rules: int = 0        # rules drafted from the text (status draft)
    kept_reviewed: int = 0        # reviewed rules of the replaced pack that still quote the new text


# ------------------------------------------------------------------ metadata
def region_parents(region: str) -> list[str]:
    """Regions containing `region`, outermost first: 辽宁省大连市甘井子区 -> [辽宁省, 大连市]."""
    base = re.sub(r"[（(].*?[）)]", "", region).strip()
    parts = _REGION_PART.findall(base)
    if "".join(parts) != base:
        parts = [*parts, base] if parts else [base]
    parents = parts[:-1] if base == region else parts
    extra = [p for part in parts for p in REGION_PARENTS.get(part, [])]
    return list(dict.fromkeys([*extra, *parents]))


def guess_level(region: str) -> str | None:
    if region.startswith(("全国", "国务院", "中华人民共和国")):
        return "国家级"
    base = re.sub(r"[（(].*?[）)]", "", region).strip()
    if base.endswith(("省", "自治区", "特别行政区")) or base in _MUNICIPALITIES:
        return "省级"
    if base.endswith(("区", "县", "旗")):
        return "区县级"
    return "地市级" if base.endswith(("市", "州", "盟", "地区")) else None


def sanitise_doc_id(stem: str) -> str:
    doc_id = re.sub(r"[^A-Za-z0-9_\-\u4e00-\u9fff]+", "_", stem).strip("_-")
    return doc_id[:80] or "policy"


def _clean_meta(raw: dict, where: str) -> dict:
    meta = {k: v for k, v in raw.items() if k in META_FIELDS and v not in (None, "")}
    if "year" in meta:
        try:
            meta["year"] = int(str(meta["year"]).strip())
        except ValueError:
            raise PolicyError("bad_metadata", f"{where} 中的年份“{meta['year']}”不是整数（year must be a number）。") from None
    if isinstance(meta.get("parent_regions"), str):
        meta["parent_regions"] = [x for x in re.split(r"[,，;；、\s]+", meta["parent_regions"]) if x]
    return meta


def read_sidecar(path: Path) -> dict:
    """Metadata from ``<file>.yaml``, ``<stem>.yaml`` or ``<stem>.meta.yaml`` next to the file."""
    for candidate in (Path(f"{path}.yaml"), path.with_suffix(".yaml"), path.with_suffix(".meta.yaml")):
        if candidate.is_file() and candidate != path:
            try:
                raw = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise PolicyError("bad_metadata", f"元数据文件 {candidate.name} 格式有误（invalid YAML）：{exc}") from None
            if not isinstance(raw, dict):
                raise PolicyError("bad_metadata", f"元数据文件 {candidate.name} 应为“字段: 值”的格式（YAML mapping）。")
            return _clean_meta(raw, candidate.name)
    return {}


def read_manifest(manifest: Path | str) -> list[IngestItem]:
    """Items of a TSV/CSV table with at least the columns file, title, region, year."""
    manifest = Path(manifest)
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError("bad_manifest", f"无法读取清单文件 {manifest}（cannot read manifest）：{exc}") from None
    delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ","
    rows = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
    columns = {c.strip() for c in (rows[0].keys() if rows else [])}
    missing = [c for c in ("file", "title", "region", "year") if c not in columns]
    if missing or not rows:
        raise PolicyError("bad_manifest", f"清单文件 {manifest.name} 缺少列 {', '.join(missing) or '（没有数据行）'}"
                          "（manifest needs columns file, title, region, year）。")
    items = []
    for n, row in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not row.get("file"):
            raise PolicyError("bad_manifest", f"清单文件 {manifest.name} 第{n}行没有填写 file（missing file）。")
        items.append(IngestItem(manifest.parent / row["file"], _clean_meta(row, f"{manifest.name} 第{n}行")))
    return items


# 文号 as documents print it near their top: 豫政办〔2022〕8号, 大政发[2019]12号, 甘政办发（2016）3号
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\d{1,4}\s*号")


def doc_number_in(text: str) -> str | None:
    """The document's own 文号 in its opening lines (a line of its own, not a document it cites),
    〔〕 as in print; None when it gives none."""
    for line in text[:800].splitlines():
        line = line.strip()
        m = _DOC_NUMBER.search(line)
        if m and len(line) - len(m.group(0)) <= 2:
            break
    else:
        return None
    number = re.sub(r"\s+", "", m.group(0))
    return re.sub(r"[\[［(（【](\d{4})[\]］)）】]", r"〔\1〕", number)


def build_meta(item: IngestItem, text: str) -> PolicyMeta:
    """PolicyMeta from the given metadata, the sidecar file and defaults (doc_id from the file name)."""
    given = {**read_sidecar(item.path), **item.meta}
    if not given.get("region"):
        raise PolicyError("missing_region", f"请为 {item.path.name} 指定地区：--region，或在元数据文件/清单中填写 region"
                          "（region is required）。")
    first_line = next(line.strip() for line in text.splitlines() if line.strip())
    meta = {"doc_id": sanitise_doc_id(item.path.stem), "title": first_line[:100],
            "parent_regions": region_parents(given["region"]), "level": guess_level(given["region"]),
            "doc_number": doc_number_in(text), **given, "source_file": item.path.name}
    try:
        return PolicyMeta(**meta)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise PolicyError("bad_metadata", f"{item.path.name} 的元数据有误：{fields}（invalid metadata）。") from None


# ------------------------------------------------------------------ validate, build aside, swap
@dataclass
class _Prepared:
    meta: PolicyMeta
    text: str
    clauses: int


def _prepare(items: list[IngestItem], progress: bool) -> list[_Prepared]:
    """Load, parse and describe every file; raise before anything is written."""
    prepared: list[_Prepared] = []
    for item in tqdm(items, desc="解析政策文件", unit="份", file=sys.stderr, disable=not progress):
        if item.meta.get("doc_id"):
            limits.check_doc_id(str(item.meta["doc_id"]))
        limits.check_file(item.path)
        text = load_text(item.path)
        limits.check_text(item.path.name, text)
        meta = build_meta(item, text)
        limits.check_doc_id(meta.doc_id)
        clauses = parse_clauses(meta.doc_id, text).clauses
        if not clauses:
            raise PolicyError("no_clauses", f"文件 {item.path.name} 中解析不出任何条款（no clauses found）。")
        limits.check_clauses(item.path.name, len(clauses))
        prepared.append(_Prepared(meta, text, len(clauses)))
    seen: dict[str, str] = {}
    for p in prepared:
        if p.meta.doc_id in seen:
            raise PolicyError("duplicate_doc_id", f"{seen[p.meta.doc_id]} 和 {p.meta.source_file} 的 doc_id 相同："
                              f"{p.meta.doc_id}，请用 --doc-id 或清单中的 doc_id 区分（duplicate doc_id）。")
        seen[p.meta.doc_id] = p.meta.source_file or ""
    return prepared


def _check_target(data_dir: Path) -> Path:
    target = (data_dir / "packs").resolve()
    knowledge = KNOWLEDGE_DIR.resolve()
    if target == knowledge or knowledge in target.parents or target in knowledge.parents:
        raise PolicyError("bad_data_dir", f"数据目录 {data_dir} 指向内置知识库 knowledge/，导入不能写入那里"
                          "（the packaged corpus is read-only）。")
    return data_dir / "packs"


def _write_policy(staging: Path, p: _Prepared, old) -> tuple[int, int]:
    """The pack of one prepared policy: its text, metadata and drafted rules; reviewed rules of the
    pack it replaces are kept while their quote is still in their clause. (drafted, kept)."""
    from assistant.lexicon import load_shared_facts
    from ingest.draft import draft_document
    from ingest.draft_check import quote_in_clause, quoted_text
    from ingest.pack_write import draft_facts, write_pack

    document = Document(meta=p.meta, text=p.text)
    clauses = document.parsed.by_label()
    kept = [r for r in (old.rules if old else ()) if r.status == "reviewed" and quoted_text(r, clauses) is not None
            and quote_in_clause(r.quote, quoted_text(r, clauses))]
    taken = {r.id for r in kept} | {(r.clause, r.quote) for r in kept}
    drafts = [r for r in draft_document(p.meta.doc_id, p.text, p.meta.region).rules
              if r.id not in taken and (r.clause, r.quote) not in taken]
    own = {f: s.model_dump(exclude_defaults=True) for f, s in (old.facts.items() if kept else ())}
    facts = own | draft_facts(drafts, set(load_shared_facts()) | set(own))
    write_pack(staging / p.meta.doc_id, document, kept + drafts, facts)
    return len(drafts), len(kept)


def _seed_staging(staging: Path, target: Path, data_dir: Path) -> dict:
    """The staging folder starts as a copy of the live packs (or of an older data directory's
    policies/ and drafts/, converted); returns the packs it starts with."""
    from ingest.pack_write import write_pack
    from ingest.packs import data_packs

    if target.is_dir():
        shutil.copytree(target, staging, ignore=shutil.ignore_patterns(".*"))
        return data_packs(data_dir)
    staging.mkdir()
    current = data_packs(data_dir)
    for doc_id, pack in current.items():
        facts = {f: s.model_dump(exclude_defaults=True) for f, s in pack.facts.items()}
        write_pack(staging / doc_id, pack.document, list(pack.rules), facts)
    return current


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with renames; on failure the old folder is put back."""
    old = target.with_name(f".packs.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def add_policies(data_dir: Path | str, items: list[IngestItem], progress: bool = True,
                 before_publish: Callable[[Path], None] | None = None) -> list[IngestResult]:
    """Add or replace the policies `items` as packs in `<data_dir>/packs`; all or nothing.

    The new generation is written to a staging folder (text, metadata, drafted rules and their
    facts per policy) and loaded back with every cross-reference checked; `before_publish(staging)`
    then prepares what must be ready when it goes live (the CLI builds its retrieval index there),
    and only then is the folder renamed into place. Killed at any point before the rename, the
    previous knowledge base, and its index, keep serving as they were.
    """
    from ingest.packs import load_packs, read_pack_dir

    if not items:
        raise PolicyError("no_input", "没有要导入的文件：请给出文件路径或 --manifest 清单（nothing to ingest）。")
    data_dir = Path(data_dir)
    target = _check_target(data_dir)
    prepared = _prepare(items, progress)
    packaged = packaged_doc_ids()
    created = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = data_dir / f".packs.new-{uuid.uuid4().hex[:8]}"
    counts = {}
    try:
        existing = _seed_staging(staging, target, data_dir)
        for p in tqdm(prepared, desc="起草规则", unit="份", file=sys.stderr, disable=not progress):
            counts[p.meta.doc_id] = _write_policy(staging, p, existing.get(p.meta.doc_id))
        load_packs(None, extra=read_pack_dir(staging))      # what we wrote must load back, checked
        if before_publish is not None:
            before_publish(staging)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    return [IngestResult(p.meta.doc_id, p.meta.title, p.meta.region, p.clauses,
                         "data" if p.meta.doc_id in existing else "packaged" if p.meta.doc_id in packaged else None,
                         p.meta.source_file or "", *counts[p.meta.doc_id]) for p in prepared]
