"""A ``Discovery`` as Markdown, terminal text and one CSV row per answer (a review sheet)."""

from __future__ import annotations

import textwrap

import pandas as pd

from pgtext.files.documents import markdown_table, plain_table
from pgtext.report.discovery import Discovery, Group

DEFAULT_TITLE = "Candidate new themes"


def _comparison(d: Discovery, g: Group) -> str:
    if g.earlier_matches is None:
        return ""
    earlier = " + ".join(d.earlier)
    return (
        f"{g.later_matches} of {g.later_total} answers in {d.later}, "
        f"{g.earlier_matches} of {g.earlier_total} in {earlier}"
    )


def _new_cell(d: Discovery, g: Group) -> str:
    if g.new is None:
        return ""
    return ("yes" if g.new else "no") + f" ({_comparison(d, g)})"


def summary_line(d: Discovery) -> str:
    c = d.counts
    if d.include_all:
        left = f"{c['non_answers']} non-answers left out"
    else:
        left = f"{c['covered']} covered confidently by a theme and {c['non_answers']} non-answers left out"
    return (
        f"{d.later}: {c['answers']} answers; {left}; the other {c['considered']} grouped by meaning: "
        f"{len(d.groups)} groups of {d.min_size}+ answers ({c['in_groups']} answers), {len(d.leftovers)} tiny "
        f"groups ({c['in_leftovers']} answers), {c['ungrouped']} answers in no group."
    )


def overview_rows(d: Discovery, groups: list[Group]) -> tuple[list[str], list[list[object]], str]:
    headers = ["#", "Answers", "Distinctive words", "Closest theme (cosine)"]
    if d.earlier:
        headers.append(f"New in {d.later}?")
    rows = []
    for g in groups:
        row: list[object] = [g.number, g.size, ", ".join(g.words[:6]), f"{g.closest_name} ({g.similarity:.2f})"]
        if d.earlier:
            row.append(_new_cell(d, g))
        rows.append(row)
    return headers, rows, "rrll" + ("l" if d.earlier else "")


def _method(d: Discovery) -> str:
    text = (
        "Groups: HDBSCAN over sentence embeddings (centred) beside character n-grams, so every answer may "
        "stay in no group and the number of groups is not fixed. Distinctive words: class-based TF-IDF "
        "without Dutch stop words. Closest theme: cosine between the group's mean embedding and the "
        "embedded theme name and description (a hint, not a verdict: the shipped embedder is an English model)."
    )
    if d.earlier:
        text += (
            " New: an answer of either wave counts for a group when its nearest group member is as close as "
            "members are to each other; new means at least three times as frequent as before and a one-sided "
            "Fisher test below 0.05."
        )
    if not d.masked:
        return text + " Examples are shown as written (masking turned off)."
    text += (
        " Examples, answers and distinctive words are masked: names, e-mail addresses, phone numbers, BSN, IBAN, "
        "addresses and dates of birth; words that are names or mail domains are left out of the distinctive words."
    )
    dropped = d.counts.get("examples_dropped", 0)
    if dropped:
        several = dropped != 1
        text += (
            f" {dropped} answer{'s were' if several else ' was'} not shown as an example because after masking "
            f"{'they' if several else 'it'} may still name a person."
        )
    return text


def discovery_markdown(d: Discovery, title: str = DEFAULT_TITLE) -> str:
    lines = [f"# {title} in {d.later}", "", summary_line(d), ""]
    if d.groups:
        lines += [markdown_table(*overview_rows(d, d.groups)), ""]
    for g in d.groups:
        new = f" · new in {d.later}" if g.new else ""
        lines += [f"## {g.number}. {', '.join(g.words[:3]) or 'group'} ({g.size} answers{new})", ""]
        lines.append(f"Distinctive words: {', '.join(g.words) or '–'}. Suggested slug: `{g.slug}`.")
        lines.append(f"Closest theme: {g.closest_name} (`{g.closest_theme}`, cosine {g.similarity:.2f}).")
        if g.earlier_matches is not None:
            lines.append(f"Answers like these: {_comparison(d, g)}.")
        lines.append("")
        lines += [f"> {' '.join(example.split())}\n" for example in g.examples]
    lines += ["## Leftovers", ""]
    if d.leftovers:
        lines += [
            f"Tiny groups ({min(g.size for g in d.leftovers)}–{d.min_size - 1} answers): too small to call a theme, "
            "worth a look.", "", markdown_table(*overview_rows(d, d.leftovers)), "",
        ]
    lines += [f"{d.counts['ungrouped']} answers fit no group; they are in the CSV output with group 0.", ""]
    lines += [_method(d), ""]
    return "\n".join(lines)


def discovery_text(d: Discovery, width: int = 96) -> str:
    lines = [textwrap.fill(summary_line(d), width), ""]
    for g in d.groups:
        head = f"{g.number}. {g.size} answers: {', '.join(g.words) or '–'}"
        lines.append(textwrap.fill(head, width, subsequent_indent="   "))
        lines.append(f"   closest theme: {g.closest_theme} (cosine {g.similarity:.2f})")
        if g.new is not None:
            lines.append(f"   new in {d.later}: {_new_cell(d, g)}")
        for example in g.examples:
            lines.append(textwrap.fill(f"“{' '.join(example.split())}”", width, initial_indent="   - ", subsequent_indent="     "))
        lines.append("")
    if d.leftovers:
        lines += ["Leftovers (tiny groups):", plain_table(*overview_rows(d, d.leftovers)), ""]
    lines.append(f"{d.counts['ungrouped']} answers fit no group.")
    dropped = d.counts.get("examples_dropped", 0)
    if dropped:
        lines.append(f"{dropped} answer{'s' if dropped != 1 else ''} not shown as example: after masking they may still name a person.")
    return "\n".join(lines)


def discovery_frame(d: Discovery) -> pd.DataFrame:
    """One row per grouped answer, group details repeated: sortable, filterable, a review sheet.

    ``themes`` is left empty for the person who labels: fill it (slugs joined by ';') and the
    rows are training labels for ``pgtext train`` once new themes are in the codebook.
    """
    by_number = {g.number: g for g in d.groups + d.leftovers}
    examples = {i for g in by_number.values() for i in g.example_members}
    rows = []
    for i, answer in d.answers.iterrows():
        g = by_number.get(int(answer["group"]))
        rows.append({
            "group": int(answer["group"]),
            "kind": "none" if g is None else ("leftover" if g.leftover else "candidate"),
            "group_size": g.size if g else 0,
            "suggested_slug": g.slug if g else "",
            "distinctive_words": ", ".join(g.words) if g else "",
            "closest_theme": g.closest_theme if g else "",
            "closest_similarity": g.similarity if g else None,
            f"new_in_{d.later}": ("" if g is None or g.new is None else ("true" if g.new else "false")),
            "earlier_matches": g.earlier_matches if g else None,
            "later_matches": g.later_matches if g else None,
            "example": "true" if i in examples else "false",
            "wave": answer["wave"], "respondent": answer["respondent"], "question": answer["question"],
            "text": answer["text"], "themes": "",
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame[["earlier_matches", "later_matches"]] = frame[["earlier_matches", "later_matches"]].astype("Int64")
    order = frame["kind"].map({"candidate": 0, "leftover": 1, "none": 2})
    frame = frame.assign(_order=order, _example=frame["example"] != "true")
    frame = frame.sort_values(["_order", "group", "_example"], kind="stable")
    return frame.drop(columns=["_order", "_example"]).reset_index(drop=True)
