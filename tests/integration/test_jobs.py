"""Time-driven work with the clock moved by hand: nothing sleeps, nothing is sent twice."""

import asyncio
from datetime import timedelta

from perp_track.jobs.rules import JobSpec
from perp_track.jobs.services import job_status, once, run_job
from perp_track.jobs.tables import JobRun
from perp_track.measures.jobs import alert_offset, lapse_expired_measures, protection_ending_alerts
from perp_track.measures.rules import MeasureEvent, MeasureKind
from perp_track.measures.schemas import MeasureTransitionIn
from perp_track.measures.services import transition_measure
from perp_track.measures.tables import Measure
from perp_track.notify.rules import Notice
from perp_track.notify.tables import Notification
from perp_track.scheduler import all_jobs, run_all_once
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


async def notices(template: str) -> list[dict]:
    # Staff only: the victim in these cases gave no consent (her rows are suppressed).
    query = Notification.select().where(
        (Notification.template == template) & (Notification.audience != "victim")
    )
    return await query.output(load_json=True)


def test_alert_offsets():
    offsets = (7, 1, 0)
    assert alert_offset(10, offsets) is None
    assert alert_offset(7, offsets) == 7
    assert alert_offset(3, offsets) == 7
    assert alert_offset(1, offsets) == 1
    assert alert_offset(0, offsets) == 0
    assert alert_offset(-1, offsets) is None


async def test_a_ban_warns_at_7_1_and_0_days_once_each(world: World, settings):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)  # ends in 14 days
    sent_per_day = []
    for _ in range(16):
        await protection_ending_alerts(world.clock, settings)
        await protection_ending_alerts(world.clock, settings)  # a second replica, same minute
        sent_per_day.append(len(await notices(Notice.PROTECTION_ENDING)))
        world.clock.advance(timedelta(days=1))
    per_alert = len(await notices(Notice.PROTECTION_ENDING)) // 3
    assert per_alert == 4, "officer and SAPV contact, in-app and e-mail"
    # Day 7 (7 days left), day 13 (1 day left), day 14 (the day).
    assert sent_per_day[6] == 0
    assert sent_per_day[7] == per_alert
    assert sent_per_day[12] == per_alert
    assert sent_per_day[13] == 2 * per_alert
    assert sent_per_day[14] == 3 * per_alert
    assert sent_per_day[15] == 3 * per_alert


async def test_a_missed_week_catches_up_with_the_alert_now_due_only(world: World, settings):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    world.clock.advance(timedelta(days=13))  # the scheduler was down: 1 day left now
    await protection_ending_alerts(world.clock, settings)
    rows = await notices(Notice.PROTECTION_ENDING)
    assert {r["payload"]["days_left"] for r in rows} == {1}


async def test_an_extension_earns_new_alerts(world: World, settings):
    case = await world.open_case()
    measure = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    world.clock.advance(timedelta(days=8))
    await protection_ending_alerts(world.clock, settings)
    first = len(await notices(Notice.PROTECTION_ENDING))
    await transition_measure(
        actor=world.ja,
        measure_id=measure.id,
        clock=world.clock,
        data=MeasureTransitionIn(
            version=await mv(measure.id),
            event=MeasureEvent.EXTEND,
            reason="Family court",
            ends_on=world.today() + timedelta(days=7),
        ),
    )
    await protection_ending_alerts(world.clock, settings)
    assert len(await notices(Notice.PROTECTION_ENDING)) == 2 * first


async def test_ended_measures_lapse_and_the_ban_end_is_told(world: World, settings):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    world.clock.advance(timedelta(days=14))
    assert await lapse_expired_measures(world.clock, settings) == "0 measures lapsed"
    world.clock.advance(timedelta(days=1))
    assert await lapse_expired_measures(world.clock, settings) == "1 measures lapsed"
    assert (await Measure.select(Measure.status).first())["status"] == "expired"
    assert len(await notices(Notice.BAN_EXPIRED)) == 4
    assert await lapse_expired_measures(world.clock, settings) == "0 measures lapsed"


async def test_a_measure_awaiting_a_decision_does_not_lapse(world: World, settings):
    case = await world.open_case()
    measure = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    await transition_measure(
        actor=world.ja,
        measure_id=measure.id,
        clock=world.clock,
        data=MeasureTransitionIn(
            version=await mv(measure.id), event=MeasureEvent.REPORT_NON_COMPLIANCE, reason="Breach"
        ),
    )
    world.clock.advance(timedelta(days=30))
    await lapse_expired_measures(world.clock, settings)
    assert (await Measure.select(Measure.status).first())["status"] == "non_compliance_reported"


async def test_once_keys(world: World):
    assert await once("k1", world.clock.now())
    assert not await once("k1", world.clock.now())


async def test_one_replica_at_a_time_and_outcomes_recorded(world: World, settings):
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow(clock, settings) -> str:
        started.set()
        await release.wait()
        return "did it"

    spec = JobSpec(
        name="test.slow", func=slow, every=timedelta(seconds=5), stale_after=timedelta(minutes=1)
    )
    first = asyncio.create_task(run_job(spec, clock=world.clock, settings=settings, owner="a"))
    await started.wait()
    second = await run_job(spec, clock=world.clock, settings=settings, owner="b")
    assert second.outcome == "skipped"
    release.set()
    assert (await first).outcome == "ok"
    row = await JobRun.select().where(JobRun.name == "test.slow").first()
    assert row["runs"] == 1
    assert row["last_outcome"] == "ok"
    assert row["lease_owner"] is None


async def test_a_crashed_holder_lets_go_after_its_lease(world: World, settings):
    async def ok(clock, settings) -> str:
        return "fine"

    spec = JobSpec(
        name="test.lease",
        func=ok,
        every=timedelta(seconds=5),
        stale_after=timedelta(minutes=1),
        lease=timedelta(minutes=5),
    )
    await JobRun.insert(
        JobRun(
            name="test.lease",
            lease_owner="dead",
            lease_until=world.clock.now() + timedelta(minutes=5),
        )
    )
    assert (await run_job(spec, clock=world.clock, settings=settings, owner="b")).outcome == (
        "skipped"
    )
    world.clock.advance(timedelta(minutes=6))
    assert (await run_job(spec, clock=world.clock, settings=settings, owner="b")).outcome == "ok"


async def test_a_failing_job_is_recorded_not_raised(world: World, settings):
    async def boom(clock, settings) -> str:
        raise RuntimeError("provider down")

    spec = JobSpec(
        name="test.boom", func=boom, every=timedelta(seconds=5), stale_after=timedelta(minutes=1)
    )
    result = await run_job(spec, clock=world.clock, settings=settings, owner="a")
    assert result.outcome == "error"
    status = await job_status([spec], world.clock.now())
    assert status[0]["failures"] == 1
    assert status[0]["stale"] is True
    assert "provider down" in status[0]["last_error"]


async def test_every_job_runs_and_none_is_stale_after(world: World, settings):
    results = await run_all_once(settings, world.clock, "t")
    assert {r.outcome for r in results} == {"ok"}
    # The watchdog runs last, after every other job's first success: nothing to alert on, and
    # not itself, which has yet to finish its first run.
    assert results[-1].name == "jobs.watchdog"
    assert results[-1].summary == "0 stale jobs"
    status = await job_status(all_jobs(settings), world.clock.now())
    assert not any(s["stale"] for s in status)
    # Past the longest silence any job is allowed (the daily retention job's is two days).
    world.clock.advance(max(s.stale_after for s in all_jobs(settings)) + timedelta(minutes=1))
    assert all(s["stale"] for s in await job_status(all_jobs(settings), world.clock.now()))


async def test_reports_due_and_overdue_reach_the_justice_assistant_once(world: World, settings):
    from perp_track.measures.jobs import report_deadline_alerts
    from perp_track.measures.reports import record_report
    from perp_track.measures.rules import ReportKind
    from perp_track.measures.schemas import AuthorityReportIn

    case = await world.open_case()
    probation = await world.add_measure(
        case.id, MeasureKind.PROBATION, ends_on=world.today() + timedelta(days=2 * 365)
    )
    due_on = probation.next_report_due  # the intake report, a month on
    assert due_on is not None

    async def told(notice: Notice) -> list[dict]:
        rows = await notices(notice)
        assert all(r["audience"] == "justice_assistant" for r in rows)
        return rows

    world.clock.set(world.clock.now() + (due_on - world.today() - timedelta(days=8)))
    await report_deadline_alerts(world.clock, settings)
    assert await told(Notice.REPORT_DUE) == []  # eight days ahead: not yet

    world.clock.advance(timedelta(days=1))
    await report_deadline_alerts(world.clock, settings)
    await report_deadline_alerts(world.clock, settings)  # a second run, the same day
    due = await told(Notice.REPORT_DUE)
    assert {r["channel"] for r in due} == {"in_app", "email"} and len(due) == 2
    assert due[0]["payload"]["report_kind"] == ReportKind.INTAKE
    assert due[0]["payload"]["due_on"] == due_on.isoformat()

    world.clock.advance(timedelta(days=7))  # the due date itself: still "due"
    await report_deadline_alerts(world.clock, settings)
    assert await told(Notice.REPORT_OVERDUE) == []
    world.clock.advance(timedelta(days=1))  # the day after: overdue, once
    await report_deadline_alerts(world.clock, settings)
    await report_deadline_alerts(world.clock, settings)
    assert len(await told(Notice.REPORT_OVERDUE)) == 2
    assert len(await told(Notice.REPORT_DUE)) == 2

    # Filed: the next report is a periodic one, months away, with its own alerts.
    await record_report(
        actor=world.ja,
        measure_id=probation.id,
        data=AuthorityReportIn(
            kind=ReportKind.INTAKE,
            period_from=probation.starts_on,
            period_to=world.today(),
            assessment="Intake done; the programme starts next month.",
            version=await mv(probation.id),
        ),
        clock=world.clock,
        settings=settings,
    )
    await report_deadline_alerts(world.clock, settings)
    assert len(await told(Notice.REPORT_DUE)) == 2
    measure = (
        await Measure.select(Measure.next_report_due).where(Measure.id == probation.id).first()
    )
    world.clock.set(
        world.clock.now() + (measure["next_report_due"] - world.today() - timedelta(days=3))
    )
    await report_deadline_alerts(world.clock, settings)
    due = await told(Notice.REPORT_DUE)
    assert len(due) == 4
    assert {r["payload"]["report_kind"] for r in due[2:]} == {ReportKind.PERIODIC}


async def test_a_report_overdue_for_long_is_told_as_overdue_not_as_due(world: World, settings):
    from perp_track.measures.jobs import report_deadline_alerts

    case = await world.open_case()
    adp = await world.add_measure(case.id, MeasureKind.RELEASE_UNDER_CONDITIONS)
    assert adp.next_report_due is not None
    # The scheduler was down from before the reminder until after the due date.
    world.clock.set(world.clock.now() + (adp.next_report_due - world.today() + timedelta(days=3)))
    await report_deadline_alerts(world.clock, settings)
    assert await notices(Notice.REPORT_DUE) == []
    assert len(await notices(Notice.REPORT_OVERDUE)) == 2
