"""pgtext report: counts, shares and intervals against hand-computed small files, quotes, outputs, chart."""

from __future__ import annotations

import math
import re
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_csv

from pgtext.cli import cli
from pgtext.errors import InputError
from pgtext.model.codebook import Codebook
from pgtext.reporting import counts as report_module
from pgtext.reporting.counts import (
    build_report,
    difference_interval,
    wave_names,
    wilson_interval,
)
from tests.fakes import card_only_model

THEMES = [
    {"slug": "alpha", "name": "Alfa thema", "description": "Alles over alfa."},
    {"slug": "beta", "name": "Bèta thema", "description": "Alles over bèta."},
]
BOOK = Codebook.from_list(THEMES)
LONG_HEADER = ["row", "respondent_id", "domein", "question", "text", "predicted_themes", "score_alpha", "score_beta", "confidence", "needs_review"]

# Five respondents (rows 2-6), two questions. Hand counts, all questions pooled (n = 5):
#   alpha: answers 3 (R1 q1, R1 q2, R4 q2); respondents 2 (R1, R4); confident 1 (R1); to review 1 (R4)
#   beta:  answers 2 (R1 q2, R2 q1);        respondents 2 (R1, R2); confident 1 (R2); to review 1 (R1)
# q1 only (n = 4: R1, R2, R3, R5): alpha 1 (R1, confident), beta 1 (R2, confident).
# By domein: zorg n = 2 (R1, R2): alpha 1, beta 2; welzijn n = 3 (R3, R4, R5): alpha 1, beta 0.
WAVE_2026 = [
    ["2", "R1", "zorg", "q1", "Meer alfa in de regio, graag een plan.", "alpha", "0.9", "0.1", "0.81", "false"],
    ["2", "R1", "zorg", "q2", "Alfa en bèta samen, dat zou helpen.", "alpha;beta", "0.6", "0.5", "0.3", "true"],
    ["3", "R2", "zorg", "q1", "Vooral bèta: structureel en voor de lange termijn.", "beta", "0.1", "0.95", "0.85", "false"],
    ["4", "R3", "welzijn", "q1", "Weet ik niet", "", "0.1", "0.1", "0.81", "false"],
    ["5", "R4", "welzijn", "q2", "Een beetje alfa misschien, bel Ingrid Kamphuis: 06-12345678.", "alpha", "0.55", "0.2", "0.44", "true"],
    ["6", "R5", "welzijn", "q1", "Niets aan toe te voegen, het gaat prima zo.", "", "0.05", "0.05", "0.9", "false"],
]
# The earlier wave: n = 4; alpha 1 respondent, beta 3.
WAVE_2025 = [
    ["2", "R1", "zorg", "q1", "Bèta is het belangrijkste voor ons.", "beta", "0.1", "0.9", "0.8", "false"],
    ["3", "R2", "zorg", "q1", "Graag alfa én bèta.", "alpha;beta", "0.8", "0.8", "0.7", "false"],
    ["4", "R3", "welzijn", "q2", "Bèta, bèta en nog eens bèta.", "beta", "0.2", "0.9", "0.8", "false"],
    ["5", "R4", "welzijn", "q1", "Geen idee eigenlijk.", "", "0.1", "0.1", "0.8", "false"],
]


def _write(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ";") -> Path:
    return write_csv(path, header, rows, delimiter=delimiter, encoding="utf-8-sig")


@pytest.fixture()
def card_dir(tmp_path) -> Path:
    return card_only_model(tmp_path / "model", THEMES)


@pytest.fixture()
def waves(tmp_path) -> dict[str, Path]:
    return {
        "2025": _write(tmp_path / "scan-2025-long.csv", LONG_HEADER, WAVE_2025),
        "2026": _write(tmp_path / "scan-2026-long.csv", LONG_HEADER, WAVE_2026),
    }


def _row(table, theme, group="all", wave=None):
    rows = table[(table["theme"] == theme) & (table["group"] == group)]
    if wave is not None:
        rows = rows[rows["wave"] == wave]
    assert len(rows) == 1
    return rows.iloc[0]


# --- intervals ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, Wilson score method without correction.
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_interval_matches_published_values(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_wilson_interval_by_hand_and_edge_cases():
    # 2 of 5: p = 0.4, z^2 = 3.8415; centre = (0.4 + 0.38415) / 1.76829; half = 1.96 * sqrt(0.048 + 0.038415) / 1.76829
    lo, hi = wilson_interval(2, 5)
    assert (round(lo, 4), round(hi, 4)) == (0.1176, 0.7693)
    assert wilson_interval(5, 5)[1] == 1.0
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10 (hybrid score).
    [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090), (6, 7, 2, 7, 0.0582, 0.8062), (5, 56, 0, 29, -0.0381, 0.1926)],
)
def test_difference_interval_matches_published_values(k1, n1, k2, n2, low, high):
    d, lo, hi = difference_interval(k1, n1, k2, n2)
    assert d == pytest.approx(k1 / n1 - k2 / n2)
    assert (lo, hi) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


# --- counts on hand-computed files -------------------------------------------------------------

def test_counts_and_shares_pooled_over_questions(waves):
    table = build_report([waves["2026"]], BOOK).table
    alpha, beta = _row(table, "alpha"), _row(table, "beta")
    assert (alpha["n"], alpha["answers"], alpha["respondents"]) == (5, 3, 2)
    assert (alpha["respondents_confident"], alpha["respondents_review"]) == (1, 1)
    assert (beta["n"], beta["answers"], beta["respondents"]) == (5, 2, 2)
    assert (beta["respondents_confident"], beta["respondents_review"]) == (1, 1)
    assert alpha["share"] == pytest.approx(0.4)
    assert (round(alpha["ci_low"], 4), round(alpha["ci_high"], 4)) == (0.1176, 0.7693)
    assert bool(alpha["small_n"]) is True
    assert list(table["theme"]) == ["alpha", "beta"]  # codebook order, names from the card
    assert list(table["theme_name"]) == ["Alfa thema", "Bèta thema"]


def test_one_question_counts_only_its_respondents(waves):
    result = build_report([waves["2026"]], BOOK, questions=["Q1"])  # case-insensitive, like --text-col
    assert result.questions == ["q1"]
    alpha, beta = _row(result.table, "alpha"), _row(result.table, "beta")
    assert (alpha["n"], alpha["respondents"], alpha["respondents_confident"]) == (4, 1, 1)
    assert (beta["n"], beta["respondents"], beta["share"]) == (4, 1, 0.25)


def test_by_group_counts_and_small_groups_are_flagged_not_hidden(waves):
    table = build_report([waves["2026"]], BOOK, by="domein", min_n=3).table
    assert list(dict.fromkeys(table["group"])) == ["all", "welzijn", "zorg"]  # largest group first
    assert (_row(table, "alpha", "zorg")["n"], _row(table, "alpha", "zorg")["respondents"]) == (2, 1)
    assert _row(table, "beta", "zorg")["respondents"] == 2
    assert (_row(table, "alpha", "welzijn")["n"], _row(table, "alpha", "welzijn")["respondents"]) == (3, 1)
    assert _row(table, "beta", "welzijn")["share"] == 0.0
    assert bool(_row(table, "alpha", "zorg")["small_n"]) and not bool(_row(table, "alpha", "welzijn")["small_n"])


def test_waves_from_files_with_change(waves):
    result = build_report([waves["2025"], waves["2026"]], BOOK)
    assert result.waves == ["2025", "2026"]
    beta_before, beta_now = _row(result.table, "beta", wave="2025"), _row(result.table, "beta", wave="2026")
    assert (beta_before["n"], beta_before["respondents"]) == (4, 3)
    assert math.isnan(beta_before["change"])
    d, lo, hi = difference_interval(2, 5, 3, 4)
    assert beta_now["change"] == pytest.approx(2 / 5 - 3 / 4) == pytest.approx(d)
    assert (beta_now["change_low"], beta_now["change_high"]) == (pytest.approx(lo), pytest.approx(hi))
    assert list(result.totals["respondents"]) == [4, 5]


def test_waves_from_a_column(tmp_path):
    rows = [r + ["2025"] for r in WAVE_2025] + [r + ["2026"] for r in WAVE_2026]
    path = _write(tmp_path / "both.csv", LONG_HEADER + ["jaar"], rows)
    result = build_report([path], BOOK, wave_col="jaar")
    assert result.waves == ["2025", "2026"]
    assert _row(result.table, "beta", wave="2025")["respondents"] == 3


def test_wide_file_counts_respondents_with_a_non_blank_answer(tmp_path):
    header = ["id", "suggesties", "predicted_themes", "score_alpha", "score_beta", "confidence", "needs_review"]
    rows = [
        ["1", "Alfa graag", "alpha", "0.9", "0.1", "0.8", "false"],
        ["2", "", "", "", "", "", "false"],
        ["3", "Bèta en alfa", "alpha;beta", "0.7", "0.8", "0.5", "true"],
        ["4", "  ", "", "", "", "", "false"],
    ]
    path = _write(tmp_path / "wide.csv", header, rows, delimiter=",")
    table = build_report([path], BOOK, text_col="suggesties").table
    assert (_row(table, "alpha")["n"], _row(table, "alpha")["respondents"], _row(table, "beta")["respondents"]) == (2, 2, 1)
    # without --text-col the one rule finds the column filled exactly where the scores are
    assert build_report([path], BOOK).table.equals(table)
    # two such columns: the user names one
    two = _write(tmp_path / "two.csv", [*header, "opmerking"], [[*r, "x" if r[5] else ""] for r in rows], delimiter=",")
    with pytest.raises(InputError, match="name it with --text-col"):
        build_report([two], BOOK)


def test_unlabelled_or_other_codebook_is_refused(tmp_path, waves):
    plain = _write(tmp_path / "plain.csv", ["text"], [["hallo"]])
    with pytest.raises(InputError, match="not a 'pgtext label' output"):
        build_report([plain], BOOK)
    other = Codebook.from_list(THEMES[:1] + [{"slug": "gamma", "name": "G", "description": ""}])
    with pytest.raises(InputError, match="give the --model that labelled this file"):
        build_report([waves["2026"]], other)


def test_wave_names_drop_shared_parts():
    assert wave_names([Path("out/2025-long.csv"), Path("out/2026-long.csv")]) == ["2025", "2026"]
    assert wave_names([Path("regioscan-2025.csv"), Path("regioscan-2026.csv")]) == ["2025", "2026"]
    assert wave_names([Path("a.csv")]) == ["a"]


# --- quotes ------------------------------------------------------------------------------------

def test_quotes_are_confident_masked_and_not_copies(tmp_path):
    rows = [
        ["2", "R1", "zorg", "q1", "Meer alfa in de regio, bel Ingrid Kamphuis op 06-12345678.", "alpha", "0.9", "0.1", "0.9", "false"],
        ["2", "R1", "zorg", "q2", "Meer alfa in de regio, bel Ingrid Kamphuis op 06-12345678!", "alpha", "0.9", "0.1", "0.9", "false"],
        ["3", "R2", "zorg", "q1", "Alfa voor alle gemeenten samen, met een plan.", "alpha", "0.8", "0.1", "0.8", "false"],
        ["4", "R3", "zorg", "q1", "Alfa maar nog onzeker wat precies bedoeld wordt.", "alpha", "0.5", "0.1", "0.4", "true"],
    ]
    path = _write(tmp_path / "q.csv", LONG_HEADER, rows)
    quotes = build_report([path], BOOK, quotes=5).quotes
    alpha = quotes[quotes["theme"] == "alpha"]["quote"].tolist()
    assert len(alpha) == 2  # the near-copy and the flagged answer are left out
    assert "Meer alfa in de regio, bel [naam] op [telefoon]." in alpha or "Meer alfa in de regio, bel [naam] op [telefoon]!" in alpha
    assert not any("Kamphuis" in q or "0612" in q.replace("-", "") for q in alpha)
    unmasked = build_report([path], BOOK, quotes=5, mask=False).quotes
    assert any("Ingrid Kamphuis" in q for q in unmasked["quote"])


# --- command line ------------------------------------------------------------------------------

def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_prints_table_and_writes_markdown(waves, card_dir, tmp_path):
    out = tmp_path / "report.md"
    result = _invoke("report", str(waves["2025"]), str(waves["2026"]), "--model", str(card_dir), "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Alfa thema" in result.output and "40% (12–77%)" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Themes in the open answers")
    assert "| Theme | Wave | n | Respondents | Share (95% CI) |" in text
    assert "| Alfa thema | 2025 | 4* | 1 | 25% (5–70%) |" in text
    assert "Kamphuis" not in text and "06-12345678" not in text  # flagged answers are never quoted


def test_cli_csv_is_one_tidy_table_and_xlsx_has_a_sheet_per_table(waves, card_dir, tmp_path):
    import pandas as pd

    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    args = ["report", str(waves["2025"]), str(waves["2026"]), "--model", str(card_dir), "--by", "domein"]
    assert _invoke(*args, "-o", str(csv_path)).exit_code == 0
    table = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert len(table) == 2 * 2 * 3  # waves x themes x (all + 2 groups)
    assert {"wave", "group", "theme", "n", "respondents", "share", "ci_low", "ci_high", "change"} <= set(table.columns)
    assert _invoke(*args, "-o", str(xlsx_path)).exit_code == 0
    with pd.ExcelFile(xlsx_path) as workbook:
        assert workbook.sheet_names == ["themes", "by domein", "totals", "quotes", "notes"]


def test_cli_chart_is_a_png_of_sensible_size(waves, card_dir, tmp_path):
    chart = tmp_path / "chart.png"
    result = _invoke("report", str(waves["2025"]), str(waves["2026"]), "--model", str(card_dir), "--chart", str(chart))
    assert result.exit_code == 0, result.output
    data = chart.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 1000 <= width <= 2400 and 500 <= height <= 2400
    assert 20_000 < len(data) < 2_000_000


def test_cli_refuses_existing_output_input_and_unknown_extension(waves, card_dir, tmp_path):
    base = ["report", str(waves["2026"]), "--model", str(card_dir)]
    existing = tmp_path / "exists.md"
    existing.write_text("old", encoding="utf-8")
    result = _invoke(*base, "-o", str(existing))
    assert result.exit_code == 1 and "already exists; choose another --output or add --force" in result.output
    assert existing.read_text(encoding="utf-8") == "old"
    assert _invoke(*base, "-o", str(existing), "--force").exit_code == 0
    result = _invoke(*base, "-o", str(waves["2026"]), "--force")
    assert result.exit_code == 1 and "is an input file" in result.output
    result = _invoke(*base, "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 1 and "--output must end in" in result.output
    result = _invoke(*base, "--chart", str(tmp_path / "c.jpg"))
    assert result.exit_code == 1 and "--chart must end in .pdf, .png or .svg." in result.output


def test_cli_unknown_by_column_names_the_columns(waves, card_dir):
    result = _invoke("report", str(waves["2026"]), "--model", str(card_dir), "--by", "gemeente")
    assert result.exit_code == 1
    assert "no column 'gemeente' (--by); columns here:" in result.output


def test_help_defaults_match_the_library():
    text = _invoke("report", "--help").output
    assert f"[default: {report_module.QUOTES}]" in text
    assert f"[default: {report_module.MIN_N}]" in re.sub(r"\s+", " ", text)
