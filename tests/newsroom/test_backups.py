"""manage.py backup and restore: a backup restored into a fresh database and media folder
holds the same stories, revisions, comments and photo files; a backup that is not whole is
refused before anything is changed."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import load_backend

from articles.models import Article, Revision
from comments.models import Comment
from media.models import Photo, Rendition
from tests.factories import CommentFactory
from tests.processes import run_manage

pytestmark = pytest.mark.postgres


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def archive_of(tmp_path):
    """`archive_of()`: the test database and media backed up into a .tar; returns its path."""

    def make() -> Path:
        path = tmp_path / "newsroom.tar"
        call_command("backup", output=path)
        return path

    return make


@pytest.fixture
def site(transactional_db, desk, library_photo):
    """Two stories with several revisions, comments with Korean text, and two photos with
    their renditions, committed (pg_dump and SQLite's backup read committed rows only)."""
    photos = [library_photo(caption="반도체 공장"), library_photo(caption="수출 항만")]
    story = desk.story("반도체 수출 석 달째 증가", body="<p>첫 문단.</p>")
    story = desk.edit(story, body="<p>고친 문단. 🚢</p>")
    other = desk.story("항만 물동량", body="<p>부산항 물동량이 늘었다.</p>")
    for number in range(3):
        CommentFactory(story=story, body=f"좋은 기사 {number}\r\n둘째 줄")
    CommentFactory(story=other, body="출처가 궁금합니다.")
    return {"stories": [story, other], "photos": photos}


@pytest.fixture
def fresh_target(tmp_path):
    """Where the restore goes: a new media folder and, on PostgreSQL, a new empty database
    (the test database's name + _restored), on SQLite a new file in that folder. Yields the
    environment for manage.py and the settings to read the restored database with."""
    var_dir = tmp_path / "restored-var"
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield var_dir, {}, {**source, "NAME": var_dir / "db.sqlite3", "OPTIONS": {}}
        return
    name = f"{source['NAME'].removeprefix('test_')}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{source['PASSWORD']}" if source["PASSWORD"] else ""
    url = f"postgres://{source['USER']}{password}@{source['HOST']}:{source['PORT'] or 5432}/{name}"
    target = {**source, "NAME": name}
    yield var_dir, {"DATABASE_URL": url}, target
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def read_restored(settings_dict: dict, sql: str) -> list[tuple]:
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "restored")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        wrapper.close()


def canonical(content) -> str:
    content = json.loads(content) if isinstance(content, str) else content
    return json.dumps(content, ensure_ascii=False, sort_keys=True)


def test_a_backup_restored_into_a_fresh_database_and_media_folder_holds_the_same_site(
    site, archive_of, fresh_target
):
    var_dir, environment, target = fresh_target
    archive = archive_of()

    restored = run_manage("restore", str(archive), var_dir=var_dir, **environment)

    assert restored.returncode == 0, restored.stderr
    assert "2 stories, " in restored.stdout
    assert "4 comments and " in restored.stdout
    assert "match their checksums" in restored.stdout
    assert "Checking the archive" in restored.stderr  # progress goes to stderr
    bodies = {pk: sha(body.encode()) for pk, body in Article.objects.values_list("pk", "body")}
    assert {
        pk: sha(body.encode())
        for pk, body in read_restored(target, "SELECT id, body FROM articles_article")
    } == bodies
    revisions = {pk: canonical(c) for pk, c in Revision.objects.values_list("pk", "content")}
    assert len(revisions) >= 3
    assert {
        pk: canonical(content)
        for pk, content in read_restored(target, "SELECT id, content FROM articles_revision")
    } == revisions
    comments = {pk: sha(body.encode()) for pk, body in Comment.objects.values_list("pk", "body")}
    assert {
        pk: sha(body.encode())
        for pk, body in read_restored(target, "SELECT id, body FROM comments_comment")
    } == comments
    files = [photo.original for photo in Photo.objects.all()]
    files += [rendition.file for rendition in Rendition.objects.all()]
    assert len(files) > len(site["photos"])  # originals and their renditions
    for file in files:
        folder = "private" if file.field.name == "original" else "media"
        with file.open("rb") as original:
            assert sha((var_dir / folder / file.name).read_bytes()) == sha(original.read())


def test_the_manifest_lists_counts_checksums_migrations_and_versions(site, archive_of):
    with tarfile.open(archive_of()) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        stories = archive.extractfile("checksums/stories.tsv").read().decode().splitlines()

    assert manifest["tables"]["articles_article"] == 2
    assert manifest["tables"]["comments_comment"] == 4
    assert manifest["checksums"]["comments"]["rows"] == 4
    story = site["stories"][1]
    assert f"{story.pk}\t{sha(story.body.encode())}" in stories
    assert "0001_initial" in manifest["migrations"]["articles"]
    assert manifest["engine"] == connection.vendor
    assert {"django", "python"} <= set(manifest["versions"])
    assert manifest["files_named_but_absent"] == []


def test_restore_refuses_a_database_that_holds_stories_unless_forced(site, archive_of):
    archive = archive_of()

    with pytest.raises(CommandError, match=r"already holds stories.*--force"):
        call_command("restore", str(archive))

    assert Article.objects.count() == 2


def test_a_truncated_backup_is_refused_and_nothing_is_changed(site, archive_of, tmp_path):
    archive = archive_of()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    photo = site["photos"][0]
    Article.objects.filter(pk=site["stories"][0].pk).update(headline="복원 전 제목")

    with pytest.raises(CommandError, match=r"Not restored: .*(cut short|not a whole)"):
        call_command("restore", str(cut), force=True)

    assert Article.objects.get(pk=site["stories"][0].pk).headline == "복원 전 제목"
    assert photo.original.storage.exists(photo.original.name)


def test_a_backup_with_a_damaged_photo_is_refused_and_nothing_is_changed(
    site, archive_of, tmp_path
):
    archive = archive_of()
    with tarfile.open(archive) as reading:
        member = next(m for m in reading.getmembers() if m.name.startswith("media/"))
    data = bytearray(archive.read_bytes())
    data[member.offset_data] ^= 0xFF
    archive.write_bytes(bytes(data))
    Article.objects.filter(pk=site["stories"][0].pk).update(headline="복원 전 제목")

    with pytest.raises(CommandError, match="does not match its checksum: damaged"):
        call_command("restore", str(archive), force=True)

    assert Article.objects.get(pk=site["stories"][0].pk).headline == "복원 전 제목"


def test_a_backup_of_another_database_engine_is_refused(site, archive_of):
    archive = archive_of()
    with tarfile.open(archive) as reading:
        manifest = json.load(reading.extractfile("manifest.json"))
    manifest["engine"] = "mysql"
    data = json.dumps(manifest).encode()
    edited = archive.with_name("other.tar")
    with tarfile.open(archive) as reading, tarfile.open(edited, "w") as writing:
        for member in reading.getmembers():
            if member.name == "manifest.json":
                member.size = len(data)
                writing.addfile(member, io.BytesIO(data))
            else:
                writing.addfile(member, reading.extractfile(member))

    with pytest.raises(CommandError, match="backup is of a mysql database"):
        call_command("restore", str(edited), force=True)


def test_a_forced_restore_leaves_nothing_of_what_came_after_the_backup(site, archive_of):
    archive = archive_of()
    story = site["stories"][0]
    Article.objects.filter(pk=story.pk).update(headline="백업 뒤에 고친 제목")
    with connection.cursor() as cursor:
        # As a migration applied after the backup would leave it: the restored migration
        # records would not know it, and the next migrate would fail on it.
        cursor.execute("CREATE TABLE added_after_the_backup (id integer)")

    call_command("restore", str(archive), force=True)

    connection.close()
    assert "added_after_the_backup" not in connection.introspection.table_names()
    assert Article.objects.get(pk=story.pk).headline == story.headline
