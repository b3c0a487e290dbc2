"""Template tags of the reader pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles import sanitize

register = template.Library()


@register.simple_tag
def story_body(article):
    """The story's sanitized body with each photo placeholder drawn from its photo-use row
    (▲ caption, credit, responsive sizes). Placeholders of uses no longer there vanish."""
    uses = {use.pk: use for use in article.photo_uses.all()}
    html = sanitize.PLACEHOLDER.sub(
        lambda match: (
            render_to_string("articles/includes/photo_figure.html", {"use": uses[int(match[1])]})
            if int(match[1]) in uses
            else ""
        ),
        article.body,
    )
    # The body was cleaned against the allow-list when it was saved; the figures are ours.
    return mark_safe(html)


@register.inclusion_tag("articles/includes/headline_link.html")
def headline_link(story, css_class=""):
    return {"story": story, "css_class": css_class}
