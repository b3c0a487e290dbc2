import re

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from accounts.errors import NotAllowed
from accounts.models import StaffProfile
from accounts.permissions import desk_view
from media import imaging, library, selectors
from media.errors import StaleEdit
from media.forms import PhotoDetailsForm, UploadForm
from media.models import Photo
from media.permissions import can_edit, can_set_portrait

PAGE_SIZE = 24
# A picker's choice is posted only to a desk page of this site, in either language.
DESK_URL = re.compile(r"^(/en)?/desk/[\w/-]*$")


@desk_view("media.view_photo")
@require_GET
def photo_list(request):
    query = request.GET.get("q", "")
    page = Paginator(selectors.library(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "media/photo_list.html",
        {"page": page, "query": query, "upload_form": UploadForm(), "limits": _limits()},
    )


@desk_view("media.add_photo")
@require_POST
def photo_upload(request):
    """Each file on its own: one bad file never loses the others. The page's script sends
    one file per request (for its progress bar) and reads JSON, with a new photo's card for
    the list; without script the form posts them all, the outcome of each comes back as a
    message and the list, newest first, starts with them."""
    form = UploadForm(request.POST, request.FILES)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"results": [], "error": form.errors.get_json_data()}, status=400)
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("media:list")
    results = [
        _upload_one(request, file, form.cleaned_data) for file in request.FILES.getlist("files")
    ]
    if wants_json:
        for result in results:
            if result["status"] == "created":
                # The script puts it at the top of the list, as the list would show it.
                photo = selectors.library().get(pk=result["photo"]["id"])
                result["photo"]["card"] = render_to_string(
                    "media/photo_card.html", {"photo": photo}, request
                )
        status = 400 if all(result["status"] == "rejected" for result in results) else 200
        return JsonResponse({"results": results}, status=status)
    for result in results:
        level = messages.ERROR if result["status"] == "rejected" else messages.SUCCESS
        messages.add_message(request, level, f"{result['name']}: {result['message']}")
    return redirect("media:list")


def _upload_one(request, file, details: dict) -> dict:
    try:
        outcome = library.upload(
            file,
            actor=request.user,
            caption=details["caption"],
            credit=details["credit"],
            alt_text=details["alt_text"],
            tags=details["tags"],
        )
    except imaging.ImageRejected as rejection:
        return {"name": file.name, "status": "rejected", "message": str(rejection.message)}
    photo = outcome.photo
    return {
        "name": file.name,
        "status": "created" if outcome.created else "duplicate",
        "message": (
            _("Uploaded.")
            if outcome.created
            else _("This picture is already in the library: the existing photo is kept.")
        ),
        "photo": {"id": photo.pk, "url": reverse("media:edit", args=[photo.pk])},
    }


@desk_view("media.view_photo")
def photo_edit(request, photo_id: int):
    try:
        photo = selectors.photo_for_editing(photo_id)
    except Photo.DoesNotExist:
        raise Http404 from None
    editable = can_edit(request.user, photo)
    stale = False
    if request.method == "POST":
        if not editable:
            raise NotAllowed
        form = PhotoDetailsForm(request.POST)
        if form.is_valid():
            try:
                library.update_details(photo, actor=request.user, **form.details())
            except StaleEdit as error:
                # Keep what they typed; show the newer saved version beside it.
                stale = True
                form.add_error(None, str(error))
                form.data = form.data.copy()
                form.data["version"] = str(Photo.objects.get(pk=photo.pk).version)
                photo = selectors.photo_for_editing(photo_id)
            else:
                messages.success(request, _("The photo's details were saved."))
                return redirect("media:edit", photo_id=photo.pk)
    else:
        form = PhotoDetailsForm.for_photo(photo)
    return render(
        request,
        "media/photo_edit.html",
        {
            "photo": photo,
            "form": form,
            "editable": editable,
            "stale": stale,
            "events": photo.events.all()[:20],
            "share_rendition": next(
                (r for r in photo.renditions.all() if r.spec == imaging.SHARE_SPEC.name), None
            ),
        },
    )


@desk_view("media.view_photo")
@require_GET
def photo_original(request, photo_id: int):
    """Staff only: the file exactly as uploaded, metadata and all."""
    photo = get_object_or_404(Photo, pk=photo_id)
    response = FileResponse(
        photo.original.open("rb"), content_type=imaging.CONTENT_TYPES[photo.format]
    )
    response["Content-Disposition"] = (
        f'inline; filename="photo-{photo.pk}.{imaging.EXTENSIONS[photo.format]}"'
    )
    response["Cache-Control"] = "private, no-store"
    # Even if a crafted file fooled every check, it cannot run as a page here.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@desk_view("media.view_photo")
@require_GET
def photo_picker(request):
    """Search and choose a photo. Each choice posts to `target` (a desk URL); the picker
    script shows this page inside a dialog on the calling page."""
    query = request.GET.get("q", "")
    target = request.GET.get("target", "")
    if not DESK_URL.match(target):
        raise Http404
    page = Paginator(selectors.library(query), 12).get_page(request.GET.get("page"))
    template = (
        "media/picker_results.html"
        if request.headers.get("X-Requested-With") == "fetch"
        else "media/picker.html"
    )
    return render(request, template, {"page": page, "query": query, "target": target})


@desk_view("media.view_photo")
@require_POST
def choose_portrait(request):
    profile = get_object_or_404(StaffProfile, user=request.user)
    if not can_set_portrait(request.user, profile):
        raise NotAllowed
    photo_id = request.POST.get("photo", "")
    if not photo_id.isdigit():
        raise Http404
    photo = get_object_or_404(Photo, pk=photo_id)
    library.set_portrait(profile, photo, actor=request.user)
    messages.success(request, _("Your portrait was changed."))
    return redirect(settings.STAFF_PROFILE_URL)


def public_file(request, path: str):
    """Renditions under MEDIA_URL for `make run`; in production the web server or the
    object store serves them. Their names hold a content hash, so they never change."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _limits() -> dict:
    return {
        "megabytes": settings.PHOTO_MAX_BYTES // (1024 * 1024),
        "megapixels": settings.PHOTO_MAX_PIXELS // 1_000_000,
    }
