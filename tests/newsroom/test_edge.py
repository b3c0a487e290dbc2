"""The edge's side of the page cache (newsroom.edge): every page it may keep names its
dependencies in Surrogate-Key, and every change purges those keys at each configured edge
through the outbox. The real varnishd is in tests/integration/test_varnish_edge.py."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from articles import dependencies, workflow
from comments import moderation
from newsroom import edge, outbox, pagecache, tasks
from newsroom.models import OutboxMessage
from tests.factories import CommentFactory
from tests.processes import free_port, run_manage


class FakeVarnish:
    """A tiny HTTP server answering PURGE as deploy/varnish/newsroom.vcl does (or with
    `status`), recording every purge's keys."""

    def __init__(self):
        self.purged: list[set[str]] = []
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                fake.purged.append(set(self.headers.get(edge.HEADER, "").split()))
                self.send_response(fake.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def varnish(settings):
    fake = FakeVarnish()
    settings.EDGE_PURGE_URLS = [fake.url]
    yield fake
    fake.stop()


@pytest.fixture
def no_wait(monkeypatch):
    """The purge's wait for the other processes (pagecache.wait_until_seen) is tested on its
    own: elsewhere it would only slow the tests by half a second each."""
    monkeypatch.setattr(pagecache, "GENERATION_RECHECK", 0.0)


def keys_of(response) -> set[str]:
    return set(response[edge.HEADER].split())


def edge_keys(keys) -> set[str]:
    return {edge.edge_key(key) for key in keys}


# --- the header ---------------------------------------------------------------------------


def test_every_reader_page_names_what_it_was_built_from(
    client, desk, newsroom, reporter, django_capture_on_commit_callbacks
):
    story = desk.story(
        "반도체 수출 석 달째 증가",
        section=newsroom.electronics,
        tags=["반도체"],
        series=newsroom.series.pk,
        series_ordinal=1,
    )
    desk.correct(story, "수출액 단위를 바로잡았습니다.")
    tag = story.tags.get()
    profile = reporter.staff_profile
    pages = {
        "/": dependencies.home_page(),
        story.get_absolute_url(): dependencies.article_page(story),
        newsroom.industry.get_absolute_url(): dependencies.section_page(newsroom.industry),
        newsroom.electronics.get_absolute_url(): dependencies.section_page(newsroom.electronics),
        reverse("articles:reporters"): dependencies.reporters_page(),
        reverse("articles:reporter", args=[profile.slug]): dependencies.reporter_page(profile),
        newsroom.series.get_absolute_url(): dependencies.series_page(newsroom.series),
        tag.get_absolute_url(): dependencies.tag_page(tag),
        reverse("articles:corrections"): dependencies.corrections_page(),
        "/search/?q=반도체": dependencies.search_page(),
        reverse("syndication:feed"): dependencies.syndication(),
        reverse("syndication:section-feed", args=["industry"]): dependencies.syndication(),
        reverse("syndication:sitemap"): dependencies.syndication(),
        reverse("syndication:news-sitemap"): dependencies.syndication(),
    }
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert keys_of(response) == edge_keys(expected), path
    article = keys_of(client.get(story.get_absolute_url()))
    assert {f"story:{story.pk}", f"comments:{story.pk}", f"series:{newsroom.series.pk}"} <= article


def test_pages_built_for_one_person_name_no_keys(client, desk, editor, reader, settings):
    story = desk.story("반도체 수출 석 달째 증가")
    client.force_login(reader)
    personal = client.get(reverse("accounts:personal"), {"story": story.pk})
    comments_page = client.get(reverse("comments:block", args=[story.pk]))
    staff = Client()
    staff.force_login(editor)
    staff.cookies[settings.PAGE_CACHE_BYPASS_COOKIE] = "1"
    for response in (
        personal,
        comments_page,
        staff.get(reverse("story_desk:dashboard")),
        staff.get(story.get_absolute_url()),  # a reader page built for staff
        client.get("/search/?q=" + "가" * 150),  # refused: not kept
    ):
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert edge.HEADER not in response, response.request["PATH_INFO"]


def test_keys_are_written_the_same_way_in_the_header_and_in_a_purge():
    assert edge.edge_key("story:12") == "story:12"
    # A space or a comma would split a key in two at the edge: every other character
    # outside the safe set is escaped as UTF-8, the escape's own % included.
    assert edge.edge_key("tag:칩 2,3%") == "tag:%EC%B9%A9%202%2C3%25"
    assert edge.header_value({"story:12", "home", "comments:12"}) == "comments:12 home story:12"


# --- the purge ----------------------------------------------------------------------------


def test_a_correction_purges_exactly_the_keys_it_retires(
    desk, varnish, no_wait, django_capture_on_commit_callbacks
):
    story = desk.story("반도체 수출 석 달째 증가")
    retired = dependencies.of_story(story)
    # The publish's purge: this test's transaction never commits, so it is never sent.
    earlier = OutboxMessage.objects.filter(task_name="newsroom.purge_edge")
    published = set(earlier.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        desk.correct(story, "수출액 단위를 바로잡았습니다.")
        # The outbox row is part of the correction's transaction; nothing is sent before it
        # commits.
        purges = list(earlier.exclude(pk__in=published))
        assert len(purges) == 1
        assert varnish.purged == []
    for callback in callbacks:
        callback()
    assert edge_keys(retired) in varnish.purged
    for message in purges:
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.DONE


def test_a_comment_change_purges_the_story_page_by_its_comment_key(
    desk, varnish, no_wait, moderator, reader, django_capture_on_commit_callbacks
):
    story = desk.story("반도체 수출 석 달째 증가")
    held = CommentFactory(story=story, author=reader, body="심사를 기다리는 댓글", status="pending")
    varnish.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(held, actor=moderator)
    assert {f"comments:{story.pk}"} in varnish.purged


def test_without_an_edge_nothing_is_enqueued(desk, settings, django_capture_on_commit_callbacks):
    settings.EDGE_PURGE_URLS = []
    story = desk.story("반도체 수출 석 달째 증가")
    with django_capture_on_commit_callbacks(execute=True):
        desk.correct(story, "수출액 단위를 바로잡았습니다.")
        workflow.curate(None, actor=desk.editor, story_ids=[story.pk])
    assert not OutboxMessage.objects.filter(task_name="newsroom.purge_edge").exists()


def test_a_log_in_or_an_account_change_sends_the_edge_nothing(reader, varnish, no_wait):
    # Only a reader's own comment block is built from their account: no page the edge keeps.
    reader.last_login = reader.date_joined
    reader.save()
    assert not OutboxMessage.objects.filter(task_name="newsroom.purge_edge").exists()


def test_a_rolled_back_change_purges_nothing(desk, varnish, no_wait):
    def undone_change():
        with transaction.atomic():
            pagecache.touch({"story:1"})
            raise RuntimeError("the change is undone")

    with pytest.raises(RuntimeError):
        undone_change()
    assert not OutboxMessage.objects.filter(task_name="newsroom.purge_edge").exists()
    assert varnish.purged == []


def test_an_edge_that_is_down_leaves_the_purge_pending_until_it_answers(
    db, varnish, no_wait, django_capture_on_commit_callbacks
):
    varnish.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.touch({"story:1", "home"})
    message = OutboxMessage.objects.get(task_name="newsroom.purge_edge")
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "503" in message.last_error

    varnish.status = 200
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert outbox.sweep()["delivered"] == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert varnish.purged[-1] == {"story:1", "home"}


def test_the_task_tries_every_edge_and_fails_if_one_did_not_purge(settings, no_wait):
    answering, broken = FakeVarnish(), FakeVarnish()
    broken.status = 500
    try:
        settings.EDGE_PURGE_URLS = [broken.url, answering.url]
        with pytest.raises(edge.EdgeError, match="500"):
            tasks.purge_edge(["home"])
        assert answering.purged == [{"home"}]
        broken.status = 200
        assert tasks.purge_edge(["home"]) == 2
        assert tasks.purge_edge(["home"]) == 2  # twice: harmless
    finally:
        answering.stop()
        broken.stop()


def test_the_adapter_fails_on_an_edge_that_does_not_answer(settings):
    closed = edge.Varnish(f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(edge.EdgeError, match=r"127\.0\.0\.1"):
        closed.purge({"home"})


def test_the_purge_waits_until_every_process_has_seen_the_bump(monkeypatch):
    slept = []
    monkeypatch.setattr(pagecache.time, "sleep", slept.append)
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now)
    cache.set("gen:story:1", f"{now - 0.1:.6f}-elsewhere", timeout=None)
    cache.set("gen:home", f"{now - 5:.6f}-elsewhere", timeout=None)
    pagecache.wait_until_seen(["story:1", "home"])
    assert slept == [pytest.approx(pagecache.GENERATION_RECHECK - 0.1, abs=1e-3)]
    slept.clear()
    pagecache.wait_until_seen(["home", "never-bumped"])
    assert slept == []


def test_an_edge_address_that_is_not_http_stops_the_site_at_start():
    done = run_manage("check", EDGE_PURGE_URLS="http://127.0.0.1:6081/,127.0.0.1:6082")
    assert done.returncode != 0
    assert "EDGE_PURGE_URLS: '127.0.0.1:6082' is not an http:// address." in done.stderr
