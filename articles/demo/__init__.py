"""The demo newsroom's sections, series and stories (text in articles/demo/content.py,
written for this project). Every story is made through the workflow by the demo staff, so
its history, revisions and side effects are real; only the dates are then moved to sit
relative to the time of loading, and they are moved again on every load."""

import random
import zlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import StaffProfile, User
from articles import popularity, workflow
from articles.demo import claims as demo_claims
from articles.demo import content as demo_content
from articles.demo import newsletters as demo_newsletters
from articles.demo import planning as demo_planning
from articles.models import Article, Beat, Correction, SearchEntry, Section, Series
from media import library
from media.demo import scenes

EDITOR = "editor@example.com"
UPDATE_NOTE = "<p>※ 관계자 설명을 더해 기사를 보강했습니다.</p>"


def load(stdout) -> None:
    now = timezone.now()
    sections = _sections()
    series = _series()
    users = {user.email: user for user in User.objects.filter(staff_profile__isnull=False)}
    profiles = {
        profile.user.email: profile for profile in StaffProfile.objects.select_related("user")
    }
    beats = _beats(sections, profiles)
    created = 0
    reads = {}
    for story in demo_content.STORIES:
        article = Article.objects.filter(headline=story["headline"]).first()
        if article is None:
            article = _write(story, sections, series, users, profiles)
            created += 1
        _anchor(article, story, now)
        if story["state"] == "published":
            reads[article.pk] = _reads(story, now)
    stdout.write(
        f"Stories: {created} new, {len(demo_content.STORIES)} in all, each with two photos, "
        f"dated from the time of loading; {len(sections)} sections, {len(series)} series, "
        f"{beats} reporters' beats."
    )
    stdout.write(f"Search index: {SearchEntry.objects.count()} published stories.")
    popularity.replace_reads(reads)
    totals = [sum(by_hour.values()) for by_hour in reads.values()]
    stdout.write(
        f"Reads: {sum(totals)} over the last day, for {sum(1 for total in totals if total)} "
        "stories (많이 본 기사)."
    )
    demo_planning.load(stdout, now)
    demo_claims.load(stdout, now)
    demo_newsletters.load(stdout)


def _sections() -> dict[str, Section]:
    found = {}
    for order, top in enumerate(demo_content.SECTIONS):
        parent = _section(top, order, None)
        found[parent.slug] = parent
        for child_order, child in enumerate(top["children"]):
            found[child["slug"]] = _section(child, child_order, parent)
    return found


def _section(data: dict, order: int, parent: Section | None) -> Section:
    section, _created = Section.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "description": data["description"],
            "order": order,
            "parent": parent,
        },
    )
    return section


def _beats(sections: dict[str, Section], profiles: dict[str, StaffProfile]) -> int:
    # No workflow function: beats are edited in the admin like sections (articles.dependencies
    # retires the pages that show them on every save).
    wanted = [
        (profiles[email], sections[slug])
        for email, slugs in demo_content.BEATS.items()
        for slug in slugs
    ]
    for profile, section in wanted:
        Beat.objects.get_or_create(profile=profile, section=section)
    return len(wanted)


def _series() -> dict[str, Series]:
    return {
        data["slug"]: Series.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"], "description": data["description"]}
        )[0]
        for data in demo_content.SERIES
    }


def _write(story: dict, sections, series, users, profiles) -> Article:
    emails = story.get("bylines") or [story["byline"]]
    author = users[emails[0]]
    editor = users[EDITOR]
    bylines = [{"profile": profiles[email].pk} for email in emails]
    if story.get("guest_byline"):
        bylines.append({"guest": story["guest_byline"]})
    article = workflow.create(
        actor=author,
        section=sections[story["section"]],
        headline=story["headline"],
        subheadline=story["subheadline"],
        summary=story["summary"],
        tags=story["tags"],
        bylines=bylines,
        extra_sections=[sections[slug].pk for slug in story["extra_sections"]],
        series=series[story["series"]].pk if story.get("series") else None,
        series_ordinal=story.get("series_ordinal"),
        comment_mode=story.get("comment_mode", "inherit"),
    )
    lead = _photo(story["photo"], f"{story['key']}-lead", author)
    inline = _photo(story["inline_photo"], f"{story['key']}-inline", author)
    article = workflow.save(
        article,
        actor=author,
        base_version=article.version,
        content={
            "photo_uses": [{"photo": lead.pk, "is_lead": True}, {"photo": inline.pk}],
        },
    )
    inline_use = article.photo_uses.get(photo=inline)
    article = workflow.save(
        article,
        actor=author,
        base_version=article.version,
        content={"body": _body(story, inline_use.pk)},
    )
    return _walk(article, story, author, editor)


def _photo(data: dict, seed_name: str, uploader: User):
    seed = zlib.crc32(seed_name.encode())
    picture = scenes.picture_for(data["caption"], data["alt"], seed=seed)
    result = library.upload(
        ContentFile(picture, name=f"{seed_name}.jpg"),
        actor=uploader,
        caption=data["caption"],
        credit=data["credit"],
        alt_text=data["alt"],
    )
    return result.photo


def _body(story: dict, inline_use_id: int) -> str:
    blocks = []
    for index, paragraph in enumerate(story["paragraphs"]):
        blocks.append(f"<p>{paragraph}</p>")
        if index == 1:
            blocks.append(f'<figure data-photo-use="{inline_use_id}"></figure>')
        if story.get("subheading_after") == index and story.get("subheading"):
            blocks.append(f"<h3>{story['subheading']}</h3>")
    return "".join(blocks)


def _walk(article: Article, story: dict, author: User, editor: User) -> Article:
    """Take the story to its demo state the way the newsroom would."""
    state = story["state"]
    if state == "draft":
        return article
    if state == "spiked":
        return workflow.spike(article, actor=author, note=story["spike_note"])
    if author != editor or state in ("submitted", "returned"):
        article = workflow.submit(article, actor=author)
    if state == "returned":
        return workflow.return_for_changes(article, actor=editor, note=story["return_note"])
    if state == "submitted":
        return article
    if state == "scheduled":
        at = timezone.now() + timedelta(hours=story["publish_in_hours"])
        return workflow.schedule(article, actor=editor, at=at)
    article = workflow.publish(article, actor=editor)
    if story.get("updated_hours_after"):
        article = workflow.save(
            article,
            actor=editor,
            base_version=article.version,
            content={"body": article.body + UPDATE_NOTE},
        )
    if story.get("correction"):
        article = workflow.correct(
            article,
            actor=editor,
            base_version=article.version,
            note=story["correction"]["note"],
        )
    if state == "unpublished":
        article = workflow.unpublish(
            article,
            actor=editor,
            reason=story["unpublish_reason"],
            public_note=story["public_note"],
        )
    return article


def _reads(story: dict, now) -> dict:
    """A day of reads per hour for a published story, from its publication on: some
    stories draw more readers than others, and every story fewer as it ages. The same
    story gets the same numbers on every load. The two newest hours are left to the
    counters of real reads (articles.popularity.flush writes them)."""
    rng = random.Random(story["key"])
    peak = rng.randint(30, 400)
    by_hour = {}
    for hours_back in range(2, 24):
        age = story["hours_ago"] - hours_back
        if age < 0:
            break
        by_hour[now - timedelta(hours=hours_back)] = round(peak * 0.95**age * rng.uniform(0.7, 1.3))
    return by_hour


def _anchor(article: Article, story: dict, now) -> None:
    """Move the story's dates to sit relative to `now`: demo data only, so that the newest
    story is always minutes old. States are left to the workflow."""
    hours_ago = timedelta(hours=story["hours_ago"])
    fields = {"created_at": now - hours_ago - timedelta(hours=1)}
    if story["state"] in ("published", "unpublished"):
        published = now - hours_ago
        fields["published_at"] = published
        later = story.get("updated_hours_after") or (story.get("correction") or {}).get(
            "hours_after"
        )
        fields["revised_at"] = published + timedelta(hours=later) if later else None
        correction = story.get("correction")
        if correction:
            Correction.objects.filter(article=article).update(
                created_at=published + timedelta(hours=correction["hours_after"])
            )
    if story["state"] == "scheduled":
        fields["scheduled_publish_at"] = now + timedelta(hours=story["publish_in_hours"])
    Article.objects.filter(pk=article.pk).update(**fields)
