from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import HistoryActionFilter
from media.models import Photo, PhotoEvent, StaffPortrait
from newsroom.admin_base import ReadOnlyAdmin


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ["pk", "caption", "credit", "format", "width", "height", "uploaded_at"]
    list_filter = ["format"]
    search_fields = ["caption", "credit", "alt_text", "content_hash"]
    date_hierarchy = "uploaded_at"
    # Originals are private: staff open them through the desk (media:original), never a URL.
    exclude = ["original"]


@admin.register(PhotoEvent)
class PhotoEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action_label", "photo", "actor_name"]
    list_filter = [HistoryActionFilter]
    list_select_related = ["photo"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return obj.get_action_display()


@admin.register(StaffPortrait)
class StaffPortraitAdmin(ReadOnlyAdmin):
    list_display = ["profile", "photo", "updated_at"]
    list_select_related = ["profile", "photo"]
