"""Kakao, Naver and Google log-in: their buttons appear only when their keys are set.

Providers are chosen when the settings are read, so each case runs the site in a fresh
process with the environment it needs."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = ("kakao", "naver", "google")
SHOW_LOGIN_LINKS = (
    "import re; from django.test import Client; "
    "page = Client().get('/accounts/login/').content.decode(); "
    "print(sorted(set(re.findall(r'/accounts/(kakao|naver|google)/login/', page))))"
)


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("social")
    run("migrate", "-v", "0", folder=folder)
    return folder


def run(*args: str, folder: Path, **variables: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(folder),
        "NEWSROOM_READ_DOTENV": "false",
        **variables,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def login_buttons(folder: Path, **keys: str) -> list[str]:
    output = run("shell", "-c", SHOW_LOGIN_LINKS, folder=folder, **keys).stdout
    return ast.literal_eval(re.findall(r"\[.*\]", output)[-1])


def test_without_keys_there_is_no_social_button(site_folder):
    assert login_buttons(site_folder) == []


def test_each_provider_appears_once_its_keys_are_set(site_folder):
    keys = {"KAKAO_CLIENT_ID": "kakao-id", "KAKAO_CLIENT_SECRET": "kakao-secret"}
    assert login_buttons(site_folder, **keys) == ["kakao"]
    for provider in ("NAVER", "GOOGLE"):
        keys |= {f"{provider}_CLIENT_ID": "id", f"{provider}_CLIENT_SECRET": "secret"}
    assert login_buttons(site_folder, **keys) == sorted(PROVIDERS)


def test_a_client_id_without_its_secret_stops_start_up_naming_it(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "NEWSROOM_READ_DOTENV": "false",
        "NAVER_CLIENT_ID": "id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "NAVER_CLIENT_SECRET must be set" in result.stderr
