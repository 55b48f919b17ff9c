"""Write the bad and messy input files of tests/corpus (run it again after changing a file here).

    python tests/corpus/make_corpus.py

Each file is small and written byte for byte as the tool that it imitates would; what
``pgtext`` must do with each one is in cases.csv, which test_corpus.py runs.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
from pgtext.model.codebook import Codebook  # noqa: E402  (the card's codebook hash, as pgtext computes it)

ANSWERS = [
    "Er zijn te weinig betaalbare huurwoningen voor starters.",
    "De bus rijdt maar één keer per uur.",
    "Sinds mijn vrouw is overleden zie ik bijna niemand meer.",
    "Geen opmerkingen.",
]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8", quoting=csv.QUOTE_MINIMAL,
              lineterminator: str = "\r\n") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def xlsx(name: str, sheets: dict[str, list[list[object]]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(HERE / name)


def ole_file(*streams: str) -> bytes:
    """The start of a Microsoft compound file: its signature, then directory entries naming its streams."""
    entries = b"".join(
        (name.encode("utf-16-le") + b"\x00\x00").ljust(64, b"\x00") + bytes([2 * len(name) + 2, 0]) + b"\x00" * 62
        for name in ("Root Entry", *streams)
    )
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + entries


def ods_bytes() -> bytes:
    """An OpenDocument spreadsheet as LibreOffice starts one: an uncompressed 'mimetype' member first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(zipfile.ZipInfo("content.xml"), "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def basic(header: list[str], column: list[str]) -> list[list[str]]:
    return [header, *[[f"R{i:02d}", answer] for i, answer in enumerate(column, 1)]]


def qualtrics_rows() -> list[list[str]]:
    return [
        ["StartDate", "EndDate", "Status", "ResponseId", "Q1", "Q2_TEXT"],
        ["Start Date", "End Date", "Response Type", "Response ID", "Hoe tevreden bent u?", "Wat kan er beter in uw gemeente?"],
        ['{"ImportId":"startDate","timeZone":"Europe/Amsterdam"}', '{"ImportId":"endDate","timeZone":"Europe/Amsterdam"}',
         '{"ImportId":"status"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}'],
        *[["2026-03-0%d 10:00:00" % i, "2026-03-0%d 10:05:00" % i, "IP Address", f"R_{i}abc", str(i), a]
          for i, a in enumerate(ANSWERS, 1)],
    ]


def main() -> None:
    for old in HERE.iterdir():
        if old.name not in ("make_corpus.py", "cases.csv", "README.md") and not old.name.startswith("."):
            shutil.rmtree(old) if old.is_dir() else old.unlink()

    # --- Messy but valid exports ---
    write("qualtrics.csv", csv_bytes(qualtrics_rows(), encoding="utf-8-sig"))
    xlsx("qualtrics.xlsx", {"Sheet0": qualtrics_rows()})
    rows = qualtrics_rows()
    write("qualtrics_import_ids_only.csv", csv_bytes([rows[0], rows[2], *rows[3:]]))
    write("limesurvey.csv", csv_bytes(
        [["id", "submitdate", "lastpage", "startlanguage", "G01Q01", "G01Q03[SQ001]", "G01Q03[SQ002]"],
         *[[str(i), "2026-03-01 10:00:00", "3", "nl", "A2", a, "" if i % 2 else "Meer groen."] for i, a in enumerate(ANSWERS, 1)]],
        quoting=csv.QUOTE_ALL))
    write("survalyzer.csv", csv_bytes(
        [["Respondent ID", "Q4 - Gemeente", "Q5 - Toelichting"], *[[f"{i}", "Enschede", a] for i, a in enumerate(ANSWERS, 1)]],
        delimiter=";", encoding="utf-8-sig"))
    write("header_with_line_break.csv", csv_bytes(
        [["respondent_id", "Q7\nWat kan beter?"], *[[f"R{i}", a] for i, a in enumerate(ANSWERS, 1)]], delimiter=";"))
    write("duplicate_columns.csv", csv_bytes(
        [["respondent_id", "toelichting", "toelichting"],
         *[[f"R{i}", f"Eerste vraag {i}.", a] for i, a in enumerate(ANSWERS, 1)]]))
    xlsx("several_sheets.xlsx", {
        "Info": [["Regioscan 2026"], ["Export van 1 maart"]],
        "Resultaten": [["respondent_id", "vraag1"], *[[f"R{i}", a] for i, a in enumerate(ANSWERS, 1)]],
    })
    write("cp1252.csv", csv_bytes(basic(["respondent_id", "vraag1"], [
        "Ideeën genoeg: woningen voor ouderen.", "Café en ontmoetingsplek, graag!", "Geïsoleerd sinds de buurtbus weg is — jammer.", "€ 5 per rit is te duur.",
    ]), delimiter=";", encoding="cp1252"))
    write("utf8_bom_semicolon.csv", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), delimiter=";", encoding="utf-8-sig"))
    write("utf8_no_bom_comma.csv", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), delimiter=",", encoding="utf-8"))
    write("tab_separated.csv", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), delimiter="\t"))
    write("excel_sep_line.csv", b"sep=;\r\n" + csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), delimiter=";"))
    write("quoted_line_breaks.csv", csv_bytes(basic(["respondent_id", "vraag1"], [
        "Eerste punt: meer woningen.\r\nTweede punt: de bus.", "Regel een\nregel twee\n\nregel vier", "Gewoon één regel.", '"Aanhalingstekens", zei ze; en dan;',
    ]), delimiter=";"))
    write("old_mac_line_ends.csv", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), lineterminator="\r"))
    write("nul_bytes.csv", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS)).replace(b"bus", b"b\x00us").replace(b"starters", b"start\x00\x00ers"))
    write("emoji.csv", csv_bytes(basic(["respondent_id", "vraag1"], [
        "Meer bankjes 🙏🏼 in het park", "De bus 🚌 is altijd te laat 😡", "👍", "Ouderen 👵🏽👴🏻 zijn eenzaam 💔",
    ]), encoding="utf-8"))
    long_answer = ("Er moeten meer betaalbare woningen komen en de bus moet vaker rijden. " * 1_500)[:100_000]
    write("long_answer.csv", csv_bytes(basic(["respondent_id", "vraag1"], [ANSWERS[0], long_answer, ANSWERS[1]])))
    write("numeric_answers.csv", csv_bytes(basic(["respondent_id", "vraag1"], ["1", "0", "06123", "-1", "+31 6 1234 5678", "1e3", "007"]), delimiter=";"))
    xlsx("excel_dates.xlsx", {"Blad1": [
        ["respondent_id", "ingevuld", "tijd", "cijfer", "vraag1"],
        [101, dt.datetime(2026, 3, 1), dt.time(9, 30), 7.5, ANSWERS[0]],
        [102, dt.datetime(2026, 3, 2, 14, 5), dt.time(16, 0), 8, dt.datetime(2026, 1, 31)],
        [103, dt.date(2026, 3, 3), None, 6.25, 1],
    ]})
    formula_answers = ["=HYPERLINK(\"http://voorbeeld.invalid\",\"klik\")", "+SUM(1;2)", "-2+3 is wat ik vind", "@SOM(A1)",
                       "\tMeer bussen", "- meer woningen", "-", "=1+1"]
    write("formula_answers.csv", csv_bytes(basic(["respondent_id", "vraag1"], formula_answers)))
    write("apostrophe_prefixed.csv", csv_bytes(basic(["respondent_id", "vraag1"], ["'=SOM(A1:A3)", "'-", "'Gewoon met apostrof"])))
    write("trailing_delimiters.csv", b"respondent_id;vraag1;;\r\nR1;Meer woningen.;;\r\nR2;De bus;;;\r\nR3;;;\r\n")
    write("short_rows.csv", b"respondent_id,gemeente,vraag1,vraag2\r\nR1,Enschede,Meer bussen\r\nR2,Hengelo\r\nR3,Almelo,,Meer huizen\r\n")
    write("all_answers_blank.csv", csv_bytes(basic(["respondent_id", "vraag1"], ["", "  ", ""])))
    write("utf16_unicode_text.txt", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), delimiter="\t", encoding="utf-16"))
    # a UTF-8 export with two answers pasted in from a cp1252 file
    write("mixed_encoding.csv", b"".join([
        "respondent_id;vraag1\r\nR1;Ideeën genoeg: woningen voor ouderen.\r\n".encode(),
        "R2;Café en ontmoetingsplek, graag!\r\n".encode("cp1252"),
        "R3;Geïsoleerd sinds de buurtbus weg is 😡\r\n".encode(),
        "R4;€ 5 per rit is te duur.\r\n".encode("cp1252"),
    ]))
    write("invisible_in_header.csv", csv_bytes(basic(["respondent_id", "\u200bvraag1\u00a0"], ANSWERS), encoding="utf-8-sig"))
    write("ambiguous_columns.csv", csv_bytes(
        [["respondent_id", "Toelichting", "toelichting"], *[[f"R{i}", a, "Nee."] for i, a in enumerate(ANSWERS, 1)]]))
    write("spaces_around_names.csv", csv_bytes(basic([" respondent_id ", "  vraag1 "], ANSWERS)))

    # --- Invalid input ---
    write("empty.csv", b"")
    write("only_blank_lines.csv", b"\r\n\r\n   \r\n")
    write("header_only.csv", "respondent_id;gemeente;vraag1\r\n".encode("utf-8-sig"))
    write("no_text_column.csv", csv_bytes([["respondent_id", "gemeente"], ["R1", "Enschede"], ["R2", "Hengelo"]]))
    write("png_renamed.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    write("xlsx_renamed.csv", buffer.getvalue())
    write("binary_with_nuls.csv", b"\x07\x00\x00\x00\x2a\x00\x00\x00" * 256)
    write("binary_no_nuls.csv", bytes(range(1, 9)) * 300 + b"\x0e\x0f\x10\x11\x12\x13\x14" * 200)
    write("damaged.xlsx", b"PK\x03\x04 dit is geen excel meer, de download brak af")
    write("old_excel.xls", ole_file("Workbook"))
    write("old_excel_renamed.xlsx", ole_file("Workbook"))  # "saved as .xlsx" by renaming
    write("password_protected.xlsx", ole_file("EncryptedPackage", "EncryptionInfo"))  # what Excel writes
    write("opendocument.ods", ods_bytes())
    write("opendocument_renamed.xlsx", ods_bytes())
    write("csv_renamed.xlsx", csv_bytes(basic(["respondent_id", "vraag1"], ANSWERS), delimiter=";", encoding="utf-8-sig"))
    write("spss.sav", b"$FL2@(#) IBM SPSS STATISTICS 64-bit MS Windows 27.0.0.0" + b"\x00" * 200)
    write("damaged.sav", b"$FL2 dit is geen spss-bestand meer, de download brak af")
    write("delimiter_in_answer.csv", b"respondent_id;vraag1\r\nR1;Meer woningen.\r\nR2;Twee dingen; de bus en de trein.\r\n")
    xlsx("empty_sheet.xlsx", {"Blad1": []})
    write("ragged.csv", b"respondent_id,vraag1\r\nR1,Meer bussen\r\nR2,Meer huizen,extra,velden\r\n")
    write("unclosed_quote.csv", b'respondent_id,vraag1\r\nR1,"Meer bussen\r\nR2,Meer huizen\r\nR3,Meer bankjes\r\n')
    write("unknown_encoding.csv", b"respondent_id,vraag1\r\nR1,\x81\x8d\x8f\r\n")

    # --- Training labels ---
    labels = [["id", "text", "themes"], ["a1", "Meer huizen voor starters.", "wonen"], ["a2", "De bus is te laat.", "vervoer"]]
    write("labels_unknown_theme.csv", csv_bytes([*labels, ["a3", "Ouderen zijn eenzaam.", "wonen;ouderen"]]))
    write("labels_contradictory.csv", csv_bytes([*labels, ["a3", "de bus is  te laat.", "wonen"]]))
    write("labels_no_text_column.csv", csv_bytes([["id", "opmerking", "themes"], ["a1", "Meer huizen.", "wonen"]]))
    write("labels_bad_01.csv", csv_bytes([["text", "wonen", "vervoer", "eenzaamheid"], ["Meer huizen.", "1", "0", "0"], ["De bus.", "0", "2", "0"]]))

    # --- Labelled output with formula-like answers (for review and report) ---
    header = ["respondent_id", "vraag1", "predicted_themes", "score_wonen", "score_vervoer", "score_eenzaamheid", "confidence", "needs_review"]
    write("labelled_formulas.csv", csv_bytes([
        header,
        ["R1", "'=HYPERLINK(\"http://voorbeeld.invalid\",\"klik\")", "wonen", "0.91", "0.1", "0.05", "0.6", "true"],
        ["R2", "'+31 6 1234 5678 bel me", "vervoer", "0.1", "0.55", "0.05", "0.5", "true"],
        ["R3", "'@iedereen: meer bussen", "vervoer", "0.2", "0.93", "0.1", "0.9", "false"],
        ["R4", "Meer huizen voor starters.", "wonen", "0.95", "0.1", "0.05", "0.93", "false"],
    ]))

    # --- Every row out once, numbered as the spreadsheet shows it ---
    # Blank lines (rows 3, 5 and 6 in Excel) and a quoted line break (row 7 holds two lines).
    write("blank_lines_inside.csv",
          b'respondent_id;vraag1;vraag2\r\nR1;Meer woningen.;De bus.\r\n\r\nR2;;Meer bankjes.\r\n\r\n\r\nR3;"Twee\r\nregels";\r\n')
    # One column: a blank answer is a quoted "" or spaces, never a line to drop.
    write("blank_answers_one_column.csv", b'vraag1\r\nMeer woningen.\r\n""\r\n   \r\n""\r\nDe bus.\r\n')
    # Written by a script: formulas without a stored value (Excel stores one when it saves), and a
    # blank row above the column names.
    book = Workbook()
    sheet = book.active
    sheet.title = "Blad1"
    for row in ([], ["respondent_id", "vraag1"], ["R1", ANSWERS[0]], ["R2", '=CONCAT("Meer ","bussen.")'],
                ["R3", ANSWERS[1]], ["R4", '=A6&" zegt: meer bankjes."']):
        sheet.append(row)
    book.save(HERE / "formulas_without_value.xlsx")

    # --- Folders an output must never replace ---
    (HERE / "labels_folder").mkdir()
    shutil.copy(HERE / "labels_unknown_theme.csv", HERE / "labels_folder" / "labels.csv")
    (HERE / "labels_folder" / "codebook.csv").write_bytes(csv_bytes(
        [["slug", "name", "description"], *[[s, s.capitalize(), ""] for s in ("wonen", "vervoer", "eenzaamheid")]]))
    (HERE / "labels_folder" / "notities.txt").write_text("Wie codeert wat: AB de eerste 200.\n", encoding="utf-8")

    # --- Model folders that cannot be used ---
    themes = [{"slug": s, "name": s.capitalize(), "description": ""} for s in ("wonen", "vervoer", "eenzaamheid")]
    card = {
        "format": 2, "pgtext_version": "0.1.0", "codebook": {"themes": themes, "sha256": Codebook.from_list(themes).sha256},
        "embedder": {"name": "fake", "id": "fake-hash-64", "dimension": 64},
        "thresholds": {"wonen": 0.5, "vervoer": 0.5, "eenzaamheid": 0.5},
        "files": {"head.json": "0" * 64, "head.npz": "0" * 64},
    }
    folders = {
        "model_incomplete": {"model_card.json": json.dumps(card, indent=2)},
        "model_old_version": {"model_card.json": json.dumps({**card, "format": 1, "pgtext_version": "0.0.9"}, indent=2),
                              "model.joblib": "(a pickled model of an old pgtext; never loaded)"},
        "model_damaged_card": {"model_card.json": json.dumps(card, indent=2)[:200]},
        "model_card_missing_keys": {"model_card.json": json.dumps({k: v for k, v in card.items() if k != "embedder"}, indent=2)},
        "model_no_card": {"head.json": "{}"},
    }
    for folder, files in folders.items():
        (HERE / folder).mkdir()
        for name, text in files.items():
            (HERE / folder / name).write_text(text + "\n", encoding="utf-8")
    model_folders(card)


def model_folders(card: dict) -> None:
    """A complete model made by hand (TF-IDF only, fake embedder), and that model as someone hostile edits it.

    The hostile folders have their hashes recomputed, so what refuses them is the check of
    their values, not the hash. What each must do is in cases.csv.
    """
    card = {**card, "features": "tfidf", "review": {"min_confidence": 0.5, "borderline_margin": 0.05}}
    settings = {"analyzer": "word", "lowercase": True, "ngram_range": [1, 1], "norm": "l2", "smooth_idf": True,
                "strip_accents": "unicode", "sublinear_tf": True, "token_pattern": r"(?u)\b\w\w+\b", "use_idf": True}
    words = ["huurwoningen", "woningen", "bus", "rijdt", "niemand", "overleden"]
    spec = {"kind": "linear", "embedding_weight": None, "embedding_dimension": 64,
            "blocks": [{"name": "word", "settings": settings, "weight": 1.0, "vocabulary": {w: i for i, w in enumerate(words)}}]}
    arrays = {"coef": np.kron(np.eye(3), np.full((1, 2), 4.0)), "intercept": np.full(3, -1.5), "idf_word": np.full(6, 2.0)}

    def edited(change_spec=None, change_arrays=None, change_card=None, raw_spec=None):
        s, a, c = copy.deepcopy(spec), copy.deepcopy(arrays), copy.deepcopy(card)
        for change, value in ((change_spec, s), (change_arrays, a), (change_card, c)):
            if change:
                change(value)
        return (raw_spec(json.dumps(s)) if raw_spec else json.dumps(s)), a, c

    def setting(key, value):
        return lambda s: s["blocks"][0]["settings"].__setitem__(key, value)

    def vocabulary(word, index):
        return lambda s: s["blocks"][0]["vocabulary"].__setitem__(word, index)

    def with_object_array(a):
        a["idf_word"] = np.array([2.0, "een regel code"] * 3, dtype=object)

    variants = {
        "model_handmade": edited(),
        "model_tfidf_input_filename": edited(setting("input", "filename")),
        "model_tfidf_catastrophic_pattern": edited(setting("token_pattern", "(a|aa)+$")),
        "model_tfidf_analyzer_code": edited(setting("analyzer", "__import__('os').system")),
        "model_tfidf_huge_ngram": edited(setting("ngram_range", [1, 1_000_000])),
        "model_head_unknown_key": edited(lambda s: s.__setitem__("preprocessor", "builtins.open")),
        "model_vocabulary_huge_index": edited(vocabulary("bus", 10**12)),
        "model_vocabulary_duplicate_index": edited(vocabulary("bus", 0)),
        "model_idf_wrong_shape": edited(change_arrays=lambda a: a.__setitem__("idf_word", np.full(5, 2.0))),
        "model_nan_weights": edited(change_arrays=lambda a: a["coef"].__setitem__((1, 2), np.nan)),
        "model_json_nan": edited(raw_spec=lambda text: text.replace('"weight": 1.0', '"weight": NaN')),
        "model_npz_object_array": edited(change_arrays=with_object_array),
        "model_duplicate_slugs": edited(change_card=lambda c: c["codebook"]["themes"][2].__setitem__("slug", "wonen")),
        "model_threshold_out_of_range": edited(change_card=lambda c: c["thresholds"].__setitem__("vervoer", 1.5)),
        "model_coef_rows_vs_themes": edited(change_arrays=lambda a: a.update(coef=a["coef"][:2], intercept=a["intercept"][:2])),
        "model_embedder_id_not_its_name": edited(change_card=lambda c: c["embedder"].update(name="iemand/model")),
        "model_theme_name_escape": edited(change_card=lambda c: c["codebook"]["themes"][0].__setitem__("name", "Wonen\x1b]52;c;Y2xpcA==\x07")),
    }
    for folder, (spec_text, folder_arrays, folder_card) in variants.items():
        (HERE / folder).mkdir()
        (HERE / folder / "head.json").write_text(spec_text, encoding="utf-8")
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=True, **folder_arrays)
        (HERE / folder / "head.npz").write_bytes(buffer.getvalue())
        if "codebook" in folder_card:  # the card's own hash follows its (edited) themes, as a careful forger's would
            folder_card["codebook"]["sha256"] = Codebook.from_list(folder_card["codebook"]["themes"]).sha256
        folder_card["files"] = {name: hashlib.sha256((HERE / folder / name).read_bytes()).hexdigest() for name in ("head.json", "head.npz")}
        (HERE / folder / "model_card.json").write_text(json.dumps(folder_card, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
