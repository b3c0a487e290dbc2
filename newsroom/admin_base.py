from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by a state-change module (history, outbox, library): the
    admin shows them for audits and never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
