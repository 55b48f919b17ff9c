"""SPSS ``.sav``/``.zsav`` files in and out (pyreadstat).

Reading gives pgtext's usual table of text cells: string variables as typed, numeric
variables with value labels as their labels (``1`` -> ``"vrouw"``), other numbers as
written (``3``, ``34.5``), dates as ``2026-03-01``. Every case and variable is kept in
order. What SPSS knows besides the values (codes, variable labels, value labels,
formats, measurement levels, user-missing values) travels in ``SavSource`` so a
``.sav`` output can give every input variable back unchanged.

Writing takes a frame of output columns, each either a copy of an input variable
(taken from ``SavSource`` by case number) or a new variable with its own label, value
labels and format (``SavVariable``). New variable names are made SPSS-valid and unique
with ``spss_name``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext.errors import InputError, OutputError

SAV_SUFFIXES = {".sav", ".zsav"}
#: SPSS limits: variable names 64 bytes, value labels 120 bytes, variable labels 256 bytes (UTF-8).
NAME_BYTES = 64
VALUE_LABEL_BYTES = 120
VARIABLE_LABEL_BYTES = 256
#: Words SPSS reserves; they cannot be variable names.
RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}


@dataclass
class SavSource:
    """An SPSS file as read: the values as stored (codes, not labels) and pyreadstat's metadata."""

    raw: pd.DataFrame
    meta: object

    def label_of(self, name: str) -> str:
        return (self.meta.column_names_to_labels or {}).get(name) or ""

    def labels(self) -> dict[str, str]:
        """Variable name -> variable label, for the variables that have one."""
        return {name: label for name, label in (self.meta.column_names_to_labels or {}).items() if label}


@dataclass
class SavVariable:
    """A new output variable: numeric unless ``string``; labels in the output's language."""

    label: str = ""
    value_labels: dict[float, str] = field(default_factory=dict)
    numeric: bool = True
    format: str | None = None  # SPSS print format, e.g. "F1.0" or "F6.4"
    measure: str = "unknown"  # nominal, ordinal, scale


def read_sav(path: Path) -> tuple[pd.DataFrame, SavSource]:
    """(text frame, source): every case and variable, in order; cells as text, labelled codes as labels."""
    import pyreadstat

    try:
        raw, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError/PyreadstatError for damaged files
        raise InputError(
            f"{path}: cannot read as an SPSS file ({type(exc).__name__}: {exc}); is it a real .sav export?"
        ) from None
    if raw.shape[1] == 0:
        raise InputError(f"{path}: the SPSS file has no variables.")
    value_labels = meta.variable_value_labels or {}
    types = meta.readstat_variable_types or {}
    columns = {}
    for name in raw.columns:
        labels = value_labels.get(name, {}) if types.get(name) != "string" else {}
        columns[name] = [_cell(value, labels) for value in raw[name].tolist()]
    frame = pd.DataFrame(columns, columns=list(raw.columns), dtype=object)
    frame.attrs["column_labels"] = SavSource(raw, meta).labels()
    return frame, SavSource(raw=raw, meta=meta)


def _cell(value: object, labels: dict) -> str:
    """One SPSS value as pgtext text: its value label if it has one, else the number or date as written."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if labels and isinstance(value, (int, float)) and value in labels:
        return str(labels[value])
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def spss_name(wanted: str, taken: set[str]) -> str:
    """A valid SPSS variable name close to ``wanted``, not in ``taken`` (compared ignoring case).

    Letters, digits and ``_`` only (others become ``_``), starting with a letter (else ``v`` in
    front), not a reserved word, at most 64 bytes; a clash gets ``_2``, ``_3``, ... (cut to fit).
    """
    name = re.sub(r"[^0-9A-Za-z_]", "_", wanted) or "v"
    if not name[0].isalpha():
        name = "v" + name
    if name.casefold() in RESERVED:
        name += "_"
    name = name[:NAME_BYTES]
    folded = {t.casefold() for t in taken}
    candidate, number = name, 1
    while candidate.casefold() in folded:
        number += 1
        suffix = f"_{number}"
        candidate = name[: NAME_BYTES - len(suffix)] + suffix
    return candidate


def _fit(text: str, limit: int) -> str:
    """Cut text to ``limit`` UTF-8 bytes without splitting a character."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore")


def _valid_names(frame: pd.DataFrame, labels: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns that cannot be SPSS names (a CSV's "Q5 - Toelichting") renamed; the old name becomes the label."""
    names = [str(c) for c in frame.columns]
    if all(spss_name(n, set()) == n for n in names) and len({n.casefold() for n in names}) == len(names):
        return frame, labels
    taken: set[str] = {n for n in names if spss_name(n, set()) == n}
    renamed, labels = [], dict(labels)
    seen: set[str] = set()
    for name in names:
        if spss_name(name, set()) == name and name.casefold() not in seen:
            final = name
        else:
            final = spss_name(name, taken | seen)
            taken.add(final)
            labels.setdefault(final, _fit(labels.pop(name, "") or name, VARIABLE_LABEL_BYTES))
        seen.add(final.casefold())
        renamed.append(final)
    frame = frame.copy()
    frame.columns = renamed
    return frame, labels


def write_sav(
    frame: pd.DataFrame,
    path: Path,
    new: dict[str, SavVariable],
    source: SavSource | None = None,
    source_rows: list[int] | None = None,
    replace: bool = False,
) -> None:
    """Write ``frame`` as .sav (.zsav compressed), atomically; an existing file only with ``replace``.

    Columns named in ``new`` are written as described there (numeric values as numbers, blank
    = system-missing). Other columns that are variables of ``source`` are copied from it, with
    every label, format and missing-value rule, for the cases ``source_rows``; anything else
    becomes a string variable.
    """
    import pyreadstat

    from pgtext.files.outputs import atomic_write

    path = Path(path)
    out: dict[str, pd.Series] = {}
    column_labels: dict[str, str] = {}
    value_labels: dict[str, dict] = {}
    formats: dict[str, str] = {}
    measures: dict[str, str] = {}
    widths: dict[str, int] = {}
    missing: dict[str, list] = {}
    meta = source.meta if source is not None else None
    rows = list(source_rows) if source_rows is not None else list(range(len(frame)))
    for column in frame.columns:
        name = str(column)
        if name in new:
            spec = new[name]
            if spec.numeric:
                out[name] = pd.to_numeric(frame[column].replace("", np.nan), errors="coerce").astype(float)
            else:
                out[name] = frame[column].fillna("").astype(str)
            if spec.label:
                column_labels[name] = _fit(spec.label, VARIABLE_LABEL_BYTES)
            if spec.value_labels:
                value_labels[name] = {k: _fit(v, VALUE_LABEL_BYTES) for k, v in spec.value_labels.items()}
            if spec.format:
                formats[name] = spec.format
            measures[name] = spec.measure
        elif meta is not None and name in source.raw.columns:
            values = source.raw[name].iloc[rows].reset_index(drop=True)
            out[name] = values.fillna("") if meta.readstat_variable_types.get(name) == "string" else values
            if source.label_of(name):
                column_labels[name] = source.label_of(name)
            if name in (meta.variable_value_labels or {}):
                value_labels[name] = meta.variable_value_labels[name]
            if name in (meta.original_variable_types or {}):
                formats[name] = meta.original_variable_types[name]
            measures[name] = (meta.variable_measure or {}).get(name, "unknown")
            if name in (meta.variable_display_width or {}):
                widths[name] = meta.variable_display_width[name]
            if name in (meta.missing_ranges or {}):
                missing[name] = meta.missing_ranges[name]
        elif pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            out[name] = frame[column].astype(float)  # numbers stay numbers (blank = system-missing)
        else:
            out[name] = frame[column].fillna("").astype(str)
    ready = pd.DataFrame({k: v.reset_index(drop=True) for k, v in out.items()})
    ready, column_labels = _valid_names(ready, column_labels)

    def write(tmp: Path) -> None:
        try:
            pyreadstat.write_sav(
                ready, str(tmp), column_labels=column_labels, variable_value_labels=value_labels,
                variable_format=formats, variable_measure=measures, variable_display_width=widths,
                missing_ranges=missing or None, compress=path.suffix.lower() == ".zsav",
            )
        except Exception as exc:  # pyreadstat's own errors name the variable
            raise OutputError(f"{path}: cannot write as SPSS ({type(exc).__name__}: {exc}).") from None

    atomic_write(path, write, replace=replace)
