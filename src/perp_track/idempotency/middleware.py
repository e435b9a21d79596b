"""Idempotency-Key on POST: a retried request returns the first answer and never creates twice.

The first request with a key claims it (a row without a response); its answer is then stored.
A retry with the same key and the same request replays that answer; the same key with another
request is refused (422); a retry while the first is still running answers 409. A 5xx is not
kept, so the client may try again with the same key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from perp_track.auth.rules import ActingUser
from perp_track.idempotency.tables import IdempotencyRecord

log = logging.getLogger("perp_track")

HEADER = b"idempotency-key"
MAX_KEY = 200
MAX_BODY = 1024 * 1024


async def _answer(send: Send, status: int, body: dict[str, Any] | bytes, **headers: str) -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    content_type = headers.pop("content_type", "application/json")
    out = [(b"content-type", content_type.encode()), (b"content-length", str(len(raw)).encode())]
    out += [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": raw, "more_body": False})


def _problem(status: int, detail: str) -> dict[str, Any]:
    return {"status_code": status, "detail": detail}


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        key_raw = dict(scope.get("headers", [])).get(HEADER)
        user = scope.get("user")
        if key_raw is None or not isinstance(user, ActingUser):
            await self.app(scope, receive, send)
            return
        key = key_raw.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY or not key.isprintable():
            await _answer(
                send, 422, _problem(422, f"Idempotency-Key must be 1 to {MAX_KEY} characters")
            )
            return
        body = b""
        more = True
        while more:
            message: Any = await receive()
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > MAX_BODY:
                await _answer(send, 413, _problem(413, "the request body is too large"))
                return
        path = scope["path"]
        digest = hashlib.sha256(
            b"\0".join([b"POST", path.encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        state = scope["app"].state
        now = state.clock.now()
        ttl = timedelta(hours=state.settings.idempotency_ttl_hours)
        scope_key = f"{user.id}:{key}"

        existing = (
            await IdempotencyRecord.select().where(IdempotencyRecord.scope_key == scope_key).first()
        )
        if existing is not None and existing["created_at"] < now - ttl:
            await IdempotencyRecord.delete().where(IdempotencyRecord.id == existing["id"])
            existing = None
        if existing is not None:
            await self._replay(existing, path, digest, send)
            return
        try:
            claimed = (
                await IdempotencyRecord.insert(
                    IdempotencyRecord(
                        scope_key=scope_key,
                        user=user.id,
                        method="POST",
                        path=path[:300],
                        request_hash=digest,
                        created_at=now,
                    )
                )
                .on_conflict(target=IdempotencyRecord.scope_key, action="DO NOTHING")
                .returning(IdempotencyRecord.id)
            )
        except Exception:
            log.exception("idempotency: could not claim a key")
            raise
        if not claimed:
            await _answer(
                send, 409, _problem(409, "a request with this Idempotency-Key is still running")
            )
            return
        record_id = claimed[0]["id"]
        await self._run_and_store(scope, body, send, record_id)

    async def _replay(self, row: dict[str, Any], path: str, digest: str, send: Send) -> None:
        if row["path"] != path[:300] or row["request_hash"] != digest:
            await _answer(
                send,
                422,
                _problem(
                    422,
                    "this Idempotency-Key was already used for a different request;"
                    " use a new key for a new request",
                ),
            )
            return
        if row["status_code"] is None:
            await _answer(
                send, 409, _problem(409, "a request with this Idempotency-Key is still running")
            )
            return
        await _answer(
            send,
            row["status_code"],
            (row["response_body"] or "").encode(),
            content_type=row["content_type"] or "application/json",
            idempotent_replayed="true",
        )

    async def _run_and_store(self, scope: Scope, body: bytes, send: Send, record_id: int) -> None:
        sent = False

        async def replay_receive() -> Any:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        status = 500
        content_type = "application/json"
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        except BaseException:
            await IdempotencyRecord.delete().where(IdempotencyRecord.id == record_id)
            raise
        if status >= 500:
            # Nothing was saved (the unit of work rolled back): the client may retry the key.
            await IdempotencyRecord.delete().where(IdempotencyRecord.id == record_id)
            return
        await IdempotencyRecord.update(
            {
                IdempotencyRecord.status_code: status,
                IdempotencyRecord.response_body: b"".join(chunks).decode("utf-8", "replace"),
                IdempotencyRecord.content_type: content_type[:100],
            }
        ).where(IdempotencyRecord.id == record_id)
