"""A local stand-in for Twilio's Messages API, for tests and benchmarks. Never the internet.

A real HTTP server (aiohttp, on its own thread and event loop) that the real `twilio` SDK talks
to through TWILIO_API_BASE_URL. TCP_NODELAY is set on its sockets: without it a response's
headers and body leave as two writes and Nagle plus delayed ACK add ~40 ms to each (DOMAIN §6).

It answers the message list as Twilio does (`GET .../Messages.json?To=...&DateSent>=...`, newest
first, in pages with `next_page_uri`), which the dispatcher uses to find out whether a message it
is unsure of was created.

Faults, scripted one by one (`fail_next`, `fail_next_lookup`) or drawn at random (`chaos`):
a create can answer any HTTP status (500, 503, 429...), 500 after creating the message, time out
with or without having created it, answer slowly, or refuse with a Twilio error code (21610,
21211, 21614, 30005, 30006...); a look-up can answer 500 or time out. It records the status
callbacks Twilio would send, signed with the auth token, for the test to deliver (in order, out
of order, twice), or posts them itself over HTTP to a live server.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import random
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

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
    # Look-ups (the message list) answer the next scripted behaviour: 'list-500', 'list-timeout'.
    list_script: deque[str] = field(default_factory=deque)
    # How long a 'slow' answer takes (less than the client waits: it arrives, late).
    slow_seconds: float = 0.2
    requests: int = 0
    list_requests: int = 0
    port: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        # Every sid in creation order, per number: the list answers from these, newest first.
        self._by_to: dict[str, list[str]] = {}
        self._sent_at: dict[str, datetime] = {}
        self._chaos: tuple[float, tuple[str, ...], tuple[str, ...], random.Random] | None = None
        self.faults: dict[str, int] = {}

    # -- control ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def fail_next(self, *behaviours: str) -> None:
        """For the next creates, in order: an HTTP status ('500', '503', '429'...),
        '500-created' (created, then 500), 'timeout' (longer than the client waits; nothing
        created), 'timeout-created' (created, then answered too late), 'slow' (created, answered
        after `slow_seconds`), or a Twilio error code ('21211', '21610'...): refused, 400."""
        with self._lock:
            self.script.extend(behaviours)

    def fail_next_lookup(self, *behaviours: str) -> None:
        """For the next look-ups (message list pages): 'list-500' or 'list-timeout'."""
        with self._lock:
            self.list_script.extend(behaviours)

    def chaos(
        self,
        rate: float,
        *,
        creates: tuple[str, ...] = (
            "500",
            "500-created",
            "503",
            "429",
            "timeout",
            "timeout-created",
            "slow",
        ),
        lookups: tuple[str, ...] = ("list-500", "list-timeout"),
        seed: int = 1,
    ) -> None:
        """From now on, each create and each look-up fails with probability `rate`, with a
        fault drawn from `creates` / `lookups` (a scripted behaviour, if any, comes first).
        `chaos(0)` ends it."""
        with self._lock:
            self._chaos = (rate, creates, lookups, random.Random(seed)) if rate > 0 else None

    def _next(self, script: deque[str], kind: int) -> str | None:
        with self._lock:
            if script:
                behaviour: str | None = script.popleft()
            elif self._chaos is not None:
                rate, creates, lookups, rng = self._chaos
                pool = (creates, lookups)[kind]
                behaviour = rng.choice(pool) if pool and rng.random() < rate else None
            else:
                behaviour = None
            if behaviour is not None:
                self.faults[behaviour] = self.faults.get(behaviour, 0) + 1
            return behaviour

    def reset(self) -> None:
        """Forget messages, scripts, faults and callbacks (between tests)."""
        with self._lock:
            self.script.clear()
            self.list_script.clear()
            self.messages.clear()
            self._by_to = {}
            self._sent_at = {}
            self.callbacks = []
            self.faults = {}
            self._chaos = None
            self.requests = self.list_requests = 0

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
        expected = base64.b64encode(f"{ACCOUNT_SID}:{self.auth_token}".encode()).decode()
        return auth == f"Basic {expected}"

    async def _create(self, request: web.Request) -> web.Response:
        self.requests += 1
        if not self._authorised(request):
            return self._error(401, 20003, "Authenticate")
        form = {k: str(v) for k, v in (await request.post()).items()}
        behaviour = self._next(self.script, 0)
        if behaviour == "timeout":
            # Answer too late and create nothing.
            await asyncio.sleep(self.timeout_seconds)
            return self._error(504, 20504, "Gateway Timeout")
        if behaviour == "429":
            return self._error(429, 20429, "Too Many Requests")
        if behaviour and behaviour.isdigit() and len(behaviour) == 3:
            status = int(behaviour)
            return self._error(status, 20000 + status, f"HTTP {status}")
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
        if behaviour == "timeout-created":
            await asyncio.sleep(self.timeout_seconds)
            return self._error(504, 20504, "Gateway Timeout")
        if behaviour == "slow":
            await asyncio.sleep(self.slow_seconds)
        return web.json_response(message, status=201)

    def _store(self, form: dict[str, str]) -> dict[str, Any]:
        sid = f"SM{next(self._ids):032x}"
        created = datetime.now(UTC).replace(microsecond=0)
        now = format_datetime(created, usegmt=True)
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
            self._by_to.setdefault(message["to"], []).append(sid)
            self._sent_at[sid] = created
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
        """Messages, newest first, filtered by To, From and DateSent (`DateSent>=`, `DateSent<=`
        or `DateSent=`, a date or a date and time), in pages of PageSize (at most 1000) with a
        next_page_uri, as Twilio answers."""
        self.list_requests += 1
        if not self._authorised(request):
            return self._error(401, 20003, "Authenticate")
        behaviour = self._next(self.list_script, 1)
        if behaviour == "list-timeout":
            await asyncio.sleep(self.timeout_seconds)
            return self._error(504, 20504, "Gateway Timeout")
        if behaviour == "list-500":
            return self._error(500, 20500, "Internal Server Error")
        query = request.query
        to, sender = query.get("To"), query.get("From")
        after, before, on = (_when(query.get(k)) for k in ("DateSent>", "DateSent<", "DateSent"))
        page_size = max(1, min(1000, int(query.get("PageSize", "50"))))
        page = max(0, int(query.get("Page", "0")))
        with self._lock:
            sids = self._by_to.get(to, []) if to is not None else list(self.messages)
            newest_first = [
                (self.messages[s], self._sent_at[s]) for s in reversed(sids) if s in self.messages
            ]
        if to is None:
            newest_first.sort(key=lambda pair: pair[1], reverse=True)
        found = []
        for m, sent in newest_first:
            if sender is not None and m["from"] != sender:
                continue
            if after is not None and not _on_or_after(sent, after):
                continue
            if before is not None and not _on_or_before(sent, before):
                continue
            if on is not None and not (_on_or_after(sent, on) and _on_or_before(sent, on)):
                continue
            found.append(m)
        start = page * page_size
        chunk = found[start : start + page_size]
        base = request.path
        params = {k: v for k, v in query.items() if k not in {"Page", "PageToken", "PageSize"}}

        def uri(number: int) -> str:
            extra = {"PageSize": str(page_size), "Page": str(number)}
            if number:
                extra["PageToken"] = f"PA{number}"
            return base + "?" + urlencode({**params, **extra})

        more = start + page_size < len(found)
        return web.json_response(
            {
                "messages": chunk,
                "page": page,
                "page_size": page_size,
                "first_page_uri": uri(0),
                "next_page_uri": uri(page + 1) if more else None,
                "previous_page_uri": uri(page - 1) if page else None,
                "uri": uri(page),
                "start": start,
                "end": start + len(chunk) - 1 if chunk else start,
            }
        )

    async def _fetch(self, request: web.Request) -> web.Response:
        message = self.messages.get(request.match_info["sid"])
        if message is None:
            return self._error(404, 20404, "not found")
        return web.json_response(message)


def _when(value: str | None) -> datetime | str | None:
    """A DateSent filter: a date ('2026-03-02', compared by day) or a date and time."""
    if not value:
        return None
    if len(value) == 10:
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _on_or_after(sent: datetime, bound: datetime | str) -> bool:
    if isinstance(bound, str):
        return sent.astimezone(UTC).date().isoformat() >= bound
    return sent >= bound


def _on_or_before(sent: datetime, bound: datetime | str) -> bool:
    if isinstance(bound, str):
        return sent.astimezone(UTC).date().isoformat() <= bound
    return sent <= bound


def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)
