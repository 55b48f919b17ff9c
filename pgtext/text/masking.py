"""Masking personal data in quoted answers: e-mail addresses, Dutch phone numbers, names of people.

Quotes leave pgtext in reports and discovery sheets, so whatever identifies a person is
replaced by a placeholder ("[e-mail]", "[telefoon]", "[naam]"). Names are found without a
language model: a shipped list of Dutch first names followed by a surname, initials
followed by a surname, a title (mevrouw, dhr., ...) followed by a name, or a contact cue
("bel", "mail", "contact met", ...) followed by a name. Place and organisation names from
``data/not_names.txt`` and ordinary words are never taken for a surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PLACEHOLDERS = {"email": "[e-mail]", "phone": "[telefoon]", "name": "[naam]"}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# A Dutch number is 0 + 9 digits, or +31 / 0031 (optionally "(0)") + 9 digits; spaces,
# hyphens, dots and brackets may split the digits. Longer digit runs are not phone numbers.
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)31[\s.\-]*(?:\(0\)[\s.\-]*)?|\(?0)"
    r"\d(?:[\s.\-)]{0,2}\d){8}"
    r"(?![\s.\-]?\d)"
)
_UPPER = "A-ZÀ-ÖØ-Ý"
_LOWER = "a-zß-öø-ÿ'’"
_CAP = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_TUSSENVOEGSELS = (
    "van der", "van den", "van de", "van het", "van 't", "in 't", "in het", "in de", "op de",
    "op den", "op 't", "uit de", "uit den", "van", "de", "den", "der", "ter", "ten", "te", "'t",
    "d'", "la", "le", "du", "da", "di", "von", "vd",
)
_TUSSEN = "(?:(?i:" + "|".join(re.escape(t) for t in sorted(_TUSSENVOEGSELS, key=len, reverse=True)) + r")\s+)?"
_TITLE = r"(?i:mevrouw|meneer|mevr\.|mevr|mw\.|mw|dhr\.|dhr|mr\.|dr\.|drs\.|ir\.|prof\.)"
_INITIALS = rf"(?:[{_UPPER}]\.\s?){{1,4}}"
_CUE = (
    r"(?i:bel|bellen|belt|mail|mailen|mailt|app|appen|contact met|contact op met|contactpersoon|"
    r"collega|vraag naar|vraag het|via)"
)
_FILLER = r"(?:(?i:gerust|even|dan|mijn|onze|ons|naar|met|op|het|aan)\s+){0,3}"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "email", "phone" or "name"


@lru_cache(maxsize=None)
def load_word_list(name: str) -> tuple[str, ...]:
    """A shipped word list from ``pgtext/data`` (one entry per line, '#' comments)."""
    text = resources.files("pgtext").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern]:
    first = "(?:" + "|".join(re.escape(n) for n in sorted(load_word_list("dutch_first_names.txt"), key=len, reverse=True)) + ")"
    surname = rf"(?P<surname>{_TUSSEN}{_CAP})"
    return {
        "full": re.compile(rf"\b(?P<first>{first})\s+{surname}(?![\w@])"),
        "initials": re.compile(rf"(?<![\w.]){_INITIALS}\s*{surname}(?![\w@])"),
        "title": re.compile(rf"(?<!\w){_TITLE}\s+(?P<name>(?:{first}\s+|{_INITIALS}\s*)?{surname})(?![\w@])"),
        "cue_first": re.compile(rf"\b{_CUE}\s+{_FILLER}(?P<name>{first})(?![\w@])"),
        "cue_two": re.compile(rf"\b{_CUE}\s+{_FILLER}(?P<name>(?P<given>{_CAP})\s+{surname})(?![\w@])"),
    }


@lru_cache(maxsize=None)
def _never_names() -> frozenset[str]:
    words = load_word_list("not_names.txt") + load_word_list("dutch_stopwords.txt")
    return frozenset(w.casefold() for w in words)


def _plausible_surname(surname: str) -> bool:
    """The last capitalised word of a candidate name is no place, organisation or function word."""
    core = re.split(r"\s+", surname.strip())[-1]
    return all(part.casefold() not in _never_names() for part in core.split("-"))


def find_personal_data(text: str) -> list[Span]:
    """Spans of e-mail addresses, phone numbers and names of people, sorted and not overlapping."""
    spans: list[Span] = [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), "phone") for m in _PHONE.finditer(text)]
    patterns = _patterns()
    for m in patterns["full"].finditer(text):
        if _plausible_surname(m.group("surname")):
            spans.append(Span(m.start(), m.end(), "name"))
    for m in patterns["initials"].finditer(text):
        if _plausible_surname(m.group("surname")):
            spans.append(Span(m.start(), m.end(), "name"))
    for m in patterns["title"].finditer(text):
        if _plausible_surname(m.group("surname")):
            spans.append(Span(m.start("name"), m.end("name"), "name"))
    for m in patterns["cue_first"].finditer(text):
        spans.append(Span(m.start("name"), m.end("name"), "name"))
    for m in patterns["cue_two"].finditer(text):
        if _plausible_surname(m.group("given")) and _plausible_surname(m.group("surname")):
            spans.append(Span(m.start("name"), m.end("name"), "name"))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    # Longest first at each start, so "Sanne Hofstede" wins over "Sanne"; e-mail beats name.
    priority = {"email": 0, "phone": 1, "name": 2}
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), priority[s.kind])):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Span(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return merged


def mask_text(text: str) -> str:
    """The text with personal data replaced by placeholders; everything else unchanged."""
    text = str(text)
    for span in reversed(find_personal_data(text)):
        text = text[: span.start] + PLACEHOLDERS[span.kind] + text[span.end :]
    return text
