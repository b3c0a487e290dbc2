"""The staff pages of the desk that accounts owns, under /desk/staff/. No app namespace: the
page keeps the name it has always had ("desk-staff")."""

from django.urls import path

from accounts.views import staff

urlpatterns = [
    path("", staff.staff, name="desk-staff"),
]
