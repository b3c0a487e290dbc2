"""An issue as an e-mail that webmail shows as it was meant: Naver Mail, Daum Mail and Gmail
drop or rewrite <style> blocks, so the layout is tables at most 600 px wide and every style
is inlined (premailer, from the template's one stylesheet); a text part goes with it.

An issue is rendered once (the slow part: inlining), then made into each recipient's
message by putting their own links in place of markers, so sending 50,000 costs one
rendering, not 50,000."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from premailer import Premailer

from articles import selectors
from articles.models import Article
from media.imaging import WIDTH_SPECS
from newsroom.links import absolute_url

# What a recipient's own links replace in the rendered issue (URL-safe, so inlining and
# escaping leave them as they are).
UNSUBSCRIBE_MARK = "NEWSLETTER-UNSUBSCRIBE-URL"
OPEN_MARK = "NEWSLETTER-OPEN-URL"
# Photos are shown 560 px wide; twice that keeps them sharp on phones' dense screens.
PHOTO_WIDTH = 1120
_WIDTH_SPECS = {spec.name for spec in WIDTH_SPECS}


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str
    text: str


def issue_stories(issue) -> list[Article]:
    """The issue's stories in the editor's order, those still published only (one picked and
    unpublished since is left out), each with `email_photo` (a JPEG rendition to show, or
    None) and `email_url`. Four queries whatever their number: the picks, the stories,
    their lead photos and the photos' renditions."""
    order = {pick.article_id: pick.position for pick in issue.picks.all()}
    stories = list(
        selectors.for_lists(selectors.published().filter(pk__in=order)).select_related("section")
    )
    stories.sort(key=lambda story: (order[story.pk], story.pk))
    selectors.attach_lead_photos(stories)
    for story in stories:
        use = story.lead_uses[0] if story.lead_uses else None
        story.email_photo = _email_rendition(use.photo) if use else None
        story.email_photo_alt = (use.photo.alt_text or story.headline) if use else ""
        story.email_url = absolute_url(story.get_absolute_url())
    return stories


def _email_rendition(photo):
    jpeg = [
        rendition
        for rendition in photo.renditions.all()
        if rendition.format == "JPEG" and rendition.spec in _WIDTH_SPECS
    ]
    if not jpeg:
        return None
    chosen = min(jpeg, key=lambda rendition: abs(rendition.width - PHOTO_WIDTH))
    chosen.absolute_url = absolute_url(chosen.file.url)
    return chosen


def render_issue(issue, *, stories: list[Article] | None = None) -> RenderedIssue:
    """The issue's subject, HTML (inlined) and text, in the site's language, with markers
    where each recipient's unsubscribe link (and open-tracking image) go."""
    stories = issue_stories(issue) if stories is None else stories
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "stories": stories,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "brand_color": settings.SITE_BRAND_COLOR,
        "contact_email": settings.SITE_CONTACT_EMAIL,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "open_url": OPEN_MARK if settings.NEWSLETTER_OPEN_TRACKING else "",
        "year": timezone.localdate().year,
    }
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("articles/newsletters/email.html", context)
        text = render_to_string("articles/newsletters/email.txt", context)
    inlined = Premailer(
        html,
        # Media queries cannot be inlined: they stay in a <style> block for the clients
        # that read one (Gmail's app, Apple Mail) and the rest show the 600 px table.
        keep_style_tags=False,
        remove_classes=False,
        strip_important=False,
        cssutils_logging_level="CRITICAL",
        disable_validation=True,
    ).transform()
    return RenderedIssue(subject=issue.subject, html=inlined, text=text)


def message(
    rendered: RenderedIssue,
    *,
    to: str,
    unsubscribe_url: str,
    open_url: str = "",
    headers: dict[str, str] | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """One recipient's message of a rendered issue: their links in place of the markers."""
    html = rendered.html.replace(UNSUBSCRIBE_MARK, escape(unsubscribe_url)).replace(
        OPEN_MARK, escape(open_url)
    )
    text = rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe_url)
    mail = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    mail.attach_alternative(html, "text/html")
    return mail
