"""The newsletters' part of the reader's my page (settings.MEMBER_PAGE_SECTIONS).

- `{% my_newsletters %}`: every newsletter offered with the reader's state in it and a
  button to subscribe or unsubscribe (one query: articles.newsletters.selectors).
"""

from django import template

from articles.newsletters import selectors, subscriptions

register = template.Library()


@register.inclusion_tag("articles/newsletters/my_newsletters.html", takes_context=True)
def my_newsletters(context):
    request = context["request"]
    newsletters = selectors.for_reader(request.user)
    return {
        "request": request,
        "newsletters": newsletters,
        "suspended": any(newsletter.my_suspended_at for newsletter in newsletters),
        "consent_text": subscriptions.CONSENT_TEXT,
        "csrf_token": context.get("csrf_token"),
    }
