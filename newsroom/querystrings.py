"""A query string Django refuses to parse (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS)
is answered with the 400 page before anything reads it.

Django raises TooManyFieldsSent on every read of request.GET, not only the first: the page
cache reads it before any view, and when DEBUG is on Django's own error page reads it again
while reporting the first refusal, which turned a 1,500-parameter search into a 500. As
Django does for a body it cannot parse, the request keeps an empty QueryDict after the
refusal, so whatever reports it (the debug page, a log handler) reads nothing."""

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict


class QueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING"):
            try:
                request.GET  # noqa: B018 (parsed here, once, for everything after)
            except TooManyFieldsSent:
                request.GET = QueryDict()
                raise  # Django logs it as a security event and answers with handler400
        return self.get_response(request)
