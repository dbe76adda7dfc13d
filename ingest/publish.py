"""The published generation of a data directory: what every app instance sharing it serves.

``app.py ingest`` (and, later, a rule review) changes ``<data_dir>/policies`` and the index, then
calls ``publish()`` last, which atomically replaces ``<data_dir>/published.json`` (a temporary
file, fsync, rename). Instances watch the marker with one ``stat`` a second (``marker_stamp``)
and reload only once it changes, so they move from one complete generation to the next and never
serve the state in between: the new policies are written and their index is complete before the
marker names them. The marker holds the knowledge base's content hash; a reader checks that what
it loaded has that hash before it serves it (a publish still under way is retried a second later).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

MARKER = "published.json"


def marker_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / MARKER


def publish(data_dir: Path | str, generation: str, index: str | None = None) -> dict[str, Any]:
    """Announce `generation` (the knowledge base's content hash) and its index as complete."""
    path = marker_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"generation": generation, "index": index, "published_at": time.time(), "pid": os.getpid()}
    tmp = path.with_name(f".{MARKER}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(record, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return record


def read_published(data_dir: Path | str) -> dict[str, Any] | None:
    try:
        record = json.loads(marker_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("generation") else None


def marker_stamp(data_dir: Path | str) -> tuple[int, int, int] | None:
    """A cheap fingerprint of the marker (one stat): changes whenever it is replaced."""
    try:
        st = os.stat(marker_path(data_dir))
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)
