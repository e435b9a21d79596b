"""The printable documents of a case, for the justice house's pages: the compliance report to
the authority, each summons letter and its calendar file. The same services as the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.documents.letter import summons_ics, summons_letter_html
from perp_track.documents.printable import document_response
from perp_track.documents.report import compliance_report_html
from perp_track.web import requires

LANGUAGE = r"^(fr|nl|en)$"
FORMAT = r"^(html|pdf)$"


class DocumentPages(Controller):
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    @get("/cases/{case_id:int}/report")
    async def report(
        self,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        period_from: Annotated[date, QueryParameter()],
        period_to: Annotated[date, QueryParameter()],
        lang: Annotated[str, QueryParameter(pattern=LANGUAGE)] = "fr",
        format: Annotated[str, QueryParameter(pattern=FORMAT)] = "html",
    ) -> Response[bytes]:
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

    @get("/summons/{summons_id:int}/letter")
    async def letter(
        self,
        summons_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        lang: Annotated[str | None, QueryParameter(pattern=LANGUAGE)] = None,
        format: Annotated[str, QueryParameter(pattern=FORMAT)] = "html",
    ) -> Response[bytes]:
        html = await summons_letter_html(
            actor=actor, summons_id=summons_id, language=lang, clock=clock, settings=settings
        )
        return await document_response(html, format, f"summons-{summons_id}")

    @get("/summons/{summons_id:int}/calendar.ics")
    async def calendar_file(
        self,
        summons_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Response[str]:
        body = await summons_ics(actor=actor, summons_id=summons_id, clock=clock, settings=settings)
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="summons-{summons_id}.ics"'},
        )
