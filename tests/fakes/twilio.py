"""A local stand-in for Twilio's Messages API, for tests and benchmarks. Never the internet.

A real HTTP server (aiohttp, on its own thread and event loop) that the real `twilio` SDK talks
to through TWILIO_API_BASE_URL. TCP_NODELAY is set on its sockets: without it a response's
headers and body leave as two writes and Nagle plus delayed ACK add ~40 ms to each (DOMAIN §6).

It can be told to fail: answer 500 (with or without having created the message), 429, time out,
or refuse with a Twilio error code (21610, 21211, 21614, 30005, 30006...). It records the status
callbacks Twilio would send, signed with the auth token, for the test to deliver (in order, out
of order, twice), or posts them itself over HTTP to a live server.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from aiohttp import ClientSession, web
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-not-a-secret"
FROM = "+32460000000"
ERROR_CODES = (21610, 21211, 21614, 30005, 30006)
_ERROR_TEXT = {
    21610: "Attempt to send to unsubscribed recipient",
    21211: "Invalid 'To' Phone Number",
    21614: "'To' number is not a valid mobile number",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
}


@dataclass
class Callback:
    url: str
    params: dict[str, str]
    signature: str


@dataclass
class FakeTwilio:
    host: str = "127.0.0.1"
    auth_token: str = AUTH_TOKEN
    # Each create answers with the next scripted behaviour, or succeeds when none is left.
    script: deque[str] = field(default_factory=deque)
    timeout_seconds: float = 5.0
    # Status callbacks to emit for each accepted message, in order.
    statuses: tuple[str, ...] = ("sent", "delivered")
    post_callbacks: bool = False
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    callbacks: list[Callback] = field(default_factory=list)
    requests: int = 0
    port: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()

    # -- control ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def fail_next(self, *behaviours: str) -> None:
        """'500', '500-created' (created, then 500), '429', 'timeout' (longer than the client
        waits; nothing created), or a Twilio error code."""
        with self._lock:
            self.script.extend(behaviours)

    def start(self) -> FakeTwilio:
        self._thread = threading.Thread(target=self._serve, name="fake-twilio", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake Twilio did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        future.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def take_callbacks(self) -> list[Callback]:
        with self._lock:
            taken, self.callbacks = self.callbacks, []
        return taken

    # -- server ----------------------------------------------------------------------------
    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._startup())
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _startup(self) -> None:
        app = web.Application()
        base = "/2010-04-01/Accounts/{account}/Messages"
        app.router.add_post(base + ".json", self._create)
        app.router.add_get(base + ".json", self._list)
        app.router.add_get(base + "/{sid}.json", self._fetch)
        app.router.add_post("/raw", self._raw)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, self.port))
        sock.listen(1024)
        self.port = sock.getsockname()[1]
        # aiohttp also sets TCP_NODELAY on every accepted connection (tcp_nodelay=True).
        await web.SockSite(self._runner, sock).start()
        self._session = ClientSession()

    async def _shutdown(self) -> None:
        await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    async def _raw(self, request: web.Request) -> web.Response:
        """The ceiling: a POST that parses its form and answers JSON, doing nothing else."""
        await request.post()
        return web.json_response({"ok": True}, status=201)

    def _error(self, status: int, code: int, message: str) -> web.Response:
        return web.json_response(
            {"code": code, "message": message, "more_info": "", "status": status}, status=status
        )

    def _authorised(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        import base64

        expected = base64.b64encode(f"{ACCOUNT_SID}:{self.auth_token}".encode()).decode()
        return auth == f"Basic {expected}"

    async def _create(self, request: web.Request) -> web.Response:
        self.requests += 1
        if not self._authorised(request):
            return self._error(401, 20003, "Authenticate")
        form = {k: str(v) for k, v in (await request.post()).items()}
        with self._lock:
            behaviour = self.script.popleft() if self.script else None
        if behaviour == "timeout":
            # Answer too late and create nothing: a late message would leak into the next test.
            await asyncio.sleep(self.timeout_seconds)
            return self._error(504, 20504, "Gateway Timeout")
        if behaviour == "429":
            return self._error(429, 20429, "Too Many Requests")
        if behaviour == "500":
            return self._error(500, 20500, "Internal Server Error")
        if behaviour and behaviour.isdigit():
            code = int(behaviour)
            return self._error(400, code, _ERROR_TEXT.get(code, "refused"))
        if not form.get("To") or not (form.get("From") or form.get("MessagingServiceSid")):
            return self._error(
                400, 21604, "A 'To' and a 'From' or MessagingServiceSid are required"
            )
        message = self._store(form)
        if behaviour == "500-created":
            return self._error(500, 20500, "Internal Server Error")
        return web.json_response(message, status=201)

    def _store(self, form: dict[str, str]) -> dict[str, Any]:
        sid = f"SM{next(self._ids):032x}"
        now = format_datetime(datetime.now(UTC), usegmt=True)
        message = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "to": form["To"],
            "from": form.get("From") or FROM,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body", ""),
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "date_created": now,
            "date_updated": now,
            "date_sent": now,
            "validity_period": form.get("ValidityPeriod"),
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }
        with self._lock:
            self.messages[sid] = message
        callback = form.get("StatusCallback")
        if callback:
            for status in self.statuses:
                self._emit(callback, sid, message, status)
        return message

    def _emit(self, url: str, sid: str, message: dict[str, Any], status: str) -> None:
        params = {
            "AccountSid": ACCOUNT_SID,
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "To": message["to"],
            "From": message["from"],
        }
        if status in {"undelivered", "failed"} and message.get("error_code"):
            params["ErrorCode"] = str(message["error_code"])
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        callback = Callback(url=url, params=params, signature=signature)
        with self._lock:
            self.callbacks.append(callback)
        if self.post_callbacks:
            asyncio.get_running_loop().create_task(self._post(callback))

    async def _post(self, callback: Callback) -> None:
        try:
            async with self._session.post(
                callback.url,
                data=callback.params,
                headers={"X-Twilio-Signature": callback.signature},
            ) as response:
                await response.read()
        except Exception:  # noqa: S110 - a lost callback is what Twilio does too
            pass

    async def _list(self, request: web.Request) -> web.Response:
        to = request.query.get("To")
        after = request.query.get("DateSent>")
        since = datetime.fromisoformat(after.replace("Z", "+00:00")) if after else None
        with self._lock:
            found = [
                m
                for m in self.messages.values()
                if (to is None or m["to"] == to)
                and (since is None or parsedate_to_datetime(m["date_sent"]) >= since)
            ]
        return web.json_response(
            {
                "messages": found,
                "page": 0,
                "page_size": 50,
                "first_page_uri": request.path_qs,
                "next_page_uri": None,
                "previous_page_uri": None,
                "uri": request.path_qs,
                "end": len(found),
                "start": 0,
            }
        )

    async def _fetch(self, request: web.Request) -> web.Response:
        message = self.messages.get(request.match_info["sid"])
        if message is None:
            return self._error(404, 20404, "not found")
        return web.json_response(message)


def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)
