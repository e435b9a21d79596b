"""Every measure of DOMAIN §3, from order to closing, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perp_track.cases.tables import CaseEvent
from perp_track.errors import Conflict, Invalid
from perp_track.i18n.events import describe
from perp_track.measures.rules import ConditionKind, MeasureEvent, MeasureKind, MeasureStatus
from perp_track.measures.schemas import ConditionCreate, MeasureTransitionIn
from perp_track.measures.services import transition_measure
from perp_track.notify.tables import Notification
from tests.world import World


async def move(world: World, measure, event: MeasureEvent, actor=None, **extra):
    return await transition_measure(
        actor=actor or world.ja,
        measure_id=measure.id,
        data=MeasureTransitionIn(
            event=event, reason=f"Decision: {event}", version=measure.version, **extra
        ),
        clock=world.clock,
    )


async def notices(case_id: int) -> list[str]:
    rows = await Notification.select(Notification.template).where(Notification.case == case_id)
    return sorted({r["template"] for r in rows})


async def test_residence_ban_extended_then_lifted_tells_everyone(world: World):
    case = await world.open_case()
    ban = await world.add_measure(
        case.id,
        MeasureKind.TEMPORARY_RESIDENCE_BAN,
        conditions=[ConditionCreate(kind=ConditionKind.PLACE_BAN, address="Rue X 1, Liège")],
    )
    assert ban.status is MeasureStatus.ACTIVE
    assert ban.ends_on == world.today() + timedelta(days=14)
    assert ban.next_report_due is None
    assert MeasureEvent.EXTEND in ban.allowed_events
    assert MeasureEvent.REQUEST_REVOCATION not in ban.allowed_events
    extended = await move(
        world, ban, MeasureEvent.EXTEND, ends_on=world.today() + timedelta(days=60)
    )
    assert extended.status is MeasureStatus.EXTENDED
    with pytest.raises(Invalid, match="cannot run past"):
        await move(world, extended, MeasureEvent.EXTEND, ends_on=world.today() + timedelta(days=95))
    lifted = await move(world, extended, MeasureEvent.LIFT)
    assert lifted.status is MeasureStatus.LIFTED
    assert lifted.allowed_events == []
    with pytest.raises(Conflict) as exc:
        await move(world, lifted, MeasureEvent.EXTEND, ends_on=world.today() + timedelta(days=70))
    assert exc.value.extra["allowed"] == []
    assert await notices(case.id) == ["ban_extended", "ban_lifted", "protective_measure_opened"]
    events = (
        await CaseEvent.select()
        .where(CaseEvent.kind == "measure_transition")
        .output(load_json=True)
    )
    assert {e["actor"] for e in events} == {world.ja.id}
    assert all("Decision" in describe(e, "en") for e in events)
    assert all("Decision" in describe(e, "fr") for e in events)  # typed words, as typed


async def test_adp_renewal_is_one_period_at_a_time(world: World):
    case = await world.open_case()
    adp = await world.add_measure(case.id, MeasureKind.RELEASE_UNDER_CONDITIONS)
    assert adp.ends_on == world.today() + timedelta(days=91)
    assert adp.next_report_due == world.today() + timedelta(days=30)
    started = await move(world, adp, MeasureEvent.START)
    with pytest.raises(Invalid, match="one renewal adds at most 91 days"):
        await move(world, started, MeasureEvent.EXTEND, ends_on=adp.ends_on + timedelta(days=92))
    renewed = await move(world, started, MeasureEvent.EXTEND, ends_on=adp.ends_on + timedelta(91))
    assert renewed.ends_on == adp.ends_on + timedelta(days=91)
    assert "adp_renewed" in await notices(case.id)
    reported = await move(world, renewed, MeasureEvent.REPORT_NON_COMPLIANCE)
    with pytest.raises(Conflict, match="allowed: adapt_conditions, issue_warrant, fail"):
        await move(world, reported, MeasureEvent.REQUEST_REVOCATION)
    warrant = await move(world, reported, MeasureEvent.ISSUE_WARRANT)
    failed = await move(world, warrant, MeasureEvent.FAIL)
    assert failed.status is MeasureStatus.FAILED
    assert {"non_compliance_reported", "authority_decision", "measure_closed"} <= set(
        await notices(case.id)
    )


async def test_probation_runs_to_completion(world: World):
    case = await world.open_case()
    with pytest.raises(Invalid, match="needs the end date"):
        await world.add_measure(case.id, MeasureKind.PROBATION)
    probation = await world.add_measure(
        case.id, MeasureKind.PROBATION, ends_on=world.today() + timedelta(days=2 * 365)
    )
    # The general conditions of every probation file (DOMAIN §3).
    kinds = {c.kind for c in probation.conditions}
    assert {ConditionKind.RESPOND_TO_SUMMONS, ConditionKind.REPORT_ADDRESS_CHANGE} <= kinds
    # The intake report is due within a month.
    assert probation.next_report_due == world.today().replace(month=4)
    active = await move(world, probation, MeasureEvent.START)
    reported = await move(world, active, MeasureEvent.REPORT_NON_COMPLIANCE)
    adapted = await move(world, reported, MeasureEvent.ADAPT_CONDITIONS)
    resumed = await move(world, adapted, MeasureEvent.RESUME)
    done = await move(world, resumed, MeasureEvent.COMPLETE)
    assert done.status is MeasureStatus.COMPLETED
    assert done.next_report_due is None


async def test_mediation_ends_with_prosecution_not_revocation(world: World):
    case = await world.open_case()
    m = await world.add_measure(case.id, MeasureKind.MEDIATION_216TER)
    assert m.ends_on == world.today() + timedelta(days=365)
    with pytest.raises(Invalid):
        await world.add_measure(
            case.id, MeasureKind.MEDIATION_216TER, ends_on=world.today() + timedelta(days=400)
        )
    m = await move(world, m, MeasureEvent.START)
    with pytest.raises(Conflict, match="cannot 'extend'"):
        await move(world, m, MeasureEvent.EXTEND, ends_on=world.today() + timedelta(days=300))
    m = await move(world, m, MeasureEvent.REPORT_NON_COMPLIANCE)
    m = await move(world, m, MeasureEvent.REFER_FOR_PROSECUTION)
    assert m.status is MeasureStatus.REFERRED_FOR_PROSECUTION


async def test_autonomous_probation_bounds_and_who_may_assign(world: World):
    case = await world.open_case()
    with pytest.raises(Invalid, match="lasts from 183 days"):
        await world.add_measure(
            case.id, MeasureKind.AUTONOMOUS_PROBATION, ends_on=world.today() + timedelta(days=30)
        )
    m = await world.add_measure(
        case.id, MeasureKind.AUTONOMOUS_PROBATION, ends_on=world.today() + timedelta(days=365)
    )
    m = await move(world, m, MeasureEvent.START)
    m = await move(world, m, MeasureEvent.SUSPEND)
    m = await move(world, m, MeasureEvent.REPORT_NON_COMPLIANCE, actor=world.supervisor)
    m = await move(world, m, MeasureEvent.REQUEST_REVOCATION)
    m = await move(world, m, MeasureEvent.FAIL)
    assert m.status is MeasureStatus.FAILED


async def test_stale_version_changes_nothing(world: World):
    case = await world.open_case()
    m = await world.add_measure(case.id, MeasureKind.MEDIATION_216TER)
    await move(world, m, MeasureEvent.START)
    with pytest.raises(Conflict, match="changed since you read it") as exc:
        await move(world, m, MeasureEvent.LIFT)  # still version 1
    assert exc.value.extra["current_version"] == 2
    from perp_track.measures.services import read_measure

    again = await read_measure(actor=world.ja, measure_id=m.id)
    assert again.status is MeasureStatus.ACTIVE


async def test_the_system_expires_a_ban_after_its_last_day(world: World, settings):
    from perp_track.measures.jobs import lapse_expired_measures
    from perp_track.measures.services import read_measure

    async def expire_ended_measures() -> int:
        return int((await lapse_expired_measures(world.clock, settings)).split()[0])

    case = await world.open_case()
    ban = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    adp = await world.add_measure(case.id, MeasureKind.RELEASE_UNDER_CONDITIONS)
    reported = await move(
        world, await move(world, adp, MeasureEvent.START), MeasureEvent.REPORT_NON_COMPLIANCE
    )
    world.clock.advance(timedelta(days=14))
    assert await expire_ended_measures() == 0  # its last day
    world.clock.advance(timedelta(days=100))
    assert await expire_ended_measures() == 1
    assert (await read_measure(actor=world.ja, measure_id=ban.id)).status is MeasureStatus.EXPIRED
    # A measure waiting on the authority's decision is not expired behind its back.
    still = await read_measure(actor=world.ja, measure_id=reported.id)
    assert still.status is MeasureStatus.NON_COMPLIANCE_REPORTED
    assert "ban_expired" in await notices(case.id)
    events = (
        await CaseEvent.select()
        .where(CaseEvent.kind == "measure_transition")
        .order_by(CaseEvent.id)
        .output(load_json=True)
    )
    assert events[-1]["actor"] is None


async def test_address_change_tells_the_police_only(world: World):
    from perp_track.measures.conditions import record_address_change

    case = await world.open_case()
    with pytest.raises(Conflict):
        await record_address_change(
            actor=world.ja,
            case_id=case.id,
            address="Rue Neuve 5, Namur",
            version=9,
            clock=world.clock,
        )
    row = await record_address_change(
        actor=world.ja, case_id=case.id, address="Rue Neuve 5, Namur", version=1, clock=world.clock
    )
    assert row["version"] == 2
    sent = await Notification.select().where(Notification.template == "perpetrator_address_changed")
    assert {r["audience"] for r in sent} == {"referring_officer"}
    event = (
        await CaseEvent.select()
        .where(CaseEvent.kind == "perpetrator_address_changed")
        .output(load_json=True)
        .first()
    )
    assert "Namur" not in str(event["data"]) + event["summary"]
    assert "Namur" not in describe(event, "en")


async def test_protection_ending_is_announced_once_per_milestone(world: World, settings):
    from perp_track.measures.jobs import protection_ending_alerts

    case = await world.open_case()
    ban = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)  # ends in 14 days
    await world.add_measure(case.id, MeasureKind.MEDIATION_216TER)  # not protective

    async def run() -> int:
        return int((await protection_ending_alerts(world.clock, settings)).split()[0])

    assert await run() == 0
    world.clock.advance(timedelta(days=8))  # 6 days left
    assert await run() == 1
    assert await run() == 0  # the same day, or the next: already told
    world.clock.advance(timedelta(days=5))  # the day before
    assert await run() == 1
    world.clock.advance(timedelta(days=1))  # the last day
    assert await run() == 1
    sent = await Notification.select().where(Notification.template == "protection_ending")
    # Without her consent the victim's rows are suppressed, never sent.
    assert {r["audience"] for r in sent} == {"referring_officer", "sapv_contact", "victim"}
    assert {r["state"] for r in sent if r["audience"] == "victim"} == {"suppressed"}
    assert all(ban.ends_on.isoformat() in str(r["payload"]) for r in sent)


async def test_only_the_supervisor_assigns_a_mandate(world: World):
    from perp_track.cases.services import open_case

    unassigned = await open_case(actor=world.supervisor, data=world.case_data(), clock=world.clock)
    assert unassigned.assigned_ja is None
    m = await world.add_measure(unassigned.id, MeasureKind.MEDIATION_216TER)
    assert m.status is MeasureStatus.RECEIVED
    with pytest.raises(Conflict, match="allowed: start, lift"):
        await move(world, m, MeasureEvent.ASSIGN)
    assigned = await move(world, m, MeasureEvent.ASSIGN, actor=world.supervisor)
    assert assigned.status is MeasureStatus.ASSIGNED
