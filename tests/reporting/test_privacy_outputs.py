"""No personal data in what pgtext publishes: report quotes (terminal, MD, CSV, XLSX) and discover output.

A labelled file holds answers with every category masking promises (BSN, IBAN, address, date of
birth, phone numbers, e-mail, names of several kinds); none of it may come out, in any format.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import write_csv

from pgtext.cli import cli
from pgtext.model.codebook import Codebook
from pgtext.reporting.discovery import discover, distinctive_words
from pgtext.reporting.discovery_render import (
    discovery_frame,
    discovery_markdown,
    discovery_text,
)
from tests.fakes import FakeEmbedder, card_only_model

THEMES = [
    {"slug": "alpha", "name": "Alfa thema", "description": "Alles over alfa."},
    {"slug": "beta", "name": "Bèta thema", "description": "Alles over bèta."},
]
BOOK = Codebook.from_list(THEMES)
HEADER = ["row", "respondent_id", "question", "text", "predicted_themes", "score_alpha", "score_beta", "confidence", "needs_review"]

# (answer, the personal data in it that must never be published)
PERSONAL = [
    ("Mijn BSN is 123456782, dat mag u gebruiken voor de aanvraag.", ["123456782"]),
    ("Het burgerservicenummer van mijn moeder: 1112.22.333 voor de regeling.", ["1112.22.333", "111222333"]),
    ("Stort de bijdrage op NL91ABNA0417164300 ten name van de vereniging.", ["NL91ABNA0417164300", "0417164300"]),
    ("Ons rekeningnummer is NL91 ABNA 0417 1643 00 voor donaties aan de wandelclub.", ["0417 1643", "NL91 ABNA"]),
    ("De Belgische afdeling heeft BE68 5390 0754 7034 als rekening voor de sportdag.", ["5390 0754", "BE68"]),
    ("Kom langs op postcode 7511 AB 12 in de middag voor de inloop.", ["7511 AB 12"]),
    ("Ik woon aan de Hengelosestraat 112 en zie daar veel eenzaamheid onder ouderen.", ["Hengelosestraat 112", "Hengelosestraat"]),
    ("Mijn vader is geboren op 12-03-1948 en woont nog zelfstandig met hulp.", ["12-03-1948"]),
    ("Aanvrager (geb. 3 maart 1975) wacht al een jaar op een indicatie.", ["3 maart 1975"]),
    ("Bel de coördinator gerust op 06 - 12345678 voor een afspraak over de training.", ["12345678"]),
    ("Onze Vlaamse partner is bereikbaar op +32 470 12 34 56 of 0470 12 34 56 overdag.", ["470 12 34 56"]),
    ("Mail je vragen over de subsidie naar s.hofstede@zorgtwentelanden.nl graag.", ["s.hofstede", "zorgtwentelanden"]),
    ("Sanne Hofstede van de gemeente regelt de bijeenkomsten voor mantelzorgers.", ["Sanne", "Hofstede"]),
    ("Mehmet Yılmaz en Fatima El Amrani organiseren de moskeebezoeken in de wijk.", ["Mehmet", "Yılmaz", "Fatima", "Amrani"]),
    ("Mevrouw Jansen-de Vries van het wijkteam is erg betrokken bij de jongeren.", ["Jansen", "Vries"]),
    ("ik heb het besproken met sanne de vries van de bibliotheek en zij helpt", ["sanne de vries"]),
]
UNSURE = ("Het overleg met Wanrooij Tjoelker over de wijkaanpak was erg nuttig voor ons.", ["Wanrooij", "Tjoelker"])
FORBIDDEN = [fragment for _, fragments in PERSONAL + [UNSURE] for fragment in fragments]


def _write(path: Path, rows: list[list[str]]) -> Path:
    return write_csv(path, HEADER, rows, encoding="utf-8-sig")


@pytest.fixture()
def card_dir(tmp_path) -> Path:
    return card_only_model(tmp_path / "model", THEMES)


@pytest.fixture()
def labelled(tmp_path) -> Path:
    answers = [text for text, _ in PERSONAL] + [UNSURE[0]]
    rows = [[str(i + 2), f"R{i}", "q1", text, "alpha", "0.9", "0.1", "0.9", "false"] for i, text in enumerate(answers)]
    return _write(tmp_path / "wave-2026.csv", rows)


def _assert_clean(text: str, where: str) -> None:
    leaked = [f for f in FORBIDDEN if f in text]
    assert not leaked, f"{where} publishes {leaked}"


def test_report_outputs_hold_no_personal_data(labelled, card_dir, tmp_path):
    base = ["report", str(labelled), "--model", str(card_dir), "--quotes", "20"]
    printed = CliRunner().invoke(cli, base, catch_exceptions=False)
    assert printed.exit_code == 0, printed.output
    _assert_clean(printed.output, "the terminal report")
    assert "[bsn]" in printed.output and "[iban]" in printed.output and "[naam]" in printed.output
    assert "1 antwoord(en) niet geciteerd: na het maskeren kan er nog een naam in staan." in " ".join(printed.output.split())
    for suffix in (".md", ".csv", ".xlsx"):
        out = tmp_path / f"report{suffix}"
        result = CliRunner().invoke(cli, [*base, "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        if suffix == ".xlsx":
            sheets = pd.read_excel(out, sheet_name=None)
            text = "\n".join(sheet.to_csv(index=False) for sheet in sheets.values())
            assert "kan er nog een naam in staan" in text
        else:
            text = out.read_text(encoding="utf-8-sig")
        _assert_clean(text, f"the {suffix} report")
        if suffix == ".md":
            assert text.count("> — *q1*") == len(PERSONAL)  # every masked answer quoted, the unsure one not
            assert "[adres]" in text and "[datum]" in text and "[telefoon]" in text and "[e-mail]" in text


def test_report_without_masking_quotes_as_written(labelled, card_dir):
    result = CliRunner().invoke(cli, ["report", str(labelled), "--model", str(card_dir), "--quotes", "20", "--no-mask"])
    assert result.exit_code == 0 and "123456782" in result.output and "Tjoelker" in result.output


NAMED = [
    "Bel Ingrid Kamphuis over de wandelgroep, mail ingrid.kamphuis@welzijnhof.nl",
    "Ingrid Kamphuis regelt de wandelgroep, zie kamphuis@welzijnhof.nl",
    "De wandelgroep van Ingrid Kamphuis loopt, kamphuis@welzijnhof.nl",
    "Wandelgroep: Ingrid Kamphuis weet alles, kamphuis@welzijnhof.nl",
    "Voor de wandelgroep Ingrid Kamphuis bellen of kamphuis@welzijnhof.nl",
    "Ingrid Kamphuis en de wandelgroep, ingrid.kamphuis@welzijnhof.nl",
]
OTHER = [
    "Structurele financiering en geld voor de lange termijn.",
    "Geld! Structurele financiering, niet weer projectgeld.",
    "Financiering structureel regelen, geld voor de lange termijn.",
    "Zonder structurele financiering en geld stopt alles.",
    "Lange termijn financiering en structureel geld zijn nodig.",
]
NAME_PARTS = ("ingrid", "kamphuis", "welzijnhof")


def test_distinctive_words_are_counted_in_masked_answers():
    labels = np.array([0] * len(NAMED) + [1] * len(OTHER))
    raw = distinctive_words(NAMED + OTHER, labels)
    assert {"ingrid", "kamphuis"} & {w for t in raw[0] for w in t.split()}  # what the words were before
    masked = distinctive_words(NAMED + OTHER, labels, mask=True)
    words = {w for t in masked[0] + masked[1] for w in t.split()}
    assert not words & set(NAME_PARTS) and "naam" not in words and "mail" not in words
    assert "wandelgroep" in masked[0]


def test_discover_words_slugs_examples_hold_no_names(tmp_path, card_dir):
    rows = [[str(i + 2), f"R{i}", "q1", t, "", "0.1", "0.1", "0.5", "true"] for i, t in enumerate(NAMED + OTHER)]
    path = _write(tmp_path / "wave.csv", rows)
    result = discover([path], BOOK, FakeEmbedder(), min_size=3)
    assert result.groups
    for group in result.groups + result.leftovers:
        published = " ".join(group.words) + " " + group.slug + " " + " ".join(group.examples)
        assert not any(part in published.casefold() for part in NAME_PARTS), published
    texts = [discovery_markdown(result), discovery_text(result), discovery_frame(result).to_csv(index=False)]
    assert not any(part in t.casefold() for t in texts for part in NAME_PARTS)
    out = tmp_path / "new.csv"
    cli_result = CliRunner().invoke(cli, ["discover", str(path), "--model", str(card_dir), "--no-cache", "--min-size", "3", "-o", str(out)], catch_exceptions=False)
    assert cli_result.exit_code == 0, cli_result.output
    written = out.read_text(encoding="utf-8-sig").casefold() + cli_result.output.casefold()
    assert not any(part in written for part in NAME_PARTS)
