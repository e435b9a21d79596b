"""The demo's cases: who, which measure and conditions, which summonses and how they went."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from perp_track.cases.rules import Authority, RiskLevel
from perp_track.demo.people import BRUSSELS
from perp_track.demo.phones import demo_phone
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.summons.rules import Outcome


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


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS).astimezone(UTC)


def authority_name(authority: Authority, lang: str) -> str:
    names: dict[Authority, Any] = {
        Authority.PROSECUTOR: ("Parquet de Liège", "Parket Luik"),
        Authority.INVESTIGATING_JUDGE: ("Juge d'instruction, Liège", "Onderzoeksrechter, Luik"),
        Authority.TRIAL_COURT: ("Tribunal correctionnel de Liège", "Correctionele rechtbank Luik"),
        Authority.PROBATION_COMMISSION: ("Commission de probation", "Probatiecommissie"),
        Authority.FAMILY_COURT: ("Tribunal de la famille", "Familierechtbank"),
    }
    return str(names[authority][1 if lang == "nl" else 0])


def reason_for(outcome: Outcome) -> str | None:
    return {
        Outcome.ABSENT_VALID_REASON: "Medical certificate received",
        Outcome.DID_NOT_TAKE_PLACE: "Interpreter unavailable",
        Outcome.LATE: "Arrived 20 minutes late",
    }.get(outcome)
