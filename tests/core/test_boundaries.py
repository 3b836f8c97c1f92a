"""The core knows no robot and no scheduler: it finds them through entry points. Checked on
the source itself, so a lazy import or a module path in a string is caught too."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

PLUGINS = ("robots", "scheduler")
# A module path or file path into a plugin package: "robots.invoices", "scheduler.cli:x",
# "scheduler/schedules.toml"; not the settings section "[robots.NAME]".
PATH_IN_STRING = re.compile(rf"(?<!\[)\b({'|'.join(PLUGINS)})[./:]\w")


def _violations() -> list[str]:
    found = []
    for path in sorted((REPO / "backoffice").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(REPO)
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and PATH_IN_STRING.search(node.value) and not _is_docstring(tree, node)):
                found.append(f"{where}:{node.lineno}: {node.value[:60]!r}")
            found += [f"{where}:{node.lineno}: import {n}" for n in names
                      if n.split(".")[0] in PLUGINS]
    return found


def _is_docstring(tree: ast.AST, node: ast.Constant) -> bool:
    for parent in ast.walk(tree):
        body = getattr(parent, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and body[0].value is node):
            return True
    return False


def test_the_core_imports_no_robot_and_no_scheduler_not_even_lazily():
    assert _violations() == []


def test_the_cli_does_not_depend_on_the_web_layer():
    cli = REPO / "backoffice" / "cli"
    imports = [f"{p.name}: {n.module}" for p in cli.glob("*.py")
               for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("backoffice.web")]
    assert imports == []
