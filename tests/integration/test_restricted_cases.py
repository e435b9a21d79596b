"""Restricted cases at the service layer: who may restrict and keep the list, what the list
must hold, bad input changing nothing; the red list, the notices, the inbox, the statistics
and the audit trail around a restricted case; the audit trail scoped by record."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from perp_track.audit import services as audit
from perp_track.audit.tables import AuditEntry
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.services import create_user
from perp_track.cases import views
from perp_track.cases.restriction import services as restriction
from perp_track.cases.restriction.rules import RestrictionReason
from perp_track.cases.restriction.schemas import NameIn, RestrictIn, UnrestrictIn
from perp_track.cases.services import open_case
from perp_track.cases.statistics import house_statistics
from perp_track.cases.tables import Case, CaseAccess, CaseEvent
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.inbox.services import list_inbox
from perp_track.measures.rules import MeasureKind
from perp_track.notify.rules import SystemNotice
from perp_track.notify.tables import Notification
from perp_track.privacy.export import export_person
from perp_track.redlist.services import red_list
from tests.world import PASSWORD, World

TZ = ZoneInfo("Europe/Brussels")


async def _version(case_id: int) -> int:
    row = await Case.select(Case.version).where(Case.id == case_id).first()
    assert row is not None
    return int(row["version"])


async def _restrict(world: World, case_id: int, **data: Any) -> Any:
    values: dict[str, Any] = {"reason": RestrictionReason.STAFF_MEMBER_INVOLVED}
    values.update(data)
    return await restriction.restrict(
        actor=world.supervisor,
        case_id=case_id,
        data=RestrictIn(version=await _version(case_id), **values),
        clock=world.clock,
    )


async def _supervisor(world: World, email: str, house: str = "jh") -> ActingUser:
    return await create_user(
        email=email,
        full_name=email.split("@")[0].title(),
        role=Role.SUPERVISOR,
        organisation_id=world.orgs[house],
        password=PASSWORD,
        clock=world.clock,
    )


async def test_the_supervisor_and_the_assigned_assistant_are_always_on_the_list(world: World):
    case = await world.open_case()
    read = await _restrict(world, case.id, user_ids=[world.officer.id])
    assert read.restricted and read.may_manage
    assert {n.id for n in read.named} == {world.supervisor.id, world.ja.id, world.officer.id}
    assert read.version == case.version + 1
    # Seen by the named, 404 to the others, whatever their role.
    assert (await views.read_case(actor=world.ja, case_id=case.id)).restricted
    with pytest.raises(NotFound):
        await views.read_case(actor=world.ja2, case_id=case.id)
    items, _ = await views.list_cases(actor=world.ja2, mine=False, limit=50, offset=0)
    assert case.id not in {i.id for i in items}
    events = await CaseEvent.select().where(CaseEvent.case == case.id).output(load_json=True)
    restricted = [e for e in events if e["kind"] == "case_restricted"]
    assert restricted[0]["data"]["reason"] == "staff_member_involved"
    assert restricted[0]["actor"] == world.supervisor.id


async def test_who_may_restrict_and_bad_input_change_nothing(world: World):
    case = await world.open_case()
    version = await _version(case.id)
    # A justice assistant asks a supervisor.
    with pytest.raises(Forbidden):
        await restriction.restrict(
            actor=world.ja,
            case_id=case.id,
            data=RestrictIn(reason=RestrictionReason.OTHER, note="x", version=version),
            clock=world.clock,
        )
    bad: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"reason": RestrictionReason.OTHER}, Invalid),  # "other" needs a note
        ({"user_ids": [world.other_house_ja.id]}, Invalid),  # another house's assistant
        ({"user_ids": [999_999]}, Invalid),  # nobody
        ({"version": version + 5}, Conflict),  # a stale read
    ]
    for data, error in bad:
        values = {"reason": RestrictionReason.PUBLIC_FIGURE_INVOLVED, "version": version, **data}
        with pytest.raises(error):
            await restriction.restrict(
                actor=world.supervisor,
                case_id=case.id,
                data=RestrictIn(**values),
                clock=world.clock,
            )
    assert await _version(case.id) == version
    assert not (await Case.select(Case.restricted).where(Case.id == case.id).first())["restricted"]
    assert await CaseAccess.count().where(CaseAccess.case == case.id) == 0
    await _restrict(world, case.id)
    with pytest.raises(Conflict):
        await _restrict(world, case.id)


async def test_the_list_keeps_its_assistant_and_a_supervisor(world: World):
    case = await world.open_case()
    read = await _restrict(world, case.id)
    for user in (world.ja, world.supervisor):
        with pytest.raises(Invalid):
            await restriction.remove_user(
                actor=world.supervisor,
                case_id=case.id,
                data=NameIn(user_id=user.id, version=read.version),
                clock=world.clock,
            )
    # A named assistant cannot change the list.
    with pytest.raises(Forbidden):
        await restriction.name_user(
            actor=world.ja,
            case_id=case.id,
            data=NameIn(user_id=world.ja2.id, version=read.version),
            clock=world.clock,
        )
    read = await restriction.name_user(
        actor=world.supervisor,
        case_id=case.id,
        data=NameIn(user_id=world.ja2.id, version=read.version),
        clock=world.clock,
    )
    assert world.ja2.id in {n.id for n in read.named}
    await views.read_case(actor=world.ja2, case_id=case.id)
    with pytest.raises(Conflict):
        await restriction.name_user(
            actor=world.supervisor,
            case_id=case.id,
            data=NameIn(user_id=world.ja2.id, version=read.version),
            clock=world.clock,
        )
    read = await restriction.remove_user(
        actor=world.supervisor,
        case_id=case.id,
        data=NameIn(user_id=world.ja2.id, version=read.version),
        clock=world.clock,
    )
    with pytest.raises(NotFound):
        await views.read_case(actor=world.ja2, case_id=case.id)
    kinds = [
        e["kind"] for e in await CaseEvent.select(CaseEvent.kind).where(CaseEvent.case == case.id)
    ]
    assert kinds[-2:] == ["case_access_granted", "case_access_removed"]
    # Lifting needs a reason; then the case is the house's again and the list is gone.
    with pytest.raises(Invalid):
        await restriction.lift(
            actor=world.supervisor,
            case_id=case.id,
            data=UnrestrictIn(note="  ", version=read.version),
            clock=world.clock,
        )
    read = await restriction.lift(
        actor=world.supervisor,
        case_id=case.id,
        data=UnrestrictIn(note="The officer left the force", version=read.version),
        clock=world.clock,
    )
    assert not read.restricted and read.named == []
    await views.read_case(actor=world.ja2, case_id=case.id)
    assert await CaseAccess.count().where(CaseAccess.case == case.id) == 0


async def test_a_ban_stays_on_the_red_list_without_its_case_for_whoever_is_not_named(
    world: World,
):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    before = await red_list(
        zone_id=world.orgs["police"], clock=world.clock, tz=TZ, reader=world.officer
    )
    assert [e.case_reference for e in before.entries] == [case.reference]
    read = await _restrict(world, case.id)
    after = await red_list(
        zone_id=world.orgs["police"], clock=world.clock, tz=TZ, reader=world.officer
    )
    # Victim safety first: the address still reaches the police on duty, the case does not.
    assert [e.address for e in after.entries] == [e.address for e in before.entries]
    assert [e.case_reference for e in after.entries] == [None]
    await restriction.name_user(
        actor=world.supervisor,
        case_id=case.id,
        data=NameIn(user_id=world.officer.id, version=read.version),
        clock=world.clock,
    )
    named = await red_list(
        zone_id=world.orgs["police"], clock=world.clock, tz=TZ, reader=world.officer
    )
    assert [e.case_reference for e in named.entries] == [case.reference]


async def test_whoever_is_not_named_hears_there_is_news_not_the_case(world: World):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    old = await Notification.count().where(Notification.recipient_user == world.officer.id)
    assert old > 0
    await Notification.update({Notification.state: "delivered"}).where(
        Notification.recipient_user == world.officer.id
    )
    assert (await list_inbox(actor=world.officer, unread_only=False, limit=50, offset=0)).total
    await _restrict(world, case.id)
    # What the inbox held about the case leaves it.
    page = await list_inbox(actor=world.officer, unread_only=False, limit=50, offset=0)
    assert page.total == 0
    # A new protective measure: the officer and the SAPV contact are told there is news.
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    rows = (
        await Notification.select()
        .where(
            Notification.recipient_user.is_in([world.officer.id, world.sapv.id])
            & (Notification.id > 0)
        )
        .order_by(Notification.id)
    )
    new = rows[-2:]
    assert {r["template"] for r in new} == {SystemNotice.RESTRICTED_CASE_NEWS}
    assert all(r["case"] is None and r["channel"] == "in_app" for r in new)
    assert all(case.reference not in str(r["payload"]) for r in new)
    assert {r["recipient_user"] for r in new} == {world.officer.id, world.sapv.id}


async def test_statistics_count_a_restricted_case_without_showing_it(world: World):
    case = await world.open_case()
    await world.add_measure(case.id)
    other = await _supervisor(world, "sup.two@test.example")
    before = await house_statistics(actor=other, now=world.clock.now(), tz=TZ)
    await _restrict(world, case.id)
    after = await house_statistics(actor=other, now=world.clock.now(), tz=TZ)
    # Counted in every figure, never a row of its own: the figures are the same.
    assert after == before
    assert after.cases_without_summons >= 1


async def test_the_audit_trail_goes_by_record_not_by_actor(world: World):
    """An administrator of Liège exporting a person of Antwerp's case: Antwerp's supervisor
    and the administrators see it, Liège's supervisor does not."""
    other_case = await world.open_case()  # a Liège case, for contrast
    antwerp_case = await open_case(
        actor=world.other_house_ja, data=world.case_data(), clock=world.clock
    )
    admin = await create_user(
        email="admin.lie@test.example",
        full_name="Admin Liege",
        role=Role.ADMIN,
        organisation_id=world.orgs["jh"],
        password=PASSWORD,
        clock=world.clock,
    )
    antwerp_supervisor = await _supervisor(world, "sup.ant@test.example", "jh2")
    await export_person(actor=admin, person_id=antwerp_case.perpetrator.id, clock=world.clock)

    async def exports_seen_by(actor: ActingUser) -> set[int]:
        page = await audit.query(actor=actor, action="export", limit=100)
        return {e.person_id for e in page.items}

    assert antwerp_case.perpetrator.id not in await exports_seen_by(world.supervisor)
    assert antwerp_case.perpetrator.id in await exports_seen_by(antwerp_supervisor)
    assert antwerp_case.perpetrator.id in await exports_seen_by(admin)
    # Liège's own records stay Liège's, whoever acted.
    await export_person(actor=admin, person_id=other_case.perpetrator.id, clock=world.clock)
    assert other_case.perpetrator.id in await exports_seen_by(world.supervisor)
    assert other_case.perpetrator.id not in await exports_seen_by(antwerp_supervisor)


async def test_a_restricted_cases_audit_entries_are_for_its_named_supervisors(world: World):
    case = await world.open_case()
    await _restrict(world, case.id)
    other = await _supervisor(world, "sup.two@test.example")
    named_page = await audit.query(actor=world.supervisor, case_id=case.id, limit=100)
    assert named_page.total > 0
    assert (await audit.query(actor=other, case_id=case.id, limit=100)).total == 0
    everything = await audit.query(actor=other, limit=500)
    assert case.id not in {e.case_id for e in everything.items}
    assert await AuditEntry.count().where(AuditEntry.case_id == case.id) == named_page.total


async def test_messages_still_waiting_are_held_back_when_the_case_is_restricted(world: World):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    waiting = await Notification.select().where(
        (Notification.case == case.id)
        & (Notification.recipient_user == world.officer.id)
        & (Notification.state == "queued")
    )
    assert waiting
    await _restrict(world, case.id)
    rows = await Notification.select().where(Notification.id.is_in([w["id"] for w in waiting]))
    assert {(r["state"], r["error_code"]) for r in rows} == {("suppressed", "case_restricted")}
    news = await Notification.select().where(
        (Notification.recipient_user == world.officer.id)
        & (Notification.template == SystemNotice.RESTRICTED_CASE_NEWS)
    )
    assert len(news) == 1 and news[0]["case"] is None and news[0]["state"] == "queued"
    # The JA and the supervisor, named, keep theirs.
    assert (
        await Notification.count().where(
            (Notification.case == case.id)
            & (Notification.state == "suppressed")
            & Notification.recipient_user.is_in([world.ja.id, world.supervisor.id])
        )
        == 0
    )


async def test_a_supervisor_who_takes_themselves_off_no_longer_sees_the_case(world: World):
    case = await world.open_case()
    colleague = await _supervisor(world, "sup.two@test.example")
    read = await _restrict(world, case.id, user_ids=[colleague.id])
    read = await restriction.remove_user(
        actor=world.supervisor,
        case_id=case.id,
        data=NameIn(user_id=world.supervisor.id, version=read.version),
        clock=world.clock,
    )
    assert not read.may_manage and read.named == []
    with pytest.raises(NotFound):
        await views.read_case(actor=world.supervisor, case_id=case.id)
    assert (await restriction.read_restriction(actor=colleague, case_id=case.id)).may_manage


async def test_a_restricted_case_reassigned_names_its_new_assistant(world: World):
    """The assigned justice assistant is always on the list: a supervisor who gives a
    restricted case to a colleague names that colleague on it in the same step."""
    from perp_track.cases.changes import reassign_case
    from perp_track.cases.schemas import ReassignIn

    case = await world.open_case()
    await _restrict(world, case.id)
    with pytest.raises(NotFound):
        await views.read_case(actor=world.ja2, case_id=case.id)
    await reassign_case(
        actor=world.supervisor,
        case_id=case.id,
        data=ReassignIn(
            assigned_ja_id=world.ja2.id, reason="leave", version=await _version(case.id)
        ),
        clock=world.clock,
    )
    assert (await views.read_case(actor=world.ja2, case_id=case.id)).restricted
    named = await CaseAccess.select(CaseAccess.user).where(CaseAccess.case == case.id)
    assert {world.ja.id, world.ja2.id, world.supervisor.id} <= {n["user"] for n in named}
    events = await CaseEvent.select(CaseEvent.kind).where(CaseEvent.case == case.id)
    assert "case_access_granted" in {e["kind"] for e in events}


async def test_a_restricted_case_is_not_found_by_its_reference(world: World):
    """Finding a colleague's case by reference goes through the same scoping: a restricted
    case is found by those named on it only."""
    from perp_track.cases import lookup

    case = await world.open_case()
    await _restrict(world, case.id)
    assert await lookup.find_by_reference(actor=world.ja2, text=case.reference) == []
    found = await lookup.find_by_reference(actor=world.ja, text=case.reference)
    assert [f["id"] for f in found] == [case.id]
