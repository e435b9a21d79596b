"""A ban protects an address: without one it is refused, naming the field, and nothing is saved;
every ban in force that the pages create is on the red list of the referring officer's zone."""

from __future__ import annotations

from datetime import timedelta

from perp_track.measures.rules import IN_FORCE_STATUSES, ConditionKind, MeasureKind
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.tables import Notification
from tests.pages.conftest import Browser
from tests.world import World


def _measure_form(world: World, kind: str, **rows: str) -> dict[str, str]:
    return {
        "kind": kind,
        "decided_by": "Parquet de Liège",
        "decided_on": world.today().isoformat(),
        "starts_on": world.today().isoformat(),
        "step": "create",  # from the check-your-answers page
        **rows,
    }


async def _homeless_case(world: World):  # type: ignore[no-untyped-def]
    """A case whose victim's address is not known."""
    victim = world.case_data().victim
    assert victim is not None
    return await world.open_case(victim=victim.model_copy(update={"address": None}))


async def test_a_residence_ban_without_an_address_is_refused_naming_the_field(
    browser: Browser, world: World
):
    case = await _homeless_case(world)
    await browser.login(world.ja.email)
    outbox_before = await Notification.count()
    url = f"/cases/{case.id}/measures/new"
    # A programme in the first row: the address asked for is the next free row's.
    r = await browser.post(
        url,
        _measure_form(
            world,
            "temporary_residence_ban",
            **{"conditions.0.kind": "contact_ban", "conditions.0.protected_persons": "Julie"},
        ),
    )
    assert r.status_code == 422
    assert 'id="f-conditions-1-address-error"' in r.text
    assert 'href="#f-conditions-1-address"' in r.text  # the error summary links to the field
    assert "interdiction temporaire de résidence" in r.text.lower()
    assert await Measure.count().where(Measure.case == case.id) == 0
    assert await Notification.count() == outbox_before  # nobody told of a ban that is not

    # A place ban in the form, its address left empty: refused on that row.
    r = await browser.post(
        url,
        _measure_form(world, "probation", ends_on=(world.today() + timedelta(days=400)).isoformat())
        | {"conditions.0.kind": "therapy", "conditions.2.kind": "place_ban"},
    )
    assert r.status_code == 422
    assert 'id="f-conditions-2-address-error"' in r.text
    assert await Measure.count().where(Measure.case == case.id) == 0


async def test_every_ban_in_force_made_in_the_pages_is_on_the_zone_red_list(
    browser: Browser, world: World
):
    homeless = await _homeless_case(world)
    at_home = await world.open_case()  # the victim's address is known
    await browser.login(world.ja.email)
    later = (world.today() + timedelta(days=400)).isoformat()
    forms = [
        (
            homeless.id,
            _measure_form(world, "temporary_residence_ban")
            | {"conditions.0.kind": "place_ban", "conditions.0.address": "Rue du Parc 2"},
        ),
        (at_home.id, _measure_form(world, "temporary_residence_ban")),
        (
            at_home.id,
            _measure_form(world, "probation", ends_on=later)
            | {"conditions.1.kind": "place_ban", "conditions.1.address": "Quai de Rome 7"},
        ),
        (
            homeless.id,
            _measure_form(world, "mediation_216ter")
            | {"conditions.0.kind": "place_ban", "conditions.0.address": "Place du Marché 1"},
        ),
    ]
    for case_id, form in forms:
        r = await browser.post(f"/cases/{case_id}/measures/new", form)
        assert r.status_code == 303, r.text
    # The probation and the mediation wait for their intake: start them.
    waiting = await Measure.select().where(Measure.status.not_in(sorted(IN_FORCE_STATUSES)))
    for m in waiting:
        for event in ("schedule_intake", "start"):
            fresh = await Measure.select().where(Measure.id == m["id"]).first()
            r = await browser.post(
                f"/measures/{m['id']}/transition",
                {
                    "event": event,
                    "reason": "Intake held",
                    "version": str(fresh["version"]),
                    "confirm": "yes",
                },
            )
            assert r.status_code == 303, r.text

    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    red_list = (await browser.get("/red-list")).text
    in_force = await Measure.select().where(Measure.status.is_in(sorted(IN_FORCE_STATUSES)))
    bans = 0
    for m in in_force:
        places = await Condition.select(Condition.address).where(
            (Condition.measure == m["id"]) & (Condition.kind == ConditionKind.PLACE_BAN)
        )
        if m["kind"] == MeasureKind.TEMPORARY_RESIDENCE_BAN or places:
            bans += 1
            addresses = [p["address"] for p in places] or ["Rue Haute 12, 4000 Liège"]
            for address in addresses:
                assert address in red_list, (m["kind"], address)
    assert bans == 4
