"""Two locks: the site's packages (requirements.lock), which `make run` installs alone, and
the development tools on top of them (requirements-dev.lock), which `make test` adds."""

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()


def pinned(lock: str) -> dict[str, str]:
    lines = (ROOT / lock).read_text().split()
    return {name(line): line.split("==")[1] for line in lines}


def test_the_site_lock_pins_the_site_packages_and_no_development_tool():
    site = pinned("requirements.lock")

    assert {name(wanted) for wanted in PROJECT["dependencies"]} <= site.keys()
    assert "boto3" in site, "django-storages' S3 backend needs it"
    tools = {name(wanted) for wanted in PROJECT["optional-dependencies"]["dev"]}
    assert not tools & site.keys()
    assert not {"pytest", "moto", "playwright", "ruff", "hypothesis"} & site.keys()


def test_the_development_lock_adds_the_tools_and_pins_nothing_twice():
    site, development = pinned("requirements.lock"), pinned("requirements-dev.lock")

    assert {
        name(wanted) for wanted in PROJECT["optional-dependencies"]["dev"]
    } <= development.keys()
    assert not site.keys() & development.keys()


def installs(target: str) -> list[str]:
    printed = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in printed.splitlines() if "pip install" in line]


def test_make_run_installs_the_site_lock_only_and_make_test_both():
    assert all("requirements-dev.lock" not in line for line in installs("run"))
    assert any("-r requirements.lock" in line for line in installs("run"))
    assert any("-r requirements-dev.lock" in line for line in installs("test"))
