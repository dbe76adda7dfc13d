"""A service that follows its data directory's published generation, for several instances.

``LiveService`` wraps a ``PolicyService`` and forwards every attribute to the current one, so one
request (one method call) runs wholly on one generation. A background thread stats
``<data_dir>/published.json`` every second (``ingest/publish.py``); when another instance (or this
one) publishes, a fresh ``PolicyService`` is built and warmed up aside while requests keep being
answered by the old one, and it is swapped in only if its knowledge base has the published
content hash. The service itself is not changed.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from assistant.service import PolicyService
from ingest.publish import marker_stamp, read_published
from settings import Settings

log = logging.getLogger("assistant.live")


class LiveService:
    def __init__(self, settings: Settings, factory: Callable[[], Any] | None = None,
                 interval: float = 1.0):
        self.settings = settings
        self._factory = factory or (lambda: PolicyService(settings))
        self._stamp = marker_stamp(settings.data_dir)
        self._failed: tuple | None = None   # a published generation that failed to load
        self._current = self._factory()
        self._reload_lock = threading.Lock()
        self._stop = threading.Event()
        self._interval = interval
        self._thread: threading.Thread | None = None
        self.reloads = 0

    @property
    def current(self) -> Any:
        return self._current

    @property
    def generation(self) -> str:
        """The content hash of the knowledge base being served (as in published.json)."""
        return self._current.kb.content_hash

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):            # not found on the wrapper itself: never forward privates
            raise AttributeError(name)
        return getattr(self._current, name)

    def reload_if_changed(self) -> bool:
        """Swap in the newly published generation, if any; True when it did."""
        stamp = marker_stamp(self.settings.data_dir)
        if stamp in (self._stamp, self._failed):
            return False
        with self._reload_lock:
            if stamp in (self._stamp, self._failed):
                return False
            marker = read_published(self.settings.data_dir)
            try:
                fresh = self._factory()
                fresh.warm_up()
            except Exception:
                self._failed = stamp          # tried once; wait for the next publish
                raise
            if marker and fresh.kb.content_hash != marker["generation"]:
                log.info("published generation %s not fully on disk yet; retrying", marker["generation"])
                return False
            self._current, self._stamp = fresh, stamp
            self.reloads += 1
            log.info("now serving generation %s", marker and marker["generation"])
            return True

    def _watch(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.reload_if_changed()
            except Exception:                  # a broken publish must not stop the watcher
                log.exception("reloading the published knowledge base failed; still serving the old one")

    def start(self) -> LiveService:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="policy-reload", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
