"""A database that stops answering (packets dropped, new connections hang): /ready says so within
2 s, requests answer 503 with a sentence instead of hanging, and the process recovers by itself.

A TCP proxy between the application and PostgreSQL plays the network: it forwards, then turns
into a black hole (accepts, reads, never answers), then forwards again.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar.testing import AsyncTestClient

from perp_track import db
from perp_track.app import create_app
from perp_track.config import load_settings

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)


class BlackHoleProxy:
    """On a thread and event loop of its own (the test client runs the app on another)."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.black_hole = False
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self.cut_everything)
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def restore(self) -> None:
        """Forward again. Connections that fell into the hole are closed (their peers reconnect)."""
        self.black_hole = False
        self._loop.call_soon_threadsafe(self.cut_everything)

    def cut_everything(self) -> None:
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while data := await reader.read(65536):
                if self.black_hole:
                    continue  # dropped on the floor: nobody answers, nobody says so
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        if self.black_hole:
            # A new connection is accepted, then nothing: the client's handshake waits.
            with contextlib.suppress(OSError, ConnectionError):
                while await reader.read(65536):
                    pass
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))


async def test_a_black_hole_database_is_told_within_two_seconds(settings, engine):
    parts = urlsplit(settings.database_url)
    proxy = BlackHoleProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxy.start()
    via_proxy = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))
    app_settings = load_settings(
        env="test",
        database_url=via_proxy,
        scheduler="off",
        database_connect_timeout_seconds=3,
        database_pool_timeout_seconds=1,
        database_statement_timeout_seconds=1,
        ready_timeout_seconds=1.5,
    )
    app = create_app(app_settings)
    try:
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/ready")).status_code == 200

            proxy.black_hole = True
            started = time.monotonic()
            ready = await client.get("/ready")
            took = time.monotonic() - started
            assert ready.status_code == 503, ready.text
            assert ready.json()["database"] == "unreachable"
            assert took < 2.0, f"/ready took {took:.2f} s"

            # A request that needs the database answers 503 with a sentence, promptly.
            started = time.monotonic()
            login = await client.post(
                "/api/auth/login", json={"email": "a@b.example", "password": "x" * 12}
            )
            took = time.monotonic() - started
            assert login.status_code == 503, login.text
            assert "database" in login.json()["detail"]
            assert login.headers["Retry-After"]
            assert took < 5.0, f"the request took {took:.2f} s"

            # The network comes back: the process recovers by itself.
            proxy.restore()
            deadline = time.monotonic() + 15
            while (await client.get("/ready")).status_code != 200:
                assert time.monotonic() < deadline, "did not recover"
                await asyncio.sleep(0.2)
    finally:
        proxy.stop()
        db.use_engine(engine)
