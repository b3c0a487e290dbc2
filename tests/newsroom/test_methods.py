"""HEAD on every public page, as uptime monitors and link checkers ask; TRACE and CONNECT
refused everywhere."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def public_paths(desk, newsroom, reporter):
    story = desk.story(
        "반도체 수출 석 달째 증가",
        tags=["반도체"],
        series=newsroom.series.pk,
        series_ordinal=1,
    )
    return [
        "/",
        story.get_absolute_url(),
        newsroom.industry.get_absolute_url(),
        reverse("articles:reporters"),
        reverse("articles:reporter", args=[reporter.staff_profile.slug]),
        newsroom.series.get_absolute_url(),
        story.tags.get().get_absolute_url(),
        reverse("articles:corrections"),
        "/search/?q=반도체",
        "/feeds/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ]


def test_every_public_page_answers_head_with_its_headers_and_no_body(client, public_paths):
    for path in public_paths:
        page = client.get(path)
        head = client.head(path)
        assert head.status_code == page.status_code == 200, path
        assert head.content == b"", path
        assert head["Content-Type"] == page["Content-Type"], path


@pytest.mark.parametrize("method", ["TRACE", "CONNECT"])
def test_trace_and_connect_are_refused_everywhere(client, public_paths, method, editor):
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    for path in [*public_paths, "/desk/", "/accounts/login/", "/admin/"]:
        response = client.generic(method, path)
        assert response.status_code == 405, path
        assert "TRACE" not in response["Allow"], path
