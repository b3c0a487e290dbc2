"""The error pages a reader meets when the site itself fails: while the database is away
a 503 that says it passes (Retry-After, kept by no cache), any other failure the 500 page;
neither shows a trace."""

import pytest
from django.db import OperationalError
from django.test import Client

from articles import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_home(monkeypatch):
    """The front page's query raising `error`."""

    def fail_with(error):
        def front_page(tree):
            raise error

        monkeypatch.setattr(selectors, "front_page", front_page)

    return fail_with


def test_a_database_that_is_away_gives_a_korean_503_to_retry_in_a_moment(failing_home):
    failing_home(OperationalError("connection refused"))
    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "데이터베이스가 잠시 응답하지 않아" in page
    assert "connection refused" not in page
    assert "Traceback" not in page


def test_any_other_failure_gives_the_500_page(failing_home):
    failing_home(ZeroDivisionError("division by zero"))
    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    assert "잠시 후 다시 시도해 주세요" in response.content.decode()
    assert "division" not in response.content.decode()
