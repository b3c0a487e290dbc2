"""Read paths of stories, with their joins and prefetches."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
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

from accounts.models import StaffProfile
from accounts.roles import Role
from articles.models import (
    CLAIM_OPEN,
    Article,
    ArticleEvent,
    Beat,
    Byline,
    Correction,
    FrontSlot,
    PhotoUse,
    PressClaim,
    Revision,
    Section,
    ShareDelivery,
    ShareFanout,
    Tag,
)
from articles.search import index as search
from articles.search.text import Query
from media import selectors as media_selectors
from newsroom import jsonrows


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
    """The stories a staff member wrote or carries a byline on. One id set of the two
    (each read through its own index): an `OR EXISTS` would read every story."""
    bylined = Byline.objects.filter(profile__user=user).order_by().values("article_id")
    written = Article.objects.filter(created_by=user).order_by().values("pk")
    return Article.objects.filter(pk__in=written.union(bylined))


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


def trash(user, *, everyone: bool) -> QuerySet[Article]:
    """The trash page: spiked stories, the latest spiked first (editors: `everyone`'s;
    reporters their own), each with who spiked it (`spiked_by`, the name as recorded),
    its section and bylines."""
    spiked_by = (
        ArticleEvent.objects.filter(article=OuterRef("pk"), action="spike")
        .order_by("-created_at", "-pk")
        .values("actor_name")[:1]
    )
    stories = Article.objects.filter(status=Article.Status.SPIKED)
    if not everyone:
        stories = stories.filter(pk__in=stories_of(user).values("pk"))
    return (
        stories.annotate(spiked_by=Subquery(spiked_by))
        .select_related("section")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("profile")))
        .defer("body")
        .order_by("-spiked_at", "-pk")
    )


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


def with_photo_flag(stories: QuerySet[Article]) -> QuerySet[Article]:
    """`has_lead_photo` on each story, in the same query (the unpublished lead is chosen
    among the newest stories with one). A join to the story's one lead photo use
    (PhotoUse's one-lead constraint) rather than `EXISTS`, which PostgreSQL plans as a hash
    of every lead photo of the archive before the page is cut."""
    lead = FilteredRelation("photo_uses", condition=Q(photo_uses__is_lead=True))
    return stories.annotate(lead_use=lead).annotate(
        has_lead_photo=Case(
            When(lead_use__isnull=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def attach_lead_photos(*story_lists: Iterable[Article | None]) -> None:
    """Set `story.lead_uses` (the lead photo use with its photo and renditions, or an empty
    list) on every story of a page's lists, in one query for all of them, whatever their
    number: read it as `story.lead_uses.0` in a template."""
    stories = [story for stories in story_lists for story in stories if story is not None]
    if not stories:
        return
    uses = PhotoUse.objects.filter(
        article__in={story.pk for story in stories}, is_lead=True
    ).select_related("photo")
    by_story = {use.article_id: use for use in media_selectors.with_renditions(uses)}
    for story in stories:
        story.lead_uses = [by_story[story.pk]] if story.pk in by_story else []


def story_for_reader(article_id: int) -> Article:
    """The article page's story with everything it shows, in two queries whatever the
    number of bylines, photos, tags or corrections: the story with its section, series,
    share photo and their renditions, its tags, corrections and bylines with their
    profiles (folded into its row as JSON, newsroom.jsonrows); then its photo uses with
    their photos and renditions. Any status: the view decides what a reader may see."""
    story = (
        Article.objects.select_related("section__parent", "series", "share_photo")
        .annotate(
            tag_rows=jsonrows.rows(Tag.objects.all(), "articles", jsonrows.fields(Tag)),
            correction_rows=jsonrows.rows(
                Correction.objects.all(), "article", jsonrows.fields(Correction)
            ),
            byline_rows=jsonrows.rows(
                Byline.objects.all(),
                "article",
                jsonrows.fields(Byline, profile=jsonrows.fields(StaffProfile, "profile")),
            ),
            share_renditions=media_selectors.renditions_json("share_photo_id"),
            # The notice at the top of the story: an open press-arbitration claim whose
            # editor chose to show it (articles.claims.set_notice_shown).
            claim_notice=Exists(
                PressClaim.objects.filter(
                    article=OuterRef("pk"), status__in=CLAIM_OPEN, notice_shown=True
                )
            ),
        )
        .get(pk=article_id)
    )
    # In each model's own order (Meta.ordering): the database does not keep it in JSON.
    tags = jsonrows.instances(Tag, story.tag_rows)
    jsonrows.attach(story, "tags", sorted(tags, key=lambda tag: tag.name))
    corrections = jsonrows.instances(Correction, story.correction_rows)
    jsonrows.attach(
        story, "corrections", sorted(corrections, key=lambda note: (note.created_at, note.pk))
    )
    bylines = jsonrows.instances(Byline, story.byline_rows, nested={"profile": StaffProfile})
    jsonrows.attach(story, "bylines", sorted(bylines, key=lambda byline: (byline.order, byline.pk)))
    if story.share_photo is not None:
        media_selectors.attach_renditions(story.share_photo, story.share_renditions)
    uses = PhotoUse.objects.filter(article=story).select_related("photo").order_by("order", "pk")
    jsonrows.attach(story, "photo_uses", media_selectors.with_renditions(uses))
    return story


def latest(count: int = 10) -> list[Article]:
    return list(for_lists(published()).order_by("-published_at", "-id")[:count])


def related_lists(article: Article, profile_id: int | None, *, count: int = 5):
    """The article page's boxes: the newest stories of its first staff byline's reporter
    but this one, and every published part of its series in order; one query for both
    (none when it has neither)."""
    if profile_id is None and not article.series_id:
        return [], []
    by_reporter = Exists(Byline.objects.filter(article=OuterRef("pk"), profile_id=profile_id))
    newest = published().filter(by_reporter).exclude(pk=article.pk).order_by("-published_at", "-id")
    wanted = Q(pk__in=newest.values("pk")[:count]) if profile_id is not None else Q(pk__in=[])
    if article.series_id:
        wanted |= Q(series_id=article.series_id)
    stories = list(
        for_lists(published().filter(wanted)).annotate(
            by_reporter=by_reporter if profile_id is not None else Value(False)
        )
    )
    # Parts of the series by the same reporter come too: older than the newest `count`
    # (the query's), so the newest of them all are those.
    more = sorted(
        (story for story in stories if story.by_reporter and story.pk != article.pk),
        key=lambda story: (story.published_at, story.pk),
        reverse=True,
    )[:count]
    parts = sorted(
        (story for story in stories if article.series_id and story.series_id == article.series_id),
        key=lambda story: story.series_ordinal,
    )
    return more, parts


def reporter(slug: str) -> StaffProfile:
    """A reporter's page: the profile with its portrait and the portrait's renditions, in
    one query; StaffProfile.DoesNotExist for a slug nobody has."""
    return media_selectors.profile_with_portrait(StaffProfile.objects.all(), slug=slug)


def reporters(tree: "SectionTree") -> list[StaffProfile]:
    """기자 소개: every active staff member holding the reporter role, by name, each with
    their portrait (its photo and renditions), `beat_sections` (their beats' active
    sections, depth first, from the tree) and `latest_story` (their newest published story,
    or None). Two queries, whatever their number: the profiles with their portraits,
    renditions, beats and newest story's id, then those stories."""
    newest = (
        Byline.objects.filter(profile=OuterRef("pk"), article__status=Article.Status.PUBLISHED)
        .order_by("-article__published_at", "-article_id")
        .values("article_id")[:1]
    )
    profiles = media_selectors.profiles_with_portraits(
        StaffProfile.objects.filter(
            user__is_active=True, user__groups__name=Role.REPORTER
        ).annotate(
            latest_story_id=Subquery(newest),
            beat_rows=jsonrows.rows(Beat.objects.all(), "profile", jsonrows.fields(Beat)),
        )
    )
    wanted = {profile.latest_story_id for profile in profiles}
    stories = {story.pk: story for story in for_lists(published().filter(pk__in=wanted))}
    for profile in profiles:
        profile.latest_story = stories.get(profile.latest_story_id)
        beats = jsonrows.instances(Beat, profile.beat_rows)
        # A kept tree may predate a section made a moment ago: such a beat waits for it.
        sections = [tree.by_id.get(beat.section_id) for beat in beats]
        profile.beat_sections = sorted(
            (section for section in sections if section is not None and section.is_active),
            key=lambda section: [(step.order, step.name, step.pk) for step in tree.path(section)],
        )
    return profiles


def reporter_stories(profile: StaffProfile) -> QuerySet[Article]:
    """A reporter's published stories, for a headline list: by the id set of their bylines
    (a join would need DISTINCT, which sorts all of them before a page is cut)."""
    bylined = Byline.objects.filter(profile=profile).values("article_id")
    return for_lists(published().filter(pk__in=bylined))


def bylined_staff() -> QuerySet[StaffProfile]:
    """Staff with a byline on any story (the review queue's reporter filter), each looked
    up in the bylines' index rather than every byline joined and made distinct."""
    return StaffProfile.objects.filter(Exists(Byline.objects.filter(profile=OuterRef("pk"))))


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


@dataclass
class SectionTree:
    """Every section, active or not, read in one query and linked in Python: the menu, the
    breadcrumbs, a section's page and the sections below it all read it (articles.fragments
    keeps it between requests). Each section's `parent` is set from the same rows."""

    sections: list[Section]  # in the menu's order: order, then name

    def __post_init__(self):
        self.by_id = {section.pk: section for section in self.sections}
        self._children: dict[int, list[Section]] = {}
        for section in self.sections:
            if section.parent_id:
                section.parent = self.by_id[section.parent_id]
                self._children.setdefault(section.parent_id, []).append(section)
        self.top = [s for s in self.sections if s.parent_id is None and s.is_active]
        for section in self.top:
            section.active_children = self.children(section)

    def by_slug(self, slug: str) -> Section | None:
        return next((section for section in self.sections if section.slug == slug), None)

    def path(self, section: Section) -> list[Section]:
        """The section and its ancestors, top section first (the breadcrumb)."""
        path, node = [], self.by_id.get(section.pk)
        while node is not None:
            path.append(node)
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return path[::-1]

    def top_of(self, section_id: int) -> int:
        while self.by_id[section_id].parent_id:
            section_id = self.by_id[section_id].parent_id
        return section_id

    def children(self, section: Section) -> list[Section]:
        """The section's active subsections, in order."""
        return [child for child in self._children.get(section.pk, []) if child.is_active]

    def below(self, section: Section) -> list[int]:
        """The ids of the section and of every section under it, active or not."""
        found, waiting = [], [section.pk]
        while waiting:
            pk = waiting.pop()
            found.append(pk)
            waiting.extend(child.pk for child in self._children.get(pk, []))
        return found


def section_tree() -> SectionTree:
    return SectionTree(list(Section.objects.order_by("order", "name", "pk")))


def in_section(section: Section, tree: SectionTree) -> QuerySet[Article]:
    """A section's stories: filed in it or in any section below it, or also shown in it."""
    return with_photo_flag(
        for_lists(published().filter(_filed_or_shown(section, tree.below(section))))
    )


def _filed_or_shown(section: Section, below: list[int]) -> Q:
    """Filed in one of the sections `below`, or also shown in `section`. The extra sections
    as an id set, not a join: a join needs DISTINCT, and DISTINCT sorts every story of the
    section before a page is cut."""
    shown_here = Article.extra_sections.through.objects.filter(section=section)
    return Q(section__in=below) | Q(pk__in=shown_here.values("article_id"))


@dataclass
class Curation:
    """What editors placed on a page (articles.workflow.curate)."""

    any: bool  # there are slots, whatever became of their stories
    stories: list[Article]  # the placed stories still public (and in the section), in order


def curation(section: Section | None, within: QuerySet[Article] | None = None) -> Curation:
    """The page's curated stories that are still public (and, for a section's page, still
    in `within`, its stories: one moved to another section leaves), in the editors' order,
    with their series and sections; one query."""
    slots = (
        FrontSlot.objects.filter(section=section)
        .select_related("article__series", "article__section")
        .defer("article__body")
        .order_by("position")
    )
    if within is not None:
        slots = slots.annotate(listed=Exists(within.filter(pk=OuterRef("article_id"))))
    slots = list(slots)
    return Curation(
        any=bool(slots),
        stories=[
            slot.article
            for slot in slots
            if slot.article.status == Article.Status.PUBLISHED and (within is None or slot.listed)
        ],
    )


def _curated_front(curated: list[Article], newest: list[Article], *, top_count: int):
    """The lead and top stories of a page: the curated ones still public, in their order,
    then the newest stories not already placed. Before any curation, the newest story with
    a photo leads."""
    if not curated:
        with_photo = [story for story in newest if story.has_lead_photo]
        lead = with_photo[0] if with_photo else (newest[0] if newest else None)
        return lead, [story for story in newest if story is not lead][:top_count]
    placed = {story.pk for story in curated}
    stories = curated + [story for story in newest if story.pk not in placed]
    return stories[0], stories[1 : top_count + 1]


def section_front(
    section: Section, curated: Curation, newest: list[Article]
) -> tuple[Article | None, list[Article]]:
    """A top section's lead and top stories, once editors have curated it (else none),
    from its curation and its newest stories (the first page's, already read)."""
    if section.parent_id or not curated.any:
        return None, []
    return _curated_front(
        curated.stories, newest[: SECTION_TOP_STORIES + 1], top_count=SECTION_TOP_STORIES
    )


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


def front_page(tree: SectionTree) -> dict:
    """The lead story, the next top stories (with their photos), the newest stories of
    each top section and the ten newest, in three queries: the newest stories, the curated
    ones, the photos. The lead and top stories are the editors' choice
    (articles.workflow.curate); an empty slot takes the newest story not shown yet."""
    recent = list(
        with_photo_flag(for_lists(published()).select_related("section")).order_by(
            "-published_at", "-id"
        )[:FRONT_WINDOW]
    )
    lead, top = _curated_front(curation(None).stories, recent, top_count=6)
    attach_lead_photos([lead], top)
    by_top = {section.pk: [] for section in tree.top}
    for story in recent:
        top_id = tree.top_of(story.section_id)  # up to the top section, however deep
        if top_id in by_top and len(by_top[top_id]) < FRONT_SECTION_STORIES:
            by_top[top_id].append(story)
    return {
        "lead": lead,
        "top": top,
        "section_boxes": [
            (section, by_top[section.pk]) for section in tree.top if by_top[section.pk]
        ],
        "latest": recent[:10],
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
    tree: SectionTree | None = None,
) -> list[int]:
    """The ids of the published stories holding every term, in a section (and the sections
    below it, from the `tree` when the page has it) and between two days (Korean dates,
    both included): headline matches first, then the newest; at most SEARCH_MAX_RESULTS.
    Ids only, ranked once: the page's count is their number, and its stories are read by
    search_page (a common word matches tens of thousands of stories, whose rows and bodies
    would otherwise be sorted, and matched again for the count)."""
    stories = published().filter(search.matching(query))
    if section is not None:
        below = tree.below(section) if tree is not None else _section_and_below(section)
        stories = stories.filter(_filed_or_shown(section, below))
    if since is not None:
        stories = stories.filter(published_at__gte=_start_of(since))
    if until is not None:
        stories = stories.filter(published_at__lt=_start_of(until + timedelta(days=1)))
    in_headline = Q()
    for term in query.terms:
        in_headline &= Q(search_entry__headline__contains=term)
    return list(
        stories.annotate(
            headline_match=Case(
                When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-headline_match", "-published_at", "-id")
        .values_list("pk", flat=True)[:SEARCH_MAX_RESULTS]
    )


def search_page(ids: list[int]) -> list[Article]:
    """A page of search results, in the order of `ids`, with their series and sections. The
    body stays: the result's snippet is cut from it. Their photos: attach_lead_photos."""
    found = Article.objects.select_related("series", "section").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


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
        stories = stories.filter(_filed_or_shown(section, _section_and_below(section)))
    found = list(
        stories.select_related("section", "series")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("profile")))
        .defer("body")
        .order_by("-published_at", "-id")[:FEED_SIZE]
    )
    attach_lead_photos(found)
    return found


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


# --- press-arbitration claims (articles.claims) ---------------------------------------------


def press_claims(*, open_only: bool) -> QuerySet[PressClaim]:
    """The claims desk: with each claim's story and published notice, in one query."""
    found = PressClaim.objects.select_related("article", "correction").order_by(
        "-received_on", "-pk"
    )
    return found.filter(status__in=CLAIM_OPEN) if open_only else found


def press_claim(claim_id: int) -> PressClaim | None:
    return (
        PressClaim.objects.select_related("article", "correction", "created_by")
        .filter(pk=claim_id)
        .first()
    )


def claim_events(claim: PressClaim) -> list[ArticleEvent]:
    """The story's history rows about this claim, newest first."""
    return list(
        ArticleEvent.objects.filter(article_id=claim.article_id, data__claim=claim.pk).order_by(
            "-created_at", "-pk"
        )[:50]
    )


# --- the partner content API (articles.api) --------------------------------------------------


def partner_stories(
    *,
    section_ids: Iterable[int] | QuerySet | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: tuple[datetime, int] | None = None,
    count: int = 20,
) -> list[Article]:
    """A page of published stories for the content API, newest first, with all their parts
    (section, tags, corrections, bylines, photos and renditions), in two queries whatever
    the page's size: the stories with their small lists folded in as JSON, then every photo
    use of the page with its photo and renditions. `before` is the keyset cursor: stories
    published before it, or at the same moment with a smaller id. Stories under an embargo
    never appear, even were one published (the workflow refuses to)."""
    stories = _public_to_partners()
    if section_ids is not None:
        stories = stories.filter(section_id__in=section_ids)
    if since is not None:
        stories = stories.filter(published_at__gte=since)
    if until is not None:
        stories = stories.filter(published_at__lt=until)
    if before is not None:
        at, pk = before
        stories = stories.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    found = list(_with_parts(stories).order_by("-published_at", "-id")[:count])
    _attach_parts(found)
    return found


def partner_story(article_id: int) -> Article | None:
    """One story as partner_stories reads it, or None when it is not public."""
    found = partner_stories_by_id([article_id])
    return found[0] if found else None


def partner_stories_by_id(ids: list[int]) -> list[Article]:
    found = list(_with_parts(_public_to_partners().filter(pk__in=ids)))
    _attach_parts(found)
    return found


def _public_to_partners() -> QuerySet[Article]:
    """Published and under no embargo: drafts, scheduled, spiked or taken-down stories never."""
    return published().filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.now()))


def _with_parts(stories: QuerySet[Article]) -> QuerySet[Article]:
    # The series for the full-text feed's titles ("[연재] ..."), as the public feeds show them.
    return stories.select_related("section__parent", "series").annotate(
        tag_rows=jsonrows.rows(Tag.objects.all(), "articles", jsonrows.fields(Tag)),
        correction_rows=jsonrows.rows(
            Correction.objects.all(), "article", jsonrows.fields(Correction)
        ),
        byline_rows=jsonrows.rows(
            Byline.objects.all(),
            "article",
            jsonrows.fields(Byline, profile=jsonrows.fields(StaffProfile, "profile")),
        ),
    )


def _attach_parts(stories: list[Article]) -> None:
    """As story_for_reader attaches them, for many stories: one query for all the photos."""
    if not stories:
        return
    uses = PhotoUse.objects.filter(article__in=[story.pk for story in stories]).select_related(
        "photo"
    )
    by_story: dict[int, list[PhotoUse]] = {}
    for use in media_selectors.with_renditions(uses):
        by_story.setdefault(use.article_id, []).append(use)
    for story in stories:
        tags = jsonrows.instances(Tag, story.tag_rows)
        jsonrows.attach(story, "tags", sorted(tags, key=lambda tag: tag.name))
        corrections = jsonrows.instances(Correction, story.correction_rows)
        jsonrows.attach(
            story, "corrections", sorted(corrections, key=lambda note: (note.created_at, note.pk))
        )
        bylines = jsonrows.instances(Byline, story.byline_rows, nested={"profile": StaffProfile})
        jsonrows.attach(
            story, "bylines", sorted(bylines, key=lambda byline: (byline.order, byline.pk))
        )
        mine = sorted(by_story.get(story.pk, []), key=lambda use: (use.order, use.pk))
        jsonrows.attach(story, "photo_uses", mine)
