"""A realistic demo: one justice house, Praxis, a police zone, an SAPV, about ten cases.

Everything goes through the real services with a clock moved through the last months, so the
timeline, the measures' states and the outbox look exactly as they would after real use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.services import create_user
from perp_track.cases.rules import Authority, RiskLevel
from perp_track.cases.schemas import CaseCreate, PersonIn, VictimIn
from perp_track.cases.services import open_case
from perp_track.clock import Clock, FrozenClock, SystemClock
from perp_track.config import DEFAULT_SECRET
from perp_track.interpreters.schemas import InterpreterCreate, MessageLanguage
from perp_track.interpreters.services import add_interpreter
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.conditions import record_hours, transition_condition
from perp_track.measures.rules import ConditionKind, MeasureEvent, MeasureKind
from perp_track.measures.schemas import (
    ConditionCreate,
    ConditionHoursIn,
    ConditionTransitionIn,
    MeasureCreate,
    MeasureTransitionIn,
)
from perp_track.measures.services import add_measure, read_measure, transition_measure
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.services import create_organisation
from perp_track.orgs.tables import Organisation
from perp_track.summons.programme.schemas import RollCallEntry, RollCallIn, SessionCreate
from perp_track.summons.programme.services import save_roll_call, schedule_session
from perp_track.summons.programme.views import list_referrals
from perp_track.summons.rules import Modality, Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose
BRUSSELS = ZoneInfo("Europe/Brussels")
JUSTICE_HOUSE = "Maison de justice de Liège"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    org: str
    language: str = "fr"
    phone: str | None = None


ORGS: dict[str, tuple[str, OrgKind, str | None, str]] = {
    "jh": (JUSTICE_HOUSE, OrgKind.JUSTICE_HOUSE, "LIE", "fr"),
    "praxis": ("Praxis Liège", OrgKind.PROGRAMME_PROVIDER, None, "fr"),
    "police": ("Zone de police de Liège", OrgKind.POLICE_ZONE, "5277", "fr"),
    "sapv": ("SAPV Liège", OrgKind.SAPV, None, "fr"),
    "parquet": ("Parquet de Liège", OrgKind.PROSECUTOR_OFFICE, "LIE", "fr"),
}
# The zone's on-duty desk: the risk policy's police alerts are written to it as well as to the
# zone's officers, so that they are read when the referring officer is away.
ORG_EMAILS = {"police": "permanence@police-liege.example"}

DEMO_USERS = [
    DemoUser("anne.lambert@mj-liege.example", "Anne Lambert", Role.JUSTICE_ASSISTANT, "jh"),
    DemoUser(
        "pieter.janssens@mj-liege.example", "Pieter Janssens", Role.JUSTICE_ASSISTANT, "jh", "nl"
    ),
    DemoUser("sophie.renard@mj-liege.example", "Sophie Renard", Role.SUPERVISOR, "jh"),
    DemoUser("karim.haddad@praxis.example", "Karim Haddad", Role.PROGRAMME_STAFF, "praxis"),
    DemoUser("luc.martin@police-liege.example", "Luc Martin", Role.POLICE_OFFICER, "police"),
    DemoUser(
        "els.peeters@police-liege.example", "Els Peeters", Role.POLICE_OFFICER, "police", "nl"
    ),
    DemoUser("nadia.benali@sapv-liege.example", "Nadia Benali", Role.SAPV_CONTACT, "sapv"),
]


@dataclass
class DemoCase:
    perpetrator: tuple[str, str, str]  # first, last, language
    victim: tuple[str, str, str] | None
    ja: str
    officer: str | None
    risk: RiskLevel
    authority: Authority
    measure: MeasureKind
    opened_days_ago: int
    conditions: list[ConditionCreate] = field(default_factory=list)
    # (days from today, hour, outcome or None); negative days are in the past.
    summons: list[tuple[int, int, Outcome | None]] = field(default_factory=list)
    interpreter: str | None = None
    phone: str | None = None
    # After the summons: the justice assistant confirms non-compliance to the authority.
    non_compliance: str | None = None
    # How conditions went: (kind, event, days from today, reason), in order.
    condition_steps: list[tuple[ConditionKind, ConditionEvent, int, str]] = field(
        default_factory=list
    )
    # Community-service hours attested: (days from today, hours, attestation), in order.
    hours: list[tuple[int, int, str]] = field(default_factory=list)


# Demo people never get a real person's number: every demo phone is in the range Ofcom keeps
# for drama, +44 7700 900000 to 900999, which is allocated to no one (Belgium's regulator has no
# such range). With Twilio settings, a demo message goes to no phone.
DRAMA_RANGE = ("+447700900000", "+447700900999")


def demo_phone(n: int) -> str:
    """The n-th demo phone number, in Ofcom's drama range."""
    if not 0 <= n <= 999:
        raise ValueError("the drama range holds 1,000 numbers")
    return f"+447700900{n:03d}"


def _programme(sessions: int = 21) -> ConditionCreate:
    # provider_id is filled in once Praxis exists.
    return ConditionCreate(
        kind=ConditionKind.PROGRAMME,
        description="Praxis: 2 intake interviews, 21 weekly group sessions, 1 closing interview",
        provider_id=0,
        required_sessions=sessions,
    )


def _contact_ban(who: str) -> ConditionCreate:
    return ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons=who)


CASES = [
    DemoCase(
        ("Marc", "Dubois", "fr"),
        ("Julie", "Dubois", "fr"),
        "anne",
        "luc",
        RiskLevel.HIGH,
        Authority.PROSECUTOR,
        MeasureKind.TEMPORARY_RESIDENCE_BAN,
        6,
        [
            ConditionCreate(
                kind=ConditionKind.PLACE_BAN, address="Rue Saint-Gilles 112, 4000 Liège"
            ),
            _contact_ban("Julie Dubois and the children"),
        ],
        [(2, 10, None)],
        phone=demo_phone(1),
        condition_steps=[
            (ConditionKind.PLACE_BAN, ConditionEvent.START, -6, "Ban served on the perpetrator"),
            (ConditionKind.CONTACT_BAN, ConditionEvent.START, -6, "Ban served on the perpetrator"),
        ],
    ),
    DemoCase(
        ("Kevin", "Lemaire", "fr"),
        ("Sarah", "Lemaire", "fr"),
        "anne",
        "luc",
        RiskLevel.MEDIUM,
        Authority.PROSECUTOR,
        MeasureKind.MEDIATION_216TER,
        80,
        [
            _programme(),
            ConditionCreate(
                kind=ConditionKind.ADDICTION_TREATMENT, description="Alcohol: outpatient follow-up"
            ),
        ],
        [(-70, 10, Outcome.ATTENDED), (-35, 14, Outcome.ATTENDED), (5, 10, None)],
        phone=demo_phone(2),
        condition_steps=[
            (ConditionKind.ADDICTION_TREATMENT, ConditionEvent.START, -75, "First consultation"),
            (
                ConditionKind.ADDICTION_TREATMENT,
                ConditionEvent.MEET,
                -20,
                "Outpatient follow-up completed; attestation from the centre received",
            ),
        ],
    ),
    DemoCase(
        ("Thomas", "Wouters", "nl"),
        ("Lies", "Wouters", "nl"),
        "pieter",
        "els",
        RiskLevel.HIGH,
        Authority.TRIAL_COURT,
        MeasureKind.PROBATION,
        120,
        [_programme(), _contact_ban("Lies Wouters")],
        [
            (-110, 9, Outcome.ATTENDED),
            (-60, 9, Outcome.ABSENT_NO_VALID_REASON),
            (-30, 9, Outcome.ABSENT_NO_VALID_REASON),
            (3, 9, None),
        ],
        phone=demo_phone(3),
        non_compliance="Two summons missed without a valid reason; reported to the commission",
    ),
    DemoCase(
        ("Youssef", "El Amrani", "fr"),
        ("Samira", "El Amrani", "fr"),
        "anne",
        "luc",
        RiskLevel.SEVERE,
        Authority.INVESTIGATING_JUDGE,
        MeasureKind.RELEASE_UNDER_CONDITIONS,
        45,
        [
            _contact_ban("Samira El Amrani"),
            ConditionCreate(
                kind=ConditionKind.PLACE_BAN, address="Quai de la Dérivation 40, 4020 Liège"
            ),
        ],
        [(-40, 14, Outcome.ATTENDED), (-10, 14, Outcome.LATE), (1, 14, None)],
        interpreter="arabic",
        phone=demo_phone(4),
        condition_steps=[
            (
                ConditionKind.CONTACT_BAN,
                ConditionEvent.START,
                -44,
                "Conditions notified at release",
            ),
            (ConditionKind.PLACE_BAN, ConditionEvent.START, -44, "Conditions notified at release"),
        ],
    ),
    DemoCase(
        ("Jean-Pierre", "Collard", "fr"),
        ("Monique", "Collard", "fr"),
        "anne",
        "els",
        RiskLevel.LOW,
        Authority.PROSECUTOR,
        MeasureKind.MEDIATION_216TER,
        200,
        [
            ConditionCreate(
                kind=ConditionKind.COMMUNITY_SERVICE,
                hours_due=60,
                description="Work of general interest",
            )
        ],
        [
            (-190, 10, Outcome.ATTENDED),
            (-100, 10, Outcome.ABSENT_VALID_REASON),
            (-90, 10, Outcome.ATTENDED),
            (-2, 11, None),
        ],
        condition_steps=[
            (ConditionKind.COMMUNITY_SERVICE, ConditionEvent.START, -180, "Placement agreed"),
        ],
        # The hours the host organisation attested; the last of them meets the condition.
        hours=[
            (-150, 24, "Attestation of the host organisation, first two months"),
            (-120, 20, "Attestation of the host organisation, third month"),
            (-95, 16, "Final attestation of the host organisation"),
        ],
    ),
    DemoCase(
        ("Bart", "Claes", "nl"),
        ("An", "Claes", "nl"),
        "pieter",
        "els",
        RiskLevel.MEDIUM,
        Authority.TRIAL_COURT,
        MeasureKind.AUTONOMOUS_PROBATION,
        30,
        [ConditionCreate(kind=ConditionKind.THERAPY, description="Individual therapy")],
        [(-25, 10, Outcome.ATTENDED), (10, 10, None)],
        phone=demo_phone(6),
        condition_steps=[
            (
                ConditionKind.THERAPY,
                ConditionEvent.START,
                -28,
                "Therapist confirmed the first session",
            ),
        ],
    ),
    DemoCase(
        ("Dimitri", "Popescu", "en"),
        ("Elena", "Popescu", "en"),
        "anne",
        "luc",
        RiskLevel.HIGH,
        Authority.PROSECUTOR,
        MeasureKind.TEMPORARY_RESIDENCE_BAN,
        12,
        [ConditionCreate(kind=ConditionKind.PLACE_BAN, address="Rue Féronstrée 8, 4000 Liège")],
        [(-1, 15, None)],
        interpreter="romanian",
        phone=demo_phone(7),
    ),
    DemoCase(
        ("Olivier", "Renson", "fr"),
        ("Claire", "Renson", "fr"),
        "anne",
        "luc",
        RiskLevel.MEDIUM,
        Authority.TRIAL_COURT,
        MeasureKind.PROBATION,
        25,
        [
            _programme(),
            ConditionCreate(kind=ConditionKind.ADDICTION_TREATMENT, description="Drug counselling"),
        ],
        [(-20, 9, Outcome.DID_NOT_TAKE_PLACE), (-6, 9, Outcome.ATTENDED), (14, 9, None)],
        phone=demo_phone(8),
        condition_steps=[
            (ConditionKind.ADDICTION_TREATMENT, ConditionEvent.START, -22, "Counselling started"),
            (
                ConditionKind.ADDICTION_TREATMENT,
                ConditionEvent.BREACH,
                -8,
                "Stopped attending drug counselling after two missed appointments",
            ),
        ],
    ),
    DemoCase(
        ("Nicolas", "Gilson", "fr"),
        None,
        "pieter",
        None,
        RiskLevel.LOW,
        Authority.PROSECUTOR,
        MeasureKind.MEDIATION_216TER,
        15,
        [_programme(12)],
        [(-9, 10, Outcome.ABSENT_NO_VALID_REASON), (7, 10, None)],
        phone=demo_phone(9),
    ),
    DemoCase(
        ("Stefan", "Maes", "nl"),
        ("Katrien", "Maes", "nl"),
        "pieter",
        "els",
        RiskLevel.SEVERE,
        Authority.INVESTIGATING_JUDGE,
        MeasureKind.RELEASE_UNDER_CONDITIONS,
        70,
        [_contact_ban("Katrien Maes and her mother")],
        [(-65, 10, Outcome.ATTENDED), (-3, 10, None), (21, 10, None)],
        interpreter=None,
        phone=demo_phone(10),
        condition_steps=[
            (
                ConditionKind.CONTACT_BAN,
                ConditionEvent.START,
                -68,
                "Conditions notified at release",
            ),
        ],
    ),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS).astimezone(UTC)


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
    interpreters = await _interpreters(users["sophie"], moving)

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
            await _record_demo_consent(sapv, case.victim.id, number, moving, secret_key)
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
                decided_by=_authority_name(spec.authority, lang),
                decision_reference=f"D-{today.year}-{number:03d}",
                decided_on=decided,
                starts_on=decided,
                ends_on=ends_on,
                conditions=conditions,
            ),
        )
        last_attendance = opened
        for days, hour, outcome in spec.summons:
            when = _at(today + timedelta(days=days), hour)
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
                        outcome=outcome, reason=_reason(outcome), version=summons.version
                    ),
                )
        for kind, event, days, reason in spec.condition_steps:
            moving.set(max(opened + timedelta(hours=1), _at(today + timedelta(days=days), 11)))
            current = await read_measure(actor=ja, measure_id=measure.id)
            condition = next(c for c in current.conditions if c.kind is kind)
            await transition_condition(
                actor=ja,
                condition_id=condition.id,
                clock=moving,
                data=ConditionTransitionIn(event=event, reason=reason, version=condition.version),
            )
        for days, hours, attestation in spec.hours:
            moving.set(max(opened + timedelta(hours=1), _at(today + timedelta(days=days), 12)))
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
    await _programme_sessions(users["karim"], moving, today)
    return True


# The house's interpreter register: fictional people, addresses on example.org (RFC 2606).
DEMO_INTERPRETERS: tuple[tuple[str, str, bool, str, MessageLanguage, str | None], ...] = (
    (
        "Leïla Benaissa",
        "arabic",
        True,
        "leila.benaissa@example.org",
        "fr",
        "Interprètes Liège asbl",
    ),
    ("Andrei Popa", "romanian", True, "andrei.popa@example.org", "fr", None),
    ("Noor Rahimi", "dari", False, "noor.rahimi@example.org", "en", "Tolkenbureau Demo"),
    ("Lotte Verhaegen", "dutch", True, "lotte.verhaegen@example.org", "nl", None),
)


async def _interpreters(supervisor: ActingUser, clock: Clock) -> dict[str, int]:
    """The register, by language: the first interpreter of each."""
    found: dict[str, int] = {}
    for number, (name, language, sworn, email, lang, organisation) in enumerate(
        DEMO_INTERPRETERS, start=1
    ):
        added = await add_interpreter(
            actor=supervisor,
            clock=clock,
            data=InterpreterCreate(
                full_name=name,
                language=language,
                sworn=sworn,
                email=email,
                phone=demo_phone(200 + number),
                organisation=organisation,
                message_language=lang,
            ),
        )
        found.setdefault(language, added.id)
    return found


async def _programme_sessions(staff: ActingUser, clock: FrozenClock, today: date) -> None:
    """Praxis runs a group: two past sessions with their roll-call, last night's session whose
    roll-call is still to do, and one to come."""
    referrals = [r.condition_id for r in await list_referrals(actor=staff)]
    if not referrals:
        return
    outcomes = [Outcome.ATTENDED, Outcome.ABSENT_NO_VALID_REASON, Outcome.LATE]
    for number, days in enumerate((-12, -5, -1, 2), start=1):
        when = _at(today + timedelta(days=days), 18)
        clock.set(when - timedelta(days=2))
        session = await schedule_session(
            actor=staff,
            clock=clock,
            data=SessionCreate(
                title=f"Groupe Praxis — séance {number}",
                starts_at=when,
                place="Praxis Liège, salle 2",
                participants=referrals,
            ),
        )
        if days > -2:  # last night's roll-call is still to do; the next session is to come
            continue
        clock.set(when + timedelta(hours=2, minutes=15))
        entries = []
        for i, condition_id in enumerate(referrals):
            outcome = outcomes[(i + number) % len(outcomes)] if i % 2 else Outcome.ATTENDED
            entries.append(
                RollCallEntry(condition_id=condition_id, outcome=outcome, reason=_reason(outcome))
            )
        await save_roll_call(
            actor=staff,
            session_id=session.id,
            clock=clock,
            data=RollCallIn(version=session.version, entries=entries),
        )


# Cases whose victim agreed to SMS with her SAPV contact: (detail level, safe hours). Each
# confirmed her number with her code, except the victim of case 7: her SAPV contact still
# waits for her reply.
DEMO_NUMBER_WAITING = frozenset({7})
DEMO_CONSENT: dict[int, tuple[str, str, str]] = {
    1: ("status", "09:00", "20:00"),
    3: ("full", "08:00", "21:00"),
    4: ("neutral", "10:00", "18:00"),
    7: ("status", "09:00", "19:00"),
}


async def _record_demo_consent(
    sapv: ActingUser, victim_id: int, number: int, clock: Clock, secret_key: str
) -> None:
    from perp_track.cases.tables import Person
    from perp_track.config import load_settings
    from perp_track.notify.inbound import handle_inbound
    from perp_track.notify.profiles import record_consent, show_number_code, update_profile
    from perp_track.notify.schemas import ConsentIn, SafeContactUpdate

    level, safe_from, safe_until = DEMO_CONSENT[number]
    await update_profile(
        actor=sapv,
        victim_id=victim_id,
        clock=clock,
        data=SafeContactUpdate(
            sms_allowed=True,
            detail_level=level,  # type: ignore[arg-type]
            safe_from=safe_from,
            safe_until=safe_until,
        ),
    )
    await record_consent(
        actor=sapv,
        victim_id=victim_id,
        clock=clock,
        data=ConsentIn(note="Agreed during the first interview"),
        secret_key=secret_key,
    )
    if number in DEMO_NUMBER_WAITING:
        return
    # She replies to the request with the code her SAPV contact gave her.
    shown = await show_number_code(
        actor=sapv, victim_id=victim_id, clock=clock, secret_key=secret_key
    )
    person = await Person.select(Person.phone).where(Person.id == victim_id).first()
    assert person is not None
    await handle_inbound(
        sid=f"SMdemo{number:032d}",
        sender=person["phone"],
        body=shown.code,
        now=clock.now(),
        settings=load_settings(secret_key=secret_key),
    )


def _authority_name(authority: Authority, lang: str) -> str:
    names: dict[Authority, Any] = {
        Authority.PROSECUTOR: ("Parquet de Liège", "Parket Luik"),
        Authority.INVESTIGATING_JUDGE: ("Juge d'instruction, Liège", "Onderzoeksrechter, Luik"),
        Authority.TRIAL_COURT: ("Tribunal correctionnel de Liège", "Correctionele rechtbank Luik"),
        Authority.PROBATION_COMMISSION: ("Commission de probation", "Probatiecommissie"),
        Authority.FAMILY_COURT: ("Tribunal de la famille", "Familierechtbank"),
    }
    return str(names[authority][1 if lang == "nl" else 0])


def _reason(outcome: Outcome) -> str | None:
    return {
        Outcome.ABSENT_VALID_REASON: "Medical certificate received",
        Outcome.DID_NOT_TAKE_PLACE: "Interpreter unavailable",
        Outcome.LATE: "Arrived 20 minutes late",
    }.get(outcome)
