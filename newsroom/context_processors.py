from django.conf import settings
from django.urls import reverse_lazy, translate_url


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_CONTACT_EMAIL": settings.SITE_CONTACT_EMAIL,
        "SITE_LEGAL": settings.SITE_LEGAL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        # The privacy text (an accounts template) says whether newsletter opens are tracked.
        "NEWSLETTER_OPEN_TRACKING": settings.NEWSLETTER_OPEN_TRACKING,
        # The front page, for the apps below articles that link to it (accounts' pages).
        # Lazy: reversed only by a page that shows it, in that page's language.
        "home_url": reverse_lazy("articles:home"),
        # Templates call this only where a language switch is shown.
        "language_url": lambda: {
            code: translate_url(request.get_full_path(), code) for code, _name in settings.LANGUAGES
        },
    }
