"""The dense side: every clause of the knowledge base in a Chroma collection.

Embedded ``chromadb.PersistentClient`` under ``<data_dir>/index/chroma`` by default; a Chroma
server (``HttpClient``) when ``CHROMA_HOST`` is set. We always pass our own embeddings.

A collection is named ``clauses_<key>`` where the key hashes the corpus, the embedder and the
rule ids tied to clauses, so the index is rebuilt only when one of them changes. A build writes
into a ``building_*`` collection and renames it to its final name only when complete: readers
never see a half-written index (a crashed build leaves a ``building_*`` collection that a later
build removes). Embeddings are cached by content hash (``<data_dir>/index/embeddings.sqlite``),
so a rebuild embeds only new or changed clauses.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.embedders import Embedder, EmbeddingCache
from errors import PolicyError
from ingest.clauses import Clause
from ingest.corpus import KnowledgeBase, PolicyMeta

INDEX_FORMAT = "clauses-v2"        # bump when what is embedded or stored changes
_STALE_BUILD_SECONDS = 3600
_MAX_OVERFETCH = 1500             # unfiltered results fetched before falling back to the filter
_KEEP_OLD = 1                      # finished indexes kept besides the current one (other instances)


def embedding_text(clause: Clause, meta: PolicyMeta) -> str:
    """What is embedded for a clause: the document's short title, its heading path and text.

    The title gives short items their topic ("技术改造", "工业互联网") which their own words
    often leave implicit.
    """
    return f"{meta.short_title or meta.title} > {clause.context}"


def clause_metadata(clause: Clause, meta: PolicyMeta, rule_ids: tuple[str, ...]) -> dict[str, Any]:
    return {
        "doc_id": clause.doc_id,
        "region": meta.region,
        "regions": "|".join(meta.regions),
        "label": clause.label,
        "headings": " > ".join(clause.headings),
        "rule_ids": ",".join(rule_ids),
        "is_heading": clause.is_heading,
    }


def rules_for_clauses(kb: KnowledgeBase, rulebook: Any | None) -> dict[str, tuple[str, ...]]:
    """clause id -> ids of the calculator rules whose source is that clause."""
    if rulebook is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for clause in kb.clauses:
        ids = tuple(r.id for r in rulebook.for_clause(clause.doc_id, clause.label))
        if ids:
            out[clause.id] = ids
    return out


def index_key(kb: KnowledgeBase, embedder: Embedder, rule_map: dict[str, tuple[str, ...]]) -> str:
    rules = "|".join(f"{k}={','.join(v)}" for k, v in sorted(rule_map.items()))
    payload = "\n".join([INDEX_FORMAT, kb.content_hash, embedder.name, rules])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def chroma_client(data_dir: Path | str, host: str | None = None, port: int = 8000):
    """A Chroma server client when `host` is given, else an embedded store under data_dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        except Exception as exc:
            raise PolicyError("chroma_unreachable",
                              f"无法连接 Chroma 服务 {host}:{port}（CHROMA_HOST/CHROMA_PORT）：{exc}") from exc
    path = Path(data_dir) / "index" / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class ClauseIndex:
    """Dense nearest-clause search over a finished Chroma collection."""

    def __init__(self, collection, embedder: Embedder, key: str, built: bool, embedded: int = 0):
        self.collection = collection
        self.embedder = embedder
        self.key = key
        self.built = built          # True when this call built it, False when it was reused
        self.embedded = embedded    # texts this call embedded (the others came from the cache)
        self._count = collection.count()    # a finished collection never changes

    @property
    def name(self) -> str:
        return self.collection.name

    def count(self) -> int:
        return self._count

    def query(self, vector: list[float], n: int, doc_ids: list[str] | None = None,
              in_scope: int | None = None) -> list[tuple[str, float]]:
        """(clause id, cosine similarity) of the `n` nearest clauses within `doc_ids`, best first.

        Chroma's metadata filter scans every matching record (25 ms at 14k clauses), while the
        unfiltered graph search takes about 1 ms even for a few hundred results; so when the
        scope holds a fair share of the clauses (`in_scope` of them) we over-fetch unfiltered
        and keep the in-scope ids, falling back to the filter when too few remain.
        """
        if doc_ids is not None and not doc_ids:
            return []
        total = self.count()
        if total == 0:
            return []
        n = max(1, min(n, total))
        if not doc_ids:
            return self._nearest(vector, n, None)
        wanted = set(doc_ids)
        fetch = min(total, int(n * total / max(in_scope or 1, 1) * 1.5) + n)
        if in_scope and fetch <= _MAX_OVERFETCH:
            found = [(cid, s) for cid, s in self._nearest(vector, fetch, None)
                     if cid.split("#", 1)[0] in wanted]
            if len(found) >= min(n, in_scope) or fetch == total:
                return found[:n]
        return self._nearest(vector, n, {"doc_id": {"$in": sorted(wanted)}})

    def _nearest(self, vector: list[float], n: int, where: dict | None) -> list[tuple[str, float]]:
        res = self.collection.query(query_embeddings=[vector], n_results=n, where=where,
                                    include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]


def _final_name(key: str) -> str:
    return f"clauses_{key}"


def _open_finished(client, key: str, expected: int):
    try:
        col = client.get_collection(_final_name(key))
    except Exception:    # chromadb raises NotFoundError (1.x) or ValueError (older) when absent
        return None
    meta = col.metadata or {}
    return col if meta.get("state") == "ready" and col.count() == expected else None


def _build(client, key: str, ids: list[str], texts: list[str], metas: list[dict],
           vectors: list[list[float]]):
    tmp = client.create_collection(
        f"building_{key}_{uuid.uuid4().hex[:8]}", configuration={"hnsw": {"space": "cosine"}},
        metadata={"state": "building", "started": time.time()}, embedding_function=None)
    step = max(1, min(1000, client.get_max_batch_size()))
    for i in range(0, len(ids), step):
        tmp.add(ids=ids[i:i + step], embeddings=vectors[i:i + step],
                documents=texts[i:i + step], metadatas=metas[i:i + step])
    existing = _open_finished(client, key, len(ids))
    if existing is not None:        # another process finished the same build first
        client.delete_collection(tmp.name)
        return existing
    tmp.modify(name=_final_name(key), metadata={"state": "ready", "built": time.time(),
                                                 "count": len(ids)})
    return client.get_collection(_final_name(key))


def _prune(client, keep: str) -> None:
    """Drop stale unfinished builds and all but the newest older indexes."""
    now = time.time()
    finished = []
    for col in client.list_collections():
        meta = col.metadata or {}
        if col.name.startswith("building_") and now - meta.get("started", 0) > _STALE_BUILD_SECONDS:
            client.delete_collection(col.name)
        elif col.name.startswith("clauses_") and col.name != keep:
            finished.append((meta.get("built", 0), col.name))
    for _, name in sorted(finished, reverse=True)[_KEEP_OLD:]:
        client.delete_collection(name)


def open_index(client, kb: KnowledgeBase, embedder: Embedder, cache: EmbeddingCache,
               rule_map: dict[str, tuple[str, ...]] | None = None,
               on_progress: Callable[[int], None] | None = None) -> ClauseIndex:
    """The finished index for this corpus and embedder, built first if needed."""
    rule_map = rule_map or {}
    clauses = kb.clauses
    key = index_key(kb, embedder, rule_map)
    found = _open_finished(client, key, len(clauses))
    if found is not None:
        return ClauseIndex(found, embedder, key, built=False)
    metas = [kb.meta(c.doc_id) for c in clauses]
    texts = [embedding_text(c, m) for c, m in zip(clauses, metas, strict=True)]
    embedded = 0

    def count(n: int) -> None:
        nonlocal embedded
        embedded += n
        if on_progress is not None:
            on_progress(n)

    vectors = cache.embed(embedder, texts, on_batch=count)
    col = _build(client, key, [c.id for c in clauses], texts,
                 [clause_metadata(c, m, rule_map.get(c.id, ())) for c, m in zip(clauses, metas, strict=True)],
                 vectors)
    _prune(client, keep=col.name)
    return ClauseIndex(col, embedder, key, built=True, embedded=embedded)
