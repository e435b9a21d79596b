"""The domain's words in the messages (DOMAIN §8): French, Dutch and English from the catalogs,
each a msgid with its own context ("message.<key>"); German, which only the message templates
speak, beside them here.
"""

from __future__ import annotations

from perp_track.i18n import NC_
from perp_track.i18n.catalogs import LANGUAGES, translations

# key -> (context, English msgid)
_WORDS: dict[str, tuple[str, str]] = {
    "mediation_216ter": (
        "message.mediation_216ter",
        NC_("message.mediation_216ter", "mediation and measures (art. 216ter)"),
    ),
    "release_under_conditions": (
        "message.release_under_conditions",
        NC_("message.release_under_conditions", "release under conditions"),
    ),
    "probation": ("message.probation", NC_("message.probation", "probation")),
    "autonomous_probation": (
        "message.autonomous_probation",
        NC_("message.autonomous_probation", "autonomous probation sentence"),
    ),
    "temporary_residence_ban": (
        "message.temporary_residence_ban",
        NC_("message.temporary_residence_ban", "temporary residence ban"),
    ),
    "conditions_adapted": (
        "message.conditions_adapted",
        NC_("message.conditions_adapted", "conditions adapted"),
    ),
    "revocation_requested": (
        "message.revocation_requested",
        NC_("message.revocation_requested", "revocation requested"),
    ),
    "warrant_issued": (
        "message.warrant_issued",
        NC_("message.warrant_issued", "arrest warrant issued"),
    ),
    "referred_for_prosecution": (
        "message.referred_for_prosecution",
        NC_("message.referred_for_prosecution", "referred for prosecution"),
    ),
    "non_compliance_reported": (
        "message.non_compliance_reported",
        NC_("message.non_compliance_reported", "non-compliance reported"),
    ),
    "completed": ("message.completed", NC_("message.completed", "completed")),
    "failed": ("message.failed", NC_("message.failed", "failed")),
    "expired": ("message.expired", NC_("message.expired", "expired")),
    "lifted": ("message.lifted", NC_("message.lifted", "lifted")),
    "extended": ("message.extended", NC_("message.extended", "extended")),
    "active": ("message.active", NC_("message.active", "active")),
    "in_person": ("message.in_person", NC_("message.in_person", "in person")),
    "phone": ("message.phone", NC_("message.phone", "by phone")),
    "video": ("message.video", NC_("message.video", "by video")),
    "justice_house": ("message.justice_house", NC_("message.justice_house", "the justice house")),
    "sapv": ("message.sapv", NC_("message.sapv", "the police victim-assistance service")),
    # A victim's detail level, as her SAPV contact reads it on the copy of each message.
    "neutral": (
        "message.neutral",
        NC_("message.neutral", "neutral, only 'please contact your support worker'"),
    ),
    "status": ("message.status", NC_("message.status", "what changed, in plain words")),
    "full": ("message.full", NC_("message.full", "what changed, with the dates")),
}
# The same words in German: no catalog of the pages speaks it.
_GERMAN: dict[str, str] = {
    "mediation_216ter": "Vermittlung und Maßnahmen (Art. 216ter)",
    "release_under_conditions": "Freiheit unter Auflagen",
    "probation": "Bewährung",
    "autonomous_probation": "autonome Bewährungsstrafe",
    "temporary_residence_ban": "vorübergehendes Wohnungsverbot",
    "conditions_adapted": "Auflagen angepasst",
    "revocation_requested": "Widerruf beantragt",
    "warrant_issued": "Haftbefehl erlassen",
    "referred_for_prosecution": "zur Strafverfolgung überwiesen",
    "non_compliance_reported": "Verstoß gemeldet",
    "completed": "erfüllt",
    "failed": "gescheitert",
    "expired": "abgelaufen",
    "lifted": "aufgehoben",
    "extended": "verlängert",
    "active": "laufend",
    "in_person": "persönlich",
    "phone": "telefonisch",
    "video": "per Video",
    "justice_house": "das Justizhaus",
    "sapv": "der polizeiliche Opferbeistand",
    "neutral": "neutral, nur „bitte melden Sie sich bei Ihrer Ansprechperson“",
    "status": "was sich geändert hat, in einfachen Worten",
    "full": "was sich geändert hat, mit den Daten",
}


def lookup(key: object, lang: str) -> str:
    """The word for key in lang; an unknown key comes back as readable text, never an error."""
    text = str(key)
    entry = _WORDS.get(text)
    if entry is None:
        return text.replace("_", " ")
    if lang == "de":
        return _GERMAN[text]
    context, msgid = entry
    return translations(lang if lang in LANGUAGES else "en").pgettext(context, msgid)
