import csv
import io
from datetime import timedelta

from perp_track.auth.rules import Role
from perp_track.auth.services import create_user
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.services import create_organisation
from tests.world import PASSWORD, World


async def _admin(world: World):
    return await create_user(
        email="admin@test.example",
        full_name="Admin",
        role=Role.ADMIN,
        organisation_id=world.orgs["jh"],
        password=PASSWORD,
        clock=world.clock,
    )


async def test_the_zone_feed_shows_a_ban_the_moment_it_starts_and_drops_it_when_it_ends(
    api, world: World
):
    admin = await _admin(world)
    r = await api.as_(
        admin, "POST", "/api/redlist/tokens", json={"zone_id": world.orgs["police"], "label": "CIC"}
    )
    assert r.status_code == 201, r.text
    feed = {"Authorization": f"Bearer {r.json()['token']}"}
    token_id = r.json()["id"]
    assert (await api.client.get("/api/redlist/feed", headers=feed)).json()["entries"] == []

    case = await world.open_case(
        victim=world.case_data().victim.model_copy(update={"address": "Rue Haute 5, 4000 Liège"})
    )
    ban = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    await world.add_measure(
        case.id,
        MeasureKind.PROBATION,
        ends_on=world.today() + timedelta(days=400),
        starts_on=world.today() + timedelta(days=3),
        conditions=[ConditionCreate(kind=ConditionKind.PLACE_BAN, address="=Rue du Parc 2")],
    )
    r = await api.client.get("/api/redlist/feed", headers=feed)
    assert r.status_code == 200
    entries = r.json()["entries"]
    assert [(e["address"], e["ban"]) for e in entries] == [
        ("Rue Haute 5, 4000 Liège", "residence_ban")
    ]
    assert "Julie" not in r.text
    assert "Marc" not in r.text
    # The probation starts in three days: its place ban appears then, not before.
    world.clock.advance(timedelta(days=3))
    api.forget_tokens()  # the staff's tokens expired meanwhile; the feed token did not
    r = await api.client.get("/api/redlist/feed/csv", headers=feed)
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(row["address"] for row in rows) == ["'=Rue du Parc 2", "Rue Haute 5, 4000 Liège"]
    # The ban is lifted: it leaves the list at once.
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/measures/{ban.id}/transitions",
        json={"event": "lift", "reason": "lifted by the family court", "version": ban.version},
    )
    assert r.status_code == 200, r.text
    r = await api.client.get("/api/redlist/feed", headers=feed)
    assert [e["ban"] for e in r.json()["entries"]] == ["place_ban"]
    # The officer of the zone sees the same; the token reads nothing else.
    r = await api.as_(world.officer, "GET", "/api/police/red-list")
    assert [e["ban"] for e in r.json()["entries"]] == ["place_ban"]
    assert (await api.client.get(f"/api/cases/{case.id}", headers=feed)).status_code == 403
    assert (await api.client.get("/api/police/cases", headers=feed)).status_code == 403
    # Revoked, it opens nothing.
    assert (await api.as_(admin, "DELETE", f"/api/redlist/tokens/{token_id}")).status_code == 204
    assert (await api.client.get("/api/redlist/feed", headers=feed)).status_code == 401


async def test_another_zone_sees_none_of_it_and_users_cannot_read_the_feed(api, world: World):
    admin = await _admin(world)
    zone2 = await create_organisation(
        name="ZP Seraing", kind=OrgKind.POLICE_ZONE, code="5278", clock=world.clock
    )
    case = await world.open_case(
        victim=world.case_data().victim.model_copy(update={"address": "Rue Haute 5"})
    )
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    r = await api.as_(admin, "POST", "/api/redlist/tokens", json={"zone_id": zone2, "label": "x"})
    feed = {"Authorization": f"Bearer {r.json()['token']}"}
    assert (await api.client.get("/api/redlist/feed", headers=feed)).json()["entries"] == []
    assert (await api.as_(world.officer, "GET", "/api/redlist/feed")).status_code == 403
    r = await api.as_(
        admin, "POST", "/api/redlist/tokens", json={"zone_id": world.orgs["jh"], "label": "x"}
    )
    assert r.status_code == 422
    assert (await api.as_(world.officer, "GET", "/api/redlist/tokens")).status_code == 403
