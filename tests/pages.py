"""Reading pages in tests: a small HTML parser (`parse(response)`, then `.select`, `.one`,
`.text`), what a Korean page shows for a message of the catalogue (`korean`), and a page
asked for with every cache empty (`cold`)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.cache import cache
from django.utils import translation

from newsroom import pagecache


def korean(message: str) -> str:
    """What a Korean page shows for this message of the catalogue."""
    with translation.override("ko"):
        return translation.gettext(message)


# --- caches -------------------------------------------------------------------------------


def caches_on(settings) -> None:
    """The page cache and the fragments on, as on the site (the tests run without them;
    their invalidation, which follows a commit, needs the fixture `page_cache`)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True


def cold(client, path: str, data=None, **extra):
    """`client.get` with every cache empty, the shared one and this process's tiers: what
    a page costs when nothing it is built from has been kept."""
    cache.clear()
    pagecache.clear()
    return client.get(path, data, **extra)


# --- HTML -----------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Html:
    """One element of a parsed page: its tag, attributes, children and text."""

    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Html elements and strings
    parent: "Html | None" = field(default=None, repr=False)

    @property
    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child.text if isinstance(child, Html) else child)
        return " ".join(" ".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Html):
                yield child
                yield from child.iter()

    def select(self, tag: str | None = None, *, cls: str | None = None, **attrs) -> list["Html"]:
        """Elements under this one with this tag, CSS class and attributes (value True: the
        attribute is present). Attribute names use _ for -."""
        found = []
        for element in self.iter():
            if tag and element.tag != tag:
                continue
            if cls and cls not in element.attrs.get("class", "").split():
                continue
            if all(
                (name.replace("_", "-") in element.attrs)
                if value is True
                else element.attrs.get(name.replace("_", "-")) == value
                for name, value in attrs.items()
            ):
                found.append(element)
        return found

    def one(self, tag: str | None = None, **kwargs) -> "Html":
        found = self.select(tag, **kwargs)
        assert len(found) == 1, f"{len(found)} <{tag} {kwargs}> found"
        return found[0]

    def meta(self, name: str) -> str:
        """The content of <meta property=name> or <meta name=name>."""
        found = self.select("meta", property=name) or self.select("meta", name=name)
        assert len(found) == 1, f"{len(found)} meta {name}"
        return found[0].attrs["content"]

    def links(self) -> list[str]:
        return [element.attrs.get("href", "") for element in self.select("a")]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Html("#document")
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Html(tag, {name: value or "" for name, value in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Html(tag, {name: value or "" for name, value in attrs}, parent=self.current)
        self.current.children.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(response_or_text) -> Html:
    text = (
        response_or_text
        if isinstance(response_or_text, str)
        else response_or_text.content.decode("utf-8")
    )
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
