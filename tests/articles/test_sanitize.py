"""The story body's HTML allow-list (articles.sanitize). No database."""

import unicodedata
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles import sanitize

# What a body may hold, written out here rather than read from the module under test.
TAGS = {"p", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "strong", "em", "b", "i", "br"}
ATTRIBUTES = {"a": {"href", "title", "rel"}, "figure": {"data-photo-use"}}
LINK_SCHEMES = {"http", "https", "mailto", ""}  # "" is a link within the site


class Markup(HTMLParser):
    """Every start tag with its attributes, and every end tag, of some HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict]] = []
        self.ends: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.ends.append(tag)


def markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def assert_only_allowed_markup(html: str) -> None:
    found = markup(html)
    for tag, attributes in found.starts:
        if tag == "figure":
            # Only the bare placeholder: one attribute, a plain number.
            assert set(attributes) == {"data-photo-use"}, html
            assert attributes["data-photo-use"].isascii(), html
            assert attributes["data-photo-use"].isdecimal(), html
            continue
        assert tag in TAGS, html
        assert set(attributes) <= ATTRIBUTES.get(tag, set()), html
        if "href" in attributes:
            assert urlsplit(attributes["href"].strip()).scheme.lower() in LINK_SCHEMES, html
    assert "<script" not in html.lower()


def test_clean_html_is_left_as_it_is():
    body = (
        "<h2>소제목</h2><h3>작은 제목</h3><p><strong>굵게</strong> <em>기울여</em> "
        "<b>진하게</b> <i>비스듬히</i><br>다음 줄</p><blockquote>“인용한 말”</blockquote>"
        "<ul><li>하나</li></ul><ol><li>둘</li></ol>"
    )

    assert sanitize.clean(body) == body


def test_a_web_link_survives_and_gains_a_rel_that_shares_nothing_with_the_target():
    cleaned = sanitize.clean(
        '<p><a href="https://www.example.com/기사?id=1" rel="opener" target="_blank">원문</a></p>'
    )

    assert cleaned == (
        '<p><a href="https://www.example.com/기사?id=1" rel="noopener noreferrer nofollow">'
        "원문</a></p>"
    )


def test_a_mailto_link_survives():
    cleaned = sanitize.clean('<p><a href="mailto:tips@example.com" title="제보">제보</a></p>')

    assert 'href="mailto:tips@example.com"' in cleaned
    assert 'title="제보"' in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "<p>서울시청 앞 광장에 시민 3만 명이 모였다.</p>",
        "<p>“반도체” ‘수출’ — 1%↑ · ㄱㄴㄷ ㅏㅑ 😀</p>",
        unicodedata.normalize("NFD", "<p>한글 자모로 풀어 쓴 문장</p>"),
    ],
    ids=["plain", "punctuation-and-jamo", "decomposed"],
)
def test_hangul_text_survives_byte_for_byte(text):
    assert sanitize.clean(text).encode() == text.encode()


PAYLOADS = {
    "script": "<script>alert(1)</script><p>본문</p>",
    "img-onerror": '<img src="x" onerror="alert(1)"><p>본문</p>',
    "onclick": '<p onclick="steal()">본문</p>',
    "style-attribute": '<p style="position:fixed;top:0">본문</p>',
    "style-tag": "<style>p { display: none }</style><p>본문</p>",
    "javascript-link": '<a href="javascript:alert(1)">본문</a>',
    "mixed-case-scheme": '<a href="JaVaScRiPt:alert(1)">본문</a>',
    "entity-encoded-scheme": '<a href="&#106;avascript:alert(1)">본문</a>',
    "hex-entity-scheme": '<a href="&#x6A;&#x61;vascript:alert(1)">본문</a>',
    "tab-in-scheme": '<a href="java&#9;script:alert(1)">본문</a>',
    "leading-space-scheme": '<a href=" javascript:alert(1)">본문</a>',
    "data-link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">본문</a>',
    "vbscript-link": '<a href="vbscript:msgbox(1)">본문</a>',
    "iframe": '<iframe src="https://evil.example.com"></iframe><p>본문</p>',
    "svg-onload": "<svg onload=alert(1)><p>본문</p>",
    "math-mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "object-embed-form": '<object data="x"></object><embed src="x"><form><input></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "unclosed-tags": "<p><strong>굵게<p>다음 문단",
    "split-script": "<scr<script>ipt>alert(1)</script>",
    "unclosed-img": "<img src=x onerror=alert(1)//",
    "unclosed-attribute": '<a href="javascript:alert(1)"',
    "attribute-breakout": '"><script>alert(1)</script>',
    "commented-script": "<!--<script>alert(1)</script>-->",
    "figure-with-payload": (
        '<figure data-photo-use="12" onclick="x()" style="color:red">'
        "<img src=x onerror=alert(1)><script>alert(1)</script>캡션</figure>"
    ),
    "figure-word": '<figure data-photo-use="abc"><p>캡션</p></figure>',
    "figure-sql": '<figure data-photo-use="1 or 1=1">캡션</figure>',
    "figure-negative": '<figure data-photo-use="-1">캡션</figure>',
    "figure-decimal": '<figure data-photo-use="1.5">캡션</figure>',
    "figure-empty": '<figure data-photo-use="">캡션</figure>',
    "figure-script": '<figure data-photo-use="javascript:alert(1)">캡션</figure>',
    "figure-bare": "<figure><p>캡션</p></figure>",
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_no_dangerous_markup_survives(payload):
    cleaned = sanitize.clean(payload)

    assert_only_allowed_markup(cleaned)
    for word in ("onerror", "onclick", "onload", "style", "iframe", "svg", "javascript:"):
        assert word not in cleaned.lower()


@pytest.mark.parametrize(
    ("payload", "cleaned"),
    [
        ('<p onclick="steal()">본문</p>', "<p>본문</p>"),
        ('<p style="color:red">본문</p>', "<p>본문</p>"),
        (
            '<a href="JaVaScRiPt:alert(1)">본문</a>',
            '<a rel="noopener noreferrer nofollow">본문</a>',
        ),
        ("<p><strong>굵게<p>다음", "<p><strong>굵게</strong></p><p><strong>다음</strong></p>"),
    ],
    ids=["onclick", "style", "javascript-link", "unclosed"],
)
def test_the_harmless_part_of_a_payload_is_kept(payload, cleaned):
    assert sanitize.clean(payload) == cleaned


def test_a_photo_placeholder_is_kept_bare_and_its_contents_dropped():
    cleaned = sanitize.clean('<p>앞</p><figure data-photo-use="12"><p>캡션</p></figure><p>뒤</p>')

    assert cleaned == '<p>앞</p><figure data-photo-use="12"></figure><p>뒤</p>'
    assert sanitize.photo_use_ids(cleaned) == [12]


def test_placeholders_of_other_photo_uses_are_dropped():
    body = sanitize.clean(
        '<figure data-photo-use="3"></figure><figure data-photo-use="4"></figure>'
    )

    assert sanitize.without_placeholders(body, keep={4}) == '<figure data-photo-use="4"></figure>'


@pytest.mark.parametrize(
    "payload",
    [
        '<figure data-photo-use="1"><figure data-photo-use="2"></figure></figure>',
        '<figure data-photo-use="1"><figure>x</figure>꼬리</figure>',
    ],
    ids=["figure-in-placeholder", "bare-figure-in-placeholder"],
)
def test_a_nested_figure_leaves_one_clean_placeholder(payload):
    assert sanitize.clean(payload) == '<figure data-photo-use="1"></figure>'


def test_a_figure_numbered_with_a_superscript_digit_does_not_survive():
    cleaned = sanitize.clean('<figure data-photo-use="²"><p>캡션</p></figure>')

    assert "figure" not in cleaned


# --- cleaning twice is cleaning once --------------------------------------------------------

HANGUL_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # syllables
        st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),  # conjoining jamo
        st.sampled_from(" .,·“”‘’!?0123456789abc&<>\"'\n"),
    ),
    max_size=12,
).map(escape)


def element(tag: str, children, attributes: str = ""):
    return st.lists(children, max_size=3).map(
        lambda parts: f"<{tag}{attributes}>{''.join(parts)}</{tag}>"
    )


# A story body as a browser editor or a paste would send it: well nested, with hostile
# attributes, links and elements among the allowed ones.
LINK_TARGETS = [
    "https://example.com/기사?id=1",
    "mailto:tips@example.com",
    "/section/industry",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,x",
]
INLINE = st.recursive(
    st.one_of(
        HANGUL_TEXT,
        st.just("<br>"),
        st.just('<img src="x" onerror="alert(1)">'),
        st.just("<script>alert(1)</script>"),
    ),
    lambda inner: st.one_of(
        *(element(tag, inner) for tag in ("strong", "em", "b", "i")),
        element("span", inner, ' style="color:red" onclick="x()"'),
        st.builds(
            lambda href, text: f'<a href="{href}" onclick="x()">{text}</a>',
            st.sampled_from(LINK_TARGETS),
            HANGUL_TEXT,
        ),
    ),
    max_leaves=5,
)
PLACEHOLDERS = st.sampled_from(
    [
        '<figure data-photo-use="12"></figure>',
        '<figure data-photo-use="7"><p>캡션</p></figure>',
        '<figure data-photo-use="x">캡션</figure>',
    ]
)
BLOCK = st.recursive(
    st.one_of(
        *(element(tag, INLINE) for tag in ("p", "h2", "h3")),
        element("p", INLINE, ' style="display:none" onmouseover="x()"'),
        st.lists(element("li", INLINE), max_size=3).map(lambda items: f"<ul>{''.join(items)}</ul>"),
        st.lists(element("li", INLINE), max_size=3).map(lambda items: f"<ol>{''.join(items)}</ol>"),
        PLACEHOLDERS,
        st.just("<style>p { color: red }</style>"),
        st.just('<iframe src="https://example.com"></iframe>'),
    ),
    lambda inner: st.one_of(element("blockquote", inner), element("div", inner)),
    max_leaves=4,
)
BODY = st.lists(BLOCK, max_size=4).map("".join)


@settings(max_examples=200, deadline=None)
@given(BODY)
def test_cleaning_a_well_formed_body_twice_gives_what_cleaning_once_gave(html):
    once = sanitize.clean(html)

    assert sanitize.clean(once) == once
    assert_only_allowed_markup(once)


# Tag soup: fragments in any order, unclosed and misnested.
FRAGMENTS = [
    "<p>", "</p>", "<h2>", "</h2>", "<h3>", "<blockquote>", "</blockquote>", "<ul>", "<ol>",
    "<li>", "</li>", "<strong>", "</strong>", "<em>", "<b>", "<i>", "<br>", "</ul>",
    '<a href="https://example.com/기사">', '<a href="mailto:a@example.com">', "</a>",
    '<a href="javascript:alert(1)">', '<a href="&#106;avascript:x">', "<script>", "</script>",
    '<img src=x onerror="alert(1)">', "<style>", "</style>", '<p style="color:red">',
    '<p onclick="x()">', "<iframe>", "<svg onload=alert(1)>", "<!--", "-->", "&amp;",
    "&lt;", "&nbsp;", "<", ">", '"', "'", "&", "<table>", "<td>",
]  # fmt: skip
FIGURES = [
    '<figure data-photo-use="12">', '<figure data-photo-use="x">', "<figure>", "</figure>",
]  # fmt: skip


def tag_soup(fragments: list[str]):
    return st.lists(st.one_of(st.sampled_from(fragments), HANGUL_TEXT), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(tag_soup([*FRAGMENTS, *FIGURES]))
def test_nothing_dangerous_survives_tag_soup(html):
    assert_only_allowed_markup(sanitize.clean(html))


@settings(max_examples=300, deadline=None)
@example("<h2>제목<table><tr><td><h2>셀</h2></td></tr></table></h2>")
@given(tag_soup(FRAGMENTS))
def test_cleaning_tag_soup_twice_gives_what_cleaning_once_gave(html):
    once = sanitize.clean(html)

    assert sanitize.clean(once) == once


@settings(max_examples=300, deadline=None)
@example('<figure data-photo-use="12"><figure>사진</figure></figure>')
@given(tag_soup([*FIGURES, "<p>", "</p>", "<strong>"]))
def test_cleaning_nested_photo_placeholders_twice_gives_what_cleaning_once_gave(html):
    once = sanitize.clean(html)

    assert sanitize.clean(once) == once


# Any text a pasted body can hold: every code point but lone surrogates, with the control
# and bidi characters pasted text carries, between the markup of the fragments above.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(["\x00", "\x0c", "\r", "\u202e", "\u2066", "\ufeff", "&", "<", ">"]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(ANY_TEXT, st.sampled_from(FRAGMENTS)), max_size=20).map("".join))
def test_any_text_is_cleaned_to_allowed_markup_that_cleaning_again_leaves_as_it_is(html):
    cleaned = sanitize.clean(html)

    assert sanitize.clean(cleaned) == cleaned
    assert_only_allowed_markup(cleaned)


HANGUL_WORDS = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), st.sampled_from(" .,")
    ),
    min_size=1,
    max_size=30,
)
FORMATTING = st.sampled_from(["p", "h2", "h3", "blockquote", "strong", "em", "b", "i"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(FORMATTING, HANGUL_WORDS), min_size=1, max_size=6))
def test_hangul_in_any_formatting_survives_byte_for_byte(pieces):
    html = "".join(
        f"<p><{tag}>{text}</{tag}></p>"
        if tag in {"strong", "em", "b", "i"}
        else f"<{tag}>{text}</{tag}>"
        for tag, text in pieces
    )

    assert sanitize.clean(html) == html
