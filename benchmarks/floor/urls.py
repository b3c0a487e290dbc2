import os

from django.http import HttpResponse
from django.urls import path

# Built once, when the process starts: the view only hands it over.
SIZE = int(os.environ.get("FLOOR_BYTES", "1000"))
BODY = (b"<!doctype html>" + b"." * SIZE)[:SIZE]


def page(request):
    return HttpResponse(BODY)


urlpatterns = [path("", page)]
