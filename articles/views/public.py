"""The reader's pages. Each is the same for every anonymous reader (cacheable), runs a fixed
number of queries, and shows only published stories: anything else is a 404, and a story
taken down is a 410 with the editor's public note."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from accounts.models import StaffProfile
from articles import (
    dependencies,
    fragments,
    popularity,
    preview_links,
    selectors,
    structured_data,
    workflow,
)
from articles.forms import SearchForm
from articles.models import Article, Series, Tag
from articles.pagination import paginate
from articles.search import text as search_text
from articles.sharing import card as share_card
from articles.sharing import fanout
from newsroom.cached_pages import cacheable, depends_on
from newsroom.links import absolute_url

Status = Article.Status


# Comments come in with the page: its own sort and page of them are part of its address.
@cacheable(params=("csort", "cpage"), timeout=120)
@require_safe
def article_detail(request, article_id: int, slug: str = ""):
    try:
        article = fragments.story(article_id)
    except Article.DoesNotExist:
        raise Http404 from None
    if article.status == Status.UNPUBLISHED:
        return render(request, "articles/gone.html", {"article": article}, status=410)
    if article.status != Status.PUBLISHED:
        raise Http404
    if slug != article.slug:
        return redirect(article, permanent=True)
    return depends_on(story_page(request, article), dependencies.article_page(article))


def story_page(
    request,
    article: Article,
    *,
    preview: bool = False,
    from_desk: bool = False,
    extra: dict | None = None,
    status: int = 200,
):
    """The article page as readers see it. Previews (the desk's, and a preview link's)
    draw any story with it, marked as a preview, without the read counter or comments.
    `extra` reaches the template as it is: the comments app gives back a refused comment
    form this way (with status 400)."""
    bylines = list(article.bylines.all())
    primary = next((byline.profile for byline in bylines if byline.profile_id), None)
    lead = next((use for use in article.photo_uses.all() if use.is_lead), None)
    # Read only where the template draws them: the kept parts of the page
    # (articles.fragments.story_part) carry them already.
    sharing = SimpleLazyObject(lambda: _sharing(article, bylines, lead))
    response = render(
        request,
        "articles/article.html",
        {
            "article": article,
            "section_path": fragments.section_tree(request).path(article.section),
            "bylines": bylines,
            "primary": primary,
            "lead": lead,
            "share": SimpleLazyObject(lambda: sharing["share"]),
            "structured_data": SimpleLazyObject(lambda: sharing["structured_data"]),
            "share_x": SimpleLazyObject(lambda: sharing["share_x"]),
            "share_links": SimpleLazyObject(lambda: sharing["share_links"]),
            # Read (and rendered) where the template draws them, as the rest of the page.
            "latest": SimpleLazyObject(lambda: fragments.latest(exclude=article.pk)),
            "most_read": SimpleLazyObject(fragments.most_read),
            "related_boxes": SimpleLazyObject(lambda: fragments.related_boxes(article, primary)),
            "newsletter_box": SimpleLazyObject(fragments.newsletter_box),
            "kakao_js_key": settings.KAKAO_JS_KEY,
            "kakao_sdk_url": settings.KAKAO_SDK_URL,
            "youtube_url": settings.SITE_YOUTUBE_URL,
            "preview": preview,
            "from_desk": from_desk,
            **(extra or {}),
        },
        status=status,
    )
    if request.user.is_authenticated:
        # The header and the comment area carry the reader's own name, forms and votes:
        # never for a shared cache (Vary: Cookie alone would let one keep a copy per cookie).
        patch_cache_control(response, private=True)
    return response


def _sharing(article: Article, bylines, lead) -> dict:
    share = share_card.card(article)
    share_x, share_links = share, share_card.links(share)
    # What the last fan-out stored for the story as it is now; until its card is ready
    # the story's own fields stand in.
    stored = selectors.stored_share(article.pk, fanout.fields_hash(fanout.shared_fields(article)))
    if stored is not None:
        share, share_x, share_links = share_card.from_stored(*stored, fallback=share)
    return {
        "share": share,
        "share_x": share_x,
        "share_links": share_links,
        "structured_data": structured_data.news_article(
            article, share=share, bylines=bylines, lead=lead
        ),
    }


@csrf_exempt  # a read counter: no session, nothing of the reader's is changed
@require_POST
def article_read(request, article_id: int):
    """The article page's script reports a read here, so a cached page still counts."""
    if Article.objects.filter(pk=article_id, status=Status.PUBLISHED).exists():
        popularity.record_view(article_id)
    return HttpResponse(status=204)


# Lists show comment counts and read counts: they may lag by the page's lifetime.
@cacheable(timeout=60)
@require_safe
def home(request):
    front = selectors.front_page(fragments.section_tree(request))
    recent = front["latest"]  # already read: not the fragment's
    front["latest"] = SimpleLazyObject(lambda: fragments.headlines(recent))
    front["most_read"] = SimpleLazyObject(fragments.most_read)
    front |= _list_page_meta(request, settings.SITE_NAME, settings.SITE_DESCRIPTION)
    front["verifications"] = [
        (name, content)
        for name, content in (
            ("naver-site-verification", settings.NAVER_SITE_VERIFICATION),
            ("google-site-verification", settings.GOOGLE_SITE_VERIFICATION),
        )
        if content
    ]
    front["newsletter_box"] = SimpleLazyObject(fragments.newsletter_box)
    return depends_on(render(request, "articles/home.html", front), dependencies.home_page())


def _list_page_meta(request, title: str, description: str) -> dict:
    """What a list page gives search results and share cards (its <head>'s description,
    canonical address and Open Graph tags; articles/includes/site_meta.html)."""
    return {
        "page_url": absolute_url(request.get_full_path()),
        "page_title": title,
        "page_description": description,
        "page_image": absolute_url(static(share_card.DEFAULT_IMAGE)),
    }


@cacheable(params=("page", "before"), timeout=60)
@require_safe
def section(request, slug: str, parent: str | None = None):
    tree = fragments.section_tree(request)
    found = tree.by_slug(slug)
    if found is None or not found.is_active:
        raise Http404
    if (found.parent.slug if found.parent_id else None) != parent:
        return redirect(found, permanent=True)
    stories = selectors.in_section(found, tree)
    page = paginate(request, stories)
    # Only a top section's first page shows what editors placed on it.
    curated = (
        selectors.curation(found, within=stories)
        if page.number == 1 and not found.parent_id
        else None
    )
    selectors.attach_lead_photos(page.items, curated.stories if curated else [])
    lead, top = selectors.section_front(found, curated, page.items) if curated else (None, [])
    response = render(
        request,
        "articles/section.html",
        {
            "section": found,
            "lead": lead,
            "top": top,
            "section_path": tree.path(found),
            "subsections": tree.children(found),
            "page": page,
            **_list_page_meta(
                request,
                f"{found.name} - {settings.SITE_NAME}",
                found.description
                or _("%(section)s news from %(site)s")
                % {"section": found.name, "site": settings.SITE_NAME},
            ),
        },
    )
    return depends_on(response, dependencies.section_page(found))


@cacheable(params=("page", "before"), timeout=60)
@require_safe
def reporter(request, slug: str):
    try:
        profile = selectors.reporter(slug)
    except StaffProfile.DoesNotExist:
        raise Http404 from None
    page = paginate(request, selectors.reporter_stories(profile))
    selectors.attach_lead_photos(page.items)
    response = render(request, "articles/reporter.html", {"profile": profile, "page": page})
    return depends_on(response, dependencies.reporter_page(profile))


@cacheable(timeout=60)
@require_safe
def reporters(request):
    response = render(
        request,
        "articles/reporters.html",
        {"reporters": selectors.reporters(fragments.section_tree(request))},
    )
    return depends_on(response, dependencies.reporters_page())


@cacheable(timeout=300)
@require_safe
def series(request, slug: str):
    found = get_object_or_404(Series, slug=slug, is_active=True)
    parts = selectors.series_parts(found.pk)
    if not parts:  # nothing public yet: a planned series is not announced
        raise Http404
    response = render(request, "articles/series.html", {"series": found, "parts": parts})
    return depends_on(response, dependencies.series_page(found))


@cacheable(params=("page", "before"), timeout=60)
@require_safe
def tag(request, slug: str):
    # A tag used only on unpublished stories does not exist for readers.
    found = get_object_or_404(
        Tag.objects.filter(articles__status=Status.PUBLISHED).distinct(), slug=slug
    )
    page = paginate(request, selectors.for_lists(selectors.published().filter(tags=found)))
    selectors.attach_lead_photos(page.items)
    response = render(request, "articles/tag.html", {"tag": found, "page": page})
    return depends_on(response, dependencies.tag_page(found))


@cacheable(params=("page",), timeout=300)
@require_safe
def corrections(request):
    response = render(
        request,
        "articles/corrections.html",
        {"page": paginate(request, selectors.public_corrections(), keyset=False)},
    )
    return depends_on(response, dependencies.corrections_page())


@never_cache
@require_safe
def shared_preview(request, token: str):
    """A story shown through an editor's preview link to someone without an account:
    the reader page marked as a preview, never cached, never indexed, and the same 404
    for a forged, expired or revoked link."""
    link = preview_links.link_for(token)
    if link is None:
        raise Http404
    workflow.preview_link_opened(link)
    response = story_page(request, selectors.story_for_reader(link.article_id), preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# Readers make up the addresses: a short lifetime, in a fixed number of slots.
@cacheable(params=("q", "section", "since", "until", "page"), timeout=30, slots=1000)
@require_safe
def search(request):
    """/search/?q=삼성 금리&section=&since=&until=: stories holding every word. The first
    visit (no q at all) shows the form; a bad query or filter shows what to fix."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    page = query = None
    if form.is_valid():
        query = form.cleaned_data["q"]
        page = paginate(
            request,
            selectors.search_results(
                query,
                section=form.cleaned_data["section"],
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
                tree=fragments.section_tree(request),
            ),
            keyset=False,
        )
        page.items = selectors.search_page(page.items)
        selectors.attach_lead_photos(page.items)
        for story in page.items:
            story.headline_parts = search_text.highlight(story.headline, query.terms)
            passage = search_text.first_holding(
                (story.summary, search_text.plain_text(story.body)), query.terms
            )
            story.snippet_parts = search_text.snippet(passage, query.terms)
    response = render(
        request,
        "articles/search.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "max_length": search_text.MAX_QUERY_LENGTH,
        },
    )
    if form.errors:
        return response  # a form error is the reader's own: never kept
    return depends_on(response, dependencies.search_page())
