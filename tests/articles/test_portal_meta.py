"""What the home and section pages tell search portals and share cards, and the portals'
ownership proofs (docs/portals.md)."""

import re

import pytest

from tests.processes import run_manage

pytestmark = pytest.mark.django_db


def meta(html: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return found[1] if found else None


def test_the_home_page_has_its_description_canonical_address_and_share_card(client, desk, settings):
    desk.story()

    html = client.get("/").content.decode()

    assert meta(html, "name", "description") == settings.SITE_DESCRIPTION
    assert meta(html, "property", "og:title") == settings.SITE_NAME
    assert meta(html, "property", "og:url") == settings.SITE_URL + "/"
    assert meta(html, "property", "og:image").startswith(settings.SITE_URL + "/static/")
    assert f'<link rel="canonical" href="{settings.SITE_URL}/">' in html
    assert "site-verification" not in html


def test_a_section_page_says_its_own_description_or_its_name(client, newsroom, settings):
    newsroom.finance.description = "금리·은행·보험 소식"
    newsroom.finance.save()

    finance = client.get(newsroom.finance.get_absolute_url()).content.decode()
    industry = client.get(newsroom.industry.get_absolute_url()).content.decode()

    assert meta(finance, "name", "description") == "금리·은행·보험 소식"
    assert meta(finance, "property", "og:title") == f"금융 - {settings.SITE_NAME}"
    assert meta(industry, "name", "description") == f"{settings.SITE_NAME} 기업과산업 뉴스"
    assert meta(industry, "property", "og:url") == (
        settings.SITE_URL + newsroom.industry.get_absolute_url()
    )


def test_the_webmaster_tools_proofs_appear_once_set(client, settings):
    settings.NAVER_SITE_VERIFICATION = "abc123naver"
    settings.GOOGLE_SITE_VERIFICATION = "xyz-google"
    settings.DAUM_WEBMASTER_ROBOTS_LINE = "#DaumWebMasterTool:0a1b2c:Zm9v=="

    html = client.get("/").content.decode()
    robots = client.get("/robots.txt").content.decode()

    assert meta(html, "name", "naver-site-verification") == "abc123naver"
    assert meta(html, "name", "google-site-verification") == "xyz-google"
    assert robots.splitlines()[-1] == "#DaumWebMasterTool:0a1b2c:Zm9v=="


def test_a_daum_line_that_is_not_daums_stops_the_site_at_start():
    result = run_manage("check", DAUM_WEBMASTER_ROBOTS_LINE="Disallow: /")

    assert result.returncode != 0
    assert "DAUM_WEBMASTER_ROBOTS_LINE must be the one line" in result.stderr
