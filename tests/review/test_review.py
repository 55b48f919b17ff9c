"""The review loop through the CLI: review sheet -> reviewer edits -> accept -> retrain; suggest; check-labels.

Models are trained with the fake embedder on a 64-answer slice of labels/twente.csv, so
the whole file runs in seconds. Shipped files (labels/, samples/) are only read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pgtext.cli import cli
from pgtext.config import PROJECT_ROOT
from pgtext.files.tables import read_table
from pgtext.model.codebook import load_codebook
from pgtext.model.labels import load_labels
from pgtext.review.sheet import read_sheet
from pgtext.review.suggest import pick_diverse
from pgtext.text.nonanswers import is_non_answer
from pgtext.text.similarity import (
    group_near_copies,
    is_near_copy,
    near_copy_pairs,
    simplify,
)

SLUGS = ["gedeelde_visie", "netwerk", "praktische_implementatie", "lobby", "lokaal_aansluiten"]
SAMPLE = PROJECT_ROOT / "samples" / "regioscan-2026.csv"
TWENTE = PROJECT_ROOT / "labels" / "twente.csv"
CODEBOOK = PROJECT_ROOT / "labels" / "codebook.csv"

# What a reviewer decides for four 2026 answers, following CODEBOOK.md.
CORRECTIONS = {
    "Een handreiking om PG te verwerken in de subsidie- en inkoopvoorwaarden van de gemeente.": "praktische_implementatie",
    "Misschien een keer een intervisiebijeenkomst voor beleidsadviseurs": "netwerk",
    "Organiseer een bestuurlijke tafel PG met wethouders, bestuurders uit zorg en welzijn en Menzis, 2x per jaar.": "lobby",
    "Maatwerk per organisatie. Een ziekenhuis heeft andere behoeften dan een welzijnsstichting.": "lokaal_aansluiten",
}


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def ok(*args: object):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def refused(result, *parts: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ")
    for part in parts:
        assert part in result.stderr
    return result.stderr


def vector(themes: str) -> list[int]:
    chosen = {t for t in themes.split(";") if t}
    return [int(s in chosen) for s in SLUGS]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """codebook.csv and a 64-answer labels.csv (9 per theme, 9 without, 10 with several)."""
    folder = tmp_path_factory.mktemp("loop")
    shutil.copy(CODEBOOK, folder / "codebook.csv")
    frame = read_table(TWENTE).frame
    frame = frame[frame["question"] == "suggesties"]
    parts = [frame[frame["themes"] == theme].head(9) for theme in [*SLUGS, ""]]
    parts.append(frame[frame["themes"].str.contains(";")].head(10))
    pd.concat(parts).to_csv(folder / "labels.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def model(work) -> Path:
    # 64 fake-embedded labels cannot show 95% precision with 90% confidence (the default policy would
    # flag every answer); these tests need answers on both sides of the flag, so the bar is lowered.
    ok("train", work / "labels.csv", "-o", work / "model", "--embedder", "fake", "--folds", "3",
       "--target-precision", "0.6", "--precision-level", "0.5")
    return work / "model"


@pytest.fixture(scope="module")
def labelled(work, model) -> Path:
    """The 2026 sample export labelled on suggesties by the small model."""
    ok("label", SAMPLE, "--text-col", "suggesties", "--model", model, "-o", work / "labelled-2026.csv")
    frame = read_table(work / "labelled-2026.csv").frame
    flags = frame.loc[frame["suggesties"].str.strip() != "", "needs_review"]  # blanks are never flagged
    assert (flags == "false").sum() >= 10 and (flags == "true").sum() >= 10  # both kinds to review and audit
    return work / "labelled-2026.csv"


@pytest.fixture
def labels_copy(work, tmp_path) -> Path:
    shutil.copy(work / "codebook.csv", tmp_path / "codebook.csv")
    shutil.copy(work / "labels.csv", tmp_path / "labels.csv")
    return tmp_path / "labels.csv"


# --- the loop, end to end --------------------------------------------------------------------


def test_review_edit_accept_retrain_gives_the_corrections(work, labelled, labels_copy, tmp_path):
    sheet = tmp_path / "review-2026.xlsx"
    out = ok("review", labelled, "-o", sheet, "--include", "all").output
    assert "72 answers in" in out and "Sheet: 72 rows" in out

    book = load_workbook(sheet)
    ws = book["review"]
    header = [c.value for c in ws[1]]
    assert header[:10] == ["item", "same_as", "text", *SLUGS, "note", "reviewer"]
    col = {name: i for i, name in enumerate(header)}
    changed = 0
    for row in ws.iter_rows(min_row=2):
        correction = CORRECTIONS.get(row[col["text"]].value)
        if correction is None:
            continue
        before = [row[col[s]].value for s in SLUGS]
        changed += before != vector(correction)
        for slug, value in zip(SLUGS, vector(correction)):
            row[col[slug]].value = value  # as a reviewer types them
        row[col["reviewer"]].value = "AB"
        row[col["note"]].value = "codeboek regel"
    assert changed >= 2, "the small model should get some of these wrong, or this test proves little"
    book.save(sheet)

    original = labels_copy.read_bytes()
    # 68 rows still hold the model's guesses unsigned: --reviewer does not make them reviewed
    refused(run("accept", sheet, "--labels", labels_copy, "--reviewer", "CD"), "review-2026.xlsx: 68 rows are exactly as the sheet pre-filled them")
    assert labels_copy.read_bytes() == original and not list(tmp_path.glob("*.bak"))
    out = ok("accept", sheet, "--labels", labels_copy, "--source", "wave-2026-review", "--reviewer", "CD", "--accept-unchanged").output
    assert "Read 72 decisions" in out
    assert "Taking 68 new answers left as pre-filled and unsigned as labels (--accept-unchanged)." in out
    assert "Added 72, updated 0, unchanged 0, kept 0." in out
    assert f"Retrain: pgtext train {labels_copy} -o {tmp_path / 'models' / 'labels-2'}\n" in out
    backups = list(tmp_path.glob("labels.csv.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == original

    merged = read_table(labels_copy).frame
    assert len(merged) == 64 + 72
    new = merged.iloc[64:].set_index("text")
    for text, themes in CORRECTIONS.items():
        assert new.loc[text, "themes"] == themes
        assert new.loc[text, "reviewer"] == "AB"
        assert new.loc[text, "source"] == "wave-2026-review"
        assert new.loc[text, "note"] == "codeboek regel"
    assert set(new["reviewer"]) == {"AB", "CD"}  # --reviewer fills the rows left unsigned
    assert new["id"].str.startswith("R26-").all() and new["question"].eq("suggesties").all()

    again = ok("accept", sheet, "--labels", labels_copy).output
    assert "Added 0, updated 0, unchanged 72, kept 0." in again and "Nothing to change" in again
    assert len(list(tmp_path.glob("labels.csv.*.bak"))) == 1

    ok("train", labels_copy, "-o", tmp_path / "model2", "--embedder", "fake", "--folds", "2")
    answers = tmp_path / "answers.csv"
    pd.DataFrame({"text": list(CORRECTIONS)}).to_csv(answers, index=False)
    ok("label", answers, "--model", tmp_path / "model2", "-o", tmp_path / "relabelled.csv")
    relabelled = read_table(tmp_path / "relabelled.csv").frame
    assert relabelled["predicted_themes"].tolist() == list(CORRECTIONS.values())


def test_review_sheet_layout_for_excel(labelled, tmp_path):
    sheet = tmp_path / "review.xlsx"
    ok("review", labelled, "-o", sheet)
    source = read_table(labelled).frame
    flagged = source[source["needs_review"] == "true"]

    book = load_workbook(sheet)
    assert book.sheetnames == ["review", "codebook", "instructions"]
    ws = book["review"]
    frame = read_table(sheet, sheet="review").frame
    assert len(frame) == len(flagged) and set(frame["why"]) == {"flagged"}
    confidence = frame["confidence"].astype(float).tolist()
    assert confidence == sorted(confidence)  # most uncertain first
    by_row = source.set_index(source.index + 2)
    for _, row in frame.iterrows():
        original = by_row.loc[int(row["row"])]
        assert row["text"] == original["suggesties"] and row["id"] == original["respondent_id"]
        assert [int(row[s]) for s in SLUGS] == vector(original["predicted_themes"])
        assert row["prefilled_themes"] == original["predicted_themes"]
        assert float(row["score_lobby"]) == pytest.approx(float(original["score_lobby"]), abs=0.005)
    (check,) = ws.data_validations.dataValidation
    assert check.formula1 == '"0,1"' and str(check.sqref) == f"D2:H{len(frame) + 1}"
    assert ws["D1"].comment is not None and "gedeelde visie" in ws["D1"].comment.text
    assert ws["D2"].fill.fgColor.rgb.endswith("FFF2CC") and ws["I2"].fill.fgColor.rgb.endswith("FFF2CC")
    codebook = [[c.value for c in row] for row in book["codebook"].iter_rows(min_row=2)]
    assert [r[0] for r in codebook] == SLUGS


def test_review_audit_sample_is_random_accepted_and_repeatable(labelled, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    ok("review", labelled, "-o", first, "--include", "audit", "--audit-size", "5")
    ok("review", labelled, "-o", second, "--include", "audit", "--audit-size", "5")
    a, b = read_table(first).frame, read_table(second).frame
    assert len(a) == 5 and set(a["why"]) == {"audit"}
    assert a["text"].tolist() == b["text"].tolist()
    source = read_table(labelled).frame
    accepted = set(source.loc[source["needs_review"] == "false", "suggesties"])
    assert set(a["text"]) <= accepted

    both = tmp_path / "both.csv"
    out = ok("review", labelled, "-o", both, "--include", "flagged", "--include", "audit", "--audit-size", "5").output
    frame = read_table(both).frame
    flagged = int((source["needs_review"] == "true").sum())
    assert frame["why"].tolist() == ["flagged"] * flagged + ["audit"] * 5
    assert f"({flagged} flagged, 5 audit)" in out


def test_blind_audit_must_be_coded_and_reports_the_accepted_accuracy(labelled, labels_copy, tmp_path):
    sheet = tmp_path / "audit.xlsx"
    ok("review", labelled, "-o", sheet, "--include", "audit", "--audit-size", "5", "--blind")
    book = load_workbook(sheet)
    ws = book["review"]
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    assert ws.column_dimensions["U"].hidden and header[20] == "prefilled_themes"
    rows = list(ws.iter_rows(min_row=2))
    assert all(r[col[s]].value is None for r in rows for s in [*SLUGS, "score_lobby", "confidence"])
    before = labels_copy.read_bytes()
    refused(run("accept", sheet, "--labels", labels_copy), "audit.xlsx: row 2: the theme cells are empty")
    assert labels_copy.read_bytes() == before

    for n, row in enumerate(rows):  # the reviewer agrees with the model on all but the first
        model = vector(row[col["prefilled_themes"]].value or "")
        coded = [1 - model[0], *model[1:]] if n == 0 else model
        for slug, value in zip(SLUGS, coded):
            row[col[slug]].value = value
    book.save(sheet)
    out = ok("accept", sheet, "--labels", labels_copy).output
    assert "Audit sample: the model's themes were right for 4 of 5 auto-accepted answers (80%)." in out


# --- near-copies ----------------------------------------------------------------------------

LABELLED_ROWS = [  # respondent, answer, predicted, confidence, needs_review
    ("R1", "Ondersteuning op maat.", "lokaal_aansluiten", 0.40, "true"),
    ("R2", "ondersteuing op maat", "lokaal_aansluiten", 0.50, "true"),
    ("R3", "Lobby voor structurele financiering", "lobby", 0.45, "true"),
    ("R4", "Visie + lobby voor structurele financiering", "gedeelde_visie;lobby", 0.30, "true"),
    ("R5", "", "", None, "false"),
    ("R6", "Weet ik niet.", "", 0.90, "false"),
    ("R7", "weet ik niet", "", 0.60, "true"),
]


@pytest.fixture
def handmade(tmp_path) -> Path:
    """A labelled export as 'pgtext label' writes it, built by hand (no model needed)."""
    rows = []
    for rid, text, predicted, confidence, review in LABELLED_ROWS:
        scores = {f"score_{s}": ("" if confidence is None else (0.8 if s in predicted else 0.1)) for s in SLUGS}
        rows.append({
            "respondent_id": rid, "suggesties": text, "predicted_themes": predicted, **scores,
            "confidence": "" if confidence is None else confidence, "needs_review": review,
        })
    path = tmp_path / "labelled.csv"
    pd.DataFrame(rows).to_csv(path, index=False, sep=";")
    return path


def test_near_copies_share_one_decision(handmade, labels_copy, tmp_path):
    sheet = tmp_path / "review.csv"
    out = ok("review", handmade, "-o", sheet).output
    assert "Sheet: 5 rows (5 flagged); 1 near-copies follow the row named in same_as." in out
    frame = read_table(sheet).frame
    assert frame["id"].tolist() == ["R4", "R1", "R2", "R3", "R7"]
    assert frame["same_as"].tolist() == ["", "", "2", "", ""]
    assert (frame.loc[2, SLUGS] == "").all() and frame.loc[1, "lokaal_aansluiten"] == "1"

    frame.loc[1, SLUGS] = [str(v) for v in vector("praktische_implementatie;lokaal_aansluiten")]
    frame.loc[[0, 3, 4], "reviewer"] = "AB"  # checked and agreed with the model
    frame.to_csv(sheet, index=False, sep=";")
    out = ok("accept", sheet, "--labels", labels_copy).output
    assert "Read 5 decisions from" in out and "(1 near-copies following another row)" in out
    merged = read_table(labels_copy).frame.set_index("text")
    assert merged.loc["ondersteuing op maat", "themes"] == "praktische_implementatie;lokaal_aansluiten"
    assert merged.loc["Ondersteuning op maat.", "themes"] == "praktische_implementatie;lokaal_aansluiten"
    assert merged.loc["Visie + lobby voor structurele financiering", "themes"] == "gedeelde_visie;lobby"


def test_accept_refuses_a_sheet_nobody_reviewed_and_counts_signed_or_changed_rows(handmade, labels_copy, tmp_path):
    sheet = tmp_path / "review.xlsx"
    ok("review", handmade, "-o", sheet)
    before = labels_copy.read_bytes()
    for extra in ([], ["--dry-run"], ["--reviewer", "AB"]):
        message = refused(run("accept", sheet, "--labels", labels_copy, *extra), "review.xlsx: 5 rows are exactly as the sheet pre-filled them")
        assert "initials in the 'reviewer' column" in message and "--accept-unchanged" in message
        assert message.rstrip().endswith(f"Nothing merged; {labels_copy} is unchanged.")
    assert labels_copy.read_bytes() == before and not list(tmp_path.glob("*.bak"))

    book = load_workbook(sheet)
    ws = book["review"]
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = {row[col["id"]].value: row for row in ws.iter_rows(min_row=2)}
    assert rows["R2"][col["same_as"]].value == rows["R1"][col["item"]].value  # R2 follows R1
    rows["R4"][col["reviewer"]].value = "AB"  # agreed with the model, signed
    rows["R3"][col["netwerk"]].value = 1  # changed: a decision, signed or not
    rows["R7"][col["note"]].value = "klopt"  # a note shows someone looked
    book.save(sheet)
    refused(run("accept", sheet, "--labels", labels_copy), "review.xlsx: 2 rows are exactly as")  # R1 and its copy R2

    rows["R1"][col["reviewer"]].value = "CD"  # signing the lead covers the near-copy that follows it
    book.save(sheet)
    (tmp_path / "models" / "labels-2").mkdir(parents=True)  # an earlier retrain: never reused, never --force
    out = ok("accept", sheet, "--labels", labels_copy).output
    assert "Added 5, updated 0, unchanged 0, kept 0." in out and "--accept-unchanged" not in out
    assert out.endswith(f"Retrain: pgtext train {labels_copy} -o {tmp_path / 'models' / 'labels-3'}\n")
    merged = read_table(labels_copy).frame.set_index("text")
    assert merged.loc["Lobby voor structurele financiering", "themes"] == "netwerk;lobby"
    assert merged.loc["ondersteuing op maat", "reviewer"] == "CD"


def test_accept_never_names_the_shipped_model_to_retrain(tmp_path, monkeypatch):
    shutil.copy(CODEBOOK, tmp_path / "codebook.csv")
    sheet = _sheet(tmp_path / "fix.csv", [_row("Een nieuw antwoord over lobby", "lobby", reviewer="AB")])
    monkeypatch.chdir(tmp_path)
    out = ok("accept", "fix.csv", "--labels", "mine.csv").output
    assert out.endswith("Retrain: pgtext train mine.csv -o models/mine-2\n")
    assert "twente" not in out and "--force" not in out and sheet.exists()


def test_near_copy_rules():
    assert simplify("  Wéét ik   niet!! ") == "weet ik niet"
    assert is_near_copy(simplify("Ondersteuing op maat"), simplify("Ondersteuning op maat."))
    assert is_near_copy(simplify("Meer bijeenkomsten"), simplify("meer bijeenkomsten aub"))
    assert not is_near_copy(simplify("Lobby voor financiering"), simplify("Visie + lobby voor financiering"))
    assert not is_near_copy(simplify("Geen nieuw netwerk"), simplify("nieuw netwerk"))
    assert not is_near_copy(simplify("nee"), simplify("nee geen"))
    # no chaining: b is close to a and c, a and c are not close; c gets its own group
    texts = ["kennisdeling regio twente", "kennisdeling regio twent", "kennisdelin regio twent jaarlijks"]
    assert group_near_copies(texts, [0, 1, 2]) == [0, 0, 2]


# --- accept: updates, kept corrections, refusals ---------------------------------------------


def _sheet(path: Path, rows: list[dict]) -> Path:
    base = {"item": "", "same_as": "", "note": "", "reviewer": ""}
    pd.DataFrame([{**base, **row} for row in rows]).to_csv(path, index=False)
    return path


def _row(text: str, themes: str, prefilled: str | None = None, **extra) -> dict:
    row = {"text": text, **dict(zip(SLUGS, map(str, vector(themes)))), **extra}
    if prefilled is not None:
        row["prefilled_themes"] = prefilled
    return row


def test_accept_updates_known_answers_and_never_loses_a_correction(labels_copy, tmp_path):
    labels = read_table(labels_copy).frame
    text, old = labels.loc[0, "text"], labels.loc[0, "themes"]
    assert old == "gedeelde_visie"
    shouted = f"  {text.upper()} "  # same answer: case and spacing do not matter

    fix = _sheet(tmp_path / "fix.csv", [_row(shouted, "gedeelde_visie;lobby", prefilled=old, reviewer="AB")])
    out = ok("accept", fix, "--labels", labels_copy).output
    assert "Added 0, updated 1, unchanged 0, kept 0." in out
    assert f"labels.csv row 2 ({labels.loc[0, 'id']}): gedeelde_visie -> gedeelde_visie;lobby [AB]" in out
    lobby = int(labels["themes"].str.contains("lobby").sum())
    assert any(line.split() == ["lobby", str(lobby), str(lobby + 1)] for line in out.splitlines())
    after = read_table(labels_copy).frame
    assert len(after) == len(labels) and after.loc[0, "themes"] == "gedeelde_visie;lobby"
    assert after.loc[0, "text"] == text and after.loc[0, "reviewer"] == "AB"

    # an older sheet that still offers the old suggestion must not undo the correction
    stale = _sheet(tmp_path / "stale.csv", [_row(text, old, prefilled=old)])
    out = ok("accept", stale, "--labels", labels_copy).output
    assert "kept 1." in out and "kept gedeelde_visie;lobby; sheet row 2 offered gedeelde_visie" in out
    assert read_table(labels_copy).frame.loc[0, "themes"] == "gedeelde_visie;lobby"

    # a deliberate change (cells differ from what the sheet offered) does go through, listed
    deliberate = _sheet(tmp_path / "deliberate.csv", [_row(text, "netwerk", prefilled=old, reviewer="EF")])
    out = ok("accept", deliberate, "--labels", labels_copy).output
    assert "gedeelde_visie;lobby -> netwerk [EF]" in out
    assert len(list(tmp_path.glob("labels.csv.*.bak"))) == 2  # one per write, none overwritten


def test_accept_dry_run_and_new_labels_file(tmp_path, handmade):
    sheet = tmp_path / "review.csv"
    ok("review", handmade, "-o", sheet)
    target = tmp_path / "new" / "labels.csv"
    out = ok("accept", sheet, "--labels", target, "--codebook", CODEBOOK, "--dry-run", "--accept-unchanged").output
    assert "Added 5," in out and "Dry run" in out and not target.exists()
    ok("accept", sheet, "--labels", target, "--codebook", CODEBOOK, "--source", "wave-2026-review", "--accept-unchanged")
    frame = read_table(target).frame
    assert frame.columns.tolist() == ["id", "question", "text", "themes", "source", "reviewer", "note"]
    assert frame["id"].tolist() == ["R4", "R1", "R2", "R3", "R7"]
    assert not list(target.parent.glob("*.bak"))


BAD_SHEETS = {
    "unknown theme column": (
        lambda rows: [{**r, "lobbyen": "1"} for r in rows],
        ["column(s) 'lobbyen' are not themes in the codebook"],
    ),
    "value other than 0/1": (
        lambda rows: [rows[0], {**rows[1], "lobby": "ja"}],
        ["row 3, column 'lobby': 'ja' is not 0 or 1"],
    ),
    "missing text": (
        lambda rows: [rows[0], {**rows[1], "text": " "}],
        ["row 3: no text"],
    ),
    "empty theme cells": (
        lambda rows: [rows[0], {**rows[1], **{s: "" for s in SLUGS}}],
        ["row 3: the theme cells are empty"],
    ),
    "same_as pointing nowhere": (
        lambda rows: [rows[0], {**rows[1], **{s: "" for s in SLUGS}, "same_as": "9"}],
        ["row 3: same_as 9 but no row has item 9"],
    ),
    "same answer, different themes": (
        lambda rows: [rows[0], {**rows[1], "text": rows[0]["text"].lower()}],
        ["rows 2 and 3 hold the same answer with different themes"],
    ),
}


@pytest.mark.parametrize("problem", list(BAD_SHEETS))
def test_bad_sheet_is_refused_and_labels_untouched(problem, labels_copy, tmp_path):
    good = _sheet(tmp_path / "good.csv", [_row("Een eerste antwoord", "lobby", item="1"), _row("Tweede antwoord", "netwerk", item="2")])
    ok("accept", good, "--labels", labels_copy)
    (backup,) = tmp_path.glob("labels.csv.*.bak")
    before, backup_bytes = labels_copy.read_bytes(), backup.read_bytes()

    change, parts = BAD_SHEETS[problem]
    rows = [_row("Nieuw antwoord een", "lobby", item="1"), _row("Nieuw antwoord twee", "netwerk", item="2")]
    bad = _sheet(tmp_path / "bad.csv", change(rows))
    message = refused(run("accept", bad, "--labels", labels_copy), "bad.csv: ", *parts)
    assert message.rstrip().endswith(f"Nothing merged; {labels_copy} is unchanged.")
    assert labels_copy.read_bytes() == before
    assert list(tmp_path.glob("labels.csv.*.bak")) == [backup] and backup.read_bytes() == backup_bytes


def test_bad_xlsx_cell_is_refused_with_its_row(handmade, labels_copy, tmp_path):
    sheet = tmp_path / "review.xlsx"
    ok("review", handmade, "-o", sheet)
    book = load_workbook(sheet)
    book["review"]["F4"] = "x"  # praktische_implementatie of the third row
    book.save(sheet)
    before = labels_copy.read_bytes()
    refused(run("accept", sheet, "--labels", labels_copy), "review.xlsx: row 4, column 'praktische_implementatie': 'x' is not 0 or 1")
    assert labels_copy.read_bytes() == before and not list(tmp_path.glob("*.bak"))


# --- suggest and check-labels ----------------------------------------------------------------


def test_suggest_picks_uncertain_varied_real_answers(work, model, labelled, tmp_path):
    sheet = tmp_path / "next.csv"
    out = ok("suggest", SAMPLE, "--model", model, "--text-col", "suggesties", "-n", "10", "-o", sheet).output
    assert "Suggested 10 answers" in out
    frame = read_table(sheet).frame
    assert len(frame) == 10 and set(frame["why"]) == {"suggested"}
    assert not any(is_non_answer(t) for t in frame["text"])
    simple = [simplify(t) for t in frame["text"]]
    assert not any(is_near_copy(a, b) for i, a in enumerate(simple) for b in simple[i + 1 :])
    source = read_table(labelled).frame
    scored = source[source["confidence"] != ""]
    confidence = dict(zip(scored["suggesties"], scored["confidence"].astype(float)))
    chosen = [confidence[t] for t in frame["text"]]
    unchosen = [c for t, c in confidence.items() if t not in set(frame["text"]) and not is_non_answer(t)]
    assert sum(chosen) / len(chosen) < sum(unchosen) / len(unchosen)  # less sure than the rest
    assert len(read_sheet(sheet, load_codebook(CODEBOOK))) == 10  # accept can read it back

    # answers already in the labels are skipped
    skip = tmp_path / "known.csv"
    pd.DataFrame({"text": frame["text"][:3], "themes": ""}).to_csv(skip, index=False)
    ok("suggest", SAMPLE, "--model", model, "--text-col", "suggesties", "-n", "10", "-o", tmp_path / "n2.csv", "--labels", skip)
    assert not set(read_table(tmp_path / "n2.csv").frame["text"]) & set(frame["text"][:3])


def test_pick_diverse_skips_near_copies_of_a_pick():
    texts = ["meer bijeenkomsten", "Meer bijeenkomsten!", "meer bijeenkomsten aub", "een nieuwsbrief"]
    assert pick_diverse(texts, [0.9, 0.9, 0.9, 0.2], 2, 0.5) == [0, 3]
    assert is_non_answer("N.v.t.") and is_non_answer("--") and not is_non_answer("Maatwerk")


def near_copy_conflicts(path: Path) -> list:
    labelled = load_labels([path], load_codebook(CODEBOOK))
    return [(i, j) for i, j, _ in near_copy_pairs(labelled.texts) if (labelled.y[i] != labelled.y[j]).any()]


def test_check_labels_lists_contradicting_near_copies_first_and_accept_reads_it(work, tmp_path):
    labels = tmp_path / "labels.csv"
    shutil.copy(work / "codebook.csv", tmp_path / "codebook.csv")
    frame = read_table(work / "labels.csv").frame
    extra = pd.DataFrame([
        {"id": "x1", "question": "suggesties", "text": "Lobby voor structurele financiering!", "themes": "lobby", "source": "t"},
        {"id": "x2", "question": "suggesties", "text": "lobby voor structureele financiering", "themes": "netwerk", "source": "t"},
    ])
    pd.concat([frame, extra]).to_csv(labels, index=False)
    sheet = tmp_path / "check.csv"
    assert len(near_copy_conflicts(labels)) == 1
    out = ok("check-labels", labels, "-o", sheet, "--embedder", "fake", "--folds", "2", "--features", "tfidf").output
    assert "Cross-validated 66 answers (2 folds)." in out and "1 near-copy pairs with different themes" in out
    check = read_table(sheet).frame
    assert check["origin"][:2].tolist() == ["labels.csv, row 66", "labels.csv, row 67"]
    assert "near-copy of labels.csv, row 67 with other themes" in check["why"][0]
    assert check["prefilled_themes"][:2].tolist() == ["lobby", "netwerk"]  # pre-filled with the labels

    ok("accept", sheet, "--labels", labels)  # unchanged sheet: nothing to do
    assert not list(tmp_path.glob("*.bak"))
    check.loc[1, SLUGS] = [str(v) for v in vector("lobby")]
    check.to_csv(sheet, index=False)
    out = ok("accept", sheet, "--labels", labels).output
    assert "updated 1" in out and "row 67 (x2): netwerk -> lobby" in out
    merged = read_table(labels).frame.set_index("id")
    assert merged.loc["x1", "themes"] == merged.loc["x2", "themes"] == "lobby"
    assert not near_copy_conflicts(labels)


def test_sheet_instructions_speak_the_codebook_language_and_lang_overrides(labelled, tmp_path):
    dutch, english = tmp_path / "nl.xlsx", tmp_path / "en.xlsx"
    ok("review", labelled, "-o", dutch)
    ok("review", labelled, "-o", english, "--lang", "en")
    nl_book, en_book = load_workbook(dutch), load_workbook(english)
    assert nl_book["instructions"]["A1"].value == "Zo kijkt u dit blad na"
    assert en_book["instructions"]["A1"].value == "How to review this sheet"
    assert "pgtext accept DIT-BESTAND" in " ".join(c.value for c in nl_book["instructions"]["A"])
    assert nl_book["review"].data_validations.dataValidation[0].error.startswith("Typ 1 als het thema")
    assert nl_book["review"]["D1"].comment.text.endswith("1 = van toepassing, 0 = niet.")
    assert [c.value for c in nl_book["review"][1]] == [c.value for c in en_book["review"][1]]  # accept reads the same columns
