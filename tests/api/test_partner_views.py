from datetime import timedelta

from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from tests.world import World


async def _case_with_measures(world: World):
    case = await world.open_case()
    await world.add_measure(
        case.id,
        MeasureKind.PROBATION,
        ends_on=world.today() + timedelta(days=800),
        notes="Session notes: talked about his father",
        conditions=[
            world.programme(),
            ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons="Julie Dubois"),
        ],
    )
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    return case


async def test_the_officer_sees_the_cases_they_referred_without_notes_or_victim(api, world: World):
    case = await _case_with_measures(world)
    r = await api.as_(world.officer, "GET", "/api/police/cases")
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 1
    item = page["items"][0]
    assert item["reference"] == case.reference
    assert item["perpetrator"]["address"] == "Rue Saint-Gilles 1, 4000 Liège"
    assert [m["kind"] for m in item["measures"]] == ["probation", "temporary_residence_ban"]
    assert item["compliance"]["non_compliance_reported"] is False
    text = r.text
    for secret in ("Session notes", "Julie", "+32470333444", "notes", "protected_persons"):
        assert secret not in text
    assert "victim" not in text
    r = await api.as_(world.officer, "GET", f"/api/police/cases/{case.id}")
    assert r.json() == item
    # A case someone else referred does not exist for this officer.
    other = await world.open_case(referring_officer_id=None)
    r = await api.as_(world.officer, "GET", f"/api/police/cases/{other.id}")
    assert r.status_code == 404


async def test_the_sapv_contact_sees_her_protection_never_his_address(api, world: World):
    case = await _case_with_measures(world)
    r = await api.as_(world.sapv, "GET", "/api/sapv/victims")
    assert r.status_code == 200, r.text
    victim = r.json()["items"][0]
    assert victim["id"] == case.victim.id
    assert victim["phone"] == "+32470333444"
    (seen,) = victim["cases"]
    kinds = [m["kind"] for m in seen["protective_measures"]]
    assert kinds == ["probation", "temporary_residence_ban"]
    assert [c["kind"] for c in seen["protective_measures"][0]["conditions"]] == ["contact_ban"]
    assert seen["protective_measures"][1]["ends_on"] == (world.today() + timedelta(14)).isoformat()
    for secret in ("Saint-Gilles", "Marc", "+32470111222", "Session notes", "programme"):
        assert secret not in r.text
    # The perpetrator is not a victim she supports: he does not exist for her.
    r = await api.as_(world.sapv, "GET", f"/api/sapv/victims/{case.perpetrator.id}")
    assert r.status_code == 404
    r = await api.as_(world.sapv, "GET", f"/api/sapv/victims/{case.victim.id}")
    assert r.json() == victim
    # And the read is on her disclosure log.
    r = await api.as_(world.supervisor, "GET", f"/api/audit?person_id={case.victim.id}")
    assert world.sapv.id in {e["actor_id"] for e in r.json()["items"]}


async def test_other_roles_are_refused_the_partner_views(api, world: World):
    for user in (world.ja, world.praxis, world.sapv):
        assert (await api.as_(user, "GET", "/api/police/cases")).status_code == 403
    for user in (world.ja, world.praxis, world.officer):
        assert (await api.as_(user, "GET", "/api/sapv/victims")).status_code == 403
