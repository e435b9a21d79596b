"""The page routes and static files, as one piece for the composition root."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.handlers import BaseRouteHandler
from litestar.static_files import create_static_files_router

from perp_track.ui.action_pages import MeasurePages, SummonsPages
from perp_track.ui.auth_pages import HomePages, LoginPages
from perp_track.ui.case_find_pages import CaseFindPages
from perp_track.ui.case_pages import CasePages
from perp_track.ui.caseload_pages import CaseloadPages
from perp_track.ui.change_pages import AssignmentPages, CaseChangePages, MeasureChangePages
from perp_track.ui.condition_pages import ConditionPages
from perp_track.ui.document_pages import DocumentPages
from perp_track.ui.evaluation_pages import EvaluationPages
from perp_track.ui.inbox_pages import InboxPages
from perp_track.ui.interpreter_pages import InterpreterPages, SummonsInterpreterPages
from perp_track.ui.middleware import PAGE_OPT, STATIC_OPT, check_csrf
from perp_track.ui.police_pages import PolicePages
from perp_track.ui.programme_pages import ProgrammePages
from perp_track.ui.programme_series_pages import ProgrammeSeriesPages
from perp_track.ui.report_pages import AuthorityReportPages, HoursPages
from perp_track.ui.restriction_pages import RestrictionPages
from perp_track.ui.risk_pages import AlertPages, ReassessPages, RiskPolicyPages
from perp_track.ui.risk_tier_pages import RiskTierPages
from perp_track.ui.statutory_pages import StatutoryPages
from perp_track.ui.supervisor_pages import SupervisorPages
from perp_track.ui.victim_pages import VictimPages

STATIC = Path(__file__).resolve().parent / "static"


def page_handlers() -> list[Router | BaseRouteHandler]:
    pages = Router(
        path="/",
        route_handlers=[
            LoginPages,
            HomePages,
            CasePages,
            CaseFindPages,
            SummonsPages,
            SummonsInterpreterPages,
            InterpreterPages,
            MeasurePages,
            InboxPages,
            ProgrammePages,
            ProgrammeSeriesPages,
            VictimPages,
            SupervisorPages,
            StatutoryPages,
            DocumentPages,
            ConditionPages,
            CaseloadPages,
            PolicePages,
            AuthorityReportPages,
            HoursPages,
            EvaluationPages,
            ReassessPages,
            RiskPolicyPages,
            RiskTierPages,
            AlertPages,
            CaseChangePages,
            AssignmentPages,
            MeasureChangePages,
            RestrictionPages,
        ],
        # Every state-changing page request must carry the session's CSRF token.
        before_request=check_csrf,
        include_in_schema=False,
        opt=PAGE_OPT,
    )
    static = create_static_files_router(
        path="/static",
        directories=[STATIC],
        name="static",
        include_in_schema=False,
        opt=STATIC_OPT,
        # Stylesheet and scripts only, no personal data: an hour of browser cache.
        cache_control=CacheControlHeader(max_age=3600, public=True),
    )
    return [pages, static]
