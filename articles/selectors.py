"""Read paths of stories, with their joins and prefetches."""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from articles.models import (
    Article,
    ArticleEvent,
    Byline,
    Correction,
    FrontSlot,
    PhotoUse,
    Revision,
    Section,
    ShareDelivery,
    ShareFanout,
)
from articles.search import index as search
from articles.search.text import Query


def stories_for_staff() -> QuerySet[Article]:
    return Article.objects.select_related("section", "series", "created_by").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("profile")),
    )


def story_with_content(article_id: int) -> Article:
    return (
        Article.objects.select_related("section", "series", "share_photo")
        .prefetch_related(
            "tags",
            "extra_sections",
            "corrections",
            Prefetch("bylines", queryset=Byline.objects.select_related("profile__user")),
            Prefetch(
                "photo_uses",
                queryset=PhotoUse.objects.select_related("photo").prefetch_related(
                    "photo__renditions"
                ),
            ),
        )
        .get(pk=article_id)
    )


# The dashboard's panels: (key, statuses, newest-first order).
DESK_PANELS = (
    ("returned", (Article.Status.RETURNED,), "-last_saved_at"),
    ("drafts", (Article.Status.DRAFT,), "-last_saved_at"),
    ("submitted", (Article.Status.SUBMITTED,), "-last_saved_at"),
    ("scheduled", (Article.Status.SCHEDULED,), "-scheduled_publish_at"),
    ("published", (Article.Status.PUBLISHED,), "-published_at"),
)


def stories_of(user) -> QuerySet[Article]:
    """The stories a staff member wrote or carries a byline on."""
    bylined = Byline.objects.filter(article=OuterRef("pk"), profile__user=user)
    return Article.objects.filter(Q(created_by=user) | Exists(bylined))


def desk_panel_counts(user) -> dict[str, int]:
    """How many of the staff member's stories each dashboard panel holds, in one query."""
    return stories_of(user).aggregate(
        **{key: Count("pk", filter=Q(status__in=statuses)) for key, statuses, _ in DESK_PANELS}
    )


def desk_panel(user, key: str) -> QuerySet[Article]:
    statuses, order = next((s, o) for k, s, o in DESK_PANELS if k == key)
    return (
        stories_of(user)
        .filter(status__in=statuses)
        .select_related("section")
        .defer("body")
        .order_by(order, "-pk")
    )


def review_queue(*, section: Section | None = None, profile_id: int | None = None):
    """Submitted stories, longest waiting first, with when each was submitted, its
    bylines, section and whoever has it open."""
    submitted_at = (
        ArticleEvent.objects.filter(article=OuterRef("pk"), action="submit")
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    stories = (
        Article.objects.filter(status=Article.Status.SUBMITTED)
        .annotate(submitted_at=Subquery(submitted_at))
        .select_related("section__parent", "editing_by__staff_profile")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("profile")))
        .defer("body")
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    if section is not None:
        below = Section.objects.descendants(section, include_self=True).values("pk")
        stories = stories.filter(section__in=below)
    if profile_id is not None:
        stories = stories.filter(
            Exists(Byline.objects.filter(article=OuterRef("pk"), profile_id=profile_id))
        )
    return stories


def coming_up(start, end) -> tuple[list[Article], list[Article]]:
    """Scheduled publications and scheduled take-downs between two moments, soonest first."""
    fields = ("section", "editing_by")
    publishing = list(
        Article.objects.filter(
            status=Article.Status.SCHEDULED, scheduled_publish_at__range=(start, end)
        )
        .select_related(*fields)
        .defer("body")
        .order_by("scheduled_publish_at", "pk")
    )
    unpublishing = list(
        Article.objects.filter(
            status=Article.Status.PUBLISHED, scheduled_unpublish_at__range=(start, end)
        )
        .select_related(*fields)
        .defer("body")
        .order_by("scheduled_unpublish_at", "pk")
    )
    return publishing, unpublishing


def history(article: Article) -> QuerySet[ArticleEvent]:
    return article.events.select_related("actor")


def revisions(article: Article) -> QuerySet[Revision]:
    return article.revisions.all()


# --- reader pages ----------------------------------------------------------------------------


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def for_lists(stories: QuerySet[Article]) -> QuerySet[Article]:
    """What a headline list needs: the series for its label; never the body."""
    return stories.select_related("series").defer("body")


def with_lead_photo(stories: QuerySet[Article]) -> QuerySet[Article]:
    """Lists that show a picture: the lead photo use, its photo and renditions, in a fixed
    number of queries. Read it as `story.lead_uses[0]` (empty when there is none)."""
    return stories.prefetch_related(
        Prefetch(
            "photo_uses",
            queryset=PhotoUse.objects.filter(is_lead=True)
            .select_related("photo")
            .prefetch_related("photo__renditions"),
            to_attr="lead_uses",
        )
    )


def story_for_reader(article_id: int) -> Article:
    """The article page: the story with everything it shows, in a fixed number of queries,
    whatever the number of bylines, photos, tags or corrections. Any status: the view
    decides what a reader may see."""
    return (
        Article.objects.select_related("section__parent", "series", "share_photo")
        .prefetch_related(
            "tags",
            "corrections",
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("profile"),
            ),
            Prefetch(
                "photo_uses",
                queryset=PhotoUse.objects.select_related("photo").prefetch_related(
                    "photo__renditions"
                ),
            ),
            "share_photo__renditions",
        )
        .get(pk=article_id)
    )


def latest(count: int = 10, *, exclude: int | None = None) -> list[Article]:
    stories = for_lists(published()).order_by("-published_at", "-id")
    if exclude:
        stories = stories.exclude(pk=exclude)
    return list(stories[:count])


def by_profile(profile_id: int, *, count: int = 5, exclude: int | None = None) -> list[Article]:
    stories = for_lists(published().filter(bylines__profile_id=profile_id)).order_by(
        "-published_at", "-id"
    )
    if exclude:
        stories = stories.exclude(pk=exclude)
    return list(stories.distinct()[:count])


def series_parts(series_id: int) -> list[Article]:
    return list(for_lists(published().filter(series_id=series_id)).order_by("series_ordinal"))


def most_read(count: int = 10, *, now=None) -> list[Article]:
    """많이 본 기사: stories of the last 7 days, ranked by reads in the last 24 hours."""
    now = now or timezone.now()
    return list(
        for_lists(published().filter(published_at__gte=now - timedelta(days=7)))
        .annotate(
            reads=Sum(
                "view_counts__count", filter=Q(view_counts__hour__gte=now - timedelta(hours=24))
            )
        )
        .filter(reads__gt=0)
        .order_by("-reads", "-published_at")[:count]
    )


def section_path(section) -> list[Section]:
    """The section and its ancestors, top section first (the breadcrumb), at any depth."""
    return list(Section.objects.ancestors(section, include_self=True).select_related("parent"))


def in_section(section) -> QuerySet[Article]:
    """A section's stories: filed in it or in any section below it, or also shown in it."""
    below = list(
        Section.objects.descendants(section, include_self=True).values_list("pk", flat=True)
    )
    return with_lead_photo(
        for_lists(published().filter(Q(section__in=below) | Q(extra_sections=section)).distinct())
    )


def _curated_front(section, newest: list[Article], *, top_count: int, within=None):
    """The lead and top stories of a page: the curated ones still public, in their order,
    then the newest stories not already placed. Before any curation, the newest story with
    a photo leads."""
    curated = curated_stories(section, within)
    if not curated:
        with_photo = [story for story in newest if story.lead_uses]
        lead = with_photo[0] if with_photo else (newest[0] if newest else None)
        return lead, [story for story in newest if story is not lead][:top_count]
    placed = {story.pk for story in curated}
    stories = curated + [story for story in newest if story.pk not in placed]
    return stories[0], stories[1 : top_count + 1]


def curated_stories(section, within: QuerySet[Article] | None = None) -> list[Article]:
    """The page's curated stories that are still public (and, for a section's page, still
    in `within`, its stories: one moved to another section leaves), in the editors' order."""
    slots = list(
        FrontSlot.objects.filter(section=section, article__status=Article.Status.PUBLISHED)
        .order_by("position")
        .values_list("article_id", flat=True)
    )
    if not slots:
        return []
    if within is None:
        within = with_lead_photo(for_lists(published()).select_related("section"))
    stories = within.in_bulk(slots)
    return [stories[pk] for pk in slots if pk in stories]


def section_front(section, stories: QuerySet[Article]) -> tuple[Article | None, list[Article]]:
    """A top section's lead and top stories, once editors have curated it (else none)."""
    if section.parent_id or not FrontSlot.objects.filter(section=section).exists():
        return None, []
    newest = list(stories.order_by("-published_at", "-id")[: SECTION_TOP_STORIES + 1])
    return _curated_front(section, newest, top_count=SECTION_TOP_STORIES, within=stories)


def public_corrections():
    return (
        Correction.objects.filter(article__status=Article.Status.PUBLISHED)
        .select_related("article__series")
        .order_by("-created_at", "-pk")
    )


FRONT_SECTION_STORIES = 4
SECTION_TOP_STORIES = 4
# The front page looks at this many of the newest stories to fill every section's box.
FRONT_WINDOW = 200


def front_page(*, now=None) -> dict:
    """The lead story, the next top stories, and the newest stories of each top section,
    in a fixed number of queries. The lead and top stories are the editors' choice
    (articles.workflow.curate); an empty slot takes the newest story not shown yet."""
    recent = list(
        with_lead_photo(for_lists(published()).select_related("section")).order_by(
            "-published_at", "-id"
        )[:FRONT_WINDOW]
    )
    lead, top = _curated_front(None, recent, top_count=6)
    parents = dict(Section.objects.values_list("pk", "parent_id"))
    sections = list(
        Section.objects.filter(parent__isnull=True, is_active=True).order_by("order", "name")
    )
    by_top = {section.pk: [] for section in sections}
    for story in recent:
        top_id = story.section_id
        while parents.get(top_id):  # up to the top section, however deep
            top_id = parents[top_id]
        if top_id in by_top and len(by_top[top_id]) < FRONT_SECTION_STORIES:
            by_top[top_id].append(story)
    return {
        "lead": lead,
        "top": top,
        "section_boxes": [
            (section, by_top[section.pk]) for section in sections if by_top[section.pk]
        ],
        "latest": recent[:10],
        "most_read": most_read(10, now=now),
    }


# --- search, feeds and sitemaps ---------------------------------------------------------------

# Results beyond this many are not paged through: a reader refines the query instead, and a
# one-syllable query that matches every story costs no more than this.
SEARCH_MAX_RESULTS = 1000


def search_results(
    query: Query,
    *,
    section: Section | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Article]:
    """Published stories holding every term, in a section (and the sections below it) and
    between two days (Korean dates, both included): headline matches first, then the
    newest. The body stays: the result's snippet is cut from it."""
    stories = published().filter(search.matching(query))
    if section is not None:
        stories = stories.filter(
            Q(section__in=_section_and_below(section))
            | Q(
                pk__in=Article.extra_sections.through.objects.filter(section=section).values(
                    "article_id"
                )
            )
        )
    if since is not None:
        stories = stories.filter(published_at__gte=_start_of(since))
    if until is not None:
        stories = stories.filter(published_at__lt=_start_of(until + timedelta(days=1)))
    in_headline = Q()
    for term in query.terms:
        in_headline &= Q(search_entry__headline__contains=term)
    return with_lead_photo(
        stories.select_related("series", "section")
        .annotate(
            headline_match=Case(
                When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-headline_match", "-published_at", "-id")
    )[:SEARCH_MAX_RESULTS]


def _section_and_below(section: Section) -> list[int]:
    return list(
        Section.objects.descendants(section, include_self=True).values_list("pk", flat=True)
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


FEED_SIZE = 50


def feed_stories(section: Section | None = None) -> list[Article]:
    """The newest published stories (of a section and those below it) with what an RSS item
    shows: section, bylines with their profiles, the lead photo and its renditions."""
    stories = published()
    if section is not None:
        stories = stories.filter(
            Q(section__in=_section_and_below(section)) | Q(extra_sections=section)
        ).distinct()
    return list(
        with_lead_photo(
            stories.select_related("section", "series")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("profile"))
            )
            .defer("body")
            .order_by("-published_at", "-id")
        )[:FEED_SIZE]
    )


def last_modified():
    """When a published story last changed for readers: its update, else its publication."""
    return Coalesce("revised_at", "published_at")


def sitemap_months() -> list[dict]:
    """Each month (Korean time) with published stories, and when its newest change was."""
    return list(
        published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(lastmod=Max(last_modified()))
        .order_by("month")
    )


def sitemap_month(year: int, month: int) -> list[Article]:
    """A month's published stories (Korean time), oldest first, each with `lastmod`."""
    start = datetime(year, month, 1, tzinfo=timezone.get_current_timezone())
    end = (start + timedelta(days=32)).replace(day=1)
    return list(
        published()
        .filter(published_at__gte=start, published_at__lt=end)
        .annotate(lastmod=last_modified())
        .only("pk", "slug", "published_at", "revised_at")
        .order_by("published_at", "id")
    )


NEWS_SITEMAP_WINDOW = timedelta(hours=48)
NEWS_SITEMAP_SIZE = 1000  # Google News reads at most this many per sitemap


def news_sitemap(*, now: datetime | None = None) -> list[Article]:
    """Stories published in the last 48 hours, newest first: the Google News sitemap."""
    now = now or timezone.now()
    return list(
        published()
        .filter(published_at__gte=now - NEWS_SITEMAP_WINDOW)
        .only("pk", "slug", "headline", "published_at")
        .order_by("-published_at", "-id")[:NEWS_SITEMAP_SIZE]
    )


# --- sharing ----------------------------------------------------------------------------


def stored_share(article_id: int, digest: str) -> tuple[dict, dict[str, dict]] | None:
    """The card a fan-out built for the story as it is now (public, same shared fields),
    and each network's stored metadata: one query. None until such a card is ready."""
    deliveries = list(
        ShareDelivery.objects.filter(
            fanout__article_id=article_id,
            fanout__is_public=True,
            fanout__fields_hash=digest,
            fanout__card_ready_at__isnull=False,
        )
        .select_related("fanout")
        .order_by("-fanout_id", "pk")
    )
    if not deliveries:
        return None
    latest = deliveries[0].fanout
    return latest.card, {
        d.network: d.metadata
        for d in deliveries
        if d.fanout_id == latest.pk and d.metadata.get("public")
    }


def share_fanouts_for_desk(article_id: int, *, count: int = 2) -> list[ShareFanout]:
    """The story's latest fan-outs with their deliveries, newest first (the desk's
    sharing section): two queries."""
    return list(
        ShareFanout.objects.filter(article_id=article_id)
        .prefetch_related(Prefetch("deliveries", queryset=ShareDelivery.objects.order_by("pk")))
        .order_by("-pk")[:count]
    )
