"""Views turn a user's refusal into a message, never a programming error: no view module has
an `except` clause that names ValueError, TypeError or Exception (or a bare `except:`).
Refusals are StoryRefused, CommentRefused, NotAllowed or a form's ValidationError; anything
else reaches the logs as a server error."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("newsroom", "accounts", "media", "articles", "comments")
TOO_BROAD = {"ValueError", "TypeError", "Exception", "BaseException"}


def view_modules() -> list[Path]:
    modules = []
    for app in APPS:
        modules += sorted((ROOT / app).glob("views.py"))
        modules += sorted((ROOT / app).glob("views/**/*.py"))
    return modules


def broad_handlers(source: str) -> list[tuple[int, str]]:
    """(line, what it catches) of each except clause naming a too-broad exception."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ExceptHandler):
            continue
        if node.type is None:
            found.append((node.lineno, "everything"))
            continue
        caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        names = {getattr(name, "id", getattr(name, "attr", "")) for name in caught}
        found += [(node.lineno, name) for name in sorted(names & TOO_BROAD)]
    return found


def test_the_checker_finds_a_broad_handler():
    source = "try:\n    x()\nexcept (KeyError, ValueError):\n    pass\nexcept:\n    pass\n"
    assert broad_handlers(source) == [(3, "ValueError"), (5, "everything")]


def test_every_app_has_view_modules_to_check():
    assert {path.relative_to(ROOT).parts[0] for path in view_modules()} == set(APPS)


@pytest.mark.parametrize("module", view_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_view_catches_programming_errors(module):
    assert broad_handlers(module.read_text(encoding="utf-8")) == []
