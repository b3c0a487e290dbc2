"""The admin's part in comments: which sections each moderator works on, for editors (who
manage roles) and superusers. Comments, readers and the word list are moderated on the desk
(/desk/comments/), where every change goes through comments.moderation and is logged."""

from django.contrib import admin

from comments.models import ModeratorScope


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    list_display = ["user"]
    filter_horizontal = ["sections"]
    autocomplete_fields = ["user"]
