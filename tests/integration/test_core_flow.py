"""The justice assistant's core flow through the services, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from perp_track.cases.services import read_case
from perp_track.cases.tables import CaseEvent
from perp_track.errors import Conflict, Invalid, NotFound
from perp_track.measures.rules import ConditionKind, MeasureEvent, MeasureKind
from perp_track.measures.schemas import ConditionCreate, MeasureTransitionIn
from perp_track.measures.services import transition_measure
from perp_track.notify.rules import Audience, Channel, Notice
from perp_track.notify.tables import Notification
from perp_track.summons.rules import Modality, Outcome, RequestedBy
from perp_track.summons.schemas import (
    AttendanceIn,
    SummonsCancel,
    SummonsCreate,
    SummonsReschedule,
)
from perp_track.summons.services import (
    cancel_summons,
    correct_attendance,
    record_attendance,
    reschedule_summons,
    schedule_summons,
)
from tests.world import World


async def sv(summons_id: int) -> int:
    """The version of a summons as a client would have read it."""
    from perp_track.summons.tables import Summons

    row = await Summons.select(Summons.version).where(Summons.id == summons_id).first()
    return int(row["version"])


async def mv(measure_id: int) -> int:
    from perp_track.measures.tables import Measure

    row = await Measure.select(Measure.version).where(Measure.id == measure_id).first()
    return int(row["version"])


async def outbox(template: str | None = None) -> list[dict]:
    query = Notification.select().order_by(Notification.id)
    if template:
        query = query.where(Notification.template == template)
    return await query


async def test_open_case_records_the_event_and_assigns_the_opener(world: World):
    case = await world.open_case()
    assert case.assigned_ja is not None and case.assigned_ja.id == world.ja.id
    assert case.referring_officer.id == world.officer.id
    assert case.victim.sapv_contact.id == world.sapv.id
    assert [e.kind for e in case.timeline] == ["case_opened"]
    assert case.timeline[0].actor.id == world.ja.id
    assert case.reference == f"LIE-2026-{case.id:05d}"


async def test_a_ban_tells_police_and_sapv_in_the_same_transaction(world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        MeasureKind.TEMPORARY_RESIDENCE_BAN,
        conditions=[ConditionCreate(kind=ConditionKind.PLACE_BAN, address="Rue X 1, 4000 Liège")],
    )
    assert measure.status == "active"
    assert measure.ends_on == world.today() + timedelta(days=14)
    rows = await outbox(Notice.PROTECTIVE_MEASURE_OPENED)
    # No consent recorded: the victim's SMS is kept as a suppressed row, never sent.
    victim = [r for r in rows if r["audience"] == Audience.VICTIM]
    assert [r["state"] for r in victim] == ["suppressed"]
    rows = [r for r in rows if r["audience"] != Audience.VICTIM]
    got = {(r["audience"], r["channel"], r["recipient_user"]) for r in rows}
    assert got == {
        (Audience.REFERRING_OFFICER, Channel.IN_APP, world.officer.id),
        (Audience.REFERRING_OFFICER, Channel.EMAIL, world.officer.id),
        (Audience.SAPV_CONTACT, Channel.IN_APP, world.sapv.id),
        (Audience.SAPV_CONTACT, Channel.EMAIL, world.sapv.id),
    }
    assert all(r["state"] == "queued" and r["case"] == case.id for r in rows)
    assert all("Rue X" not in str(r["payload"]) for r in rows), "no address in the outbox"


async def test_a_measure_without_protection_tells_nobody(world: World):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.MEDIATION_216TER, conditions=[world.programme()])
    assert await outbox() == []


async def test_probation_gets_its_general_conditions(world: World):
    case = await world.open_case()
    end = world.today() + timedelta(days=730)
    measure = await world.add_measure(case.id, MeasureKind.PROBATION, ends_on=end)
    kinds = {c.kind for c in measure.conditions}
    assert {ConditionKind.RESPOND_TO_SUMMONS, ConditionKind.REPORT_ADDRESS_CHANGE} <= kinds
    assert measure.status == "assigned"


async def test_summons_flow_moves_the_measure_and_keeps_history(world: World):
    case = await world.open_case()
    measure = await world.add_measure(case.id, conditions=[world.programme()])
    when = world.soon(7)
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=when, modality=Modality.PHONE, measure_id=measure.id),
    )
    assert summons.status == "scheduled"
    assert summons.language == "fr"
    perpetrator_sms = await outbox(Notice.SUMMONS_SCHEDULED)
    assert len(perpetrator_sms) == 1
    assert perpetrator_sms[0]["audience"] == Audience.PERPETRATOR
    assert perpetrator_sms[0]["not_after"] == when

    moved = await reschedule_summons(
        actor=world.ja,
        summons_id=summons.id,
        clock=world.clock,
        data=SummonsReschedule(
            version=await sv(summons.id),
            scheduled_at=when + timedelta(days=2),
            reason="Interpreter ill",
            requested_by=RequestedBy.INTERPRETER,
        ),
    )
    assert moved.id != summons.id
    assert moved.rescheduled_from == summons.id
    assert moved.reschedule_requested_by == "interpreter"

    full = await read_case(actor=world.ja, case_id=case.id)
    old = next(s for s in full.summons if s.id == summons.id)
    assert old.status == "rescheduled" and old.reschedule_reason == "Interpreter ill"
    assert full.measures[0].status == "intake_scheduled"

    world.clock.set(moved.scheduled_at + timedelta(minutes=30))
    attended = await record_attendance(
        actor=world.ja,
        summons_id=moved.id,
        clock=world.clock,
        data=AttendanceIn(version=await sv(moved.id), outcome=Outcome.ATTENDED),
    )
    assert attended.status == "attended"
    full = await read_case(actor=world.ja, case_id=case.id)
    assert full.measures[0].status == "active"
    kinds = [e.kind for e in full.timeline]
    assert kinds == [
        "case_opened",
        "measure_added",
        "summons_scheduled",
        "measure_transition",
        "summons_rescheduled",
        "attendance_recorded",
        "measure_transition",
    ]


async def test_attendance_is_never_recorded_for_the_future(world: World):
    case = await world.open_case()
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1)),
    )
    before = await CaseEvent.count()
    with pytest.raises(Invalid, match="not started"):
        await record_attendance(
            actor=world.ja,
            summons_id=summons.id,
            clock=world.clock,
            data=AttendanceIn(version=await sv(summons.id), outcome=Outcome.ATTENDED),
        )
    assert await CaseEvent.count() == before


async def test_attendance_is_locked_and_corrected_by_a_new_record(world: World):
    case = await world.open_case()
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1)),
    )
    world.clock.advance(timedelta(days=2))
    await record_attendance(
        actor=world.ja,
        summons_id=summons.id,
        clock=world.clock,
        data=AttendanceIn(version=await sv(summons.id), outcome=Outcome.ABSENT_NO_VALID_REASON),
    )
    with pytest.raises(Conflict, match="correction"):
        await record_attendance(
            actor=world.ja,
            summons_id=summons.id,
            clock=world.clock,
            data=AttendanceIn(version=await sv(summons.id), outcome=Outcome.ATTENDED),
        )
    with pytest.raises(Invalid, match="reason"):
        await correct_attendance(
            actor=world.ja,
            summons_id=summons.id,
            clock=world.clock,
            data=AttendanceIn(version=await sv(summons.id), outcome=Outcome.ABSENT_VALID_REASON),
        )
    corrected = await correct_attendance(
        actor=world.ja,
        summons_id=summons.id,
        clock=world.clock,
        data=AttendanceIn(
            version=await sv(summons.id),
            outcome=Outcome.ABSENT_VALID_REASON,
            reason="Hospital certificate",
        ),
    )
    assert corrected.status == "absent_valid_reason"
    assert [a.outcome for a in corrected.attendance] == [
        "absent_no_valid_reason",
        "absent_valid_reason",
    ]
    assert corrected.attendance[1].corrects == corrected.attendance[0].id


async def test_the_second_missed_summons_tells_the_police_the_first_does_not(world: World):
    case = await world.open_case()
    ids = []
    for days in (1, 8, 15):
        s = await schedule_summons(
            actor=world.ja,
            case_id=case.id,
            clock=world.clock,
            data=SummonsCreate(scheduled_at=world.soon(days)),
        )
        ids.append(s.id)
    world.clock.advance(timedelta(days=2))
    await record_attendance(
        actor=world.ja,
        summons_id=ids[0],
        clock=world.clock,
        data=AttendanceIn(version=await sv(ids[0]), outcome=Outcome.ABSENT_NO_VALID_REASON),
    )
    assert await outbox(Notice.REPEATED_MISSED_SUMMONS) == []
    world.clock.advance(timedelta(days=7))
    await record_attendance(
        actor=world.ja,
        summons_id=ids[1],
        clock=world.clock,
        data=AttendanceIn(version=await sv(ids[1]), outcome=Outcome.ABSENT_NO_VALID_REASON),
    )
    rows = await outbox(Notice.REPEATED_MISSED_SUMMONS)
    assert {r["audience"] for r in rows} == {Audience.REFERRING_OFFICER}


async def test_cancel_only_before_it_begins_and_only_once(world: World):
    case = await world.open_case()
    s = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(3)),
    )
    cancelled = await cancel_summons(
        actor=world.ja,
        summons_id=s.id,
        clock=world.clock,
        data=SummonsCancel(version=await sv(s.id), reason="Measure lifted by the court"),
    )
    assert cancelled.status == "cancelled"
    with pytest.raises(Conflict):
        await cancel_summons(
            actor=world.ja,
            summons_id=s.id,
            clock=world.clock,
            data=SummonsCancel(version=await sv(s.id), reason="again"),
        )
    assert len(await outbox(Notice.SUMMONS_CANCELLED)) == 1


async def test_stale_version_is_refused_and_changes_nothing(world: World):
    case = await world.open_case()
    measure = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    with pytest.raises(Conflict, match="changed since you read it"):
        await transition_measure(
            actor=world.ja,
            measure_id=measure.id,
            clock=world.clock,
            data=MeasureTransitionIn(event=MeasureEvent.LIFT, reason="Family court", version=99),
        )
    full = await read_case(actor=world.ja, case_id=case.id)
    assert full.measures[0].status == "active"


async def test_ban_extension_is_held_to_three_months(world: World):
    case = await world.open_case()
    measure = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    with pytest.raises(Invalid, match="legal maximum"):
        await transition_measure(
            actor=world.ja,
            measure_id=measure.id,
            clock=world.clock,
            data=MeasureTransitionIn(
                version=await mv(measure.id),
                event=MeasureEvent.EXTEND,
                reason="Family court order",
                ends_on=world.today() + timedelta(days=120),
            ),
        )
    extended = await transition_measure(
        actor=world.ja,
        measure_id=measure.id,
        clock=world.clock,
        data=MeasureTransitionIn(
            event=MeasureEvent.EXTEND,
            reason="Family court order",
            ends_on=world.today() + timedelta(days=60),
            version=1,
        ),
    )
    assert extended.status == "extended" and extended.version == 2
    assert {r["audience"] for r in await outbox(Notice.BAN_EXTENDED)} == {
        Audience.REFERRING_OFFICER,
        Audience.SAPV_CONTACT,
        Audience.VICTIM,
    }


async def test_another_justice_house_cannot_see_the_case(world: World):
    case = await world.open_case()
    with pytest.raises(NotFound):
        await read_case(actor=world.other_house_ja, case_id=case.id)
    # A colleague of the same justice house may (DOMAIN §2).
    assert (await read_case(actor=world.ja2, case_id=case.id)).id == case.id


async def test_a_failed_write_leaves_nothing_behind(world: World):
    case = await world.open_case()
    events = await CaseEvent.count()
    with pytest.raises(Invalid):
        await world.add_measure(
            case.id,
            conditions=[
                ConditionCreate(
                    kind=ConditionKind.PROGRAMME, provider_id=999999, required_sessions=5
                )
            ],
        )
    assert await CaseEvent.count() == events
    assert (await read_case(actor=world.ja, case_id=case.id)).measures == []
