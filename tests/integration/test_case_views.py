"""The case file read: PostgreSQL's one statement shows what the plain reads show, and a case
out of the reader's reach is neither shown nor put on anyone's disclosure log."""

from datetime import timedelta

import pytest

from perp_track import db
from perp_track.audit.tables import AuditEntry
from perp_track.cases import views
from perp_track.errors import NotFound
from perp_track.interpreters.schemas import InterpreterCreate
from perp_track.interpreters.services import add_interpreter
from perp_track.measures.rules import ConditionKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.summons.rules import Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from perp_track.summons.tables import Summons
from tests.world import World


async def _rich_case(world: World) -> int:
    case = await world.open_case(interpreter_language="arabic")
    interpreter = await add_interpreter(
        actor=world.supervisor,
        data=InterpreterCreate(
            full_name="Samira Haddou", language="arabic", email="sh@example.org", sworn=True
        ),
        clock=world.clock,
    )
    await world.add_measure(
        case.id,
        conditions=[
            world.programme(),
            ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons="Julie"),
        ],
    )
    await world.add_measure(case.id)
    first = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(2), place="Rue Haute 1"),
        clock=world.clock,
    )
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(
            scheduled_at=world.soon(9), purpose="Follow-up", interpreter_id=interpreter.id
        ),
        clock=world.clock,
    )
    world.clock.set(first.scheduled_at + timedelta(minutes=30))
    version = (await Summons.select(Summons.version).where(Summons.id == first.id).first()) or {}
    await record_attendance(
        actor=world.ja,
        summons_id=first.id,
        clock=world.clock,
        data=AttendanceIn(version=version["version"], outcome=Outcome.LATE, reason="Bus"),
    )
    return case.id


async def test_one_statement_shows_what_the_plain_reads_show(world: World):
    if not db.is_postgres():
        pytest.skip("the one-statement read is PostgreSQL's; SQLite runs the plain reads")
    case_id = await _rich_case(world)
    now = world.clock.now()
    by_statement = await views._read_case_pg(world.ja2, case_id, now)
    by_reads = await views._read_case_piccolo(world.ja2, case_id, now)
    assert by_statement.model_dump() == by_reads.model_dump()
    assert by_statement.victim is not None and by_statement.victim.sapv_contact is not None
    kinds = {c.kind for m in by_statement.measures for c in m.conditions}
    assert {ConditionKind.PROGRAMME, ConditionKind.CONTACT_BAN} <= kinds
    assert [len(s.attendance) for s in by_statement.summons] == [1, 0]
    booked = by_statement.summons[1].interpreter
    assert booked is not None and booked.interpreter_name == "Samira Haddou" and booked.sworn
    assert by_statement.summons[0].interpreter is None
    assert {e.actor.id for e in by_statement.timeline if e.actor} == {world.ja.id}
    # Each read put both people on their disclosure log, perpetrator first, as the plain reads do.
    shown = (
        await AuditEntry.select(AuditEntry.record_type, AuditEntry.person_id)
        .where((AuditEntry.actor_id == world.ja2.id) & (AuditEntry.action == "read"))
        .order_by(AuditEntry.id)
    )
    pair = [
        ("person:perpetrator", by_reads.perpetrator.id),
        ("person:victim", by_reads.victim.id),  # type: ignore[union-attr]
    ]
    assert [(r["record_type"], r["person_id"]) for r in shown] == pair * 2


async def test_a_case_of_another_house_is_neither_shown_nor_logged(world: World):
    case = await world.open_case()
    before = await AuditEntry.count()
    for reader in (world.other_house_ja, world.officer, world.sapv, world.praxis):
        with pytest.raises(NotFound):
            await views.read_case(actor=reader, case_id=case.id, clock=world.clock)
    with pytest.raises(NotFound):
        await views.read_case(actor=world.ja, case_id=case.id + 999, clock=world.clock)
    assert await AuditEntry.count() == before


async def test_the_caseload_knows_a_filed_intake_report(world: World, settings):
    """The intake report comes with the measures on PostgreSQL, by its own query on SQLite."""
    from perp_track.cases.caseload import services as caseload
    from perp_track.cases.rules import RiskLevel
    from perp_track.measures.deadlines import DeadlineKind
    from perp_track.measures.reports import record_report
    from perp_track.measures.rules import MeasureKind, ReportKind
    from perp_track.measures.schemas import AuthorityReportIn
    from perp_track.measures.tables import Measure
    from perp_track.risk.tables import RiskPolicy

    # The risk policy's reassessment clock off for low risk: the next deadline this test reads
    # is the measure's own periodic report.
    await RiskPolicy.update({RiskPolicy.reassess_days: None}).where(RiskPolicy.tier == "low")
    case = await world.open_case(risk_level=RiskLevel.LOW)
    probation = await world.add_measure(
        case.id,
        MeasureKind.PROBATION,
        starts_on=world.today() - timedelta(days=40),
        decided_on=world.today() - timedelta(days=40),
        ends_on=world.today() + timedelta(days=700),
    )

    async def deadlines() -> set[DeadlineKind]:
        page = await caseload.caseload(actor=world.ja, now=world.clock.now(), settings=settings)
        item = next(i for i in page.items if i.case_id == case.id)
        return {a.deadline for a in item.attention} | ({item.next_due} - {None})

    assert DeadlineKind.INTAKE_REPORT in await deadlines()
    version = await Measure.select(Measure.version).where(Measure.id == probation.id).first()
    await record_report(
        actor=world.ja,
        measure_id=probation.id,
        data=AuthorityReportIn(
            kind=ReportKind.INTAKE,
            period_from=probation.starts_on,
            period_to=world.today(),
            assessment="Intake done.",
            version=(version or {})["version"],
        ),
        clock=world.clock,
        settings=settings,
    )
    after = await deadlines()
    assert DeadlineKind.INTAKE_REPORT not in after
    assert DeadlineKind.PERIODIC_REPORT in after
