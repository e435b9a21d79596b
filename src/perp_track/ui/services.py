"""Small read services the pages need that the domains do not offer yet; scoped by the actor.

The caseload work (issue 3) will bring richer queries (deadlines, bans ending, compliance);
the dashboard takes them as they arrive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from piccolo.columns.combination import Combinable
from pydantic import BaseModel

from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import visible
from perp_track.clock import Clock
from perp_track.errors import Forbidden
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.tables import Organisation
from perp_track.schemas import Ref
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.tables import Summons
from perp_track.ui.page_errors import PageError

CASE_STAFF = frozenset({Role.JUSTICE_ASSISTANT, Role.SUPERVISOR})


class SummonsLine(BaseModel):
    id: int
    case_id: int
    case_reference: str
    perpetrator_name: str
    scheduled_at: datetime
    modality: str
    place: str | None


class Dashboard(BaseModel):
    upcoming: list[SummonsLine]
    awaiting_attendance: list[SummonsLine]


class FormChoices(BaseModel):
    justice_assistants: list[Ref]
    police_officers: list[Ref]
    sapv_contacts: list[Ref]
    programme_providers: list[Ref]


def _lines(rows: list[dict]) -> list[SummonsLine]:
    return [
        SummonsLine(
            id=r["id"],
            case_id=r["case"],
            case_reference=r["case.reference"],
            perpetrator_name=(
                f"{r['case.perpetrator.first_name']} {r['case.perpetrator.last_name']}"
            ),
            scheduled_at=r["scheduled_at"],
            modality=r["modality"],
            place=r["place"],
        )
        for r in rows
    ]


async def dashboard(
    *, actor: ActingUser, clock: Clock, horizon_days: int = 14, limit: int = 50
) -> Dashboard:
    """A justice assistant's open summons: those coming up, and past ones with no attendance.

    A supervisor sees those of the whole justice house.
    """
    if actor.role not in CASE_STAFF:
        raise Forbidden(PageError.DASHBOARD_FOR_STAFF)
    now = clock.now()
    where: Combinable = (
        (Summons.case.justice_house == actor.organisation_id)
        & (Summons.status == SummonsStatus.SCHEDULED)
        & visible(Summons.case, actor)
    )
    if actor.role is Role.JUSTICE_ASSISTANT:
        where = where & (Summons.case.assigned_ja == actor.id)
    columns = (
        Summons.id,
        Summons.case,
        Summons.case.reference,
        Summons.case._.perpetrator._.first_name,
        Summons.case._.perpetrator._.last_name,
        Summons.scheduled_at,
        Summons.modality,
        Summons.place,
    )
    upcoming = (
        await Summons.select(*columns)
        .where(
            where
            & (Summons.scheduled_at > now)
            & (Summons.scheduled_at <= now + timedelta(days=horizon_days))
        )
        .order_by(Summons.scheduled_at)
        .limit(limit)
    )
    awaiting = (
        await Summons.select(*columns)
        .where(where & (Summons.scheduled_at <= now))
        .order_by(Summons.scheduled_at)
        .limit(limit)
    )
    return Dashboard(upcoming=_lines(upcoming), awaiting_attendance=_lines(awaiting))


async def organisation_name(*, actor: ActingUser) -> str:
    row = (
        await Organisation.select(Organisation.name)
        .where(Organisation.id == actor.organisation_id)
        .first()
    )
    return row["name"] if row else ""


async def form_choices(*, actor: ActingUser) -> FormChoices:
    """Who a case form may name: colleagues of the house, police officers, SAPV contacts."""
    if actor.role not in CASE_STAFF:
        raise Forbidden(PageError.CHOICES_FOR_STAFF)
    users = (
        await User.select(User.id, User.full_name, User.role, User.organisation)
        .where(User.active.eq(True))
        .order_by(User.full_name)
    )

    def of(role: Role, same_house: bool = False) -> list[Ref]:
        return [
            Ref(id=u["id"], name=u["full_name"])
            for u in users
            if u["role"] == role and (not same_house or u["organisation"] == actor.organisation_id)
        ]

    providers = (
        await Organisation.select(Organisation.id, Organisation.name)
        .where(Organisation.kind == OrgKind.PROGRAMME_PROVIDER)
        .order_by(Organisation.name)
    )
    return FormChoices(
        justice_assistants=of(Role.JUSTICE_ASSISTANT, same_house=True),
        police_officers=of(Role.POLICE_OFFICER),
        sapv_contacts=of(Role.SAPV_CONTACT),
        programme_providers=[Ref(id=p["id"], name=p["name"]) for p in providers],
    )


async def police_officer_choices() -> list[Ref]:
    """Active police officers, each with their zone: choosing the officer chooses the zone."""
    rows = (
        await User.select(User.id, User.full_name, User.organisation.name)
        .where(User.active.eq(True) & (User.role == Role.POLICE_OFFICER))
        .order_by(User.full_name)
    )
    return [Ref(id=r["id"], name=f"{r['full_name']} · {r['organisation.name']}") for r in rows]
