"""Accounts, logins and sessions: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class AuthError(ErrorCode):
    PASSWORD_TOO_SHORT = (
        "auth.password_too_short",
        N_("a password needs at least %(min_length)s characters"),
    )
    ORGANISATION_NOT_FOUND = (
        "auth.organisation_not_found",
        N_("organisation %(organisation_id)s does not exist"),
    )
    WRONG_ORGANISATION_KIND = (
        "auth.wrong_organisation_kind",
        N_("a %(role)s belongs to a %(expected)s, not a %(kind)s"),
    )
    EMAIL_TAKEN = ("auth.email_taken", N_("a user with the e-mail %(email)s already exists"))
    SECOND_FACTOR_REQUIRED = (
        "auth.second_factor_required",
        N_("enter the 6-digit code of your authenticator app (totp_code)"),
    )
    WRONG_SECOND_FACTOR = (
        "auth.wrong_second_factor",
        N_("wrong or already used authenticator code"),
    )
    TOO_MANY_FAILED_LOGINS = (
        "auth.too_many_failed_logins",
        N_("too many failed logins: try again in %(minutes)s minutes"),
    )
    WRONG_CREDENTIALS = ("auth.wrong_credentials", N_("wrong e-mail address or password"))
    TOKEN_INVALID = (
        "auth.token_invalid",
        N_("the token is unknown, revoked or expired; log in again"),
    )
    ACCOUNT_DISABLED = ("auth.account_disabled", N_("this account is disabled"))
    TOKEN_NOT_FOUND = ("auth.token_not_found", N_("token %(token_id)s not found"))
    USER_NOT_FOUND = ("auth.user_not_found", N_("user %(user_id)s not found"))
    MANAGES_NO_ACCOUNTS = (
        "auth.manages_no_accounts",
        N_("only an administrator or a supervisor manages accounts"),
    )
    OWN_ACCOUNT = ("auth.own_account", N_("you cannot disable or enable your own account"))
    ADMIN_ACCOUNT = (
        "auth.admin_account",
        N_("a supervisor does not manage an administrator's account"),
    )
    SECOND_FACTOR_ACTIVE = (
        "auth.second_factor_active",
        N_("a second factor is already active; remove it first to enrol again"),
    )
    SECOND_FACTOR_UNREADABLE = (
        "auth.second_factor_unreadable",
        N_("the second factor cannot be read (the secret key changed): enrol again"),
    )
    ENROLMENT_NOT_STARTED = (
        "auth.enrolment_not_started",
        N_("start the enrolment first (POST /api/auth/totp)"),
    )
    ENROLMENT_DONE = ("auth.enrolment_done", N_("the second factor is already active"))
    WRONG_ENROLMENT_CODE = (
        "auth.wrong_enrolment_code",
        N_("wrong code: check the time on your phone and try the next code"),
    )
    NO_SECOND_FACTOR = ("auth.no_second_factor", N_("no active second factor"))
    ACCOUNT_HAS_NO_SECOND_FACTOR = (
        "auth.account_has_no_second_factor",
        N_("this account has no second factor"),
    )
