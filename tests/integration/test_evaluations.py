"""Reminder evaluations on a real database: assignment at the first summons, the arm's
reminders and wording, pause and end, the results, the audit, and the victim left out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perp_track.audit.tables import AuditEntry
from perp_track.auth.rules import Role
from perp_track.auth.services import create_user
from perp_track.cases.rules import RiskLevel
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.evaluations import services, views
from perp_track.evaluations.errors import EvaluationError
from perp_track.evaluations.rules import Action, Category, State
from perp_track.evaluations.schemas import ArmCreate, EvaluationChange, EvaluationCreate
from perp_track.evaluations.tables import EvaluationAssignment
from perp_track.notify.context import render_row
from perp_track.notify.rules import Notice
from perp_track.privacy.export import export_person
from perp_track.summons.jobs import send_reminders
from perp_track.summons.rules import Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from tests.notify_helpers import consenting_case, open_ban, outbox
from tests.world import PASSWORD, World


def two_arms(world: World, **overrides) -> EvaluationCreate:
    data = {
        "title": "Plain against usual",
        "starts_at": world.clock.now(),
        "ends_at": world.clock.now() + timedelta(days=90),
        "arms": [
            ArmCreate(name="Usual", share=50),
            ArmCreate(name="Plain", share=50, reminder_days=[2], morning=False, wording="plain"),
        ],
    }
    data.update(overrides)
    return EvaluationCreate(**data)


async def summons_in(world: World, days: int = 10, case_id: int | None = None):
    if case_id is None:
        # Medium risk: a high one adds the evening-before reminder of the risk policy to every
        # arm, which is right, but not what these tests compare.
        case_id = (await world.open_case(risk_level=RiskLevel.MEDIUM)).id
    return await schedule_summons(
        actor=world.ja,
        case_id=case_id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(days, hour=13)),
    )


async def assignments() -> dict[int, int]:
    rows = await EvaluationAssignment.select(EvaluationAssignment.person, EvaluationAssignment.arm)
    return {r["person"]: r["arm"] for r in rows}


async def walk(world: World, settings, hours: int) -> None:
    for _ in range(hours):
        await send_reminders(world.clock, settings)
        world.clock.advance(timedelta(hours=1))


async def test_each_arm_gets_its_own_reminders_and_wording(world: World, settings):
    evaluation = await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    usual, plain = (a.id for a in evaluation.arms)
    for _ in range(12):
        await summons_in(world)
    arm_of = await assignments()
    assert len(arm_of) == 12
    assert set(arm_of.values()) == {usual, plain}  # 12 people: both arms drawn (p > 0.999)
    await walk(world, settings, 11 * 24)
    rows = await reminders()
    by_person: dict[int, list[str]] = {}
    for row in rows:
        by_person.setdefault(row["recipient_person"], []).append(row["payload"]["reminder"])
        arm = arm_of[row["recipient_person"]]
        rendered = await render_row(row, settings)
        if arm == plain:
            assert row["payload"]["wording"] == "plain"
            assert rendered.template == "summons_reminder.sms.plain.fr.j2"
            assert "signalée" not in rendered.body  # the plain wording says no consequence
        else:
            assert "wording" not in row["payload"]
            assert rendered.template == "summons_reminder.sms.fr.j2"
    for person, keys in by_person.items():
        expected = ["d2"] if arm_of[person] == plain else ["d7", "d3", "d1", "morning"]
        assert keys == expected


async def reminders() -> list[dict]:
    return [r for r in await outbox() if r["template"] == Notice.SUMMONS_REMINDER]


async def test_the_arm_is_drawn_once_and_never_changes(world: World):
    evaluation = await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    case = await world.open_case()
    await summons_in(world, case_id=case.id)
    [(person, arm)] = (await assignments()).items()
    [row] = await EvaluationAssignment.select().where(EvaluationAssignment.person == person)
    for days in (12, 20, 30):
        world.clock.advance(timedelta(days=1))
        await summons_in(world, days=days, case_id=case.id)
    assert await assignments() == {person: arm}
    [again] = await EvaluationAssignment.select().where(EvaluationAssignment.person == person)
    assert again == row
    read = await services.read_evaluation(
        actor=world.supervisor, evaluation_id=evaluation.id, clock=world.clock
    )
    assert read.assigned == 1
    assert sum(a.assigned for a in read.arms) == 1
    # The person's access export says which arm he is in, and the assignment is on his log.
    export = await export_person(actor=world.supervisor, person_id=person, clock=world.clock)
    [held] = export.reminder_evaluations
    assert held.evaluation == evaluation.title
    assert held.arm == next(a.name for a in read.arms if a.id == arm)
    assert any(d.detail.startswith(f"evaluation {evaluation.id}: arm") for d in export.disclosures)


async def test_paused_and_ended_evaluations_assign_nobody_new(world: World, settings):
    evaluation = await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    first = await summons_in(world)
    assert await plans(settings, first) != {}
    paused = await services.change_evaluation(
        actor=world.supervisor,
        evaluation_id=evaluation.id,
        action=Action.PAUSE,
        data=EvaluationChange(version=evaluation.version),
        clock=world.clock,
    )
    assert paused.state is State.PAUSED
    await summons_in(world)
    assert len(await assignments()) == 1
    # While paused, the people already in an arm keep its reminders.
    assert await plans(settings, await summons_in(world, days=12, case_id=first.case_id)) != {}
    resumed = await services.change_evaluation(
        actor=world.supervisor,
        evaluation_id=evaluation.id,
        action=Action.RESUME,
        data=EvaluationChange(version=paused.version),
        clock=world.clock,
    )
    await summons_in(world)
    assert len(await assignments()) == 2
    ended = await services.change_evaluation(
        actor=world.supervisor,
        evaluation_id=evaluation.id,
        action=Action.END,
        data=EvaluationChange(version=resumed.version),
        clock=world.clock,
    )
    assert ended.state is State.ENDED and ended.allowed_actions == []
    for _ in range(5):
        await summons_in(world)
    assert len(await assignments()) == 2
    # A summons made after the end, even for a person in an arm, gets the usual reminders.
    world.clock.advance(timedelta(minutes=1))
    assert await plans(settings, await summons_in(world, days=14, case_id=first.case_id)) == {}
    with pytest.raises(Conflict) as refused:
        await services.change_evaluation(
            actor=world.supervisor,
            evaluation_id=evaluation.id,
            action=Action.RESUME,
            data=EvaluationChange(version=ended.version),
            clock=world.clock,
        )
    assert refused.value.code is EvaluationError.NOT_ALLOWED
    # Every change is on the audit trail.
    details = [
        r["detail"]
        for r in await AuditEntry.select(AuditEntry.detail)
        .where(AuditEntry.record_type == "reminder_evaluation")
        .order_by(AuditEntry.id)
    ]
    assert details[0] == "created with 2 arms"
    assert [d.split(":")[0] for d in details[1:]] == ["pause", "resume", "end"]


async def plans(settings, summons) -> dict:
    """The arm's plan for this summons, as the reminder job would find it."""
    from perp_track.summons.tables import Summons

    rows = await Summons.select(Summons.id, Summons.created_at).where(Summons.id == summons.id)
    return await services.reminder_plans(rows, now=rows[0]["created_at"], settings=settings)


async def test_an_evaluation_past_its_end_assigns_nobody(world: World):
    await services.create_evaluation(
        actor=world.supervisor,
        data=two_arms(world, ends_at=world.clock.now() + timedelta(days=1)),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2))
    await summons_in(world)
    assert await assignments() == {}


async def test_a_stale_version_changes_nothing(world: World):
    evaluation = await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    with pytest.raises(Conflict):
        await services.change_evaluation(
            actor=world.supervisor,
            evaluation_id=evaluation.id,
            action=Action.PAUSE,
            data=EvaluationChange(version=evaluation.version + 1),
            clock=world.clock,
        )
    read = await services.read_evaluation(
        actor=world.supervisor, evaluation_id=evaluation.id, clock=world.clock
    )
    assert read.state is State.RUNNING and read.version == evaluation.version


async def test_one_evaluation_at_a_time_and_only_for_supervisors_of_the_house(world: World):
    await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    with pytest.raises(Conflict) as refused:
        await services.create_evaluation(
            actor=world.supervisor, data=two_arms(world, title="Another"), clock=world.clock
        )
    assert refused.value.code is EvaluationError.ONE_AT_A_TIME
    with pytest.raises(Forbidden):
        await services.list_evaluations(actor=world.ja, clock=world.clock)
    elsewhere = await create_user(
        email="sup.ant@test.example",
        full_name="Sup Antwerpen",
        role=Role.SUPERVISOR,
        organisation_id=world.orgs["jh2"],
        password=PASSWORD,
        language="nl",
        clock=world.clock,
    )
    assert await services.list_evaluations(actor=elsewhere, clock=world.clock) == []
    mine = await services.list_evaluations(actor=world.supervisor, clock=world.clock)
    with pytest.raises(NotFound):
        await services.read_evaluation(actor=elsewhere, evaluation_id=mine[0].id, clock=world.clock)


async def test_bad_arms_are_refused_and_nothing_is_saved(world: World):
    bad = two_arms(
        world,
        arms=[ArmCreate(name="A", share=60), ArmCreate(name="B", share=30, wording="plain")],
    )
    with pytest.raises(Invalid) as refused:
        await services.create_evaluation(actor=world.supervisor, data=bad, clock=world.clock)
    assert refused.value.code is EvaluationError.SHARES_TOTAL
    assert await services.list_evaluations(actor=world.supervisor, clock=world.clock) == []


async def test_results_count_each_arms_outcomes(world: World, settings):
    evaluation = await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    made = [await summons_in(world, days=1) for _ in range(10)]
    measure_case = await world.open_case()
    measure = await world.add_measure(measure_case.id)
    with_measure = await schedule_summons(
        actor=world.ja,
        case_id=measure_case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1, hour=13), measure_id=measure.id),
    )
    world.clock.advance(timedelta(days=2))
    outcomes = [Outcome.ATTENDED, Outcome.ABSENT_NO_VALID_REASON] * 5
    for summons, outcome in zip(made, outcomes, strict=True):
        reason = None
        await record_attendance(
            actor=world.ja,
            summons_id=summons.id,
            data=AttendanceIn(outcome=outcome, reason=reason, version=summons.version),
            clock=world.clock,
        )
    await record_attendance(
        actor=world.ja,
        summons_id=with_measure.id,
        data=AttendanceIn(outcome=Outcome.LATE, version=with_measure.version),
        clock=world.clock,
    )
    results = await views.evaluation_results(
        actor=world.supervisor, evaluation_id=evaluation.id, clock=world.clock
    )
    overall = results.breakdowns[0]
    assert overall.measure_kind == "all"
    assert sum(a.total for a in overall.arms) == 11
    no_shows = sum(a.rates[Category.ABSENT_NO_VALID_REASON].count for a in overall.arms)
    assert no_shows == 5
    assert overall.verdict == "too_few"
    kinds = [b.measure_kind for b in results.breakdowns]
    assert kinds == ["all", "mediation_216ter", "no_measure"]
    [mediation] = [b for b in results.breakdowns if b.measure_kind == "mediation_216ter"]
    assert sum(a.rates[Category.LATE].count for a in mediation.arms) == 1
    rows = views.csv_rows(results)
    assert len(rows) == 3 * 2 * 4  # measure types x arms x categories
    assert all(len(r) == len(views.CSV_HEADER) for r in rows)


async def test_the_victim_is_never_part_of_an_evaluation(world: World, settings):
    await services.create_evaluation(
        actor=world.supervisor, data=two_arms(world), clock=world.clock
    )
    case = await consenting_case(world)
    await open_ban(world, case.id)
    await summons_in(world, case_id=case.id)
    arm_of = await assignments()
    assert case.victim is not None
    assert case.victim.id not in arm_of
    assert list(arm_of) == [case.perpetrator.id]
    await walk(world, settings, 11 * 24)
    victim_rows = await outbox(audience="victim")
    assert victim_rows
    for row in victim_rows:
        assert "wording" not in row["payload"]
        # Even a wording slipped into her payload does not change her message's template.
        rendered = await render_row(
            {**row, "payload": {**row["payload"], "wording": "plain"}}, settings
        )
        assert ".plain." not in rendered.template
