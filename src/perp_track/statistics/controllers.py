"""GET /api/statistics/statutory (JSON) and /csv: the statutory figures of a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Invalid
from perp_track.i18n.catalogs import translations
from perp_track.i18n.errors import error_message, requested_language
from perp_track.statistics import documents, services
from perp_track.statistics.rules import FIRST_YEAR, Period
from perp_track.statistics.schemas import ExportFormat, StatutoryStatistics
from perp_track.ui.page_errors import PageError
from perp_track.web import requires

CSV = "text/csv; charset=utf-8"
LANGUAGE = r"^(fr|nl|en)$"

Year = Annotated[
    int | None,
    QueryParameter(ge=FIRST_YEAR, le=2999, description="a calendar year (this one by default)"),
]
# Read as text and checked here, so that a wrong date is a 400 naming "from" or "to".
From = Annotated[
    str | None,
    QueryParameter(
        name="from", max_length=40, description="first day (YYYY-MM-DD), with 'to' (any period)"
    ),
]
To = Annotated[
    str | None, QueryParameter(name="to", max_length=40, description="last day, included")
]
House = Annotated[
    int | None,
    QueryParameter(description="administrators: one justice house (all, with the country's)"),
]


def _day(value: str | None, field: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(PageError.NOT_A_DATE, field=field, value=value[:40]) from None


def period_or_400(
    request: Request,
    *,
    year: int | None,
    start: str | None,
    end: str | None,
    clock: Clock,
    settings: Settings,
) -> Period:
    """The period, or a 400 that names the query parameter at fault."""
    try:
        return services.choose_period(
            year=year,
            start=_day(start, "from"),
            end=_day(end, "to"),
            clock=clock,
            tz=settings.tz,
        )
    except Invalid as exc:
        raise as_400(request, exc) from None


def as_400(request: Request, exc: Invalid) -> ValidationException:
    """A query parameter that names nothing usable: a 400 naming it, in the caller's words."""
    message = error_message(exc, requested_language(request.headers.get("accept-language")))
    field = str(exc.params.get("field", "year"))
    return ValidationException(
        detail=f"{field}: {message}",
        extra=[{"key": field, "message": message, "source": "query", "code": str(exc.code)}],
    )


async def _figures(
    request: Request,
    *,
    actor: ActingUser,
    period: Period,
    house_id: int | None,
    clock: Clock,
    settings: Settings,
    export_format: ExportFormat,
) -> StatutoryStatistics:
    try:
        return await services.statutory_statistics(
            actor=actor,
            period=period,
            house_id=house_id,
            threshold=settings.statistics_min_cell,
            tz=settings.tz,
            clock=clock,
            export_format=export_format,
        )
    except Invalid as exc:
        if "field" not in exc.params:
            raise
        raise as_400(request, exc) from None


class StatutoryStatisticsController(Controller):
    path = "/api/statistics/statutory"
    tags = ["statistics"]
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get(
        "/",
        summary="The statutory figures of a period, small cells suppressed (JSON)",
        description=(
            "A supervisor gets their justice house; an administrator every house and the"
            " national figures, or one house with `house`. Each export is audited."
        ),
    )
    async def figures(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        year: Year = None,
        start: From = None,
        end: To = None,
        house: House = None,
    ) -> StatutoryStatistics:
        period = period_or_400(
            request, year=year, start=start, end=end, clock=clock, settings=settings
        )
        return await _figures(
            request,
            actor=actor,
            period=period,
            house_id=house,
            clock=clock,
            settings=settings,
            export_format="json",
        )

    @get("/csv", summary="The same, as CSV for Excel (semicolons, UTF-8 with BOM)", media_type=CSV)
    async def figures_csv(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        year: Year = None,
        start: From = None,
        end: To = None,
        house: House = None,
        lang: Annotated[str | None, QueryParameter(pattern=LANGUAGE)] = None,
    ) -> Response[bytes]:
        period = period_or_400(
            request, year=year, start=start, end=end, clock=clock, settings=settings
        )
        stats = await _figures(
            request,
            actor=actor,
            period=period,
            house_id=house,
            clock=clock,
            settings=settings,
            export_format="csv",
        )
        language = lang or actor.language
        return csv_response(stats, language)


def csv_response(stats: StatutoryStatistics, language: str) -> Response[bytes]:
    body = documents.as_csv(stats, language=language, translate=translations(language).gettext)
    name = f"perp-track-statutory-{stats.period_from.isoformat()}-{stats.period_to.isoformat()}"
    return Response(
        content=body.encode("utf-8"),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
