"""What each reader page is built from, and what a change to the stories retires.

One function per page kind gives the set of dependencies its page records in the page cache
(newsroom.pagecache); the changes below bump the same names, after their commit. A story's
change bumps the story, every section it is filed in up the tree, its reporters, series and
tags, home, search, feeds and sitemaps; a story's comment changing visibility bumps only
its comment block (lists show comment counts that may lag by their page's lifetime).
"""

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import RoleChange, StaffProfile
from articles.models import Article, Beat, Newsletter, Section, Series, Tag
from media.models import StaffPortrait
from newsroom import pagecache

HOME = "home"
STORIES = "stories"  # any published story: search results
FEEDS = "feeds"  # the feeds and the sitemaps
SECTIONS = "sections"  # the section menu on every page
CORRECTIONS = "corrections"
REPORTERS = "reporters"  # who is a reporter, and what the index shows of each
NEWSLETTERS = "newsletters"  # the newsletters offered: the subscribe boxes


def story(story_id: int) -> str:
    return f"story:{story_id}"


def comments(story_id: int) -> str:
    return f"comments:{story_id}"


def section(section_id: int) -> str:
    return f"section:{section_id}"


def reporter(profile_id: int) -> str:
    return f"reporter:{profile_id}"


def series(series_id: int) -> str:
    return f"series:{series_id}"


def tag(tag_id: int) -> str:
    return f"tag:{tag_id}"


# --- pages ---------------------------------------------------------------------------------


def article_page(article: Article) -> set[str]:
    """The story, its bylines and its comments exactly; its sidebars (latest, most read,
    more by the reporter) follow the page's lifetime. Reads the prefetched bylines."""
    keys = {story(article.pk), comments(article.pk), SECTIONS}
    keys.update(
        reporter(byline.profile_id) for byline in article.bylines.all() if byline.profile_id
    )
    if article.series_id:
        keys.add(series(article.series_id))
    return keys


def home_page() -> set[str]:
    return {HOME, SECTIONS}


def section_page(found: Section) -> set[str]:
    return {section(found.pk), SECTIONS}


def reporter_page(profile: StaffProfile) -> set[str]:
    return {reporter(profile.pk), SECTIONS}


def reporters_page() -> set[str]:
    """The index shows each reporter's newest story: any story's change may be one."""
    return {REPORTERS, STORIES, SECTIONS}


def series_page(found: Series) -> set[str]:
    return {series(found.pk), SECTIONS}


def tag_page(found: Tag) -> set[str]:
    return {tag(found.pk), SECTIONS}


def corrections_page() -> set[str]:
    return {CORRECTIONS, SECTIONS}


def search_page() -> set[str]:
    return {STORIES, SECTIONS}


def newsletters_page() -> set[str]:
    return {NEWSLETTERS, SECTIONS}


def syndication() -> set[str]:
    return {FEEDS}


# --- changes -------------------------------------------------------------------------------


def of_story(article: Article) -> set[str]:
    """Everything a change to this story, as it is now, shows on (two queries: its
    sections with their ancestors, and its reporters; tags and series are read as
    prefetched or by id)."""
    filed = {article.section_id, *article.extra_sections.values_list("pk", flat=True)}
    ancestry = Section.objects.with_tree_fields().filter(pk__in=filed)
    keys = {story(article.pk), HOME, STORIES, FEEDS, CORRECTIONS}
    keys.update(section(pk) for node in ancestry for pk in node.tree_path)
    keys.update(
        reporter(pk)
        for pk in article.bylines.exclude(profile=None).values_list("profile_id", flat=True)
    )
    keys.update(tag(pk) for pk in article.tags.values_list("pk", flat=True))
    if article.series_id:
        keys.add(series(article.series_id))
    return keys


def story_changed(article: Article, before: Iterable[str] = ()) -> None:
    """Retire the pages showing the story, as it is now and as it was (`before`: the
    story's `of_story` read before a change that may move it elsewhere)."""
    pagecache.touch(of_story(article) | set(before))


def comments_changed(story_id: int) -> None:
    pagecache.touch({comments(story_id)})


def front_changed(front: Section | None) -> None:
    pagecache.touch({HOME} if front is None else {section(front.pk)})


# Sections, series, tags, reporters' profiles, portraits and beats are edited in the admin
# and the staff pages, not through the workflow: any save retires every page that shows them.
@receiver([post_save, post_delete], sender=Section)
def _section_saved(sender, instance, **kwargs):
    pagecache.touch({SECTIONS, section(instance.pk), HOME})


# Newsletters are made and renamed in the admin: the subscribe boxes follow at once (the
# pages holding a box keep theirs for their own lifetime, a minute or two).
@receiver([post_save, post_delete], sender=Newsletter)
def _newsletter_saved(sender, instance, **kwargs):
    pagecache.touch({NEWSLETTERS})


@receiver([post_save, post_delete], sender=Series)
def _series_saved(sender, instance, **kwargs):
    pagecache.touch({series(instance.pk)})


@receiver([post_save, post_delete], sender=Tag)
def _tag_saved(sender, instance, **kwargs):
    pagecache.touch({tag(instance.pk)})


@receiver([post_save, post_delete], sender=StaffProfile)
def _profile_saved(sender, instance, **kwargs):
    pagecache.touch({reporter(instance.pk), REPORTERS})


@receiver([post_save, post_delete], sender=StaffPortrait)
@receiver([post_save, post_delete], sender=Beat)
def _profile_part_saved(sender, instance, **kwargs):
    pagecache.touch({reporter(instance.profile_id), REPORTERS})


# Every grant, removal, switch-off and switch-on of an account writes one of these
# (accounts.roles.record): who the index lists.
@receiver(post_save, sender=RoleChange)
def _roles_changed(sender, instance, created, **kwargs):
    if created:
        pagecache.touch({REPORTERS})
