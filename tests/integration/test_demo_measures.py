"""`make run` shows the measures features: a roll-call, a decision awaited, a ban ending."""

from __future__ import annotations

from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.caseload import services as caseload
from perp_track.config import load_settings
from perp_track.demo.load import load_demo
from perp_track.summons.programme.views import list_sessions
from perp_track.summons.tables import ProgrammeSession


async def acting(email_start: str) -> ActingUser:
    row = await User.select().where(User.email.like(f"{email_start}%")).first()
    assert row is not None
    return ActingUser(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        role=Role(row["role"]),
        organisation_id=row["organisation"],
        language=row["language"],
    )


async def test_demo_shows_measures_features(database, clock):
    assert await load_demo(clock=clock)
    settings = load_settings(env="test")
    anne, pieter, karim = [await acting(p) for p in ("anne.", "pieter.", "karim.")]
    anne_due = {
        r.attention for r in await caseload.overdue(actor=anne, now=clock.now(), settings=settings)
    }
    assert "ban_ending" in anne_due
    pieter_due = {
        r.attention
        for r in await caseload.overdue(actor=pieter, now=clock.now(), settings=settings)
    }
    assert "awaiting_decision" in pieter_due
    sessions = await list_sessions(actor=karim, starts_from=None, starts_before=None)
    assert len(sessions) == 4
    held = [s for s in sessions if s.roll_call_at is not None]
    assert len(held) == 2
    assert all(p.outcome is not None for s in held for p in s.participants)
    # Last night's group waits for its roll-call: the programme staff's journey starts there.
    to_do = [s for s in sessions if s.roll_call_at is None and s.starts_at <= clock.now()]
    assert len(to_do) == 1
    assert await ProgrammeSession.count() == 4


async def test_every_event_the_services_write_is_told_from_its_data_in_each_language(
    database, clock
):
    """The demo goes through the real services: each event they wrote carries in its data what
    describe() needs in French, Dutch and English, and none stores an English sentence."""
    from perp_track.cases.tables import CaseEvent
    from perp_track.i18n.events import TITLE_ONLY, describe
    from perp_track.measures.tables import Condition

    assert await load_demo(clock=clock)
    kinds = {c["id"]: c["kind"] for c in await Condition.select(Condition.id, Condition.kind)}
    events = await CaseEvent.select().output(load_json=True)
    assert len({e["kind"] for e in events}) > 10
    assert {e["summary"] for e in events} == {""}
    for event in events:
        if event["kind"] in TITLE_ONLY:
            continue
        told = {lang: describe(event, lang, condition_kinds=kinds) for lang in ("fr", "nl", "en")}
        assert all(told.values()), (event["kind"], event["data"], told)
        assert told["fr"] != told["en"] and told["nl"] != told["en"], told
