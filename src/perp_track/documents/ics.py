"""An iCalendar (RFC 5545) file for one summons, written by the `icalendar` library (escaping,
line folding, property order and value types are its business, not ours).

One summons keeps one UID from its first scheduling through every move: the moved summons is
the same calendar event at a higher SEQUENCE, and the row it replaced cancels it (METHOD:CANCEL)
at a lower one, so a calendar that holds both keeps the newer. Times are written in UTC, which
every calendar shows in its own zone (Europe/Brussels for the justice house).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PRODID = "-//perp-track//summons//EN"


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str
    role: str = "REQ-PARTICIPANT"


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
    attendees: tuple[Attendee, ...] = ()


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def calendar(event: CalendarEvent, *, now: datetime) -> str:
    # Imported here: the library takes ~0.1 s to import, and a process may never write a file.
    from icalendar import Alarm, Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", _utc(now))
    vevent.add("created", _utc(event.created_at))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.starts_at + timedelta(minutes=event.duration_minutes)))
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    for person in event.attendees:
        address = vCalAddress(f"mailto:{person.email}")
        address.params["cn"] = vText(person.name)
        address.params["role"] = vText(person.role)
        vevent.add("attendee", address, encode=False)
    if not event.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(days=-1))
        alarm.add("description", event.summary)
        vevent.add_component(alarm)
    cal.add_component(vevent)
    return cal.to_ical().decode()
