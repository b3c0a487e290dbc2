"""Django's {# #} comments end on the line they start: one left open spills its text onto the
page (a reader once saw a developer's note on their own page)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for app in ("newsroom", "accounts", "media", "articles", "comments")
    for path in (ROOT / app / "templates").rglob("*")
    if path.is_file()
)
OPEN_COMMENT = re.compile(r"{#(?![^\n]*#})")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_short_comment_closes_on_its_own_line(template):
    text = template.read_text(encoding="utf-8")
    lines = [text.count("\n", 0, m.start()) + 1 for m in OPEN_COMMENT.finditer(text)]
    assert lines == []
