"""A tiny round-robin TCP proxy on loopback (load tests only; deployments use nginx, see README).

Each new client connection goes to the next backend in turn and is relayed byte for byte, so one
keep-alive HTTP connection stays on one instance. Counts connections per backend.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
from collections import Counter


class RoundRobinProxy:
    def __init__(self, backends: list[tuple[str, int]], port: int, host: str = "127.0.0.1"):
        self.backends, self.host, self.port = backends, host, port
        self.connections: Counter[int] = Counter()
        self._next = itertools.cycle(range(len(backends)))
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: asyncio.base_events.Server | None = None

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        n = next(self._next)
        self.connections[n] += 1
        try:
            back_r, back_w = await asyncio.open_connection(*self.backends[n])
        except OSError:
            client_w.close()
            return
        await asyncio.gather(self._pipe(client_r, back_w), self._pipe(back_r, client_w))

    async def _serve(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self._ready.set()
        try:
            async with self._server:
                await self._server.serve_forever()
        except asyncio.CancelledError:      # stop(): the server was closed
            pass

    def start(self) -> RoundRobinProxy:
        threading.Thread(target=self._loop.run_until_complete, args=(self._serve(),), daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
