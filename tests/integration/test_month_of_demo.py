"""A month of the demo data with the clock moved by hand, every job run as the scheduler would:
each reminder, deadline alert and ending-ban message once, on time, to the right people."""

import os
from collections import Counter
from datetime import timedelta

from perp_track.cases.tables import CaseEvent
from perp_track.demo.load import load_demo
from perp_track.measures.tables import Measure
from perp_track.notify.tables import Notification
from perp_track.scheduler import run_all_once
from perp_track.summons.rules import reminder_times
from perp_track.summons.tables import Summons
from tests.fakes.fixtures import *  # noqa: F403

# The scheduler's runs, every DEMO_WALK_STEP_HOURS: 5 in `make test` (the hour of the runs moves
# from day to day), 2 in `make test-full`.
STEP = timedelta(hours=int(os.environ.get("DEMO_WALK_STEP_HOURS", "5")))
DAYS = 30


async def test_a_month_of_the_demo(database, clock, notify_settings, twilio, smtp):
    assert await load_demo(clock)
    start = clock.now()
    summons = {s["id"]: s for s in await Summons.select().where(Summons.scheduled_at > start)}
    bans_ending = await Measure.select().where(
        (Measure.kind == "temporary_residence_ban") & Measure.status.is_in(["active", "extended"])
    )
    assert summons, "the demo has summons to come"
    assert bans_ending, "the demo has a ban in force"

    instants = []
    while clock.now() < start + timedelta(days=DAYS):
        instants.append(clock.now())
        results = await run_all_once(notify_settings, clock, "walker")
        assert {r.outcome for r in results} <= {"ok"}, results
        clock.advance(STEP)

    rows = await Notification.select().output(load_json=True)
    # Reminders: once per (summons, reminder), none after the summons began, all to its person.
    reminders = [r for r in rows if r["template"] == "summons_reminder"]
    per_key = Counter((r["event"], r["recipient_person"]) for r in reminders)
    assert per_key and max(per_key.values()) == 1
    events = {
        e["id"]: e for e in await CaseEvent.select().where(CaseEvent.kind == "summons_reminder")
    }
    per_summons = Counter(
        (events[r["event"]]["summons_id"], r["payload"]["reminder"]) for r in reminders
    )
    assert max(per_summons.values()) == 1
    for r in reminders:
        s = summons[events[r["event"]]["summons_id"]]
        assert r["created_at"] < s["scheduled_at"]
        assert r["not_after"] == s["scheduled_at"]
        if r["state"] in {"sent", "delivered"}:
            assert r["sent_at"] <= s["scheduled_at"]
    # Every summons got its morning reminder when a run fell between 08:00 and its start.
    for s in summons.values():
        times = reminder_times(
            s["scheduled_at"],
            days_before=notify_settings.reminder_days,
            send_hour=notify_settings.reminder_hour,
            morning_hour=notify_settings.reminder_morning_hour,
            tz=notify_settings.tz,
        )
        morning = times.get("morning")
        if morning and any(morning <= t < s["scheduled_at"] for t in instants):
            assert (s["id"], "morning") in per_summons

    # Bans: warned 7 days, 1 day and on the day (once each), then lapsed and told.
    for ban in bans_ending:
        ban_events = (
            await CaseEvent.select()
            .where((CaseEvent.measure_id == ban["id"]) & (CaseEvent.kind == "protection_ending"))
            .output(load_json=True)
        )
        alerts = Counter(e["data"]["alert"] for e in ban_events)
        assert set(alerts.values()) == {1}
        assert 0 in alerts
        assert (await Measure.select(Measure.status).where(Measure.id == ban["id"]).first())[
            "status"
        ] == "expired"
    ended = [r for r in rows if r["template"] == "ban_expired"]
    assert {r["audience"] for r in ended} >= {"referring_officer", "sapv_contact"}

    # What could be sent was sent, through the fake Twilio and the local SMTP server.
    states = Counter(r["state"] for r in rows)
    assert states["queued"] == 0, states
    assert twilio.messages
    assert smtp.messages
