"""Masking of e-mail addresses, Dutch phone numbers and names of people in quotes."""

from __future__ import annotations

import pytest

from pgtext.text.masking import PLACEHOLDERS, find_personal_data, mask_text

NAME, EMAIL, PHONE = PLACEHOLDERS["name"], PLACEHOLDERS["email"], PLACEHOLDERS["phone"]


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 12345678",
        "06 1234 5678",
        "06-1234 5678",
        "0612345678",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)6-12345678",
        "0031 6 12345678",
        "053 123 4567",
        "053-1234567",
        "(053) 123 45 67",
        "0546-123456",
        "020 123 4567",
        "+31 53 123 4567",
        "0031 53 1234567",
    ],
)
def test_dutch_phone_numbers_are_masked_whole(number):
    assert mask_text(f"Bel me op {number}, dank!") == f"Bel me op {PHONE}, dank!"


@pytest.mark.parametrize(
    "address",
    ["t.kuipers@welzijnhof.nl", "s.hofstede@zorgtwentelanden.nl", "Jan.de-Vries+pg@mail.gemeente-x.nl", "info@ggdtwente.nl"],
)
def test_email_addresses_are_masked_whole(address):
    assert mask_text(f"Mail naar {address}.") == f"Mail naar {EMAIL}."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail naar Sanne Hofstede, zij weet het", f"mail naar {NAME}, zij weet het"),
        ("bel gerust mijn collega Ingrid Kamphuis, zij weet er alles van.", f"bel gerust mijn collega {NAME}, zij weet er alles van."),
        ("Jan de Vries en Anna van der Berg werken hier.", f"{NAME} en {NAME} werken hier."),
        ("Peter van 't Hof is de trekker", f"{NAME} is de trekker"),
        ("Vraag het dhr. P. de Groot of mevrouw Jansen.", f"Vraag het dhr. {NAME} of mevrouw {NAME}."),
        ("Volgens mw. Kamphuis-Smit loopt het goed.", f"Volgens mw. {NAME} loopt het goed."),
        ("Stuur het naar J.H. van der Veen.", f"Stuur het naar {NAME}."),
        ("Bel Kees even.", f"Bel {NAME} even."),
        ("Neem contact op met Thirza Oosterveld.", f"Neem contact op met {NAME}."),
    ],
)
def test_names_of_people_are_masked(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Twentse Koers moet met Menzis, GGD Twente en de gemeenten Enschede en Hengelo om tafel.",
        "Mail naar Twentse Koers of neem contact op met Kennispunt Twente.",
        "We doen mee aan Gezonde Buurten in Nijverdal en Hof van Twente.",
        "Zorgen voor een gedeelde visie en koers; Netwerk en kennisdeling organiseren.",
        "Aanjagen, verbinden en lobbyen op systeemniveau. Aansluiten bij wat lokaal al gebeurt.",
        "Meerjarenplan 2025–2030 en 2022-2026, € 40.000 per jaar, ca. 300 bezoekers, 40%.",
        "Jongeren tussen 12 en 23, 16 tot 25 jaar, 1x per jaar, 4 uur per week.",
        "Klantnummer 1234567890123 en postcode 7511 AB.",
        "Plan B. Daarna verder met de uitvoering.",
        "Bel de huisarts of mail de gemeente.",
        "",
    ],
)
def test_ordinary_words_places_numbers_stay(text):
    assert mask_text(text) == text
    assert find_personal_data(text) == []


def test_the_four_sample_answers_with_personal_data():
    answers = {
        "Lobby richting de provincie voor vervolgfinanciering is het belangrijkst. Ik denk graag mee, "
        "mail naar Sanne Hofstede, s.hofstede@zorgtwentelanden.nl":
        "Lobby richting de provincie voor vervolgfinanciering is het belangrijkst. Ik denk graag mee, "
        f"mail naar {NAME}, {EMAIL}",
        "Wij willen graag meedenken over het toekomstplan. Neem contact op via t.kuipers@welzijnhof.nl":
        f"Wij willen graag meedenken over het toekomstplan. Neem contact op via {EMAIL}",
        "Wij zouden graag ondersteuning krijgen bij het opzetten van Gezonde Buurten in onze kern.\n"
        "Bel me gerust voor een afspraak: 053 123 4567":
        "Wij zouden graag ondersteuning krijgen bij het opzetten van Gezonde Buurten in onze kern.\n"
        f"Bel me gerust voor een afspraak: {PHONE}",
        "Sinds dit jaar hebben we een aandachtsfunctionaris PG. Als TK contact wil: bel gerust mijn "
        "collega Ingrid Kamphuis, zij weet er alles van.":
        "Sinds dit jaar hebben we een aandachtsfunctionaris PG. Als TK contact wil: bel gerust mijn "
        f"collega {NAME}, zij weet er alles van.",
    }
    for text, expected in answers.items():
        assert mask_text(text) == expected


def test_spans_are_sorted_typed_and_do_not_overlap():
    text = "Mail Sanne Hofstede (s.hofstede@x.nl) of bel 06-12345678."
    spans = find_personal_data(text)
    assert [s.kind for s in spans] == ["name", "email", "phone"]
    assert [text[s.start : s.end] for s in spans] == ["Sanne Hofstede", "s.hofstede@x.nl", "06-12345678"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
