"""The site's address map and the templates its code renders, against a snapshot.

Moving modules between packages must not change what a reader, a bookmark or a reversed URL
sees: every URL name keeps its path pattern and its view's name, and every template the code
names is still named. After a deliberate change to the map, regenerate the snapshot with
`python -m tests.newsroom.test_url_map > tests/newsroom/url_map.txt` and review its diff.
"""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("url_map.txt")
APPS = ("newsroom", "accounts", "media", "articles", "comments")
TEMPLATE_ENDINGS = (".html", ".txt", ".xml")


def _view_name(callback) -> str:
    view = getattr(callback, "view_class", None) or callback
    view = getattr(view, "__wrapped__", view)
    return getattr(view, "__name__", type(view).__name__)


def _walk(resolver: URLResolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else "(unnamed)"
            yield f"url {name} {pattern} -> {_view_name(entry.callback)}"


def _template_names():
    """Every string literal in the apps' code that names a template (a path with a folder
    and a template ending), so a moved view still renders the same files."""
    names = set()
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            if "migrations" in source.parts:
                continue
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and "/" in node.value
                    and " " not in node.value
                    # An address such as the API's "/feeds/full-text.xml", not a template.
                    and not node.value.startswith("/")
                    and node.value.endswith(TEMPLATE_ENDINGS)
                ):
                    names.add(f"template {node.value}")
    return names


def current_map() -> list[str]:
    urls = sorted(set(_walk(get_resolver(), "", "")))
    return urls + sorted(_template_names())


def test_url_names_patterns_views_and_templates_match_the_snapshot():
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert current_map() == expected


if __name__ == "__main__":
    import django

    django.setup()
    print("\n".join(current_map()))
