"""Kakao, Naver and Google log-in: their buttons appear only when their keys are set.

Providers are chosen when the settings are read, so each case runs the site in a fresh
process with the environment it needs."""

import ast
import re
from pathlib import Path

import pytest

from tests.processes import run_manage

PROVIDERS = ("kakao", "naver", "google")
SHOW_LOGIN_LINKS = (
    "import re; from django.test import Client; "
    "page = Client().get('/accounts/login/').content.decode(); "
    "print(sorted(set(re.findall(r'/accounts/(kakao|naver|google)/login/', page))))"
)


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("social")
    assert run_manage("migrate", "-v", "0", var_dir=folder).returncode == 0
    return folder


def login_buttons(folder: Path, **keys: str) -> list[str]:
    result = run_manage("shell", "-c", SHOW_LOGIN_LINKS, var_dir=folder, **keys)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(re.findall(r"\[.*\]", result.stdout)[-1])


def test_without_keys_there_is_no_social_button(site_folder):
    assert login_buttons(site_folder) == []


def test_each_provider_appears_once_its_keys_are_set(site_folder):
    keys = {"KAKAO_CLIENT_ID": "kakao-id", "KAKAO_CLIENT_SECRET": "kakao-secret"}
    assert login_buttons(site_folder, **keys) == ["kakao"]
    for provider in ("NAVER", "GOOGLE"):
        keys |= {f"{provider}_CLIENT_ID": "id", f"{provider}_CLIENT_SECRET": "secret"}
    assert login_buttons(site_folder, **keys) == sorted(PROVIDERS)


def test_a_client_id_without_its_secret_stops_start_up_naming_it():
    result = run_manage("check", NAVER_CLIENT_ID="id")
    assert result.returncode != 0
    assert "NAVER_CLIENT_SECRET must be set" in result.stderr
