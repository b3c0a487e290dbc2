import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from accounts.models import StaffProfile
from articles import labels, outbound
from media.models import Photo
from newsroom.models import HistoryEntry


class CommentMode(models.TextChoices):
    INHERIT = "inherit", _("As the section")
    OPEN = "open", _("Open")
    PREMODERATED = "premoderated", _("Held for moderation")
    CLOSED = "closed", _("Closed")


class SectionQuerySet(TreeQuerySet):
    def active_tree(self):
        """Active sections depth first, each followed by its subsections (for pickers)."""
        return self.with_tree_fields().filter(is_active=True).select_related("parent")


class Section(TreeNode):
    """A desk of the paper: top sections with subsections, e.g. 기업과산업 › 전자·전기·정보통신."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("URL slug"), max_length=80, unique=True, allow_unicode=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    comment_mode = models.CharField(
        _("default comment mode"),
        max_length=12,
        choices=[choice for choice in CommentMode.choices if choice[0] != CommentMode.INHERIT],
        default=CommentMode.OPEN,
    )
    # Comments stay open only so long after a story is first published; empty: no limit.
    comments_close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_("Days after publication when comments close by themselves; empty: never."),
    )

    objects = SectionQuerySet.as_manager(with_tree_fields=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.parent_id:
            return reverse("articles:subsection", args=[self.parent.slug, self.slug])
        return reverse("articles:section", args=[self.slug])


class Series(models.Model):
    """A story told in parts (연재), each part labelled like "[Name①]"."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("URL slug"), max_length=80, unique=True, allow_unicode=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:series", args=[self.slug])

    def label(self, ordinal: int | None) -> str:
        return labels.series_label(self.name, ordinal)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("URL slug"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", args=[self.slug])

    @staticmethod
    def normalise(name: str) -> str:
        # One spelling per tag: composed Hangul (NFC), single spaces, no leading '#'.
        return " ".join(unicodedata.normalize("NFC", name).lstrip("#").split())[:50]


class Beat(models.Model):
    """A staff member's sections. Lives here so that accounts stays the ground floor."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="beats")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="beats")

    class Meta:
        verbose_name = _("beat")
        verbose_name_plural = _("beats")
        constraints = [
            models.UniqueConstraint(fields=["profile", "section"], name="beat_once_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.profile} · {self.section}"


class Article(models.Model):
    """A story. Its status and timestamps change only in articles.workflow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        # In the trash (휴지통): off every list, restorable for TRASH_DAYS, then purged.
        SPIKED = "spiked", _("Spiked")

    headline = models.CharField(_("headline"), max_length=200)
    subheadline = models.CharField(_("subheadline"), max_length=300, blank=True)
    slug = models.SlugField(_("URL slug"), max_length=200, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("body"), blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    extra_sections = models.ManyToManyField(
        Section, verbose_name=_("also in sections"), blank=True, related_name="extra_articles"
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    series_ordinal = models.PositiveSmallIntegerField(_("part"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    comment_mode = models.CharField(
        _("comments"), max_length=12, choices=CommentMode.choices, default=CommentMode.INHERIT
    )
    share_title = models.CharField(_("share title"), max_length=70, blank=True)
    share_description = models.CharField(_("share description"), max_length=200, blank=True)
    share_photo = models.ForeignKey(
        Photo,
        verbose_name=_("share image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # "입력": first publication; "수정": the last public update, shown when it differs.
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    revised_at = models.DateTimeField(_("last updated"), null=True, blank=True)
    scheduled_publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    scheduled_unpublish_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    return_note = models.TextField(_("note from the editor"), blank=True)
    unpublish_reason = models.TextField(_("internal reason for unpublishing"), blank=True)
    unpublished_note = models.TextField(_("public note when unpublished"), blank=True)
    # An embargo (엠바고): the story may not be published, or scheduled, before this time.
    # Set, moved and lifted only by articles.workflow; the source is who imposed it.
    embargo_until = models.DateTimeField(_("embargo until"), null=True, blank=True)
    embargo_source = models.CharField(_("embargo source"), max_length=120, blank=True)
    # When the story was spiked: the trash keeps it TRASH_DAYS from then.
    spiked_at = models.DateTimeField(_("spiked"), null=True, blank=True)

    # Optimistic locking: every saved change raises it; a save from an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_saved_at = models.DateTimeField(_("last saved"), default=timezone.now)
    # The soft edit lock: a warning for others, never a block.
    editing_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    editing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("change_any_article", _("Can edit any story")),
            ("publish_article", _("Can review, schedule, publish and unpublish stories")),
        ]
        indexes = [
            # Latest stories across the site, in a section and by a reporter, newest first:
            # the front page, the section and reporter pages and their keyset "older" pages,
            # feeds, most read. In the lists' full order, and with each story's section, so
            # that a section's stories are picked from the site's newest without reading
            # the table (the desk's counts read the ids from it too).
            models.Index(
                fields=["status", "-published_at", "-id"],
                include=["section"],
                name="article_latest_idx",
            ),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            # The scheduler's sweeps: stories whose publish or unpublish time has come.
            models.Index(
                fields=["scheduled_publish_at"],
                condition=Q(status="scheduled"),
                name="article_due_publish_idx",
            ),
            models.Index(
                fields=["scheduled_unpublish_at"],
                condition=Q(status="published", scheduled_unpublish_at__isnull=False),
                name="article_due_unpublish_idx",
            ),
            # A reporter's own stories on the desk.
            models.Index(fields=["created_by", "status"], name="article_author_idx"),
            # The trash page, newest spiked first, and the purge's sweep of the oldest.
            models.Index(
                fields=["-spiked_at"],
                condition=Q(status="spiked"),
                name="article_trash_idx",
            ),
            # One person's stories picked by id (a reporter's page and its count from their
            # bylines, the dashboard's panel counts): each story's status and time from the
            # index alone, so the planner looks up those stories one by one instead of
            # reading every published story of the archive (35 ms to 8 ms for a reporter
            # with 2,000 stories among 100,000).
            models.Index(
                fields=["id"], include=["status", "published_at"], name="article_listing_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(series__isnull=True, series_ordinal__isnull=True)
                | Q(series__isnull=False, series_ordinal__isnull=False),
                name="article_series_has_ordinal",
            ),
            models.UniqueConstraint(
                fields=["series", "series_ordinal"], name="article_one_part_per_ordinal"
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_publish_at__isnull=False),
                name="article_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "unpublished"])
                | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="spiked") | Q(spiked_at__isnull=False),
                name="article_spiked_has_time",
            ),
            models.CheckConstraint(
                condition=Q(embargo_until__isnull=True) | ~Q(embargo_source=""),
                name="article_embargo_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk, self.slug or "story"])

    @property
    def series_label(self) -> str:
        return self.series.label(self.series_ordinal) if self.series_id else ""

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def under_embargo(self) -> bool:
        """An embargo not yet lifted on a story not yet published (the desk's label)."""
        return (
            self.embargo_until is not None
            and self.published_at is None
            and self.embargo_until > timezone.now()
        )

    @property
    def effective_comment_mode(self) -> str:
        if self.comment_mode == CommentMode.INHERIT:
            return self.section.comment_mode
        return self.comment_mode


class SearchEntry(models.Model):
    """A published story as search reads it: only articles.search writes it (from the
    workflow, in the story's transaction), and an unpublished story has none.

    The indexes that answer queries depend on the database and live in migration 0003:
    on SQLite two FTS5 tables kept in step by triggers, on PostgreSQL two GIN indexes."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    # All three are articles.search.text.normalise()d: case folded, words of letters and
    # digits. The headline alone ranks headline matches first.
    headline = models.TextField(_("headline"))
    content = models.TextField(_("searchable text"))
    grams = models.TextField(_("one- and two-character grams"))
    indexed_at = models.DateTimeField(_("indexed"), default=timezone.now)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.headline


class Byline(models.Model):
    """One name on a story, in order: a staff profile, or a guest's name as printed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    profile = models.ForeignKey(
        StaffProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="bylines"
    )
    guest_name = models.CharField(_("guest byline"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(profile__isnull=False) & Q(guest_name=""))
                | (Q(profile__isnull=True) & ~Q(guest_name="")),
                name="byline_staff_or_guest",
            ),
        ]
        indexes = [
            # A reporter's page: their stories.
            models.Index(fields=["profile", "article"], name="byline_profile_idx"),
        ]

    def __str__(self) -> str:
        return self.guest_name or str(self.profile)


class PhotoUse(models.Model):
    """A photo in a story, with the story's own caption, credit and alt text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photo_uses")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="uses")
    caption = models.TextField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    alt_text = models.CharField(_("alt text"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_lead = models.BooleanField(_("lead photo"), default=False)

    class Meta:
        verbose_name = _("photo in a story")
        verbose_name_plural = _("photos in stories")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(is_lead=True), name="photouse_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return self.caption[:40] or str(self.photo)


class Correction(models.Model):
    """A public, dated correction note under a story; a granted press-arbitration claim's
    notice (정정보도, 반론보도, 추후보도: articles.claims) is one too, with its kind."""

    class Kind(models.TextChoices):
        CORRECTION = "", _("Correction")
        CORRECTION_REPORT = "correction", _("Correction report")
        REPLY_REPORT = "reply", _("Reply report")
        FOLLOW_UP_REPORT = "follow_up", _("Follow-up report")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(_("correction"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.CORRECTION, blank=True
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.note[:60]


class ArticleEvent(HistoryEntry):
    """The story's history: every transition and save, who did it and when. Kept when the
    story or the actor is gone."""

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    headline = models.CharField(_("headline at the time"), max_length=200)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("story event")
        verbose_name_plural = _("story events")
        indexes = [
            # A story's history, newest first.
            models.Index(fields=["article", "-created_at"], name="articleevent_article_idx"),
        ]


class Revision(models.Model):
    """A snapshot of a story's content at one saved version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(_("saved by"), max_length=254)
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_one_per_version")
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class AutosaveDraft(models.Model):
    """A staff member's unsaved edits of a story, kept by the desk's autosave. Never the
    story itself: it does not change the story or its version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.JSONField(_("content"))
    base_version = models.PositiveIntegerField(_("based on version"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.article} · {self.user}"


class DeskNote(models.Model):
    """An internal note on a story, in its thread on the desk: never shown to readers,
    never in a revision (a note is not the story's content) and never in a cached page.
    Written and resolved only by articles.notes; a note's text is never edited.

    It may point at a paragraph of the body (articles.paragraphs): its index and text as
    they were when the note was written, so the desk can say when that paragraph changed
    or went. The colleagues it mentions are kept by account: names repeat."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="desk_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("written by"), max_length=254)
    body = models.TextField(_("note"))
    paragraph_index = models.PositiveIntegerField(_("paragraph"), null=True, blank=True)
    paragraph_text = models.TextField(_("paragraph at the time"), blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentions"),
        blank=True,
        related_name="desk_note_mentions",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_by_name = models.CharField(_("resolved by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("desk note")
        verbose_name_plural = _("desk notes")
        ordering = ["created_at", "pk"]
        indexes = [
            # A story's thread, oldest first, on the editor page.
            models.Index(fields=["article", "created_at"], name="desknote_article_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(paragraph_index__isnull=True, paragraph_text="")
                | Q(paragraph_index__isnull=False),
                name="desknote_paragraph_has_index",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.body[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class ViewCount(models.Model):
    """Reads of a story in one hour, flushed from the cache by a periodic job: counting a
    read costs the page no database write."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_counts")
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("view count")
        verbose_name_plural = _("view counts")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="viewcount_one_per_hour")
        ]
        indexes = [
            # 많이 본 기사: the last 24 hours of counts.
            models.Index(fields=["hour", "article"], name="viewcount_hour_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.count}"


class FrontSlot(models.Model):
    """A story an editor placed on the home page (no section) or on a top section's page:
    position 0 is the lead, then the top stories in order. Changed only by
    articles.workflow.curate; a slot whose story is no longer public is skipped."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="front_slots"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="front_slots")

    class Meta:
        verbose_name = _("front-page slot")
        verbose_name_plural = _("front-page slots")
        ordering = ["position"]
        constraints = [
            # Each also serves the page's query: its slots in order.
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(section__isnull=True),
                name="frontslot_home_position",
            ),
            models.UniqueConstraint(
                fields=["section", "position"],
                condition=Q(section__isnull=False),
                name="frontslot_section_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section or '-'} #{self.position}: {self.article_id}"


class FrontChange(HistoryEntry):
    """History of front-page curation: who changed which page, with the story ids in order
    before and after in `data` ({"before": [...], "after": [...]})."""

    class Action(models.TextChoices):
        CURATED = "curated", _("Front page changed")

    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    page_name = models.CharField(_("page"), max_length=60)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("front-page change")
        verbose_name_plural = _("front-page changes")
        indexes = [
            # The curation page's recent changes, newest first.
            models.Index(fields=["-created_at"], name="frontchange_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.page_name} ({self.actor_name})"

    @property
    def before(self) -> list[int]:
        return self.data.get("before", [])

    @property
    def after(self) -> list[int]:
        return self.data.get("after", [])


class PreviewLink(models.Model):
    """A signed, expiring, revocable address that shows a story, published or not, to
    someone without an account (a source, a lawyer). Created and revoked only by
    articles.workflow; each opening is counted."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    note = models.CharField(_("for whom"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(_("created by"), max_length=254)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    opened_count = models.PositiveIntegerField(_("times opened"), default=0)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A story's links on the editor page, newest first.
            models.Index(fields=["article", "-created_at"], name="previewlink_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.note or self.pk}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


class Network(models.TextChoices):
    """The social networks a story's card is fanned out to (shared/product/sharing.md)."""

    FACEBOOK = "facebook", _("Facebook")
    X = "x", "X"
    KAKAOTALK = "kakaotalk", _("KakaoTalk")
    NAVER = "naver", _("Naver")
    LINKEDIN = "linkedin", "LinkedIn"
    BAND = "band", _("Band")


class ShareFanout(models.Model):
    """One fan-out of a story's share card to every network, made by articles.sharing.fanout when
    a transition or a save changed what the networks show: (story, public or not, hash of
    the shared fields) differs from the story's previous fan-out. Completion is counted
    here (`finished` of `total`), so no Celery result backend is needed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_fanouts")
    is_public = models.BooleanField(pgettext_lazy("share fan-out", "public"))
    fields_hash = models.CharField(_("hash of the shared fields"), max_length=64)
    # The shared fields as they were hashed: the tasks build the card from these.
    fields = models.JSONField(_("shared fields"), default=dict)
    trigger = models.CharField(_("trigger"), max_length=20)
    # The networks' common card, stored once by the first delivery that builds it; the
    # article page's tags read it from then on.
    card = models.JSONField(_("card"), default=dict, blank=True)
    image_url = models.URLField(_("share image"), max_length=300, blank=True)
    total = models.PositiveSmallIntegerField(_("deliveries"))
    finished = models.PositiveSmallIntegerField(_("deliveries finished"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    card_ready_at = models.DateTimeField(_("card ready"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("share fan-out")
        verbose_name_plural = _("share fan-outs")
        ordering = ["-pk"]
        indexes = [
            # A story's latest fan-out: the trigger's comparison, the desk and the page.
            models.Index(fields=["article", "-id"], name="sharefanout_latest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished__lte=F("total")), name="sharefanout_finished_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} #{self.pk} ({'public' if self.is_public else 'withdrawn'})"


class ShareDelivery(models.Model):
    """One network's part of a fan-out: its metadata, the refresh call (Facebook), and
    how it went. Changed only by articles.sharing.fanout."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("share delivery", "Pending")
        RUNNING = "running", pgettext_lazy("share delivery", "Running")
        DONE = "done", pgettext_lazy("share delivery", "Done")
        SKIPPED = "skipped", pgettext_lazy("share delivery", "Skipped")
        FAILED = "failed", pgettext_lazy("share delivery", "Failed")

    class SkipReason(models.TextChoices):
        NOT_CONFIGURED = "not_configured", _("Not configured")
        NO_REFRESH_API = "no_refresh_api", _("No refresh API")
        SUPERSEDED = "superseded", _("Superseded by a newer fan-out")

    fanout = models.ForeignKey(ShareFanout, on_delete=models.CASCADE, related_name="deliveries")
    network = models.CharField(_("network"), max_length=10, choices=Network.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    skip_reason = models.CharField(
        _("reason skipped"), max_length=16, choices=SkipReason.choices, blank=True
    )
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Calls made to the network's refresh API (Facebook's scrape), for the record.
    refresh_calls = models.PositiveSmallIntegerField(_("refresh calls"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("share delivery")
        verbose_name_plural = _("share deliveries")
        ordering = ["fanout", "pk"]
        constraints = [
            # Also serves a fan-out's deliveries in order.
            models.UniqueConstraint(
                fields=["fanout", "network"], name="sharedelivery_one_per_network"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fanout_id} {self.network}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_DELIVERY


FINISHED_DELIVERY = (
    ShareDelivery.Status.DONE,
    ShareDelivery.Status.SKIPPED,
    ShareDelivery.Status.FAILED,
)


class DeskSection(models.Model):
    """A section an editor's desk covers: submitted stories of it (and of its subsections)
    are announced to them. An editor without any is told of every submitted story."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.CASCADE,
        related_name="desk_sections",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="desk_editors"
    )

    class Meta:
        verbose_name = _("editor's desk section")
        verbose_name_plural = _("editors' desk sections")
        constraints = [models.UniqueConstraint(fields=["user", "section"], name="desksection_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.section}"


class NotificationKind(models.TextChoices):
    """What a staff member is told about (articles.notifications has each one's message)."""

    ASSIGNED = "assigned", _("Assigned to you")
    DECLINED = "declined", _("Assignment declined")
    MENTIONED = "mentioned", _("Mentioned in a note")
    SUBMITTED = "submitted", _("Story submitted")
    RETURNED = "returned", _("Story returned with a note")
    APPROVED = "approved", _("Story approved")
    SCHEDULED = "scheduled", _("Story scheduled")
    PUBLISHED = "published", _("Story published")
    CORRECTED = "corrected", _("Story corrected")
    UNPUBLISHED = "unpublished", pgettext_lazy("notification kind", "Story taken down")
    EMBARGO_LIFTING = "embargo_lifting", _("Embargo lifting in an hour")
    DUE_MISSED = "due_missed", _("Due time missed")
    CLAIM_RECEIVED = "claim_received", _("Press-arbitration claim received")
    CLAIM_ANSWER_DUE = "claim_answer_due", _("Press-arbitration claim: answer due")
    CLAIM_NOTICE_DUE = "claim_notice_due", _("Press-arbitration claim: notice due")


class Delivery(models.TextChoices):
    """How a staff member hears of one kind of notification: always in the desk inbox."""

    INBOX = "inbox", _("Inbox only")
    EMAIL = "email", _("Inbox and an e-mail")
    DIGEST = "digest", _("Inbox and a daily digest")


class Notification(models.Model):
    """One thing a staff member is told in the desk inbox (알림), written only by
    articles.notifications.notify, in the transaction of the event that caused it. The
    idempotency key makes a retried event show once; the title is a snapshot, so the
    notification outlives its story."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    key = models.CharField(_("idempotency key"), max_length=120)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=254, blank=True)
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The recipient's choice for this kind when it was written: what the e-mail tasks do.
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An event delivered twice (tasks are at-least-once) notifies once.
            models.UniqueConstraint(fields=["key", "recipient"], name="notification_once_per_key")
        ]
        indexes = [
            # The desk header's unread count, on every desk page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The inbox: one person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The daily digest: notifications waiting for it.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="digest", emailed_at__isnull=True),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A staff member's choice of delivery for one kind; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpref_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class NotificationDigest(models.Model):
    """One daily digest e-mail to one person: the row that makes the digest job, run twice
    on a day, send it once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("notifications"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day}: {self.count}"


class PlanningItem(models.Model):
    """A story the desk plans (기획): a slug-line with its angle, section, target time,
    priority, expected length and whether it needs a photo. Changed only by
    articles.planning; a cancelled item stays on the record."""

    class Priority(models.TextChoices):
        TOP = "top", _("Top story")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    slugline = models.CharField(_("slug-line"), max_length=80)
    angle = models.TextField(_("angle"), max_length=1000, blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="+"
    )
    target_at = models.DateTimeField(_("target time"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    # In characters of copy, as the desk counts a story's length (200 make a 원고지 매).
    expected_length = models.PositiveIntegerField(_("expected length (characters)"), default=0)
    photo_needed = models.BooleanField(_("photo needed"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Optimistic locking, as for stories: a move from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("planning item")
        verbose_name_plural = _("planning items")
        ordering = ["target_at", "pk"]
        indexes = [
            # The board: an interval of days' items by target time.
            models.Index(fields=["target_at", "status"], name="planningitem_target_idx"),
        ]

    def __str__(self) -> str:
        return self.slugline

    def get_absolute_url(self) -> str:
        return reverse("story_desk:planning-item", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Assignment(models.Model):
    """A reporter's part of a planning item (배정), due at a time: offered, then accepted or
    declined (with a reason) by the reporter, and once accepted the story they start from
    it (`article`, linked both ways). Changed only by articles.planning."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    item = models.ForeignKey(PlanningItem, on_delete=models.CASCADE, related_name="assignments")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    article = models.OneToOneField(
        Article,
        verbose_name=_("story"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_at", "pk"]
        constraints = [
            # A reporter holds an item once at a time; a declined offer stays as a record and
            # the item may be offered to them again.
            models.UniqueConstraint(
                fields=["item", "reporter"],
                condition=~Q(status="declined"),
                name="assignment_once_per_reporter",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(status="accepted"),
                name="assignment_story_when_accepted",
            ),
        ]
        indexes = [
            # A reporter's open assignments on the dashboard, soonest due first.
            models.Index(fields=["reporter", "status", "due_at"], name="assignment_reporter_idx"),
            # The week's load: open assignments due in an interval.
            models.Index(fields=["due_at", "status"], name="assignment_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.reporter_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DECLINED


class PlanningEvent(HistoryEntry):
    """The planning board's history: every item created, moved or cancelled and every
    assignment made, answered or started, who did it and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Planned")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")
        ASSIGNED = "assigned", _("Assigned")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        STARTED = "started", _("Story started")

    item = models.ForeignKey(
        PlanningItem, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    slugline = models.CharField(_("slug-line at the time"), max_length=80)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("planning event")
        verbose_name_plural = _("planning events")
        indexes = [
            # An item's history, newest first (and the double-submit check's last event).
            models.Index(fields=["item", "-created_at"], name="planningevent_item_idx"),
        ]


class PressClaim(models.Model):
    """A claim against a story under the press-arbitration act (언론중재법): a correction
    report (정정보도), a reply report (반론보도) or a follow-up report (추후보도), from its
    receipt to the newsroom's answer, the notice published and its close. Changed only by
    articles.claims; the deadlines are articles.claim_deadlines'."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction report")
        REPLY = "reply", _("Reply report")
        FOLLOW_UP = "follow_up", _("Follow-up report")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("press claim", "Received")
        ACCEPTED = "accepted", pgettext_lazy("press claim", "Accepted")
        REJECTED = "rejected", pgettext_lazy("press claim", "Rejected")
        PUBLISHED = "published", pgettext_lazy("press claim", "Notice published")
        CLOSED = "closed", pgettext_lazy("press claim", "Closed")

    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.PROTECT, related_name="press_claims"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    claimant = models.CharField(pgettext_lazy("press claim", "claimant"), max_length=200)
    demand = models.TextField(_("what the claimant asks"), max_length=5000, blank=True)
    received_on = models.DateField(_("date received"))
    # When the claimant learned of the report (of the acquittal or dismissal, for 추후보도):
    # the start of the three-month window.
    learned_on = models.DateField(_("date the claimant learned of it"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    # Received outside the statutory window when recorded: the newsroom may refuse it.
    out_of_window = models.BooleanField(_("received outside the window"), default=False)
    decision_note = models.TextField(_("decision"), max_length=5000, blank=True)
    answered_on = models.DateField(_("date answered"), null=True, blank=True)
    # The editor's choice: the story carries the "claim received" notice while it is open.
    notice_shown = models.BooleanField(_("notice shown on the story"), default=False)
    correction = models.OneToOneField(
        Correction,
        verbose_name=_("published notice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="press_claim",
    )
    close_note = models.TextField(_("how it ended"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("press-arbitration claim")
        verbose_name_plural = _("press-arbitration claims")
        ordering = ["-received_on", "-pk"]
        indexes = [
            # The claims desk: open claims first, newest received first.
            models.Index(fields=["status", "-received_on"], name="pressclaim_status_idx"),
            # The reader page's notice: a story's open claims with the notice on.
            models.Index(fields=["article", "status"], name="pressclaim_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.claimant}"

    def get_absolute_url(self) -> str:
        return reverse("story_desk:claim", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in CLAIM_OPEN


# Still in dispute: the story may carry the notice. A rejected claim may go on to the
# arbitration commission or a court, so it stays open until an editor closes it.
CLAIM_OPEN = frozenset(
    {PressClaim.Status.RECEIVED, PressClaim.Status.ACCEPTED, PressClaim.Status.REJECTED}
)


class WebhookEvent(models.TextChoices):
    """The story events a partner's webhook can ask for."""

    PUBLISHED = "published", pgettext_lazy("webhook event", "Published")
    UPDATED = "updated", pgettext_lazy("webhook event", "Updated")
    CORRECTED = "corrected", pgettext_lazy("webhook event", "Corrected")
    UNPUBLISHED = "unpublished", pgettext_lazy("webhook event", "Unpublished")


def validate_webhook_events(value) -> None:
    if not isinstance(value, list) or not value or set(value) - set(WebhookEvent.values):
        raise ValidationError(_("Choose one or more of the story events."), code="events")


class WebhookEndpoint(models.Model):
    """A partner's address for story events, registered in the admin. Its URL must be
    https (WEBHOOKS_ALLOW_HTTP only in tests) and reach only public addresses (checked
    here after resolving the name, and again at every delivery). The secret signs each
    delivery; the admin shows it once, when it is made."""

    # PROTECT: the endpoint's deliveries are the record of what was sent to whom, and
    # deleting a partner must not take them along; a partner is switched off instead
    # (its admin allows no deletion), which stops its deliveries.
    # Nullable only for endpoints registered before partners existed that migration 0019
    # could not match to one (it guesses no owner): they go on being delivered as before,
    # the admin lists them under "no partner", and saving one there requires a partner.
    partner = models.ForeignKey(
        "Partner",
        verbose_name=_("API partner"),
        on_delete=models.PROTECT,
        null=True,
        related_name="webhook_endpoints",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[outbound.validate_target],
        help_text=_("An https:// address on the public internet. Redirects are not followed."),
    )
    events = models.JSONField(_("events"), default=list, validators=[validate_webhook_events])
    secret = models.CharField(_("signing secret"), max_length=80, default=outbound.new_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.is_active and event in (self.events or [])


class WebhookDelivery(models.Model):
    """One story event sent to one endpoint: its payload, its attempts and how it went.
    One per endpoint and story event (the idempotency key), so a repeated announcement or
    a redelivered task never sends an event twice after it got through. Changed only by
    articles.webhooks."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
        RUNNING = "running", pgettext_lazy("webhook delivery", "Sending")
        DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
        SKIPPED = "skipped", pgettext_lazy("webhook delivery", "Skipped")
        FAILED = "failed", pgettext_lazy("webhook delivery", "Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The receiver's idempotency key (X-Newsroom-Delivery): the same on every attempt.
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=12, choices=WebhookEvent.choices)
    # The ArticleEvent announced (kept as a number: history outlives a purged story).
    event_id = models.PositiveBigIntegerField(_("story event"))
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The idempotency key; also serves an endpoint's deliveries.
            models.UniqueConstraint(
                fields=["endpoint", "event", "event_id"], name="webhookdelivery_once"
            ),
        ]
        indexes = [
            # The admin's list, newest first, by status.
            models.Index(fields=["status", "-created_at"], name="webhookdelivery_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} {self.event} #{self.event_id}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (
            self.Status.DELIVERED,
            self.Status.SKIPPED,
            self.Status.FAILED,
        )


class Partner(models.Model):
    """A partner site or app reading published stories from the content API (articles.api).
    Its key is shown once, when it is made (articles.partners); only its SHA-256 is kept,
    so a stolen database holds no working key. Changed only through articles.partners."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("Requests past this in one clock minute are answered with 429."),
    )
    # The key's first characters, to tell keys apart in the admin and the logs.
    key_prefix = models.CharField(_("key starts with"), max_length=12)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    key_rotated_at = models.DateTimeField(_("key made"), default=timezone.now)

    class Meta:
        verbose_name = _("API partner")
        verbose_name_plural = _("API partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerUsage(models.Model):
    """How many requests a partner made in one clock minute: the API's rate limit counts
    here, not in the cache (the house cache fails open)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="usage")
    minute = models.DateTimeField(_("minute"))
    count = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API usage")
        verbose_name_plural = _("API usage")
        ordering = ["-minute"]
        constraints = [
            # Also the index of the count: one row per partner and minute.
            models.UniqueConstraint(fields=["partner", "minute"], name="partnerusage_one_minute")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.minute:%Y-%m-%d %H:%M} {self.count}"


class PartnerEvent(HistoryEntry):
    """History of the API partners: made, key rotated, switched off or on."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        KEY_ROTATED = "key_rotated", _("Key rotated")
        CHANGED = "changed", _("Changed")

    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    partner_name = models.CharField(_("partner at the time"), max_length=120)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("API partner event")
        verbose_name_plural = _("API partner events")


# The newsletters' models, kept in their sub-package and registered with this app here.
from articles.newsletters.models import (  # noqa: E402, F401
    IssueDelivery,
    IssueEvent,
    IssueStory,
    Newsletter,
    NewsletterIssue,
    Subscriber,
    Subscription,
    SubscriptionEvent,
)
