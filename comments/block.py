"""The comment block under a story: what the article page's template tag and the comment
views draw. Anonymous readers all get the same HTML (a log-in link, no form, no token), so
the article page stays cacheable; a signed-in reader's block carries their forms, their
held comments and their votes."""

from django.contrib.auth.views import redirect_to_login
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from articles.models import Article
from comments import moderation, permissions, rules, selectors
from comments.forms import CommentForm
from comments.models import CommentReport
from newsroom import inputs

# The block's own query parameters on the article page's address.
SORT, PAGE = "csort", "cpage"
SORT_LABELS = [
    ("newest", pgettext_lazy("comment order", "Newest")),
    ("liked", pgettext_lazy("comment order", "Most liked")),
]


def position(request) -> tuple[str, int]:
    """The sort and page the reader was looking at: from the address, or from the hidden
    fields of a form posted from the block."""
    source = request.POST if request.method == "POST" else request.GET
    sort = source.get(SORT, "")
    page = source.get(PAGE, "")
    return sort, max(inputs.number(page, 1), 1)


def _query(sort: str, page: int) -> str:
    params = {}
    if sort and sort != selectors.DEFAULT_SORT:
        params[SORT] = sort
    if page > 1:
        params[PAGE] = page
    return f"?{urlencode(params)}" if params else ""


def address(story: Article, *, sort: str = "", page: int = 1, anchor: str = "comments") -> str:
    """The article page showing this sort and page of its comments."""
    return f"{story.get_absolute_url()}{_query(sort, page)}#{anchor}"


def own_page(story: Article, *, sort: str = "", page: int = 1, anchor: str = "comments") -> str:
    """The story's comments on a page of their own, drawn for the reader who asks: where
    a reader without script writes, and comes back to after posting (the article page is
    the same for everyone and carries no form)."""
    path = reverse("comments:block", args=[story.pk])
    return f"{path}{_query(sort, page)}#{anchor}"


# context()'s refusal when the caller has not looked it up (None: the reader may take part).
ASK = object()


def context(
    request,
    story: Article,
    *,
    form: CommentForm | None = None,
    notice=None,
    refusal=ASK,
) -> dict:
    """Everything block.html needs. `form` is a refused form to show again with its text
    (top-level or a reply, by its parent); `notice` a line for the reader (after a script's
    post, which gets no messages); `refusal` when the caller has looked it up."""
    viewer = request.user
    sort, page = position(request)
    data = selectors.block(story.pk, viewer=viewer, sort=sort, page=page)
    if refusal is ASK:
        refusal = permissions.refusal(viewer) if viewer.is_authenticated else None
    reply_form = form if form is not None and form.parent_id else None
    top_form = form if form is not None and reply_form is None else CommentForm()
    login = signup = ""
    if not viewer.is_authenticated:
        # Both come back to the story's comments, where the reader writes.
        login = redirect_to_login(own_page(story)).url
        signup = f"{reverse('account_signup')}?{urlencode({'next': own_page(story)})}"
    return {
        "story": story,
        "block": data,
        "window": moderation.comment_window(story),
        "refusal": refusal,
        "form": top_form,
        "reply_form": reply_form,
        "notice": notice,
        "login_url": login,
        "signup_url": signup,
        "max_bytes": rules.MAX_BYTES,
        "max_hangul": rules.MAX_HANGUL,
        "reasons": CommentReport.Reason.choices,
        "sorts": [
            (label, address(story, sort=key), key == data.sort) for key, label in SORT_LABELS
        ],
        "pages": [
            (number, address(story, sort=data.sort, page=number), number == data.page)
            for number in range(1, data.pages + 1)
            if abs(number - data.page) <= 4 or number in (1, data.pages)
        ],
        "fragment_url": reverse("comments:block", args=[story.pk]),
    }


def render(request, story: Article, *, csrf_token=None, **options) -> str:
    """block.html for this reader; with `csrf_token`, that stands in for theirs (a block
    kept for every reader, each one's token put in when it is handed out)."""
    values = context(request, story, **options)
    if csrf_token is not None:
        values["csrf_token"] = csrf_token
    return render_to_string("comments/block.html", values, request=request)
