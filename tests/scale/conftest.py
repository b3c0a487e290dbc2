"""The scale tests read the generated archive itself (`make bench-scale` names it in
DATABASE_URL and sets NEWSROOM_SCALE_ARCHIVE=1): no test database is made, and each test's
transaction is rolled back, so the archive is never changed."""

import os

import pytest

ON_THE_ARCHIVE = os.environ.get("NEWSROOM_SCALE_ARCHIVE") == "1"


@pytest.fixture(scope="session")
def django_db_setup():
    """The database as configured, as it is: the archive, generated and analysed."""
    if not ON_THE_ARCHIVE:
        pytest.skip("needs the generated archive: run by make bench-scale")
