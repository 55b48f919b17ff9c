"""Charts for reports: horizontal bars of theme shares, waves side by side, a panel per group (matplotlib).

matplotlib is imported inside the functions and drawn on a bare ``Figure`` (Agg canvas),
so no GUI backend or global pyplot state is involved. ``share_figure`` returns the figure
(tests read its texts); ``theme_share_chart`` writes it as PNG. Bars are grey tones with a
hatch per wave, and every bar carries its share, so the chart reads in greyscale print.
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pgtext.files.outputs import IMAGE_SUFFIXES, atomic_write
from pgtext.i18n import number, percent, t
from pgtext.model.codebook import Codebook

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from pgtext.reporting.counts import ReportResult

#: Light to dark grey: the latest wave is the darkest bar; hatches tell waves apart in any print.
ONE_WAVE = "#4d4d4d"
HATCHES = ("", "////", "....", "xxxx")
DPI = 200
ALL = "all"


def _colours(count: int) -> list:
    if count == 1:
        return [ONE_WAVE]
    from matplotlib import colormaps

    return [colormaps["Greys"](0.3 + 0.5 * i / (count - 1)) for i in range(count)]


def share_figure(
    table: pd.DataFrame,
    codebook: Codebook,
    waves: list[str],
    title: str | None = None,
    subtitle: str = "",
    lang: str | None = None,
    min_n: int | None = None,
) -> Figure:
    """The bar chart as a matplotlib ``Figure``: one panel per group in ``table`` (total first), shared axis.

    ``table`` holds one row per wave, theme (and group) with columns wave, theme, n, share, ci_low,
    ci_high and optionally group and small_n. Words in ``lang`` (default: the codebook's).
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    lang = lang or codebook.language
    title = title or t(lang, "chart.title")
    groups = list(dict.fromkeys(table["group"])) if "group" in table.columns else [ALL]
    themes = codebook.themes
    count = len(waves)
    bar = 0.8 / count
    columns = 1 if len(groups) == 1 else 2
    rows_of_panels = math.ceil(len(groups) / columns)
    panel_height = 0.6 + len(themes) * (0.3 * count + 0.25)
    height = 1.3 + panel_height * rows_of_panels
    fig = Figure(figsize=(8.0 if columns == 1 else 10.5, height), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows_of_panels, columns, sharex=True, sharey=True, squeeze=False).ravel()
    colours = _colours(count)
    top = 0.0
    small_seen = False
    for ax, group in zip(axes, groups):
        sub = table[table["group"] == group] if "group" in table.columns else table
        ns = []
        for w, wave in enumerate(waves):
            rows = sub[sub["wave"] == wave].set_index("theme").reindex([th.slug for th in themes])
            n = int(rows["n"].iloc[0]) if len(rows) and pd.notna(rows["n"].iloc[0]) else 0
            small = bool(rows["small_n"].iloc[0]) if "small_n" in rows.columns and len(rows) else False
            small_seen |= small
            ns.append(number(n, lang) + ("*" if small else ""))
            shares = rows["share"].fillna(0).to_numpy() * 100
            low = rows["ci_low"].fillna(0).to_numpy() * 100
            high = rows["ci_high"].fillna(0).to_numpy() * 100
            # Later waves lower within each theme's block, so the block reads top-down in time.
            ys = [i + (w - (count - 1) / 2) * bar for i in range(len(themes))]
            ax.barh(
                ys, shares, height=bar * 0.92, color=colours[w], edgecolor="#222222", linewidth=0.4,
                hatch=HATCHES[w % len(HATCHES)], label=str(wave), zorder=2,
            )
            ax.errorbar(
                # clipped: for 100% the Wilson bound can fall a rounding error below the share
                shares, ys, xerr=[(shares - low).clip(0), (high - shares).clip(0)], fmt="none", ecolor="#000000",
                elinewidth=0.8, capsize=2.5, zorder=3,
            )
            for y, share, hi in zip(ys, shares, high):
                ax.text(hi + 1.2, y, percent(share / 100, lang), va="center", ha="left", fontsize=8, color="#000000")
            top = max(top, float(high.max()) if len(high) else 0.0)
        ax.grid(axis="x", color="#dddddd", linewidth=0.7, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        name = t(lang, "report.all") if group == ALL else str(group)
        n_text = "n = " + ns[0] if count == 1 else ", ".join(f"{w}: n = {n}" for w, n in zip(waves, ns))
        heading = f"{name} ({n_text})"
        if len(heading) > (70 if columns == 1 else 48):  # the n's on their own line, never split
            heading = f"{textwrap.shorten(name, 70 if columns == 1 else 48)}\n({n_text})"
        ax.set_title(heading, fontsize=9, loc="left", fontweight="bold")
        ax.tick_params(axis="y", labelsize=8.5)
    first = axes[0]
    first.set_yticks(range(len(themes)))
    first.set_yticklabels([textwrap.fill(th.name, 30) for th in themes])
    first.set_ylim(len(themes) - 0.5, -0.5)  # first theme on top (shared, so set once)
    first.set_xlim(0, min(100.0, top + 12) if top < 88 else 108)
    first.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: percent(value / 100, lang)))
    for k, ax in enumerate(axes):
        if k >= len(groups):
            fig.delaxes(ax)
        elif k + columns >= len(groups):  # the lowest panel in its column shows the axis
            ax.tick_params(axis="x", labelbottom=True, labelsize=8)
    fig.suptitle(title, fontsize=11, x=0.01, ha="left", fontweight="bold")
    footer = [t(lang, "chart.xlabel")]
    if subtitle:
        footer.append(textwrap.shorten(subtitle, 120))
    if small_seen and min_n:
        footer.append(t(lang, "chart.small", min_n=min_n))
    fig.supxlabel("\n".join(footer), fontsize=8, x=0.01, ha="left")
    if count > 1:
        fig.legend(*first.get_legend_handles_labels(), loc="outside upper right", ncol=count, fontsize=8, frameon=False)
    return fig


def report_figure(result: ReportResult, title: str | None = None) -> Figure:
    """The chart of a ``ReportResult``: every group in its own panel (with ``--by``), the scope underneath."""
    from pgtext.reporting.render import language, scope_text

    lang = language(result)
    return share_figure(
        result.table, result.codebook, result.waves, title=title, lang=lang, min_n=result.min_n,
        subtitle=t(lang, "report.questions", scope=scope_text(result, short=True)),
    )


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (for embedding in a Word document)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def theme_share_chart(
    table: pd.DataFrame,
    codebook: Codebook,
    waves: list[str],
    path: str | Path,
    title: str | None = None,
    subtitle: str = "",
    lang: str | None = None,
    min_n: int | None = None,
    replace: bool = False,
) -> Path:
    """Write ``share_figure`` (PNG, or SVG/PDF by suffix): one bar per theme (and wave) with its 95% interval and share."""
    path = Path(path)
    fig = share_figure(table, codebook, waves, title=title, subtitle=subtitle, lang=lang, min_n=min_n)
    save_figure(fig, path, replace)
    return path


def reliability_chart(
    tables: dict[str, list[dict]], path: str | Path, title: str = "Calibration", replace: bool = False
) -> Path:
    """Write a PNG (or SVG/PDF by suffix) reliability diagram: observed frequency against mean predicted probability per bin.

    ``tables`` maps a label (e.g. "theme scores") to a reliability table from
    ``evaluation.reliability_table``; marker area follows the bin's count.
    """
    from matplotlib.figure import Figure

    path = Path(path)
    fig = Figure(figsize=(5.5, 5.0), dpi=DPI)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999999", linewidth=0.8, linestyle="--", label="perfectly calibrated", zorder=1)
    for (label, table), colour in zip(tables.items(), _colours(max(len(tables), 2))[::-1]):
        rows = [r for r in table if r["count"]]
        total = sum(r["count"] for r in rows) or 1
        xs = [r["mean_predicted"] for r in rows]
        ys = [r["observed"] for r in rows]
        sizes = [20 + 400 * r["count"] / total for r in rows]
        ax.plot(xs, ys, color=colour, linewidth=1.2, zorder=2)
        ax.scatter(xs, ys, s=sizes, color=colour, label=f"{label} (n={total})", zorder=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("predicted probability (bin mean)", fontsize=9)
    ax.set_ylabel("observed frequency", fontsize=9)
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(color="#eeeeee", linewidth=0.7, zorder=0)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    fig.tight_layout()
    save_figure(fig, path, replace)
    return path


def save_figure(fig, path: str | Path, replace: bool = False) -> None:
    """Write a figure atomically as PNG, or SVG/PDF by the path's suffix."""
    path = Path(path)
    kind = IMAGE_SUFFIXES.get(path.suffix.lower(), "png")  # the CLI checked the suffix; a library caller gets PNG
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=kind, dpi=DPI), replace=replace)
