"""The page routes and static files, as one piece for the composition root."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.handlers import BaseRouteHandler
from litestar.static_files import create_static_files_router

from perp_track.ui.middleware import PAGE_OPT, STATIC_OPT, check_csrf
from perp_track.ui.pages.action import MeasurePages, SummonsPages
from perp_track.ui.pages.auth import HomePages, LoginPages
from perp_track.ui.pages.case import CasePages
from perp_track.ui.pages.case_find import CaseFindPages
from perp_track.ui.pages.caseload import CaseloadPages
from perp_track.ui.pages.change import AssignmentPages, CaseChangePages, MeasureChangePages
from perp_track.ui.pages.condition import ConditionPages
from perp_track.ui.pages.document import DocumentPages
from perp_track.ui.pages.evaluation import EvaluationPages
from perp_track.ui.pages.inbox import InboxPages
from perp_track.ui.pages.interpreter import InterpreterPages, SummonsInterpreterPages
from perp_track.ui.pages.police import PolicePages
from perp_track.ui.pages.programme import ProgrammePages
from perp_track.ui.pages.programme_series import ProgrammeSeriesPages
from perp_track.ui.pages.report import AuthorityReportPages, HoursPages
from perp_track.ui.pages.restriction import RestrictionPages
from perp_track.ui.pages.risk import AlertPages, ReassessPages, RiskPolicyPages
from perp_track.ui.pages.risk_tier import RiskTierPages
from perp_track.ui.pages.statutory import StatutoryPages
from perp_track.ui.pages.supervisor import SupervisorPages
from perp_track.ui.pages.victim import VictimPages

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
