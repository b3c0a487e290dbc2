"""Template tags of the reader pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import fragments, sanitize
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


@register.tag
def kept_story_part(parser, token):
    """{% kept_story_part article "name" %}...{% endkept_story_part %}: a part of the
    article page drawn from the story alone, kept (articles.fragments.story_part) except in
    a preview."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a story and the part's name")
    nodelist = parser.parse(("endkept_story_part",))
    parser.delete_first_token()
    return KeptStoryPart(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


class KeptStoryPart(template.Node):
    def __init__(self, nodelist, article, name):
        self.nodelist, self.article, self.name = nodelist, article, name

    def render(self, context):
        if context.get("preview"):
            return self.nodelist.render(context)
        return fragments.story_part(
            self.article.resolve(context),
            self.name.resolve(context),
            lambda: self.nodelist.render(context),
        )


@register.inclusion_tag("articles/includes/headline_link.html")
def headline_link(story, css_class=""):
    return {"story": story, "css_class": css_class}


# As Django's json_script: "<", ">" and "&" as JSON escapes, so a headline holding
# "</script>" cannot end the block early.
_JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict):
    """A JSON-LD data block (not a script: the strict CSP has nothing to allow)."""
    # dict(): the article page hands over a lazy object standing for the dict.
    text = json.dumps(dict(data), cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.translate(_JSON_IN_HTML)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def xml_text(value) -> str:
    """Text for an XML document: without the control characters XML 1.0 cannot carry."""
    return without_control_characters(str(value))
