"""The words of every published output, in Dutch and English, and numbers in each language's style.

Published outputs (reports, charts, Word documents, review-sheet instructions, discovery
output, SPSS labels) speak the codebook's language: ``Codebook.language`` (``nl`` unless
the codebook says otherwise), overridden by ``--lang``. Command-line messages stay English.
All strings live here, keyed by a short name; ``t(lang, key, **values)`` fills them in.
"""

from __future__ import annotations

import math

from pgtext.errors import InputError

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        # SPSS output
        "sav.no": "nee",
        "sav.yes": "ja",
        "sav.theme": "{name}",
        "sav.score": "Score {name} (0-1)",
        "sav.predicted": "Thema's (codes, gescheiden door ;)",
        "sav.confidence": "Zekerheid over de themaset (0-1)",
        "sav.needs_review": "Nakijken",
        "sav.row": "Rij van de respondent in het invoerbestand (kop = rij 1)",
        "sav.question": "Vraag",
        "sav.text": "Antwoord",
    },
    "en": {
        "sav.no": "no",
        "sav.yes": "yes",
        "sav.theme": "{name}",
        "sav.score": "Score {name} (0-1)",
        "sav.predicted": "Themes (slugs joined by ;)",
        "sav.confidence": "Confidence in the theme set (0-1)",
        "sav.needs_review": "Needs review",
        "sav.row": "Respondent's row in the input file (header = row 1)",
        "sav.question": "Question",
        "sav.text": "Answer",
    },
}


def check_language(code: str | None, where: str = "--lang") -> str:
    """The language code, lower-cased; an unknown one is refused with the choices."""
    if code is None or not str(code).strip():
        return DEFAULT_LANGUAGE
    code = str(code).strip().lower()
    if code not in LANGUAGES:
        raise InputError(f"{where}: language {code!r} is not supported; use one of {', '.join(LANGUAGES)}.")
    return code


def t(lang: str, key: str, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in."""
    return STRINGS[lang][key].format(**values)


def number(value: float, lang: str, decimals: int = 0) -> str:
    """A number in the language's style: Dutch 1.234,5 and English 1,234.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float, lang: str, decimals: int = 0) -> str:
    """A share (0-1) as a percentage: Dutch 12,5%, English 12.5%."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    return number(share * 100, lang, decimals) + "%"
