"""Merging reviewed decisions into a labels file without losing anyone's corrections.

- An answer not in the labels yet (by normalised text) is appended with its source and reviewer.
- An answer already there is updated in place (every copy), never added twice, and listed.
- A row where the reviewer left the sheet's suggestion as it was does not overwrite a
  different label already in the file: the file holds a person's decision, the sheet
  only repeated a guess (for instance a sheet made before an earlier correction). Such
  rows are reported as kept; changing the 0/1 cells makes the decision deliberate. A sheet
  without a prefilled_themes column (made by hand) counts every row as deliberate.
- A new answer whose row nobody touched (cells as pre-filled, no reviewer or note) would store
  the model's guess as a human label: ``check_reviewed`` refuses such a sheet unless told to
  accept unchanged rows.
- The file is checked as training data before it is replaced, replaced atomically, and
  the previous version kept as a timestamped backup beside it.
- Two runs into the same file take turns (``merging`` holds a lock from reading the file to
  writing it), and the file's hash is compared once more right before the new version is
  renamed into place: a file changed by anything else meanwhile is left alone and the run refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext.errors import LabelsError
from pgtext.files.outputs import atomic_write, exclusive
from pgtext.files.tables import output_kind, read_table, write_table
from pgtext.model.codebook import Codebook
from pgtext.model.labels import (
    file_sha256,
    format_themes,
    load_labels,
    normalise_text,
)
from pgtext.review.sheet import Decision, SheetError

LABEL_COLUMNS = ("id", "question", "text", "themes", "source", "reviewer", "note")


@dataclass
class Change:
    labels_row: int  # spreadsheet row in the labels file (header = 1)
    id: str
    before: str  # themes joined by ';' ("" = no theme)
    after: str
    sheet_row: int
    reviewer: str


@dataclass
class MergePlan:
    """What accepting a sheet does to a labels file; ``frame`` is the new file."""

    labels_path: Path
    frame: pd.DataFrame
    delimiter: str
    sha256: str | None  # of the labels file as read; None when it is new
    added: int = 0
    unchanged: int = 0
    repeated: int = 0  # sheet rows whose answer an earlier sheet row already decided
    untouched: int = 0  # sheet rows still as pre-filled and unsigned
    untouched_new: int = 0  # of those, answers that would be added as new labels
    updated: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    no_theme_before: int = 0
    no_theme_after: int = 0
    audit: tuple[int, int] | None = None  # (kept the model's themes, audited)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def plan_merge(
    labels_path: str | Path,
    decisions: list[Decision],
    codebook: Codebook,
    source: str = "review",
    reviewer: str = "",
    encoding: str | None = None,
    delimiter: str | None = None,
) -> MergePlan:
    """Work out the merged labels table and check it loads as training data; writes nothing."""
    path = Path(labels_path)
    output_kind(path)
    slugs = codebook.slugs
    if path.exists():
        sha = file_sha256(path)  # before reading: a change after this point is caught when writing
        table = read_table(path, encoding=encoding, delimiter=delimiter)
        frame, delimiter = table.frame.reset_index(drop=True), table.delimiter or ","
        numbers = [int(i) + 2 for i in table.frame.index]  # spreadsheet rows (blank lines counted)
        before = load_labels([path], codebook, encoding=encoding, delimiter=delimiter)
        counts_before = before.counts()
        no_theme_before = int((before.y.sum(axis=1) == 0).sum())
    else:
        frame, delimiter, sha = pd.DataFrame(columns=list(LABEL_COLUMNS)), ",", None
        numbers = []
        counts_before, no_theme_before = {s: 0 for s in slugs}, 0
    column = _columns(frame, path)
    plan = MergePlan(path, frame, delimiter, sha, counts_before=counts_before, no_theme_before=no_theme_before)

    index: dict[str, list[int]] = {}
    for position, text in enumerate(frame[column["text"]].astype(str)):
        index.setdefault(normalise_text(text), []).append(position)
    used_ids = set(frame[column["id"]].astype(str))
    seen: set[str] = set()
    new_rows: list[dict[str, str]] = []
    plan.untouched = sum(d.untouched for d in decisions)
    for decision in decisions:
        key = normalise_text(decision.text)
        if key in seen:
            plan.repeated += 1
            continue
        seen.add(key)
        after = format_themes(np.array(decision.themes), slugs)
        who = decision.reviewer or reviewer
        if key not in index:
            plan.untouched_new += decision.untouched
            new_id = _new_id(decision, source, used_ids)
            new_rows.append({
                column["id"]: new_id, column["question"]: decision.question, column["text"]: decision.text,
                column["themes"]: after, column["source"]: source, column["reviewer"]: who, column["note"]: decision.note,
            })
            plan.added += 1
            continue
        rows = index[key]
        current = _canonical(frame.at[rows[0], column["themes"]], codebook)
        change = Change(numbers[rows[0]], str(frame.at[rows[0], column["id"]]), current, after, decision.row, who)
        if current == after:
            plan.unchanged += 1
        elif decision.prefilled is not None and decision.themes == decision.prefilled:
            plan.kept.append(change)
        else:
            for r in rows:
                frame.at[r, column["themes"]] = after
                frame.at[r, column["reviewer"]] = who
                if decision.note:
                    frame.at[r, column["note"]] = decision.note
            plan.updated.append(change)
    if new_rows:
        frame = pd.concat([frame, pd.DataFrame(new_rows, columns=frame.columns)], ignore_index=True).fillna("")
    plan.frame = frame

    audited = [d for d in decisions if d.why == "audit" and d.prefilled is not None]
    if audited:
        plan.audit = (sum(d.themes == d.prefilled for d in audited), len(audited))
    _check_result(plan, codebook)
    return plan


@contextlib.contextmanager
def merging(labels_path: str | Path, dry_run: bool = False) -> Iterator[None]:
    """Hold the labels file's lock from ``plan_merge`` to ``write_merge`` (a dry run reads without it)."""
    if dry_run:
        yield
        return
    with exclusive(labels_path):
        yield
def check_reviewed(plan: MergePlan, sheet: Path) -> None:
    """Refuse a sheet whose new answers still hold the model's pre-fill with no sign of a reviewer."""
    if not plan.untouched_new:
        return
    n = plan.untouched_new
    rows = "row is" if n == 1 else "rows are"
    raise SheetError(
        f"{sheet.name}: {n} {rows} exactly as the sheet pre-filled them (the model's themes) with nothing in "
        f"'reviewer' or 'note'; accepting would store {'it' if n == 1 else 'them'} as human labels. Put your "
        "initials in the 'reviewer' column of each row you checked (rows whose 0/1 cells you changed count as "
        "checked), delete the rows you did not look at, or add --accept-unchanged to take them as they are."
    )


def retrain_folder(labels_path: Path) -> Path:
    """A model folder that does not exist yet, beside the labels: <folder>/models/<labels name>-2, -3, ..."""
    base = Path(labels_path).parent / "models"
    n = 2
    while (base / f"{Path(labels_path).stem}-{n}").exists():
        n += 1
    return base / f"{Path(labels_path).stem}-{n}"


def write_merge(plan: MergePlan) -> Path | None:
    """Back up the labels file, then replace it atomically; returns the backup (None for a new file).

    Compare-and-swap: the file must still be the one ``plan_merge`` read (same SHA-256, or
    still absent for a new file), checked before the backup and again right before the
    rename; otherwise nothing is replaced and ``LabelsError`` says to run accept again.
    """
    path = plan.labels_path

    def unchanged() -> None:
        now = file_sha256(path) if path.exists() else None
        if now != plan.sha256:
            raise LabelsError(
                f"{path}: changed while the sheet was being merged (another accept, or an editor); nothing written, "
                "no decision lost. Run accept again."
            )

    unchanged()
    backup = None
    if plan.sha256 is not None:
        backup = _backup_path(path)
        atomic_write(backup, lambda tmp: shutil.copyfile(path, tmp))
    # A new labels file is published only if none appeared meanwhile; an existing one only if unchanged.
    write_table(plan.frame, path, delimiter=plan.delimiter, replace=plan.sha256 is not None, check=unchanged)
    return backup


def _columns(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    """The labels file's own spelling of each column; missing ones (reviewer, note, ...) are added."""
    lookup = {str(c).casefold(): str(c) for c in frame.columns}
    if "themes" not in lookup and "text" in lookup:
        raise LabelsError(
            f"{path}: accept updates labels files with a 'themes' column (slugs joined by ';'); "
            "this one has none. Convert it, or accept into a new file with --labels."
        )
    if "text" not in lookup:
        raise LabelsError(f"{path}: needs a 'text' column (found: {', '.join(map(str, frame.columns))}).")
    for name in LABEL_COLUMNS:
        if name not in lookup:
            frame[name] = ""
            lookup[name] = name
    return {name: lookup[name] for name in LABEL_COLUMNS}


def _canonical(cell: object, codebook: Codebook) -> str:
    """A themes cell in codebook order and slug spelling (the file passed load_labels, so all resolve)."""
    return codebook.format_themes(codebook.parse_themes(cell)[0])


def _new_id(decision: Decision, source: str, used: set[str]) -> str:
    base = decision.id or f"{source}-{decision.row}"
    candidate = base
    if candidate in used and decision.question:
        candidate = f"{base}-{decision.question}"
    n = 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _check_result(plan: MergePlan, codebook: Codebook) -> None:
    """Write the merged table to a scratch copy and load it exactly as training will."""
    with tempfile.TemporaryDirectory(prefix="pgtext-accept-") as scratch:
        trial = Path(scratch) / plan.labels_path.name
        write_table(plan.frame, trial, delimiter=plan.delimiter)
        after = load_labels([trial], codebook)
    plan.counts_after = after.counts()
    plan.no_theme_after = int((after.y.sum(axis=1) == 0).sum())
    plan.warnings = after.warnings


def _backup_path(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{stamp}-{n}.bak")
        n += 1
    return candidate
