"""The package tree is the pipeline: imports point one way, across stages through each stage's surface."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "qabot"

# The stages, lowest first. A module may import its own stage and the ones before it.
STAGES = ["text", "sources", "news", "embedding", "indexing", "search", "answering", "evaluation", "faces"]
SHARED = {"config", "errors", "records"}  # used by every stage, import nothing above themselves


def _stage_of(module: str) -> str | None:
    """'qabot.search.fusion' -> 'search'; shared modules -> 'shared'."""
    parts = module.split(".")
    if parts[0] != "qabot" or len(parts) < 2:
        return None
    return "shared" if parts[1] in SHARED else parts[1]


def _rank(stage: str) -> int:
    return -1 if stage == "shared" else STAGES.index(stage)


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every qabot import in the file, function-level ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qabot"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("qabot")]
    return found


def test_every_module_lives_in_a_stage():
    loose = [name for name, _ in _modules()
             if name not in {"qabot", "qabot.__main__"} and _stage_of(name) not in {"shared", *STAGES}]
    assert loose == [], f"modules outside the pipeline's stages: {loose}"


def test_imports_point_down_the_pipeline_and_cross_stages_through_their_surface():
    problems = []
    for name, path in _modules():
        if name in {"qabot", "qabot.__main__"}:  # the package itself and `python -m qabot` sit above all
            continue
        here = _stage_of(name)
        for line, target in _imports(path):
            there = _stage_of(target)
            if there is None:
                problems.append(f"{path.name}:{line} imports the top-level package {target}")
                continue
            if _rank(there) > _rank(here):
                problems.append(f"{name}:{line} ({here}) imports {target} ({there}), a later stage")
            elif there != here and there != "shared" and target != f"qabot.{there}":
                problems.append(f"{name}:{line} imports {target}: use its stage's surface, qabot.{there}")
    assert problems == []


@pytest.mark.parametrize("stage", STAGES + ["faces.telegram"])
def test_each_stage_says_what_it_does_and_exports_what_it_names(stage):
    package = importlib.import_module(f"qabot.{stage}")
    assert package.__doc__ and len(package.__doc__.split()) > 10
    for exported in getattr(package, "__all__", []):
        assert hasattr(package, exported), f"qabot.{stage} names {exported} but does not export it"


def test_the_public_entry_is_importable_from_the_top():
    import qabot
    from qabot.answering import Library

    assert qabot.Library is Library
    assert callable(qabot.load_settings)


def test_the_readme_module_table_names_every_module_and_no_other():
    """README's "How it works" table is where a newcomer looks first: it must match the tree."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("| folder | modules | job |")
    rows = readme[start:readme.index("\n\n", start)].splitlines()[2:]
    listed = set()
    for row in rows:
        folder, modules = (cell.strip() for cell in row.split("|")[1:3])
        folder = folder.strip("`").rstrip("/")
        for sub, inner in re.findall(r"`(\w+)/` \(([^)]*)\)", modules):  # telegram/ (bot, ...)
            listed |= {f"{folder}/{sub}/{m}" for m in re.findall(r"`(\w+)`", inner)}
        modules = re.sub(r"`\w+/` \([^)]*\)", "", modules)
        listed |= {m if folder == "qabot" else f"{folder}/{m}" for m in re.findall(r"`(\w+)`", modules)}
    actual = {p.relative_to(PACKAGE).with_suffix("").as_posix() for p in PACKAGE.rglob("*.py")
              if p.stem not in {"__init__", "__main__"}}
    assert sorted(actual - listed) == [], "modules missing from README's table"
    assert sorted(listed - actual) == [], "README's table names modules that do not exist"
