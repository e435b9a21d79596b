"""The domain's words in the four languages of the messages (DOMAIN §8)."""

from __future__ import annotations

# key -> (fr, nl, en, de)
_WORDS: dict[str, tuple[str, str, str, str]] = {
    # measures
    "mediation_216ter": (
        "médiation et mesures (art. 216ter)",
        "bemiddeling en maatregelen (art. 216ter)",
        "mediation and measures (art. 216ter)",
        "Vermittlung und Maßnahmen (Art. 216ter)",
    ),
    "release_under_conditions": (
        "liberté sous conditions",
        "vrijheid onder voorwaarden",
        "release under conditions",
        "Freiheit unter Auflagen",
    ),
    "probation": ("probation", "probatie", "probation", "Bewährung"),
    "autonomous_probation": (
        "peine de probation autonome",
        "autonome probatiestraf",
        "autonomous probation sentence",
        "autonome Bewährungsstrafe",
    ),
    "temporary_residence_ban": (
        "interdiction temporaire de résidence",
        "tijdelijk huisverbod",
        "temporary residence ban",
        "vorübergehendes Wohnungsverbot",
    ),
    # measure statuses after an authority's decision or a closure
    "conditions_adapted": (
        "conditions adaptées",
        "voorwaarden aangepast",
        "conditions adapted",
        "Auflagen angepasst",
    ),
    "revocation_requested": (
        "révocation demandée",
        "herroeping gevraagd",
        "revocation requested",
        "Widerruf beantragt",
    ),
    "warrant_issued": (
        "mandat d'arrêt délivré",
        "aanhoudingsbevel uitgevaardigd",
        "arrest warrant issued",
        "Haftbefehl erlassen",
    ),
    "referred_for_prosecution": (
        "renvoyé pour poursuites",
        "doorverwezen voor vervolging",
        "referred for prosecution",
        "zur Strafverfolgung überwiesen",
    ),
    "non_compliance_reported": (
        "non-respect signalé",
        "niet-naleving gemeld",
        "non-compliance reported",
        "Verstoß gemeldet",
    ),
    "completed": ("terminée avec succès", "met succes afgerond", "completed", "erfüllt"),
    "failed": ("échouée", "mislukt", "failed", "gescheitert"),
    "expired": ("arrivée à échéance", "verlopen", "expired", "abgelaufen"),
    "lifted": ("levée", "opgeheven", "lifted", "aufgehoben"),
    "extended": ("prolongée", "verlengd", "extended", "verlängert"),
    "active": ("en cours", "lopend", "active", "laufend"),
    # summons
    "in_person": ("en personne", "ter plaatse", "in person", "persönlich"),
    "phone": ("par téléphone", "telefonisch", "by phone", "telefonisch"),
    "video": ("par vidéo", "via video", "by video", "per Video"),
    # services
    "justice_house": (
        "la maison de justice",
        "het justitiehuis",
        "the justice house",
        "das Justizhaus",
    ),
    "sapv": (
        "le service d'assistance policière aux victimes",
        "de politionele slachtofferbejegening",
        "the police victim-assistance service",
        "der polizeiliche Opferbeistand",
    ),
}
_INDEX = {"fr": 0, "nl": 1, "en": 2, "de": 3}


def lookup(key: object, lang: str) -> str:
    """The word for key in lang; an unknown key comes back as readable text, never an error."""
    text = str(key)
    words = _WORDS.get(text)
    if words is None:
        return text.replace("_", " ")
    return words[_INDEX.get(lang, 2)]
