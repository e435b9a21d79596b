"""The words of the printed documents (report to the authority, summons letter), from the
catalogs: each word is a msgid with its own context ("document.<key>"), translated in FR, NL
and EN like the pages' words (make messages extracts them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from perp_track.i18n import NC_
from perp_track.i18n.catalogs import LANGUAGES, translations

__all__ = ["LABELS", "LANGUAGES", "REASONS", "TERMS", "explain", "term"]

# key -> (context, English msgid)
WORDS: Final[dict[str, tuple[str, str]]] = {
    "report_title": (
        "document.report_title",
        NC_("document.report_title", "Supervision report to the mandating authority"),
    ),
    "case": ("document.case", NC_("document.case", "Case")),
    "authority": ("document.authority", NC_("document.authority", "Mandating authority")),
    "authority_reference": (
        "document.authority_reference",
        NC_("document.authority_reference", "Authority's reference"),
    ),
    "period": ("document.period", NC_("document.period", "Period")),
    "to": ("document.to", NC_("document.to", "to")),
    "person": ("document.person", NC_("document.person", "Person supervised")),
    "born": ("document.born", NC_("document.born", "born on")),
    "justice_assistant": (
        "document.justice_assistant",
        NC_("document.justice_assistant", "Justice assistant"),
    ),
    "measures": ("document.measures", NC_("document.measures", "Measures and conditions")),
    "measure": ("document.measure", NC_("document.measure", "Measure")),
    "status": ("document.status", NC_("document.status", "Status")),
    "until": ("document.until", NC_("document.until", "until")),
    "condition": ("document.condition", NC_("document.condition", "Condition")),
    "compliance": ("document.compliance", NC_("document.compliance", "Compliance")),
    "attendance": ("document.attendance", NC_("document.attendance", "Attendance")),
    "date": ("document.date", NC_("document.date", "Date")),
    "what": ("document.what", NC_("document.what", "What")),
    "outcome": ("document.outcome", NC_("document.outcome", "Attendance")),
    "summons": ("document.summons", NC_("document.summons", "Summons")),
    "session": ("document.session", NC_("document.session", "Programme session")),
    "events": ("document.events", NC_("document.events", "Events in the period")),
    "events_note": (
        "document.events_note",
        NC_("document.events_note", "As recorded in the case file."),
    ),
    "assessment": (
        "document.assessment",
        NC_("document.assessment", "The justice assistant's assessment"),
    ),
    "no_assessment": (
        "document.no_assessment",
        NC_("document.no_assessment", "No report recorded for this period."),
    ),
    "nothing": ("document.nothing", NC_("document.nothing", "Nothing to report for this period.")),
    "printed": ("document.printed", NC_("document.printed", "Printed on")),
    "page": ("document.page", NC_("document.page", "Page")),
    "letter_title": ("document.letter_title", NC_("document.letter_title", "Summons")),
    "letter_intro": (
        "document.letter_intro",
        NC_(
            "document.letter_intro",
            "You are asked to attend an interview with your justice assistant as part of the "
            "measure imposed on you.",
        ),
    ),
    "when": ("document.when", NC_("document.when", "When")),
    "where": ("document.where", NC_("document.where", "Where")),
    "how": ("document.how", NC_("document.how", "How")),
    "interpreter": (
        "document.interpreter",
        NC_("document.interpreter", "An interpreter will be present for"),
    ),
    "interpreter_booked": (
        "document.interpreter_booked",
        NC_("document.interpreter_booked", "Interpreter booked"),
    ),
    "sworn_interpreter": (
        "document.sworn_interpreter",
        NC_("document.sworn_interpreter", "sworn interpreter"),
    ),
    "bring": (
        "document.bring",
        NC_("document.bring", "Bring an identity document and this letter."),
    ),
    "consequence": (
        "document.consequence",
        NC_(
            "document.consequence",
            "If you cannot come, tell us before the appointment and give the reason. An "
            "absence without a valid reason is reported to the mandating authority and may "
            "have consequences for your measure.",
        ),
    ),
    "contact": ("document.contact", NC_("document.contact", "For any question, contact")),
    "reference": ("document.reference", NC_("document.reference", "Reference")),
    "signature": ("document.signature", NC_("document.signature", "The justice assistant")),
    "in_person": ("document.in_person", NC_("document.in_person", "in person")),
    "phone": ("document.phone", NC_("document.phone", "by phone")),
    "video": ("document.video", NC_("document.video", "by video")),
}

# Domain words (statuses, kinds, outcomes, compliance levels).
_TERMS: Final[dict[str, tuple[str, str]]] = {
    "mediation_216ter": (
        "document term.mediation_216ter",
        NC_("document term.mediation_216ter", "Mediation and measures (art. 216ter CCP)"),
    ),
    "release_under_conditions": (
        "document term.release_under_conditions",
        NC_("document term.release_under_conditions", "Release under conditions"),
    ),
    "probation": (
        "document term.probation",
        NC_("document term.probation", "Probation (suspended sentence or verdict)"),
    ),
    "autonomous_probation": (
        "document term.autonomous_probation",
        NC_("document term.autonomous_probation", "Autonomous probation sentence"),
    ),
    "temporary_residence_ban": (
        "document term.temporary_residence_ban",
        NC_("document term.temporary_residence_ban", "Temporary residence ban"),
    ),
    "programme": ("document term.programme", NC_("document term.programme", "Training programme")),
    "contact_ban": ("document term.contact_ban", NC_("document term.contact_ban", "Contact ban")),
    "place_ban": ("document term.place_ban", NC_("document term.place_ban", "Place ban")),
    "therapy": ("document term.therapy", NC_("document term.therapy", "Therapy")),
    "addiction_treatment": (
        "document term.addiction_treatment",
        NC_("document term.addiction_treatment", "Addiction treatment"),
    ),
    "community_service": (
        "document term.community_service",
        NC_("document term.community_service", "Community service"),
    ),
    "respond_to_summons": (
        "document term.respond_to_summons",
        NC_("document term.respond_to_summons", "Respond to summons"),
    ),
    "report_address_change": (
        "document term.report_address_change",
        NC_("document term.report_address_change", "Report address changes"),
    ),
    "compensation": (
        "document term.compensation",
        NC_("document term.compensation", "Compensation"),
    ),
    "other": ("document term.other", NC_("document term.other", "Other")),
    "attended": ("document term.attended", NC_("document term.attended", "attended")),
    "late": ("document term.late", NC_("document term.late", "late")),
    "absent_valid_reason": (
        "document term.absent_valid_reason",
        NC_("document term.absent_valid_reason", "absent with a valid reason"),
    ),
    "absent_no_valid_reason": (
        "document term.absent_no_valid_reason",
        NC_("document term.absent_no_valid_reason", "absent without a valid reason"),
    ),
    "did_not_take_place": (
        "document term.did_not_take_place",
        NC_("document term.did_not_take_place", "did not take place"),
    ),
    "met": ("document term.met", NC_("document term.met", "met")),
    "compliant": (
        "document term.compliant",
        NC_("document term.compliant", "complied with so far"),
    ),
    "at_risk": ("document term.at_risk", NC_("document term.at_risk", "to watch")),
    "non_compliant": (
        "document term.non_compliant",
        NC_("document term.non_compliant", "not complied with"),
    ),
    "not_applicable": (
        "document term.not_applicable",
        NC_("document term.not_applicable", "not applicable"),
    ),
    "not_yet_due": (
        "document term.not_yet_due",
        NC_("document term.not_yet_due", "nothing to judge yet"),
    ),
    "to_record": (
        "document term.to_record",
        NC_("document term.to_record", "attendance to record"),
    ),
    "pending": ("document term.pending", NC_("document term.pending", "pending")),
    "in_progress": ("document term.in_progress", NC_("document term.in_progress", "in progress")),
    "breached": ("document term.breached", NC_("document term.breached", "breached")),
    "adapted": ("document term.adapted", NC_("document term.adapted", "adapted")),
    "waived": ("document term.waived", NC_("document term.waived", "waived")),
    "refused": ("document term.refused", NC_("document term.refused", "refused")),
    "dropped_out": ("document term.dropped_out", NC_("document term.dropped_out", "dropped out")),
    "excluded": ("document term.excluded", NC_("document term.excluded", "excluded")),
    "received": ("document term.received", NC_("document term.received", "received")),
    "assigned": ("document term.assigned", NC_("document term.assigned", "assigned")),
    "intake_scheduled": (
        "document term.intake_scheduled",
        NC_("document term.intake_scheduled", "intake scheduled"),
    ),
    "active": ("document term.active", NC_("document term.active", "active")),
    "suspended": ("document term.suspended", NC_("document term.suspended", "suspended")),
    "extended": ("document term.extended", NC_("document term.extended", "extended")),
    "non_compliance_reported": (
        "document term.non_compliance_reported",
        NC_("document term.non_compliance_reported", "non-compliance reported"),
    ),
    "conditions_adapted": (
        "document term.conditions_adapted",
        NC_("document term.conditions_adapted", "conditions adapted"),
    ),
    "revocation_requested": (
        "document term.revocation_requested",
        NC_("document term.revocation_requested", "revocation requested"),
    ),
    "warrant_issued": (
        "document term.warrant_issued",
        NC_("document term.warrant_issued", "arrest warrant issued"),
    ),
    "referred_for_prosecution": (
        "document term.referred_for_prosecution",
        NC_("document term.referred_for_prosecution", "referred for prosecution"),
    ),
    "completed": ("document term.completed", NC_("document term.completed", "completed")),
    "failed": ("document term.failed", NC_("document term.failed", "failed")),
    "expired": ("document term.expired", NC_("document term.expired", "expired")),
    "lifted": ("document term.lifted", NC_("document term.lifted", "lifted")),
    "prosecutor": (
        "document term.prosecutor",
        NC_("document term.prosecutor", "Public prosecutor"),
    ),
    "investigating_judge": (
        "document term.investigating_judge",
        NC_("document term.investigating_judge", "Investigating judge"),
    ),
    "trial_court": ("document term.trial_court", NC_("document term.trial_court", "Trial court")),
    "probation_commission": (
        "document term.probation_commission",
        NC_("document term.probation_commission", "Probation commission"),
    ),
    "family_court": (
        "document term.family_court",
        NC_("document term.family_court", "Family court"),
    ),
}

# Compliance reasons (compliance.rules.Reason): %(n)s, %(m)s are figures, %(word)s a word.
_REASONS: Final[dict[str, tuple[str, str]]] = {
    "condition_closed": (
        "document reason.condition_closed",
        NC_("document reason.condition_closed", "condition %(word)s"),
    ),
    "condition_met": (
        "document reason.condition_met",
        NC_("document reason.condition_met", "condition met"),
    ),
    "breached": (
        "document reason.breached",
        NC_("document reason.breached", "condition recorded as breached"),
    ),
    "interrupted": (
        "document reason.interrupted",
        NC_("document reason.interrupted", "programme interrupted (%(word)s)"),
    ),
    "programme_absences": (
        "document reason.programme_absences",
        NC_(
            "document reason.programme_absences",
            "%(n)s programme session(s) missed without a valid reason",
        ),
    ),
    "programme_short": (
        "document reason.programme_short",
        NC_(
            "document reason.programme_short",
            "%(n)s of %(m)s sessions attended by the completion deadline",
        ),
    ),
    "summons_missed": (
        "document reason.summons_missed",
        NC_("document reason.summons_missed", "%(n)s summons missed without a valid reason"),
    ),
    "hours_short": (
        "document reason.hours_short",
        NC_("document reason.hours_short", "%(n)s of %(m)s hours done by the deadline"),
    ),
    "measure_closed": (
        "document reason.measure_closed",
        NC_("document reason.measure_closed", "measure closed"),
    ),
    "not_yet_due": (
        "document reason.not_yet_due",
        NC_("document reason.not_yet_due", "nothing is due yet"),
    ),
    "summons_to_record": (
        "document reason.summons_to_record",
        NC_(
            "document reason.summons_to_record",
            "%(n)s past summons whose attendance is still to record",
        ),
    ),
}


def _say(language: str, entry: tuple[str, str]) -> str:
    context, msgid = entry
    return translations(language).pgettext(context, msgid)


class _Words(Mapping[str, str]):
    """One table's words in one language, by key (t.report_title in a template)."""

    def __init__(self, language: str, table: Mapping[str, tuple[str, str]]) -> None:
        self.language = language
        self.table = table

    def __getitem__(self, key: str) -> str:
        return _say(self.language, self.table[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


LABELS: Final[dict[str, _Words]] = {lang: _Words(lang, WORDS) for lang in LANGUAGES}
TERMS: Final[dict[str, _Words]] = {lang: _Words(lang, _TERMS) for lang in LANGUAGES}
REASONS: Final[dict[str, _Words]] = {lang: _Words(lang, _REASONS) for lang in LANGUAGES}


def term(language: str, word: str) -> str:
    """A domain word in the language, or the word itself with spaces (never a KeyError)."""
    entry = _TERMS.get(str(word))
    if entry is None:
        return str(word).replace("_", " ")
    return _say(language if language in LANGUAGES else "en", entry)


def explain(reason: tuple[str, int, int, str], language: str) -> str:
    """A compliance reason in words: (code, n, m, word) from compliance.rules.Reason."""
    code, n, m, word = reason
    entry = _REASONS.get(code)
    if entry is None:
        return code.replace("_", " ")
    template = _say(language if language in LANGUAGES else "en", entry)
    return template % {"n": n, "m": m, "word": term(language, word) if word else ""}
