import re
from datetime import timedelta
from itertools import combinations

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts import roles
from accounts.models import RoleChange, StaffProfile, User
from articles.demo import content as articles_demo
from articles.models import (
    Article,
    ArticleEvent,
    Assignment,
    Beat,
    Newsletter,
    PlanningEvent,
    PlanningItem,
    PressClaim,
    Revision,
    Section,
    Subscriber,
    Subscription,
    SubscriptionEvent,
    ViewCount,
)
from comments.demo import content as comments_demo
from comments.models import (
    Blind,
    Comment,
    CommentReport,
    CommentVote,
    ModerationAction,
    ReaderStanding,
    RefusedComment,
    WordRule,
)
from media import library
from media.models import Photo, PhotoEvent, Rendition, StaffPortrait
from newsroom.models import OutboxMessage
from tests.pages import parse
from tests.pictures import difference, thumbnail

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "reporter@example.com": {"reporter"},
    "editor@example.com": {"editor"},
    "moderator@example.com": {"moderator"},
    "reader@example.com": set(),
    "admin@example.com": set(),
    # The rest of the reporting desk, for 기자 소개.
    **{email: {"reporter"} for email, *_profile in accounts_demo.DEMO_REPORTERS},
    # The readers who comment (comments/demo/content.py).
    **{email: set() for email, _nickname in comments_demo.READERS},
    # The reader suspended by the moderators' demo.
    comments_demo.TROLL[0]: set(),
}


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            StaffProfile,
            RoleChange,
            OutboxMessage,
            Photo,
            PhotoEvent,
            StaffPortrait,
            Section,
            Beat,
            Article,
            ArticleEvent,
            Revision,
            ViewCount,
            PlanningItem,
            Assignment,
            PlanningEvent,
            PressClaim,
            Comment,
            CommentVote,
            CommentReport,
            ModerationAction,
            Newsletter,
            Subscriber,
            Subscription,
            SubscriptionEvent,
        )
    }


def test_loading_the_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["User"] == len(DEMO_ROLES)


def test_demo_people_have_exactly_their_one_role_and_can_log_in(capsys):
    call_command("load_demo")
    for email, expected in DEMO_ROLES.items():
        user = authenticate(email=email, password="newsroom-demo")
        assert user is not None, f"{email} cannot log in"
        assert set(roles.roles_of(user)) == expected
        assert user.emailaddress_set.get().verified
        # Hashed by the site's own hasher, at its full strength, like any account.
        assert identify_hasher(user.password).algorithm == get_hasher().algorithm
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()


def test_demo_staff_have_korean_bylines(capsys):
    call_command("load_demo")
    profile = StaffProfile.objects.get(user__email="reporter@example.com")
    assert (profile.byline_name, profile.title) == ("한지민", "기자")
    assert profile.bio


def test_the_loader_prints_the_log_ins_and_the_background_mode(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "editor@example.com" in output
    assert "newsroom-demo" in output
    assert "in-process" in output
    # The other reporters in one line, not one each.
    assert "reporter2@example.com to reporter6@example.com" in output
    assert "reporter3@example.com" not in output


def test_the_loader_prints_each_step_with_its_counts_and_seconds_then_the_total(capsys):
    call_command("load_demo")
    lines = capsys.readouterr().out.splitlines()
    steps = {
        line.split(":")[0]: line
        for line in lines
        if re.fullmatch(r"[^:]+: .*\d.* \(\d+\.\d s\)", line)
    }
    assert list(steps) == [
        "Log-ins",
        "Photo library",
        "Stories",
        "Search index",
        "Reads",
        "Planning",
        "Press claims",
        "Newsletters",
        "Comments",
        "Renditions",
    ]
    assert f"{len(articles_demo.STORIES)} in all" in steps["Stories"]
    published = Article.objects.filter(status="published").count()
    assert f"Search index: {published} published stories" in steps["Search index"]
    assert f"Comments: {Comment.objects.count()} new" in steps["Comments"]
    assert f"of {Photo.objects.count()} photos ready" in steps["Renditions"]
    assert re.fullmatch(r"Demo loaded in \d+\.\d s\.", lines[-1])


def test_demo_data_is_never_loaded_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_photos_have_korean_captions_renditions_and_staff_portraits(
    capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("load_demo")
    # Every photo's renditions are queued; making one set is enough to prove the path.
    queued = [callback for callback in callbacks if "_relay" in repr(callback)]
    assert len(queued) >= Photo.objects.count()
    photo = Photo.objects.get(caption__startswith="부산 신항")
    assert photo.credit
    assert photo.alt_text
    assert library.make_renditions(photo.pk) == 9
    assert {r.spec for r in photo.renditions.all()} >= {"w320", "w640", "w960", "share"}
    assert Rendition.objects.count() == 9
    assert StaffPortrait.objects.count() == 6


def test_the_demo_reporters_index_lists_a_desk_each_with_beats_and_a_latest_story(client, capsys):
    call_command("load_demo")
    for portrait in StaffPortrait.objects.all():
        library.make_renditions(portrait.photo_id)

    index = parse(client.get("/reporters/")).one("ul", cls="reporter-index")

    entries = {
        entry.one("a", cls="reporter-name").text: entry
        for entry in index.select("li", cls="reporter-entry")
    }
    assert len(entries) >= 6
    for name, entry in entries.items():
        beats = [link.text for link in entry.one("p", cls="reporter-beat").select("a")]
        latest = entry.one("p", cls="reporter-latest").one("a", cls="headline-link")
        story = Article.objects.get(headline=latest.text)
        # Each writes in their beats (한지민, the reporter log-in, across the desk too).
        filed = {story.section.name, *story.extra_sections.values_list("name", flat=True)}
        assert filed & set(beats), name
    without = [name for name, entry in entries.items() if not entry.select("img")]
    assert 1 <= len(without) < len(entries)
    for name in without:
        assert entries[name].one("span", cls="portrait-fallback").text == name[0]
    # 한지민 is still the reporter log-in's desk: the most stories, and one in every panel.
    stories = {name: Article.objects.filter(bylines__profile__byline_name=name) for name in entries}
    assert max(entries, key=lambda name: stories[name].count()) == "한지민"
    assert set(stories["한지민"].values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "returned",
        "scheduled",
        "published",
    }


def test_no_two_stories_on_the_home_page_show_the_same_picture(client, capsys):
    call_command("load_demo")
    shown = set(parse(client.get("/")).one("div", cls="front-main").links())
    stories = [
        s for s in Article.objects.filter(status="published") if s.get_absolute_url() in shown
    ]
    leads = [story.photo_uses.get(is_lead=True).photo for story in stories]
    for photo in leads:
        library.make_renditions(photo.pk)
    front = parse(client.get("/")).one("div", cls="front-main")
    pictures = [image.attrs["src"] for image in front.select("img")]
    assert len(pictures) == len(stories) >= 5
    assert len(set(pictures)) == len(pictures)
    # Not only other files: other pictures, as a reader glancing at the page sees them.
    originals = {photo.caption: thumbnail(photo.original.open("rb").read()) for photo in leads}
    for (one, first), (other, second) in combinations(originals.items(), 2):
        assert difference(first, second) > 20, f"{one} / {other}"


def most_read(client) -> list[str]:
    box = parse(client.get("/")).one("section", aria_labelledby="most-read-heading")
    return [item.text for item in box.select("li")]


def test_the_most_read_box_lists_ten_stories_as_soon_as_the_demo_is_loaded(client, capsys):
    call_command("load_demo")
    assert len(set(most_read(client))) == 10
    # Loaded again days later, the stories move to the new time and their reads with them.
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        call_command("load_demo")
        assert len(set(most_read(client))) == 10


def test_demo_stories_cover_every_state_with_photos_and_a_placeholder(capsys):
    call_command("load_demo")
    states = set(Article.objects.values_list("status", flat=True))
    assert states == {state for state, _label in Article.Status.choices}
    assert Article.objects.filter(status="published").count() >= 30
    story = Article.objects.filter(status="published").order_by("-published_at").first()
    assert (timezone.now() - story.published_at).total_seconds() < 3600
    assert story.photo_uses.filter(is_lead=True).count() == 1
    assert '<figure data-photo-use="' in story.body
    assert Section.objects.filter(parent__isnull=True).count() >= 6
    assert Article.objects.filter(corrections__isnull=False).distinct().count() >= 3
    scheduled = Article.objects.filter(status="scheduled").first()
    assert scheduled.scheduled_publish_at > timezone.now()


def test_loading_again_moves_the_dates_to_the_new_time(capsys):
    call_command("load_demo")
    newest = Article.objects.order_by("-published_at").first()
    first = newest.published_at
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        call_command("load_demo")
        newest.refresh_from_db()
        assert newest.published_at - first > timedelta(days=2)
        assert (timezone.now() - newest.published_at).total_seconds() < 3600


def test_the_demo_has_an_open_press_claim_on_the_desk_and_its_notice_on_the_story(client, capsys):
    call_command("load_demo")
    claim = PressClaim.objects.get()
    assert claim.status == PressClaim.Status.RECEIVED
    assert not claim.out_of_window

    story = client.get(claim.article.get_absolute_url())
    assert "언론중재법에 따른 정정·반론보도 청구가 접수된 기사입니다" in story.content.decode()
    client.force_login(User.objects.get(email="editor@example.com"))
    desk = client.get("/desk/claims/")
    assert claim.claimant in desk.content.decode()


def test_demo_comments_cover_every_state_a_reader_can_reach_with_replies_votes_and_reports(
    capsys,
):
    call_command("load_demo")
    states = set(Comment.objects.values_list("status", flat=True))
    assert states == set(Comment.Status)
    assert Comment.objects.values("story").distinct().count() >= 20
    assert Comment.objects.filter(parent__isnull=False).count() >= 15
    assert Comment.objects.filter(status="deleted", replies__isnull=False).exists()
    assert CommentVote.objects.filter(value="like").count() >= 50
    assert CommentVote.objects.filter(value="dislike").exists()
    assert CommentReport.objects.count() >= 3
    reader = Comment.objects.filter(author__email="reader@example.com")
    assert set(reader.values_list("status", flat=True)) == {"published", "pending", "deleted"}
    # The moderators' demo: a suspended reader (not the demo log-in), a rejected comment
    # with its reason, a temporary blind, reports waiting, and the log of it all.
    suspended = ReaderStanding.objects.get(user__email=comments_demo.TROLL[0])
    assert suspended.suspended_until > timezone.now()
    assert not ReaderStanding.objects.filter(
        user__email="reader@example.com", suspended_until__isnull=False
    ).exists()
    rejected = Comment.objects.filter(status="rejected", author__email=comments_demo.TROLL[0])
    assert sorted(rejected.values_list("rejection_reason", flat=True)) == ["attack", "spam"]
    assert Blind.objects.get().claimant
    assert Comment.objects.filter(open_reports__gt=0).exists()
    assert WordRule.objects.filter(word="시발점", kind="exception").exists()
    # Refused by the rules and kept: the troll's abuse and an innocent sentence to mark.
    refused = RefusedComment.objects.order_by("created_at")
    assert [(kept.author.email, kept.rule_word) for kept in refused] == [
        (comments_demo.TROLL[0], "씨발"),
        ("commenter4@example.com", "씨팔"),
    ]
    logged = set(ModerationAction.objects.values_list("action", flat=True))
    assert {"rejected", "suspended", "blinded", "noted", "reported"} <= logged
    for comment in Comment.objects.select_related("story"):
        assert comment.story.published_at < comment.created_at < timezone.now()
        assert 0 < len(comment.body) <= 200


def test_demo_comments_follow_their_story_when_the_dates_move(capsys):
    call_command("load_demo")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        call_command("load_demo")
        for comment in Comment.objects.select_related("story"):
            assert comment.story.published_at < comment.created_at < timezone.now()


def test_the_demo_offers_three_newsletters_with_confirmed_subscribers_the_reader_among_them(
    client, capsys
):
    call_command("load_demo")
    kinds = sorted(Newsletter.objects.values_list("kind", flat=True))
    assert kinds == ["briefing", "reporter", "section"]
    assert Newsletter.objects.get(kind="briefing").name == "아침 브리핑"
    biggest = Newsletter.objects.get(kind="section").section
    published = Article.objects.filter(status="published")
    assert all(
        published.filter(section=section).count() <= published.filter(section=biggest).count()
        for section in Section.objects.all()
    )
    mine = Subscription.objects.filter(subscriber__user__email="reader@example.com")
    assert mine.count() == 2
    assert set(mine.values_list("status", flat=True)) == {"confirmed"}
    assert Subscription.objects.filter(status="confirmed").count() >= 5
    assert not Subscription.objects.exclude(status="confirmed").exists()
    assert Subscriber.objects.filter(user=None).count() == 3
    page = parse(client.get("/"))
    assert "아침 브리핑" in page.one("section", cls="newsletter-box").text
