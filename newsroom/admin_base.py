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


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside their parent and never changed there (history, answers)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
