"""Read paths of comments: the article page's block, the dashboard's counts, my comments."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from articles.models import Article
from comments.models import Comment, CommentReport, CommentVote, RefusedComment, StoryComments
from newsroom.paging import CappedCount, capped_count

Status = Comment.Status
PAGE_SIZE = 20
# How the block can be ordered: the reader's choice, newest first by default.
SORTS = {
    "newest": ("-created_at", "-pk"),
    "liked": ("-like_count", "-created_at", "-pk"),
}
# The same orders in Python, descending, for rows read together with their replies.
SORT_KEYS = {
    "newest": lambda comment: (comment.created_at, comment.pk),
    "liked": lambda comment: (comment.like_count, comment.created_at, comment.pk),
}
DEFAULT_SORT = "newest"


def visible() -> Q:
    """Comments everyone sees, and "댓글 (N)" counts: published, and when a reply, under a
    parent that is shown or deleted (a deleted parent stays as a placeholder)."""
    return Q(status=Status.PUBLISHED) & (
        Q(parent__isnull=True) | Q(parent__status__in=[Status.PUBLISHED, Status.DELETED])
    )


def _own_pending(viewer) -> Q:
    # The author of a held comment sees it, marked; nobody else does.
    if viewer is None or not viewer.is_authenticated:
        return Q(pk__in=[])
    return Q(status=Status.PENDING, author=viewer)


def public_threads(model=Comment) -> Q:
    """The top-level comments the block lists to everyone: shown ones, and deleted ones
    that still have shown replies (comments.totals counts them; `model`: a migration's)."""
    shown_replies = model.objects.filter(parent=OuterRef("pk"), status=Status.PUBLISHED)
    return Q(parent__isnull=True) & (
        Q(status=Status.PUBLISHED) | (Q(status=Status.DELETED) & Q(Exists(shown_replies)))
    )


def _threads(story_id: int, viewer) -> Q:
    """The top-level comments the block lists to the viewer: everyone's, and their own
    held ones."""
    return Q(story_id=story_id) & (
        public_threads() | (Q(parent__isnull=True) & _own_pending(viewer))
    )


def _with_viewer_state(comments: QuerySet[Comment], viewer) -> QuerySet[Comment]:
    """The viewer's vote and report, in the same query as the comments: `my_vote` ("like",
    "dislike" or None) and `reported_by_me`."""
    if viewer is None or not viewer.is_authenticated:
        return comments
    return comments.annotate(
        my_vote=Subquery(
            CommentVote.objects.filter(comment=OuterRef("pk"), voter=viewer).values("value")[:1]
        ),
        reported_by_me=Exists(
            CommentReport.objects.filter(comment=OuterRef("pk"), reporter=viewer)
        ),
    )


@dataclass
class Block:
    count: int  # 댓글 (N): visible comments and replies
    threads: list[Comment]  # this page's top-level comments, each with `shown_replies`
    page: int
    pages: int
    sort: str


def block(story_id: int, *, viewer=None, sort: str = DEFAULT_SORT, page: int = 1) -> Block:
    """One page of a story's comments with their replies, authors and the viewer's votes,
    in one query whatever their number (none, one or hundreds): the page's top-level
    comments and their replies together, each row carrying the story's two counts. Past
    the first page, the counts come first (one more query): a page past the end shows the
    last one, and a page in the second half is read from the end of the order."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    threads = _threads(story_id, viewer)
    page, listed = max(1, page), None
    if page > 1:
        found = _totals(story_id, viewer)
        totals = {"visible": found["visible_total"], "threads": found["thread_total"]}
        listed = totals["threads"]
        page = min(page, max(1, -(-listed // PAGE_SIZE)))
    rows = _page_rows(story_id, threads, viewer, sort, page, listed)
    if listed is None:
        # No row on the first page means no thread at all, so nothing visible either: a
        # visible reply's parent is shown, or deleted with a shown reply, and listed.
        totals = (
            {"visible": rows[0].visible_total, "threads": rows[0].thread_total}
            if rows
            else {"visible": 0, "threads": 0}
        )
    pages = max(1, -(-totals["threads"] // PAGE_SIZE))
    # Ordered here rather than in SQL: one query returns both kinds of rows.
    rows = sorted(rows, key=lambda comment: (comment.created_at, comment.pk))
    top = [comment for comment in rows if comment.parent_id is None]
    by_parent = {comment.pk: comment for comment in top}
    for comment in top:
        comment.shown_replies = []
    for comment in rows:
        if comment.parent_id is not None:
            by_parent[comment.parent_id].shown_replies.append(comment)
    top.sort(key=SORT_KEYS[sort], reverse=True)
    return Block(count=totals["visible"], threads=top, page=page, pages=pages, sort=sort)


def _totals(story_id: int, viewer) -> dict[str, int]:
    return (
        Article.objects.filter(pk=story_id)
        .annotate(**_total_fields(story_id, viewer))
        .values("visible_total", "thread_total")
        .get()
    )


def _total_fields(story_id: int, viewer) -> dict:
    """The story's two counts as columns of a query: the kept ones (comments.totals), and
    the viewer's own held threads on top, which only they are listed."""
    kept = StoryComments.objects.filter(story_id=story_id)
    own_held = Value(0)
    if viewer is not None and viewer.is_authenticated:
        own_held = Coalesce(
            Subquery(
                Comment.objects.filter(_own_pending(viewer), story_id=story_id, parent__isnull=True)
                .order_by()
                .values("story_id")
                .annotate(total=Count("pk"))
                .values("total")
            ),
            0,
        )
    return {
        "visible_total": Coalesce(Subquery(kept.values("visible")), 0),
        "thread_total": Coalesce(Subquery(kept.values("threads")), 0) + own_held,
    }


def _page_rows(
    story_id: int, threads: Q, viewer, sort: str, page: int, listed: int | None
) -> list[Comment]:
    """The page's threads with their replies. With the number of threads `listed`, a page
    in the second half is cut from the end of the order (the index read backwards): page
    651 of 651 then skips no more index entries than page 1 (the rows are ordered in
    Python either way)."""
    start, end = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
    order = SORTS[sort]
    if listed is not None and start > listed - min(end, listed):
        start, end = listed - min(end, listed), listed - start
        order = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in order)
    on_page = Comment.objects.filter(threads).order_by(*order).values("pk")[start:end]
    # By thread (comments/models.py's index on it): "these comments or replies to them" as
    # `pk IN page OR parent IN page` walks every comment of the site.
    rows = _with_viewer_state(
        Comment.objects.annotate(thread=Coalesce("parent_id", "id"))
        .filter(thread__in=on_page)
        .filter(Q(parent__isnull=True) | Q(status=Status.PUBLISHED) | _own_pending(viewer))
        .select_related("author")
        .annotate(**_total_fields(story_id, viewer)),
        viewer,
    )
    return list(rows)


def has_own_on(story_id: int, viewer) -> bool:
    """Whether the story's comments hold anything of the viewer's: a comment (in any
    state), a vote or a report. One query."""
    return (
        Comment.objects.filter(story_id=story_id)
        .filter(
            Q(author=viewer)
            | Q(pk__in=CommentVote.objects.filter(voter=viewer).values("comment_id"))
            | Q(pk__in=CommentReport.objects.filter(reporter=viewer).values("comment_id"))
        )
        .exists()
    )


def visible_counts(story_ids) -> dict[int, int]:
    """Visible comments per story, for a list of stories, in one query (the kept counts,
    comments.totals). Stories without any are left out (read them as 0)."""
    return dict(
        StoryComments.objects.filter(story_id__in=list(story_ids), visible__gt=0).values_list(
            "story_id", "visible"
        )
    )


def comments_of(user) -> QuerySet[Comment]:
    """The reader's own comments, newest first, in every state, with their story."""
    return (
        Comment.objects.filter(author=user)
        .select_related("story")
        .only(
            "body",
            "status",
            "created_at",
            "parent_id",
            "like_count",
            "dislike_count",
            "story__headline",
            "story__slug",
            "story__status",
            "rejection_reason",
            "moderator_note",
            "status_changed_at",
        )
        .order_by("-created_at", "-pk")
    )


def recent_removals(user, since) -> list[Comment]:
    """The reader's comments a moderator removed since `since`, newest first (the notice
    on their page)."""
    return list(
        Comment.objects.filter(author=user, status=Status.REJECTED, status_changed_at__gte=since)
        .only("body", "rejection_reason", "moderator_note", "status_changed_at")
        .order_by("-status_changed_at", "-pk")[:5]
    )


def story_for_comments(article_id: int) -> Article:
    """A published story with what the comment window needs (its section); else
    Article.DoesNotExist."""
    return Article.objects.select_related("section").get(
        pk=article_id, status=Article.Status.PUBLISHED
    )


# --- the moderator's desk -------------------------------------------------------------------

QUEUES = ("pending", "reported", "rejected", "blinded", "all")
RECENT_NOTES = 3


def queue_filter(tab: str) -> Q:
    return {
        "pending": Q(status=Status.PENDING),
        "reported": Q(open_reports__gt=0),
        "rejected": Q(status=Status.REJECTED),
        "blinded": Q(status=Status.BLINDED),
        "all": Q(),
    }[tab]


def queue_counts(comments: QuerySet[Comment]) -> dict[str, CappedCount]:
    """How many comments wait in each queue but All, each counted through its own index
    and no further than newsroom.paging's cap: one aggregate filtered four ways would read
    every comment of the site."""
    return {tab: capped_count(comments.filter(queue_filter(tab))) for tab in QUEUES if tab != "all"}


def with_desk_details(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """What a desk row shows, whatever the number of rows: the story and its section, the
    author and their standing (a join), what the rules found when it was posted
    (`posted_data`, from its history, in the same query), their latest notes and the
    comment's reports (two prefetches)."""
    from comments.models import ModerationAction, ReaderNote

    posted = ModerationAction.objects.filter(comment=OuterRef("pk"), action="posted")
    return (
        comments.select_related("story__section__parent", "author__comment_standing", "parent")
        .annotate(posted_data=Subquery(posted.values("data")[:1], output_field=JSONField()))
        .prefetch_related(
            Prefetch("reports", queryset=CommentReport.objects.order_by("-created_at", "-pk")),
            Prefetch(
                "author__moderator_notes",
                queryset=ReaderNote.objects.order_by("-created_at", "-pk"),
                to_attr="desk_notes",
            ),
        )
    )


def desk_queue(comments: QuerySet[Comment], tab: str) -> QuerySet[Comment]:
    """One queue: Pending oldest first (first come, first served), Reported most reports
    first, the others newest first."""
    rows = with_desk_details(comments.filter(queue_filter(tab)))
    if tab == "pending":
        return rows.order_by("created_at", "pk")
    if tab == "reported":
        return rows.order_by("-open_reports", "-created_at", "-pk")
    return rows.order_by("-created_at", "-pk")


def report_summary(comment: Comment) -> list[tuple[str, int]]:
    """(reason label, count) of a comment's prefetched reports, most given first."""
    counts: dict[str, int] = {}
    for report in comment.reports.all():
        label = report.get_reason_display()
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def moderation_log(filters: Q) -> QuerySet:
    from comments.models import ModerationAction

    return (
        ModerationAction.objects.filter(filters)
        .select_related("story", "comment")
        .only(
            "action",
            "from_status",
            "to_status",
            "actor_id",
            "actor_name",
            "reader_id",
            "reader_name",
            "note",
            "data",
            "created_at",
            "story__headline",
            "comment__body",
            "comment__status",
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Marked:
    """A text cut around the characters a word rule matched, for <mark>."""

    before: str
    match: str
    after: str


def marked(text: str, start, end) -> Marked | None:
    """`text` cut at [start, end), or None when the span is unknown or does not fit it."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return None
    return Marked(text[:start], text[start:end], text[end:])


def held_match(comment: Comment) -> tuple[str, Marked | None]:
    """For a comment held for a suspect word: the rule and its match in the text, as the
    history kept them when it was posted (with_desk_details' `posted_data`); ("", None)
    for any other comment."""
    if comment.status != Status.PENDING or comment.hold_reason != Comment.Hold.SUSPECT_WORD:
        return "", None
    data = getattr(comment, "posted_data", None) or {}
    span = data.get("span")
    found = marked(comment.body, *span) if isinstance(span, list) and len(span) == 2 else None
    return data.get("rule", ""), found


def refused_list(attempts: QuerySet[RefusedComment]) -> QuerySet[RefusedComment]:
    """The desk's list of refused comments, newest first, with the story, the reader and
    the comment replied to in the same query."""
    return (
        attempts.select_related("story", "author", "parent")
        .only(
            "body",
            "rule_word",
            "rule_kind",
            "span_start",
            "span_end",
            "created_at",
            "marked_innocent_at",
            "marked_innocent_by_name",
            "story__headline",
            "story__slug",
            "author__nickname",
            "parent__body",
        )
        .order_by("-created_at", "-pk")
    )
