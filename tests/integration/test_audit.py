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
    await audit.seal()  # the sealing job has chained them
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


async def _bypassing_the_trigger(sql: str) -> None:
    """What only an operator with the table owner's rights could do."""
    engine = db.engine()
    if db.is_postgres():
        await engine.run_ddl("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        await engine.run_ddl(sql)
        await engine.run_ddl("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
    else:
        await engine.run_ddl("DROP TRIGGER audit_entry_no_delete")
        await engine.run_ddl(sql)


async def test_a_deleted_entry_breaks_the_chain_and_the_query_still_works(world: World):
    case = await world.open_case()
    await world.add_measure(case.id)
    assert await audit.seal() > 0
    rows = await AuditEntry.select().order_by(AuditEntry.chain_seq)
    gone, after = rows[1], rows[2]
    await _bypassing_the_trigger(f"DELETE FROM audit_entry WHERE id = {int(gone['id'])}")  # noqa: S608
    check = await audit.verify_chain(actor=world.supervisor)
    assert not check.intact
    assert check.first_broken_id == after["id"]
    # The supervisor's query reads the trail as before, sealed entries and waiting ones alike.
    await world.add_measure(case.id)
    page = await audit.query(actor=world.supervisor, case_id=case.id)
    kept = [r for r in rows if r["case_id"] == case.id and r["id"] != gone["id"]]
    assert page.total == len(kept) + 1
    assert page.items[0].entry_hash is None  # the newest waits for the sealer
    assert all(item.entry_hash for item in page.items[1:])


async def test_appends_wait_for_nothing_and_the_sealer_chains_late_commits(world: World):
    """An entry whose transaction commits after a later one was sealed goes further down the
    chain; appends in two open transactions do not wait for each other."""
    import asyncio

    from perp_track.audit.rules import Action

    async def append(i: int) -> int:
        return await audit.append(
            actor=world.ja,
            action=Action.READ,
            record_type="person:victim",
            record_id=i,
            now=world.clock.now(),
        )

    if not db.is_postgres():
        pytest.skip("concurrent writers: PostgreSQL (SQLite has one writer by design)")
    held, release = asyncio.Event(), asyncio.Event()

    async def slow() -> int:
        async with db.transaction():
            entry = await append(1)
            held.set()
            await release.wait()
        return entry

    task = asyncio.create_task(slow())
    await held.wait()
    async with db.transaction():  # would wait on a chain-wide lock until `slow` commits
        quick = await asyncio.wait_for(append(2), timeout=5)
    assert await audit.seal() >= 1
    release.set()
    late = await task
    assert late < quick
    assert await audit.seal() == 1
    seqs = {
        r["id"]: r["chain_seq"]
        for r in await AuditEntry.select(AuditEntry.id, AuditEntry.chain_seq).where(
            AuditEntry.id.is_in([late, quick])
        )
    }
    assert seqs[late] == seqs[quick] + 1
    assert (await audit.verify_chain(actor=world.supervisor)).intact


async def test_the_trigger_lets_through_the_seal_and_nothing_else(world: World):
    await world.open_case()
    entry = (await AuditEntry.select().order_by(AuditEntry.id).first()) or {}
    seal = {AuditEntry.chain_seq: 10_000, AuditEntry.prev_hash: "0" * 64}
    # A seal that also rewrites the content is refused.
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update(
            {**seal, AuditEntry.entry_hash: "f" * 64, AuditEntry.detail: "nothing happened"}
        ).where(AuditEntry.id == entry["id"])
    await audit.seal()
    # Once sealed, even the chain columns are fixed.
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.entry_hash: "f" * 64}).where(
            AuditEntry.id == entry["id"]
        )
    assert (await audit.verify_chain(actor=world.supervisor)).intact
