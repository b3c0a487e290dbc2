"""Methods no page of the site answers, refused before any view runs. A view that does not
check its method answers every one as a GET: TRACE would echo the request back (a proxy's
headers, a cookie it added) and CONNECT asks for a tunnel."""

from django.http import HttpResponseNotAllowed

REFUSED = frozenset({"TRACE", "CONNECT"})


class RefusedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED:
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return self.get_response(request)
