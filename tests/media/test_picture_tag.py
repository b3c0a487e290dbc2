"""`{% picture photo sizes %}`: the responsive <picture> readers and staff get."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from media.models import Photo
from tests.factories import PhotoFactory, RenditionFactory

pytestmark = pytest.mark.django_db

WIDTHS = {"w320": (320, 240), "w640": (640, 480), "w960": (960, 720), "w1600": (1600, 1200)}


class Tags(HTMLParser):
    """The start tags of a fragment with their attributes, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.found if name == tag]

    def one(self, tag: str) -> dict:
        [attrs] = self.all(tag)
        return attrs


def render(photo: Photo, arguments: str = "") -> str:
    template = Template('{% load photos %}{% picture photo "100vw" ' + arguments + " %}")
    return template.render(
        Context({"photo": Photo.objects.prefetch_related("renditions").get(pk=photo.pk)})
    )


def with_renditions(formats=("WEBP", "JPEG"), *, share: bool = True, **photo_fields) -> Photo:
    photo = PhotoFactory(alt_text="남산 타워 위로 뜬 보름달", **photo_fields)
    # Made largest first: the tag must sort them itself.
    for spec, (width, height) in reversed(WIDTHS.items()):
        for image_format in formats:
            RenditionFactory(
                photo=photo, spec=spec, format=image_format, width=width, height=height
            )
    if share:
        RenditionFactory(photo=photo, spec="share", format="JPEG", width=1200, height=630)
    return photo


def srcset(photo: Photo, image_format: str) -> str:
    renditions = photo.renditions.filter(format=image_format).exclude(spec="share")
    return ", ".join(f"{r.file.url} {r.width}w" for r in sorted(renditions, key=lambda r: r.width))


def test_picture_offers_webp_and_jpeg_in_every_width_smallest_first():
    photo = with_renditions()

    html = Tags(render(photo))

    assert [tag for tag, _attrs in html.found] == ["picture", "source", "img"]
    source, img = html.one("source"), html.one("img")
    assert source["type"] == "image/webp"
    assert source["srcset"] == srcset(photo, "WEBP")
    assert source["sizes"] == "100vw"
    assert img["srcset"] == srcset(photo, "JPEG")
    assert img["srcset"].index(" 320w") < img["srcset"].index(" 1600w")
    assert img["sizes"] == "100vw"
    # The plain src and the size the browser reserves: the JPEG nearest a story column.
    assert img["src"] == photo.renditions.get(spec="w960", format="JPEG").file.url
    assert (img["width"], img["height"]) == ("960", "720")
    assert img["alt"] == "남산 타워 위로 뜬 보름달"
    assert img["loading"] == "lazy"
    assert "fetchpriority" not in img


def test_the_share_crop_never_appears_among_the_sizes():
    photo = with_renditions()
    share = photo.renditions.get(spec="share")

    output = render(photo)

    assert share.file.url not in output
    assert "1200w" not in output


def test_the_lead_picture_is_fetched_first_and_not_lazily():
    photo = with_renditions()

    img = Tags(render(photo, "lead=True")).one("img")

    assert img["fetchpriority"] == "high"
    assert "loading" not in img


def test_alt_text_with_quotes_and_markup_is_escaped():
    photo = with_renditions()
    Photo.objects.filter(pk=photo.pk).update(alt_text='"치즈" 하는 <b>아이들</b> & 부모')

    output = render(photo)

    assert "<b>" not in output
    assert '"치즈"' not in output
    assert Tags(output).one("img")["alt"] == '"치즈" 하는 <b>아이들</b> & 부모'


def test_a_given_alt_replaces_the_photos_own():
    photo = with_renditions()

    assert Tags(render(photo, 'alt=""')).one("img")["alt"] == ""


def test_with_only_webp_renditions_the_img_uses_them():
    photo = with_renditions(formats=("WEBP",))

    html = Tags(render(photo))

    assert html.all("source") == []
    img = html.one("img")
    assert img["srcset"] == srcset(photo, "WEBP")
    assert img["src"] == photo.renditions.get(spec="w960", format="WEBP").file.url


@pytest.mark.parametrize("share", [False, True], ids=["nothing", "only-the-share-crop"])
def test_without_renditions_a_labelled_placeholder_stands_in(share):
    photo = with_renditions(formats=(), share=share)

    html = Tags(render(photo))

    assert html.all("img") == []
    span = html.one("span")
    assert span["role"] == "img"
    assert span["aria-label"] == "남산 타워 위로 뜬 보름달"
    assert "".join(html.text).strip()


def test_prefetched_renditions_cost_no_query(django_assert_num_queries):
    photo = with_renditions()
    prefetched = Photo.objects.prefetch_related("renditions").get(pk=photo.pk)
    template = Template('{% load photos %}{% picture photo "100vw" %}')

    with django_assert_num_queries(0):
        template.render(Context({"photo": prefetched}))
