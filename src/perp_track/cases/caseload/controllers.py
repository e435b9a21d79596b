from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from pydantic import Field, StringConstraints

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.caseload import services as caseload
from perp_track.cases.caseload.schemas import (
    Attention,
    CaseloadPage,
    CaseloadSort,
    OverdueRow,
    TeamMember,
    UpcomingSummons,
)
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.documents.printable import document_response
from perp_track.documents.report import compliance_report_html
from perp_track.i18n.errors import requested_language
from perp_track.measures import conditions, reports
from perp_track.measures.schemas import CaseComplianceRead, DeadlineRead, Version
from perp_track.schemas import In, LongText, Out
from perp_track.web import requires

STAFF = (Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)
JA_ID = Annotated[
    int | None, QueryParameter(description="supervisors: one assistant's caseload", ge=1)
]


class CaseloadController(Controller):
    path = "/api/caseload"
    tags = ["caseload"]
    guards = [requires(*STAFF)]

    @get("/", summary="My open cases: what needs attention, the next summons, the next deadline")
    async def my_caseload(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        ja_id: JA_ID = None,
        risk: Annotated[str | None, QueryParameter(max_length=16)] = None,
        attention: FromQuery[Attention | None] = None,
        needing_attention: FromQuery[bool] = False,
        sort: FromQuery[CaseloadSort] = CaseloadSort.RISK,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> CaseloadPage:
        return await caseload.caseload(
            actor=actor,
            now=clock.now(),
            settings=settings,
            ja_id=ja_id,
            risk=risk,
            attention=attention,
            needing_attention=needing_attention,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    @post(
        "/search",
        status_code=HTTP_200_OK,
        summary="Search my caseload by name or reference (in the body: no name in a URL or a log)",
    )
    async def search(
        self,
        data: JSONBody[CaseloadSearch],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> CaseloadPage:
        return await caseload.caseload(
            actor=actor, now=clock.now(), settings=settings, **data.model_dump()
        )

    @get("/overdue", summary="Everything that needs attention now, the most urgent first")
    async def overdue(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        ja_id: JA_ID = None,
    ) -> list[OverdueRow]:
        return await caseload.overdue(actor=actor, now=clock.now(), settings=settings, ja_id=ja_id)

    @get("/upcoming-summons", summary="Summons in the coming days")
    async def upcoming(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        ja_id: JA_ID = None,
        days: Annotated[int | None, QueryParameter(ge=1, le=90)] = None,
    ) -> list[UpcomingSummons]:
        return await caseload.upcoming_summons(
            actor=actor,
            now=clock.now(),
            settings=settings,
            days=days or settings.upcoming_summons_days,
            ja_id=ja_id,
        )


class TeamCaseloadController(Controller):
    """The team view sits under /api/caseload but is not a justice assistant's: its guard admits
    exactly the roles the service serves, so nobody is let in only to be refused."""

    path = "/api/caseload"
    tags = ["caseload"]
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/team", summary="Supervisors: each assistant's open cases and what needs attention")
    async def team(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> list[TeamMember]:
        return await caseload.team(actor=actor, now=clock.now(), settings=settings)


class CaseloadSearch(In):
    search: Annotated[str, StringConstraints(min_length=2, max_length=100)] = Field(
        description="part of the perpetrator's name or of the case reference"
    )
    ja_id: int | None = Field(default=None, ge=1, description="supervisors: one assistant's")
    risk: Annotated[str, StringConstraints(max_length=16)] | None = None
    attention: Attention | None = None
    needing_attention: bool = False
    sort: CaseloadSort = CaseloadSort.RISK
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)


class AddressChangeIn(In):
    address: LongText = Field(min_length=5)
    version: Version


class CaseVersion(Out):
    case_id: int
    version: int


class CaseComplianceController(Controller):
    path = "/api/cases"
    tags = ["measures"]
    guards = [requires(*STAFF)]

    @get("/{case_id:int}/compliance", summary="Compliance per condition, measure and case")
    async def compliance(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> CaseComplianceRead:
        """Each reason as data (reason_codes) and in words, in the Accept-Language language."""
        language = requested_language(request.headers.get("accept-language")) or "en"
        return await reports.case_compliance(
            actor=actor, case_id=case_id, clock=clock, settings=settings, language=language
        )

    @post(
        "/{case_id:int}/perpetrator-address",
        status_code=HTTP_200_OK,
        summary="Record the perpetrator's new address (the police are told; never the victim)",
    )
    async def address_change(
        self,
        case_id: FromPath[int],
        data: JSONBody[AddressChangeIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> CaseVersion:
        row = await conditions.record_address_change(
            actor=actor, case_id=case_id, address=data.address, version=data.version, clock=clock
        )
        return CaseVersion(case_id=row["id"], version=row["version"])

    @get("/{case_id:int}/deadlines", summary="The case's deadlines, soonest first")
    async def deadlines(
        self,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> list[DeadlineRead]:
        return await reports.case_deadlines(
            actor=actor, case_id=case_id, clock=clock, settings=settings
        )

    @get(
        "/{case_id:int}/report",
        summary="Printable compliance report to the authority (HTML, or PDF with format=pdf)",
    )
    async def report(
        self,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        period_from: Annotated[date, QueryParameter(name="from")],
        period_to: Annotated[date, QueryParameter(name="to")],
        request: Request,
        lang: Annotated[
            str | None,
            QueryParameter(
                pattern=r"^(fr|nl|en)$",
                description="The report's language; else Accept-Language's, else French",
            ),
        ] = None,
        format: Annotated[str, QueryParameter(pattern=r"^(html|pdf)$")] = "html",
    ) -> Response[bytes]:
        lang = lang or requested_language(request.headers.get("accept-language")) or "fr"
        html = await compliance_report_html(
            actor=actor,
            case_id=case_id,
            period_from=period_from,
            period_to=period_to,
            language=lang,
            clock=clock,
            settings=settings,
        )
        return await document_response(html, format, f"report-case-{case_id}")
