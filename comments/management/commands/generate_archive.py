import random
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from articles.archive import bulk
from articles.archive import stories as archive_stories
from articles.models import Article
from comments import archive as archive_comments
from comments import totals
from comments.models import Comment

# The tables the archive fills: on an empty database their secondary indexes and foreign
# keys are set aside while they fill (articles.archive.bulk.SetAside), and all are analysed.
TABLES = (
    "accounts_user",
    "accounts_consent",
    "accounts_accountevent",
    "media_photo",
    "media_rendition",
    "articles_article",
    "articles_article_tags",
    "articles_article_extra_sections",
    "articles_byline",
    "articles_photouse",
    "articles_revision",
    "articles_articleevent",
    "articles_searchentry",
    "comments_comment",
    "comments_commentvote",
    "comments_commentreport",
    "comments_moderationaction",
    "comments_readerstanding",
    "comments_storycomments",
)


class Command(BaseCommand):
    help = (
        "Fill the database with a generated archive: published stories across the section "
        "tree, with bylines, tags, series, photos (rows only) and search entries, the desk's "
        "work in progress, and readers' comments with replies, votes and reports. For "
        "measuring the site at scale; never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True)
        parser.add_argument("--comments", type=int, required=True)
        parser.add_argument(
            "--pending",
            type=int,
            help="comments waiting for a moderator (default: 1 in 100)",
        )
        parser.add_argument(
            "--years", type=float, help="years the stories span (default: 12,000 a year)"
        )
        parser.add_argument("--seed", type=int, default=20)
        parser.add_argument(
            "--into-existing",
            action="store_true",
            help="add to a database that holds stories the generator did not make",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The archive's staff have a public password: never in production.")
        stories, comments = options["stories"], options["comments"]
        if stories < 1 or comments < 0:
            raise CommandError("--stories must be 1 or more, --comments 0 or more.")
        pending = options["pending"] if options["pending"] is not None else comments // 100
        if not 0 <= pending <= comments:
            raise CommandError("--pending must be between 0 and --comments.")
        real = archive_stories.real_stories()
        if real and not options["into_existing"]:
            raise CommandError(
                f"The database holds {real:,} stories the generator did not make: add "
                "--into-existing to add the archive to them anyway."
            )
        years = options["years"] or min(10.0, max(1.0, stories / 12_000))
        rng = random.Random(options["seed"])
        now = timezone.now()
        end = now - timedelta(hours=1)
        start = end - timedelta(days=365 * years)
        vendor = connection.vendor
        fresh = vendor == "postgresql" and not (
            Article.objects.exists() or Comment.objects.exists()
        )
        out = self.stdout
        out.write(
            f"Generating {stories:,} stories over {years:.1f} years and {comments:,} comments "
            f"({pending:,} pending) on {vendor}, seed {options['seed']}"
            + (": indexes and foreign keys set aside while the tables fill" if fresh else "")
        )
        started = time.monotonic()
        aside = bulk.SetAside(TABLES)
        # Staff set-up and the workflow's helpers may send mail: nowhere.
        quiet_mail = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=quiet_mail), transaction.atomic():
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    # The run is one transaction: a crash leaves nothing to lose.
                    cursor.execute("SET LOCAL synchronous_commit = off")
            if fresh:
                aside.drop()
            writer = bulk.Writer()
            room = archive_stories.newsroom(stories, rng)
            story_writer = archive_stories.StoryWriter(writer, room, rng, now=now)
            library = story_writer.photos(max(50, stories // 3))
            written = story_writer.write(stories, start, end, library)
            desk = story_writer.desk()
            people_count = archive_comments.reader_count(comments)
            phase = bulk.Progress("readers")
            people = archive_comments.readers(writer, people_count, rng, joined_before=start)
            phase.done(f"{people_count:,} readers")
            counts, hot = archive_comments.spread(len(written.ids), comments, rng)
            comment_writer = archive_comments.CommentWriter(
                writer,
                people,
                room.moderators,
                rng,
                now=now,
                pending=pending,
                total=comments,
            )
            comments_started = time.monotonic()
            comment_writer.write(written, counts)
            comment_writer.standings()
            comment_seconds = time.monotonic() - comments_started
            generated = time.monotonic() - started
            rebuilt = 0.0
            if fresh:
                rebuilt = aside.restore(bulk.Progress("indexes and foreign keys", "built"))
            # Counted once the indexes are back: a deleted comment's thread counts while it
            # has a shown reply, looked up by the replies' index.
            phase = bulk.Progress("comment counts", "stories")
            generated += phase.done(f"{totals.recount_all():,} stories")
            archive_stories.retire_pages(room)
        phase = bulk.Progress("statistics", "tables")
        command = bulk.analyze(TABLES)
        analysed = phase.done(f"{command} of {len(TABLES)} tables")
        hot_ids = ", ".join(str(written.ids[index]) for index in hot)
        out.write(
            f"Archive: {stories:,} published stories and {desk} on the desk, {comments:,} "
            f"comments by {people_count:,} readers (the most on stories {hot_ids or '-'})."
        )
        out.write(
            f"Generated in {generated:.1f} s ({stories / written.seconds:,.0f} stories/s, "
            f"{comments / max(comment_seconds, 0.001):,.0f} comments/s); "
            f"indexes and foreign keys {rebuilt:.1f} s; {command} {analysed:.1f} s; "
            f"{generated + rebuilt + analysed:.1f} s in all."
        )
        sys.stderr.flush()
