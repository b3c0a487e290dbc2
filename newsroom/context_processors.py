from django.conf import settings
from django.urls import reverse, translate_url


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_CONTACT_EMAIL": settings.SITE_CONTACT_EMAIL,
        "SITE_LEGAL": settings.SITE_LEGAL,
        # The front page, for the apps below articles that link to it (accounts' pages).
        "home_url": reverse("articles:home"),
        # Templates call this only where a language switch is shown.
        "language_url": lambda: {
            code: translate_url(request.get_full_path(), code) for code, _name in settings.LANGUAGES
        },
    }
