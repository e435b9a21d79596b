"""DOMAIN §4, restated here on its own: each event produces exactly the messages the table says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perp_track.cases.rules import RiskLevel
from perp_track.cases.tables import Case, CaseEvent
from perp_track.measures.rules import MeasureEvent, MeasureKind
from perp_track.measures.schemas import MeasureTransitionIn
from perp_track.measures.services import transition_measure
from perp_track.notify.rules import Notice
from perp_track.notify.services import queue_notice
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import consenting_case, outbox
from tests.world import World

STAFF = {"in_app", "email"}
OFFICER = {("referring_officer", c) for c in STAFF}
SAPV = {("sapv_contact", c) for c in STAFF}
VICTIM = {("victim", "sms"), ("sapv_contact", "in_app:copy")}
PERPETRATOR = {("perpetrator", "sms")}

# The table of DOMAIN §4 (and the summons reminders to the perpetrator).
TABLE = {
    Notice.PROTECTIVE_MEASURE_OPENED: OFFICER | SAPV | VICTIM,
    Notice.BAN_EXTENDED: OFFICER | SAPV | VICTIM,
    Notice.BAN_LIFTED: OFFICER | SAPV | VICTIM,
    Notice.BAN_EXPIRED: OFFICER | SAPV | VICTIM,
    Notice.ADP_RENEWED: OFFICER | SAPV | VICTIM,
    Notice.PROTECTION_ENDING: OFFICER | SAPV | VICTIM,
    Notice.BAN_BREACH_REPORTED: OFFICER | SAPV,  # the victim: the SAPV contact decides
    Notice.PROGRAMME_INTERRUPTED: OFFICER | SAPV | VICTIM,
    Notice.REPEATED_MISSED_SUMMONS: OFFICER,
    Notice.REPEATED_PROGRAMME_ABSENCES: OFFICER,
    Notice.PROGRAMME_COMPLETED: OFFICER,
    Notice.NON_COMPLIANCE_REPORTED: OFFICER,
    Notice.AUTHORITY_DECISION: OFFICER | SAPV | VICTIM,
    Notice.MEASURE_CLOSED: OFFICER | SAPV | VICTIM,
    Notice.PERPETRATOR_ADDRESS_CHANGED: OFFICER,  # never the SAPV contact, never the victim
    Notice.SUMMONS_SCHEDULED: PERPETRATOR,
    Notice.SUMMONS_RESCHEDULED: PERPETRATOR,
    Notice.SUMMONS_CANCELLED: PERPETRATOR,
    Notice.SUMMONS_REMINDER: PERPETRATOR,
    Notice.ATTENDANCE_NOT_RECORDED: {("justice_assistant", "in_app")},
    Notice.REPORT_DUE: {("justice_assistant", "in_app"), ("justice_assistant", "email")},
    Notice.REPORT_OVERDUE: {("justice_assistant", "in_app"), ("justice_assistant", "email")},
    # The case's people changed: the new justice assistant, the new referring officer.
    Notice.CASE_ASSIGNED: {("justice_assistant", "in_app"), ("justice_assistant", "email")},
    Notice.REFERRAL_TRANSFERRED: OFFICER,
}


def _who(rows):
    return {
        (r["audience"], r["channel"] + (":copy" if r["template"] == "victim_copy" else ""))
        for r in rows
    }


@pytest.mark.parametrize("notice", list(Notice))
async def test_each_event_tells_exactly_whom_the_table_says(world: World, notice: Notice):
    case = await consenting_case(world, language="nl")
    row = await Case.select().where(Case.id == case.id).first()
    now = world.clock.now()
    event = CaseEvent(case=case.id, kind="test", occurred_at=now, summary="test")
    await event.save()
    await queue_notice(
        notice=notice, case=row, event_id=int(event.id), payload={"missed": 2}, now=now
    )
    # The rows this event wrote (her number's confirmation wrote its own before).
    rows = await outbox(event=int(event.id))
    assert _who(rows) == TABLE[notice]
    assert all(r["state"] == "queued" for r in rows)
    # Each in their own language: the officer and SAPV contact fr, the victim nl (her profile).
    languages = {r["audience"]: r["language"] for r in rows if r["template"] != "victim_copy"}
    if "victim" in languages:
        assert languages["victim"] == "nl"


async def test_a_ban_extended_then_lifted_through_the_measure_services(world: World):
    case = await consenting_case(world)
    seen: set[int] = set()

    async def new_rows():
        rows = [r for r in await outbox() if r["id"] not in seen]
        seen.update(r["id"] for r in rows)
        return rows

    measure = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    assert _who(await new_rows()) == TABLE[Notice.PROTECTIVE_MEASURE_OPENED]
    await transition_measure(
        actor=world.ja,
        measure_id=measure.id,
        data=MeasureTransitionIn(
            event=MeasureEvent.EXTEND,
            reason="Family court extended the ban",
            ends_on=measure.ends_on + timedelta(days=30),
            version=measure.version,
        ),
        clock=world.clock,
    )
    assert _who(await new_rows()) == TABLE[Notice.BAN_EXTENDED]
    await transition_measure(
        actor=world.ja,
        measure_id=measure.id,
        data=MeasureTransitionIn(
            event=MeasureEvent.LIFT,
            reason="Lifted by the family court",
            version=measure.version + 1,
        ),
        clock=world.clock,
    )
    assert _who(await new_rows()) == TABLE[Notice.BAN_LIFTED]


async def test_a_first_missed_summons_tells_nobody(world: World):
    from perp_track.summons.rules import Modality, Outcome
    from perp_track.summons.schemas import AttendanceIn, SummonsCreate
    from perp_track.summons.services import record_attendance, schedule_summons

    # Below the risk policy's loop tier: at high risk the closed loop answers it instead.
    case = await world.open_case(risk_level=RiskLevel.MEDIUM)
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1), modality=Modality.PHONE),
    )
    before = len(await outbox())
    world.clock.advance(timedelta(days=2))
    await record_attendance(
        actor=world.ja,
        summons_id=summons.id,
        clock=world.clock,
        data=AttendanceIn(outcome=Outcome.ABSENT_NO_VALID_REASON, version=summons.version),
    )
    assert len(await outbox()) == before
