"""`make bench` end to end on tiny data: benchmarks/pages.py --smoke (1 second a cell, one
round, an archive of 100 stories) with real gunicorn servers and wrk. Every row ran or says
why not, the table, the JSON and the chart are written, and no server is left behind. It
never asserts a speed: this machine runs other tests at the same time."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
# Rows that exist today whatever else is being built: they must have figures.
ALWAYS = (
    "floor",
    "home",
    "section",
    "section_deep",
    "article",
    "search",
    "article_page",
    "article_shared",
    "article_fragments",
    "article_cold",
    "comment",
)


def process_groups() -> set[int]:
    groups = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The fields after the command name, which may hold spaces: state, ppid, pgrp.
            groups.add(int(stat.read_text().rsplit(")", 1)[1].split()[2]))
        except (OSError, IndexError, ValueError):
            continue
    return groups


def test_the_page_benchmark_runs_every_row(tmp_path):
    if not shutil.which("wrk"):
        skip_or_fail("wrk is not installed (apt-get install wrk): make bench needs it")
    # The file cache in the run's own folder: a real `make bench` may be using Redis now.
    environment = {**os.environ, "BENCH_REDIS_URL": ""}
    done = subprocess.run(
        [sys.executable, "benchmarks/pages.py", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "[round 1/1] article c=16 ... " in done.stdout

    report = json.loads((tmp_path / "pages.json").read_text())
    rows = {row["key"]: row for row in report["rows"]}
    # The edge rows need varnishd; without it they say so.
    assert set(ALWAYS) | {"signed_in", "signed_in_own", "edge_home", "edge_article"} == set(rows)
    if shutil.which("varnishd"):
        assert rows["edge_home"]["available"], rows["edge_home"]["reason"]
        assert rows["edge_article"]["available"], rows["edge_article"]["reason"]
    for key, row in rows.items():
        if not row["available"]:
            assert key not in ALWAYS, f"{key}: {row['reason']}"
            assert row["reason"], key
            continue
        for connections in ("1", "16"):
            cell = row["cells"][connections]
            assert cell["requests"] > 0, (key, connections)
            assert cell["p50_ms"] > 0, (key, connections)
            assert cell["failed"] == 0, (key, connections, cell)
        assert row["queries"] is not None, key
    assert rows["floor"]["queries"]["cold"] == 0
    assert rows["comment"]["queries"]["status"] == 302

    table = (tmp_path / "pages.md").read_text()
    assert "| page | c | requests/s" in table
    for row in rows.values():
        assert f"| {row['label']} |" in table
    with Image.open(tmp_path / "pages.png") as chart:
        chart.verify()
    with Image.open(tmp_path / "pages.png") as chart:
        assert chart.size[0] > 600

    # Every server's process group is gone: the masters and their workers.
    assert not {server["pid"] for server in report["servers"]} & process_groups()
