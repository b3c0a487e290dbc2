"""The generated archive's newsroom and stories: staff made the system's way
(accounts.membership.set_up_staff), then published stories written in bulk with every row a
story published through the workflow has, and the desk's work in progress.

A published story gets what articles.workflow would have left: the story (version 1), its
bylines, tags, extra sections, series part, photo uses, revision 1 ("created"), its history
(created, submit, publish: the editor published it), and its search entry, made by the same
articles.search.text.entry that index_story uses. Left out, and why:
- share fan-outs: none was ever sent for a generated story; the page falls back to the
  story's own fields, as for a story published before sharing was configured;
- outbox tasks and page-cache bumps per story: nothing was cached for a new story id, and
  the lists' pages are retired once at the end (retire_pages);
- files: photos are rows (a library with renditions) pointing at files that do not exist.
"""

import hashlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from accounts import membership
from accounts.models import User
from accounts.roles import Role
from articles import dependencies
from articles.archive import words
from articles.archive.bulk import Progress, Table, Writer, as_json
from articles.models import (
    Article,
    ArticleEvent,
    Beat,
    Byline,
    PhotoUse,
    Revision,
    SearchEntry,
    Section,
    Series,
    Tag,
)
from articles.search import text as search_text
from media.imaging import SHARE_SPEC, WIDTH_SPECS
from media.models import Photo, Rendition
from newsroom import pagecache

# Every account the generator makes has an address here (a reserved name: no mail goes
# anywhere), and a story made by the generator has one of them as its creator: that is how
# a later run tells the archive's stories from real ones.
DOMAIN = "archive.invalid"
# The generated staff's password, as the demo's: a generated archive is never production.
PASSWORD = "newsroom-demo"

# Top sections' share of the stories, by slug (others: 10).
SECTION_WEIGHTS = {
    "industry": 30,
    "finance": 20,
    "policy": 15,
    "real-estate": 12,
    "world": 13,
    "opinion": 10,
}
# The desk's work in progress, whatever the size of the archive: what the dashboard and the
# review queue show is a day's work, not the archive.
DRAFTS_PER_REPORTER = 2
SUBMITTED = 30
SCHEDULED = 8
RETURNED = 6
BATCH = 2000
# Plain strings: psycopg's COPY would write an enum member's name, not its value.
PUBLISHED = Article.Status.PUBLISHED.value


def generated(email: str) -> bool:
    return email.endswith("@" + DOMAIN)


def real_stories() -> int:
    """Stories the generator did not make (no creator, or one of another domain)."""
    return Article.objects.exclude(created_by__email__endswith="@" + DOMAIN).count()


@dataclass
class Reporter:
    user_id: int
    profile_id: int
    name: str
    sections: list[int]


@dataclass
class Newsroom:
    reporters: list[Reporter]
    editors: list[tuple[int, str]]  # (user id, name)
    moderators: list[tuple[int, str]]  # (user id, name)
    sections: list[Section]  # active, the tree's order
    top_of: dict[int, Section]  # each section's top section
    tags: dict[str, int] = field(default_factory=dict)


def reporter_count(stories: int) -> int:
    """About one reporter per 1,000 stories in the archive: a paper that grew for years."""
    return max(6, min(120, stories // 1000))


def newsroom(stories: int, rng: random.Random) -> Newsroom:
    """The section tree (the demo's, when there is none), and the archive's staff:
    reporters with beats, editors and moderators, made or found again by e-mail."""
    from articles.demo import content as demo_content

    if not Section.objects.exists():
        for order, top in enumerate(demo_content.SECTIONS):
            parent = Section.objects.create(
                name=top["name"], slug=top["slug"], description=top["description"], order=order
            )
            for child_order, child in enumerate(top["children"]):
                Section.objects.create(
                    name=child["name"],
                    slug=child["slug"],
                    description=child["description"],
                    order=child_order,
                    parent=parent,
                )
    tree = list(Section.objects.filter(is_active=True).with_tree_fields())
    by_id = {section.pk: section for section in tree}
    top_of = {section.pk: by_id.get(section.tree_path[0], section) for section in tree}
    count = reporter_count(stories)
    editor_count = max(2, count // 10)
    names = words.staff_names(count + editor_count + 2, rng)
    leaves = [section for section in tree if section.parent_id] or tree
    existing = {
        user.email: user.staff_profile
        for user in User.objects.filter(
            email__endswith="@" + DOMAIN, staff_profile__isnull=False
        ).select_related("staff_profile")
    }

    def staff(email: str, role: str, name: str):
        """(user id, profile, made now): an earlier run's account as it is, or a new one."""
        if email in existing:
            return existing[email].user_id, existing[email], False
        done = membership.set_up_staff(email, role, byline_name=name)
        return done.user.pk, done.profile, True

    reporters = []
    for number in range(count):
        user_id, profile, made = staff(
            f"reporter{number + 1}@{DOMAIN}", Role.REPORTER, names[number]
        )
        if made:
            # Beats round the leaves, so that every desk has its reporters.
            beats = [leaves[number % len(leaves)]]
            if rng.random() < 0.4:
                beats.append(rng.choice(leaves))
            for section in beats:
                Beat.objects.get_or_create(profile=profile, section=section)
            membership.update_staff_profile(
                profile,
                actor=None,
                title=rng.choice(words.TITLES),
                bio=f"{' · '.join(section.name for section in beats)} 담당.",
            )
        reporters.append(
            Reporter(
                user_id,
                profile.pk,
                profile.byline_name,
                list(Beat.objects.filter(profile=profile).values_list("section_id", flat=True)),
            )
        )
    editors = []
    for number in range(editor_count):
        user_id, profile, _made = staff(
            f"editor{number + 1}@{DOMAIN}", Role.EDITOR, names[count + number]
        )
        editors.append((user_id, profile.byline_name))
    moderators = []
    for number in range(2):
        user_id, profile, _made = staff(
            f"moderator{number + 1}@{DOMAIN}", Role.MODERATOR, names[count + editor_count + number]
        )
        moderators.append((user_id, profile.byline_name))
    # One hash for all: hashing it per account would cost a second each.
    User.objects.filter(email__endswith="@" + DOMAIN, staff_profile__isnull=False).update(
        password=make_password(PASSWORD)
    )
    return Newsroom(reporters, editors, moderators, tree, top_of, _tags())


def _tags() -> dict[str, int]:
    """Every word the stories may be tagged with, as a tag (existing ones kept)."""
    wanted = {
        Tag.normalise(name)
        for domain in (*words.DOMAINS.values(), words.GENERAL)
        for name in (*domain.companies, *domain.topics)
    } | set(words.TAG_EXTRAS)
    found = dict(Tag.objects.values_list("name", "pk"))
    slugs = set(Tag.objects.values_list("slug", flat=True))
    new = []
    for name in sorted(wanted - found.keys()):
        base = slugify(name, allow_unicode=True) or "tag"
        slug, number = base, 1
        while slug in slugs:
            number += 1
            slug = f"{base}-{number}"
        slugs.add(slug)
        new.append(Tag(name=name, slug=slug))
    Tag.objects.bulk_create(new)
    return dict(Tag.objects.values_list("name", "pk"))


def publication_times(count: int, start: datetime, end: datetime, rng: random.Random):
    """`count` moments between start and end, oldest first, most in the working day
    (Korean time), as a newsroom publishes."""
    hours = [1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    days = (end - start).days or 1
    seoul = timezone.get_fixed_timezone(9 * 60)
    base = start.astimezone(seoul).replace(hour=0, minute=0, second=0, microsecond=0)
    moments = []
    for _ in range(count):
        hour = rng.choices(range(24), weights=hours)[0]
        moment = base + timedelta(
            days=rng.randrange(days),
            hours=hour,
            minutes=rng.randrange(60),
            seconds=rng.randrange(60),
        )
        moments.append(min(max(moment, start), end))
    moments.sort()
    return moments


@dataclass
class Written:
    """What the comments' generator needs of the stories written."""

    ids: list[int]
    published_at: list[datetime]
    top_slugs: list[str]  # each story's top section's slug (its vocabulary)
    companies: list[str]
    topics: list[str]
    seconds: float = 0.0


class StoryWriter:
    """Stories in batches: each batch's rows of every table, then the next."""

    def __init__(self, writer: Writer, room: Newsroom, rng: random.Random, *, now: datetime):
        self.writer, self.room, self.rng, self.now = writer, room, rng, now
        sections = [s for s in room.sections if s.parent_id] + [
            s for s in room.sections if not s.parent_id
        ]
        self.sections = sections
        weights = [
            SECTION_WEIGHTS.get(room.top_of[s.pk].slug, 10) * (0.8 if s.parent_id else 0.2)
            for s in sections
        ]
        self.section_weights = list(itertools.accumulate(weights))
        self.beat_reporters: dict[int, list[Reporter]] = {}
        for reporter in room.reporters:
            for section_id in reporter.sections:
                top = room.top_of[section_id].pk
                self.beat_reporters.setdefault(section_id, []).append(reporter)
                self.beat_reporters.setdefault(top, []).append(reporter)
        self.tables = {
            "article": Table(
                Article,
                [
                    "id",
                    "headline",
                    "subheadline",
                    "slug",
                    "summary",
                    "body",
                    "section_id",
                    "series_id",
                    "series_ordinal",
                    "status",
                    "created_by_id",
                    "created_at",
                    "published_at",
                    "revised_at",
                    "scheduled_publish_at",
                    "return_note",
                    "last_saved_by_id",
                    "last_saved_at",
                ],
            ),
            "byline": Table(Byline, ["article_id", "profile_id", "guest_name", "order"]),
            "tags": Table(Article.tags.through, ["article_id", "tag_id"]),
            "extra": Table(Article.extra_sections.through, ["article_id", "section_id"]),
            "use": Table(
                PhotoUse,
                [
                    "id",
                    "article_id",
                    "photo_id",
                    "caption",
                    "credit",
                    "alt_text",
                    "order",
                    "is_lead",
                ],
            ),
            "revision": Table(
                Revision,
                ["article_id", "content", "created_by_id", "created_by_name", "created_at"],
                number=1,
                reason="created",
            ),
            "event": Table(
                ArticleEvent,
                [
                    "article_id",
                    "headline",
                    "action",
                    "from_status",
                    "to_status",
                    "actor_id",
                    "actor_name",
                    "note",
                    "created_at",
                ],
                data=as_json({}),
            ),
            "search": Table(SearchEntry, ["article_id", "headline", "content", "grams"]),
        }
        self.series: dict[str, list] = {}  # top slug -> [series id, parts so far, planned]

    # --- the photo library ---

    def photos(self, count: int) -> list[tuple[int, str, str, str]]:
        """`count` photos with their renditions (rows only): (id, caption, alt, credit)."""
        rng, first = self.rng, self.writer.reserve(Photo, count)
        uploaders = [reporter.user_id for reporter in self.room.reporters]
        library, photo_rows, rendition_rows = [], [], []
        top_slugs = [s.slug for s in self.room.sections if not s.parent_id] or ["general"]
        for number in range(count):
            pk = first + number
            domain = words.domain_for(rng.choice(top_slugs))
            caption, alt = words.caption(rng, domain, rng.choice(domain.companies))
            credit = rng.choice(words.CREDITS)
            # Unique as the id is: no upload's hash is the hash of this text.
            digest = hashlib.sha256(f"archive-photo-{pk}".encode()).hexdigest()
            width, height = rng.choice(((3000, 2000), (4000, 2667), (2400, 1600), (2000, 3000)))
            uploaded = self.now - timedelta(days=rng.uniform(0, 3650))
            photo_rows.append(
                (
                    pk,
                    f"originals/{digest[:2]}/{digest}.jpg",
                    digest,
                    width,
                    height,
                    rng.randint(900_000, 6_000_000),
                    alt,
                    caption,
                    credit,
                    rng.choice(uploaders),
                    uploaded,
                    uploaded,
                )
            )
            for spec in WIDTH_SPECS:
                for form, extension in (("WEBP", "webp"), ("JPEG", "jpg")):
                    rendition_rows.append(
                        (
                            pk,
                            spec.name,
                            form,
                            min(spec.width, width),
                            round(min(spec.width, width) * height / width),
                            f"photos/{digest[:2]}/{digest[:16]}-{spec.name}-{digest[-12:]}.{extension}",
                        )
                    )
            rendition_rows.append(
                (
                    pk,
                    SHARE_SPEC.name,
                    "JPEG",
                    SHARE_SPEC.width,
                    SHARE_SPEC.height,
                    f"photos/{digest[:2]}/{digest[:16]}-share-{digest[-12:]}.jpg",
                )
            )
            library.append((pk, caption, alt, credit))
        self.writer.write(
            Table(
                Photo,
                [
                    "id",
                    "original",
                    "content_hash",
                    "width",
                    "height",
                    "byte_size",
                    "alt_text",
                    "caption",
                    "credit",
                    "uploaded_by_id",
                    "uploaded_at",
                    "updated_at",
                ],
                format="JPEG",
            ),
            photo_rows,
        )
        self.writer.write(
            Table(Rendition, ["photo_id", "spec", "format", "width", "height", "file"]),
            rendition_rows,
        )
        return library

    # --- stories ---

    def _series_for(
        self, top_slug: str, domain: words.Domain
    ) -> tuple[int, int] | tuple[None, None]:
        """About one story in 40 is the next part of its desk's running series (a series
        runs 4 to 10 parts, then a new one starts)."""
        if self.rng.random() >= 0.025:
            return None, None
        running = self.series.get(top_slug)
        if running is None or running[1] >= running[2]:
            name = words.series_name(self.rng, domain)
            base = slugify(f"{name}-{top_slug}", allow_unicode=True)
            created = Series.objects.create(
                name=name[:60],
                slug=f"{base}-{Series.objects.count() + 1}"[:80],
                description=f"{name}: 솔빛경제 연재",
            )
            running = self.series[top_slug] = [created.pk, 0, self.rng.randint(4, 10)]
        running[1] += 1
        return running[0], running[1]

    def write(self, count: int, start: datetime, end: datetime, library) -> Written:
        """`count` published stories between start and end, oldest first."""
        rng, room = self.rng, self.room
        times = publication_times(count, start, end, rng)
        first = self.writer.reserve(Article, count)
        lead_share, inline_share = 0.75, 0.2
        uses_first = self.writer.reserve(PhotoUse, int(count * (lead_share + inline_share)) + 10)
        uses_left = int(count * (lead_share + inline_share)) + 10
        written = Written([], [], [], [], [])
        progress = Progress("stories")
        next_use = uses_first
        for batch_start in range(0, count, BATCH):
            rows = {name: [] for name in self.tables}
            for number in range(batch_start, min(count, batch_start + BATCH)):
                pk = first + number
                published = times[number]
                section = rng.choices(self.sections, cum_weights=self.section_weights)[0]
                top = room.top_of[section.pk]
                domain = words.domain_for(top.slug)
                text = words.story(rng, domain)
                beat = self.beat_reporters.get(section.pk) or self.beat_reporters.get(top.pk)
                reporter = rng.choice(beat) if beat and rng.random() < 0.85 else None
                reporter = reporter or rng.choice(room.reporters)
                editor_id, editor_name = rng.choice(room.editors)
                created = published - timedelta(minutes=rng.randint(30, 600))
                submitted = published - timedelta(minutes=rng.randint(5, 25))
                revised = (
                    published + timedelta(hours=rng.randint(1, 30)) if rng.random() < 0.1 else None
                )
                if revised is not None and revised > self.now:
                    revised = None
                use_ids = []
                uses = []
                if uses_left > 1 and rng.random() < lead_share:
                    photo = rng.choice(library)
                    use_ids.append(next_use)
                    uses.append((next_use, pk, photo[0], photo[1], photo[3], photo[2], 0, True))
                    next_use += 1
                    uses_left -= 1
                inline_use = None
                if uses_left > 1 and rng.random() < inline_share:
                    photo = rng.choice(library)
                    inline_use = next_use
                    uses.append((next_use, pk, photo[0], photo[1], photo[3], photo[2], 1, False))
                    next_use += 1
                    uses_left -= 1
                body = _body(text, inline_use)
                series_id, ordinal = self._series_for(top.slug, domain)
                rows["article"].append(
                    (
                        pk,
                        text.headline,
                        text.subheadline,
                        slugify(text.headline, allow_unicode=True)[:200] or "story",
                        text.summary,
                        body,
                        section.pk,
                        series_id,
                        ordinal,
                        PUBLISHED,
                        reporter.user_id,
                        created,
                        published,
                        revised,
                        None,
                        "",
                        reporter.user_id,
                        revised or created,
                    )
                )
                bylines = [reporter]
                if rng.random() < 0.12:
                    other = rng.choice(room.reporters)
                    if other is not reporter:
                        bylines.append(other)
                for order, line in enumerate(bylines):
                    rows["byline"].append((pk, line.profile_id, "", order))
                if rng.random() < 0.03:
                    rows["byline"].append((pk, None, "객원 " + rng.choice(words.GIVEN_NAMES), 9))
                tag_ids = sorted({room.tags[Tag.normalise(name)] for name in text.tags})
                rows["tags"].extend((pk, tag_id) for tag_id in tag_ids)
                if rng.random() < 0.05:
                    extra = rng.choice(self.sections)
                    if extra.pk != section.pk:
                        rows["extra"].append((pk, extra.pk))
                rows["use"].extend(uses)
                snapshot = _snapshot(text, body, section.pk, series_id, ordinal, bylines, uses)
                rows["revision"].append(
                    (pk, as_json(snapshot), reporter.user_id, reporter.name, created)
                )
                rows["event"].extend(
                    (
                        (
                            pk,
                            text.headline,
                            "created",
                            "",
                            "draft",
                            reporter.user_id,
                            reporter.name,
                            "",
                            created,
                        ),
                        (
                            pk,
                            text.headline,
                            "submit",
                            "draft",
                            "submitted",
                            reporter.user_id,
                            reporter.name,
                            "",
                            submitted,
                        ),
                        (
                            pk,
                            text.headline,
                            "publish",
                            "submitted",
                            "published",
                            editor_id,
                            editor_name,
                            "",
                            published,
                        ),
                    )
                )
                entry = search_text.entry(text.headline, text.subheadline, text.summary, body)
                rows["search"].append((pk, entry["headline"], entry["content"], entry["grams"]))
                written.ids.append(pk)
                written.published_at.append(published)
                written.top_slugs.append(top.slug)
                written.companies.append(text.company)
                written.topics.append(text.topic)
            for name, table in self.tables.items():
                self.writer.write(table, rows[name])
            progress.update(min(count, batch_start + BATCH), count)
        written.seconds = progress.done(f"{count:,} published stories")
        return written

    def desk(self) -> int:
        """The desk's work in progress: each reporter's drafts, some stories submitted for
        review, a few returned and a few scheduled, with their history."""
        rng, room, now = self.rng, self.room, self.now
        plan = [
            ("draft", reporter) for reporter in room.reporters for _ in range(DRAFTS_PER_REPORTER)
        ]
        plan += [("submitted", rng.choice(room.reporters)) for _ in range(SUBMITTED)]
        plan += [("returned", rng.choice(room.reporters)) for _ in range(RETURNED)]
        plan += [("scheduled", rng.choice(room.reporters)) for _ in range(SCHEDULED)]
        first = self.writer.reserve(Article, len(plan))
        rows = {name: [] for name in ("article", "byline", "revision", "event")}
        for number, (status, reporter) in enumerate(plan):
            pk = first + number
            section_id = rng.choice(reporter.sections or [self.sections[0].pk])
            domain = words.domain_for(room.top_of[section_id].slug)
            text = words.story(rng, domain)
            created = now - timedelta(minutes=rng.randint(20, 60 * 48))
            editor_id, editor_name = rng.choice(room.editors)
            scheduled = now + timedelta(hours=rng.randint(2, 72)) if status == "scheduled" else None
            note = (
                "제목을 다시 다듬어 주세요. 숫자 출처도 확인 바랍니다."
                if status == "returned"
                else ""
            )
            body = _body(text, None)
            rows["article"].append(
                (
                    pk,
                    text.headline,
                    text.subheadline,
                    slugify(text.headline, allow_unicode=True)[:200] or "story",
                    text.summary,
                    body,
                    section_id,
                    None,
                    None,
                    status,
                    reporter.user_id,
                    created,
                    None,
                    None,
                    scheduled,
                    note,
                    reporter.user_id,
                    created,
                )
            )
            rows["byline"].append((pk, reporter.profile_id, "", 0))
            snapshot = _snapshot(text, body, section_id, None, None, [reporter], [])
            rows["revision"].append(
                (pk, as_json(snapshot), reporter.user_id, reporter.name, created)
            )
            events = [
                (
                    pk,
                    text.headline,
                    "created",
                    "",
                    "draft",
                    reporter.user_id,
                    reporter.name,
                    "",
                    created,
                )
            ]
            if status != "draft":
                events.append(
                    (
                        pk,
                        text.headline,
                        "submit",
                        "draft",
                        "submitted",
                        reporter.user_id,
                        reporter.name,
                        "",
                        created + timedelta(minutes=10),
                    )
                )
            if status == "returned":
                events.append(
                    (
                        pk,
                        text.headline,
                        "return",
                        "submitted",
                        "returned",
                        editor_id,
                        editor_name,
                        note,
                        created + timedelta(minutes=15),
                    )
                )
            if status == "scheduled":
                events.append(
                    (
                        pk,
                        text.headline,
                        "schedule",
                        "submitted",
                        "scheduled",
                        editor_id,
                        editor_name,
                        "",
                        created + timedelta(minutes=15),
                    )
                )
            rows["event"].extend(events)
        for name in rows:
            self.writer.write(self.tables[name], rows[name])
        return len(plan)


def _snapshot(text, body, section_id, series_id, ordinal, bylines, uses) -> dict:
    """Revision 1's content, as articles.workflow.snapshot() keeps it."""
    return {
        "headline": text.headline,
        "subheadline": text.subheadline,
        "summary": text.summary,
        "body": body,
        "comment_mode": "inherit",
        "share_title": "",
        "share_description": "",
        "section": section_id,
        "extra_sections": [],
        "tags": sorted({Tag.normalise(name) for name in text.tags}),
        "series": series_id,
        "series_ordinal": ordinal,
        "share_photo": None,
        "bylines": [{"profile": line.profile_id} for line in bylines],
        "photo_uses": [
            {
                "id": use[0],
                "photo": use[2],
                "caption": use[3],
                "credit": use[4],
                "alt_text": use[5],
                "is_lead": use[7],
            }
            for use in uses
        ],
    }


def _body(text: words.StoryText, inline_use: int | None) -> str:
    blocks = []
    for index, paragraph in enumerate(text.paragraphs):
        blocks.append(f"<p>{paragraph}</p>")
        if index == 1 and inline_use is not None:
            blocks.append(f'<figure data-photo-use="{inline_use}"></figure>')
        if index == 2 and text.subheading:
            blocks.append(f"<h3>{text.subheading}</h3>")
    return "".join(blocks)


def retire_pages(room: Newsroom) -> None:
    """Every list page, once, after the commit: the archive changed all of them."""
    keys = {
        dependencies.HOME,
        dependencies.STORIES,
        dependencies.FEEDS,
        dependencies.SECTIONS,
        dependencies.CORRECTIONS,
        dependencies.REPORTERS,
    }
    keys.update(dependencies.section(section.pk) for section in room.sections)
    keys.update(dependencies.reporter(reporter.profile_id) for reporter in room.reporters)
    keys.update(dependencies.tag(pk) for pk in room.tags.values())
    keys.update(dependencies.series(pk) for pk in Series.objects.values_list("pk", flat=True))
    pagecache.touch(keys)
