"""Published outputs in the codebook's language: the Word report, Dutch tables and numbers, chart panels per group."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from docx import Document
from matplotlib.colors import to_rgba
from test_report import LONG_HEADER, THEMES, WAVE_2025, WAVE_2026, _write

from pgtext.cli import cli
from pgtext.i18n import STRINGS, number, percent, signed
from pgtext.model.codebook import Codebook
from pgtext.reporting.charts import report_figure, share_figure
from pgtext.reporting.counts import build_report
from pgtext.reporting.render import change_cell, report_markdown, share_cell
from tests.fakes import card_only_model

BOOK = Codebook.from_list(THEMES)  # no language given: Dutch
CV = {
    "macro_f1": 0.8517, "micro": {"precision": 0.8667, "recall": 0.8337, "f1": 0.85}, "n": 1470, "folds": 5,
    "review": {"accepted_share": 0.2575, "accepted_exact_accuracy": 0.9421},
}


@pytest.fixture()
def card_dir(tmp_path) -> Path:
    return card_only_model(tmp_path / "model", THEMES, pgtext_version="0.1.0", cv=CV)


@pytest.fixture()
def waves(tmp_path) -> list[Path]:
    return [_write(tmp_path / "scan-2025-long.csv", LONG_HEADER, WAVE_2025), _write(tmp_path / "scan-2026-long.csv", LONG_HEADER, WAVE_2026)]


def _invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_word_report_has_the_tables_the_chart_the_quotes_and_the_method(waves, card_dir, tmp_path):
    out = tmp_path / "out" / "rapport.docx"
    result = _invoke("report", *waves, "--model", card_dir, "--by", "domein", "-o", out)
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    headers = [[c.text for c in table.rows[0].cells] for table in doc.tables]
    counts_header = ["Thema", "Meting", "n", "Respondenten", "Aandeel (95%-BI)", "Zeker", "Na te kijken", "Antwoorden", "Verschil (95%-BI)"]
    assert headers.count(counts_header) == 3  # all respondents, zorg, welzijn
    assert all(t.style.name == "Table Grid" for t in doc.tables)
    first = doc.tables[1]
    assert [c.text for c in first.rows[1].cells][:5] == ["Alfa thema", "2025", "4*", "1", "25% (5–70%)"]
    assert len(doc.inline_shapes) == 1  # the chart
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Quote", "Caption"} <= styles
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert "Meer alfa in de regio, graag een plan. — q1" in quotes
    assert "Vooral bèta: structureel en voor de lange termijn. — q1" in quotes
    assert not any("Kamphuis" in q for q in quotes)  # flagged answers are never quoted
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Thema's in de open antwoorden" in text and "Citaten (2026)" in text and "Methode" in text
    assert "2025: n = 4, 2026: n = 5" in text
    assert "kruisvalidatie op 1.470 met de hand gecodeerde antwoorden: gemiddelde F1 over de thema's 0,85" in text
    assert "(precisie 0,87, recall 0,83); 26% van de antwoorden is niet gemarkeerd, en daarvan had 94% precies" in text


def test_word_report_in_english_with_lang(waves, card_dir, tmp_path):
    out = tmp_path / "report.docx"
    assert _invoke("report", *waves, "--model", card_dir, "-o", out, "--lang", "en", "--title", "Regioscan").exit_code == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "Regioscan" and doc.paragraphs[0].style.name == "Title"
    assert [c.text for c in doc.tables[1].rows[0].cells][:3] == ["Theme", "Wave", "n"]
    assert "mean F1 over the themes 0.85 (precision 0.87, recall 0.83)" in "\n".join(p.text for p in doc.paragraphs)


def test_dutch_markdown_and_terminal(waves, card_dir, tmp_path):
    out = tmp_path / "rapport.md"
    result = _invoke("report", *waves, "--model", card_dir, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Thema's in de open antwoorden\n\nVragen: alle 2 open vragen (q1, q2).")
    assert "| Thema | Meting | n | Respondenten | Aandeel (95%-BI) | Zeker | Na te kijken | Antwoorden | Verschil (95%-BI) |" in text
    assert "| Alfa thema | 2025 | 4* | 1 | 25% (5–70%) |" in text
    assert "n onder 30 is gemarkeerd met *: alleen indicatief." in text
    assert "Aandeel (95%-BI)" in result.stdout and "Share" not in result.stdout


def test_dutch_number_formats():
    assert number(1234, "nl") == "1.234" and number(1234, "en") == "1,234"
    assert percent(0.125, "nl", 1) == "12,5%" and percent(0.125, "en", 1) == "12.5%"
    assert signed(-0.4, "nl", 1) == "−0,4" and signed(12, "nl") == "+12"
    row = pd.Series({"n": 1234, "share": 0.126, "ci_low": 0.107, "ci_high": 0.146, "change": 0.1, "change_low": 0.004, "change_high": 0.2})
    assert share_cell(row, "nl") == "13% (11–15%)"
    assert change_cell(row, "nl") == "+10 pp (+0,4 tot +20)"
    assert change_cell(row, "en") == "+10 pp (+0.4 to +20)"


def test_every_string_exists_in_both_languages():
    assert STRINGS["nl"].keys() == STRINGS["en"].keys()


def _texts(fig) -> list[str]:
    found = [t.get_text() for t in fig.texts] + [fig._suptitle.get_text(), fig._supxlabel.get_text()]
    for ax in fig.axes:
        found += [ax.get_title(loc="left"), ax.get_xlabel(), *(t.get_text() for t in ax.texts)]
        found += [t.get_text() for t in ax.get_yticklabels()]
        legend = ax.get_legend()
        if legend:
            found += [t.get_text() for t in legend.get_texts()]
    return [line for text in found for line in text.split("\n")]


def test_chart_has_a_panel_per_group_in_dutch_and_reads_in_grey(waves):
    result = build_report(waves, BOOK, by="domein")
    fig = report_figure(result)
    assert len(fig.axes) == 3  # all respondents, zorg, welzijn
    texts = _texts(fig)
    assert "Aandeel respondenten per thema" in texts
    assert "Alle respondenten (2025: n = 4*, 2026: n = 5*)" in texts
    assert "zorg (2025: n = 2*, 2026: n = 2*)" in texts and "welzijn (2025: n = 2*, 2026: n = 3*)" in texts
    assert "respondenten met het thema, van wie antwoordde (lijnen: 95%-betrouwbaarheidsinterval)" in texts
    assert "* n < 30: alleen indicatief" in " ".join(texts)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["2025", "2026"]
    assert fig.axes[0].get_xlim() == fig.axes[2].get_xlim()  # a shared axis
    hatches = set()
    for ax in fig.axes:
        for patch in ax.patches:
            r, g, b, _ = to_rgba(patch.get_facecolor())
            assert r == pytest.approx(g) == pytest.approx(b)  # grey tones only
            hatches.add(patch.get_hatch())
    assert len(hatches) == 2  # the waves differ by hatch too


def test_chart_numbers_follow_the_language():
    table = pd.DataFrame({
        "wave": ["2026"] * 2, "group": ["all"] * 2, "theme": ["alpha", "beta"], "n": [1234, 1234],
        "share": [0.5, 0.25], "ci_low": [0.47, 0.23], "ci_high": [0.53, 0.27], "small_n": [False, False],
    })
    dutch = _texts(share_figure(table, BOOK, ["2026"]))
    assert "Alle respondenten (n = 1.234)" in dutch and "50%" in dutch
    english = _texts(share_figure(table, dataclasses.replace(BOOK, language="en"), ["2026"]))
    assert "All respondents (n = 1,234)" in english and "Share of respondents per theme" in english


def test_markdown_title_follows_codebook_language(waves):
    result = build_report(waves, dataclasses.replace(BOOK, language="en"))
    assert report_markdown(result).startswith("# Themes in the open answers")
