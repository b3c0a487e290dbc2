"""The promises of docs/reliability.md, each with the tests that prove it, and the command
that writes their latest results into it from a test run's JUnit reports:

    python -m tests.reliability var/test-results/*.xml --write docs/reliability.md

`make test` and `make test-services` leave their reports in var/test-results/; `.ci/run`
runs this after both (`make reliability`). Only the part between the two markers is
written; the decisions around it are prose kept by hand. tests/test_reliability.py checks
that every test named here exists, so a renamed test cannot leave a promise unproved.
"""

import argparse
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

START = "<!-- promises: written by `python -m tests.reliability`; do not edit by hand -->"
END = "<!-- end of promises -->"


@dataclass(frozen=True)
class Promise:
    area: str
    text: str
    tests: tuple[str, ...]  # "path::test_function" (every parametrized case of it)


P = Promise
PROMISES = (
    P(
        "Every door",
        "Each route of the URL conf answers each of eight personas as a reviewed table says "
        "(200, log-in, 403, 404), object by object, and its English address under /en/ "
        "answers the same; a new route without an entry fails.",
        (
            "tests/newsroom/test_every_door.py::test_every_route_has_a_door",
            "tests/newsroom/test_every_door.py::test_door",
            "tests/newsroom/test_every_door.py::test_every_english_door_answers_as_its_korean_one",
        ),
    ),
    P(
        "Every door",
        "Every POST without a CSRF token is refused, but the read beacon; no GET changes a "
        "row outside the listed edit-lock and preview-count columns.",
        (
            "tests/newsroom/test_every_door.py::test_post_without_csrf_token",
            "tests/newsroom/test_every_door.py::test_door",
        ),
    ),
    P(
        "Faults",
        "With Redis stopped, pages are served, readers log in and reset passwords, a publish "
        "succeeds and its fan-out and edge purge go out once Redis is back; log-in limits and "
        "the cap on mails to one address hold without it.",
        (
            "tests/integration/test_redis_outage.py::"
            "test_with_redis_down_readers_read_log_in_and_a_publish_waits_in_the_outbox",
            "tests/accounts/test_auth_flows.py::test_log_in_limits_hold_with_the_cache_down",
            "tests/accounts/test_auth_flows.py::"
            "test_password_reset_works_and_stays_capped_with_the_cache_down",
        ),
    ),
    P(
        "Faults",
        "A worker killed with every kind of task in hand (before or after its body), or its "
        "pool child mid-task: each task is redelivered and its effect applied once.",
        (
            "tests/integration/test_worker_killed.py",
            "tests/integration/test_share_fanout.py::"
            "test_a_worker_killed_mid_task_finishes_it_with_one_done_row",
        ),
    ),
    P(
        "Faults",
        "No retry, rate-limit postponement or time limit outlasts the broker's visibility "
        "timeout, and nothing is sent with eta= or an unbounded countdown.",
        (
            "tests/newsroom/test_settings.py::"
            "test_a_killed_worker_loses_no_task_and_no_retry_waits_past_the_visibility_timeout",
            "tests/newsroom/test_settings.py::"
            "test_a_rate_limited_share_waits_less_than_the_visibility_timeout",
            "tests/newsroom/test_settings.py::"
            "test_no_task_is_sent_for_later_but_through_a_bounded_countdown",
        ),
    ),
    P(
        "Faults",
        "Two outbox relays at once send 500 messages once each (PostgreSQL, and SQLite as two "
        "processes); two schedule sweeps at once publish each due story once; two editors "
        "saving at once lose no text (PostgreSQL).",
        (
            "tests/newsroom/test_two_at_once.py::"
            "test_two_relays_at_once_send_500_messages_once_each",
            "tests/newsroom/test_two_relays_on_sqlite.py::"
            "test_two_relays_at_once_on_sqlite_hand_over_each_message_once",
            "tests/newsroom/test_two_at_once.py::"
            "test_two_schedule_sweeps_at_once_publish_each_due_story_once",
            "tests/newsroom/test_two_at_once.py::"
            "test_two_editors_saving_one_story_at_once_lose_no_text",
        ),
    ),
    P(
        "Faults",
        "PostgreSQL restarted under load: a Korean 503 page meanwhile, recovery by itself, "
        "no story half-changed.",
        (
            "tests/integration/test_database_restart.py::"
            "test_a_database_restart_gives_503_pages_then_recovers_with_nothing_half_written",
            "tests/newsroom/test_error_pages.py::"
            "test_a_database_that_is_away_gives_a_korean_503_to_retry_in_a_moment",
        ),
    ),
    P(
        "Faults",
        "A broker Redis that evicts keys is refused by the checks and by a starting worker.",
        (
            "tests/newsroom/test_checks.py::"
            "test_a_broker_that_evicts_is_refused_by_the_checks_and_by_a_starting_worker",
        ),
    ),
    P(
        "Backup and restore",
        "A backup restored into a fresh database and media folder holds the same rows and "
        "files; a damaged, truncated or foreign backup is refused and changes nothing.",
        ("tests/newsroom/test_backups.py",),
    ),
    P(
        "Abuse limits",
        "Failed log-ins stop the guessing address, not the account's owner; sign-ups per "
        "address and verification mails per recipient are capped.",
        (
            "tests/accounts/test_limits.py",
            "tests/accounts/test_auth_flows.py::"
            "test_the_owner_from_another_address_gets_in_while_the_attacker_is_refused",
            "tests/accounts/test_auth_flows.py::"
            "test_a_flood_from_many_addresses_leaves_each_one_try_and_the_owner_a_way_in",
            "tests/accounts/test_auth_flows.py::test_sign_ups_from_one_address_are_limited_per_hour",
            "tests/accounts/test_auth_flows.py::"
            "test_verification_mails_to_one_address_are_limited_per_day",
        ),
    ),
    P(
        "Abuse limits",
        "Reports from one address are capped per hour, whoever files them.",
        (
            "tests/comments/test_moderator_actions.py::"
            "test_reports_from_one_address_are_capped_per_hour_whoever_files_them",
            "tests/comments/test_pages.py::"
            "test_a_report_flood_from_one_address_is_refused_with_the_reason",
        ),
    ),
    P(
        "Hardening",
        "The policy keeps base-uri, object-src and frame-ancestors at 'none', and no page "
        "the browser loads violates it or logs an error.",
        (
            "tests/newsroom/test_checks.py::test_the_sites_own_policy_passes",
            "tests/browser/test_security_policy.py",
        ),
    ),
    P(
        "Hardening",
        "Production settings pass `check --deploy --fail-level WARNING` in every shape.",
        (
            "tests/newsroom/test_settings.py::test_production_settings_pass_the_deployment_checklist",
        ),
    ),
    P(
        "Bad input",
        "Any text through the comment pipeline is refused with a reason or kept clean; "
        "10 MB bodies are refused at once.",
        ("tests/comments/test_bad_input.py",),
    ),
    P(
        "Bad input",
        "The sanitizer is idempotent, its output parses, and Hangul survives any formatting.",
        (
            "tests/articles/test_sanitize.py::"
            "test_any_text_is_cleaned_to_allowed_markup_that_cleaning_again_leaves_as_it_is",
            "tests/articles/test_sanitize.py::test_hangul_in_any_formatting_survives_byte_for_byte",
        ),
    ),
    P(
        "Bad input",
        "Hostile uploads (bombs, huge headers, cut and polyglot files) are refused within a "
        "second and 100 MB each.",
        ("tests/media/test_upload_bombs.py",),
    ),
    P(
        "Bad input",
        "No public address, whatever its slugs and query string, answers with a server error.",
        ("tests/newsroom/test_bad_addresses.py",),
    ),
)


def node_of(case: ElementTree.Element) -> tuple[str, str]:
    """(path, function) of a JUnit test case as pytest writes it."""
    path = case.get("classname", "").replace(".", "/") + ".py"
    return path, case.get("name", "").split("[", 1)[0]


def outcome_of(case: ElementTree.Element) -> str:
    for kind in ("failure", "error", "skipped"):
        if case.find(kind) is not None:
            return {"failure": "failed", "error": "failed"}.get(kind, kind)
    return "passed"


@dataclass
class Tally:
    outcomes: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.outcomes + other.outcomes, self.seconds + other.seconds)


def results(reports: list[Path]) -> dict[tuple[str, str], Tally]:
    """Each test function's outcomes over all its cases, and their time, in every report."""
    found: dict[tuple[str, str], Tally] = {}
    for report in reports:
        for case in ElementTree.parse(report).iter("testcase"):
            tally = found.setdefault(node_of(case), Tally())
            tally.outcomes[outcome_of(case)] += 1
            tally.seconds += float(case.get("time") or 0)
    return found


def _matching(test: str, found: dict) -> Tally:
    path, _, function = test.partition("::")
    total = Tally()
    for (case_path, case_function), tally in found.items():
        if case_path == path and (not function or case_function == function):
            total += tally
    return total


def table(found: dict, ran_at: str) -> str:
    lines = [
        START,
        "",
        f"Latest results: the test run of {ran_at}.",
        "",
        "| area | promise | tests | result | time |",
        "|---|---|---|---|---|",
    ]
    per_area: dict[str, float] = {}
    for promise in PROMISES:
        tally = sum((_matching(test, found) for test in promise.tests), Tally())
        outcomes = tally.outcomes
        result = ", ".join(f"{count:,} {kind}" for kind, count in sorted(outcomes.items()))
        if not outcomes:
            result = "not run"
        elif outcomes["failed"]:
            result = f"**{result}**"
        tests = "<br>".join(f"`{test}`" for test in promise.tests)
        seconds = f"{tally.seconds:,.1f} s"
        lines.append(f"| {promise.area} | {promise.text} | {tests} | {result} | {seconds} |")
        per_area[promise.area] = per_area.get(promise.area, 0.0) + tally.seconds
    lines += ["", "Time per area, as the reports measured it (set-up included):", ""]
    lines += [f"- {area}: {seconds:,.1f} s" for area, seconds in per_area.items()]
    lines += ["", END]
    return "\n".join(lines)


def write(document: Path, text: str) -> None:
    """Replace the part between the markers (appended at the end the first time)."""
    old = document.read_text(encoding="utf-8")
    if START in old and END in old:
        before, rest = old.split(START, 1)
        after = rest.split(END, 1)[1]
        document.write_text(before + text + after, encoding="utf-8")
    else:
        document.write_text(old.rstrip("\n") + "\n\n## The promises\n\n" + text + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", type=Path, help="pytest's JUnit XML reports")
    parser.add_argument("--write", type=Path, help="the document to write the table into")
    args = parser.parse_args(argv)
    present = [report for report in args.reports if report.exists()]
    if not present:
        print("No test report to read: run make test first.", file=sys.stderr)
        return 1
    newest = max(report.stat().st_mtime for report in present)
    ran_at = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d %H:%M UTC")
    found = results(present)
    text = table(found, ran_at)
    if args.write:
        write(args.write, text)
    print(text)
    failed = [
        p.text for p in PROMISES if any(_matching(t, found).outcomes["failed"] for t in p.tests)
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
