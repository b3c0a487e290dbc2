"""The partner content API at /api/v1/ (articles/api.py): NINJS of published stories, its
cursor pages and filters, its ETags, the partner's key and rate, and that none of it is
ever shared by a cache. Partners are made through articles.partners, as the admin does."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.errors import NotAllowed
from articles import partners, workflow
from articles.models import Article, Partner, PartnerEvent, PartnerUsage
from newsroom import pagecache

pytestmark = pytest.mark.django_db

Status = Article.Status
STORIES = reverse("api:stories")


@pytest.fixture
def key():
    _partner, made = partners.create_partner("포털 제휴사", actor=None, rate_per_minute=1000)
    return made


@pytest.fixture
def api(client, key):
    """GET with the partner's key in its header."""

    def get(url, **headers):
        return client.get(url, headers={"X-API-Key": key, **headers})

    return get


def story_url(story) -> str:
    return reverse("api:story", args=[story.pk])


# --- the NINJS of a story ---------------------------------------------------------------------


@pytest.fixture
def full_story(desk, newsroom, library_photo, reporter, other_reporter):
    lead = library_photo(caption="평택캠퍼스 전경", alt_text="반도체 공장 전경", credit="삼성전자")
    inline = library_photo(caption="기본 캡션", alt_text="HBM 웨이퍼", credit="한지민 기자")
    story = desk.story(
        '삼성전자 "HBM 공급 두 배로"',
        section=newsroom.electronics,
        subheadline="평택 라인 증설",
        summary="삼성전자가 HBM 공급을 두 배로 늘린다.",
        body="<p>첫 문단.</p>[[photo:1]]<p>둘째 문단.</p>",
        photo_uses=[
            {"photo": lead.pk, "is_lead": True},
            {"photo": inline.pk, "caption": "연구원이 웨이퍼를 들어 보이고 있다"},
        ],
        bylines=[
            {"profile": reporter.staff_profile.pk},
            {"profile": other_reporter.staff_profile.pk},
            {"guest": "김외부 객원기자"},
        ],
        tags=["반도체", "HBM"],
    )
    return desk.correct(story, "공급 물량을 바로잡았습니다.")


def test_a_story_is_served_as_ninjs_with_bylines_photos_tags_and_its_correction(
    api, full_story, newsroom, reporter
):
    response = api(story_url(full_story))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    item = response.json()
    assert item["uri"].endswith(full_story.get_absolute_url())
    assert item["standard"]["name"] == "ninjs"
    assert item["standard"]["version"] == "2.0"
    assert (item["type"], item["pubstatus"], item["language"]) == ("text", "usable", "ko")
    assert item["headlines"] == [
        {"role": "main", "contenttype": "text/plain", "value": '삼성전자 "HBM 공급 두 배로"'},
        {"role": "sub", "contenttype": "text/plain", "value": "평택 라인 증설"},
    ]
    [body] = item["bodies"]
    assert body["contenttype"] == "text/html"
    assert body["value"].startswith("<p>첫 문단.</p><figure data-association=")
    assert "연구원이 웨이퍼를 들어 보이고 있다 [한지민 기자]" in body["value"]
    assert [byline["name"] for byline in item["bylines"]] == ["한지민", "박도윤", "김외부 객원기자"]
    assert item["bylines"][0]["uri"].endswith(
        reverse("articles:reporter", args=[reporter.staff_profile.slug])
    )
    assert item["bylines"][2] == {
        "name": "김외부 객원기자",
        "byline": "김외부 객원기자",
        "role": "guest",
        "uri": None,
    }
    section, parent, *tags = item["subjects"]
    assert (section["rel"], section["code"]) == ("section", "electronics")
    assert (parent["rel"], parent["code"]) == ("parentsection", "industry")
    assert sorted(tag["name"] for tag in tags) == ["HBM", "반도체"]
    assert sorted(item["keywords"]) == ["HBM", "반도체"]
    lead, inline = item["associations"]
    assert (lead["name"], lead["type"], lead["copyrightholder"]) == (
        "featureimage",
        "picture",
        "삼성전자",
    )
    assert {"role": "caption", "contenttype": "text/plain", "value": "평택캠퍼스 전경"} in lead[
        "descriptions"
    ]
    assert lead["renditions"], "the lead photo's renditions"
    for rendition in lead["renditions"]:
        assert rendition["href"].startswith("http")
        assert rendition["contenttype"] in ("image/jpeg", "image/webp")
        assert rendition["width"] > 0
        assert rendition["height"] > 0
    assert inline["descriptions"][0]["value"] == "연구원이 웨이퍼를 들어 보이고 있다"
    summary, correction = item["descriptions"]
    assert summary["role"] == "summary"
    assert correction["role"] == "correction"
    assert correction["value"] == "공급 물량을 바로잡았습니다."
    note = full_story.corrections.get()
    assert parse_datetime(correction["created"]) == note.created_at.replace(
        microsecond=note.created_at.microsecond // 1000 * 1000
    )
    assert parse_datetime(item["firstcreated"]).replace(microsecond=0) == (
        full_story.published_at.replace(microsecond=0)
    )
    assert parse_datetime(item["versioncreated"]) >= parse_datetime(item["firstcreated"])
    assert item["altids"] == [{"role": "internal", "value": str(full_story.pk)}]


def test_the_list_serves_the_same_ninjs_as_the_story(api, full_story):
    listed = api(STORIES).json()["items"]

    assert listed == [api(story_url(full_story)).json()]


# --- pages and filters ------------------------------------------------------------------------


def test_three_pages_follow_each_other_by_their_next_link(api, desk):
    stories = desk.many(7)
    newest_first = [story.pk for story in reversed(stories)]

    seen, url, pages = [], f"{STORIES}?limit=3", 0
    while url:
        page = api(url).json()
        seen += [int(item["altids"][0]["value"]) for item in page["items"]]
        pages += 1
        url = page["next"]
        if url:
            parts = urlsplit(url)
            assert "limit" in parse_qs(parts.query)
            assert "cursor" in parse_qs(parts.query)
            url = f"{parts.path}?{parts.query}"

    assert pages == 3
    assert seen == newest_first


def test_stories_published_in_the_same_second_are_neither_skipped_nor_repeated(api, desk):
    moment = timezone.now() - timedelta(minutes=5)
    stories = [desk.story(f"같은 시각 {number}", at=moment) for number in range(4)]

    first = api(f"{STORIES}?limit=2").json()
    parts = urlsplit(first["next"])
    second = api(f"{parts.path}?{parts.query}").json()

    ids = [int(item["altids"][0]["value"]) for item in first["items"] + second["items"]]
    assert sorted(ids) == sorted(story.pk for story in stories)
    assert second["next"] is None


def test_a_forged_cursor_is_refused(api, desk):
    desk.story()

    response = api(f"{STORIES}?cursor=forged")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_section_filter_takes_its_subsections_too(api, desk, newsroom):
    top = desk.story("산업 기사", section=newsroom.industry)
    below = desk.story("전자 기사", section=newsroom.electronics)
    desk.story("금융 기사", section=newsroom.finance)

    industry = api(f"{STORIES}?section=industry").json()["items"]
    electronics = api(f"{STORIES}?section=electronics").json()["items"]

    assert {int(item["altids"][0]["value"]) for item in industry} == {top.pk, below.pk}
    assert [int(item["altids"][0]["value"]) for item in electronics] == [below.pk]
    assert api(f"{STORIES}?section=nowhere").status_code == 404


def test_since_and_until_cut_by_first_publication(api, desk):
    now = timezone.now().replace(microsecond=0)
    old = desk.story("사흘 전", at=now - timedelta(days=3))
    middle = desk.story("이틀 전", at=now - timedelta(days=2))
    new = desk.story("어제", at=now - timedelta(days=1))

    def ids(query):
        items = api(f"{STORIES}?{query}").json()["items"]
        return [int(item["altids"][0]["value"]) for item in items]

    since = (now - timedelta(days=2, hours=1)).isoformat()
    until = (now - timedelta(days=1, hours=1)).isoformat()
    assert ids("") == [new.pk, middle.pk, old.pk]
    assert ids(f"since={since.replace('+', '%2B')}") == [new.pk, middle.pk]
    assert ids(f"until={until.replace('+', '%2B')}") == [middle.pk, old.pk]
    assert ids(f"since={since.replace('+', '%2B')}&until={until.replace('+', '%2B')}") == [
        middle.pk
    ]


def test_moments_are_rfc_3339_text_only_and_one_without_offset_is_seoul_time(api, desk):
    story = desk.story(at=timezone.now() - timedelta(hours=1))
    published = timezone.localtime(story.published_at)
    before = (published - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")

    unix_time = api(f"{STORIES}?since=0.5")
    local = api(f"{STORIES}?since={before}").json()["items"]
    far = api(f"{STORIES}?since=0001-01-01T00:00:00%2B05:00").json()["items"]

    assert unix_time.status_code == 400
    assert unix_time.json()["code"] == "invalid"
    assert [item["altids"][0]["value"] for item in local] == [str(story.pk)]
    assert len(far) == 1


def test_drafts_scheduled_spiked_taken_down_and_embargoed_stories_never_appear(
    api, desk, editor, reporter
):
    public = desk.story("공개 기사")
    draft = desk.story("초고", state=Status.DRAFT)
    scheduled = desk.story("예약 기사", state=Status.SCHEDULED)
    submitted = desk.story("검토 대기", state=Status.SUBMITTED)
    taken_down = desk.story("내린 기사", state=Status.UNPUBLISHED)
    embargoed = desk.story("엠바고 기사", state=Status.DRAFT)
    workflow.set_embargo(
        embargoed, actor=reporter, until=timezone.now() + timedelta(days=1), source="통계청"
    )
    spiked = workflow.spike(desk.story("버린 기사", state=Status.DRAFT), actor=reporter)
    # Even a published row with an embargo still running (no workflow makes one).
    odd = desk.story("이상한 기사")
    Article.objects.filter(pk=odd.pk).update(
        embargo_until=timezone.now() + timedelta(days=1), embargo_source="통계청"
    )

    listed = [int(item["altids"][0]["value"]) for item in api(STORIES).json()["items"]]

    assert listed == [public.pk]
    for hidden in (draft, scheduled, submitted, taken_down, embargoed, spiked, odd):
        assert api(story_url(hidden)).status_code == 404, hidden.headline


# --- ETags ------------------------------------------------------------------------------------


def test_an_unchanged_answer_is_304_to_its_etag_and_a_correction_changes_it(api, desk):
    story = desk.story()
    first = api(story_url(story))
    etag = first["ETag"]

    again = api(story_url(story), **{"If-None-Match": etag})
    weakly = api(story_url(story), **{"If-None-Match": f'"other", W/{etag}'})
    listed = api(STORIES)
    listed_again = api(STORIES, **{"If-None-Match": listed["ETag"]})
    desk.correct(story, "숫자를 바로잡았습니다.")
    changed = api(story_url(story), **{"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert listed_again.status_code == 304
    assert weakly.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != etag


# --- keys and limits --------------------------------------------------------------------------


def test_no_key_an_unknown_key_or_a_switched_off_partner_gets_401_in_json(client, desk, key):
    story = desk.story()
    partner = Partner.objects.get()

    missing = client.get(STORIES)
    unknown = client.get(STORIES, headers={"X-API-Key": "nrk_nothing"})
    partners.change_partner(partner, actor=None, is_active=False, rate_per_minute=1000)
    switched_off = client.get(story_url(story), headers={"X-API-Key": key})

    for response in (missing, unknown, switched_off):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert "X-API-Key" in response.json()["detail"]
    assert PartnerUsage.objects.count() == 0


def test_a_key_in_the_query_string_is_refused_with_400_even_with_the_header(api, client, key):
    for query in (f"api_key={key}", f"key={key}", f"x-api-key={key}", f"q={key}"):
        response = client.get(f"{STORIES}?{query}")
        assert response.status_code == 400, query
        assert response.json()["code"] == "key_in_query"
    assert api(f"{STORIES}?api_key={key}").status_code == 400
    assert PartnerUsage.objects.count() == 0


def test_a_partner_over_its_rate_gets_429_with_retry_after_until_the_next_minute(
    client, desk, time_machine
):
    time_machine.move_to(timezone.now().replace(second=10, microsecond=0), tick=False)
    _partner, key = partners.create_partner("작은 제휴사", actor=None, rate_per_minute=2)
    _other, other_key = partners.create_partner("다른 제휴사", actor=None, rate_per_minute=2)

    answers = [client.get(STORIES, headers={"X-API-Key": key}).status_code for _ in range(3)]
    refused = client.get(STORIES, headers={"X-API-Key": key})
    others = client.get(STORIES, headers={"X-API-Key": other_key})
    time_machine.shift(timedelta(seconds=50))
    next_minute = client.get(STORIES, headers={"X-API-Key": key})

    assert answers == [200, 200, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert refused.json()["code"] == "rate_limited"
    assert others.status_code == 200
    assert next_minute.status_code == 200


def test_the_rate_is_counted_in_the_database_and_holds_with_the_cache_down(client, desk, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    _partner, key = partners.create_partner("제휴사", actor=None, rate_per_minute=1)

    first = client.get(STORIES, headers={"X-API-Key": key})
    second = client.get(STORIES, headers={"X-API-Key": key})

    assert (first.status_code, second.status_code) == (200, 429)
    assert PartnerUsage.objects.get().count == 2


def test_old_usage_rows_are_forgotten():
    partner, _key = partners.create_partner("제휴사", actor=None)
    old = timezone.now() - timedelta(days=3)
    partners.count_request(partner, now=old)
    partners.count_request(partner)

    assert partners.forget_usage() == 1
    assert PartnerUsage.objects.count() == 1


# --- caches -----------------------------------------------------------------------------------


def test_keyed_answers_are_private_and_never_enter_the_page_cache(api, desk, page_cache):
    story = desk.story()

    answers = [api(STORIES), api(story_url(story)), api(STORIES), api(story_url(story))]
    refused = api(f"{STORIES}?key=nrk_x")

    for response in (*answers, refused):
        control = response["Cache-Control"]
        assert "private" in control
        assert "public" not in control
        assert "X-API-Key" in response["Vary"]
        assert "X-Page-Cache" not in response
        assert "Surrogate-Key" not in response
    assert pagecache.local._entries == {}
    assert not [name for name in cache._cache if "page3:" in name]


def test_a_post_is_refused_by_the_csrf_check_and_the_api_answers_get_only(api, client, key):
    csrf_client = type(client)(enforce_csrf_checks=True)

    posted = csrf_client.post(STORIES, {}, headers={"X-API-Key": key})

    assert posted.status_code == 403


def test_the_openapi_schema_is_served_without_a_key(client):
    response = client.get(reverse("api:openapi-json"))

    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/v1/stories/",
        "/api/v1/stories/{story_id}",
        "/api/v1/feeds/full-text.xml",
    }
    assert schema["components"]["securitySchemes"]["PartnerKey"]["in"] == "header"


# --- query counts -----------------------------------------------------------------------------

# The partner (1), its minute's count (1), the stories with their tags, corrections and
# bylines (1), their photo uses with photos and renditions (1).
LIST_QUERIES = 4
DETAIL_QUERIES = 4


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_reads_the_same_queries_whatever_its_length(
    api, desk, library_photo, django_assert_num_queries, count
):
    photo = library_photo(caption="사진")
    for number in range(count):
        desk.story(
            f"기사 {number}",
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
            tags=["반도체", f"태그{number}"],
            bylines=[{"guest": "객원"}, {"profile": desk.reporter.staff_profile.pk}],
        )
    api(STORIES)  # the connection's first use

    with django_assert_num_queries(LIST_QUERIES):
        response = api(STORIES)
    assert len(response.json()["items"]) == count
    # With a section: its subtree, read in the stories' own query.
    with django_assert_num_queries(LIST_QUERIES + 1):
        assert api(f"{STORIES}?section=industry").status_code == 200


def test_the_detail_reads_a_fixed_number_of_queries(api, full_story, django_assert_num_queries):
    api(story_url(full_story))

    with django_assert_num_queries(DETAIL_QUERIES):
        assert api(story_url(full_story)).status_code == 200


def test_refusals_cost_one_query_at_most(client, django_assert_num_queries, key):
    with django_assert_num_queries(0):
        assert client.get(f"{STORIES}?key={key}").status_code == 400
    with django_assert_num_queries(1):
        assert client.get(STORIES, headers={"X-API-Key": "nrk_x"}).status_code == 401


# --- partners: made, rotated, managed ---------------------------------------------------------


def test_a_partner_keeps_only_the_hash_of_its_key_and_one_history_row():
    partner, key = partners.create_partner("뉴스 앱", actor=None, rate_per_minute=30)

    assert key.startswith("nrk_")
    assert len(key) > 40
    assert key not in {partner.key_hash, partner.key_prefix}
    assert partner.key_hash == partners.hash_key(key)
    assert key.startswith(partner.key_prefix)
    [event] = PartnerEvent.objects.filter(partner=partner)
    assert event.action == "created"


def test_a_rotated_key_replaces_the_old_one_at_once(client, key):
    partner = Partner.objects.get()

    new = partners.rotate_key(partner, actor=None)

    assert client.get(STORIES, headers={"X-API-Key": key}).status_code == 401
    assert client.get(STORIES, headers={"X-API-Key": new}).status_code == 200
    assert list(partner.events.values_list("action", flat=True)) == ["key_rotated", "created"]


def test_only_those_the_admin_lets_add_partners_may_make_or_rotate_keys(editor, superuser):
    with pytest.raises(NotAllowed):
        partners.create_partner("제휴사", actor=editor)
    partner, _key = partners.create_partner("제휴사", actor=superuser)
    with pytest.raises(NotAllowed):
        partners.rotate_key(partner, actor=editor)
    editor.user_permissions.add(Permission.objects.get(codename="add_partner"))
    del editor._perm_cache, editor._user_perm_cache
    partners.rotate_key(partner, actor=editor)


def test_the_command_makes_a_partner_and_prints_its_key_once(capsys, client):
    call_command("partner_key", "지역 신문", "--rate", "10")
    key = capsys.readouterr().out.strip()

    partner = Partner.objects.get()
    assert (partner.name, partner.rate_per_minute) == ("지역 신문", 10)
    assert client.get(STORIES, headers={"X-API-Key": key}).status_code == 200
    call_command("partner_key", "지역 신문", "--rotate")
    assert client.get(STORIES, headers={"X-API-Key": key}).status_code == 401


def test_the_admin_makes_a_partner_and_shows_its_key_once(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:articles_partner_add"),
        {
            "name": "포털",
            "is_active": "on",
            "rate_per_minute": "120",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [key] = response.context["keys"]
    partner, shown = key
    assert shown in response.content.decode()
    assert partner.key_hash == partners.hash_key(shown)
    assert Partner.objects.get().rate_per_minute == 120
    change = client.get(reverse("admin:articles_partner_change", args=[partner.pk]))
    assert change.status_code == 200
    assert shown not in change.content.decode()
    assert partner.key_prefix in change.content.decode()
    listing = client.get(reverse("admin:articles_partner_changelist"))
    assert shown not in listing.content.decode()


def test_the_admin_switches_a_partner_off_through_the_module(client, superuser, key):
    client.force_login(superuser)
    partner = Partner.objects.get()

    response = client.post(
        reverse("admin:articles_partner_change", args=[partner.pk]),
        {
            "rate_per_minute": "5",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "webhook_endpoints-TOTAL_FORMS": "0",
            "webhook_endpoints-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.is_active, partner.rate_per_minute) == (False, 5)
    assert partner.events.first().action == "changed"
    assert client.get(STORIES, headers={"X-API-Key": key}).status_code == 401


def test_the_admin_rotates_keys_and_shows_them_once(client, superuser, key):
    client.force_login(superuser)
    partner = Partner.objects.get()

    response = client.post(
        reverse("admin:articles_partner_changelist"),
        {"action": "rotate_keys", "_selected_action": [partner.pk]},
    )

    assert response.status_code == 200
    [(_partner, new)] = response.context["keys"]
    assert client.get(STORIES, headers={"X-API-Key": new}).status_code == 200
    assert client.get(STORIES, headers={"X-API-Key": key}).status_code == 401
