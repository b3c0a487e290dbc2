"""newsroom.jsonrows: related rows read in their parent's query as JSON come back as the
ORM reads them, where prefetch_related puts them, on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import StaffProfile
from articles.models import Article, Byline, Correction, Revision, Tag
from newsroom import jsonrows

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def story(desk, reporter, other_reporter):
    story = desk.story(
        "접어 읽는 기사",
        tags=["반도체", "수출"],
        bylines=[
            {"profile": other_reporter.staff_profile.pk},
            {"guest": "객원 기자"},
            {"profile": reporter.staff_profile.pk},
        ],
    )
    later = timezone.now() + timedelta(hours=3)
    Correction.objects.create(article=story, note="둘째 정정", created_at=later)
    Correction.objects.create(article=story, note="첫 정정", created_at=later - timedelta(hours=1))
    return story


def folded(story_id: int) -> Article:
    return Article.objects.annotate(
        tag_rows=jsonrows.rows(Tag.objects.all(), "articles", jsonrows.fields(Tag)),
        correction_rows=jsonrows.rows(
            Correction.objects.all(), "article", jsonrows.fields(Correction)
        ),
        byline_rows=jsonrows.rows(
            Byline.objects.all(),
            "article",
            jsonrows.fields(Byline, profile=jsonrows.fields(StaffProfile, "profile")),
        ),
    ).get(pk=story_id)


def values(objects, names: tuple[str, ...]) -> list[tuple]:
    return [tuple(getattr(obj, name) for name in names) for obj in objects]


def test_folded_rows_are_the_rows_the_orm_reads(story, django_assert_num_queries):
    bylines = Prefetch("bylines", queryset=Byline.objects.select_related("profile"))
    read = Article.objects.prefetch_related("tags", "corrections", bylines).get(pk=story.pk)

    with django_assert_num_queries(1):
        found = folded(story.pk)
    tags = sorted(jsonrows.instances(Tag, found.tag_rows), key=lambda tag: tag.name)
    corrections = jsonrows.instances(Correction, found.correction_rows)
    bylines = jsonrows.instances(Byline, found.byline_rows, nested={"profile": StaffProfile})

    assert values(tags, ("pk", "name", "slug")) == values(read.tags.all(), ("pk", "name", "slug"))
    fields = ("pk", "article_id", "note", "created_at", "created_by_id")
    assert sorted(values(corrections, fields)) == sorted(values(read.corrections.all(), fields))
    assert all(correction.created_at.tzinfo is not None for correction in corrections)
    fields = ("pk", "profile_id", "guest_name", "order")
    assert sorted(values(bylines, fields)) == sorted(values(read.bylines.all(), fields))
    profiles = {byline.pk: byline.profile for byline in bylines}
    for byline in read.bylines.all():
        if byline.profile is None:
            assert profiles[byline.pk] is None
        else:
            assert values([profiles[byline.pk]], ("pk", "slug", "byline_name", "created_at")) == (
                values([byline.profile], ("pk", "slug", "byline_name", "created_at"))
            )


def test_attached_rows_are_read_without_a_query_like_prefetched_ones(
    story, django_assert_num_queries
):
    found = folded(story.pk)
    jsonrows.attach(found, "tags", jsonrows.instances(Tag, found.tag_rows))
    jsonrows.attach(found, "corrections", jsonrows.instances(Correction, found.correction_rows))

    with django_assert_num_queries(0):
        assert sorted(tag.name for tag in found.tags.all()) == ["반도체", "수출"]
        assert {note.note for note in found.corrections.all()} == {"첫 정정", "둘째 정정"}
        assert [note.article_id for note in found.corrections.all()] == [story.pk] * 2
    # Asking again for what the rows no longer are reads the database, as after a prefetch.
    assert found.tags.filter(name="반도체").count() == 1


def test_a_row_without_related_rows_gets_none_and_an_empty_list(desk):
    story = desk.story("태그 없는 기사")
    found = folded(story.pk)
    assert found.tag_rows is None
    assert jsonrows.instances(Tag, found.tag_rows) == []


def test_a_model_with_a_json_field_cannot_be_folded():
    # SQLite gives its value as text, PostgreSQL as JSON: the two cannot be told apart.
    with pytest.raises(TypeError, match="JSON field"):
        jsonrows.fields(Revision)
