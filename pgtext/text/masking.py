"""Masking personal data in published text: quotes, example answers, distinctive words, slugs.

Quotes leave pgtext in reports and discovery sheets, so whatever identifies a person is replaced by
a placeholder. Categories, each with what counts:

- e-mail address: ``name@domain.tld``;
- phone number: Dutch mobile and landline (``06 - 12345678``, ``06-12 34 56 78``, ``053 123 4567``,
  ``+31 6 ...``, ``0031 ...``), Belgian (``+32 ...``, ``0470 12 34 56``, ``02 123 45 67``) and any
  other number written with ``+`` and a country code;
- BSN: nine digits (also ``123.456.782``, ``1234.56.782``) that pass the 11-check (elfproef); any
  8 or 9 digits right after "BSN"/"burgerservicenummer"/"sofinummer";
- IBAN: country code, check digits and account (compact or in groups of four) whose mod-97 checksum
  holds;
- address: street + house number (a word ending in -straat, -weg, -laan, -plein, -singel, -dijk, -kade,
  -gracht, -pad, -hof, ... followed by a number) and postcode + house number (``7511 AB 12``), with a
  postcode next to them; a postcode alone (``7511 AB``) stays: it names a street, not a home;
- date of birth: any date or year after a cue (geboren, geb., geboortedatum, jarig, ...), and any full
  date (day, month and year: ``12-03-1980``, ``3/4/85``, ``12 maart 1980``) at least ``BIRTH_DATE_YEARS``
  years old; recent full dates (meetings, deadlines) and dates without a year stay;
- name of a person: see ``pgtext.text.masking_names`` (word lists, titles, contact cues, capitalisation).

Numbers are checked with their checksum where one exists, so an ordinary nine-digit number stays.
A text can still hold a capitalised word the name finder is unsure of: ``is_publishable`` says no
to it, and the quote pickers take another answer instead.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

PLACEHOLDERS = {
    "email": "[e-mail]", "phone": "[telefoon]", "bsn": "[bsn]", "iban": "[iban]",
    "address": "[adres]", "date": "[datum]", "name": "[naam]",
}
#: A full date at least this many years old counts as a date of birth, cue or not.
BIRTH_DATE_YEARS = 5
_PRIORITY = {kind: rank for rank, kind in enumerate(PLACEHOLDERS)}

# Every pattern starts only where a word starts (a look-behind), so a 20,000-character "word" costs
# linear time, not quadratic.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_SEP = r"[\s.\-/)]{0,3}"
_END = r"(?![\s.\-]?\d)"
_PHONES = [
    # Dutch: 0 + 9 digits, or +31 / 0031 (optionally "(0)") + 9 digits; spaces, dashes, dots split the digits.
    re.compile(rf"(?<![\w+])(?:(?:\+|00)31[\s.\-]*(?:\(0\)[\s.\-]*)?|\(?0)\d(?:{_SEP}\d){{8}}{_END}"),
    # Belgian: +32 / 0032 + 8 or 9 digits; national landlines 0X XXX XX XX / 0XX XX XX XX.
    re.compile(rf"(?<![\w+])(?:\+|00)32[\s.\-]*(?:\(0\)[\s.\-]*)?\d(?:{_SEP}\d){{7,8}}{_END}"),
    re.compile(rf"(?<![\w+\-./])(?<!\d\s)0\d{{1,2}}[\s./-]\d{{2,3}}(?:[\s.\-]\d{{2}}){{2}}{_END}"),
    # Any other number written with + and a country code.
    re.compile(rf"(?<![\w+])\+(?!3[12])\d{{2,3}}[\s.\-]*(?:\(0\)[\s.\-]*)?\d(?:[\s.\-]{{0,2}}\d){{6,11}}{_END}"),
]
_BSN = re.compile(
    r"(?<![\w.,€+\-/])(?:\d{9}|\d{3}[. ]\d{3}[. ]\d{3}|\d{4}[. ]\d{2}[. ]\d{3}|\d{2}[. ]\d{2}[. ]\d{2}[. ]\d{3})"
    r"(?![\w]|[.,\-/]\d)"
)
_BSN_CUE = re.compile(
    r"(?i:\b(?:bsn|burgerservicenummer|sofi-?nummer|bsn-nummer)\b)[\s:.\-]*(?:is\s+|nummer\s+)?(?P<number>\d(?:[ .]?\d){7,8})(?!\d)"
)
_CURRENCY = re.compile(r"(?i:€|eur|euro)\s*$")
_IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![\w])")
_IBAN_LENGTH = {"NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "LU": 20, "TR": 26, "AT": 20, "CH": 21, "PL": 28}
_POSTCODE = r"[1-9]\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2}(?![\w])"
_HOUSE = r"\d{1,4}(?!\d)(?:[ ]?[a-zA-Z](?![\w])|[ ]?-[ ]?(?:hs|bis|\d{1,3})|[ ](?:hs|bis|I{1,3})(?![\w]))?"
_UNITS = (
    r"(?!\s*(?:%|km\b|kilometer|m\b|meter|min\b|minuten|uur|jaar|keer|x\b|euro|procent|personen|mensen|"
    r"deelnemers|kinderen|jongeren|dagen|weken|maanden|leden|bewoners|inwoners))"
)
_STREET_SUFFIX = (
    "straat|straatje|weg|laan|plein|pleintje|singel|dijk|kade|gracht|pad|hof|steeg|dreef|markt|park|plantsoen|"
    "erf|baan|wal|boulevard|allee|haven|brink|esch|horst|kamp|veld|zoom|akker|weide|oord|hoek"
)
_ADDRESS = re.compile(
    rf"(?<![\w'’.-])(?:[A-Z][\w'’.-]*\s+(?:(?:van|de|der|den|het|'t|ter|ten)\s+)*){{0,3}}"
    rf"(?<![\w'’-])[A-Za-z][\w'’-]*?(?:{_STREET_SUFFIX})\s+(?!(?:19|20)\d\d\b){_HOUSE}{_UNITS}"
    rf"(?:,?\s+{_POSTCODE})?"
    rf"|(?<![\w])(?:{_POSTCODE}),?\s+(?:(?i:huisnummer|huisnr\.?|nr\.?)\s*)?{_HOUSE}{_UNITS}"
    rf"|(?<![\w])(?i:huisnummer)\s+\d{{1,4}}[a-zA-Z]?(?!\d)"
)
_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"(?:jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)(?:\.|(?![\w]))"
)
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/\-]|\.\d)")
_ISO_DATE = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d/.\-])")
_TEXT_DATE = re.compile(rf"(?<![\w])(\d{{1,2}})\s+({_MONTHS})(?:\s+(\d{{4}}|'\d{{2}}))?(?![\w])", re.IGNORECASE)
_BIRTH_CUE = re.compile(
    r"(?i:\b(?:geboren|geb\.|geboortedatum|geb\.?\s?datum|geboortejaar|verjaardag|jarig))"
    r"[\s:,]*(?:(?i:op|in|is|was|de|den|:)\s+){0,2}"
)
_YEAR = re.compile(r"(?:19|20)\d{2}(?!\d)|'\d{2}(?!\d)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a key of PLACEHOLDERS


@lru_cache(maxsize=None)
def bsn_valid(digits: str) -> bool:
    """The 11-check (elfproef) of a Dutch citizen service number: nine digits, not all zero."""
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check, with the length of the country where pgtext knows it."""
    iban = re.sub(r"\s+", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    if iban[:2] in _IBAN_LENGTH and len(iban) != _IBAN_LENGTH[iban[:2]]:
        return False
    number = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(number) % 97 == 1


def _ibans(text: str) -> list[Span]:
    spans = []
    position = 0
    while (m := _IBAN.search(text, position)) is not None:
        # The pattern runs on into following words; take the longest prefix that ends a word and checks out.
        candidate = m.group()
        ends = [e.end() for e in re.finditer(r"[A-Za-z0-9]+", candidate)]
        valid = next((end for end in reversed(ends) if iban_valid(candidate[:end])), None)
        if valid is None:
            position = m.start() + 1
        else:
            spans.append(Span(m.start(), m.start() + valid, "iban"))
            position = m.start() + valid
    return spans


def _bsns(text: str) -> list[Span]:
    spans = []
    for m in _BSN.finditer(text):
        if bsn_valid(re.sub(r"\D", "", m.group())) and not _CURRENCY.search(text[max(0, m.start() - 5) : m.start()]):
            if not re.match(r"\s*(?i:euro)\b", text[m.end() :]):
                spans.append(Span(m.start(), m.end(), "bsn"))
    spans += [Span(m.start("number"), m.end("number"), "bsn") for m in _BSN_CUE.finditer(text)]
    return spans


def _full_year(year: str) -> int:
    year = year.lstrip("'")
    if len(year) == 4:
        return int(year)
    this = datetime.date.today().year
    value = 2000 + int(year)
    return value if value <= this else value - 100


def _dates(text: str) -> list[Span]:
    """Dates of birth: any date or year after a birth cue; full dates old enough to be one."""
    oldest_event = datetime.date.today().year - BIRTH_DATE_YEARS
    spans = []
    found: list[tuple[int, int, int | None]] = []  # start, end, year (None: no year)
    for m in _NUMERIC_DATE.finditer(text):
        if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(3)) <= 12:
            found.append((m.start(), m.end(), _full_year(m.group(4))))
    for m in _ISO_DATE.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            found.append((m.start(), m.end(), int(m.group(1))))
    for m in _TEXT_DATE.finditer(text):
        if 1 <= int(m.group(1)) <= 31:
            found.append((m.start(), m.end(), _full_year(m.group(3)) if m.group(3) else None))
    cues = [m.end() for m in _BIRTH_CUE.finditer(text)]
    for start, end, year in found:
        after_cue = any(0 <= start - c <= 3 for c in cues)
        if after_cue or (year is not None and 1900 <= year <= oldest_event):
            spans.append(Span(start, end, "date"))
    for c in cues:
        m = _YEAR.match(text, c)
        if m:
            spans.append(Span(m.start(), m.end(), "date"))
    return spans


def find_personal_data(text: str) -> list[Span]:
    """Spans of personal data (see the module docstring), sorted and not overlapping."""
    from pgtext.text.masking_names import find_names

    text = str(text)
    spans: list[Span] = [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    spans += _ibans(text) + _bsns(text)
    spans += [Span(m.start(), m.end(), "phone") for pattern in _PHONES for m in pattern.finditer(text)]
    spans += [Span(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    spans += _dates(text)
    spans += [Span(start, end, "name") for start, end in find_names(text)[0]]
    return _merge(spans)


def unsure_names(text: str) -> list[Span]:
    """Capitalised words that may be a name but are not masked (kind "name?"), outside masked spans."""
    from pgtext.text.masking_names import find_names

    text = str(text)
    masked = find_personal_data(text)
    return [
        Span(start, end, "name?")
        for start, end in find_names(text)[1]
        if not any(s.start < end and start < s.end for s in masked)
    ]


def is_publishable(text: str) -> bool:
    """False when the text, once masked, may still name a person: better to quote another answer."""
    return not unsure_names(text)


def _merge(spans: list[Span]) -> list[Span]:
    # Longest first at each start, so "Sanne Hofstede" wins over "Sanne"; e-mail beats name.
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), _PRIORITY[s.kind])):
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
    pieces, position = [], 0
    for span in find_personal_data(text):
        pieces += [text[position : span.start], PLACEHOLDERS[span.kind]]
        position = span.end
    return "".join(pieces) + text[position:]


def without_placeholders(text: str) -> str:
    """Masked text with the placeholders taken out: for counting words ("naam" is not a word typed)."""
    for placeholder in PLACEHOLDERS.values():
        text = text.replace(placeholder, " ")
    return text


def is_personal_word(term: str) -> bool:
    """A word or phrase derived from answers (a distinctive word, a slug part) that may identify someone.

    Any word that is a listed first name or surname (ambiguous ones like "bakker" excepted), a
    mail or web domain, or holds digits or '@'.
    """
    from pgtext.text.masking_names import personal_word

    return any(personal_word(word) for word in re.split(r"[\s_]+", str(term).strip()) if word)
