"""A ``Discovery`` as Markdown, terminal text and one CSV row per answer (a review sheet)."""

from __future__ import annotations

import textwrap

import pandas as pd

from pgtext.files.documents import markdown_table, plain_table
from pgtext.i18n import number, t
from pgtext.reporting.discovery import Discovery, Group


def _comparison(d: Discovery, g: Group) -> str:
    if g.earlier_matches is None:
        return ""
    return t(
        d.language, "discover.comparison", later=g.later_matches, later_total=g.later_total, wave=d.later,
        earlier=g.earlier_matches, earlier_total=g.earlier_total, earlier_waves=" + ".join(d.earlier),
    )


def _new_cell(d: Discovery, g: Group) -> str:
    if g.new is None:
        return ""
    return t(d.language, "discover.yes" if g.new else "discover.no") + f" ({_comparison(d, g)})"


def _cosine(d: Discovery, value: float) -> str:
    return number(value, d.language, 2)


def summary_line(d: Discovery) -> str:
    c = d.counts
    if d.include_all:
        left = t(d.language, "discover.left_all", non_answers=c["non_answers"])
    else:
        left = t(d.language, "discover.left", covered=c["covered"], non_answers=c["non_answers"])
    return t(
        d.language, "discover.summary", wave=d.later, answers=c["answers"], left=left, considered=c["considered"],
        groups=len(d.groups), min_size=d.min_size, in_groups=c["in_groups"], leftovers=len(d.leftovers),
        in_leftovers=c["in_leftovers"], ungrouped=c["ungrouped"],
    )


def overview_rows(d: Discovery, groups: list[Group]) -> tuple[list[str], list[list[object]], str]:
    lang = d.language
    headers = ["#", t(lang, "discover.col.answers"), t(lang, "discover.col.words"), t(lang, "discover.col.closest")]
    if d.earlier:
        headers.append(t(lang, "discover.col.new", wave=d.later))
    rows = []
    for g in groups:
        row: list[object] = [g.number, g.size, ", ".join(g.words[:6]), f"{g.closest_name} ({_cosine(d, g.similarity)})"]
        if d.earlier:
            row.append(_new_cell(d, g))
        rows.append(row)
    return headers, rows, "rrll" + ("l" if d.earlier else "")


def _method(d: Discovery) -> str:
    text = t(d.language, "discover.method")
    if d.earlier:
        text += t(d.language, "discover.method_new")
    if not d.masked:
        return text + t(d.language, "discover.method_unmasked")
    text += t(d.language, "discover.method_mask")
    dropped = d.counts.get("examples_dropped", 0)
    if dropped:
        text += t(d.language, "discover.examples_dropped", count=dropped)
    return text


def discovery_markdown(d: Discovery, title: str | None = None) -> str:
    lang = d.language
    title = title or t(lang, "discover.title")
    lines = [f"# {t(lang, 'discover.title_in', title=title, wave=d.later)}", "", summary_line(d), ""]
    if d.groups:
        lines += [markdown_table(*overview_rows(d, d.groups)), ""]
    for g in d.groups:
        new = t(lang, "discover.new_in", wave=d.later) if g.new else ""
        words = ", ".join(g.words[:3]) or t(lang, "discover.group")
        lines += [f"## {t(lang, 'discover.heading', number=g.number, words=words, size=g.size, new=new)}", ""]
        lines.append(t(lang, "discover.words", words=", ".join(g.words) or "–", slug=g.slug))
        lines.append(t(lang, "discover.closest", name=g.closest_name, slug=g.closest_theme, similarity=_cosine(d, g.similarity)))
        if g.earlier_matches is not None:
            lines.append(t(lang, "discover.like", comparison=_comparison(d, g)))
        lines.append("")
        lines += [f"> {' '.join(example.split())}\n" for example in g.examples]
    lines += [f"## {t(lang, 'discover.leftovers')}", ""]
    if d.leftovers:
        low = min(g.size for g in d.leftovers)
        lines += [t(lang, "discover.tiny", low=low, high=d.min_size - 1), "", markdown_table(*overview_rows(d, d.leftovers)), ""]
    lines += [t(lang, "discover.ungrouped", count=d.counts["ungrouped"]), ""]
    lines += [_method(d), ""]
    return "\n".join(lines)


def discovery_text(d: Discovery, width: int = 96) -> str:
    """The terminal listing: the groups with their words, closest theme and examples."""
    lang = d.language
    lines = [textwrap.fill(summary_line(d), width), ""]
    for g in d.groups:
        head = t(lang, "discover.text.head", number=g.number, size=g.size, words=", ".join(g.words) or "–")
        lines.append(textwrap.fill(head, width, subsequent_indent="   "))
        lines.append("   " + t(lang, "discover.text.closest", slug=g.closest_theme, similarity=_cosine(d, g.similarity)))
        if g.new is not None:
            lines.append("   " + t(lang, "discover.text.new", wave=d.later, cell=_new_cell(d, g)))
        for example in g.examples:
            lines.append(textwrap.fill(f"“{' '.join(example.split())}”", width, initial_indent="   - ", subsequent_indent="     "))
        lines.append("")
    if d.leftovers:
        lines += [t(lang, "discover.text.leftovers"), plain_table(*overview_rows(d, d.leftovers)), ""]
    lines.append(t(lang, "discover.text.ungrouped", count=d.counts["ungrouped"]))
    dropped = d.counts.get("examples_dropped", 0)
    if dropped:
        lines.append(t(lang, "discover.text.examples_dropped", count=dropped))
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
