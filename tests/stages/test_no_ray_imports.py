"""House rule: stages and schemas know nothing of Ray (pipeline/ alone decides how stages run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in ("stages", "schemas") for p in (REPO / folder).rglob("*.py"))


def ray_imports(source: str) -> list[str]:
    """Every `import ray...` / `from ray... import` (also inside functions), as 'line: module'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found += [f"{node.lineno}: {m}" for m in modules if m == "ray" or m.startswith("ray.")]
    return found


def test_the_detector_finds_ray_imports():
    snippet = "import os, ray.data\nfrom ray import remote\ndef f():\n    import ray\nimport rayon\nfrom .ray import x\n"
    assert ray_imports(snippet) == ["1: ray.data", "2: ray", "4: ray"]


def test_there_are_files_to_scan():
    names = {p.name for p in FILES}
    assert {"base.py", "ingest_manifest.py", "probe_audio.py", "columns.py", "tables.py"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_ray_import(path):
    assert ray_imports(path.read_text(encoding="utf-8")) == [], f"{path.relative_to(REPO)} imports ray"
