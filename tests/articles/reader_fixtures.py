"""What the reader-page tests share: a small newsroom of sections, photos made through the
library, stories walked through articles.workflow, and a little HTML reader.

Import the fixtures into a test module with `from tests.articles.reader_fixtures import *`.
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.utils import timezone, translation

from accounts import roles
from articles import sanitize, workflow
from articles.models import Article, Section, Series
from media import library
from tests.factories import SectionFactory, SeriesFactory, UserFactory
from tests.media.conftest import as_upload, encode, picture

__all__ = [
    "Desk",
    "Html",
    "desk",
    "korean",
    "library_photo",
    "newsroom",
    "parse",
]

Status = Article.Status
# Where a story's body marks a photo: replaced by the placeholder of the story's Nth use.
PHOTO_TOKEN = re.compile(r"\[\[photo:(\d+)\]\]")


def korean(message: str) -> str:
    """What a Korean page shows for this message of the catalogue."""
    with translation.override("ko"):
        return translation.gettext(message)


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


# --- the newsroom ---------------------------------------------------------------------------


@dataclass
class Newsroom:
    industry: Section  # a top section
    electronics: Section  # its subsection
    finance: Section  # another top section
    series: Series


@pytest.fixture
def newsroom(section):
    """기업과산업 › 전자·전기·정보통신, 금융, and the series 반도체 공급망."""
    return Newsroom(
        industry=section,
        electronics=SectionFactory(name="전자·전기·정보통신", slug="electronics", parent=section),
        finance=SectionFactory(name="금융", slug="finance", order=1),
        series=SeriesFactory(name="반도체 공급망", slug="chip-supply"),
    )


@pytest.fixture
def library_photo(reporter, django_capture_on_commit_callbacks):
    """`library_photo(caption=..., alt_text=..., credit=...)`: a small JPEG uploaded through
    the library by the reporter, its renditions (w320 and the 1200x630 share crop) made
    in-process after commit."""

    def make(*, caption="", alt_text="", credit="", width=48, height=36, actor=None):
        data = encode(picture(width, height), "JPEG", quality=70)
        with django_capture_on_commit_callbacks(execute=True):
            result = library.upload(
                as_upload(data),
                actor=actor or reporter,
                caption=caption,
                alt_text=alt_text,
                credit=credit,
            )
        return result.photo

    return make


class Desk:
    """Stories made the way the desk makes them: written by a reporter, published by the
    editor, every step through articles.workflow."""

    def __init__(self, reporter, editor, section):
        self.reporter, self.editor, self.section = reporter, editor, section
        self._serial = 0

    def staff(self, byline: str):
        """Another reporter, for bylines."""
        self._serial += 1
        user = UserFactory(email=f"byline{self._serial}@example.com")
        roles.grant_role(user, roles.Role.REPORTER, actor=None)
        profile = user.staff_profile
        profile.byline_name = byline
        profile.save(update_fields=["byline_name"])
        return user

    def story(
        self,
        headline: str = "반도체 수출 석 달째 증가",
        *,
        state: str = Status.PUBLISHED,
        at: datetime | None = None,
        author=None,
        section: Section | None = None,
        body: str = "<p>반도체 수출이 석 달째 늘었다.</p>",
        photo_uses: list[dict] | None = None,
        **content,
    ) -> Article:
        """A story walked to `state`; published (or submitted) at `at` when given. A body's
        `[[photo:N]]` becomes the placeholder of the story's Nth photo use."""
        writer = author or self.reporter
        with time_machine.travel(at, tick=False) if at else nullcontext():
            story = workflow.create(
                actor=writer,
                section=section or self.section,
                headline=headline,
                body=PHOTO_TOKEN.sub("", body),
                **({"photo_uses": photo_uses} if photo_uses else {}),
                **content,
            )
            if photo_uses and PHOTO_TOKEN.search(body):
                uses = list(story.photo_uses.order_by("order", "pk"))
                story = self.edit(
                    story,
                    actor=writer,
                    body=PHOTO_TOKEN.sub(
                        lambda match: sanitize.placeholder(uses[int(match[1])].pk), body
                    ),
                )
            if state == Status.DRAFT:
                return _fresh(story)
            if writer == self.editor and state == Status.PUBLISHED:
                return _fresh(workflow.publish(story, actor=self.editor))
            story = workflow.submit(story, actor=writer)
            if state == Status.SUBMITTED:
                return _fresh(story)
            if state == Status.RETURNED:
                return _fresh(
                    workflow.return_for_changes(
                        story, actor=self.editor, note="출처를 밝혀 주세요."
                    )
                )
            if state == Status.SCHEDULED:
                moment = timezone.now() + timedelta(days=1)
                return _fresh(workflow.schedule(story, actor=self.editor, at=moment))
            story = workflow.publish(story, actor=self.editor)
            if state == Status.PUBLISHED:
                return _fresh(story)
            if state == Status.UNPUBLISHED:
                return _fresh(
                    workflow.unpublish(
                        story,
                        actor=self.editor,
                        reason="소송 위험 (내부 메모)",
                        public_note="당사자의 요청으로 기사를 내렸습니다.",
                    )
                )
        raise ValueError(state)

    def edit(self, story: Article, *, actor=None, **content) -> Article:
        story.refresh_from_db()
        return _fresh(
            workflow.save(
                story, actor=actor or self.editor, base_version=story.version, content=content
            )
        )

    def correct(self, story: Article, note: str, **content) -> Article:
        story.refresh_from_db()
        return _fresh(
            workflow.correct(
                story,
                actor=self.editor,
                base_version=story.version,
                note=note,
                content=content or None,
            )
        )

    def many(self, count: int, *, start: datetime | None = None, prefix="기사", **options):
        """`count` published stories, one a minute apart from `start` (default: `count`
        minutes ago), oldest first."""
        start = start or timezone.now() - timedelta(minutes=count + 1)
        return [
            self.story(f"{prefix} {number:03d}", at=start + timedelta(minutes=number), **options)
            for number in range(1, count + 1)
        ]


@pytest.fixture
def desk(reporter, editor, section):
    return Desk(reporter, editor, section)


def _fresh(article: Article) -> Article:
    article.refresh_from_db()
    return article
