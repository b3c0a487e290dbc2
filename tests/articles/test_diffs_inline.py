"""The inline differences of the desk's history page: what was added and removed, on the text
a reader sees, word by word (Hangul character by character). No database."""

from django.template import Context, Template

from articles import diffs
from articles.diffs import ADDED, REMOVED, SAME, Segment


def marked(segments: list[Segment]) -> str:
    """A line as text, removed parts as [-...-] and added parts as {+...+}."""
    return "".join(
        {SAME: "{}", REMOVED: "[-{}-]", ADDED: "{{+{}+}}"}[part.kind].format(part.text)
        for part in segments
    )


def field(changes: list[diffs.InlineDiff], name: str) -> diffs.InlineDiff:
    return next(change for change in changes if change.field == name)


def lines_of(change: diffs.InlineDiff) -> list[str]:
    return [marked(line) if line else "⋯" for line in change.lines]


def test_only_the_fields_that_differ_are_listed_headline_first():
    old = {"headline": "가", "summary": "같음", "tags": ["경제"], "body": "<p>하나</p>"}
    new = {"headline": "나", "summary": "같음", "tags": ["경제", "반도체"], "body": "<p>둘</p>"}

    assert [change.field for change in diffs.inline(old, new)] == ["headline", "body", "tags"]


def test_a_changed_english_word_is_removed_and_added_whole():
    assert marked(diffs.words("The quick brown fox", "The slow brown fox")) == (
        "The [-quick-]{+slow+} brown fox"
    )


def test_hangul_changes_are_marked_character_by_character_inside_a_word():
    assert marked(diffs.words("반도체 수출이 늘었다", "반도체 수출은 늘었다")) == (
        "반도체 수출[-이-]{+은+} 늘었다"
    )


def test_changes_a_space_apart_join_into_one_so_whole_words_go_and_come():
    changes = diffs.inline(
        {"headline": "반도체 수출 석 달째 증가"}, {"headline": "반도체 수입 넉 달째 감소"}
    )

    assert lines_of(field(changes, "headline")) == [
        "반도체 수[-출 석-]{+입 넉+} 달째 [-증가-]{+감소+}"
    ]


def test_an_emptied_field_shows_its_old_text_removed():
    changes = diffs.inline({"subheadline": "부제목이 있었다"}, {"subheadline": ""})

    assert lines_of(field(changes, "subheadline")) == ["[-부제목이 있었다-]"]


def test_a_field_filled_for_the_first_time_shows_as_added():
    changes = diffs.inline({"summary": ""}, {"summary": "새 요약"})

    assert lines_of(field(changes, "summary")) == ["{+새 요약+}"]


def test_tags_are_compared_one_item_a_line():
    changes = diffs.inline({"tags": ["경제", "반도체"]}, {"tags": ["반도체", "수출"]})

    tags = field(changes, "tags")
    assert tags.listed
    assert lines_of(tags) == ["[-경제-]", "반도체", "{+수출+}"]


def test_sections_show_by_name_and_an_unknown_id_by_number():
    names = {"section": {1: "경제", 2: "산업"}, "extra_sections": {1: "경제", 2: "산업"}}
    changes = diffs.inline(
        {"section": 1, "extra_sections": [2]}, {"section": 2, "extra_sections": [1, 9]}, names
    )

    assert lines_of(field(changes, "section")) == ["[-경제-]", "{+산업+}"]
    assert field(changes, "extra_sections").listed
    assert lines_of(field(changes, "extra_sections")) == ["[-산업-]", "{+경제+}", "{+#9+}"]


def test_bylines_show_the_profiles_names_and_guests_as_written():
    changes = diffs.inline(
        {"bylines": [{"profile": 4}]},
        {"bylines": [{"profile": 4}, {"guest": "연합뉴스"}]},
        {"bylines": {4: "한지민"}},
    )

    assert lines_of(field(changes, "bylines")) == ["한지민", "{+연합뉴스+}"]


def test_the_body_is_compared_as_the_text_readers_see_never_its_markup():
    old = {"body": "<p>반도체 <strong>수출</strong>이 늘었다.</p><p>AT&amp;T도 늘었다.</p>"}
    new = {"body": "<p>반도체 <strong>수출</strong>이 줄었다.</p><p>AT&amp;T도 늘었다.</p>"}

    body = field(diffs.inline(old, new), "body")

    assert lines_of(body) == ["반도체 수출이 [-늘-]{+줄+}었다.", "AT&T도 늘었다."]
    assert not any("<" in part.text for line in body.lines for part in line)


def test_a_markup_only_change_has_no_lines():
    body = field(
        diffs.inline({"body": "<p>수출이 늘었다.</p>"}, {"body": "<p><em>수출</em>이 늘었다.</p>"}),
        "body",
    )

    assert body.lines == []


def test_a_photo_in_the_body_is_a_marker_with_its_caption():
    photo_use = {"id": 12, "photo": 3, "caption": "평택 공장 전경", "is_lead": True}
    old = {"body": "<p>첫 문단</p>", "photo_uses": []}
    new = {
        "body": '<p>첫 문단</p><figure data-photo-use="12"></figure>',
        "photo_uses": [photo_use],
    }

    changes = diffs.inline(old, new)

    assert lines_of(field(changes, "body")) == ["첫 문단", "{+[사진] 평택 공장 전경+}"]
    assert lines_of(field(changes, "photo_uses")) == ["{+[대표 사진] 평택 공장 전경+}"]


def test_a_long_body_shows_only_the_paragraphs_near_a_change():
    paragraphs = [f"<p>{number}번째 문단입니다.</p>" for number in range(1, 11)]
    changed = list(paragraphs)
    changed[5] = "<p>6번째 문단을 고쳤습니다.</p>"

    body = field(diffs.inline({"body": "".join(paragraphs)}, {"body": "".join(changed)}), "body")

    assert lines_of(body) == [
        "⋯",
        "5번째 문단입니다.",
        "6번째 문단[-입-]{+을 고쳤습+}니다.",
        "7번째 문단입니다.",
        "⋯",
    ]


def test_a_rewritten_paragraph_is_shown_as_removed_and_added_not_as_confetti():
    body = field(
        diffs.inline(
            {"body": "<p>정부가 오늘 새 정책을 발표했다.</p>"},
            {"body": "<p>환율은 크게 흔들렸고 시장도 불안했다.</p>"},
        ),
        "body",
    )

    assert lines_of(body) == [
        "[-정부가 오늘 새 정책을 발표했다.-]",
        "{+환율은 크게 흔들렸고 시장도 불안했다.+}",
    ]


def test_html_in_a_headline_is_text_and_the_template_escapes_it():
    changes = diffs.inline(
        {"headline": "반도체 수출"}, {"headline": '반도체 수출 <script>alert("x")</script>'}
    )
    line = field(changes, "headline").lines[0]
    assert Segment(ADDED, ' <script>alert("x")</script>') in line

    shown = Template(
        "{% for part in line %}{% if part.kind == 'added' %}<ins>{{ part.text }}</ins>"
        "{% else %}{{ part.text }}{% endif %}{% endfor %}"
    ).render(Context({"line": line}))

    assert "<script>" not in shown
    assert "<ins> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins>" in shown
