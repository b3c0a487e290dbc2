"""The share fan-out: what triggers it, what each network's delivery records, and how a
delivery behaves when run twice, retried, superseded or re-run by an editor."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from accounts.errors import NotAllowed
from articles import dependencies, workflow
from articles.errors import DeliveryNotFailed
from articles.models import Article, ArticleEvent, Network, ShareDelivery, ShareFanout
from articles.sharing import fanout, ratelimit
from newsroom import pagecache
from newsroom.models import OutboxMessage
from tests.articles.conftest import edit
from tests.fake_graph import FakeGraph

pytestmark = pytest.mark.django_db

Status = Article.Status
Delivery = ShareDelivery.Status
Reason = ShareDelivery.SkipReason


@pytest.fixture
def graph(settings):
    with FakeGraph() as fake:
        settings.FACEBOOK_GRAPH_URL = fake.url
        settings.FACEBOOK_ACCESS_TOKEN = "app-id|app-secret"
        settings.SHARE_HTTP_TIMEOUT = 2
        yield fake


@pytest.fixture(autouse=True)
def _no_retry_sleeps(settings):
    settings.SHARE_RETRY_BASE_SECONDS = 1
    settings.SHARE_RETRY_MAX_SECONDS = 4
    settings.SHARE_MAX_ATTEMPTS = 3


def fanouts(article) -> list[ShareFanout]:
    return list(ShareFanout.objects.filter(article=article).order_by("pk"))


def deliveries(fan: ShareFanout) -> dict[str, ShareDelivery]:
    return {d.network: d for d in ShareDelivery.objects.filter(fanout=fan)}


# --- the trigger ------------------------------------------------------------------------------


def test_publishing_writes_one_fan_out_with_a_pending_delivery_per_network_sent_after_commit(
    story_in, editor, django_capture_on_commit_callbacks
):
    story = story_in(Status.SUBMITTED)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.publish(story, actor=editor)
        [fan] = fanouts(story)
        [message] = OutboxMessage.objects.filter(task_name="articles.fan_out_share")
        assert message.args == [fan.pk]
        assert message.status == OutboxMessage.Status.PENDING

    # The outbox's relays of the fan-out and of the reporter's notification e-mail, and the
    # page cache's invalidation.
    assert len(callbacks) == 3
    assert fan.is_public
    assert fan.trigger == "published"
    assert set(deliveries(fan)) == set(Network.values)
    assert {d.status for d in deliveries(fan).values()} == {Delivery.PENDING}
    assert fan.total == 6
    assert fan.finished == 0


def test_drafts_and_submissions_trigger_nothing(story_in):
    story = story_in(Status.SUBMITTED)
    assert fanouts(story) == []


def test_a_change_that_touches_nothing_shared_triggers_nothing(story_in, editor):
    story = story_in(Status.PUBLISHED)
    edit(story, actor=editor, body="<p>본문만 고쳤다.</p>", tags=["반도체"])
    assert len(fanouts(story)) == 1


def test_a_repeated_trigger_is_one_fan_out(story_in):
    story = story_in(Status.PUBLISHED)
    assert fanout.trigger(story, reason="published") is None
    assert fanout.trigger(story, reason="published") is None
    assert len(fanouts(story)) == 1


@pytest.mark.parametrize(
    "content",
    [
        {"headline": "반도체 수출 넉 달째 증가"},
        {"share_title": "반도체 수출, 석 달째 늘었다"},
        {"share_description": "산업통상자원부 발표"},
        {"summary": "반도체 수출이 석 달째 늘었다."},
    ],
)
def test_an_update_or_correction_of_a_shared_field_fans_out_again(story_in, editor, content):
    story = story_in(Status.PUBLISHED)
    edit(story, actor=editor, **content)
    first, second = fanouts(story)
    assert second.is_public
    assert second.fields_hash != first.fields_hash
    assert second.trigger == "updated"


def test_a_new_lead_photo_fans_out_again(story_in, editor, photo):
    story = story_in(Status.PUBLISHED)
    edit(story, actor=editor, photo_uses=[{"photo": photo.pk, "is_lead": True}])
    _first, second = fanouts(story)
    assert second.fields["photo"] == photo.pk


def test_unpublishing_fans_out_so_the_networks_drop_the_card_and_republishing_again(
    story_in, editor
):
    story = story_in(Status.PUBLISHED)
    workflow.unpublish(story, actor=editor, reason="오보")
    workflow.republish(story, actor=editor)
    published, withdrawn, again = fanouts(story)
    assert (published.is_public, withdrawn.is_public, again.is_public) == (True, False, True)
    assert withdrawn.trigger == "unpublished"
    assert again.fields_hash == published.fields_hash


def test_a_scheduled_publish_fans_out_the_same_way(story_in):
    story = story_in(Status.SCHEDULED)
    workflow.run_schedule(now=timezone.now() + timedelta(days=2))
    [fan] = fanouts(story)
    assert fan.is_public
    assert fan.trigger == "scheduled"
    assert len(deliveries(fan)) == 6


# --- the deliveries ---------------------------------------------------------------------------


def run_fanout(fan: ShareFanout) -> None:
    """What the worker does: start the fan-out, then every delivery."""
    fanout.start(fan.pk)
    for delivery in ShareDelivery.objects.filter(fanout=fan):
        fanout.deliver(delivery.pk)


def test_every_delivery_ends_done_or_skipped_with_its_reason(story_in, graph):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    run_fanout(fan)

    by_network = deliveries(fan)
    assert by_network["facebook"].status == Delivery.DONE
    assert by_network["kakaotalk"].skip_reason == Reason.NOT_CONFIGURED  # no KAKAO_JS_KEY
    for network in ("x", "naver", "linkedin", "band"):
        assert by_network[network].status == Delivery.SKIPPED
        assert by_network[network].skip_reason == Reason.NO_REFRESH_API
    fan.refresh_from_db()
    assert fan.finished == 6
    assert fan.completed_at is not None
    assert graph.scraped() == [fan.card["url"]]
    assert graph.calls[0]["scrape"] == "true"
    assert graph.calls[0]["access_token"] == "app-id|app-secret"


def test_without_a_token_facebook_is_skipped_as_not_configured_never_done(story_in, settings):
    settings.FACEBOOK_ACCESS_TOKEN = ""
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    run_fanout(fan)
    facebook = deliveries(fan)["facebook"]
    assert (facebook.status, facebook.skip_reason) == (Delivery.SKIPPED, Reason.NOT_CONFIGURED)


def test_each_network_stores_its_metadata_with_a_bare_canonical_url_and_a_tagged_share_link(
    story_in, graph, settings
):
    settings.KAKAO_JS_KEY = "kakao-demo-key"
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    run_fanout(fan)
    fan.refresh_from_db()

    canonical = settings.SITE_URL + story.get_absolute_url()
    for network, delivery in deliveries(fan).items():
        data = delivery.metadata
        assert data["canonical_url"] == canonical
        assert "utm_" not in data["canonical_url"]
        assert f"utm_source={network}" in data["share_url"]
        assert data["title"] == "반도체 수출 석 달째 증가"
        assert data["image_url"] == fan.image_url
        assert (data["image_width"], data["image_height"]) == (1200, 630)
    feed = deliveries(fan)["kakaotalk"].metadata["feed"]
    assert feed["object_type"] == "feed"
    assert feed["content"]["image_width"] == 1200
    assert feed["content"]["link"]["web_url"].startswith(canonical)
    assert deliveries(fan)["kakaotalk"].skip_reason == Reason.NO_REFRESH_API


def test_the_share_image_is_stored_under_a_hash_of_its_content(story_in, graph, settings):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    run_fanout(fan)
    fan.refresh_from_db()
    name = fan.image_url.removeprefix(settings.SITE_URL + settings.MEDIA_URL)
    assert name.startswith("share/")
    assert name.endswith(".jpg")
    with storages["photos_public"].open(name) as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest()[:40] in name


def test_a_correction_with_a_new_headline_gets_a_new_image_url(story_in, editor, graph):
    story = story_in(Status.PUBLISHED)
    run_fanout(fanouts(story)[0])
    story.refresh_from_db()
    workflow.correct(
        story,
        actor=editor,
        base_version=story.version,
        note="제목의 수치를 바로잡았습니다.",
        content={"headline": "반도체 수출 넉 달째 증가"},
    )
    first, second = fanouts(story)
    run_fanout(second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.trigger == "corrected"
    assert second.image_url
    assert second.image_url != first.image_url


def test_running_a_delivery_twice_leaves_one_done_row_and_one_refresh_call(story_in, graph):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    facebook = deliveries(fan)["facebook"]

    assert fanout.deliver(facebook.pk).status == Delivery.DONE
    assert fanout.deliver(facebook.pk).status == Delivery.DONE

    facebook.refresh_from_db()
    assert facebook.attempts == 1
    assert facebook.refresh_calls == 1
    assert len(graph.calls) == 1
    fan.refresh_from_db()
    assert fan.finished == 1


def test_a_delivery_found_running_was_cut_off_and_runs_again_once(story_in, graph):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    facebook = deliveries(fan)["facebook"]
    ShareDelivery.objects.filter(pk=facebook.pk).update(
        status=Delivery.RUNNING, attempts=1, refresh_calls=1
    )

    assert fanout.deliver(facebook.pk).status == Delivery.DONE
    facebook.refresh_from_db()
    assert (facebook.attempts, facebook.refresh_calls) == (2, 2)  # one repeat of the call
    assert ShareDelivery.objects.filter(fanout=fan, network="facebook").count() == 1


def test_starting_a_fan_out_twice_enqueues_its_deliveries_once(story_in):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    assert fanout.start(fan.pk) == 6
    assert fanout.start(fan.pk) == 0
    assert OutboxMessage.objects.filter(task_name="articles.deliver_share").count() == 6


def test_an_unpublished_story_gets_no_new_card(story_in, editor, graph):
    story = story_in(Status.PUBLISHED)
    [published] = fanouts(story)
    workflow.unpublish(story, actor=editor, reason="오보")
    run_fanout(published)  # the publish's tasks arrive late

    assert {d.skip_reason for d in deliveries(published).values()} == {Reason.SUPERSEDED}
    published.refresh_from_db()
    assert published.card == {}
    assert published.image_url == ""
    assert graph.calls == []


def test_the_withdrawal_asks_facebook_to_read_the_page_again_and_builds_no_image(
    story_in, editor, graph
):
    story = story_in(Status.PUBLISHED)
    workflow.unpublish(story, actor=editor, reason="오보")
    withdrawn = fanouts(story)[-1]
    run_fanout(withdrawn)
    withdrawn.refresh_from_db()
    assert deliveries(withdrawn)["facebook"].status == Delivery.DONE
    assert withdrawn.image_url == ""
    assert withdrawn.card["public"] is False
    assert graph.scraped() == [withdrawn.card["url"]]


# --- retries, failures, the rate limit --------------------------------------------------------


def test_a_server_error_is_retried_with_backoff_then_done(story_in, graph, settings):
    graph.plan = [500, 503]
    story = story_in(Status.PUBLISHED)
    facebook = deliveries(fanouts(story)[0])["facebook"]

    first = fanout.deliver(facebook.pk)
    assert first.status == Delivery.PENDING
    assert 0.5 <= first.retry_in <= 1
    second = fanout.deliver(facebook.pk)
    assert 1 <= second.retry_in <= 2
    facebook.refresh_from_db()
    assert "HTTP 503" in facebook.last_error
    assert "app-secret" not in facebook.last_error
    assert fanout.deliver(facebook.pk).status == Delivery.DONE
    facebook.refresh_from_db()
    assert facebook.attempts == 3
    assert len(graph.calls) == 3


def test_after_its_last_attempt_a_delivery_is_failed_with_the_error(story_in, graph):
    graph.plan = [500, 500, 500]
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    facebook = deliveries(fan)["facebook"]
    outcomes = [fanout.deliver(facebook.pk) for _attempt in range(3)]
    assert outcomes[-1].status == Delivery.FAILED
    assert outcomes[-1].retry_in is None
    facebook.refresh_from_db()
    assert facebook.attempts == 3
    assert "HTTP 500" in facebook.last_error
    fan.refresh_from_db()
    assert fan.finished == 1


def test_a_refused_token_fails_at_once(story_in, graph):
    graph.plan = [400]
    story = story_in(Status.PUBLISHED)
    outcome = fanout.deliver(deliveries(fanouts(story)[0])["facebook"].pk)
    assert outcome.status == Delivery.FAILED
    assert len(graph.calls) == 1


def test_a_timeout_is_retried(story_in, graph, settings):
    settings.SHARE_HTTP_TIMEOUT = 1
    graph.plan = [("hang", 3)]
    story = story_in(Status.PUBLISHED)
    outcome = fanout.deliver(deliveries(fanouts(story)[0])["facebook"].pk)
    assert outcome.status == Delivery.PENDING
    assert outcome.retry_in


def test_an_empty_rate_limit_bucket_postpones_without_counting_an_attempt(
    story_in, graph, monkeypatch
):
    monkeypatch.setattr(ratelimit, "acquire", lambda network, **kwargs: 30.0)
    story = story_in(Status.PUBLISHED)
    facebook = deliveries(fanouts(story)[0])["facebook"]
    outcome = fanout.deliver(facebook.pk)
    assert outcome.status == Delivery.PENDING
    assert 30 <= outcome.retry_in <= 31
    facebook.refresh_from_db()
    assert facebook.attempts == 0
    assert graph.calls == []


def test_the_local_bucket_allows_a_burst_then_asks_to_wait(settings, caplog, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setitem(ratelimit._last_warning, "at", 0.0)
    waits = [ratelimit.acquire("test-local", per_minute=60, burst=2, patience=5) for _n in range(3)]
    assert waits[:2] == [0.0, 0.0]
    assert 0 < waits[2] <= 1.0
    assert "per worker process" in caplog.text  # the fallback is never silent


def test_callers_queue_up_for_the_bucket_instead_of_sharing_one_token(settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setitem(ratelimit._last_warning, "at", 1.0)
    waits = [
        ratelimit.acquire("test-queue", per_minute=60, burst=1, patience=2.5) for _n in range(5)
    ]
    # One a second: the first goes at once, the next two are each given a later token, the
    # others would wait too long and take none (so they do not push the queue further back).
    assert waits[0] == 0.0
    assert [round(wait) for wait in waits[1:3]] == [1, 2]
    assert all(wait > 2.5 for wait in waits[3:])
    assert round(waits[3]) == round(waits[4]) == 3


def test_every_retry_delay_stays_below_the_visibility_timeout(settings):
    settings.SHARE_RETRY_BASE_SECONDS = 10
    settings.SHARE_RETRY_MAX_SECONDS = 600
    for attempts in range(1, 20):
        assert fanout.retry_delay(attempts) <= 600 < settings.CELERY_BROKER_VISIBILITY_TIMEOUT


# --- the editor's re-run ---------------------------------------------------------------------


@pytest.fixture
def failed_facebook(story_in, graph):
    graph.plan = [400]
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    run_fanout(fan)
    facebook = deliveries(fan)["facebook"]
    assert facebook.status == Delivery.FAILED
    return facebook


def test_an_editor_reruns_a_failed_delivery(failed_facebook, editor, graph):
    workflow_count = OutboxMessage.objects.filter(task_name="articles.deliver_share").count()
    fanout.rerun(failed_facebook, actor=editor)
    failed_facebook.refresh_from_db()
    assert failed_facebook.status == Delivery.PENDING
    assert failed_facebook.attempts == 0
    fan = failed_facebook.fanout
    fan.refresh_from_db()
    assert fan.finished == 5
    assert fan.completed_at is None
    assert (
        OutboxMessage.objects.filter(task_name="articles.deliver_share").count()
        == workflow_count + 1
    )
    [event] = ArticleEvent.objects.filter(action="share_rerun")
    assert event.data["network"] == "facebook"

    assert fanout.deliver(failed_facebook.pk).status == Delivery.DONE
    fan.refresh_from_db()
    assert fan.finished == 6
    assert fan.completed_at is not None


def test_a_reporter_cannot_rerun_a_delivery(failed_facebook, reporter):
    with pytest.raises(NotAllowed):
        fanout.rerun(failed_facebook, actor=reporter)


def test_only_a_failed_delivery_is_rerun_and_a_second_click_changes_nothing(
    failed_facebook, editor
):
    fanout.rerun(failed_facebook, actor=editor)
    fanout.rerun(failed_facebook, actor=editor)
    assert ArticleEvent.objects.filter(action="share_rerun").count() == 1
    skipped = ShareDelivery.objects.get(fanout=failed_facebook.fanout, network="x")
    with pytest.raises(DeliveryNotFailed):
        fanout.rerun(skipped, actor=editor)


def test_the_rerun_is_enqueued_only_after_commit(
    failed_facebook, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        fanout.rerun(failed_facebook, actor=editor)
    assert len(callbacks) == 1


# --- the desk and the article page ----------------------------------------------------------


def test_the_desk_shows_each_network_and_reruns_a_failed_one(
    client, editor, failed_facebook, graph, django_capture_on_commit_callbacks
):
    story = failed_facebook.fanout.article
    client.force_login(editor)
    page = client.get(reverse("story_desk:edit", args=[story.pk])).content.decode()
    assert 'id="sharing"' in page
    assert "planned failure 400" in page
    for label in ("페이스북", "카카오톡", "네이버", "LinkedIn", "밴드"):
        assert label in page
    rerun = reverse("story_desk:share-rerun", args=[story.pk, failed_facebook.pk])
    assert rerun in page
    assert "post-inspector" in page  # LinkedIn's manual tool, beside its reason

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(rerun)
    assert response.status_code == 302
    failed_facebook.refresh_from_db()
    assert failed_facebook.status == Delivery.DONE  # in-process after commit


def test_a_reporter_gets_no_rerun_button_and_the_post_is_refused(client, reporter, failed_facebook):
    story = failed_facebook.fanout.article
    client.force_login(reporter)
    rerun = reverse("story_desk:share-rerun", args=[story.pk, failed_facebook.pk])
    assert client.post(rerun).status_code in (403, 404)
    failed_facebook.refresh_from_db()
    assert failed_facebook.status == Delivery.FAILED


def test_storing_a_card_retires_what_the_story_page_kept(
    story_in, graph, django_capture_on_commit_callbacks
):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    kept_with = pagecache.generations.current([dependencies.story(story.pk)])
    with django_capture_on_commit_callbacks(execute=True):
        run_fanout(fan)
    # The page's share metadata and buttons are kept with the story (articles.fragments).
    assert pagecache.generations.current([dependencies.story(story.pk)]) != kept_with


def test_when_a_published_card_changed_the_desk_links_the_manual_tools(
    client, editor, story_in, graph
):
    story = story_in(Status.PUBLISHED)
    run_fanout(fanouts(story)[0])
    edit(story, actor=editor, headline="반도체 수출 넉 달째 증가")
    run_fanout(fanouts(story)[-1])
    client.force_login(editor)
    page = client.get(reverse("story_desk:edit", args=[story.pk])).content.decode()
    assert "manual-tools" in page
    assert "developers.facebook.com/tools/debug" in page
    assert "developers.kakao.com/tool/debugger/sharing" in page
    assert "반도체 수출 넉 달째 증가" in page  # the previews show the new card


def test_the_article_page_reads_the_stored_card_and_falls_back_before_it(
    client, story_in, graph, settings
):
    story = story_in(Status.PUBLISHED)
    [fan] = fanouts(story)
    before = client.get(story.get_absolute_url()).content.decode()
    assert "articles/share-default.jpg" in before  # no card yet: the story's own fields

    run_fanout(fan)
    fan.refresh_from_db()
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="{fan.image_url}">' in page
    assert f'<meta name="twitter:image" content="{fan.image_url}">' in page
    assert "utm_source%3Dfacebook" in page
