"""The layers hold: a lower layer never names a higher one, in Python or in a template.

Lowest first: newsroom's infrastructure (outbox, tasks, models, inputs, health, requestlog,
env, admin base, the Celery app, apps.py, the check_background and run_periodic commands)
< accounts < media < articles < comments < the site's wiring (newsroom's settings, urls,
views, context processors, templates, wsgi/asgi, the load_demo command and the backups with
their backup and restore commands), which may name any app. Django, allauth and the other
third-party packages are below every layer.

"Naming" is any of:
- in Python: an import (at the top or inside a function); a module, model, permission or
  task named by a dotted string ("articles.models", "articles.Article",
  "articles.publish_article", f"articles.{verb}_..."); an app label given to apps.get_model,
  get_app_config, is_installed or import_module; a URL name given to reverse, reverse_lazy,
  redirect or resolve_url (or as viewname=, pattern_name=, login_url=, next_page=), or any
  "namespace:name" string of a known namespace; a template's name ("comments/form.html");
- in a template: {% load %} of a tag library, {% url %}, {% include %}, {% extends %} and
  {% static %} of another app's file.

Values a lower app reads from a setting (LOGIN_REDIRECT_BY_ROLE, STAFF_PROFILE_URL,
MEMBER_PAGE_SECTIONS) or from the wiring's context (home_url) are the wiring's choice, not
the app naming a higher one. The designed plug-in points are listed in ALLOWED with why.
"""

import ast
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "media", "articles", "comments")
INFRASTRUCTURE, WIRING = "newsroom (infrastructure)", "newsroom (wiring)"
RANK = {INFRASTRUCTURE: 0, "accounts": 1, "media": 2, "articles": 3, "comments": 4, WIRING: 5}

# newsroom's modules that wire the site together; every other newsroom module (outbox,
# tasks, models, inputs, links, admin_base, admin, env, requestlog, health, celery, apps and the
# check_background and run_periodic commands) is infrastructure the apps build on.
WIRING_MODULES = {
    "newsroom.settings",
    "newsroom.urls",
    "newsroom.views",
    "newsroom.context_processors",
    "newsroom.wsgi",
    "newsroom.asgi",
    "newsroom.management.commands.load_demo",
    # A backup covers every app: it checksums the stories, revisions and comments by name.
    "newsroom.backups",
    "newsroom.management.commands.backup",
    "newsroom.management.commands.restore",
}

# The site's frame, which the wiring owns and every page plugs into: extending or including
# these is how an app's page gets the header, the footer and the pager. Nothing else of the
# wiring's templates may be named from below.
FRAME = {"base.html", "desk_base.html", "newsroom/pagination.html"}

# URL namespaces (and unnamespaced URL names) by the app whose urlconf defines them. Django's
# admin pages belong to the app of their model ("admin:articles_article_change"); the other
# names are the admin's own ("admin:index") and allauth's ("account_login",
# "socialaccount_..."): third-party, below every layer.
# test_every_url_name_of_the_site_has_an_owner keeps this in step with the URLconf.
URL_OWNERS = {
    "story_desk": "articles",
    "articles": "articles",
    "newsletters": "articles",
    "syndication": "articles",
    "newsletter-tracking": "articles",
    "comments": "comments",
    "comment_desk": "comments",
    "media": "media",
    "accounts": "accounts",
    "desk-staff": "accounts",
    "desk-profile": WIRING,
    "theme-css": WIRING,
    "healthz": WIRING,
    "healthz-live": WIRING,
    "healthz-ready": WIRING,
}

# The designed plug-in points, and the upward names that remain until their files change,
# each with why. Keys are (file, what it does, what it names); the name may be a pattern.
ALLOWED = {
    ("articles/templates/articles/article.html", "loads", "comments_tags"): (
        "the article page draws the comment block with {% comment_block article %}: stories "
        "know nothing of comments, the comments app plugs in through its tags"
    ),
    ("articles/templates/articles/desk/dashboard.html", "loads", "comments_tags"): (
        "the reporter's dashboard shows each published story's comment count with "
        "{% comment_counts %}, the same plug-in point"
    ),
    ("accounts/roles.py", "names", "'media.*'"): (
        "the role table (ROLE_PERMISSIONS) grants the photo library's permissions by their "
        "'app_label.codename'; to go when each app contributes its roles' permissions"
    ),
    ("accounts/roles.py", "names", "'articles.*'"): (
        "the role table grants writing, section and publishing permissions the same way"
    ),
    ("accounts/roles.py", "names", "'comments.*'"): (
        "the role table grants moderators comments' permissions the same way"
    ),
    ("newsroom/celery.py", "names", "'articles.*'"): (
        "PERIODIC_JOBS, the one schedule of periodic jobs, names the apps' tasks: the "
        "schedule is wiring kept beside the Celery app; to go when it moves to a setting"
    ),
    ("newsroom/celery.py", "names", "'comments.*'"): "the same schedule (comments.end_blinds)",
    ("newsroom/celery.py", "names", "'accounts.*'"): (
        "the same schedule (accounts.forget_attempts)"
    ),
    ("newsroom/celery.py", "names", "'newsroom.settings'"): (
        "the worker's entry point (celery -A newsroom) sets the default DJANGO_SETTINGS_MODULE, "
        "as manage.py, wsgi.py and asgi.py do; it names the module, never imports it"
    ),
}

REVERSERS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
URL_KEYWORDS = {"viewname", "pattern_name", "login_url", "next_page"}
APP_LABEL_TAKERS = {"get_model", "get_app_config", "is_installed", "import_module", "find_spec"}
# "articles.models", "articles.Article", "articles.publish_article", "articles.run_schedule"
DOTTED = re.compile(rf"^({'|'.join(('newsroom', *APPS))})(\.[A-Za-z_]\w*)+$")
INCLUDES = {"include": "includes", "extends": "extends"}
# {# #} ends on its line (Django prints one that does not); {% comment %} spans lines.
TEMPLATE_COMMENT = re.compile(r"{#[^\n]*?#}|(?s:{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%})")
TEMPLATE_TAG = re.compile(r"{%\s*(load|url|include|extends|static)\s+(.+?)\s*%}")


class Reference(NamedTuple):
    line: int
    verb: str  # imports, names, reverses, renders; loads, links, includes, extends, uses
    target: str
    layer: str | None  # None: third-party, or not known to belong to a layer


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
        if len(parts) > 1 and parts[1] in ("templates", "static"):
            return WIRING
        return layer_of_module(".".join(Path(relative).with_suffix("").parts))
    return None


def url_owner(name: str) -> str | None:
    namespace, _colon, rest = name.rpartition(":")
    if namespace == "admin":  # admin:articles_article_change is the articles app's page
        return next((app for app in APPS if rest.startswith(app + "_")), None)
    return URL_OWNERS.get(name.split(":")[0])


def tag_libraries(root: Path = ROOT) -> dict[str, str]:
    """Each template tag library ({% load name %}) by the layer of the app defining it."""
    return {
        library.stem: layer_of_path(library.relative_to(root).as_posix())
        for app in ("newsroom", *APPS)
        for library in (root / app).glob("templatetags/*.py")
        if library.stem != "__init__"
    }


def _files_under(root: Path, folder: str) -> dict[str, str]:
    """Each file name inside the apps' `folder` (templates/, static/), by its layer."""
    owners = {}
    for app in ("newsroom", *APPS):
        base = root / app / folder
        for file in sorted(base.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                owners[file.relative_to(base).as_posix()] = layer_of_path(
                    file.relative_to(root).as_posix()
                )
    return owners


def template_owners(root: Path = ROOT) -> dict[str, str]:
    return _files_under(root, "templates")


def static_owners(root: Path = ROOT) -> dict[str, str]:
    return _files_under(root, "static")


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _url(line: int, name: str) -> Reference:
    return Reference(line, "reverses", name, url_owner(name))


def names_in_python(source: str, templates: dict[str, str]) -> list[Reference]:
    """Every reference a Python module makes to something a layer owns."""
    found: list[Reference] = []
    seen: set[int] = set()  # string constants already read as a call's argument
    nodes = list(ast.walk(ast.parse(source)))
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [
                Reference(node.lineno, "imports", a.name, layer_of_module(a.name))
                for a in node.names
            ]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(
                Reference(node.lineno, "imports", node.module, layer_of_module(node.module))
            )
            if node.module == "newsroom":  # from newsroom import settings, urls, outbox...
                for alias in node.names:
                    module = f"newsroom.{alias.name}"
                    found.append(Reference(node.lineno, "imports", module, layer_of_module(module)))
        elif isinstance(node, ast.Call):
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = _string(node.args[0]) if node.args else None
            if called in REVERSERS and first is not None:
                seen.add(id(node.args[0]))
                if not first.startswith(("/", "http", ".")):
                    found.append(_url(node.lineno, first))
            elif called in APP_LABEL_TAKERS and first is not None:
                seen.add(id(node.args[0]))
                found.append(Reference(node.lineno, "names", repr(first), layer_of_module(first)))
            for keyword in node.keywords:
                value = _string(keyword.value)
                if keyword.arg in URL_KEYWORDS and value is not None:
                    seen.add(id(keyword.value))
                    if not value.startswith(("/", "http", ".")):
                        found.append(_url(node.lineno, value))
        elif isinstance(node, ast.JoinedStr) and node.values:
            # f"articles.{verb}_{model}": the constant head names the app.
            for part in node.values:
                seen.add(id(part))
            head = _string(node.values[0])
            if head and (match := re.match(rf"^({'|'.join(APPS)})\.", head)):
                found.append(Reference(node.lineno, "names", repr(head + "…"), match.group(1)))
    for node in nodes:
        value = _string(node)
        if value is None or id(node) in seen:
            continue
        if DOTTED.match(value):
            found.append(Reference(node.lineno, "names", repr(value), layer_of_module(value)))
        elif re.match(r"^[\w-]+:[\w-]+$", value) and value.split(":")[0] in URL_OWNERS:
            found.append(_url(node.lineno, value))
        elif value in templates:
            found.append(Reference(node.lineno, "renders", value, templates[value]))
    return sorted(found)


def _argument(argument: str) -> str:
    return argument.split()[0].strip("'\"")


def names_in_template(
    text: str, libraries: dict[str, str], templates: dict[str, str], statics: dict[str, str]
) -> list[Reference]:
    found = []
    # What a comment says is not a reference; blanking it keeps the lines where they were.
    text = TEMPLATE_COMMENT.sub(lambda comment: re.sub(r"[^\n]", " ", comment.group()), text)
    for match in TEMPLATE_TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        tag, argument = match.group(1), match.group(2)
        if tag == "load":
            words = argument.split()
            names = words[words.index("from") + 1 :] if "from" in words else words
            found += [Reference(line, "loads", n, libraries.get(n)) for n in names]
        elif tag == "url":
            found.append(
                Reference(line, "links", _argument(argument), url_owner(_argument(argument)))
            )
        elif tag == "static":
            found.append(
                Reference(line, "uses", _argument(argument), statics.get(_argument(argument)))
            )
        else:  # include, extends
            name = _argument(argument)
            found.append(Reference(line, INCLUDES[tag], name, templates.get(name)))
    return found


def _allowed_key(path: str, reference: Reference) -> tuple[str, str, str] | None:
    for key in ALLOWED:
        allowed_path, verb, pattern = key
        if (
            path == allowed_path
            and reference.verb == verb
            and fnmatchcase(reference.target, pattern)
        ):
            return key
    return None


def upward_references(files: dict[str, str], root: Path = ROOT) -> list[tuple[str, Reference, str]]:
    """(path, reference, the path's layer) for each reference in `files` (path relative to
    the project → text) from a lower layer to a higher one, allowed or not."""
    libraries, templates, statics = tag_libraries(root), template_owners(root), static_owners(root)
    upward = []
    for path, text in sorted(files.items()):
        here = layer_of_path(path)
        if here is None:
            continue
        if path.endswith(".py"):
            references = names_in_python(text, templates)
        else:
            references = names_in_template(text, libraries, templates, statics)
        for reference in references:
            if reference.layer is None or RANK[reference.layer] <= RANK[here]:
                continue
            if reference.verb in ("extends", "includes") and reference.target in FRAME:
                continue  # the site's frame, which every page plugs into
            upward.append((path, reference, here))
    return upward


def readable(upward: list[tuple[str, Reference, str]]) -> list[str]:
    """One line per upward reference, less the allowed plug-in points."""
    return [
        f"{path}:{ref.line} {ref.verb} {ref.target} ({ref.layer} is above {here})"
        for path, ref, here in upward
        if _allowed_key(path, ref) is None
    ]


def violations(files: dict[str, str], root: Path = ROOT) -> list[str]:
    """Readable lines, one per reference from a lower layer to a higher one in `files`
    (path relative to the project → text), less the allowed plug-in points."""
    return readable(upward_references(files, root))


def project_files(root: Path = ROOT) -> dict[str, str]:
    """Every Python module and template of newsroom and the apps under `root`, by path."""
    files = {}
    for app in ("newsroom", *APPS):
        for source in sorted((root / app).rglob("*")):
            relative = source.relative_to(root).as_posix()
            if not source.is_file() or "/migrations/" in relative or "__pycache__" in relative:
                continue
            if source.suffix == ".py" or "/templates/" in relative:
                files[relative] = source.read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def upward():
    """The project's upward references, read once for the tests below."""
    return upward_references(project_files())


def test_no_lower_layer_names_a_higher_one(upward):
    found = readable(upward)

    assert not found, "A lower layer names a higher one:\n" + "\n".join(found)


def test_every_allowed_exception_is_still_used(upward):
    used = {_allowed_key(path, ref) for path, ref, _here in upward}

    assert set(ALLOWED) - used == set(), "Allowed but no longer needed: remove them from ALLOWED"


def test_every_url_name_of_the_site_has_an_owner():
    """URL_OWNERS knows every URL name whose view is the project's own; the others (Django's
    admin, allauth and its providers) are third-party."""
    from django.urls import URLResolver, get_resolver

    def names(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from names(entry, inner)
            elif entry.name:
                view = getattr(entry.callback, "view_class", entry.callback)
                yield namespace + entry.name, view.__module__

    unowned = {
        name
        for name, module in names(get_resolver())
        if url_owner(name) is None and layer_of_module(module) is not None
    }

    assert unowned == set(), "Add these URL names (or their namespace) to URL_OWNERS"


def test_the_checker_catches_an_accounts_template_loading_the_comments_tags():
    template = "{% load i18n %}\n<p>{% load comments_tags %}{% my_comments %}</p>\n"

    assert violations({"accounts/templates/accounts/me.html": template}) == [
        "accounts/templates/accounts/me.html:2 loads comments_tags (comments is above accounts)"
    ]


def test_the_checker_reads_a_project_folder(tmp_path):
    me = tmp_path / "accounts" / "templates" / "accounts" / "me.html"
    me.parent.mkdir(parents=True)
    me.write_text('{% extends "base.html" %}{% load comments_tags %}', encoding="utf-8")
    (tmp_path / "accounts" / "adapter.py").write_text(
        "def landing():\n    return reverse('story_desk:dashboard')\n", encoding="utf-8"
    )

    assert violations(project_files(tmp_path)) == [
        "accounts/adapter.py:2 reverses story_desk:dashboard (articles is above accounts)",
        "accounts/templates/accounts/me.html:1 loads comments_tags (comments is above accounts)",
    ]


def test_the_checker_catches_imports_strings_url_names_and_templates_upwards():
    found = violations(
        {
            "media/library.py": "def f():\n    from articles.models import Article\n",
            "media/views.py": (
                "redirect('desk-profile')\nreverse('admin:articles_article_changelist')\n"
            ),
            "media/selectors.py": "apps.get_model('comments', 'Comment')\n",
            "accounts/adapter.py": (
                "reverse('story_desk:dashboard')\n"
                "LANDING = 'articles:home'\n"
                "PERMISSION = f'articles.{verb}_article'\n"
                "render(request, 'comments/my_comments.html')\n"
            ),
            "accounts/selectors.py": "import_module('comments.selectors')\n",
            "articles/workflow.py": "from newsroom import settings\n",
            "newsroom/outbox.py": "TASK = 'articles.run_schedule'\n",
            "accounts/templates/accounts/goodbye.html": (
                '{% extends "base.html" %}\n'
                "<a href=\"{% url 'articles:home' %}\">\n"
                '{% include "comments/form.html" with form=None %}\n'
                '{% include "newsroom/profile.html" %}\n'
                "<script src=\"{% static 'comments/comments.js' %}\"></script>\n"
            ),
        }
    )

    assert found == [
        "accounts/adapter.py:1 reverses story_desk:dashboard (articles is above accounts)",
        "accounts/adapter.py:2 reverses articles:home (articles is above accounts)",
        "accounts/adapter.py:3 names 'articles.…' (articles is above accounts)",
        "accounts/adapter.py:4 renders comments/my_comments.html (comments is above accounts)",
        "accounts/selectors.py:1 names 'comments.selectors' (comments is above accounts)",
        "accounts/templates/accounts/goodbye.html:2 links articles:home "
        "(articles is above accounts)",
        "accounts/templates/accounts/goodbye.html:3 includes comments/form.html "
        "(comments is above accounts)",
        "accounts/templates/accounts/goodbye.html:4 includes newsroom/profile.html "
        "(newsroom (wiring) is above accounts)",
        "accounts/templates/accounts/goodbye.html:5 uses comments/comments.js "
        "(comments is above accounts)",
        "articles/workflow.py:1 imports newsroom.settings (newsroom (wiring) is above articles)",
        "media/library.py:2 imports articles.models (articles is above media)",
        "media/selectors.py:1 names 'comments' (comments is above media)",
        "media/views.py:1 reverses desk-profile (newsroom (wiring) is above media)",
        "media/views.py:2 reverses admin:articles_article_changelist (articles is above media)",
        "newsroom/outbox.py:1 names 'articles.run_schedule' "
        "(articles is above newsroom (infrastructure))",
    ]


def test_the_checker_lets_pages_plug_into_the_frame_and_third_party_names_pass():
    found = violations(
        {
            "accounts/templates/accounts/me.html": (
                '{% extends "base.html" %}{% load i18n static %}'
                '{% include "newsroom/pagination.html" with page=page %}'
                "{% url 'account_logout' %}{% url 'accounts:delete' %}{% include section %}\n"
                "{# was {% load comments_tags %} #}{% comment %}\n"
                "{% url 'articles:home' %}\n{% endcomment %}"
            ),
            "accounts/adapter.py": (
                "from allauth.account.adapter import DefaultAccountAdapter\n"
                "from newsroom import inputs\n"
                "resolve_url(settings.LOGIN_REDIRECT_BY_ROLE['editor'])\n"
                "reverse('admin:index')\n"
                "reverse('admin:accounts_user_change', args=[1])\n"
            ),
            "media/templates/media/photo_list.html": "{% extends 'desk_base.html' %}",
        }
    )

    assert found == []
