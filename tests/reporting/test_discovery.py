"""pgtext discover: a constructed uncovered subject comes out as one group, new in the later wave.

Uses the fake hashed bag-of-words embedder, so grouping is fast and deterministic.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import write_csv

from pgtext.cli import cli
from pgtext.model.codebook import Codebook
from pgtext.reporting import discovery as discovery_module
from pgtext.reporting.discovery import discover, distinctive_words
from pgtext.reporting.discovery_render import (
    discovery_frame,
    discovery_markdown,
    discovery_text,
)
from tests.fakes import FakeEmbedder, card_only_model

THEMES = [
    {"slug": "visie", "name": "Gedeelde visie", "description": "Een gedeelde visie en koers voor de regio, met doelen en een meerjarenplan."},
    {"slug": "geld", "name": "Structurele financiering", "description": "Lobby voor structurele financiering: geld van financiers, budget voor de lange termijn."},
]
BOOK = Codebook.from_list(THEMES)
HEADER = ["row", "respondent_id", "question", "text", "predicted_themes", "score_visie", "score_geld", "confidence", "needs_review"]

YOUTH = [
    "Meer aandacht voor jongeren op school en in het onderwijs.",
    "Jongeren op het mbo: studenten met stress, school en onderwijs.",
    "Positieve gezondheid hoort op school, bij jongeren en studenten.",
    "Studenten en jongeren op het mbo hebben het zwaar op school.",
    "Onderwijs en school: daar zitten de jongeren en studenten.",
    "Kijk naar jongeren en studenten in het onderwijs, mail j.bakker@school.nl",
    "Jongeren in het onderwijs en op school verdienen aandacht.",
]
MONEY = [
    "Structurele financiering en geld voor de lange termijn.",
    "Geld! Structurele financiering, niet weer projectgeld.",
    "Financiering structureel regelen, geld voor de lange termijn.",
    "Zonder structurele financiering en geld stopt alles.",
    "Lange termijn financiering en structureel geld zijn nodig.",
]
MISC = [
    "Het spinnenweb hangt in de wachtkamer.",
    "Onze wethouder is enthousiast over het project.",
    "De nieuwsbrief lees ik graag, die komt elke maand.",
    "Sinds de reorganisatie is alles anders geregeld.",
    "Bij de huisarts duurt een consult maar tien minuten.",
    "Wij werken met vrijwilligers in de wijk aan ontmoeting.",
    "Het ziekenhuis heeft een leefstijlpoli geopend.",
    "Ik ben nieuw in deze functie en weet nog weinig.",
    "De bibliotheek organiseert avonden voor inwoners.",
    "Een dashboard met cijfers per gemeente zou handig zijn.",
    "Wij gebruiken het spinnenweb niet meer sinds vorig jaar.",
    "Mijn organisatie heeft geen kartrekker aangesteld.",
    "Intervisie met collega's uit andere gemeenten helpt ons.",
    "Een training voor teamleiders zou welkom zijn.",
    "De provincie zou vaker moeten aansluiten bij overleggen.",
    "Onze ervaringsdeskundigen doen mooi werk in herstelgroepen.",
    "Voor ouderen met dementie hebben we een eigen aanpak.",
    "Het werkt alleen als bestuurders er echt achter staan.",
    "Laaggeletterde inwoners bereiken blijft lastig.",
    "Er is een werkgroep die vier keer per jaar samenkomt.",
]
EARLIER_MISC = [
    "Het spinnenweb gebruiken we bij de intake.",
    "De wethouder wil er vaart achter zetten.",
    "Een nieuwsbrief per kwartaal is genoeg.",
    "De reorganisatie kost veel tijd.",
    "Huisartsen hebben er weinig tijd voor.",
    "Vrijwilligers doen veel in de wijk.",
    "De GGD geeft trainingen, maar de wachtlijst is lang.",
    "In onze gemeente is een nieuwe gezondheidsnota vastgesteld.",
    "Bij de intake in de wijkverpleging vragen we wat belangrijk is.",
    "Het projectteam is afgelopen zomer opgeheven.",
    "We werken met een community of practice binnen de organisatie.",
    "De kartrekker is vertrokken en niemand nam het over.",
    "Ambassadeurs krijgen twee uur per week voor hun rol.",
    "Ik heb geen zicht op wat er regionaal gebeurt.",
    "De voorstellingen in het theater maakten veel los.",
    "Een overzicht van trainers in Twente zou helpen.",
    "Wij zijn een kleine organisatie met weinig capaciteit.",
    "Het jaargesprek gaat nu ook over de eigen gezondheid.",
    "Bestuurlijk eigenaarschap ontbreekt nog.",
    "Noaberschap is eigenlijk hetzelfde idee.",
]
NON_ANSWERS = ["weet niet", "N.v.t.", "-", "geen"]
COVERED = ["Een gedeelde visie en koers voor de regio.", "Een meerjarenplan met doelen voor de regio."]


def _rows(uncovered: list[str], covered: list[str] = ()) -> list[list[str]]:
    rows = []
    for i, text in enumerate(uncovered):
        rows.append([str(i + 2), f"R{i}", "suggesties", text, "", "0.1", "0.1", "0.5", "true"])
    for j, text in enumerate(covered, start=len(uncovered)):
        rows.append([str(j + 2), f"R{j}", "suggesties", text, "visie", "0.95", "0.05", "0.9", "false"])
    return rows


def _write(path: Path, rows: list[list[str]]) -> Path:
    return write_csv(path, HEADER, rows, encoding="utf-8-sig")


@pytest.fixture()
def later(tmp_path) -> Path:
    return _write(tmp_path / "wave-2026.csv", _rows(YOUTH + MONEY + MISC + NON_ANSWERS, COVERED))


@pytest.fixture()
def earlier(tmp_path) -> Path:
    return _write(tmp_path / "wave-2025.csv", _rows(MONEY[::-1] + EARLIER_MISC, COVERED))


@pytest.fixture()
def card_dir(tmp_path) -> Path:
    return card_only_model(tmp_path / "model", THEMES)


def _texts(result, group) -> set[str]:
    return {result.answers["text"][i] for i in group.members}


def _masked(texts: list[str]) -> set[str]:
    return {t.replace("j.bakker@school.nl", "[e-mail]") for t in texts}


def _purity(result, group, texts: set[str]) -> float:
    return len(_texts(result, group) & texts) / group.size


def test_uncovered_subject_comes_out_as_one_group(later):
    result = discover([later], BOOK, FakeEmbedder())
    assert result.counts["non_answers"] == 4
    assert result.counts["covered"] == 2
    assert result.counts["considered"] == len(YOUTH + MONEY + MISC)
    youth = [g for g in result.groups if _texts(result, g) & _masked(YOUTH)]
    assert len(youth) == 1, "the youth answers are split over several groups"
    assert _texts(result, youth[0]) >= _masked(YOUTH)  # all of them in that one group
    # The fake embedder hashes words into 64 dimensions, so an unrelated answer may tag along.
    assert _purity(result, youth[0], _masked(YOUTH)) >= 0.85
    money = [g for g in result.groups if _texts(result, g) & set(MONEY)]
    assert len(money) == 1 and _texts(result, money[0]) >= set(MONEY)
    assert [g.size for g in result.groups] == sorted((g.size for g in result.groups), reverse=True)


def test_group_words_theme_and_examples(later):
    result = discover([later], BOOK, FakeEmbedder(), examples=2)
    youth = next(g for g in result.groups if "jongeren" in g.words)
    assert set(youth.words[:3]) <= {"jongeren", "school", "studenten", "onderwijs", "mbo"}
    assert not set(youth.words) & {"het", "en", "op", "de", "in"}  # Dutch stop words removed
    money = next(g for g in result.groups if set(MONEY) <= _texts(result, g))
    assert money.closest_theme == "geld" and 0 < money.similarity <= 1
    assert len(youth.examples) == 2
    assert all("@" not in e for e in youth.examples)
    assert all("j.bakker" not in t for t in result.answers["text"])  # masked in the answer table too


def test_all_includes_covered_answers(later):
    result = discover([later], BOOK, FakeEmbedder(), include_all=True)
    assert result.counts["considered"] == len(YOUTH + MONEY + MISC + COVERED)


def test_new_in_the_later_wave(earlier, later):
    result = discover([earlier, later], BOOK, FakeEmbedder())
    assert (result.later, result.earlier) == ("2026", ["2025"])
    youth = next(g for g in result.groups if "jongeren" in g.words)
    money = next(g for g in result.groups if set(MONEY) <= _texts(result, g))
    assert youth.new is True and youth.earlier_matches == 0 and youth.later_matches >= len(YOUTH)
    assert money.new is False and money.earlier_matches >= len(MONEY) - 1


def test_distinctive_words_class_based_tfidf():
    texts = ["jongeren op school", "jongeren en school", "geld en budget", "budget en geld nodig"]
    words = distinctive_words(texts, np.array([0, 0, 1, 1]), top=2)
    assert set(words[0]) == {"jongeren", "school"}
    assert set(words[1]) == {"geld", "budget"}


def test_small_file_gives_no_groups_not_an_error(tmp_path):
    path = _write(tmp_path / "tiny.csv", _rows(["Meer jongeren op school.", "weet niet"]))
    result = discover([path], BOOK, FakeEmbedder())
    assert result.groups == [] and result.counts["ungrouped"] == 1


def test_outputs_markdown_and_review_csv(earlier, later):
    result = discover([earlier, later], BOOK, FakeEmbedder())
    text = discovery_markdown(dataclasses.replace(result, language="en"))
    assert text.startswith("# Candidate new themes in 2026")
    assert "new in 2026" in text and "## Leftovers" in text
    frame = discovery_frame(result)
    assert {"group", "kind", "suggested_slug", "distinctive_words", "closest_theme", "new_in_2026", "text", "themes"} <= set(frame.columns)
    assert len(frame) == result.counts["considered"]
    assert (frame["themes"] == "").all()
    youth = frame[frame["text"].isin(_masked(YOUTH))]
    assert youth["group"].nunique() == 1 and (youth["new_in_2026"] == "true").all()


def test_cli_discover_writes_csv(earlier, later, card_dir, tmp_path):
    out = tmp_path / "new.csv"
    args = ["discover", str(earlier), str(later), "--model", str(card_dir), "--no-cache", "-o", str(out), "--lang", "en"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "new in 2026: yes (" in result.output and ", 0 of 27 in 2025)" in result.output
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert frame.loc[0, "kind"] == "candidate"
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert again.exit_code == 1 and "already exists" in again.output


def test_help_defaults_match_the_library():
    text = " ".join(CliRunner().invoke(cli, ["discover", "--help"]).output.split())
    assert f"[default: {discovery_module.MIN_SIZE}]" in text
    assert f"[default: {discovery_module.EXAMPLES}]" in text


@pytest.mark.real_model
def test_sample_wave_youth_answers_form_one_group_with_the_real_model(tmp_path):
    """The 2026 sample wave: its answers on young people and education come out as one group."""
    import re

    root = Path(__file__).resolve().parents[2]
    labelled = tmp_path / "2026-long.csv"
    columns = ["toelichting_beleid", "toelichting_inbedding", "toelichting_toepassing", "toelichting_regio", "toelichting_regio_nodig", "suggesties"]
    args = ["label", str(root / "samples" / "regioscan-2026.csv"), "--id-col", "respondent_id", "-o", str(labelled), "-q"]
    for column in columns:
        args += ["--text-col", column]
    assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
    from pgtext.embed import get_embedder
    from pgtext.model.store import read_card

    card = read_card(root / "models" / "twente")
    result = discover([labelled], Codebook.from_list(card["codebook"]["themes"]), get_embedder(card["embedder"]["name"]))
    youth = re.compile(r"jonger|jonge mensen|jeugd|school\b|scholen|basisschool|onderwijs|\bmbo\b|studenten", re.I)
    best = max(result.groups, key=lambda g: sum(bool(youth.search(result.answers["text"][i])) for i in g.members))
    on_subject = sum(bool(youth.search(result.answers["text"][i])) for i in best.members)
    assert on_subject >= 10 and on_subject / best.size >= 0.8
    assert "jongeren" in best.words[:3]


def test_markdown_and_terminal_speak_dutch_for_a_dutch_codebook(earlier, later):
    result = discover([earlier, later], BOOK, FakeEmbedder())
    assert result.language == "nl"
    text = discovery_markdown(result)
    assert text.startswith("# Mogelijke nieuwe thema's in 2026")
    assert "nieuw in 2026" in text and "## Restgroepen" in text and "Kenmerkende woorden" in text
    assert "Examples are masked" not in text and "zijn gemaskeerd" in text
    terminal = discovery_text(result)
    assert "antwoorden" in terminal and "answers" not in terminal
