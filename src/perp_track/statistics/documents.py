"""The statutory statistics in words: the labels of their codes and the CSV, in the reader's
language.

The CSV is what Belgian offices open in Excel: a semicolon between fields, a comma in decimals,
and a UTF-8 byte order mark first. Excel set to French or Dutch (Belgium) lists with ";" (the
comma is its decimal sign), so a comma-separated file opens as one column; and without the mark
it reads the file as Windows-1252, so "Liège" or "geëindigd" come out garbled. Other tools skip
the mark.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from babel.numbers import format_decimal

from perp_track.i18n import N_
from perp_track.statistics.rules import Mark
from perp_track.statistics.schemas import CellOut, SectionOut, SpreadOut, StatutoryStatistics
from perp_track.ui.dates import belgian_date
from perp_track.ui.labels import LABELS

Translate = Callable[[str], str]
BOM = "\ufeff"

TABLE_TITLES = {
    "measures": N_("Measures by type"),
    "outcomes": N_("Measures closed in the period, by type and outcome"),
    "bans": N_("Bans and their breaches"),
    "programmes": N_("Programme places ended in the period, by type of measure and outcome"),
    "cases": N_("Cases opened in the period, by mandating authority"),
    "durations": N_("How long the measures closed in the period ran (days)"),
    "delays": N_("Days from the mandate to the first summons"),
}
# Words of the codes that are the statistics' own; the domain's codes (measure kinds,
# authorities, statuses) keep the words the rest of the application gives them.
WORDS = {
    "all": N_("Total"),
    "started": N_("Started in the period"),
    "in_force_at_end": N_("In force at the end of the period"),
    "in_force": N_("In force during the period"),
    "breached": N_("Bans breached"),
    "reports": N_("Breach reports"),
    "completed": N_("Completed"),
    "refused": N_("Refused"),
    "dropped_out": N_("Dropped out"),
    "excluded": N_("Excluded"),
    "ended_otherwise": N_("Ended otherwise"),
    "with_summons": N_("With a summons"),
    "without_summons": N_("No summons yet"),
    "residence_ban": N_("Temporary residence ban"),
    "place_ban": N_("Place ban"),
    "contact_ban": N_("Contact ban"),
}
NATIONAL = N_("All justice houses")
COUNT = {"durations": N_("Measures"), "delays": N_("Cases with a summons")}
QUARTILES = (
    ("first_quartile", N_("First quartile")),
    ("median", N_("Median")),
    ("third_quartile", N_("Third quartile")),
)
SMALL_NOTE = N_("fewer than %(threshold)s persons: not published")
COMPLEMENT_NOTE = N_("hidden so that a small number cannot be worked out from the totals")
CSV_HEADER = (
    N_("Justice house"),
    N_("First day"),
    N_("Last day"),
    N_("Table"),
    N_("Row"),
    N_("Column"),
    N_("Value"),
    N_("Note"),
)
COMPLEMENT_SIGN = "x"


def word(code: str, translate: Translate) -> str:
    msgid = WORDS.get(code) or LABELS.get(code)
    return translate(msgid) if msgid else code.replace("_", " ")


def shown(cell: CellOut, threshold: int) -> str:
    """A cell as published: its number, "< 5" when small, "x" when hidden as a complement."""
    if cell.mark is Mark.SMALL:
        return f"< {threshold}"
    if cell.mark is Mark.COMPLEMENT:
        return COMPLEMENT_SIGN
    return str(cell.value)


def note(cell: CellOut, threshold: int, translate: Translate) -> str:
    if cell.mark is Mark.SMALL:
        return translate(SMALL_NOTE) % {"threshold": threshold}
    if cell.mark is Mark.COMPLEMENT:
        return translate(COMPLEMENT_NOTE)
    return ""


def house_name(section: SectionOut, translate: Translate) -> str:
    return translate(NATIONAL) if section.justice_house_id is None else section.justice_house


def days(value: float | None, language: str) -> str:
    return "" if value is None else format_decimal(value, locale=f"{language}_BE")


def spreads(section: SectionOut) -> list[tuple[str, list[SpreadOut]]]:
    return [
        ("durations", section.measure_durations_days),
        ("delays", section.days_to_first_summons),
    ]


def as_csv(stats: StatutoryStatistics, *, language: str, translate: Translate) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([translate(h) for h in CSV_HEADER])
    period = [
        belgian_date(stats.period_from, language=language, style="short"),
        belgian_date(stats.period_to, language=language, style="short"),
    ]
    t = stats.threshold
    for section in stats.sections:
        house = house_name(section, translate)
        for table in section.tables:
            title = translate(TABLE_TITLES[table.key])
            for row, line in zip(table.rows, table.cells, strict=True):
                for column, cell in zip(table.columns, line, strict=True):
                    writer.writerow(
                        [
                            house,
                            *period,
                            title,
                            word(row, translate),
                            word(column, translate),
                            shown(cell, t),
                            note(cell, t, translate),
                        ]
                    )
        for key, groups in spreads(section):
            title = translate(TABLE_TITLES[key])
            for spread in groups:
                start = [house, *period, title, word(spread.group, translate)]
                count = spread.count
                writer.writerow(
                    [*start, translate(COUNT[key]), shown(count, t), note(count, t, translate)]
                )
                for field, label in QUARTILES:
                    value = getattr(spread, field)
                    missing = "" if value is not None else translate(SMALL_NOTE) % {"threshold": t}
                    writer.writerow([*start, translate(label), days(value, language), missing])
    return BOM + out.getvalue()
