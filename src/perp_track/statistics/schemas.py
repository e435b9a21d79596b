"""The statutory statistics as the API gives them (JSON); the CSV and the page say the same."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from perp_track.statistics.rules import Mark

ExportFormat = Literal["json", "csv", "page"]


class CellOut(BaseModel):
    # None when the cell is suppressed: `mark` says why (small: fewer than the threshold of
    # persons, shown as "< 5"; complement: hidden so that a small one cannot be worked out).
    value: int | None
    mark: Mark


class TableOut(BaseModel):
    key: str = Field(description="measures, outcomes, bans, programmes or cases")
    rows: list[str] = Field(description="row codes; 'all' is the column totals")
    columns: list[str] = Field(description="column codes; 'all' is the row totals")
    cells: list[list[CellOut]] = Field(description="one list per row, one cell per column")


class SpreadOut(BaseModel):
    """Days, as median and quartiles, for a group of at least the threshold of persons."""

    group: str
    count: CellOut
    first_quartile: float | None
    median: float | None
    third_quartile: float | None


class SectionOut(BaseModel):
    justice_house_id: int | None = Field(description="None: every justice house together")
    justice_house: str
    tables: list[TableOut]
    measure_durations_days: list[SpreadOut]
    days_to_first_summons: list[SpreadOut]


class StatutoryStatistics(BaseModel):
    period_from: date
    period_to: date
    # The day "in force at the end" is counted on: the period's last day, or today before it.
    as_of: date
    threshold: int
    scope: Literal["house", "national"]
    sections: list[SectionOut]
