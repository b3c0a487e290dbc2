"""docs/reliability.md's promises name tests that exist, and their results are read from a
test run's reports as pytest writes them."""

import re
from pathlib import Path

from tests import reliability

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_a_promise_names_exists():
    missing = []
    for promise in reliability.PROMISES:
        for test in promise.tests:
            path, _, function = test.partition("::")
            source = ROOT / path
            if not source.exists() or (
                function and not re.search(rf"^def {function}\(", source.read_text(), re.M)
            ):
                missing.append(test)
    assert missing == []


def test_the_table_counts_each_promises_cases_from_the_reports(tmp_path):
    report = tmp_path / "suite.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.newsroom.test_every_door" name="test_door[home-reader]" '
        'time="0.25"/>'
        '<testcase classname="tests.newsroom.test_every_door" name="test_door[home-editor]" '
        'time="0.5"/>'
        '<testcase classname="tests.newsroom.test_every_door" name="test_every_route_has_a_door">'
        '<failure message="a route without a door"/></testcase>'
        '<testcase classname="tests.newsroom.test_backups" name="test_a_backup_of_another_'
        'database_engine_is_refused"><skipped message="needs PostgreSQL"/></testcase>'
        "</testsuite></testsuites>"
    )
    document = tmp_path / "reliability.md"
    document.write_text("# Reliability\n\nDecisions kept by hand.\n")

    assert reliability.main([str(report), "--write", str(document)]) == 1
    written = document.read_text()
    assert written.startswith("# Reliability\n\nDecisions kept by hand.\n")
    rows = [line for line in written.splitlines() if line.startswith("| Every door |")]
    assert rows[0].endswith("| **1 failed, 2 passed** | 0.8 s |")
    assert rows[1].endswith("| 2 passed | 0.8 s |")
    assert "| 1 skipped |" in written
    assert "| not run | 0.0 s |" in written
    assert "- Every door: 1.5 s" in written

    report.write_text(report.read_text().replace('<failure message="a route without a door"/>', ""))
    assert reliability.main([str(report), "--write", str(document)]) == 0
    again = document.read_text()
    assert again.count(reliability.START) == 1
    assert "| 3 passed | 0.8 s |" in again
