"""The supervisor's pages: the team's caseload, the statistics with their charts and CSV, and
whether the scheduled jobs run."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from babel.dates import format_date
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.caseload import services as caseload
from perp_track.cases.statistics import ALL_KINDS, Rate, Statistics, house_statistics
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.services import job_status
from perp_track.ui.charts import Series, legend, line_chart
from perp_track.ui.i18n import N_, translations
from perp_track.ui.labels import LABELS
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

ALL_MEASURES = N_("All measures")
# What each scheduled job does, in words a supervisor reads (its technical name stays beside).
JOB_LABELS = {
    "idempotency.purge": N_("Clear old duplicate-request records"),
    "measures.lapse": N_("Close measures that reached their end"),
    "measures.protection_ending": N_("Warn of bans and protections about to end"),
    "measures.report_deadlines": N_("Remind of reports due to the mandating authority"),
    "notify.dispatch": N_("Send the messages waiting (SMS, e-mail, inbox)"),
    "notify.digests": N_("Send the daily e-mail digests"),
    "notify.feedback_escalation": N_(
        "Tell the justice assistant of unacknowledged police feedback"
    ),
    "notify.reconcile": N_("Check the delivery of messages sent"),
    "privacy.retention": N_("Remove personal data past its keeping time"),
    "summons.reminders": N_("Send summons reminders"),
    "summons.attendance_overdue": N_("Flag attendance not recorded in time"),
    "jobs.watchdog": N_("Watch that the other jobs run"),
    "risk.escalation": N_("Escalate police alerts and safety checks left unanswered"),
    "risk.sapv_status": N_("Send the case status to SAPV contacts as the risk policy sets"),
    "risk.call_tasks": N_("Ask justice assistants to call before a summons at high risk"),
    "risk.reassessment_due": N_("Remind of risk reassessments due"),
}
ATTENDANCE_TITLE = N_("Attendance rate by month and measure type")
COMPLIANCE_TITLE = N_("Compliance rate by month and measure type")
DELAY_TITLE = N_("Days from the mandate to the first summons (median)")


def _month_label(month: str, lang: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return format_date(date(year, number, 1), format="MMM yy", locale=lang)


def _series(rates: list[Rate], stats: Statistics, word: Any) -> list[Series]:
    by_key = {(r.month, r.measure_kind): r.rate for r in rates}
    kinds = [*stats.measure_kinds, ALL_KINDS]
    return [
        Series(
            name=word(ALL_MEASURES) if kind == ALL_KINDS else word(LABELS.get(kind, kind)),
            values=[by_key.get((m, kind)) for m in stats.months],
        )
        for kind in kinds
    ]


class SupervisorPages(Controller):
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/team")
    async def team(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        members = await caseload.team(actor=actor, now=clock.now(), settings=settings)
        return await page(request, "supervisor/team.html", members=members)

    @get("/statistics")
    async def statistics(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        stats = await house_statistics(actor=actor, now=clock.now(), tz=settings.tz)
        lang = page_language(request)
        word = translations(lang).gettext
        labels = [_month_label(m, lang) for m in stats.months]
        attendance = _series(stats.attendance, stats, word)
        compliance = _series(stats.compliance, stats, word)
        delays = {d.month: d.median_days for d in stats.first_summons}
        delay_series = [
            Series(name=word(ALL_MEASURES), values=[delays.get(m) for m in stats.months])
        ]
        return await page(
            request,
            "supervisor/statistics.html",
            stats=stats,
            month_labels=dict(zip(stats.months, labels, strict=True)),
            attendance_chart=line_chart(
                title=word(ATTENDANCE_TITLE),
                labels=labels,
                series=attendance,
                maximum=100,
            ),
            attendance_legend=legend(attendance),
            compliance_chart=line_chart(
                title=word(COMPLIANCE_TITLE),
                labels=labels,
                series=compliance,
                maximum=100,
            ),
            compliance_legend=legend(compliance),
            delay_chart=line_chart(
                title=word(DELAY_TITLE),
                labels=labels,
                series=delay_series,
                unit="",
                scale=1.0,
            ),
            all_kinds=ALL_KINDS,
        )

    @get("/statistics.csv")
    async def statistics_csv(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Response[str]:
        stats = await house_statistics(actor=actor, now=clock.now(), tz=settings.tz)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["metric", "month", "measure_kind", "numerator", "denominator", "value"])
        metrics = (("attendance_rate", stats.attendance), ("compliance_rate", stats.compliance))
        for metric, rates in metrics:
            for r in rates:
                value = "" if r.rate is None else f"{r.rate:.4f}"
                row = [metric, r.month, r.measure_kind, r.numerator, r.denominator, value]
                writer.writerow(row)
        for d in stats.first_summons:
            # denominator: the cases opened that month that have a first summons
            writer.writerow(
                ["days_to_first_summons_median", d.month, ALL_KINDS, "", d.cases, d.median_days]
            )
        return Response(
            content=out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="perp-track-statistics-{stats.months[-1]}.csv"'
                )
            },
        )

    @get("/jobs")
    async def jobs(
        self,
        request: Request,
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        from perp_track.scheduler import all_jobs

        found = await job_status(all_jobs(settings), clock.now())
        return await page(request, "supervisor/jobs.html", jobs=found, job_labels=JOB_LABELS)
