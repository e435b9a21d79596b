"""The statutory statistics page (a year, or any period; printable) and its CSV download.

The period is in the address (a year or two dates: no personal data); a wrong one is shown in
the form, in the reader's language, with a 400. Every display and download is audited as an
export, as the API's are."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Invalid
from perp_track.statistics import documents, services
from perp_track.statistics.controllers import csv_response
from perp_track.statistics.errors import StatisticsError
from perp_track.statistics.rules import FIRST_YEAR, Period
from perp_track.statistics.schemas import ExportFormat, StatutoryStatistics
from perp_track.ui.error_messages import error_text
from perp_track.ui.i18n import translations
from perp_track.ui.rules import LANGUAGES, form_date
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

YEARS_OFFERED = 10


class _Asked:
    """What the address asks for, read without trusting it: the wrong parts as form errors."""

    def __init__(self, request: Request, today: date) -> None:
        query = request.query_params
        self.values = {k: str(query.get(k, "")).strip()[:40] for k in ("year", "from", "to")}
        self.values["house"] = str(query.get("house", "")).strip()[:12]
        self.errors: dict[str, str] = {}
        language = page_language(request)
        self.year: int | None = None
        self.start: date | None = None
        self.end: date | None = None
        self.house_id: int | None = None
        year = self.values["year"]
        if year:
            if year.isdigit() and len(year) == 4:
                self.year = int(year)
            else:
                self.errors["year"] = error_text(
                    language,
                    Invalid(StatisticsError.YEAR_OUT_OF_RANGE, first=FIRST_YEAR, last=today.year),
                )
        for name in ("from", "to"):
            try:
                setattr(self, "start" if name == "from" else "end", form_date(self.values[name]))
            except Invalid as exc:
                self.errors[name] = error_text(language, exc)
        house = self.values["house"]
        if house:
            if house.isdigit():
                self.house_id = int(house)
            else:
                self.errors["house"] = error_text(
                    language, Invalid(StatisticsError.NOT_A_JUSTICE_HOUSE, house_id=house)
                )


def _query(period: Period, house_id: int | None) -> str:
    if period.is_calendar_year:
        query = f"year={period.start.year}"
    else:
        query = f"from={period.start.isoformat()}&to={period.end.isoformat()}"
    return query + (f"&house={house_id}" if house_id is not None else "")


async def _period(
    request: Request, asked: _Asked, clock: Clock, settings: Settings
) -> Period | None:
    if asked.errors:
        return None
    try:
        return services.choose_period(
            year=asked.year, start=asked.start, end=asked.end, clock=clock, tz=settings.tz
        )
    except Invalid as exc:
        field = str(exc.params.get("field", "year"))
        asked.errors[field] = error_text(page_language(request), exc)
        return None


async def _figures(
    request: Request,
    actor: ActingUser,
    clock: Clock,
    settings: Settings,
    asked: _Asked,
    period: Period,
    export_format: ExportFormat,
) -> StatutoryStatistics | None:
    """The figures, or None with the field at fault marked (an unknown justice house)."""
    try:
        return await services.statutory_statistics(
            actor=actor,
            period=period,
            house_id=asked.house_id,
            threshold=settings.statistics_min_cell,
            tz=settings.tz,
            clock=clock,
            export_format=export_format,
        )
    except Invalid as exc:
        if "field" not in exc.params:
            raise
        asked.errors[str(exc.params["field"])] = error_text(page_language(request), exc)
        return None


def _today(clock: Clock, settings: Settings) -> date:
    return clock.now().astimezone(settings.tz).date()


async def _page(
    request: Request, actor: ActingUser, clock: Clock, settings: Settings, asked: _Asked
) -> Template:
    houses = await services.houses_for(actor)
    today = _today(clock, settings)
    period = await _period(request, asked, clock, settings)
    stats = None
    if period is not None:
        stats = await _figures(request, actor, clock, settings, asked, period, "page")
    lang = page_language(request)
    translate = translations(lang).gettext
    first_offered = max(FIRST_YEAR, today.year - YEARS_OFFERED)
    return await page(
        request,
        "supervisor/statutory.html",
        status_code=400 if asked.errors else 200,
        stats=stats,
        errors=asked.errors,
        values=asked.values,
        year_options=[(str(y), str(y)) for y in range(today.year, first_offered - 1, -1)],
        chosen_year=str(period.start.year if period else today.year),
        houses=houses if actor.role is Role.ADMIN else [],
        dates_open=bool(asked.values["from"] or asked.values["to"]),
        csv_query=f"{_query(period, asked.house_id)}&lang={lang}" if period else "",
        word=lambda code: documents.word(code, translate),
        shown=documents.shown,
        note=lambda cell, threshold: documents.note(cell, threshold, translate),
        house_name=lambda section: documents.house_name(section, translate),
        days=lambda value: documents.days(value, lang),
        titles=documents.TABLE_TITLES,
        count_words=documents.COUNT,
        quartiles=documents.QUARTILES,
        spreads=documents.spreads,
    )


class StatutoryPages(Controller):
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/statistics/statutory")
    async def statutory(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        asked = _Asked(request, _today(clock, settings))
        return await _page(request, actor, clock, settings, asked)

    @get("/statistics/statutory.csv")
    async def statutory_csv(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Response[bytes] | Template:
        asked = _Asked(request, _today(clock, settings))
        period = await _period(request, asked, clock, settings)
        if period is None:
            # The page, its form marked: the download links are only made from good periods.
            return await _page(request, actor, clock, settings, asked)
        stats = await _figures(request, actor, clock, settings, asked, period, "csv")
        if stats is None:
            return await _page(request, actor, clock, settings, asked)
        lang = str(request.query_params.get("lang", ""))
        return csv_response(stats, lang if lang in LANGUAGES else page_language(request))
