"""Pure rules of the web layer: session lifetimes, language choice, form values."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from perp_track.errors import Invalid
from perp_track.ui.page_errors import PageError

# The languages the pages are translated into; the first is the fallback (Liège is French).
LANGUAGES = ("fr", "nl", "en")
DEFAULT_LANGUAGE = "fr"

# A session is written back at most this often, so reading a page is not always a write.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class SessionTimes:
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None


def session_is_live(times: SessionTimes, *, now: datetime, idle: timedelta) -> bool:
    """Not ended, within its absolute lifetime, and used recently enough."""
    if times.ended_at is not None:
        return False
    if now >= times.expires_at:
        return False
    return now - times.last_seen_at < idle


def needs_touch(last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at >= TOUCH_EVERY


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _quality(part: str) -> float:
    for param in part.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def negotiate_language(accept_language: str | None) -> str | None:
    """The best of our languages for an Accept-Language header, or None (RFC 9110 §12.5.4)."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        quality = _quality(part)
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def choose_language(*, profile: str | None, chosen: str | None, accept_language: str | None) -> str:
    """A logged-in user's profile wins; then the visitor's own choice; then the browser's."""
    for candidate in (profile, chosen):
        if candidate in LANGUAGES:
            return candidate
    return negotiate_language(accept_language) or DEFAULT_LANGUAGE


def local_datetime(value: str, tz: ZoneInfo, what: str) -> datetime:
    """A datetime-local form value (wall-clock time in the office's zone) made aware."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(PageError.DATE_AND_TIME, field=what) from None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=tz)


def form_date(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(PageError.NOT_A_DATE, value=value) from None


def safe_next(path: str | None, *, login_page: bool = False) -> str:
    """Where to go next: only a page of this site, never another site.

    After logging in, going back to the login page would make no sense; after changing the
    language on it (login_page=True), it is where the person was.
    """
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    if login_page and path == "/login":
        return path
    if path.startswith(("/login", "/logout", "/api")):
        return "/"
    return path
