"""Web sessions: start at login, resume on each page, end at logout or by time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from perp_track import db
from perp_track.auth import services as auth_services
from perp_track.auth.rules import ActingUser, token_digest
from perp_track.auth.tables import User
from perp_track.clock import Clock
from perp_track.errors import Invalid
from perp_track.ui import rules
from perp_track.ui.page_errors import PageError
from perp_track.ui.tables import WebSession

# How long an ended or expired session row is kept before the next login sweeps it away.
_KEEP_DEAD = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Started:
    token: str  # goes into the cookie, never stored
    user: ActingUser


@dataclass(slots=True)
class LiveSession:
    """What a page request knows of its session (scope['auth'] on page routes)."""

    id: int
    csrf_token: str
    flash: list[dict[str, str]] = field(default_factory=list)


async def start_session(
    *,
    email: str,
    password: str,
    clock: Clock,
    lifetime: timedelta,
    totp_code: str | None = None,
    client: str | None = None,
    secret_key: str | None = None,
    max_failures: int = 6,
    lockout: timedelta = timedelta(minutes=30),
) -> Started:
    """Pass the login gate (password, lockout, second factor; every attempt logged) and open
    a new session."""
    user = await auth_services.verify_credentials(
        email=email,
        password=password,
        clock=clock,
        totp_code=totp_code,
        client=client,
        secret_key=secret_key,
        max_failures=max_failures,
        lockout=lockout,
    )
    now = clock.now()
    token = rules.new_secret()
    async with db.transaction():
        await WebSession.delete().where(WebSession.expires_at < now - _KEEP_DEAD)
        await WebSession.insert(
            WebSession(
                token_hash=token_digest(token),
                user=user.id,
                csrf_token=rules.new_secret(),
                created_at=now,
                last_seen_at=now,
                expires_at=now + lifetime,
            )
        )
    return Started(token=token, user=user)


async def resume_session(
    *, token: str, clock: Clock, idle: timedelta
) -> tuple[ActingUser, LiveSession] | None:
    """The user and session behind a cookie, or None when it is unknown, ended or timed out."""
    now = clock.now()
    row = (
        await WebSession.select(
            WebSession.id,
            WebSession.csrf_token,
            WebSession.created_at,
            WebSession.last_seen_at,
            WebSession.expires_at,
            WebSession.ended_at,
            WebSession.flash,
            *WebSession.user.all_columns(exclude=[WebSession.user.password_hash]),
        )
        .where(WebSession.token_hash == token_digest(token))
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    times = rules.SessionTimes(
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        expires_at=row["expires_at"],
        ended_at=row["ended_at"],
    )
    if not rules.session_is_live(times, now=now, idle=idle) or not row["user.active"]:
        if row["ended_at"] is None:
            await WebSession.update({WebSession.ended_at: now}).where(WebSession.id == row["id"])
        return None
    if rules.needs_touch(row["last_seen_at"], now):
        await WebSession.update({WebSession.last_seen_at: now}).where(WebSession.id == row["id"])
    user = auth_services.acting(
        {key.removeprefix("user."): value for key, value in row.items()} | {"id": row["user.id"]}
    )
    return user, LiveSession(id=row["id"], csrf_token=row["csrf_token"], flash=row["flash"] or [])


async def end_session(*, session_id: int, clock: Clock) -> None:
    await WebSession.update({WebSession.ended_at: clock.now()}).where(
        (WebSession.id == session_id) & WebSession.ended_at.is_null()
    )


async def add_flash(
    *,
    session_id: int,
    level: str,
    message: str,
    target: str | None = None,
    back: str | None = None,
) -> None:
    """Keep a message for the next page this session shows; `target` is the id of the element
    it confirms (the page scrolls there, so the message stays in view beside it)."""
    async with db.transaction():
        row = await WebSession.select(WebSession.flash).where(WebSession.id == session_id).first()
        if row is None:
            return
        current = _as_list(row["flash"])
        current.append(
            {
                "level": level,
                "message": message,
                **({"target": target} if target else {}),
                # The list the form was reached from: the confirmation offers the way back.
                **({"back": back} if back else {}),
            }
        )
        await WebSession.update({WebSession.flash: current[-5:]}).where(WebSession.id == session_id)


async def clear_flash(*, session_id: int) -> None:
    await WebSession.update({WebSession.flash: []}).where(WebSession.id == session_id)


def _as_list(value: Any) -> list[dict[str, str]]:
    if isinstance(value, str):  # SQLite hands JSON back as text
        value = json.loads(value or "[]")
    return list(value or [])


async def set_language(*, actor: ActingUser, language: str) -> None:
    """The page language a user chose becomes their profile's language (SMS and e-mail too)."""
    if language not in rules.LANGUAGES:
        raise Invalid(
            PageError.LANGUAGE_UNKNOWN, languages=list(rules.LANGUAGES), language=language
        )
    await User.update({User.language: language}).where(User.id == actor.id)
