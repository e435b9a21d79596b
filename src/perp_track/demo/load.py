"""A realistic demo: one justice house, Praxis, a police zone, an SAPV, about ten cases.

Everything goes through the real services with a clock moved through the last months, so the
timeline, the measures' states and the outbox look exactly as they would after real use.
"""

from __future__ import annotations

from datetime import timedelta

from perp_track.auth.rules import ActingUser
from perp_track.auth.services import create_user
from perp_track.cases.schemas import CaseCreate, PersonIn, VictimIn
from perp_track.cases.services import open_case
from perp_track.clock import Clock, FrozenClock, SystemClock
from perp_track.config import DEFAULT_SECRET
from perp_track.demo.cases import CASES, at, authority_name, reason_for
from perp_track.demo.interpreters import add_interpreters
from perp_track.demo.people import (
    BRUSSELS,
    DEMO_PASSWORD,
    DEMO_USERS,
    JUSTICE_HOUSE,
    ORG_EMAILS,
    ORGS,
)
from perp_track.demo.phones import demo_phone
from perp_track.demo.programme import run_group
from perp_track.demo.safe_contact import DEMO_CONSENT, record_demo_consent
from perp_track.measures.conditions import record_hours, transition_condition
from perp_track.measures.rules import ConditionKind, MeasureEvent, MeasureKind
from perp_track.measures.schemas import (
    ConditionHoursIn,
    ConditionTransitionIn,
    MeasureCreate,
    MeasureTransitionIn,
)
from perp_track.measures.services import add_measure, read_measure, transition_measure
from perp_track.orgs.services import create_organisation
from perp_track.orgs.tables import Organisation
from perp_track.summons.rules import Modality
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons


async def load_demo(clock: Clock | None = None, secret_key: str = DEFAULT_SECRET) -> bool:
    """Load the demo once; False when it is already there. `secret_key` seals the victims'
    number codes: the service's own SECRET_KEY, so that the pages can show them."""
    if await Organisation.exists().where(Organisation.name == JUSTICE_HOUSE):
        return False
    real_now = (clock or SystemClock()).now()
    today = real_now.astimezone(BRUSSELS).date()
    moving = FrozenClock(real_now - timedelta(days=400))

    orgs = {
        key: await create_organisation(
            name=n, kind=k, code=c, language=lang, clock=moving, email=ORG_EMAILS.get(key)
        )
        for key, (n, k, c, lang) in ORGS.items()
    }
    users: dict[str, ActingUser] = {}
    for u in DEMO_USERS:
        users[u.email.split(".")[0]] = await create_user(
            email=u.email,
            full_name=u.name,
            role=u.role,
            organisation_id=orgs[u.org],
            password=DEMO_PASSWORD,
            language=u.language,
            phone=u.phone,
            clock=moving,
        )
    officers = {"luc": users["luc"], "els": users["els"]}
    sapv = users["nadia"]
    # The house's own contact, which a booked interpreter is given.
    await Organisation.update(
        {Organisation.email: "accueil@mj-liege.example", Organisation.phone: demo_phone(300)}
    ).where(Organisation.id == orgs["jh"])
    interpreters = await add_interpreters(users["sophie"], moving)

    for number, spec in enumerate(CASES, start=1):
        ja = users[spec.ja]
        opened = real_now - timedelta(days=spec.opened_days_ago)
        moving.set(opened)
        victim = None
        if spec.victim:
            first, last, lang = spec.victim
            victim = VictimIn(
                first_name=first,
                last_name=last,
                language=lang,
                phone=demo_phone(100 + number),
                sapv_contact_id=sapv.id,
            )
        first, last, lang = spec.perpetrator
        case = await open_case(
            actor=ja,
            clock=moving,
            data=CaseCreate(
                mandating_authority=spec.authority,
                authority_reference=f"LI.{today.year % 100}.{60 + number}.{1000 + number * 37}/"
                f"{today.year % 100}",
                referring_officer_id=officers[spec.officer].id if spec.officer else None,
                # The police's own numbers: the report (PV) and the zone's file.
                police_report_number=(
                    f"LI.55.L3.{4100 + number * 13:06d}/{today.year}" if spec.officer else None
                ),
                police_reference=f"ZP5277/{today.year}/{300 + number:04d}"
                if spec.officer
                else None,
                risk_level=spec.risk,
                language=lang,
                interpreter_language=spec.interpreter,
                summary="Intimate partner violence; see the police report and risk screening.",
                perpetrator=PersonIn(
                    first_name=first,
                    last_name=last,
                    language=lang,
                    phone=spec.phone,
                    address=f"Rue de la Démo {number}, 4000 Liège",
                ),
                victim=victim,
            ),
        )
        if case.victim is not None and number in DEMO_CONSENT:
            await record_demo_consent(sapv, case.victim.id, number, moving, secret_key)
        conditions = [
            c.model_copy(update={"provider_id": orgs["praxis"]})
            if c.kind is ConditionKind.PROGRAMME
            else c
            for c in spec.conditions
        ]
        decided = opened.astimezone(BRUSSELS).date()
        ends_on = None
        if spec.measure in {MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION}:
            ends_on = decided + timedelta(days=2 * 365)
        measure = await add_measure(
            actor=ja,
            case_id=case.id,
            clock=moving,
            data=MeasureCreate(
                kind=spec.measure,
                decided_by=authority_name(spec.authority, lang),
                decision_reference=f"D-{today.year}-{number:03d}",
                decided_on=decided,
                starts_on=decided,
                ends_on=ends_on,
                conditions=conditions,
            ),
        )
        last_attendance = opened
        for days, hour, outcome in spec.summons:
            when = at(today + timedelta(days=days), hour)
            moving.set(max(opened + timedelta(minutes=number), when - timedelta(days=14)))
            summons = await schedule_summons(
                actor=ja,
                case_id=case.id,
                clock=moving,
                data=SummonsCreate(
                    scheduled_at=when,
                    modality=Modality.IN_PERSON if days % 3 else Modality.PHONE,
                    place=f"{JUSTICE_HOUSE}, Rue de Campine 1, 4000 Liège",
                    measure_id=measure.id,
                    purpose="Follow-up interview",
                    # The summons still to come of a case that needs one: booked, and told.
                    interpreter_id=interpreters.get(spec.interpreter or "")
                    if outcome is None
                    else None,
                ),
            )
            if outcome is not None:
                moving.set(when + timedelta(hours=2))
                last_attendance = when + timedelta(hours=2)
                await record_attendance(
                    actor=ja,
                    summons_id=summons.id,
                    clock=moving,
                    data=AttendanceIn(
                        outcome=outcome, reason=reason_for(outcome), version=summons.version
                    ),
                )
        for kind, event, days, reason in spec.condition_steps:
            moving.set(max(opened + timedelta(hours=1), at(today + timedelta(days=days), 11)))
            current = await read_measure(actor=ja, measure_id=measure.id)
            condition = next(c for c in current.conditions if c.kind is kind)
            await transition_condition(
                actor=ja,
                condition_id=condition.id,
                clock=moving,
                data=ConditionTransitionIn(event=event, reason=reason, version=condition.version),
            )
        for days, hours, attestation in spec.hours:
            moving.set(max(opened + timedelta(hours=1), at(today + timedelta(days=days), 12)))
            current = await read_measure(actor=ja, measure_id=measure.id)
            service = next(
                c for c in current.conditions if c.kind is ConditionKind.COMMUNITY_SERVICE
            )
            await record_hours(
                actor=ja,
                condition_id=service.id,
                clock=moving,
                data=ConditionHoursIn(hours=hours, reason=attestation, version=service.version),
            )
        if spec.non_compliance:
            moving.set(last_attendance + timedelta(days=1))
            current = await read_measure(actor=ja, measure_id=measure.id)
            await transition_measure(
                actor=ja,
                measure_id=measure.id,
                clock=moving,
                data=MeasureTransitionIn(
                    event=MeasureEvent.REPORT_NON_COMPLIANCE,
                    reason=spec.non_compliance,
                    version=current.version,
                ),
            )
    await run_group(users["karim"], moving, today)
    return True
