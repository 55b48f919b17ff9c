"""Charts for reports: a horizontal bar chart of theme shares, waves side by side (matplotlib).

matplotlib is imported inside the function and drawn on a bare ``Figure`` (Agg canvas),
so no GUI backend or global pyplot state is involved.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from pgtext.files.outputs import IMAGE_SUFFIXES, atomic_write
from pgtext.model.codebook import Codebook

#: Light to dark blue: the latest wave is the darkest bar (readable in grey-scale print too).
ONE_WAVE = "#2171b5"
DPI = 200


def _colours(count: int) -> list[str]:
    if count == 1:
        return [ONE_WAVE]
    from matplotlib import colormaps

    return [colormaps["Blues"](0.35 + 0.6 * i / (count - 1)) for i in range(count)]


def theme_share_chart(
    table: pd.DataFrame,
    codebook: Codebook,
    waves: list[str],
    path: str | Path,
    title: str = "Share of respondents per theme",
    subtitle: str = "",
    replace: bool = False,
) -> Path:
    """Write a PNG (or SVG/PDF by suffix): one bar per theme (and wave) with its 95% interval and the share printed beside it.

    ``table`` holds one row per wave and theme with columns wave, theme, n, share, ci_low, ci_high.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    path = Path(path)
    themes = codebook.themes
    count = len(waves)
    bar = 0.8 / count
    height = 1.3 + len(themes) * (0.32 * count + 0.3)
    fig = Figure(figsize=(8.0, height), dpi=DPI)
    ax = fig.add_subplot()
    colours = _colours(count)
    top = 0.0
    ns = []
    for w, wave in enumerate(waves):
        rows = table[table["wave"] == wave].set_index("theme").reindex([t.slug for t in themes])
        n = int(rows["n"].iloc[0]) if len(rows) else 0
        ns.append(n)
        shares = rows["share"].fillna(0).to_numpy() * 100
        low = rows["ci_low"].fillna(0).to_numpy() * 100
        high = rows["ci_high"].fillna(0).to_numpy() * 100
        # Later waves lower within each theme's block, so the block reads top-down in time.
        ys = [i + (w - (count - 1) / 2) * bar for i in range(len(themes))]
        ax.barh(ys, shares, height=bar * 0.92, color=colours[w], label=f"{wave} (n={n})", zorder=2)
        ax.errorbar(
            shares, ys, xerr=[shares - low, high - shares], fmt="none", ecolor="#444444",
            elinewidth=0.9, capsize=2.5, zorder=3,
        )
        for y, share, hi in zip(ys, shares, high):
            ax.text(hi + 1.2, y, f"{share:.0f}%", va="center", ha="left", fontsize=8.5, color="#222222")
        top = max(top, float(high.max()) if len(high) else 0.0)
    ax.set_yticks(range(len(themes)))
    ax.set_yticklabels([textwrap.fill(t.name, 34) for t in themes], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, min(100.0, top + 12) if top < 88 else 108)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.tick_params(axis="x", labelsize=8.5)
    ax.set_xlabel("respondents with the theme, of those who answered (lines: 95% interval)", fontsize=8.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.7, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    n_text = "n=" + str(ns[0]) if count == 1 else ", ".join(f"{w}: n={n}" for w, n in zip(waves, ns))
    ax.set_title(f"{title} ({n_text})", fontsize=11, loc="left", pad=18 if subtitle else 8)
    if subtitle:
        ax.text(0, 1.01, textwrap.shorten(subtitle, 95), transform=ax.transAxes, fontsize=8, color="#555555", va="bottom")
    if count > 1:
        ax.legend(fontsize=8.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.07 - 0.2 / height), ncol=count)
    fig.tight_layout()
    _save(fig, path, replace)
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
    _save(fig, path, replace)
    return path


def _save(fig, path: Path, replace: bool) -> None:
    kind = IMAGE_SUFFIXES.get(path.suffix.lower(), "png")  # the CLI checked the suffix; a library caller gets PNG
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=kind, dpi=DPI), replace=replace)
