"""Issue 15: the web app's markup lives in templates, none is built in Python strings.

Every string literal in ``kintsugi/web`` (docstrings aside) is checked for an HTML tag;
the few that read HTML rather than write it are listed here with the reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kintsugi

WEB = Path(kintsugi.__file__).parent / "web"
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
# (file, literal): patterns that find markup in a response, never build it.
READS_HTML: set[tuple[str, str]] = set()


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _tagged_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip or (path.name, node.value) in READS_HTML:
            continue
        if TAG.search(node.value):
            found.append(f"{path.relative_to(WEB)}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_the_check_finds_html_in_a_string():
    assert TAG.search('<li id="x">') and TAG.search("</div>") and not TAG.search("a < b > c")


def test_no_python_file_of_the_web_app_builds_html():
    files = sorted(WEB.rglob("*.py"))
    assert len(files) > 30
    offenders = [line for path in files for line in _tagged_literals(path)]
    assert not offenders, "markup belongs in a template:\n" + "\n".join(offenders)
