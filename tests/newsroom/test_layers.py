"""The layers hold: a lower layer never names a higher one, in Python or in a template.

Lowest first: newsroom's infrastructure (outbox, tasks, models, inputs, health, admin base, the
Celery app...) < accounts < media < articles < comments < the site's wiring (newsroom's
settings, urls, views, context processors, templates, the demo loader), which may name any
app. "Naming" is an import, a model or module named by string (apps.get_model,
import_module), a URL name reversed in Python or by {% url %}, a template tag library loaded
by {% load %}, and a template included or extended.

One direction of template inheritance is the design: every page extends the site's frame
(newsroom/templates: base.html, desk_base.html, newsroom/pagination.html), which the
wiring owns. Extending or including the frame is allowed; anything else upwards is not.
Values a lower app reads from a setting (LOGIN_REDIRECT_BY_ROLE, STAFF_PROFILE_URL,
MEMBER_PAGE_SECTIONS) are the wiring's choice, not the app naming a higher one.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "media", "articles", "comments")
INFRASTRUCTURE, WIRING = "newsroom (infrastructure)", "newsroom (wiring)"
RANK = {INFRASTRUCTURE: 0, "accounts": 1, "media": 2, "articles": 3, "comments": 4, WIRING: 5}

# newsroom's modules that wire the site together; every other newsroom module is
# infrastructure the apps build on.
WIRING_MODULES = {
    "newsroom.settings",
    "newsroom.urls",
    "newsroom.views",
    "newsroom.context_processors",
    "newsroom.wsgi",
    "newsroom.asgi",
    "newsroom.management.commands.load_demo",
}

# The designed plug-in points, each with why. Stories know nothing of comments: the comments
# app supplies template tags that the story pages load, so articles/ never imports comments.
ALLOWED = {
    (
        "articles/templates/articles/article.html",
        "comments_tags",
    ): "the article page draws the comment block with {% comment_block %}",
    (
        "articles/templates/articles/desk/dashboard.html",
        "comments_tags",
    ): "the reporter's dashboard shows each story's comment count with {% comment_counts %}",
}

# URL namespaces (and unnamespaced names) by the app whose urlconf defines them; names of
# Django's admin and of allauth are third-party, below every layer.
URL_OWNERS = {
    "story_desk": "articles",
    "articles": "articles",
    "syndication": "articles",
    "comments": "comments",
    "comment_desk": "comments",
    "media": "media",
    "accounts": "accounts",
    "desk-staff": "accounts",
    "desk-profile": WIRING,
    "theme-css": WIRING,
    "healthz": WIRING,
}
REVERSERS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
NAMERS = {"get_model", "import_module", "find_spec"}

TEMPLATE_TAG = re.compile(r"{%\s*(load|url|include|extends)\s+(.+?)\s*%}")


def layer_of_module(dotted: str) -> str | None:
    top = dotted.split(".")[0]
    if top in APPS:
        return top
    if top == "newsroom":
        wiring = any(dotted == m or dotted.startswith(m + ".") for m in WIRING_MODULES)
        return WIRING if wiring else INFRASTRUCTURE
    return None  # Django, allauth, the standard library...


def layer_of_path(relative: str) -> str | None:
    parts = Path(relative).parts
    if parts[0] in APPS:
        return parts[0]
    if parts[0] == "newsroom":
        if parts[1] == "templates":
            return WIRING
        return layer_of_module(".".join(Path(relative).with_suffix("").parts))
    return None


def tag_libraries() -> dict[str, str]:
    return {
        library.stem: library.relative_to(ROOT).parts[0]
        for app in ("newsroom", *APPS)
        for library in (ROOT / app).glob("templatetags/*.py")
        if library.stem != "__init__"
    }


def template_owners() -> dict[str, str]:
    """Each template name the apps define, by the layer of the folder it lives in."""
    owners = {}
    for app in ("newsroom", *APPS):
        folder = ROOT / app / "templates"
        for template in folder.rglob("*"):
            if template.is_file():
                owners[template.relative_to(folder).as_posix()] = layer_of_path(
                    template.relative_to(ROOT).as_posix()
                )
    return owners


def url_owner(name: str) -> str | None:
    return URL_OWNERS.get(name.split(":")[0] if ":" in name else name)


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def names_in_python(source: str) -> list[tuple[int, str, str | None]]:
    """(line, what is named, its layer) for each reference a Python module makes."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, layer_of_module(a.name)) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, layer_of_module(node.module)))
            if node.module == "newsroom":  # from newsroom import settings, urls, outbox...
                found += [
                    (node.lineno, f"newsroom.{a.name}", layer_of_module(f"newsroom.{a.name}"))
                    for a in node.names
                ]
        elif isinstance(node, ast.Call) and node.args:
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            value = _string(node.args[0])
            if value is None:
                continue
            if called in REVERSERS and not value.startswith(("/", "http")):
                found.append((node.lineno, f"URL {value}", url_owner(value)))
            elif called in NAMERS:
                found.append((node.lineno, value, layer_of_module(value)))
    return found


def names_in_template(text: str, libraries: dict, owners: dict) -> list[tuple[int, str, str]]:
    found = []
    for match in TEMPLATE_TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        tag, argument = match.group(1), match.group(2)
        if tag == "load":
            words = argument.split()
            names = words[words.index("from") + 1 :] if "from" in words else words
            found += [(line, f"{{% load {n} %}}", libraries.get(n)) for n in names]
        elif tag == "url":
            name = argument.split()[0].strip("'\"")
            found.append((line, f"{{% url '{name}' %}}", url_owner(name)))
        else:
            name = argument.split()[0].strip("'\"")
            found.append((line, f"{{% {tag} '{name}' %}}", owners.get(name)))
    return found


def violations(files: dict[str, str]) -> list[str]:
    """Every reference in `files` (path relative to the project → text) from a lower layer
    to a higher one, as readable lines, less the allowed plug-in points."""
    libraries, owners = tag_libraries(), template_owners()
    problems = []
    for path, text in sorted(files.items()):
        here = layer_of_path(path)
        if here is None:
            continue
        if path.endswith(".py"):
            names = names_in_python(text)
        else:
            names = names_in_template(text, libraries, owners)
        for line, named, there in names:
            if there is None or RANK[there] <= RANK[here]:
                continue
            if there == WIRING and named.startswith(("{% extends", "{% include")):
                continue  # the site's frame, which every page plugs into
            if (path, named.removeprefix("{% load ").removesuffix(" %}")) in ALLOWED:
                continue
            problems.append(f"{path}:{line} names {named} ({there} is above {here})")
    return problems


def project_files() -> dict[str, str]:
    files = {}
    for app in ("newsroom", *APPS):
        for source in (ROOT / app).rglob("*"):
            relative = source.relative_to(ROOT).as_posix()
            if not source.is_file() or "/migrations/" in relative or "__pycache__" in relative:
                continue
            if source.suffix == ".py" or "/templates/" in relative:
                files[relative] = source.read_text(encoding="utf-8")
    return files


def test_no_lower_layer_names_a_higher_one():
    assert violations(project_files()) == []


def test_the_checker_catches_an_accounts_template_loading_the_comments_tags():
    template = "{% load i18n %}\n<p>{% load comments_tags %}{% my_comments %}</p>\n"

    assert violations({"accounts/templates/accounts/me.html": template}) == [
        "accounts/templates/accounts/me.html:2 names {% load comments_tags %} "
        "(comments is above accounts)"
    ]


def test_the_checker_catches_imports_url_names_and_includes_upwards():
    found = violations(
        {
            "media/library.py": "def f():\n    from articles.models import Article\n",
            "accounts/adapter.py": "reverse('story_desk:dashboard')\n",
            "articles/workflow.py": "from newsroom import settings\n",
            "accounts/templates/accounts/x.html": '{% include "comments/form.html" %}',
        }
    )

    assert found == [
        "accounts/adapter.py:1 names URL story_desk:dashboard (articles is above accounts)",
        "accounts/templates/accounts/x.html:1 names {% include 'comments/form.html' %} "
        "(comments is above accounts)",
        "articles/workflow.py:1 names newsroom.settings (newsroom (wiring) is above articles)",
        "media/library.py:2 names articles.models (articles is above media)",
    ]


def test_every_allowed_exception_still_exists():
    files = project_files()
    for (path, library), _why in ALLOWED.items():
        assert f"{{% load {library} %}}" in files[path] or library in files[path], path
