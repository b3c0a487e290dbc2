"""The throttles on comments, likes and reports: read-only checks that raise
comments.errors.Throttled with the moment the reader may try again.

The database is the truth: every limit is a count over indexed columns of rows that are
written anyway (comments, the comments' history). A counter in the cache would be cheaper,
but the house cache fails open (django-redis IGNORE_EXCEPTIONS): with Redis down a
cache-only throttle would silently stop limiting, and spam arrives exactly when things are
already going wrong. Each count runs inside the transaction of the action it limits, after
the story (or the comment) and the acting reader's standing row are locked, so two actions
of one reader at once cannot both slip under a limit. The per-address limits count several
readers' posts (or reports) and have no row of their own to lock: at worst, readers behind
one address who post in the same instant go one or two over them.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from comments import errors, rules
from comments.models import Comment, CommentReport, ModerationAction

VOTE_ACTIONS = ("voted", "vote_changed")


def ip_hash(ip: str | None) -> str:
    """The address as it is kept: an HMAC keyed with SECRET_KEY, so equal addresses can be
    counted together and no address can be read back."""
    if not ip:
        return ""
    return salted_hmac("comments.ip", ip, algorithm="sha256").hexdigest()


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i:s")
    return formats.date_format(local, "Y-m-d H:i")


def check_post(story_id: int, *, author, ip_digest: str, now: datetime) -> None:
    """Before a new comment: the gap since the reader's last one, their comments on this
    story today, and comments from the same address in the last hour."""
    gap = settings.COMMENTS_MIN_GAP_SECONDS
    mine = Comment.objects.filter(author=author)
    if gap:
        last = mine.filter(created_at__gt=now - timedelta(seconds=gap)).order_by("-created_at")
        last = last.values_list("created_at", flat=True).first()
        if last is not None:
            retry = last + timedelta(seconds=gap)
            seconds = max(1, int((retry - now).total_seconds() + 0.999))
            raise errors.Throttled(
                _(
                    "Please wait a moment between comments. You can post again in "
                    "%(seconds)s seconds (at %(time)s)."
                )
                % {"seconds": seconds, "time": _when(retry)},
                retry,
            )
    per_story = settings.COMMENTS_PER_STORY_PER_DAY
    if per_story:
        local = timezone.localtime(now)
        today = mine.filter(story_id=story_id, created_at__gte=rules.day_start(local)).count()
        if today >= per_story:
            retry = rules.next_day(local)
            raise errors.Throttled(
                _(
                    "You have written %(count)s comments on this story today, the most a "
                    "reader may. You can comment on it again from %(time)s."
                )
                % {"count": per_story, "time": _when(retry)},
                retry,
            )
    _hourly_per_address(
        Comment.objects.filter(ip_hash=ip_digest),
        ip_digest,
        settings.COMMENTS_PER_IP_PER_HOUR,
        now,
        _(
            "Too many comments have come from your network in the last hour. You can post "
            "again at %(time)s."
        ),
    )


def check_duplicate(*, author, text: str, now: datetime) -> None:
    hours = settings.COMMENTS_DUPLICATE_HOURS
    if hours and (
        Comment.objects.filter(
            author=author, body=text, created_at__gte=now - timedelta(hours=hours)
        )
        .exclude(status=Comment.Status.DELETED)
        .exists()
    ):
        raise errors.DuplicateComment()


def _daily(actor, actions, limit: int, now: datetime, message: str) -> None:
    if not limit:
        return
    local = timezone.localtime(now)
    done = ModerationAction.objects.filter(
        actor=actor, action__in=actions, created_at__gte=rules.day_start(local)
    ).count()
    if done >= limit:
        retry = rules.next_day(local)
        raise errors.Throttled(message % {"count": limit, "time": _when(retry)}, retry)


def check_vote(voter, *, now: datetime) -> None:
    _daily(
        voter,
        VOTE_ACTIONS,
        settings.COMMENTS_VOTES_PER_DAY,
        now,
        _("You have liked or disliked %(count)s comments today. You can vote again from %(time)s."),
    )


def check_report(reporter, *, ip_digest: str, now: datetime) -> None:
    """Before a report: the reader's reports today, and reports from the same address in the
    last hour (many accounts in one hand cannot hide a comment between them)."""
    _daily(
        reporter,
        ("reported",),
        settings.COMMENTS_REPORTS_PER_DAY,
        now,
        _("You have reported %(count)s comments today. You can report again from %(time)s."),
    )
    _hourly_per_address(
        CommentReport.objects.filter(ip_hash=ip_digest),
        ip_digest,
        settings.COMMENTS_REPORTS_PER_IP_PER_HOUR,
        now,
        _(
            "Too many reports have come from your network in the last hour. You can report "
            "again at %(time)s."
        ),
    )


def _hourly_per_address(rows, ip_digest: str, limit: int, now: datetime, message: str) -> None:
    """At most `limit` of `rows` (one address's) in the last hour; 0 or no address: none."""
    if not limit or not ip_digest:
        return
    recent = rows.filter(created_at__gt=now - timedelta(hours=1))
    times = list(recent.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(times) >= limit:
        # The oldest of the last `limit` leaves the hour first.
        retry = times[-1] + timedelta(hours=1)
        raise errors.Throttled(message % {"time": _when(retry)}, retry)
