"""The demo as `make run` serves it: every link names the address it is served on, and
readers see the site's own pages (DEBUG off), with its static files and photos served."""

import os
import re
import subprocess
import sys
import urllib.error
from pathlib import Path

import pytest

from tests.processes import fetch, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


def make_run_commands(*arguments: str, **variables: str) -> list[str]:
    """The manage.py commands `make run` would run (make -n), with the environment given."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("SITE_URL", "DEBUG")
    }
    printed = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        env={**environment, **variables},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in printed.splitlines() if "manage.py" in line]


@pytest.mark.parametrize(
    ("arguments", "address", "served_on"),
    [
        (("PORT=8101",), "http://127.0.0.1:8101", "127.0.0.1:8101"),
        (("HOST=localhost", "PORT=9000"), "http://localhost:9000", "localhost:9000"),
        (("HOST=0.0.0.0",), "http://127.0.0.1:8000", "0.0.0.0:8000"),
        (
            ("HOST=0.0.0.0", "SITE_URL=http://192.168.0.5:8000"),
            "http://192.168.0.5:8000",
            "0.0.0.0:8000",
        ),
    ],
)
def test_make_run_gives_out_the_address_it_serves_on(arguments, address, served_on):
    commands = make_run_commands(*arguments)

    assert [command.split("manage.py ")[1].split()[0] for command in commands] == [
        "migrate",
        "load_demo",
        "run_periodic",
        "runserver",
    ]
    assert all(f"SITE_URL={address} DEBUG=false " in command for command in commands)
    assert commands[-1].endswith(f"runserver {served_on}")


def test_make_run_told_nothing_leaves_the_address_to_the_settings_and_a_env_file():
    commands = make_run_commands()

    assert not any("SITE_URL=" in command for command in commands)
    assert commands[-1].endswith("runserver 127.0.0.1:8000")


def test_debug_true_make_run_keeps_the_debug_pages():
    assert all("DEBUG=true " in command for command in make_run_commands(DEBUG="true"))


@pytest.fixture
def demo_server(tmp_path):
    """runserver with what `make run PORT=<port>` gives it, on a migrated database of its own."""
    port = free_port()
    [variables] = {
        re.match(r"(SITE_URL=\S+ DEBUG=\S+)", command).group(1)
        for command in make_run_commands(f"PORT={port}")
    }
    environment = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "NEWSROOM_READ_DOTENV": "false",
        **dict(pair.split("=", 1) for pair in variables.split()),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=environment, check=True
    )
    (tmp_path / "media" / "photos").mkdir(parents=True)
    (tmp_path / "media" / "photos" / "harbour.jpg").write_bytes(b"a rendition")
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_demo_server_shows_readers_the_site_and_its_files(demo_server):
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(f"{demo_server}/no-such-page/")
    page = missing.value.read().decode()
    assert missing.value.code == 404
    assert "404" in page
    assert "URLconf" not in page, "Django's debug page lists every URL pattern"
    assert "솔빛경제" in page

    status, headers, robots = fetch(f"{demo_server}/robots.txt")
    assert f"Sitemap: {demo_server}/sitemap.xml" in robots

    status, headers, _css = fetch(f"{demo_server}/static/newsroom/site.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert fetch(f"{demo_server}/media/photos/harbour.jpg")[2] == "a rendition"
