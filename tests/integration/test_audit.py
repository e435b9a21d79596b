import pytest

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import current_request_id
from perp_track.audit.tables import AuditEntry
from perp_track.cases.services import read_case
from tests.world import World


async def test_every_write_and_every_read_of_victim_data_is_on_the_trail(world: World):
    case = await world.open_case()
    await world.add_measure(case.id)
    token = current_request_id.set("req-123")
    try:
        await read_case(actor=world.ja2, case_id=case.id, clock=world.clock)
    finally:
        current_request_id.reset(token)
    rows = await AuditEntry.select().order_by(AuditEntry.id).output(load_json=True)
    writes = [r for r in rows if r["action"] == "write"]
    assert [w["detail"].split()[0] for w in writes] == ["case_opened", "measure_added"]
    assert all(w["case_id"] == case.id and w["actor_id"] == world.ja.id for w in writes)
    victim_reads = [r for r in rows if r["record_type"] == "person:victim"]
    # open_case shows the case to the JA (one read), then ja2 reads it.
    assert [r["actor_id"] for r in victim_reads] == [world.ja.id, world.ja2.id]
    last = victim_reads[-1]
    assert last["person_id"] == case.victim.id
    assert last["request_id"] == "req-123"
    assert {"phone", "address", "first_name"} <= set(last["fields"])
    # No personal value is ever copied into the trail.
    text = repr(rows)
    for value in ("Julie", "Dubois", "+32470333444", "Saint-Gilles"):
        assert value not in text
    check = await audit.verify_chain(actor=world.supervisor)
    assert check.intact
    assert check.checked == len(rows)


async def test_the_database_refuses_to_change_or_delete_the_trail(world: World):
    await world.open_case()
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.detail: "nothing happened"}).where(AuditEntry.id > 0)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.id > 0)
    assert await AuditEntry.count() > 0


async def test_a_tampered_entry_breaks_the_chain(world: World):
    await world.open_case()
    await world.open_case()
    rows = await AuditEntry.select().order_by(AuditEntry.id)
    victim = rows[1]
    # Only an operator bypassing the trigger could do this; the chain still shows it.
    engine = db.engine()
    edit = f"UPDATE audit_entry SET detail = 'edited' WHERE id = {int(victim['id'])}"  # noqa: S608
    if db.is_postgres():
        await engine.run_ddl("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        await engine.run_ddl(edit)
        await engine.run_ddl("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
    else:
        await engine.run_ddl("DROP TRIGGER audit_entry_no_update")
        await engine.run_ddl(edit)
    check = await audit.verify_chain(actor=world.supervisor)
    assert not check.intact
    assert check.first_broken_id == victim["id"]


async def test_reading_a_contact_ban_is_a_read_of_victim_data(world: World):
    from perp_track.measures.rules import ConditionKind
    from perp_track.measures.schemas import ConditionCreate
    from perp_track.measures.services import read_measure

    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        conditions=[ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons="Julie")],
    )
    await read_measure(actor=world.ja2, measure_id=measure.id, clock=world.clock)
    rows = (
        await AuditEntry.select()
        .where(
            (AuditEntry.record_type == "measure_condition") & (AuditEntry.actor_id == world.ja2.id)
        )
        .output(load_json=True)
    )
    assert [(r["person_id"], r["fields"]) for r in rows] == [
        (case.victim.id, ["protected_persons"])
    ]


async def test_concurrent_appends_keep_one_unbroken_chain(world: World):
    import asyncio

    from perp_track.audit.rules import Action

    await asyncio.gather(
        *(
            audit.append(
                actor=world.ja,
                action=Action.READ,
                record_type="person:victim",
                record_id=i,
                now=world.clock.now(),
            )
            for i in range(25)
        )
    )
    check = await audit.verify_chain(actor=world.supervisor)
    assert check.intact
    assert check.checked == await AuditEntry.count()
    hashes = await AuditEntry.select(AuditEntry.prev_hash)
    assert len({h["prev_hash"] for h in hashes}) == len(hashes)  # no fork


async def test_a_supervisor_of_another_house_sees_none_of_this_house(world: World):
    from perp_track.auth.rules import Role
    from perp_track.auth.services import create_user
    from tests.world import PASSWORD

    await world.open_case()
    other = await create_user(
        email="sup.b@test.example",
        full_name="Sup B",
        role=Role.SUPERVISOR,
        organisation_id=world.orgs["jh2"],
        password=PASSWORD,
        clock=world.clock,
    )
    assert (await audit.query(actor=world.supervisor)).total > 0
    assert (await audit.query(actor=other)).total == 0
