"""Partner webhooks: which addresses may be registered and reached, the signed request a
real receiver gets, retries, once-only delivery, which endpoint hears which event, and the
admin's pages."""

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from articles import outbound, partners, webhooks, workflow
from articles.models import Article, ArticleEvent, Partner, WebhookDelivery, WebhookEndpoint
from articles.tasks import deliver_webhook
from newsroom import checks
from newsroom.models import OutboxMessage
from tests.articles.conftest import edit

pytestmark = pytest.mark.django_db

Status = Article.Status
Sent = WebhookDelivery.Status
PUBLIC_ADDRESS = "93.184.216.34"
ALL_EVENTS = ["published", "updated", "corrected", "unpublished"]


# --- a real receiver ---------------------------------------------------------------------------


class Receiver(ThreadingHTTPServer):
    """A partner's server on 127.0.0.1: records each request and answers with the next of
    `answers` (200 once they run out)."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.port = self.server_address[1]

    def url(self, host: str = "127.0.0.1", path: str = "/hooks/newsroom") -> str:
        return f"http://{host}:{self.port}{path}"


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append({"path": self.path, "headers": self.headers, "body": body})
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    """The receiver, and the two test settings that let a webhook reach it: plain http, and
    127.0.0.1 on the allowlist (empty outside the tests)."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES = ["127.0.0.1"]
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _quick_retries(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 10
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 40
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    settings.WEBHOOKS_HTTP_TIMEOUT = 2


@pytest.fixture
def dns(monkeypatch):
    """A DNS server of the test's own: `dns["partner.example"] = ["10.0.0.5"]`. Records
    every name it is asked."""
    names: dict[str, list[str]] = {}
    asked: list[str] = []

    def resolve(host, port):
        asked.append(host)
        if host in names:
            return list(names[host])
        return _literal(host)

    monkeypatch.setattr(outbound, "resolve", resolve)
    names["asked"] = asked  # type: ignore[assignment]
    return names


def _literal(host: str) -> list[str]:
    # An IP literal resolves to itself; no test reaches a real DNS server.
    return [info[4][0] for info in socket.getaddrinfo(host, 0, flags=socket.AI_NUMERICHOST)]


@pytest.fixture
def partner(db) -> Partner:
    made, _key = partners.create_partner("네이버 뉴스", actor=None)
    return made


def endpoint(url: str, events=ALL_EVENTS, *, name="파트너", **fields) -> WebhookEndpoint:
    """Registered without the address check (the delivery's own check is under test)."""
    return WebhookEndpoint.objects.create(name=name, url=url, events=list(events), **fields)


def one_delivery(article, kind="published") -> WebhookDelivery:
    return WebhookDelivery.objects.get(article=article, event=kind)


# --- registration: https only, public addresses only -----------------------------------------


PRIVATE_TARGETS = [
    "https://127.0.0.1/hook",
    "https://[::1]/hook",
    "https://10.1.2.3/hook",
    "https://192.168.0.10/hook",
    "https://172.16.5.4/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://[fe80::1]/hook",
    "https://[fc00::1]/hook",
    "https://0.0.0.0/hook",
    "https://[::]/hook",
    "https://224.0.0.251/hook",
    "https://240.0.0.1/hook",
    "https://100.64.0.1/hook",
    "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
]


@pytest.mark.parametrize("url", PRIVATE_TARGETS)
def test_an_endpoint_on_a_private_address_is_refused_at_registration(url, dns):
    hook = WebhookEndpoint(name="파트너", url=url, events=["published"])
    with pytest.raises(ValidationError) as refused:
        hook.full_clean()
    assert "url" in refused.value.message_dict


def test_a_name_resolving_to_a_private_address_is_refused_at_registration(dns):
    # One private address among public ones is enough: the next lookup may hand it out.
    dns["partner.example"] = [PUBLIC_ADDRESS, "10.0.0.5"]
    hook = WebhookEndpoint(name="파트너", url="https://partner.example/hook", events=["published"])
    with pytest.raises(ValidationError) as refused:
        hook.full_clean()
    assert "10.0.0.5" in str(refused.value.message_dict["url"])
    assert "partner.example" in dns["asked"]


def test_a_name_that_does_not_resolve_is_refused_at_registration(monkeypatch):
    def nowhere(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(outbound, "resolve", nowhere)
    hook = WebhookEndpoint(name="파트너", url="https://nowhere.example/", events=["published"])
    with pytest.raises(ValidationError):
        hook.full_clean()


def test_a_public_https_endpoint_is_accepted_with_a_secret_made_for_it(dns, partner):
    dns["partner.example"] = [PUBLIC_ADDRESS, "2606:2800:220:1:248:1893:25c8:1946"]
    hook = WebhookEndpoint(
        partner=partner, name="파트너", url="https://partner.example/hook", events=["published"]
    )
    hook.full_clean()
    hook.save()
    other = endpoint("https://partner.example/other")
    assert hook.secret.startswith("whsec_")
    assert len(hook.secret) > 60
    assert hook.secret != other.secret


def test_plain_http_is_refused_unless_the_test_setting_allows_it(dns, settings, partner):
    dns["partner.example"] = [PUBLIC_ADDRESS]
    hook = WebhookEndpoint(
        partner=partner, name="파트너", url="http://partner.example/hook", events=["published"]
    )
    assert settings.WEBHOOKS_ALLOW_HTTP is False
    with pytest.raises(ValidationError) as refused:
        hook.full_clean()
    assert "https://" in str(refused.value.message_dict["url"])
    settings.WEBHOOKS_ALLOW_HTTP = True
    hook.full_clean()


@pytest.mark.parametrize("url", ["ftp://partner.example/", "https://user:pw@partner.example/"])
def test_other_schemes_and_credentials_in_the_address_are_refused(url, dns):
    dns["partner.example"] = [PUBLIC_ADDRESS]
    with pytest.raises(ValidationError):
        WebhookEndpoint(name="파트너", url=url, events=["published"]).full_clean()


def test_an_endpoint_must_ask_for_known_events(dns):
    dns["partner.example"] = [PUBLIC_ADDRESS]
    for events in ([], ["deleted"]):
        hook = WebhookEndpoint(name="파트너", url="https://partner.example/", events=events)
        with pytest.raises(ValidationError) as refused:
            hook.full_clean()
        assert "events" in refused.value.message_dict


def test_loopback_is_refused_unless_the_tests_list_it(settings):
    assert settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES == []
    assert outbound.address_refusal("127.0.0.1") is not None
    settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES = ["127.0.0.1"]
    assert outbound.address_refusal("127.0.0.1") is None
    assert outbound.address_refusal("127.0.0.2") is not None
    assert outbound.address_refusal("::ffff:127.0.0.2") is not None


def test_the_deployment_check_refuses_the_test_settings(settings):
    assert checks.webhooks_reach_only_public_https(None) == []
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES = ["127.0.0.1"]
    ids = [error.id for error in checks.webhooks_reach_only_public_https(None)]
    assert ids == ["newsroom.webhooks.E001", "newsroom.webhooks.E002"]


# --- delivery: checked again, pinned, signed ------------------------------------------------


@pytest.fixture
def published(story_in):
    return story_in(Status.PUBLISHED)


def announce_publish(article) -> WebhookDelivery:
    event = ArticleEvent.objects.filter(article=article, action="publish").first()
    [delivery] = webhooks.announce(article, "published", event.pk)
    return delivery


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "::1", "10.0.0.7", "169.254.169.254", "::ffff:127.0.0.1"]
)
def test_a_delivery_to_a_name_now_resolving_to_a_private_address_is_refused(
    address, published, dns, monkeypatch
):
    # Registered while the name pointed at a public address; it points inward by now.
    endpoint("https://partner.example/hook")
    dns["partner.example"] = [address]
    delivery = announce_publish(published)
    monkeypatch.setattr(
        outbound.socket,
        "create_connection",
        lambda *a, **k: pytest.fail("a refused address was connected to"),
    )

    assert webhooks.deliver(delivery.pk).status == Sent.FAILED

    delivery.refresh_from_db()
    assert delivery.status == Sent.FAILED
    assert delivery.last_error.startswith("refused:")
    assert address in delivery.last_error
    assert delivery.attempts == 1


@pytest.mark.parametrize(
    "url", ["http://127.0.0.2:6379/", "http://[::ffff:127.0.0.2]:5432/", "http://[::1]:6081/"]
)
def test_a_delivery_to_a_private_address_literal_is_refused(url, published, receiver):
    # Even with the tests' allowlist on, only the exact address listed passes.
    endpoint(url)
    delivery = announce_publish(published)
    assert webhooks.deliver(delivery.pk).status == Sent.FAILED
    assert receiver.requests == []


def test_the_connection_goes_to_the_address_checked_with_the_name_in_the_host_header(
    published, receiver, dns
):
    # The system's DNS does not know this name: the request can only have reached the
    # receiver through the address checked, resolved once.
    dns["partner.example"] = ["127.0.0.1"]
    endpoint(receiver.url("partner.example"))
    delivery = announce_publish(published)

    assert webhooks.deliver(delivery.pk).status == Sent.DELIVERED

    [request] = receiver.requests
    assert request["headers"]["Host"] == f"partner.example:{receiver.port}"
    assert dns["asked"].count("partner.example") == 1


def test_a_pinned_https_connection_sends_sni_for_the_name_not_the_address(monkeypatch):
    seen = {}

    class Context:
        verify_mode = outbound.ssl.CERT_REQUIRED
        check_hostname = True
        post_handshake_auth = None

        def set_alpn_protocols(self, protocols):
            pass

        def wrap_socket(self, sock, server_hostname=None):
            seen["sni"] = server_hostname
            return sock

    monkeypatch.setattr(outbound.ssl, "create_default_context", lambda: Context())
    monkeypatch.setattr(
        outbound.socket,
        "create_connection",
        lambda address, *a: seen.setdefault("address", address) and socket.socket(),
    )
    connection = outbound.PinnedHTTPSConnection(
        "partner.example", 443, pinned_address=PUBLIC_ADDRESS, timeout=1
    )
    connection.connect()
    connection.close()
    assert seen == {"address": (PUBLIC_ADDRESS, 443), "sni": "partner.example"}


def test_the_receiver_verifies_the_signature_of_a_published_story(
    story_in, editor, receiver, django_capture_on_commit_callbacks
):
    hook = endpoint(receiver.url(), events=["published"])
    story = story_in(Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(story, actor=editor)

    [request] = receiver.requests
    body, headers = request["body"], request["headers"]
    # The receiver's own check, written from the README (not with the site's code).
    fields = dict(part.split("=", 1) for part in headers["X-Newsroom-Signature"].split(","))
    expected = hmac.new(
        hook.secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert abs(time.time() - int(fields["t"])) < 60
    assert outbound.verify(hook.secret, headers["X-Newsroom-Signature"], body)
    assert not outbound.verify("whsec_other", headers["X-Newsroom-Signature"], body)
    assert not outbound.verify(hook.secret, headers["X-Newsroom-Signature"], body + b" ")

    delivery = one_delivery(story)
    assert headers["X-Newsroom-Event"] == "published"
    assert headers["X-Newsroom-Delivery"] == str(delivery.uuid)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(body)
    assert document["id"] == str(delivery.uuid)
    assert document["event"] == "published"
    assert document["story"]["id"] == story.pk
    assert document["story"]["headline"] == "반도체 수출 석 달째 증가"
    assert document["story"]["url"].startswith("http://")
    assert str(story.pk) in document["story"]["url"]
    assert document["story"]["published_at"]
    assert "body" not in document["story"]
    assert delivery.status == Sent.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200


def test_an_old_signature_is_refused_by_verify():
    body = b"{}"
    header = outbound.signature_header("whsec_x", 1_000_000, body)
    assert outbound.verify("whsec_x", header, body, now=1_000_000 + 10)
    assert not outbound.verify("whsec_x", header, body, now=1_000_000 + 3600)


def test_a_correction_carries_its_note(published, editor, receiver):
    endpoint(receiver.url(), events=["corrected"])
    workflow.correct(published, actor=editor, base_version=published.version, note="수치 정정")
    delivery = one_delivery(published, "corrected")

    webhooks.deliver(delivery.pk)

    document = json.loads(receiver.requests[0]["body"])
    assert document["event"] == "corrected"
    assert document["correction"]["note"] == "수치 정정"
    assert document["story"]["revised_at"]


# --- retries, once-only ---------------------------------------------------------------------


def test_a_500_is_retried_with_backoff_then_delivered(published, receiver):
    endpoint(receiver.url())
    receiver.answers = [500]
    delivery = announce_publish(published)

    first = webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert first.status == Sent.PENDING
    assert 5 <= first.retry_in <= 10  # the base, halved by the jitter at most
    assert delivery.status == Sent.PENDING
    assert delivery.last_status_code == 500
    assert "HTTP 500" in delivery.last_error

    assert webhooks.deliver(delivery.pk).status == Sent.DELIVERED
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.last_status_code == 200
    # Both attempts are the same delivery for the receiver.
    ids = {request["headers"]["X-Newsroom-Delivery"] for request in receiver.requests}
    assert ids == {str(delivery.uuid)}


def test_the_task_retries_itself_after_a_500(published, receiver):
    endpoint(receiver.url())
    receiver.answers = [500, 503]
    delivery = announce_publish(published)

    # Eagerly applied, Celery runs the retry at once instead of after its countdown.
    assert deliver_webhook.apply(args=[delivery.pk]).get() == Sent.DELIVERED

    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert len(receiver.requests) == 3


def test_a_send_cut_off_by_the_time_limit_is_tried_again_later(published, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def dripping(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    endpoint("https://93.184.216.34/hook")
    delivery = announce_publish(published)
    monkeypatch.setattr(outbound, "post", dripping)

    assert webhooks.deliver(delivery.pk).retry_in is not None
    delivery.refresh_from_db()
    assert delivery.status == Sent.PENDING
    assert "SoftTimeLimitExceeded" in delivery.last_error


def test_the_backoff_doubles_and_stays_under_its_cap(settings):
    delays = [webhooks.retry_delay(attempt) for attempt in range(1, 8)]
    assert 5 <= delays[0] <= 10
    assert 10 <= delays[1] <= 20
    assert all(delay <= settings.WEBHOOKS_RETRY_MAX_SECONDS for delay in delays)


def test_a_delivery_failing_every_attempt_ends_failed_with_its_last_error(published, receiver):
    endpoint(receiver.url())
    receiver.answers = [500, 502, 503]
    delivery = announce_publish(published)
    outcomes = [webhooks.deliver(delivery.pk).status for _attempt in range(4)]
    assert outcomes == [Sent.PENDING, Sent.PENDING, Sent.FAILED, Sent.FAILED]
    delivery.refresh_from_db()
    assert delivery.status == Sent.FAILED
    assert delivery.attempts == 3
    assert "HTTP 503" in delivery.last_error
    assert len(receiver.requests) == 3


@pytest.mark.parametrize(("status", "words"), [(301, "redirects are not followed"), (410, "410")])
def test_a_redirect_or_a_refusal_is_not_retried(status, words, published, receiver):
    endpoint(receiver.url())
    receiver.answers = [status]
    delivery = announce_publish(published)
    assert webhooks.deliver(delivery.pk).status == Sent.FAILED
    delivery.refresh_from_db()
    assert words in delivery.last_error
    assert len(receiver.requests) == 1  # the Location was not followed


def test_a_redelivered_task_sends_nothing_after_success(published, receiver):
    endpoint(receiver.url())
    delivery = announce_publish(published)
    deliver_webhook.apply(args=[delivery.pk])

    # The broker hands the same task over again (a worker lost before its acknowledgement).
    assert deliver_webhook.apply(args=[delivery.pk]).get() == Sent.DELIVERED

    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_the_same_event_announced_twice_is_one_delivery(published, receiver):
    endpoint(receiver.url())
    event = ArticleEvent.objects.get(article=published, action="publish")
    assert len(webhooks.announce(published, "published", event.pk)) == 1
    assert webhooks.announce(published, "published", event.pk) == []
    assert WebhookDelivery.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name="articles.deliver_webhook").count() == 1


def test_a_delivery_to_an_endpoint_switched_off_since_is_skipped(published, receiver):
    hook = endpoint(receiver.url())
    delivery = announce_publish(published)
    WebhookEndpoint.objects.filter(pk=hook.pk).update(is_active=False)
    assert webhooks.deliver(delivery.pk).status == Sent.SKIPPED
    assert receiver.requests == []


def test_an_administrator_sends_a_failed_delivery_again_but_never_a_delivered_one(
    published, receiver, superuser, editor
):
    from accounts.errors import NotAllowed
    from articles.errors import WebhookDelivered

    endpoint(receiver.url())
    receiver.answers = [410]
    delivery = announce_publish(published)
    webhooks.deliver(delivery.pk)
    with pytest.raises(NotAllowed):
        webhooks.redeliver(delivery, actor=editor)  # no role carries the webhooks
    webhooks.redeliver(delivery, actor=superuser)
    assert webhooks.deliver(delivery.pk).status == Sent.DELIVERED
    delivery.refresh_from_db()
    with pytest.raises(WebhookDelivered):
        webhooks.redeliver(delivery, actor=superuser)
    assert len(receiver.requests) == 2


# --- which events, and only after commit ----------------------------------------------------


def test_each_endpoint_hears_only_the_events_it_asked_for(story_in, editor, dns):
    publishing = endpoint("https://a.example/", events=["published"])
    correcting = endpoint("https://b.example/", events=["corrected", "unpublished"])
    updating = endpoint("https://c.example/", events=["updated"])
    endpoint("https://off.example/", events=ALL_EVENTS, is_active=False)
    story = story_in(Status.SUBMITTED)

    workflow.publish(story, actor=editor)
    story = edit(story, actor=editor, body="<p>고친 본문</p>")
    workflow.correct(story, actor=editor, base_version=story.version, note="정정")
    workflow.unpublish(story, actor=editor, reason="소송 위험")

    heard = {
        (delivery.endpoint_id, delivery.event)
        for delivery in WebhookDelivery.objects.filter(article=story)
    }
    assert heard == {
        (publishing.pk, "published"),
        (updating.pk, "updated"),
        (correcting.pk, "corrected"),
        (correcting.pk, "unpublished"),
    }
    sent = OutboxMessage.objects.filter(task_name="articles.deliver_webhook")
    assert sorted(m.args[0] for m in sent) == sorted(
        WebhookDelivery.objects.values_list("pk", flat=True)
    )


def test_a_draft_saved_or_a_repeated_click_announces_nothing(story_in, reporter, editor):
    endpoint("https://a.example/")
    story = story_in(Status.DRAFT)
    edit(story, actor=reporter, body="<p>초안</p>")
    assert not WebhookDelivery.objects.exists()
    story = story_in(Status.SUBMITTED)
    workflow.publish(story, actor=editor)
    workflow.publish(story, actor=editor)  # the same click again
    assert WebhookDelivery.objects.filter(article=story).count() == 1


def test_a_republished_story_is_announced_as_published_again(story_in, editor):
    endpoint("https://a.example/", events=["published"])
    story = story_in(Status.UNPUBLISHED)
    workflow.republish(story, actor=editor)
    assert WebhookDelivery.objects.filter(article=story, event="published").count() == 2


def test_nothing_is_sent_for_a_rolled_back_publish(
    story_in, editor, receiver, django_capture_on_commit_callbacks
):
    endpoint(receiver.url())
    story = story_in(Status.SUBMITTED)

    def publish_then_fail():
        with transaction.atomic():
            workflow.publish(story, actor=editor)
            assert WebhookDelivery.objects.count() == 1
            raise RuntimeError("the request failed after publishing")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        publish_then_fail()

    assert not WebhookDelivery.objects.exists()
    assert not OutboxMessage.objects.filter(task_name="articles.deliver_webhook").exists()
    assert receiver.requests == []


def test_the_delivery_is_enqueued_only_after_commit(
    story_in, editor, django_capture_on_commit_callbacks
):
    endpoint("https://a.example/")
    story = story_in(Status.SUBMITTED)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.publish(story, actor=editor)
        [message] = OutboxMessage.objects.filter(task_name="articles.deliver_webhook")
        assert message.status == OutboxMessage.Status.PENDING
    assert message.args == [one_delivery(story).pk]
    assert len(callbacks) >= 1


# --- the admin ------------------------------------------------------------------------------


ENDPOINTS = "/admin/articles/webhookendpoint/"
DELIVERIES = "/admin/articles/webhookdelivery/"


def test_registering_an_endpoint_in_the_admin_shows_its_secret_once(
    client, superuser, dns, partner
):
    dns["partner.example"] = [PUBLIC_ADDRESS]
    client.force_login(superuser)

    response = client.post(
        f"{ENDPOINTS}add/",
        {
            "partner": partner.pk,
            "name": "네이버 뉴스",
            "url": "https://partner.example/hooks",
            "events": ["published", "corrected"],
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    hook = WebhookEndpoint.objects.get()
    assert (hook.events, hook.partner) == (["published", "corrected"], partner)
    assert hook.secret in response.text
    assert "no-store" in response["Cache-Control"]
    assert hook.secret not in client.get(f"{ENDPOINTS}{hook.pk}/change/").text
    assert hook.secret not in client.get(ENDPOINTS).text


def test_the_admin_refuses_an_endpoint_on_a_private_address(client, superuser, dns):
    dns["partner.example"] = ["10.0.0.5"]
    client.force_login(superuser)
    response = client.post(
        f"{ENDPOINTS}add/",
        {"name": "내부", "url": "https://partner.example/", "events": ["published"]},
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    assert "10.0.0.5" in response.text


def test_rotating_the_secret_shows_the_new_one_once(client, superuser):
    hook = endpoint("https://a.example/")
    old = hook.secret
    client.force_login(superuser)
    response = client.post(ENDPOINTS, {"action": "rotate_secrets", "_selected_action": [hook.pk]})
    hook.refresh_from_db()
    assert hook.secret != old
    assert hook.secret in response.text
    history = client.get(f"{ENDPOINTS}{hook.pk}/history/").text
    assert hook.secret not in history
    assert old not in history


def test_the_admin_lists_deliveries_with_attempts_status_and_last_error(
    client, superuser, published, receiver
):
    endpoint(receiver.url(), name="연합 파트너")
    receiver.answers = [500]
    delivery = announce_publish(published)
    webhooks.deliver(delivery.pk)
    client.force_login(superuser)

    listing = client.get(DELIVERIES)
    page = client.get(f"{DELIVERIES}{delivery.pk}/change/")

    assert listing.status_code == page.status_code == 200
    assert "연합 파트너" in listing.text
    assert "HTTP 500" in listing.text
    assert published.headline in listing.text
    assert str(delivery.uuid) in page.text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_admin_lists_cost_the_same_queries_for_one_row_or_many(client, superuser, story_in):
    client.force_login(superuser)
    story = story_in(Status.PUBLISHED)
    event = ArticleEvent.objects.get(article=story, action="publish")
    endpoint("https://a.example/")
    webhooks.announce(story, "published", event.pk)
    few = (count_queries(client, DELIVERIES), count_queries(client, ENDPOINTS))
    for number in range(6):
        hook = endpoint(f"https://n{number}.example/")
        WebhookDelivery.objects.create(
            endpoint=hook, event="published", event_id=event.pk, article=story
        )
    assert (count_queries(client, DELIVERIES), count_queries(client, ENDPOINTS)) == few


def test_the_admin_sends_a_failed_delivery_again(client, superuser, published, receiver):
    endpoint(receiver.url())
    receiver.answers = [410]
    delivery = announce_publish(published)
    webhooks.deliver(delivery.pk)
    client.force_login(superuser)

    response = client.post(
        DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True
    )
    assert len(list(response.context["messages"])) == 1

    delivery.refresh_from_db()
    assert delivery.status == Sent.PENDING
    assert delivery.attempts == 0


# --- the partner who owns the endpoint ------------------------------------------------------

PARTNERS = "/admin/articles/partner/"


def test_the_admin_registers_no_endpoint_without_its_partner(client, superuser, dns):
    dns["partner.example"] = [PUBLIC_ADDRESS]
    client.force_login(superuser)
    response = client.post(
        f"{ENDPOINTS}add/",
        {"name": "주인 없는 주소", "url": "https://partner.example/", "events": ["published"]},
    )
    assert response.status_code == 200
    assert "partner" in response.context["adminform"].form.errors
    assert not WebhookEndpoint.objects.exists()


def test_a_partner_switched_off_in_the_admin_is_sent_nothing_more(
    client, superuser, story_in, editor, receiver, partner
):
    theirs = endpoint(receiver.url(path="/theirs"), partner=partner)
    other, _key = partners.create_partner("다음 뉴스", actor=None)
    endpoint(receiver.url(path="/other"), partner=other)
    story = story_in(Status.SUBMITTED)
    workflow.publish(story, actor=editor)  # announced; the deliveries wait in the outbox
    waiting = WebhookDelivery.objects.get(endpoint=theirs)

    client.force_login(superuser)
    response = client.post(
        f"{PARTNERS}{partner.pk}/change/",
        {
            "rate_per_minute": partner.rate_per_minute,
            "webhook_endpoints-TOTAL_FORMS": "1",
            "webhook_endpoints-INITIAL_FORMS": "1",
            "webhook_endpoints-0-id": theirs.pk,
            "webhook_endpoints-0-partner": partner.pk,
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "1",
            "events-0-id": partner.events.get().pk,
            "events-0-partner": partner.pk,
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert not partner.is_active
    assert partner.events.filter(action="changed").count() == 1

    # The delivery announced before: checked again when it is sent, and skipped.
    assert webhooks.deliver(waiting.pk).status == Sent.SKIPPED
    waiting.refresh_from_db()
    assert waiting.last_error == "the partner was switched off"
    # The next event is not even announced to it; the other partner hears both.
    workflow.correct(story, actor=editor, base_version=story.version, note="정정")
    assert not WebhookDelivery.objects.filter(endpoint=theirs, event="corrected").exists()
    for delivery in WebhookDelivery.objects.filter(endpoint__partner=other):
        assert webhooks.deliver(delivery.pk).status == Sent.DELIVERED
    assert [request["path"] for request in receiver.requests] == ["/other", "/other"]


def test_a_partner_switched_on_again_hears_the_next_event(story_in, editor, receiver, partner):
    hook = endpoint(receiver.url(), partner=partner)
    partners.change_partner(partner, actor=None, is_active=False, rate_per_minute=60)
    story = story_in(Status.PUBLISHED)
    assert not WebhookDelivery.objects.filter(endpoint=hook).exists()

    partners.change_partner(partner, actor=None, is_active=True, rate_per_minute=60)
    workflow.correct(story, actor=editor, base_version=story.version, note="정정")

    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert webhooks.deliver(delivery.pk).status == Sent.DELIVERED
    assert len(receiver.requests) == 1


def test_the_partner_page_lists_its_endpoints_and_never_their_secrets(client, superuser, partner):
    hook = endpoint(
        "https://a.example/hook", name="네이버 속보", events=["published"], partner=partner
    )
    endpoint("https://b.example/hook", name="남의 주소")
    client.force_login(superuser)

    page = client.get(f"{PARTNERS}{partner.pk}/change/")

    assert page.status_code == 200
    assert "네이버 속보" in page.text
    assert "https://a.example/hook" in page.text
    assert f"{ENDPOINTS}{hook.pk}/change/" in page.text  # each is changed on its own page
    assert "남의 주소" not in page.text
    assert hook.secret not in page.text


def test_a_partner_with_endpoints_cannot_be_deleted_from_under_them(partner):
    endpoint("https://a.example/", partner=partner)
    with pytest.raises(ProtectedError):
        Partner.objects.filter(pk=partner.pk).delete()
    assert WebhookEndpoint.objects.filter(partner=partner).exists()
