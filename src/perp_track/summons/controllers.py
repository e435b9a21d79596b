from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.documents.letter import summons_ics, summons_letter_html
from perp_track.documents.printable import document_response
from perp_track.interpreters.schemas import BookingIn, BookingRelease
from perp_track.summons import interpreter, services, views
from perp_track.summons.schemas import (
    AttendanceIn,
    SummonsCancel,
    SummonsRead,
    SummonsReschedule,
)
from perp_track.web import requires


class SummonsController(Controller):
    path = "/api/summons"
    tags = ["summons"]
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    @get("/{summons_id:int}", summary="A summons with its attendance history")
    async def read_summons(
        self, summons_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> SummonsRead:
        return await views.read_summons(actor=actor, summons_id=summons_id)

    @get(
        "/{summons_id:int}/calendar.ics",
        summary="The summons as an iCalendar file (a cancelled one cancels the event)",
        media_type="text/calendar",
    )
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

    @get(
        "/{summons_id:int}/letter",
        summary="The printable summons letter (HTML, or PDF with format=pdf) in fr, nl or en",
    )
    async def letter(
        self,
        summons_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        lang: Annotated[
            str | None, QueryParameter(pattern=r"^(fr|nl|en)$", description="default: the summons'")
        ] = None,
        format: Annotated[str, QueryParameter(pattern=r"^(html|pdf)$")] = "html",
    ) -> Response[bytes]:
        html = await summons_letter_html(
            actor=actor, summons_id=summons_id, language=lang, clock=clock, settings=settings
        )
        return await document_response(html, format, f"summons-{summons_id}")

    @post(
        "/{summons_id:int}/reschedule",
        summary="Move a summons: the old one is kept with the reason and who asked",
    )
    async def reschedule(
        self,
        summons_id: FromPath[int],
        data: JSONBody[SummonsReschedule],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SummonsRead:
        return await services.reschedule_summons(
            actor=actor, summons_id=summons_id, data=data, clock=clock
        )

    @post(
        "/{summons_id:int}/interpreter",
        status_code=HTTP_200_OK,
        summary="Book an interpreter of the register (one booked before is released and told)",
    )
    async def book_interpreter(
        self,
        summons_id: FromPath[int],
        data: JSONBody[BookingIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SummonsRead:
        return await interpreter.book_interpreter(
            actor=actor, summons_id=summons_id, data=data, clock=clock
        )

    @post(
        "/{summons_id:int}/interpreter/release",
        status_code=HTTP_200_OK,
        summary="No interpreter needed any more: the one booked is told",
    )
    async def release_interpreter(
        self,
        summons_id: FromPath[int],
        data: JSONBody[BookingRelease],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SummonsRead:
        return await interpreter.release_interpreter(
            actor=actor, summons_id=summons_id, data=data, clock=clock
        )

    @post("/{summons_id:int}/cancel", status_code=HTTP_200_OK, summary="Cancel a summons")
    async def cancel(
        self,
        summons_id: FromPath[int],
        data: JSONBody[SummonsCancel],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SummonsRead:
        return await services.cancel_summons(
            actor=actor, summons_id=summons_id, data=data, clock=clock
        )

    @post("/{summons_id:int}/attendance", summary="Record what happened (never in the future)")
    async def record_attendance(
        self,
        summons_id: FromPath[int],
        data: JSONBody[AttendanceIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> SummonsRead:
        return await services.record_attendance(
            actor=actor,
            summons_id=summons_id,
            data=data,
            clock=clock,
            missed_threshold=settings.missed_summons_threshold,
        )

    @post(
        "/{summons_id:int}/attendance/corrections",
        summary="Correct recorded attendance: a new record, with a reason; nothing is overwritten",
    )
    async def correct_attendance(
        self,
        summons_id: FromPath[int],
        data: JSONBody[AttendanceIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> SummonsRead:
        return await services.correct_attendance(
            actor=actor,
            summons_id=summons_id,
            data=data,
            clock=clock,
            missed_threshold=settings.missed_summons_threshold,
        )
