"""Search at /search/: Korean words and parts of words, on SQLite (FTS5) and PostgreSQL
(pg_trgm and the gram index) alike: the module is marked postgres, so CI runs every case on
both databases. The index follows the workflow: publish, update, correct, unpublish."""

import io
import unicodedata
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import pagination, workflow
from articles.models import Article, SearchEntry
from articles.search import index as search
from articles.search import text as search_text
from tests.articles.conftest import SEOUL
from tests.pages import caches_on, cold, korean, parse

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
SEARCH = "/search/"


def ago(**delta):
    return timezone.now().replace(microsecond=0) - timedelta(**delta)


def words(element) -> str:
    """An element's text as a reader sees it: a <mark> inside a word does not split it."""
    text = "".join(part if isinstance(part, str) else words(part) for part in element.children)
    return " ".join(text.split())


def found(client, q: str, **params) -> list[str]:
    """The headlines a reader finds for `q`, in order."""
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    page = parse(response)
    return [words(link) for link in page.select("a", cls="headline-link")]


def errors(client, **params) -> list[str]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    box = parse(response).select("div", cls="form-errors")
    return [p.text for p in box[0].select("p")] if box else []


@pytest.fixture
def stories(desk, newsroom):
    """Five published stories a minute apart (the last the newest), and a draft."""
    made = {
        "samsung_chips": desk.story(
            "삼성전자, 반도체 투자 20조 확대",
            body="<p>삼성전자가 평택 반도체 공장에 AI 칩 라인을 세운다.</p>",
            at=ago(minutes=50),
        ),
        "rates": desk.story(
            "한은, 기준금리 동결",
            body="<p>한국은행이 기준금리를 연 3.5%로 묶었다. 삼성증권은 하반기 인하를 점쳤다.</p>",
            section=newsroom.finance,
            at=ago(minutes=40),
        ),
        "exports": desk.story(
            "반도체 수출 석 달째 증가",
            body="<p>메모리 가격이 오르며 수출이 늘었다.</p>",
            section=newsroom.electronics,
            at=ago(minutes=30),
        ),
        "battery": desk.story(
            "2차전지 소재 수출 부진",
            body="<p>양극재 수출이 줄었다. 업계는 금리 부담을 호소했다.</p>",
            at=ago(minutes=20),
        ),
        "english": desk.story(
            "Samsung unveils 5G modem",
            body="<p>The Galaxy AI features run on-device.</p>",
            at=ago(minutes=10),
        ),
    }
    made["draft"] = desk.story("삼성 초안 기사", state=Status.DRAFT)
    return made


# --- what a query finds ----------------------------------------------------------------------


def test_a_two_syllable_query_finds_every_story_holding_it_even_inside_a_word(client, stories):
    # 삼성 inside 삼성전자 and 삼성증권; never the draft.
    assert found(client, "삼성") == ["삼성전자, 반도체 투자 20조 확대", "한은, 기준금리 동결"]


def test_a_one_syllable_query_finds_the_stories_holding_it(client, stories):
    assert found(client, "칩") == ["삼성전자, 반도체 투자 20조 확대"]


def test_a_three_syllable_query_finds_the_stories_holding_it(client, stories):
    assert found(client, "반도체") == [
        "반도체 수출 석 달째 증가",
        "삼성전자, 반도체 투자 20조 확대",
    ]


def test_a_part_of_a_long_word_is_found(client, stories):
    assert found(client, "기준금") == ["한은, 기준금리 동결"]
    assert found(client, "준금리") == ["한은, 기준금리 동결"]


def test_every_word_of_the_query_must_be_found(client, stories):
    assert found(client, "삼성 금리") == ["한은, 기준금리 동결"]
    assert found(client, "수출 금리") == ["2차전지 소재 수출 부진"]
    assert found(client, "반도체 투자 평택") == ["삼성전자, 반도체 투자 20조 확대"]


def test_mixed_korean_latin_and_digits_are_found_whatever_the_case(client, stories):
    assert found(client, "ai 칩") == ["삼성전자, 반도체 투자 20조 확대"]
    assert found(client, "SAMSUNG 5g") == ["Samsung unveils 5G modem"]
    assert found(client, "20조") == ["삼성전자, 반도체 투자 20조 확대"]
    assert found(client, "2차전지") == ["2차전지 소재 수출 부진"]
    assert found(client, "Galaxy") == ["Samsung unveils 5G modem"]


def test_punctuation_in_the_query_separates_words_as_in_the_story(client, stories):
    assert found(client, "3.5%") == ["한은, 기준금리 동결"]
    assert found(client, "삼성전자,") == ["삼성전자, 반도체 투자 20조 확대"]


def test_decomposed_hangul_from_some_keyboards_finds_the_same_stories(client, stories):
    assert found(client, unicodedata.normalize("NFD", "삼성")) == found(client, "삼성")


def test_a_word_found_nowhere_says_so(client, stories):
    response = client.get(SEARCH, {"q": "테슬라"})
    page = parse(response)

    assert page.select("a", cls="headline-link") == []
    empty = page.one("li", cls="empty-state").text
    assert empty == korean(
        "No stories hold all of these words. Try fewer words, or part of a word."
    )


def test_headline_matches_come_first_then_the_newest(client, stories):
    # 수출 is in three headlines and one body; the body match (older headline-less) comes last
    # although it is newer than some.
    assert found(client, "수출") == [
        "2차전지 소재 수출 부진",
        "반도체 수출 석 달째 증가",
    ]
    # 금리: in the headline of "rates" (older), in the body of "battery" (newer).
    assert found(client, "금리") == ["한은, 기준금리 동결", "2차전지 소재 수출 부진"]


# --- what a result shows ---------------------------------------------------------------------


def test_a_result_highlights_the_words_in_its_headline_and_snippet(client, stories):
    page = parse(client.get(SEARCH, {"q": "삼성 금리"}))

    [item] = page.select("li", cls="story-item")
    assert [mark.text for mark in item.one("a", cls="headline-link").select("mark")] == ["금리"]
    snippet = item.one("p", cls="story-snippet")
    assert [mark.text for mark in snippet.select("mark")] == ["금리", "삼성"]
    assert (
        words(snippet) == "한국은행이 기준금리를 연 3.5%로 묶었다. 삼성증권은 하반기 인하를 점쳤다."
    )
    assert item.one("span", cls="story-section").text == "금융"
    assert item.one("time").attrs["datetime"].endswith("+09:00")


def test_markup_in_a_headline_or_body_is_shown_as_text_never_run(client, desk):
    desk.story(
        '<script>alert("x")</script> 삼성 "인용"',
        body="<p>&lt;img src=x onerror=alert(1)&gt; 삼성 기사</p>",
    )

    response = client.get(SEARCH, {"q": "삼성"})

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>삼성</mark>" in html


def test_the_results_say_how_many_stories_were_found(client, stories):
    page = parse(client.get(SEARCH, {"q": "반도체"}))
    assert page.one("p", cls="search-count").text == "검색 결과 2건"


def test_a_summary_restating_the_first_paragraph_shows_once(client, desk):
    lede = "한국은행이 기준금리를 연 3.5%로 동결했다."
    desk.story("금리 동결", summary=lede, body=f"<p>{lede} 시장은 예상했던 결과다.</p>")

    snippet = parse(client.get(SEARCH, {"q": "기준금리"})).one("p", cls="story-snippet")

    assert words(snippet) == lede


def test_a_long_body_gives_a_snippet_around_the_first_match(client, desk):
    before = "앞부분 문장입니다. " * 40
    after = " 뒷부분 문장입니다." * 40
    desk.story("긴 기사", body=f"<p>{before}환율이 급등했다.{after}</p>")

    page = parse(client.get(SEARCH, {"q": "환율"}))

    snippet = page.one("p", cls="story-snippet")
    assert words(snippet).startswith("…")
    assert words(snippet).endswith("…")
    assert [mark.text for mark in snippet.select("mark")] == ["환율"]
    assert len(words(snippet)) <= search_text.SNIPPET_LENGTH + 4


# --- filters and pages -----------------------------------------------------------------------


def test_the_section_filter_keeps_a_section_and_the_sections_below_it(client, stories):
    assert found(client, "수출", section="finance") == []
    assert found(client, "수출", section="industry") == [
        "2차전지 소재 수출 부진",
        "반도체 수출 석 달째 증가",
    ]
    assert found(client, "수출", section="electronics") == ["반도체 수출 석 달째 증가"]


def test_the_date_filter_keeps_the_korean_days_between_both_dates(client, desk):
    desk.story("환율 1일", at=datetime(2025, 3, 1, 0, 30, tzinfo=SEOUL))
    desk.story("환율 2일", at=datetime(2025, 3, 2, 23, 59, tzinfo=SEOUL))
    desk.story("환율 3일", at=datetime(2025, 3, 3, 0, 0, tzinfo=SEOUL))

    assert found(client, "환율", since="2025-03-01", until="2025-03-02") == ["환율 2일", "환율 1일"]
    assert found(client, "환율", since="2025-03-03") == ["환율 3일"]
    assert found(client, "환율", until="2025-03-01") == ["환율 1일"]


def test_a_wrong_filter_is_explained_not_an_error_page(client, stories):
    assert errors(client, q="삼성", since="2025-13-45") == [korean("Enter a valid date.")]
    assert errors(client, q="삼성", section="no-such-section") == [
        korean("Select a valid choice. That choice is not one of the available choices.")
    ]
    assert errors(client, q="삼성", since="2025-03-05", until="2025-03-01") == [
        korean("The end date is before the start date.")
    ]


def test_results_are_paged_by_twenty_and_a_page_past_the_end_is_not_found(client, desk):
    desk.many(25, prefix="환율 기사")

    first = parse(client.get(SEARCH, {"q": "환율"}))
    second = parse(client.get(SEARCH, {"q": "환율", "page": 2}))

    assert len(first.select("li", cls="story-item")) == pagination.PAGE_SIZE
    assert len(second.select("li", cls="story-item")) == 5
    next_link = first.one("a", rel="next").attrs["href"]
    assert "q=%ED%99%98%EC%9C%A8" in next_link
    assert "page=2" in next_link
    assert client.get(SEARCH, {"q": "환율", "page": 3}).status_code == 404


# --- what a reader may type --------------------------------------------------------------------


def test_the_first_visit_shows_the_form_and_no_error(client, db):
    page = parse(client.get(SEARCH))

    assert page.one("form", cls="reader-search").attrs["action"] == SEARCH
    assert page.select("div", cls="form-errors") == []


@pytest.mark.parametrize("q", ["", "   ", "!!! ??? ...", "\x00\x1f\x7f", "🙂🙂"])
def test_an_empty_query_asks_for_a_word(client, stories, q):
    assert errors(client, q=q) == [korean("Type a word to search for.")]


def test_a_ten_thousand_character_query_is_refused_with_the_limit(client, stories):
    messages = errors(client, q="삼성" * 5000)

    assert messages == [
        korean("The search words are too long: use at most %(limit)d characters.")
        % {"limit": search_text.MAX_QUERY_LENGTH}
    ]


def test_too_many_words_are_refused_with_the_limit(client, stories):
    messages = errors(client, q=" ".join(f"단어{n}" for n in range(search_text.MAX_TERMS + 1)))

    assert messages == [
        korean("Too many words: search with at most %(limit)d words.")
        % {"limit": search_text.MAX_TERMS}
    ]


@pytest.mark.parametrize(
    "q",
    [
        '삼성" OR "금리',
        "삼성 NEAR(금리)",
        "content:삼성",
        "삼성*",
        "^삼성",
        "삼성 AND",
        "%삼성_",
        "'; DROP TABLE articles_article; --",
        "\\삼성\\",
    ],
)
def test_search_syntax_in_a_query_is_only_words(client, stories, q):
    response = client.get(SEARCH, {"q": q})

    assert response.status_code == 200
    assert Article.objects.count() == 6
    # Only the words count: every story holding 삼성 (and any other word) is found.
    for headline in found(client, q):
        assert "삼성" in headline or "삼성" in Article.objects.get(headline=headline).body


def test_control_characters_in_a_query_are_dropped(client, stories):
    assert found(client, "삼\x00성") == found(client, "삼성")
    assert found(client, "삼성\x1b[31m") == found(client, "삼성 31m")


def test_a_search_page_is_the_same_for_every_anonymous_reader(client, stories):
    response = client.get(SEARCH, {"q": "삼성"})

    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert parse(response).one("meta", name="robots").attrs["content"] == "noindex, follow"


def test_a_search_takes_only_gets(client, db):
    assert client.post(SEARCH, {"q": "삼성"}).status_code == 405


def test_the_masthead_search_box_goes_to_the_search_page(client, db):
    page = parse(client.get("/"))

    form = page.one("form", cls="site-search")
    assert form.attrs["action"] == reverse("articles:search")
    assert form.one("input").attrs["name"] == "q"


# --- the index follows the workflow ------------------------------------------------------------


def test_a_story_is_found_once_published_and_not_before(client, desk, editor, reporter):
    story = desk.story("환율 급등", state=Status.SUBMITTED)
    assert found(client, "환율") == []
    assert not SearchEntry.objects.filter(article=story).exists()

    workflow.publish(story, actor=editor)

    assert found(client, "환율") == ["환율 급등"]


def test_an_update_replaces_the_searched_words(client, desk):
    story = desk.story("환율 급등", body="<p>원달러 환율이 올랐다.</p>")

    desk.edit(story, headline="유가 급등", body="<p>국제 유가가 올랐다.</p>")

    assert found(client, "환율") == []
    assert found(client, "유가") == ["유가 급등"]


def test_a_correction_with_new_words_is_searched_at_once(client, desk):
    story = desk.story("환율 급등", body="<p>원달러 환율이 1400원을 넘었다.</p>")

    desk.correct(story, "환율 수치를 바로잡았습니다.", body="<p>원달러 환율이 1390원을 넘었다.</p>")

    assert found(client, "1390원") == ["환율 급등"]
    assert found(client, "1400원") == []


def test_an_unpublished_story_leaves_search_and_comes_back_when_republished(client, desk, editor):
    story = desk.story("환율 급등", state=Status.UNPUBLISHED)
    assert found(client, "환율") == []
    assert not SearchEntry.objects.filter(article=story).exists()

    workflow.republish(story, actor=editor)

    assert found(client, "환율") == ["환율 급등"]


def test_a_scheduled_story_is_found_once_the_scheduler_publishes_it(client, desk):
    story = desk.story("환율 급등", state=Status.SCHEDULED)
    assert found(client, "환율") == []

    workflow.run_schedule(now=story.scheduled_publish_at + timedelta(seconds=1))

    assert found(client, "환율") == ["환율 급등"]


def test_a_rolled_back_publish_leaves_no_entry(desk, editor, monkeypatch):
    story = desk.story("환율 급등", state=Status.SUBMITTED)

    def fail(*args, **kwargs):
        raise RuntimeError("history write failed")

    monkeypatch.setattr(workflow, "record", fail)
    with pytest.raises(RuntimeError):
        workflow.publish(story, actor=editor)

    assert not SearchEntry.objects.filter(article=story).exists()


def test_rebuild_writes_every_published_story_and_drops_the_others(client, stories):
    SearchEntry.objects.filter(article=stories["rates"]).delete()
    SearchEntry.objects.create(article=stories["draft"], headline="x", content="x", grams="x")
    out = io.StringIO()

    call_command("rebuild_search_index", stdout=out)

    assert out.getvalue() == "Indexed 5 published stories.\n"

    assert found(client, "금리") == ["한은, 기준금리 동결", "2차전지 소재 수출 부진"]
    assert not SearchEntry.objects.filter(article=stories["draft"]).exists()


# --- cost --------------------------------------------------------------------------------------

# With every cache empty: the section tree (the menu, and the sections below a filter's);
# the sections of the filter's list; the page count; the stories; their lead photo uses
# with their photos and renditions.
SEARCH_QUERIES = 5


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    ("filters", "extra"),
    [({}, 0), ({"section": "industry", "since": "2020-01-01"}, 1)],
    ids=["no-filter", "section-and-date"],
)
def test_a_search_runs_the_same_queries_with_one_or_fifty_results(
    client, desk, library_photo, count, filters, extra, settings
):
    caches_on(settings)
    photo = library_photo(caption="환율", alt_text="환율 전광판")
    start = ago(hours=2)
    for number in range(count):
        desk.story(
            f"환율 기사 {number:02d}",
            at=start + timedelta(minutes=number),
            photo_uses=[{"photo": photo.pk, "is_lead": True}],
        )

    with CaptureQueriesContext(connection) as queries:
        response = cold(client, SEARCH, {"q": "환율 기사", **filters})

    assert response.status_code == 200
    page = parse(response)
    assert len(page.select("li", cls="story-item")) == min(count, pagination.PAGE_SIZE)
    assert len(page.one("ul", cls="search-results").select("img")) == min(
        count, pagination.PAGE_SIZE
    )
    # A section filter adds one: the slug looked up (the sections below it are the tree's).
    assert len(queries) == SEARCH_QUERIES + extra


def test_a_refused_query_runs_no_search_query(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the section tree and the filter's list
        response = client.get(SEARCH, {"q": "가" * 10_000})
    assert response.status_code == 200


def _plan(query: search_text.Query) -> str:
    """How the database finds the ids of the stories holding every term (its plan)."""
    sql, params = search.candidates(query)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row) for row in cursor.fetchall())
        # A handful of rows is cheaper to scan than to look up: forbid the scan to see the
        # index the planner uses on a real table (docs/benchmarks.md: 10,000 stories).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("q", "indexes"),
    [
        ("삼성", {"grams"}),
        ("금", {"grams"}),
        ("반도체", {"trigram"}),
        ("삼성 반도체", {"grams", "trigram"}),
    ],
)
def test_short_and_long_terms_are_answered_by_an_index_not_a_scan(stories, q, indexes):
    plan = _plan(search_text.parse_query(q))

    if connection.vendor == "sqlite":
        names = {"grams": "article_search_grams", "trigram": "article_search_trigram"}
        for index in indexes:
            assert f"SCAN {names[index]} VIRTUAL TABLE INDEX" in plan, plan
    else:
        # With both kinds of term the planner may use one index and filter its few rows.
        names = {"grams": "article_search_grams_idx", "trigram": "article_search_trigram_idx"}
        assert any(f"Bitmap Index Scan on {names[index]}" in plan for index in indexes), plan
        assert "Seq Scan" not in plan, plan
