import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
NOT_SOURCE = shutil.ignore_patterns(".venv", "var", ".git", "tests", "__pycache__", "*.mo")


def test_every_string_in_the_catalogue_has_a_korean_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"no Korean translation for: {untranslated}"
    assert fuzzy == [], f"fuzzy (unchecked) translations: {fuzzy}"


# Both particles written out, "을(를)": the text around a name was never fitted to it.
BOTH_PARTICLES = re.compile(r"\((?:을|를|이|가|은|는|과|와|으|로|으로|아|야)\)")


def test_no_korean_text_leaves_the_reader_to_pick_the_particle():
    catalogue = polib.pofile(str(CATALOGUE))
    unfitted = [entry.msgstr for entry in catalogue if BOTH_PARTICLES.search(entry.msgstr)]
    assert unfitted == []


def test_the_committed_mo_file_matches_the_catalogue():
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(CATALOGUE))
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(COMPILED))
    }
    compiled.pop((None, ""), None)  # the header
    stale = sorted(key[1] for key in source if compiled.get(key) != source[key])
    assert stale == [], f"run `make messages`: the .mo file is stale for {stale}"


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """Extract the strings from a copy of the source: a new string without a Korean
    translation fails here, naming the string."""
    if shutil.which("xgettext") is None:
        skip_or_fail("GNU gettext (xgettext) is not installed: apt-get install gettext")
    copy = tmp_path / "source"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ko", "--no-obsolete"],
        cwd=copy,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        },
        check=True,
        capture_output=True,
        timeout=120,
    )
    extracted = polib.pofile(str(copy / "locale" / "ko" / "LC_MESSAGES" / "django.po"))
    missing = sorted(entry.msgid for entry in extracted if not entry.translated())
    assert missing == [], f"add Korean translations (make messages) for: {missing}"


@pytest.mark.django_db
def test_korean_pages_have_no_prefix_and_english_pages_live_under_en(client):
    korean = client.get("/accounts/login/")
    english = client.get("/en/accounts/login/")
    assert korean.status_code == english.status_code == 200
    assert '<html lang="ko">' in korean.text
    assert "로그인" in korean.text
    assert '<html lang="en">' in english.text
    assert "Sign In" in english.text


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_korean_at_the_plain_url(client):
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="ko">' in response.text
    assert "아직 발행된 기사가 없습니다." in response.text


@pytest.mark.django_db
def test_the_language_switch_links_to_the_same_page_in_the_other_language(client):
    assert 'href="/en/accounts/login/"' in client.get("/accounts/login/").text
    assert 'href="/accounts/login/"' in client.get("/en/accounts/login/").text
