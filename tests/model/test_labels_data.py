"""The shipped labels and sample exports hold what the README and labels/README.md promise."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pgtext.files.tables import read_table
from pgtext.model.codebook import load_codebook
from pgtext.model.labels import load_labels, normalise_text

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "labels" / "twente.csv"
CODEBOOK = ROOT / "labels" / "codebook.csv"
SAMPLES = [ROOT / "samples" / "regioscan-2025.csv", ROOT / "samples" / "regioscan-2026.csv"]
OPEN_COLUMNS = [
    "toelichting_beleid", "toelichting_inbedding", "toelichting_toepassing",
    "toelichting_regio", "toelichting_regio_nodig", "suggesties",
]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return read_table(LABELS).frame


def theme_counts(frame: pd.DataFrame) -> pd.Series:
    return frame["themes"].map(lambda cell: len([t for t in cell.split(";") if t.strip()]))


def test_labels_use_only_codebook_slugs_and_load_cleanly(frame):
    codebook = load_codebook(CODEBOOK)
    slugs = set(codebook.slugs)
    used = {t for cell in frame["themes"] for t in cell.split(";") if t}
    assert used <= slugs
    labelled = load_labels([LABELS], codebook)
    assert labelled.warnings == []  # no empty texts, no duplicates dropped
    assert len(labelled.texts) == len(frame)


def test_labels_columns_and_size(frame):
    assert list(frame.columns) == ["id", "question", "text", "themes", "source"]
    assert len(frame) >= 400
    assert frame["id"].is_unique
    assert set(frame["question"]) == set(OPEN_COLUMNS)


def test_no_duplicate_texts(frame):
    keys = frame["text"].map(normalise_text)
    assert not keys.duplicated().any(), frame.loc[keys.duplicated(keep=False), "text"].tolist()


def test_every_theme_at_least_50(frame):
    codebook = load_codebook(CODEBOOK)
    for slug in codebook.slugs:
        count = frame["themes"].map(lambda cell: slug in cell.split(";")).sum()
        assert count >= 50, f"{slug}: {count}"


def test_multi_theme_and_no_theme_shares(frame):
    counts = theme_counts(frame)
    suggestions = counts[frame["question"] == "suggesties"]
    assert (suggestions >= 2).mean() >= 0.20
    assert (counts == 0).mean() >= 0.15


def test_themes_written_in_codebook_order(frame):
    order = {slug: i for i, slug in enumerate(load_codebook(CODEBOOK).slugs)}
    for cell in frame["themes"]:
        positions = [order[t] for t in cell.split(";") if t]
        assert positions == sorted(positions), cell


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_exports_read_as_dutch_excel_writes_them(path):
    table = read_table(path)
    assert table.delimiter == ";"
    assert 120 <= len(table.frame) <= 200
    assert set(OPEN_COLUMNS) <= set(table.frame.columns)
    for column in OPEN_COLUMNS:
        filled = (table.frame[column].str.strip() != "").mean()
        assert filled < 0.5, f"{column} is {filled:.0%} filled; most open cells should be empty"


def test_sample_answers_are_not_in_the_labels(frame):
    """Substantive answers (more than three words) never appear in the training labels."""
    labelled = set(frame["text"].map(normalise_text))
    for path in SAMPLES:
        answers = read_table(path).frame[OPEN_COLUMNS].to_numpy().ravel()
        overlap = [a for a in answers if len(str(a).split()) > 3 and normalise_text(a) in labelled]
        assert overlap == [], f"{path.name}: {overlap[:3]}"


def test_2026_wave_holds_personal_data_and_an_uncovered_subject():
    answers = " ".join(read_table(SAMPLES[1]).frame[OPEN_COLUMNS].to_numpy().ravel())
    assert re.search(r"[\w.]+@[\w.-]+\.nl", answers)
    assert re.search(r"\b0\d{2}[ -]?\d{3} ?\d{4}\b|\b06[ -]?\d{8}\b", answers)
    assert len(re.findall(r"jongeren|scholen|onderwijs|mbo|studenten", answers, flags=re.I)) >= 8


NEGATIVES = ROOT / "labels" / "negatives.csv"
GOLD = [ROOT / "samples" / "regioscan-2026-gold.csv", *sorted((ROOT / "benchmarks" / "gold").glob("*.csv"))]


def test_negatives_have_no_theme_and_load_with_the_labels():
    codebook = load_codebook(CODEBOOK)
    negatives = read_table(NEGATIVES).frame
    assert len(negatives) >= 100
    assert (negatives["themes"] == "").all()
    assert set(negatives["source"]) == {"negatives-2026"}
    together = load_labels([LABELS, NEGATIVES], codebook)
    assert together.warnings == []  # no answer in both files


def test_negatives_are_not_copies_of_gold_answers():
    # Training data must not come close to the test sets (README: benchmarks/gold, samples/*-gold.csv).
    from sklearn.feature_extraction.text import TfidfVectorizer

    negatives = read_table(NEGATIVES).frame["text"]
    gold = pd.concat([read_table(path).frame["text"] for path in GOLD])
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), strip_accents="unicode").fit(pd.concat([negatives, gold]))
    similarity = (vectors.transform(negatives) @ vectors.transform(gold).T).toarray()
    assert similarity.max() < 0.6
