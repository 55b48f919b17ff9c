"""The package layout shows the pipeline: imports run one way, modules stay small (issue 13)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pgtext"

#: Stages from the outside in; a module may import its own stage and any stage to its right.
ORDER = ["cli", "api", "review", "reporting", "label", "model", "embed", "files", "text", "i18n", "config", "errors"]
#: review and report sit side by side: neither imports the other.
SIDE_BY_SIDE = {("review", "reporting"), ("reporting", "review")}


def stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "pgtext":
        return None
    if len(parts) == 1:
        return "root"
    return parts[1]


def imports(path: Path) -> list[str]:
    """Every pgtext module imported by a file, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pgtext":  # `from pgtext import config` names a module, `__version__` does not
                found.extend(f"pgtext.{alias.name}" if _is_module(alias.name) else "pgtext" for alias in node.names)
            else:
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [m for m in found if m == "pgtext" or m.startswith("pgtext.")]


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        out[name.removesuffix(".__init__")] = path
    return out


def test_imports_run_one_way():
    wrong = []
    for name, path in modules().items():
        here = stage(name)
        if here in (None, "root") or name in ("pgtext.__main__",):
            continue
        for target in imports(path):
            there = stage(target)
            if there in ("root", None) or there == here:
                continue  # __version__ from pgtext itself; same stage
            if (here, there) in SIDE_BY_SIDE or ORDER.index(there) < ORDER.index(here):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_nothing_imports_the_cli():
    offenders = [name for name, path in modules().items() if stage(name) != "cli"
                 and name != "pgtext.__main__" and any(stage(t) == "cli" for t in imports(path))]
    assert offenders == []


def test_no_import_cycles_between_modules():
    # the root package only re-exports (``__version__``, the lazy Python API): edges into it are not jobs
    graph = {name: {t for t in imports(path) if t in modules() and t != "pgtext"} for name, path in modules().items()}
    seen: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node:
                continue
            if seen.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in seen:
                visit(nxt, trail + [nxt])
        seen[node] = 2

    for name in sorted(graph):
        if name not in seen:
            visit(name, [name])
    # a package __init__ that re-exports its own modules is not a cycle of jobs; any other cycle is,
    # also one inside a package (a lazy or type-checking import still ties the two modules together)
    packages = {name for name, path in modules().items() if path.name == "__init__.py"}
    real = [c for c in cycles if not any(m in packages for m in c)]
    assert real == []


def test_modules_stay_small_and_levels_stay_readable():
    too_long = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert too_long == {}
    for folder in [PACKAGE, *[p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()]]:
        assert len([p for p in folder.glob("*.py")]) <= 15, folder
