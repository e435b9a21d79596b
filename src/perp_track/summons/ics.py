"""An iCalendar (RFC 5545) file for one summons: pure, no library needed for one VEVENT."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.1)."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current = b""
            limit = 74  # the leading space of a continuation line counts
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    duration_minutes: int
    summary: str
    description: str
    location: str | None
    sequence: int
    cancelled: bool
    created_at: datetime


def calendar(event: CalendarEvent, *, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//perp-track//summons//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:" + ("CANCEL" if event.cancelled else "PUBLISH"),
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp(now)}",
        f"CREATED:{stamp(event.created_at)}",
        f"DTSTART:{stamp(event.starts_at)}",
        f"DTEND:{stamp(event.starts_at + timedelta(minutes=event.duration_minutes))}",
        f"SEQUENCE:{event.sequence}",
        "STATUS:" + ("CANCELLED" if event.cancelled else "CONFIRMED"),
        f"SUMMARY:{escape(event.summary)}",
        f"DESCRIPTION:{escape(event.description)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if not event.cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-P1D",
            f"DESCRIPTION:{escape(event.summary)}",
            "END:VALARM",
        ]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
