from datetime import timedelta

from perp_track.audit import services as audit
from perp_track.audit.tables import AuditEntry
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.measures.rules import MeasureEvent, MeasureKind
from perp_track.measures.schemas import MeasureTransitionIn
from perp_track.measures.services import transition_measure
from perp_track.privacy.services import run_retention
from perp_track.privacy.tables import RetentionRecord
from tests.world import World


async def _closed_ban_case(world: World):
    case = await world.open_case(summary="Violent dispute at home, children present")
    ban = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    await world.add_measure(case.id, MeasureKind.MEDIATION_216TER)
    await transition_measure(
        actor=world.ja,
        measure_id=ban.id,
        data=MeasureTransitionIn(
            event=MeasureEvent.LIFT, reason="lifted by the family court", version=ban.version
        ),
        clock=world.clock,
    )
    return case


async def test_nothing_is_due_while_a_measure_runs_or_its_period_has_not_passed(
    world: World, settings
):
    case = await _closed_ban_case(world)
    world.clock.advance(timedelta(days=3 * 365))
    report = await run_retention(clock=world.clock, settings=settings, apply=True)
    assert report.items == []  # the mediation still runs
    assert await Case.exists().where(Case.id == case.id)


async def test_pseudonymise_after_the_period_of_the_kind(world: World, settings):
    case = await _closed_ban_case(world)
    mediation = case.id  # the second measure of this case
    from perp_track.measures.tables import Measure

    (m,) = await Measure.select(Measure.id, Measure.version).where(
        (Measure.case == mediation) & (Measure.kind == MeasureKind.MEDIATION_216TER)
    )
    await transition_measure(
        actor=world.ja,
        measure_id=m["id"],
        data=MeasureTransitionIn(
            event=MeasureEvent.LIFT, reason="prosecutor dropped it", version=m["version"]
        ),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2 * 365 + 1))
    dry = await run_retention(clock=world.clock, settings=settings, apply=False)
    assert dry.items == []  # the mediation's five years have not passed
    world.clock.advance(timedelta(days=3 * 365))
    dry = await run_retention(clock=world.clock, settings=settings, apply=False)
    assert [i.case_id for i in dry.items] == [case.id]
    assert dry.dry_run
    assert await Person.exists().where(Person.first_name == "Julie")  # nothing changed yet

    done = await run_retention(clock=world.clock, settings=settings, apply=True)
    assert [(i.case_id, i.done, i.error) for i in done.items] == [(case.id, True, None)]
    people = await Person.select().where(Person.id.is_in([case.perpetrator.id, case.victim.id]))
    for person in people:
        assert person["last_name"].startswith("P-")
        assert person["phone"] is None
        assert person["address"] is None
    row = await Case.select(Case.summary).where(Case.id == case.id).first()
    assert row == {"summary": ""}
    summaries = {e["summary"] for e in await CaseEvent.select(CaseEvent.summary)}
    assert summaries == {"(pseudonymised)"}
    assert await RetentionRecord.count() == 1
    # Done once: the next run finds nothing, and the trail still holds together.
    again = await run_retention(clock=world.clock, settings=settings, apply=True)
    assert again.items == []
    assert await AuditEntry.exists().where(AuditEntry.action == "purge")
    assert (await audit.verify_chain(actor=world.supervisor)).intact


async def test_purge_removes_the_case_and_its_people(world: World, settings):
    settings = settings.model_copy(update={"retention_action": "purge"})
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    world.clock.advance(timedelta(days=15))
    from perp_track.measures.tables import Measure

    (m,) = await Measure.select(Measure.id, Measure.version).where(Measure.case == case.id)
    await transition_measure(
        actor=world.ja,
        measure_id=m["id"],
        data=MeasureTransitionIn(
            event=MeasureEvent.EXPIRE, reason="end of the 14 days", version=m["version"]
        ),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2 * 365 + 1))
    report = await run_retention(clock=world.clock, settings=settings, apply=True)
    assert [(i.case_id, i.done) for i in report.items] == [(case.id, True)]
    assert not await Case.exists().where(Case.id == case.id)
    assert await Person.count() == 0
    assert await CaseEvent.count() == 0
    assert (await audit.verify_chain(actor=world.supervisor)).intact


async def test_old_login_attempts_are_deleted(world: World, settings):
    from perp_track.auth.tables import LoginAttempt

    for days in (400, 10):
        await LoginAttempt.insert(
            LoginAttempt(
                email="x@test.example",
                outcome="wrong_password",
                attempted_at=world.clock.now() - timedelta(days=days),
            )
        )
    dry = await run_retention(clock=world.clock, settings=settings, apply=False)
    assert dry.old_login_attempts == 1
    assert await LoginAttempt.count() == 2
    await run_retention(clock=world.clock, settings=settings, apply=True)
    assert await LoginAttempt.count() == 1


async def test_the_job_applies_and_logs_ids_only(world: World, settings, caplog):
    import logging

    from perp_track.privacy.jobs import apply_retention

    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    from perp_track.measures.tables import Measure

    (m,) = await Measure.select(Measure.id, Measure.version).where(Measure.case == case.id)
    await transition_measure(
        actor=world.ja,
        measure_id=m["id"],
        data=MeasureTransitionIn(
            event=MeasureEvent.LIFT, reason="lifted by the family court", version=m["version"]
        ),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2 * 365 + 1))
    caplog.set_level(logging.INFO, logger="perp_track.retention")
    summary = await apply_retention(world.clock, settings)
    assert summary.startswith("retention pseudonymise: 1 cases done, 0 failed")
    assert "1 cases done" in caplog.text
    assert "Dubois" not in caplog.text
