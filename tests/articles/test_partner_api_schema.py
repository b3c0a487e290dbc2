"""The partner content API against its own OpenAPI schema (/api/v1/openapi.json), with
schemathesis through the WSGI app: generated queries and paths, a partner's key sent, no
server error and every answer as the schema describes it."""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles import partners

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_connection():
    """As Django's test client does: the WSGI handler's end of a request would close the
    test's connection (and its transaction) on PostgreSQL."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def stories(desk, newsroom, library_photo, reporter):
    """Stories to read: photos, bylines, tags, a correction, a subsection."""
    photo = library_photo(caption="평택캠퍼스", credit="삼성전자")
    now = timezone.now()
    for number in range(3):
        desk.story(
            f"기사 {number}",
            section=newsroom.electronics if number else newsroom.industry,
            at=now - timedelta(hours=number + 1),
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
            bylines=[{"profile": reporter.staff_profile.pk}, {"guest": "객원"}],
            tags=["반도체"],
        )
    desk.correct(desk.story("정정 기사"), "바로잡았습니다.")


@pytest.fixture
def api_key(db):
    # A rate no run of the examples reaches: the limit has its own tests.
    _partner, key = partners.create_partner("schemathesis", actor=None, rate_per_minute=100_000)
    return key


# Loaded from the app itself, as a partner would (the schema view reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, api_key):
    # A cursor is opaque and signed: a made-up one is refused (400), which no schema can
    # say of a string. Every other check runs on it; every check runs without one.
    made_up_cursor = "cursor" in (case.query or {})
    case.call_and_validate(
        headers={"X-API-Key": api_key},
        excluded_checks=[positive_data_acceptance] if made_up_cursor else None,
    )
