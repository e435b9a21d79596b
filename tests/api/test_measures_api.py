"""The measures API: each rule's bad path answers a clear 4xx and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.world import World


async def test_the_lifecycle_tables_are_published(api, world: World):
    r = await api.as_(world.ja, "GET", "/api/measures/transitions")
    assert r.status_code == 200
    extend = [row for row in r.json() if row["event"] == "extend"]
    assert extend
    assert all(
        set(row["kinds"]) == {"temporary_residence_ban", "release_under_conditions"}
        for row in extend
    )
    r = await api.as_(world.ja, "GET", "/api/measures/condition-transitions")
    assert {row["event"] for row in r.json()} >= {"start", "meet", "breach", "waive"}


async def test_transition_bad_paths(api, world: World):
    case = await world.open_case()
    m = await world.add_measure(case.id, MeasureKind.MEDIATION_216TER)
    url = f"/api/measures/{m.id}/transitions"
    # No version: refused before anything happens.
    r = await api.as_(world.ja, "POST", url, json={"event": "start", "reason": "Intake done"})
    assert r.status_code == 400, r.text
    # Illegal: 409 with what is allowed.
    r = await api.as_(
        world.ja, "POST", url, json={"event": "complete", "reason": "Done", "version": 1}
    )
    assert r.status_code == 409
    assert r.json()["extra"]["allowed"] == ["schedule_intake", "start", "lift"]
    # A JA may not assign: that is the supervisor's.
    r = await api.as_(
        world.ja, "POST", url, json={"event": "start", "reason": "Intake done", "version": 1}
    )
    assert r.status_code == 200
    assert r.json()["version"] == 2
    # Stale version: 409 and nothing changed.
    r = await api.as_(
        world.ja, "POST", url, json={"event": "lift", "reason": "x" * 5, "version": 1}
    )
    assert r.status_code == 409
    assert r.json()["extra"]["current_version"] == 2
    r = await api.as_(world.ja, "GET", f"/api/measures/{m.id}")
    assert r.json()["status"] == "active"
    # An extension past the legal maximum: 422.
    ban = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/measures/{ban.id}/transitions",
        json={
            "event": "extend",
            "reason": "Family court",
            "version": 1,
            "ends_on": (world.today() + timedelta(days=120)).isoformat(),
        },
    )
    assert r.status_code == 422
    assert "cannot run past" in r.json()["detail"]
    # Another justice house does not even learn that the measure exists.
    r = await api.as_(world.other_house_ja, "GET", f"/api/measures/{m.id}")
    assert r.status_code == 404


async def test_condition_breach_of_a_ban_and_hours(api, world: World):
    case = await world.open_case()
    m = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[
            ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons="Julie Dubois"),
            ConditionCreate(kind=ConditionKind.COMMUNITY_SERVICE, hours_due=10),
        ],
    )
    ban = next(c for c in m.conditions if c.kind is ConditionKind.CONTACT_BAN)
    work = next(c for c in m.conditions if c.kind is ConditionKind.COMMUNITY_SERVICE)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/conditions/{ban.id}/transitions",
        json={"event": "breach", "reason": "Police report of 1 March", "version": 1},
    )
    assert r.status_code == 200, r.text
    r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}")
    assert any(e["kind"] == "ban_breach_reported" for e in r.json()["timeline"])
    hours = f"/api/conditions/{work.id}/hours"
    r = await api.as_(world.ja, "POST", hours, json={"hours": 11, "reason": "Att.", "version": 1})
    assert r.status_code == 422
    r = await api.as_(world.ja, "POST", hours, json={"hours": 10, "reason": "Att.", "version": 1})
    assert r.status_code == 200
    done = next(c for c in r.json()["conditions"] if c["id"] == work.id)
    assert done["status"] == "met"
    assert done["hours_done"] == 10
    r = await api.as_(world.ja, "POST", hours, json={"hours": 1, "reason": "Att.", "version": 3})
    assert r.status_code == 409


async def test_programme_routes_are_for_programme_staff_only(api, world: World):
    for who, expected in ((world.ja, 403), (world.officer, 403), (world.praxis, 200)):
        r = await api.as_(who, "GET", "/api/programme/referrals")
        assert r.status_code == expected
    r = await api.as_(world.praxis, "GET", "/api/caseload")
    assert r.status_code == 403
    r = await api.as_(world.praxis, "GET", "/api/cases")
    assert r.status_code == 403


async def test_programme_roll_call_over_http(api, world: World):
    case = await world.open_case()
    m = await world.add_measure(case.id, conditions=[world.programme()])
    referral = next(c.id for c in m.conditions if c.kind is ConditionKind.PROGRAMME)
    r = await api.as_(
        world.praxis,
        "POST",
        "/api/programme/sessions",
        json={"starts_at": world.soon(1, 18).isoformat(), "participants": [referral]},
    )
    assert r.status_code == 201, r.text
    session = r.json()
    assert set(session["participants"][0]) == {
        "condition_id",
        "name",
        "language",
        "interpreter_language",
        "outcome",
        "reason",
    }
    body = {"version": 1, "entries": [{"condition_id": referral, "outcome": "attended"}]}
    url = f"/api/programme/sessions/{session['id']}/roll-call"
    r = await api.as_(world.praxis, "POST", url, json=body)
    assert r.status_code == 422
    assert "not started" in r.json()["detail"]
    world.clock.advance(timedelta(days=2))
    api._tokens.clear()  # the tokens issued two days ago have expired
    r = await api.as_(world.praxis, "POST", url, json=body)
    assert r.status_code == 200
    r = await api.as_(world.praxis, "POST", url, json={**body, "version": 2})
    assert r.status_code == 409


async def test_idempotency_key_replays_the_first_answer(api, world: World):
    body = world.case_data().model_dump(mode="json")
    headers = {"Idempotency-Key": "open-case-7f3a"}
    first = await api.as_(world.ja, "POST", "/api/cases", json=body, headers=headers)
    again = await api.as_(world.ja, "POST", "/api/cases", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    listed = await api.as_(world.ja, "GET", "/api/cases")
    assert listed.json()["total"] == 1
    other = {**body, "summary": "another request"}
    r = await api.as_(world.ja, "POST", "/api/cases", json=other, headers=headers)
    assert r.status_code == 422
    assert "different request" in r.json()["detail"]
    # The key is the user's own: a colleague's same key is another request.
    r = await api.as_(world.ja2, "POST", "/api/cases", json=body, headers=headers)
    assert r.status_code == 201
    assert r.json()["id"] != first.json()["id"]
    # A refused request is replayed too: it does not run twice.
    bad = {**body, "mandating_authority": "nobody"}
    r1 = await api.as_(world.ja, "POST", "/api/cases", json=bad, headers={"Idempotency-Key": "b"})
    r2 = await api.as_(world.ja, "POST", "/api/cases", json=bad, headers={"Idempotency-Key": "b"})
    assert r1.status_code == r2.status_code == 400
    r = await api.as_(world.ja, "POST", "/api/cases", json=body, headers={"Idempotency-Key": " "})
    assert r.status_code == 422


async def test_summons_letter_and_calendar(api, world: World):
    case = await world.open_case(interpreter_language="arabic")
    s = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(7, 10), place="Rue de Campine 1, Liège"),
        clock=world.clock,
    )
    for lang, word in (("fr", "Convocation"), ("nl", "Oproeping"), ("en", "Summons")):
        r = await api.as_(world.ja, "GET", f"/api/summons/{s.id}/letter?lang={lang}")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert word in r.text
        assert "Marc Dubois" in r.text
        assert "Julie" not in r.text  # nothing about the victim
        assert "arabic" in r.text
    r = await api.as_(world.ja, "GET", f"/api/summons/{s.id}/letter?lang=xx")
    assert r.status_code == 400
    r = await api.as_(world.ja, "GET", f"/api/summons/{s.id}/calendar.ics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in r.text
    assert f"UID:summons-{s.id}@perp-track.test" in r.text
    r = await api.as_(world.other_house_ja, "GET", f"/api/summons/{s.id}/calendar.ics")
    assert r.status_code == 404


async def test_compliance_report_prints_in_three_languages(api, world: World):
    case = await world.open_case()
    m = await world.add_measure(
        case.id,
        MeasureKind.PROBATION,
        ends_on=world.today() + timedelta(days=400),
        conditions=[world.programme()],
    )
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/measures/{m.id}/reports",
        json={
            "kind": "intake",
            "period_from": world.today().isoformat(),
            "period_to": world.today().isoformat(),
            "assessment": "Cooperative; started the programme intake.",
            "version": 1,
        },
    )
    assert r.status_code == 201, r.text
    r = await api.as_(world.ja, "GET", f"/api/measures/{m.id}")
    assert r.json()["next_report_due"] == "2026-09-02"
    period = f"from={world.today().replace(day=1)}&to={world.today()}"
    for lang, title in (
        ("fr", "Rapport de guidance"),
        ("nl", "Begeleidingsverslag"),
        ("en", "Supervision report"),
    ):
        r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}/report?{period}&lang={lang}")
        assert r.status_code == 200, r.text
        assert title in r.text
        assert "Cooperative; started the programme intake." in r.text
    r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}/report?{period}&format=pdf")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
    r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}/report?from=2026-03-02&to=2026-01-01")
    assert r.status_code == 422
    r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}/compliance")
    assert r.status_code == 200
    assert r.json()["level"] in {
        "compliant",
        "at_risk",
        "non_compliant",
        "met",
        "not_yet_due",
        "to_record",
    }
    r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}/deadlines")
    kinds = [d["kind"] for d in r.json()]
    assert kinds == ["periodic_report", "measure_end", "programme_completion"]
    assert all(d["due_on"] >= d["starts_on"] for d in r.json())


def test_every_measures_route_is_guarded(settings, engine):
    from perp_track.app import create_app

    ours = ("/api/measures", "/api/conditions", "/api/caseload", "/api/programme", "/api/summons")
    app = create_app(settings, engine=engine)
    for route in app.routes:
        if not route.path.startswith((*ours, "/api/cases")):
            continue
        for handler in route.route_handlers:  # type: ignore[union-attr]
            if set(handler.http_methods) == {"OPTIONS"}:
                continue  # Litestar's own CORS preflight answer
            guards = handler.resolve_guards()
            assert any(hasattr(getattr(g, "func", g), "roles") for g in guards), route.path


async def test_expired_keys_are_forgotten(api, world: World):
    from perp_track.idempotency.jobs import purge_expired_keys

    body = world.case_data().model_dump(mode="json")
    headers = {"Idempotency-Key": "k-1"}
    first = await api.as_(world.ja, "POST", "/api/cases", json=body, headers=headers)
    assert await purge_expired_keys(now=world.clock.now(), ttl_hours=24) == 0
    world.clock.advance(timedelta(hours=25))
    assert await purge_expired_keys(now=world.clock.now(), ttl_hours=24) == 1
    api._tokens.clear()
    again = await api.as_(world.ja, "POST", "/api/cases", json=body, headers=headers)
    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]


async def test_hearing_condition_and_report_bad_paths(api, world: World):
    case = await world.open_case()
    ban = await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    url = f"/api/measures/{ban.id}"
    hearing = (world.today() + timedelta(days=10)).isoformat()
    r = await api.as_(world.ja, "PATCH", url, json={"hearing_on": hearing})
    assert r.status_code == 400  # no version
    r = await api.as_(world.ja, "PATCH", url, json={"hearing_on": "2020-01-01", "version": 1})
    assert r.status_code == 422
    r = await api.as_(world.ja, "PATCH", url, json={"hearing_on": hearing, "version": 1})
    assert r.status_code == 200
    assert r.json()["hearing_on"] == hearing
    r = await api.as_(world.ja, "GET", f"/api/cases/{case.id}/deadlines")
    assert "extension_hearing" in {d["kind"] for d in r.json()}
    # A condition added later: the measure's version moves on; a stale one is refused.
    cond = {"kind": "contact_ban", "protected_persons": "Julie Dubois"}
    r = await api.as_(world.ja, "POST", f"{url}/conditions", json={"version": 1, "condition": cond})
    assert r.status_code == 409
    r = await api.as_(world.ja, "POST", f"{url}/conditions", json={"version": 2, "condition": cond})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 3
    r = await api.as_(
        world.ja,
        "POST",
        f"{url}/conditions",
        json={"version": 3, "condition": {"kind": "contact_ban"}},
    )
    assert r.status_code == 422
    # Reports: an intake report is for probation; a future period is refused.
    report = {
        "kind": "intake",
        "period_from": world.today().isoformat(),
        "period_to": world.today().isoformat(),
        "assessment": "x",
        "version": 3,
    }
    r = await api.as_(world.ja, "POST", f"{url}/reports", json=report)
    assert r.status_code == 422
    future = {**report, "kind": "periodic", "period_to": hearing}
    r = await api.as_(world.ja, "POST", f"{url}/reports", json=future)
    assert r.status_code == 422
    r = await api.as_(world.ja, "GET", f"{url}/reports")
    assert r.json() == []


async def test_a_session_is_cancelled_only_before_it_starts(api, world: World):
    case = await world.open_case()
    m = await world.add_measure(case.id, conditions=[world.programme()])
    referral = next(c.id for c in m.conditions if c.kind is ConditionKind.PROGRAMME)
    r = await api.as_(
        world.praxis,
        "POST",
        "/api/programme/sessions",
        json={"starts_at": world.soon(1, 18).isoformat(), "participants": [referral, referral]},
    )
    assert r.status_code == 400  # listed twice
    r = await api.as_(
        world.praxis,
        "POST",
        "/api/programme/sessions",
        json={"starts_at": world.soon(1, 18).isoformat(), "participants": [referral]},
    )
    session = r.json()
    url = f"/api/programme/sessions/{session['id']}/cancel"
    r = await api.as_(world.praxis, "POST", url, json={"reason": "Trainer ill", "version": 1})
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    # The reason is kept on the participant's case timeline, for the justice assistant.
    timeline = (await api.as_(world.ja, "GET", f"/api/cases/{case.id}")).json()["timeline"]
    [cancelled] = [e for e in timeline if e["kind"] == "session_cancelled"]
    assert cancelled["data"]["reason"] == "Trainer ill"
    assert cancelled["data"]["session_id"] == session["id"]
    r = await api.as_(world.praxis, "POST", url, json={"reason": "Trainer ill", "version": 2})
    assert r.status_code == 409
    roll = {"version": 2, "entries": [{"condition_id": referral, "outcome": "attended"}]}
    r = await api.as_(
        world.praxis, "POST", f"/api/programme/sessions/{session['id']}/roll-call", json=roll
    )
    assert r.status_code == 409
