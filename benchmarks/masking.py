"""Name-masking benchmark: recall and false masks on a hand-written set of Dutch survey-style sentences.

Run by hand:  python benchmarks/masking.py [--cases tests/fixtures/masking_names.txt]
Writes out/benchmarks/masking.md and prints the same figures; maintainers regenerate the tracked
benchmarks/results/masking.md (quoted in the README) with ``--output benchmarks/results/masking.md``.
tests/text/test_masking.py runs ``measure`` on the same file and holds the figures to a floor and ceiling.

- name recall: share of marked names whose every letter lies inside a masked span;
- false-mask rate: share of sentences without a name in which anything at all was masked;
- kept out of quotes: share of sentences with a name that are masked whole or that
  ``masking.is_publishable`` rejects (so the quote pickers skip them);
- dropped without a name: share of sentences without a name that ``is_publishable`` rejects
  (quotes lost for nothing).

It also runs masking over the answers shipped in samples/ and labels/twente.csv (real-looking answers,
four of them with personal data on purpose) and lists everything masked there and every answer that
would not be quoted, for a reader to judge.
"""

from __future__ import annotations

import argparse
import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

from pgtext.text.masking import find_personal_data, is_publishable

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "masking_names.txt"
#: Written after the rules and lists were frozen; not used to tune them.
HOLDOUT = ROOT / "tests" / "fixtures" / "masking_names_holdout.txt"
_MARK = re.compile(r"\{\{(.+?)\}\}")


@dataclass
class Case:
    text: str
    names: list[tuple[int, int]]  # character spans of the marked names in ``text``


@dataclass
class Measure:
    sentences_with_names: int = 0
    names: int = 0
    names_masked: int = 0
    sentences_without_names: int = 0
    false_masks: int = 0
    kept_out: int = 0
    dropped_without_names: int = 0
    missed: list[str] = field(default_factory=list)
    wrongly_masked: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.names_masked / self.names if self.names else 1.0

    @property
    def false_mask_rate(self) -> float:
        return self.false_masks / self.sentences_without_names if self.sentences_without_names else 0.0

    @property
    def kept_out_rate(self) -> float:
        return self.kept_out / self.sentences_with_names if self.sentences_with_names else 1.0

    @property
    def drop_rate(self) -> float:
        return self.dropped_without_names / self.sentences_without_names if self.sentences_without_names else 0.0


def load_cases(path: Path = CASES) -> list[Case]:
    """Sentences with their marked name spans ({{...}} taken out of the text)."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, names, offset = "", [], 0
        for m in _MARK.finditer(line):
            text += line[offset : m.start()]
            names.append((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            offset = m.end()
        cases.append(Case(text + line[offset:], names))
    return cases


def measure(cases: list[Case]) -> Measure:
    result = Measure()
    for case in cases:
        spans = find_personal_data(case.text)
        covered = {i for s in spans for i in range(s.start, s.end)}
        if case.names:
            result.sentences_with_names += 1
            all_masked = True
            for start, end in case.names:
                result.names += 1
                if all(i in covered for i in range(start, end) if not case.text[i].isspace()):
                    result.names_masked += 1
                else:
                    all_masked = False
                    result.missed.append(f"{case.text[start:end]} — {case.text}")
            if all_masked or not is_publishable(case.text):
                result.kept_out += 1
        else:
            result.sentences_without_names += 1
            if spans:
                result.false_masks += 1
                result.wrongly_masked.append(", ".join(case.text[s.start : s.end] for s in spans) + f" — {case.text}")
            if not is_publishable(case.text):
                result.dropped_without_names += 1
                result.dropped.append(case.text)
    return result


SHIPPED = ["samples/regioscan-2025.csv", "samples/regioscan-2026.csv", "labels/twente.csv"]


def shipped_answers() -> list[str]:
    """Distinct text cells of more than 15 characters in the shipped sample waves and labels."""
    from pgtext.files.tables import read_table

    texts: list[str] = []
    for name in SHIPPED:
        frame = read_table(ROOT / name).frame
        for column in frame.columns:
            texts += [t for t in frame[column].astype(str) if len(t) > 15]
    return list(dict.fromkeys(texts))


def shipped_lines() -> list[str]:
    texts = shipped_answers()
    masked, rejected = [], []
    for text in texts:
        spans = find_personal_data(text)
        if spans:
            masked.append(", ".join(f"{s.kind}: {text[s.start:s.end]}" for s in spans))
        if not is_publishable(text):
            rejected.append(text[:100].replace("\n", " "))
    return [
        "## The shipped answers",
        "",
        f"{len(texts)} distinct answers in {', '.join(SHIPPED)}: something masked in {len(masked)} "
        f"({len(masked) / len(texts):.1%}), not quotable in {len(rejected)} ({len(rejected) / len(texts):.1%}).",
        "",
        "Masked:",
        "",
        *[f"- {line}" for line in masked],
        "",
        "Not quotable (first 100 characters):",
        "",
        *[f"- {line}" for line in rejected],
        "",
    ]


def report(m: Measure, cases_path: Path) -> str:
    try:
        shown = cases_path.resolve().relative_to(ROOT)
    except ValueError:
        shown = cases_path
    lines = [
        "# Name-masking benchmark",
        "",
        f"`python benchmarks/masking.py` on `{shown}`: {m.sentences_with_names} sentences with "
        f"{m.names} names, {m.sentences_without_names} sentences without a name. Python {platform.python_version()}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| name recall (names masked whole) | {m.recall:.1%} ({m.names_masked} of {m.names}) |",
        f"| false-mask rate (sentences without a name where something was masked) | {m.false_mask_rate:.1%} ({m.false_masks} of {m.sentences_without_names}) |",
        f"| sentences with a name kept out of quotes (masked whole, or rejected as a quote) | {m.kept_out_rate:.1%} ({m.kept_out} of {m.sentences_with_names}) |",
        f"| sentences without a name rejected as a quote (a quote lost for nothing) | {m.drop_rate:.1%} ({m.dropped_without_names} of {m.sentences_without_names}) |",
        "",
        "The sentences and the word lists were written by the same person, for this purpose: the figures are",
        "optimistic for answers with names that are in no list. See the misses below for what still gets through.",
        "",
        "## Names not masked whole",
        "",
        *([f"- {line}" for line in m.missed] or ["- none"]),
        "",
        "## Sentences without a name where something was masked",
        "",
        *([f"- {line}" for line in m.wrongly_masked] or ["- none"]),
        "",
        "## Sentences without a name rejected as a quote",
        "",
        *([f"- {line}" for line in m.dropped] or ["- none"]),
        "",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--output", type=Path, default=ROOT / "out" / "benchmarks" / "masking.md",
                        help="the report [default: out/benchmarks/masking.md]; maintainers: benchmarks/results/masking.md")
    args = parser.parse_args()
    text = report(measure(load_cases(args.cases)), args.cases)
    if args.holdout:
        held = report(measure(load_cases(args.holdout)), args.holdout).replace("# Name-masking benchmark", "# Held-out set", 1)
        text += "\n" + held.replace("\n## ", "\n### ").replace("\n# ", "\n## ")
    text += "\n" + "\n".join(shipped_lines())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
