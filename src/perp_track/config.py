"""Settings: the one place that reads the environment."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from perp_track.notify.safety import STOP_WORDS
from perp_track.notify.victim_control.rules import normalise_word

DEFAULT_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused in production
DEFAULT_DATABASE_URL = "sqlite:///./var/perp-track.sqlite3"


class ConfigurationError(Exception):
    """The settings cannot be used; the message says why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    database_pool_size: int = Field(default=10, ge=1, le=200)
    # PostgreSQL: a database that does not answer is an error in seconds, never a hang.
    # Connecting, waiting for a free connection of the pool, and one statement, at most.
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    database_statement_timeout_seconds: float = Field(default=15.0, gt=0, le=3600)
    # /ready answers 503 when the database has not answered within this (a load balancer's
    # check usually gives up after 2 s).
    ready_timeout_seconds: float = Field(default=1.5, gt=0, le=30)
    secret_key: str = DEFAULT_SECRET
    timezone: str = "Europe/Brussels"
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # `perp-track serve`: web processes sharing the port (one per CPU the service may use).
    web_processes: int = Field(default=1, ge=1, le=64)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    token_ttl_hours: int = Field(default=12, ge=1, le=24 * 90)
    # How many absences without a valid reason make "repeated missed summons" (DOMAIN §4).
    missed_summons_threshold: int = Field(default=2, ge=1, le=10)
    # Statutory statistics: a count of fewer persons than this is not published ("< 5"), and
    # other cells are hidden so that it cannot be worked out (statistics/rules.py).
    statistics_min_cell: int = Field(default=5, ge=2, le=100)
    # Web sessions (pages): ended after this long without a request, and in any case after
    # session_max_hours. The cookie is Secure unless turned off for plain-http local runs.
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=10, ge=1, le=72)
    session_cookie_secure: bool = True

    # Login throttling: this many failures in the window lock the account for the window.
    login_max_failures: int = Field(default=6, ge=2, le=50)
    login_lockout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # The issuer shown in the staff member's authenticator app.
    totp_issuer: str = Field(default="perp-track", min_length=1, max_length=64)
    # When the application runs under its own database role (not the tables' owner), the
    # migration takes from it the right to change or empty the audit trail.
    database_app_role: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
    # Retention after a measure closes, in days, per measure kind (check: set by the
    # data-protection officer). After it, the case is pseudonymised or purged.
    retention_days: dict[str, int] = Field(
        default_factory=lambda: {
            "mediation_216ter": 5 * 365,
            "release_under_conditions": 5 * 365,
            "probation": 5 * 365,
            "autonomous_probation": 5 * 365,
            "temporary_residence_ban": 2 * 365,
        }
    )
    # A closed case that never held a measure.
    retention_default_days: int = Field(default=2 * 365, ge=30, le=50 * 365)
    retention_action: Literal["pseudonymise", "purge"] = "pseudonymise"
    # The login log (addresses typed, clients) is kept for the security review, then deleted.
    login_attempt_retention_days: int = Field(default=365, ge=30, le=10 * 365)
    red_list_token_ttl_days: int = Field(default=365, ge=1, le=3 * 365)
    hsts_max_age: int = Field(default=31_536_000, ge=0)
    # Time-driven work (see scheduler.py). SCHEDULER=off for web replicas when a separate
    # `perp-track worker` runs the jobs.
    scheduler: Literal["on", "off"] = "on"
    job_stale_minutes: int = Field(default=10, ge=1, le=24 * 60)
    dispatch_interval_seconds: int = Field(default=5, ge=1, le=3600)
    # Days before a protective measure ends when police, SAPV and victim are warned (0: the day).
    protection_alert_days: tuple[int, ...] = (7, 1, 0)
    # An SMS still 'sent' this long after sending is looked up at Twilio; after the second limit
    # with no receipt it is marked unknown (possibly undelivered) and a person is told.
    reconcile_after_minutes: int = Field(default=60, ge=5, le=24 * 60)
    reconcile_give_up_hours: int = Field(default=48, ge=1, le=24 * 14)
    # Summons reminders to the perpetrator: these days before at REMINDER_HOUR, and the morning
    # of at REMINDER_MORNING_HOUR (local time).
    reminder_days: tuple[int, ...] = (7, 3, 1)
    reminder_hour: int = Field(default=10, ge=7, le=20)
    reminder_morning_hour: int = Field(default=8, ge=6, le=12)

    # Measures (DOMAIN §3). Legal durations marked (check) there are settings, not literals.
    mediation_max_days: int = Field(default=365, ge=30, le=3 * 366)
    adp_period_days: int = Field(default=91, ge=7, le=366)
    adp_max_total_days: int = Field(default=2 * 366, ge=7, le=10 * 366)
    probation_min_days: int = Field(default=365, ge=1, le=10 * 366)
    probation_max_days: int = Field(default=5 * 366, ge=1, le=10 * 366)
    autonomous_probation_min_days: int = Field(default=183, ge=1, le=10 * 366)
    autonomous_probation_max_days: int = Field(default=5 * 366, ge=1, le=10 * 366)
    ban_days: int = Field(default=14, ge=1, le=92)
    ban_max_months: int = Field(default=3, ge=1, le=12)
    # Reports to the mandating authority.
    intake_report_months: int = Field(default=1, ge=1, le=12)
    probation_report_months: int = Field(default=6, ge=1, le=24)
    adp_report_days: int = Field(default=30, ge=7, le=366)
    mediation_report_months: int = Field(default=3, ge=1, le=12)
    # Deadlines and the caseload.
    protection_ending_days: int = Field(default=7, ge=1, le=60)
    attendance_grace_hours: int = Field(default=24, ge=1, le=24 * 14)
    due_soon_days: int = Field(default=7, ge=1, le=60)
    upcoming_summons_days: int = Field(default=14, ge=1, le=90)
    # Compliance: how many programme absences without a valid reason propose non-compliance.
    programme_absence_threshold: int = Field(default=2, ge=1, le=21)
    # How long a POST's Idempotency-Key is remembered (a retry after that is a new request).
    idempotency_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)

    # Twilio (DOMAIN §6). TWILIO_API_BASE_URL points the real SDK elsewhere (tests, staging).
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # E-mail to staff.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "perp-track@localhost"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Dispatch: how many rows one pass claims, how long a claim lasts before another dispatcher may
    # take the rows again, how often a retryable failure is tried, and the back-off base.
    dispatch_batch_size: int = Field(default=200, ge=1, le=5000)
    dispatch_concurrency: int = Field(default=50, ge=1, le=500)
    # Dispatch passes side by side in one process (PostgreSQL): one in the database while
    # another's messages are on their way.
    dispatch_parallel: int = Field(default=2, ge=1, le=16)
    # A claim lasts this long; a dispatcher renews it every third of it while it works, so a
    # killed one's rows are taken again soon, and a slow batch's never.
    dispatch_lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    dispatch_max_attempts: int = Field(default=10, ge=1, le=50)
    dispatch_backoff_seconds: float = Field(default=30.0, gt=0, le=3600)
    dispatch_backoff_cap_seconds: float = Field(default=900.0, gt=0, le=24 * 3600)
    # After an attempt with no clear answer (a 5xx, a timeout, a dispatcher that died), the
    # message is looked up in Twilio's list only this long after the attempt, so that one
    # created just before the failure has had time to appear there. Not found then: sent again.
    dispatch_settle_seconds: float = Field(default=60.0, ge=0, le=3600)
    # Twilio's list failing for this long after the attempt: the message becomes 'unknown' and
    # a person is told what to check. Until then the look-up is tried again, with back-off.
    dispatch_lookup_give_up_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    # On SIGTERM a worker stops claiming, finishes or hands back what it holds within this.
    shutdown_grace_seconds: float = Field(default=20.0, ge=0, le=600)
    # A victim's safe hours when her profile names none (local time, HH:MM).
    victim_safe_hours_default: str = Field(default="09:00-20:00", pattern=r"^\d\d:\d\d-\d\d:\d\d$")
    # The words a victim replies to pause and to resume her updates, in every language she may
    # write in (compared without case, accents or spaces). Her consent stands while she pauses;
    # STOP keeps its own meaning and cannot be one of them.
    victim_pause_words: tuple[str, ...] = ("pause", "pauze", "pauzeren", "pausieren")
    victim_resume_words: tuple[str, ...] = (
        "reprendre",
        "hervat",
        "hervatten",
        "resume",
        "fortsetzen",
    )
    # Staff who chose a daily digest get their e-mails together once a day, from this local hour.
    daily_digest_hour: int = Field(default=7, ge=0, le=23)
    # Police feedback not acknowledged after this many days is escalated to the justice assistant.
    feedback_ack_escalation_days: int = Field(default=3, ge=1, le=60)

    @model_validator(mode="after")
    def _pace_words(self) -> Settings:
        pause = {normalise_word(w) for w in self.victim_pause_words}
        resume = {normalise_word(w) for w in self.victim_resume_words}
        if not pause or not resume or "" in pause | resume:
            raise ValueError("VICTIM_PAUSE_WORDS and VICTIM_RESUME_WORDS need one word each")
        if pause & resume:
            raise ValueError("a word cannot both pause and resume a victim's updates")
        if (pause | resume) & STOP_WORDS:
            raise ValueError("STOP and its forms keep their meaning: not a pause or resume word")
        return self

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme not in {"sqlite", "postgresql", "postgres"}:
            raise ValueError(
                f"DATABASE_URL must start with sqlite:/// or postgresql://, not {scheme or value!r}"
            )
        return value

    @field_validator("retention_days")
    @classmethod
    def _retention_per_kind(cls, value: dict[str, int]) -> dict[str, int]:
        from perp_track.measures.rules import MeasureKind

        known = {k.value for k in MeasureKind}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown measure kind {unknown[0]!r}; known: {sorted(known)}")
        missing = sorted(known - set(value))
        if missing:
            raise ValueError(f"no retention period for {missing[0]!r}")
        if any(days < 30 for days in value.values()):
            raise ValueError("a retention period is at least 30 days")
        return value

    @field_validator("public_base_url", "twilio_api_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _ranges_in_order(self) -> Settings:
        if self.probation_min_days > self.probation_max_days:
            raise ValueError("PROBATION_MIN_DAYS is above PROBATION_MAX_DAYS")
        if self.autonomous_probation_min_days > self.autonomous_probation_max_days:
            raise ValueError("AUTONOMOUS_PROBATION_MIN_DAYS is above its maximum")
        if self.adp_period_days > self.adp_max_total_days:
            raise ValueError("ADP_PERIOD_DAYS is above ADP_MAX_TOTAL_DAYS")
        return self

    @model_validator(mode="after")
    def _production_guard(self) -> Settings:
        if self.env == "production":
            problems = self.production_problems()
            if problems:
                raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    def production_problems(self) -> list[str]:
        problems = []
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
            problems.append("SECRET_KEY is the default or shorter than 32 characters")
        if self.is_sqlite:
            problems.append("DATABASE_URL points at SQLite; production runs on PostgreSQL")
        if not self.public_base_url.startswith("https://"):
            problems.append("PUBLIC_BASE_URL must be an https:// address")
        if not self.session_cookie_secure:
            problems.append("SESSION_COOKIE_SECURE is off; session cookies must be Secure")
        # Without them the outbox fills and nobody is told anything: fail at start, not silently.
        if not (self.twilio_account_sid and self.twilio_auth_token):
            problems.append("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required")
        if not (self.twilio_from or self.twilio_messaging_service_sid):
            problems.append("TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required")
        if not self.smtp_host:
            problems.append("SMTP_HOST is required")
        return problems

    @property
    def twilio_configured(self) -> bool:
        return bool(
            self.twilio_account_sid
            and self.twilio_auth_token
            and (self.twilio_from or self.twilio_messaging_service_sid)
        )

    @property
    def is_sqlite(self) -> bool:
        return urlsplit(self.database_url).scheme == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file of a sqlite:///relative or sqlite:////absolute URL."""
        if not self.is_sqlite:
            raise ConfigurationError("not a SQLite DATABASE_URL")
        raw = self.database_url[len("sqlite:///") :]
        return Path(unquote(raw))

    @property
    def postgres_config(self) -> dict[str, object]:
        """asyncpg connection arguments from a postgresql:// URL."""
        parts = urlsplit(self.database_url)
        config: dict[str, object] = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "database": unquote(parts.path.lstrip("/")) or "perp_track",
        }
        if parts.username:
            config["user"] = unquote(parts.username)
        if parts.password:
            config["password"] = unquote(parts.password)
        return config

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a bad value becomes a ConfigurationError that says which and why."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]).upper() or "settings"
            lines.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
        raise ConfigurationError("invalid configuration:\n  " + "\n  ".join(lines)) from exc
