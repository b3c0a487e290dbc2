"""The parts many reader pages share, kept apart from the pages as fragments
(newsroom.pagecache.fragment) and retired by the same dependencies (articles.dependencies):
after a page-cache miss, a page is built from them instead of asking the database again.

- the section tree, for the breadcrumbs and a section's page, and the section menu of
  every page, rendered: until a section is saved (SECTIONS), five minutes at most;
- 최신기사 and 많이 본 기사, rendered: until a published story changes (STORIES), a minute
  at most (reads are counted without any change);
- a story's related boxes, rendered (more by its reporter, its series' parts): until the
  story, the reporter's stories or the series change;
- the newsletters' subscribe box of the article page and home, rendered: until a
  newsletter is saved (NEWSLETTERS), ten minutes at most;
- a story as its page shows it (selectors.story_for_reader), and the parts of its page
  drawn from it alone (the head's share metadata, the story itself from the breadcrumb to
  the copyright line), rendered: until the story (its share card being stored included),
  a section, its reporters or its series change, two minutes at most (a photo's sizes
  becoming ready).

What is rendered is kept per language: its links and words are.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from articles import dependencies, selectors
from articles.models import Article
from articles.newsletters import selectors as newsletter_selectors
from articles.newsletters import subscriptions
from newsroom import pagecache

SECTIONS_LIFETIME = 300
SIDEBAR_LIFETIME = 60
RELATED_LIFETIME = 300
SIDEBAR_COUNT = 10
STORY_LIFETIME = 120
NEWSLETTER_BOX_LIFETIME = 600
# Where a request keeps the tree it read: the menu and the page itself share it.
_ON_REQUEST = "articles_section_tree"


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def section_tree(request=None) -> selectors.SectionTree:
    """Every section (selectors.SectionTree), read once per request however many parts of
    the page ask for it."""
    tree = getattr(request, _ON_REQUEST, None)
    if tree is None:
        tree = pagecache.fragment(
            "sections", {dependencies.SECTIONS}, SECTIONS_LIFETIME, selectors.section_tree
        )
        if request is not None:
            setattr(request, _ON_REQUEST, tree)
    return tree


def section_nav(request=None) -> str:
    """The section menu under every reader page's header, rendered."""
    return pagecache.fragment(
        f"section-nav:{_language()}",
        {dependencies.SECTIONS},
        SECTIONS_LIFETIME,
        lambda: render_to_string(
            "articles/includes/section_nav.html",
            {"top_sections": section_tree(request).top},
        ),
    )


def headlines(stories) -> list[str]:
    """Each story's headline link, rendered as `{% headline_link %}` draws it."""
    return [
        render_to_string("articles/includes/headline_link.html", {"story": story, "css_class": ""})
        for story in stories
    ]


def latest(*, exclude: int | None = None) -> list[str]:
    """최신기사: the newest stories' headline links. The article page leaves its own story
    out, so one more is kept."""

    def build() -> list[tuple[int, str]]:
        stories = selectors.latest(SIDEBAR_COUNT + 1)
        return list(zip([story.pk for story in stories], headlines(stories), strict=True))

    items = pagecache.fragment(
        f"latest:{_language()}", {dependencies.STORIES}, SIDEBAR_LIFETIME, build
    )
    return [html for pk, html in items if pk != exclude][:SIDEBAR_COUNT]


def most_read() -> list[str]:
    """많이 본 기사: the most read stories' headline links (selectors.most_read)."""
    return pagecache.fragment(
        f"most-read:{_language()}",
        {dependencies.STORIES},
        SIDEBAR_LIFETIME,
        lambda: headlines(selectors.most_read(SIDEBAR_COUNT)),
    )


def newsletter_box() -> str:
    """The subscribe box (articles.newsletters): the newsletters offered, each with its
    box to tick, and the consent sentence; nothing when none is offered."""

    def build() -> str:
        newsletters = newsletter_selectors.offered()
        if not newsletters:
            return ""
        return render_to_string(
            "articles/newsletters/box.html",
            {"newsletters": newsletters, "consent_text": subscriptions.CONSENT_TEXT},
        )

    return pagecache.fragment(
        f"newsletter-box:{_language()}",
        {dependencies.NEWSLETTERS},
        NEWSLETTER_BOX_LIFETIME,
        build,
    )


def related_boxes(article: Article, primary) -> str:
    """The article page's boxes of more stories by its first staff byline's reporter and
    of its series' parts, rendered (nothing when it has neither)."""
    profile_id = primary.pk if primary is not None else None
    if profile_id is None and not article.series_id:
        return ""

    def build() -> str:
        more, parts = selectors.related_lists(article, profile_id)
        return render_to_string(
            "articles/includes/related_boxes.html",
            {
                "article": article,
                "primary": primary,
                "more_by_reporter": more,
                "series_parts": parts,
            },
        )

    keys = {dependencies.story(article.pk)}
    if profile_id is not None:
        keys.add(dependencies.reporter(profile_id))
    if article.series_id:
        keys.add(dependencies.series(article.series_id))
    return pagecache.fragment(
        f"related:{_language()}:{article.pk}:{profile_id}:{article.series_id}",
        keys,
        RELATED_LIFETIME,
        build,
    )


def story(article_id: int) -> Article:
    """selectors.story_for_reader, kept (see the module's note); Article.DoesNotExist as
    it does."""
    return pagecache.fragment(
        f"story:{article_id}",
        {dependencies.story(article_id), dependencies.SECTIONS},
        STORY_LIFETIME,
        lambda: selectors.story_for_reader(article_id),
        found_in=_story_dependencies,
    )


def story_part(article: Article, name: str, build) -> str:
    """A part of the article page drawn from the story alone, `build()` rendering it."""
    return pagecache.fragment(
        f"story-part:{_language()}:{article.pk}:{name}",
        _story_dependencies(article),
        STORY_LIFETIME,
        build,
    )


def _story_dependencies(article: Article) -> set[str]:
    # Its comments are the page's, not the story's.
    return dependencies.article_page(article) - {dependencies.comments(article.pk)}
