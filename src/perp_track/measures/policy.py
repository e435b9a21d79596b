"""The measure policy of DOMAIN §3 built from the settings: the only bridge from config to rules."""

from __future__ import annotations

from perp_track.config import Settings
from perp_track.measures.rules import DurationRule, MeasureKind, MeasurePolicy


def measure_policy(settings: Settings) -> MeasurePolicy:
    return MeasurePolicy(
        durations={
            MeasureKind.MEDIATION_216TER: DurationRule(
                default_days=settings.mediation_max_days,
                min_days=1,
                max_days=settings.mediation_max_days,
            ),
            MeasureKind.RELEASE_UNDER_CONDITIONS: DurationRule(
                default_days=settings.adp_period_days,
                min_days=1,
                max_days=settings.adp_max_total_days,
                renewal_days=settings.adp_period_days,
            ),
            MeasureKind.PROBATION: DurationRule(
                default_days=None,
                min_days=settings.probation_min_days,
                max_days=settings.probation_max_days,
            ),
            MeasureKind.AUTONOMOUS_PROBATION: DurationRule(
                default_days=None,
                min_days=settings.autonomous_probation_min_days,
                max_days=settings.autonomous_probation_max_days,
            ),
            MeasureKind.TEMPORARY_RESIDENCE_BAN: DurationRule(
                default_days=settings.ban_days,
                min_days=1,
                max_days=settings.ban_max_months * 31,
                max_months=settings.ban_max_months,
            ),
        },
        intake_report_months=settings.intake_report_months,
        probation_report_months=settings.probation_report_months,
        adp_report_days=settings.adp_report_days,
        mediation_report_months=settings.mediation_report_months,
    )
