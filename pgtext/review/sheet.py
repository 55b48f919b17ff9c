"""The review-sheet format: one row per answer, one 0/1 column per theme.

Written for people who work in Excel (edit cells marked yellow, 0/1 enforced by data
validation, the codebook on a second sheet) or as CSV, and read back strictly: an
unknown column, a value other than 0/1 or a missing text is refused with the row
named, so a bad sheet never reaches the labels.

Near-copies are grouped: the first row of a group carries the decision, the others
have empty theme cells and ``same_as`` = that row's item number, and follow it
unless someone fills in their own 0/1 cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext.errors import InputError, OutputError
from pgtext.files.safe_cells import for_xlsx, protect_workbook
from pgtext.files.tables import (
    XLSX_SUFFIXES,
    atomic_write,
    output_kind,
    read_table,
    write_table,
)
from pgtext.i18n import t
from pgtext.label.prediction import CONFIDENCE, SCORE_PREFIX
from pgtext.model.codebook import Codebook
from pgtext.model.labels import format_themes, normalise_text
from pgtext.text.similarity import group_near_copies

ITEM = "item"
SAME_AS = "same_as"
TEXT = "text"
NOTE = "note"
REVIEWER = "reviewer"
WHY = "why"
PREFILLED = "prefilled_themes"
#: Optional columns that say where an answer came from; accept uses question and id for new labels.
CONTEXT = ("question", "id", "row", "origin")
FIXED = (ITEM, SAME_AS, TEXT, NOTE, REVIEWER, CONFIDENCE, WHY, PREFILLED, *CONTEXT)

SHEET = "review"
CODEBOOK_SHEET = "codebook"
HELP_SHEET = "instructions"
_MAX_LISTED = 8


class SheetError(InputError):
    """A reviewed sheet that cannot be merged as it is."""


@dataclass
class Decision:
    """One reviewed answer: the themes a person settled on (codebook order)."""

    row: int  # spreadsheet row in the sheet; the header is row 1
    text: str
    themes: tuple[int, ...]
    prefilled: tuple[int, ...] | None  # what the sheet offered; None when the sheet does not say
    reviewer: str = ""
    note: str = ""
    why: str = ""
    question: str = ""
    id: str = ""
    item: str = ""  # the sheet's own row number, which same_as refers to
    follows: int | None = None  # sheet row whose decision this near-copy took
    untouched: bool = False  # still the sheet's pre-filled themes, and nobody signed or noted it

    @property
    def marked(self) -> bool:
        """A reviewer left a trace on the row itself (initials or a note)."""
        return bool(self.reviewer or self.note)


def build_sheet(
    texts: list[str],
    prefill: np.ndarray,
    codebook: Codebook,
    *,
    order: list[int] | None = None,
    scores: np.ndarray | None = None,
    confidence: np.ndarray | None = None,
    why: list[str] | None = None,
    context: dict[str, list] | None = None,
    group: bool = True,
) -> pd.DataFrame:
    """The sheet as a table: rows in ``order`` (indices into ``texts``), near-copies under their lead.

    Near-copies are grouped only within the same ``why`` (an audit row never follows a flagged one).
    """
    slugs = codebook.slugs
    clash = sorted(set(slugs) & set(FIXED))
    if clash:
        raise InputError(f"theme slug(s) {', '.join(clash)} clash with review-sheet columns; rename them in the codebook.")
    order = list(range(len(texts))) if order is None else list(order)
    why = why or [""] * len(texts)
    lead = {i: i for i in order}
    if group:
        for category in dict.fromkeys(why[i] for i in order):
            members = [i for i in order if why[i] == category]
            leads = group_near_copies([texts[i] for i in members], list(range(len(members))))
            for k, i in enumerate(members):
                lead[i] = members[leads[k]]
    followers: dict[int, list[int]] = {}
    for i in order:
        if lead[i] != i:
            followers.setdefault(lead[i], []).append(i)
    sequence = [j for i in order if lead[i] == i for j in (i, *followers.get(i, []))]
    item = {i: n for n, i in enumerate(sequence, start=1)}

    columns = [ITEM, SAME_AS, TEXT, *slugs, NOTE, REVIEWER]
    if scores is not None:
        columns += [SCORE_PREFIX + s for s in slugs]
    if confidence is not None:
        columns.append(CONFIDENCE)
    columns += [WHY, *(context or {}), PREFILLED]
    rows = []
    for i in sequence:
        follower = lead[i] != i
        row: dict[str, object] = {ITEM: item[i], SAME_AS: item[lead[i]] if follower else "", TEXT: texts[i]}
        row.update({slug: "" if follower else int(prefill[i][k]) for k, slug in enumerate(slugs)})
        row.update({NOTE: "", REVIEWER: "", WHY: why[i], PREFILLED: format_themes(prefill[i], slugs)})
        if scores is not None:
            row.update({SCORE_PREFIX + s: round(float(scores[i][k]), 2) for k, s in enumerate(slugs)})
        if confidence is not None:
            row[CONFIDENCE] = round(float(confidence[i]), 2)
        for name, values in (context or {}).items():
            row[name] = values[i]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def check_sheet_path(path: str | Path) -> Path:
    """A review sheet is .xlsx (for Excel) or .csv; refuse other outputs before any work is done."""
    if output_kind(path) not in ("csv", "xlsx"):
        raise OutputError(f"{path}: a review sheet must be .xlsx (for Excel) or .csv; choose another --output.")
    return Path(path)


def write_sheet(
    frame: pd.DataFrame, path: str | Path, codebook: Codebook, delimiter: str = ",", replace: bool = False,
    lang: str | None = None,
) -> None:
    """Write atomically: .xlsx with marked, validated cells, the codebook and instructions in ``lang``
    (default: the codebook's language); .csv as plain rows. Column names stay as they are: accept reads them."""
    path = Path(path)
    if output_kind(path) == "csv":
        write_table(frame, path, delimiter=delimiter, replace=replace)
    else:
        ready = for_xlsx(frame, str(path))
        atomic_write(path, lambda tmp: _workbook(ready, codebook, lang or codebook.language).save(tmp), replace=replace)


def _cell(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return None if value == "" else value


def _workbook(frame: pd.DataFrame, codebook: Codebook, lang: str):
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    columns = list(frame.columns)
    ws.append(columns)
    for record in frame.itertuples(index=False):
        ws.append([_cell(v) for v in record])
    last = max(ws.max_row, 2)
    letter = {c: get_column_letter(k) for k, c in enumerate(columns, start=1)}
    themes = {t.slug: t for t in codebook.themes}
    edit_fill, edit_head = PatternFill("solid", fgColor="FFF2CC"), PatternFill("solid", fgColor="FFD966")
    for k, column in enumerate(columns, start=1):
        head = ws.cell(row=1, column=k)
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, vertical="top")
        editable = column in themes or column in (NOTE, REVIEWER)
        if editable:
            head.fill = edit_head
            for row in range(2, ws.max_row + 1):
                ws.cell(row=row, column=k).fill = edit_fill
        if column in themes:
            theme = themes[column]
            head.comment = Comment(f"{theme.name}\n\n{theme.description}\n\n{t(lang, 'sheet.applies')}", "pgtext", 200, 400)
            for row in range(2, ws.max_row + 1):
                ws.cell(row=row, column=k).alignment = Alignment(horizontal="center")
        if column == TEXT:
            for row in range(2, ws.max_row + 1):
                ws.cell(row=row, column=k).alignment = Alignment(wrap_text=True, vertical="top")
        if column.startswith(SCORE_PREFIX) or column == CONFIDENCE:
            for row in range(2, ws.max_row + 1):
                ws.cell(row=row, column=k).number_format = "0.00"
        width = {TEXT: 70, NOTE: 30, REVIEWER: 10, ITEM: 6, SAME_AS: 8, WHY: 14, PREFILLED: 30}.get(column)
        ws.column_dimensions[letter[column]].width = width or min(max(len(column) + 2, 8), 26)
    slugs = [c for c in columns if c in themes]
    if slugs:
        check = DataValidation(
            type="list", formula1='"0,1"', allow_blank=True, showErrorMessage=True,
            errorTitle=t(lang, "sheet.zero_one"), error=t(lang, "sheet.zero_one_error"),
        )
        check.add(f"{letter[slugs[0]]}2:{letter[slugs[-1]]}{last}")
        ws.add_data_validation(check)
    scored = [c for c in columns if c.startswith(SCORE_PREFIX)]
    if scored:
        scale = ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=1, end_color="63BE7B")
        ws.conditional_formatting.add(f"{letter[scored[0]]}2:{letter[scored[-1]]}{last}", scale)
    if PREFILLED in letter:  # bookkeeping for accept; hidden so a blind audit stays blind
        ws.column_dimensions[letter[PREFILLED]].hidden = True
    ws.freeze_panes = f"{letter[slugs[0]]}2" if slugs else "A2"
    ws.auto_filter.ref = ws.dimensions

    sheet = book.create_sheet(CODEBOOK_SHEET)
    sheet.append(["slug", "name", "description"])
    for theme in codebook.themes:
        sheet.append([theme.slug, theme.name, theme.description])
    for col, width in zip("ABC", (26, 45, 100)):
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    help_sheet = book.create_sheet(HELP_SHEET)
    for line in instructions(lang):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 120
    protect_workbook(book)  # answers and notes that start like a formula stay text
    return book


def instructions(lang: str = "en") -> list[str]:
    """The lines of the 'instructions' sheet."""
    return t(lang, "sheet.instructions").split("\n")


def read_sheet(
    path: str | Path,
    codebook: Codebook,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> list[Decision]:
    """Read a reviewed sheet (xlsx or csv) into decisions; refuse anything ambiguous, naming the row.

    An .xlsx is read from ``sheet``, else from the review sheet pgtext wrote, else the first.
    """
    path = Path(path)
    if sheet is None and path.suffix.lower() in XLSX_SUFFIXES and path.exists():
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True)
            sheet = SHEET if SHEET in book.sheetnames else None
            book.close()
        except Exception:  # read_table below names the damage
            pass
    frame = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet).frame
    name = path.name
    theme_columns = _theme_columns(frame, codebook, name)
    lookup = {str(c).casefold(): c for c in frame.columns}

    def get(record: dict, column: str) -> str:
        return str(record[lookup[column]]).strip() if column in lookup else ""

    problems: list[str] = []
    decisions: list[Decision] = []
    pending: dict[int, str] = {}  # position -> item it follows
    for i, record in zip((frame.index + 2).tolist(), frame.to_dict("records")):  # spreadsheet rows
        if not any(str(v).strip() for v in record.values()):
            continue  # an emptied row
        text = str(record[lookup[TEXT]])
        if not text.strip():
            problems.append(f"row {i}: no text; every row needs the answer it decides on")
        cells = [str(record[theme_columns[s]]).strip() for s in codebook.slugs]
        for slug, value in zip(codebook.slugs, cells):
            if value not in ("0", "1", ""):
                problems.append(f"row {i}, column {theme_columns[slug]!r}: {value!r} is not 0 or 1")
        empty = [theme_columns[s] for s, v in zip(codebook.slugs, cells) if v == ""]
        themes: tuple[int, ...] = ()
        if not empty:
            themes = tuple(1 if v == "1" else 0 for v in cells)
        elif len(empty) < len(cells):
            problems.append(f"row {i}: empty cell(s) in {', '.join(repr(c) for c in empty)}; put 0 or 1 in each")
        elif get(record, SAME_AS):
            pending[len(decisions)] = get(record, SAME_AS)
        else:
            problems.append(f"row {i}: the theme cells are empty; put 0 or 1 in each")
        prefilled, bad = _parse_themes(get(record, PREFILLED), codebook) if PREFILLED in lookup else (None, [])
        problems.extend(f"row {i}, column {PREFILLED!r}: unknown theme {t!r}" for t in bad)
        decision = Decision(
            row=i, text=text, themes=themes, prefilled=prefilled, reviewer=get(record, REVIEWER),
            note=get(record, NOTE), why=get(record, WHY), question=get(record, "question"), id=get(record, "id"), item=get(record, ITEM),
        )
        # The theme cells started as the pre-fill unless the row was blind (no confidence shown) or a
        # near-copy (empty cells): only then do cells equal to the pre-fill mean nobody looked.
        offered = not get(record, SAME_AS) and not (CONFIDENCE in lookup and not get(record, CONFIDENCE))
        decision.untouched = offered and prefilled is not None and themes == prefilled and not decision.marked
        decisions.append(decision)
    problems.extend(_resolve_followers(decisions, pending))
    if not problems:
        problems.extend(_disagreeing_copies(decisions))
    if problems:
        listed = "; ".join(problems[:_MAX_LISTED])
        more = f" (and {len(problems) - _MAX_LISTED} more)" if len(problems) > _MAX_LISTED else ""
        raise SheetError(f"{name}: {listed}{more}.")
    if not decisions:
        raise SheetError(f"{name}: no rows with decisions.")
    return decisions


def _theme_columns(frame: pd.DataFrame, codebook: Codebook, name: str) -> dict[str, str]:
    columns = [str(c) for c in frame.columns]
    if TEXT not in [c.casefold() for c in columns]:
        raise SheetError(f"{name}: no '{TEXT}' column; give a sheet written by 'pgtext review', 'suggest' or 'check-labels'.")
    found: dict[str, str] = {}
    unknown: list[str] = []
    for column in columns:
        key = column.casefold()
        if key in FIXED or key.startswith(SCORE_PREFIX):
            continue
        if key.startswith("unnamed:") and not (frame[column].astype(str).str.strip() != "").any():
            continue  # an empty column without a header
        slug = codebook.resolve(column)
        if slug is None or slug in found:
            unknown.append(column)
        else:
            found[slug] = column
    if unknown:
        raise SheetError(
            f"{name}: column(s) {', '.join(repr(c) for c in unknown)} are not themes in the codebook "
            f"({', '.join(codebook.slugs)}) nor review-sheet columns; rename each to a theme slug or delete it "
            f"(remarks go in '{NOTE}')."
        )
    missing = [s for s in codebook.slugs if s not in found]
    if missing:
        raise SheetError(f"{name}: no 0/1 column for theme(s) {', '.join(missing)}; add one per theme, headed by its slug.")
    return found


def _parse_themes(cell: str, codebook: Codebook) -> tuple[tuple[int, ...], list[str]]:
    vector, unknown = codebook.parse_themes(cell)
    return tuple(vector), unknown


def _resolve_followers(decisions: list[Decision], pending: dict[int, str]) -> list[str]:
    """Give each near-copy row the decision (and offered themes) of the row it follows."""
    by_item: dict[str, list[int]] = {}
    for position, decision in enumerate(decisions):
        if decision.item:
            by_item.setdefault(decision.item, []).append(position)
    problems = []
    for position, target in pending.items():
        seen = {position}
        current, ok = position, True
        while current in pending:
            holders = by_item.get(pending[current], [])
            if len(holders) != 1 or holders[0] in seen:
                what = "no row has" if not holders else "more than one row has" if len(holders) > 1 else "a loop through"
                problems.append(
                    f"row {decisions[position].row}: same_as {target} but {what} item {pending[current]}; "
                    "fill in this row's 0/1 cells"
                )
                ok = False
                break
            current = holders[0]
            seen.add(current)
        if ok:
            source = decisions[current]
            decisions[position].themes = source.themes
            decisions[position].prefilled = source.prefilled
            decisions[position].follows = source.row
            decisions[position].untouched = source.untouched and not decisions[position].marked
            decisions[position].reviewer = decisions[position].reviewer or source.reviewer  # who decided it
    return problems


def _disagreeing_copies(decisions: list[Decision]) -> list[str]:
    first: dict[str, Decision] = {}
    problems = []
    for decision in decisions:
        key = normalise_text(decision.text)
        other = first.setdefault(key, decision)
        if other is not decision and other.themes != decision.themes:
            problems.append(f"rows {other.row} and {decision.row} hold the same answer with different themes; make them agree")
    return problems
