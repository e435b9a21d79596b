"""The statutory export: who may have it, for which houses, and its entry on the audit trail."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.errors import Forbidden, Invalid
from perp_track.statistics import figures, views
from perp_track.statistics.errors import StatisticsError
from perp_track.statistics.rules import Cell, Period, period_of
from perp_track.statistics.schemas import (
    CellOut,
    ExportFormat,
    SectionOut,
    SpreadOut,
    StatutoryStatistics,
    TableOut,
)

NATIONAL = "Belgium"  # the national section's name; the pages and the CSV say it in words


def _may_export(actor: ActingUser) -> None:
    if actor.role not in {Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(StatisticsError.FOR_SUPERVISORS)


def choose_period(
    *, year: int | None, start: date | None, end: date | None, clock: Clock, tz: ZoneInfo
) -> Period:
    return period_of(year=year, start=start, end=end, today=clock.now().astimezone(tz).date())


async def houses_for(actor: ActingUser) -> list[tuple[int, str]]:
    """The justice houses whose figures the actor may export: their own, or (an administrator)
    every one."""
    _may_export(actor)
    houses = await views.justice_houses()
    if actor.role is Role.ADMIN:
        return houses
    return [h for h in houses if h[0] == actor.organisation_id]


async def statutory_statistics(
    *,
    actor: ActingUser,
    period: Period,
    house_id: int | None,
    threshold: int,
    tz: ZoneInfo,
    clock: Clock,
    export_format: ExportFormat,
) -> StatutoryStatistics:
    """A supervisor's house, or for an administrator the whole country (every house and the
    national figures) or one house. Every export is on the audit trail: who, which period and
    houses, in which form."""
    _may_export(actor)
    houses = await views.justice_houses()
    known = {h for h, _ in houses}
    if actor.role is Role.SUPERVISOR:
        if house_id is not None and house_id != actor.organisation_id:
            raise Forbidden(StatisticsError.OWN_HOUSE_ONLY)
        house_id = actor.organisation_id
    if house_id is not None and house_id not in known:
        raise Invalid(StatisticsError.NOT_A_JUSTICE_HOUSE, house_id=house_id, field="house")
    now = clock.now()
    today = now.astimezone(tz).date()
    as_of = min(period.end, today)
    national, per_house = figures.export(
        houses=houses,
        national_name=NATIONAL,
        facts=await views.facts(period=period, tz=tz),
        period=period,
        as_of=as_of,
        threshold=threshold,
    )
    sections = (
        [s for s in per_house if s.house_id == house_id]
        if house_id is not None
        else [national, *per_house]
    )
    await audit.append(
        actor=actor,
        action=Action.EXPORT,
        record_type="statutory_statistics",
        record_id=house_id,
        now=now,
        detail=(
            f"statutory statistics {period.start.isoformat()} to {period.end.isoformat()},"
            f" {'house ' + str(house_id) if house_id is not None else 'national'},"
            f" as {export_format}, cells under {threshold} suppressed"
        ),
    )
    return StatutoryStatistics(
        period_from=period.start,
        period_to=period.end,
        as_of=as_of,
        threshold=threshold,
        scope="house" if house_id is not None else "national",
        sections=[_section(s) for s in sections],
    )


def _cell(cell: Cell) -> CellOut:
    return CellOut(value=None if cell.hidden else cell.value, mark=cell.mark)


def _table(table: figures.Table) -> TableOut:
    columns = [*table.columns, *([figures.ALL] if table.row_totals else [])]
    rows = [*table.rows, *([figures.ALL] if table.column_totals else [])]
    grid = [
        [*line, *([table.row_totals[i]] if table.row_totals else [])]
        for i, line in enumerate(table.cells)
    ]
    if table.column_totals:
        grid.append([*table.column_totals, *([table.grand_total] if table.grand_total else [])])
    return TableOut(
        key=table.key,
        rows=rows,
        columns=columns,
        cells=[[_cell(c) for c in line] for line in grid],
    )


def _spread(spread: figures.Spread) -> SpreadOut:
    q = spread.quartiles
    return SpreadOut(
        group=spread.row,
        count=_cell(spread.count),
        first_quartile=q[0] if q else None,
        median=q[1] if q else None,
        third_quartile=q[2] if q else None,
    )


def _section(section: figures.Section) -> SectionOut:
    return SectionOut(
        justice_house_id=section.house_id,
        justice_house=section.house_name,
        tables=[_table(t) for t in section.tables.values()],
        measure_durations_days=[_spread(s) for s in section.durations],
        days_to_first_summons=[_spread(s) for s in section.delays],
    )
