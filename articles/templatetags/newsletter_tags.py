"""The newsletters' part of the reader's my page (settings.MEMBER_PAGE_SECTIONS).

- `{% my_newsletters %}`: every newsletter offered with the reader's state in it and a
  button to subscribe or unsubscribe (two queries: the newsletters, the subscriptions).
"""

from django import template

from articles.newsletters import subscriptions

register = template.Library()


@register.inclusion_tag("articles/newsletters/my_newsletters.html", takes_context=True)
def my_newsletters(context):
    request = context["request"]
    subscriber, mine = subscriptions.of_reader(request.user)
    rows = [(newsletter, mine.get(newsletter.pk)) for newsletter in subscriptions.offered()]
    return {
        "request": request,
        "rows": rows,
        "subscriber": subscriber,
        "consent_text": subscriptions.CONSENT_TEXT,
        "csrf_token": context.get("csrf_token"),
    }
