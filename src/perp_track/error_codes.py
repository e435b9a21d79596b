"""Every domain's error codes in one tuple: the OpenAPI lists them, and
tests/unit/test_error_codes.py checks each one's words in French, Dutch and English."""

from __future__ import annotations

from perp_track.audit.errors import AuditError
from perp_track.auth.errors import AuthError
from perp_track.cases.errors import CaseError
from perp_track.cases.restriction.errors import RestrictionError
from perp_track.errors import ErrorCode, RecordError, RiskError
from perp_track.evaluations.errors import EvaluationError
from perp_track.interpreters.errors import InterpreterError
from perp_track.measures.errors import ConditionError, MeasureError, ReportError
from perp_track.notify.errors import NotifyError
from perp_track.orgs.errors import OrganisationError
from perp_track.partners.errors import PartnerError
from perp_track.privacy.errors import PrivacyError
from perp_track.redlist.errors import RedListError
from perp_track.statistics.errors import StatisticsError
from perp_track.summons.errors import SummonsError
from perp_track.summons.programme.errors import ProgrammeError
from perp_track.ui.page_errors import PageError

DOMAINS: tuple[type[ErrorCode], ...] = (
    RecordError,
    AuthError,
    CaseError,
    RestrictionError,
    MeasureError,
    ConditionError,
    ReportError,
    SummonsError,
    ProgrammeError,
    NotifyError,
    PartnerError,
    RedListError,
    RiskError,
    AuditError,
    PrivacyError,
    OrganisationError,
    PageError,
    EvaluationError,
    StatisticsError,
    InterpreterError,
)
