from django.urls import path

from media import views

app_name = "media"

urlpatterns = [
    path("", views.photo_list, name="list"),
    path("upload/", views.photo_upload, name="upload"),
    path("picker/", views.photo_picker, name="picker"),
    path("portrait/", views.choose_portrait, name="portrait"),
    path("<int:photo_id>/", views.photo_edit, name="edit"),
    path("<int:photo_id>/original/", views.photo_original, name="original"),
]
