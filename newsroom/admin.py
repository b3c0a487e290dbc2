from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom import outbox
from newsroom.admin_base import ReadOnlyAdmin
from newsroom.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["pk", "task_name", "status", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name"]
    actions = ["requeue"]

    @admin.action(description=_("Try the selected failed tasks again"))
    def requeue(self, request, queryset):
        count = outbox.requeue(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%d task will be tried again.", "%d tasks will be tried again.", count)
            % count,
            messages.SUCCESS,
        )
