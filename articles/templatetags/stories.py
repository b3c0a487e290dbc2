"""Template tags of the reader pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import sanitize
from articles.search.text import without_control_characters

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


# As Django's json_script: "<", ">" and "&" as JSON escapes, so a headline holding
# "</script>" cannot end the block early.
_JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict):
    """A JSON-LD data block (not a script: the strict CSP has nothing to allow)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_IN_HTML)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def xml_text(value) -> str:
    """Text for an XML document: without the control characters XML 1.0 cannot carry."""
    return without_control_characters(str(value))
