"""Finding names of people in Dutch answers, without a language model: word lists and a few rules.

Used by ``pgtext.text.masking`` (the one public home of masking). Evidence for a name, per run of
connected words ("Anna van der Berg", "J.H. Jansen-de Vries", "Mohamed El Amrani"):

- a title or contact cue before capitalised words: "mevrouw Oosterveld", "bel gerust Thirza";
- initials before a capitalised word: "J. Kamphuis";
- a listed first name (``data/dutch_first_names.txt``: Dutch, Turkish, Moroccan), alone or before
  more capitalised words; in lower case only when a surname follows ("sanne de vries");
- a listed surname (``data/surnames.txt``) alone, or after a tussenvoegsel ("de Jong");
- two or more capitalised words mid-sentence that no list explains, the last with a surname ending
  (-ink, -huis, -stra, -sen, ...).

Words that are also ordinary words (``data/ambiguous_names.txt``: Roos, Ben, Bakker, Visser) count only
next to other evidence; places, organisations and function words (``data/not_names.txt``,
``data/dutch_stopwords.txt``) never do, nor do all-caps or mixed-case words (GGD, RvB, SamenTwente).
Capitalised words mid-sentence that no list explains and that do not stand next to a listed place or
organisation ("Stichting Present", "Hof van Twente") are *unsure*: not masked, but
``masking.is_publishable`` says no to a text holding one, so it is not quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"['’]t\b|[^\W\d_]+(?:['’][^\W\d_]+)*")
_TUSSEN = frozenset(
    "van de der den het 't ’t ter ten te in op uit la le du da di von vd d' el al ait bou abou ibn".split()
)
#: Particles that mark a name rather than an article or preposition ("van Heerde", not "de Rabobank").
_NAME_PARTICLES = frozenset("van ter ten von vd d' el al ait bou abou ibn".split())
#: Particles that start a name capitalised as often as not ("Mohamed El Amrani").
_CAP_PARTICLES = frozenset("el al ait bou abou ibn".split())
_TITLES = frozenset(
    "mevrouw meneer mevr mw mvr dhr hr mr dr drs ir ing prof heer juf juffrouw meester zuster dokter "
    "wethouder burgemeester".split()
)
_CUES = frozenset(
    "bel bellen belt mail mailen mailt app appen appt contact contactpersoon collega collega's buurvrouw "
    "buurman vraag via namens heet genaamd naam".split()
)
#: Greetings and sign-offs: a name may follow after a comma or on the next line ("Groeten, Thirza").
_GREETINGS = frozenset("beste hallo hoi dag groeten groet groetjes mvg gr dank bedankt liefs".split())
_OPENERS = _TITLES | _CUES | _GREETINGS
_FILLERS = frozenset("gerust even dan mijn onze ons naar met op het aan bij is".split())
_SURNAME_ENDINGS = (
    "ink", "huis", "huizen", "stra", "sma", "inga", "enga", "oglu", "oğlu", "ssen", "sen", "kamp", "horst",
    "veld", "hof", "beek", "stede", "kate", "man", "mans", "ing", "ers", "aoui", "ouchi", "ani", "ari",
)
#: Endings of Dutch adjectives and abstract or institutional nouns: a capitalised word with one is no name.
_WORD_ENDINGS = (
    "heid", "heden", "schap", "teit", "isme", "akkoord", "programma", "lijk", "lijke", "isch", "ische", "aal",
    "ale", "ieve", "ief", "tie", "ties", "sie", "werk", "zorg", "raad", "fonds", "museum", "centrum", "school",
    "festival", "beleid", "plan", "dienst", "diensten", "wet", "punt", "team", "groep", "aanse", "aamse", "landse",
)
_SENTENCE_END = re.compile(r"[.!?:;…\n•*|][\s\"'“”‘’(\[\-–—]*$")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    fold: str
    cap: bool  # capitalised, not an all-caps acronym
    initial: bool  # a single capital followed by a dot ("J.")
    sentence_start: bool


@lru_cache(maxsize=None)
def _lists() -> dict[str, frozenset[str]]:
    from pgtext.text.wordlists import load_word_list

    def fold(name: str) -> frozenset[str]:
        return frozenset(w.casefold() for w in load_word_list(name))

    ambiguous = fold("ambiguous_names.txt")
    return {
        "first": fold("dutch_first_names.txt"),
        "surname": frozenset(s.split()[-1] for s in fold("surnames.txt")),
        "ambiguous": ambiguous,
        "never": (fold("not_names.txt") | fold("dutch_stopwords.txt")) - _TUSSEN,
        "places": fold("not_names.txt"),
    }


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    previous_end = 0
    previous: str | None = None
    for m in _TOKEN.finditer(text):
        word = m.group()
        gap = text[previous_end : m.start()]
        after = text[m.end() : m.end() + 1]
        initial = len(word) == 1 and word.isupper() and after == "."
        abbreviation_before = previous is not None and (previous.casefold() in _TITLES or len(previous) == 1)
        start = previous is None or (bool(_SENTENCE_END.search(gap[-40:])) and not (gap.startswith(".") and abbreviation_before))
        if previous is None and re.search(r"\w", gap):
            start = False
        # All-caps (GGD) and mixed-case (RvB, SamenTwente, ZonMw) words are acronyms and brands, not names.
        cap = word[:1].isupper() and word[1:] == word[1:].lower()
        out.append(_Token(m.start(), m.end(), word, word.casefold(), cap or initial, initial, start))
        previous_end, previous = m.end(), word
    return out


def _connected(text: str, a: _Token, b: _Token) -> bool:
    """Two words of one name: a space or two, a hyphen ("Jansen-de Vries"), or the dot of an initial."""
    gap = text[a.end : b.start]
    if a.initial:
        return re.fullmatch(r"\.[ \t]?", gap) is not None
    if a.fold in {"mevr", "mw", "dhr", "dr", "drs", "mr", "ir", "prof", "hr", "mvr", "ing"}:
        return re.fullmatch(r"\.?[ \t]{1,2}", gap) is not None
    return re.fullmatch(r"[ \t]{1,2}|-", gap) is not None


def _role(token: _Token) -> str:
    """first / afirst (ambiguous first name) / sur / asur / cap / tussen / lfirst / lsur / word."""
    lists = _lists()
    fold = token.fold.strip("'’")
    if token.initial:
        return "initial"
    if token.fold in _TUSSEN and (not token.cap or token.fold in _CAP_PARTICLES or token.fold in {"van", "de", "ter", "ten", "te", "den", "der"}):
        return "tussen"
    if fold in lists["never"] or token.fold in lists["never"]:
        return "word"
    if token.cap and fold not in lists["first"] and fold not in lists["surname"] and fold.endswith(_WORD_ENDINGS):
        return "word"  # "Nationaal", "Kansengelijkheid", "Rijksmuseum": capitalised, but no name
    if token.cap:
        if fold in lists["first"]:
            return "afirst" if fold in lists["ambiguous"] else "first"
        if fold in lists["surname"]:
            return "asur" if fold in lists["ambiguous"] else "sur"
        return "cap"
    if fold in lists["first"] and fold not in lists["ambiguous"]:
        return "lfirst"
    if fold in lists["surname"] or (len(fold) > 4 and fold.endswith(_SURNAME_ENDINGS[:10])):
        return "lsur"
    return "word"


_NAMEISH = {"first", "afirst", "sur", "asur", "cap"}


def _surname_like(word: str) -> bool:
    return len(word) > 4 and word.casefold().endswith(_SURNAME_ENDINGS)


def find_names(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(sure, unsure) character spans of names of people in ``text``."""
    tokens = _tokens(text)
    roles = [_role(t) for t in tokens]
    sure: list[tuple[int, int]] = []
    unsure: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        role = roles[i]
        if role in ("word", "lsur") and tokens[i].fold not in _OPENERS:
            i += 1
            continue
        if tokens[i].fold in _OPENERS:
            j = _after_cue(text, tokens, roles, i)
            if j is not None:
                end = _chain_end(text, tokens, roles, j, upper=roles[j] != "lfirst")
                if end is not None:
                    sure.append((tokens[j].start, tokens[end].end))
                    i = end + 1
                    continue
            i += 1
            continue
        upper = role != "lfirst"
        end = _chain_end(text, tokens, roles, i, upper=upper)
        if end is None:
            i += 1
            continue
        chain = list(range(i, end + 1))
        verdict, first = _judge(tokens, roles, chain)
        if verdict == "sure":
            sure.append((tokens[first].start, tokens[end].end))
        elif verdict == "unsure" and not _part_of_a_place_name(text, tokens, roles, i, end):
            unsure.append((tokens[first].start, tokens[end].end))
        i = end + 1
    return sure, unsure


def _part_of_a_place_name(text: str, tokens: list[_Token], roles: list[str], i: int, end: int) -> bool:
    """Unknown capitalised words next to a listed place or organisation: "Samen Beslissen",
    "Stichting Present", "Hof van Twente", "Huis van de Wijk"."""
    places = _lists()["places"]
    if i > 0 and _connected(text, tokens[i - 1], tokens[i]):
        if tokens[i - 1].text[:1].isupper() and tokens[i - 1].fold in places:
            return True
    j = end + 1
    while j < len(tokens) and roles[j] == "tussen" and _connected(text, tokens[j - 1], tokens[j]):
        j += 1
    if j < len(tokens) and _connected(text, tokens[j - 1], tokens[j]) and tokens[j].text[:1].isupper():
        return tokens[j].fold in places or (j > end + 1 and roles[j] == "asur")
    return False


def _after_cue(text: str, tokens: list[_Token], roles: list[str], i: int) -> int | None:
    """The first word of a name right after a title or cue and at most three filler words.

    Title and cue are words, not acronyms ("HR / P&O" holds no name), and the name follows in the
    same sentence ("... zo heet. Sluit daarbij aan" neither).
    """
    if len(tokens[i].text) > 1 and tokens[i].text.isupper():
        return None
    j = i + 1
    skipped = 0
    if tokens[i].fold in _GREETINGS and j < len(tokens):
        gap = text[tokens[i].end : tokens[j].start]
        return j if re.fullmatch(r"[.,!:]?\s{1,4}", gap) and tokens[j].cap and _role(tokens[j]) in _NAMEISH else None
    while j < len(tokens) and skipped <= 3:
        if tokens[j].sentence_start or not _connected(text, tokens[j - 1], tokens[j]):
            return None
        if roles[j] in _NAMEISH or roles[j] in ("initial", "lfirst") or (roles[j] == "tussen" and tokens[j].cap):
            if roles[j] == "lfirst" or tokens[j].cap or roles[j] == "initial":
                return j
        if tokens[j].fold not in _FILLERS and not (tokens[j].fold in _TITLES):
            return None
        j += 1
        skipped += 1
    return None


def _chain_end(text: str, tokens: list[_Token], roles: list[str], i: int, upper: bool) -> int | None:
    """Index of the last word of the run of name words starting at ``i`` (trailing particles dropped)."""
    allowed = _NAMEISH | {"initial", "tussen"} if upper else {"lfirst", "tussen", "lsur", "first", "sur", "asur", "cap", "afirst"}
    if roles[i] not in allowed and roles[i] != "lfirst":
        return None
    j = i
    while j + 1 < len(tokens) and roles[j + 1] in allowed and _connected(text, tokens[j], tokens[j + 1]):
        if tokens[j + 1].sentence_start and not tokens[j].initial:
            break
        j += 1
    while j >= i and roles[j] == "tussen":
        j -= 1
    return j if j >= i else None


def _judge(tokens: list[_Token], roles: list[str], chain: list[int]) -> tuple[str, int]:
    """('sure' | 'unsure' | 'no', index of the first word of the name)."""
    first = chain[0]
    kinds = [roles[k] for k in chain]
    if kinds[0] == "lfirst":
        rest = [k for k in kinds[1:] if k != "tussen"]
        ok = rest and all(k in ("lsur", "sur", "asur", "cap", "first", "lfirst") for k in rest)
        return ("sure" if ok and len(chain) > 1 else "no"), first
    # An unknown capitalised word at the start of a sentence is an ordinary word: look at the rest.
    if tokens[first].sentence_start and kinds[0] == "cap" and len(chain) > 1:
        return _judge(tokens, roles, chain[1:])
    if tokens[first].sentence_start and kinds[0] == "tussen" and not any(k in ("sur", "asur", "first") for k in kinds):
        return "no", first
    named = [k for k in kinds if k in _NAMEISH]
    if not named:
        return "no", first
    if "initial" in kinds[:-1] and kinds[-1] in _NAMEISH:
        return "sure", first
    if kinds[0] in ("first", "afirst") and len(named) >= 2:
        return "sure", first
    if "first" in kinds or "sur" in kinds:
        return "sure", first
    if "tussen" in kinds:
        # The particles right before the last word, and what comes before them.
        run = len(kinds) - 1
        while run > 0 and kinds[run - 1] == "tussen":
            run -= 1
        before = [k for k in kinds[:run] if k != "tussen"]
        if run < len(kinds) - 1 and (kinds[-1] == "sur" or (kinds[-1] == "asur" and "cap" not in before)):
            return "sure", first  # "de Jong", "Gerrit van Dijk"; not "het Huis van de Wijk"
        particles = {tokens[k].fold for k in chain if roles[k] == "tussen"}
        if len(named) == 1 and not particles & _NAME_PARTICLES:
            return "no", first  # "de Rabobank", "in Hof": an article or preposition, not a name particle
        return "unsure", first
    if len(named) >= 2:
        if tokens[first].sentence_start and kinds[0] in ("afirst", "asur"):
            return "unsure", first
        return ("sure" if _surname_like(tokens[chain[-1]].text) else "unsure"), first
    if len(named) == 1 and kinds[0] == "cap" and not tokens[first].sentence_start and len(tokens[first].text) >= 3:
        # One capitalised word mid-sentence that no list knows: a programme ("Kansrijke Start") or a
        # name ("met Thirza"); not masked, but such an answer is not quoted.
        return "unsure", first
    return "no", first


_DOMAIN_WORDS = frozenset("gmail hotmail outlook live yahoo icloud ziggo kpnmail kpnplanet home planet xs4all casema".split())


def personal_word(word: str) -> bool:
    """One word that, published on its own, may identify someone: a listed (unambiguous) name,
    a mail provider or a domain-like word (``x.nl``), anything with digits or '@'."""
    fold = word.casefold().strip(".,;:'’\"")
    lists = _lists()
    if not fold or re.search(r"[\d@]", fold) or re.search(r"\.(?:nl|com|be|org|net|eu|info)$", fold):
        return True
    if fold in _DOMAIN_WORDS:
        return True
    if fold in lists["never"] or fold in lists["ambiguous"]:
        return False
    return fold in lists["first"] or fold in lists["surname"]
