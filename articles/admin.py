from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.errors import NotAllowed
from accounts.roles import role_can
from articles import diffs, partners, permissions, selectors, webhooks, workflow
from articles.errors import StaleVersion, StoryRefused
from articles.labels import field_label, reason_label
from articles.models import (
    Article,
    ArticleEvent,
    Assignment,
    Beat,
    DeskSection,
    IssueDelivery,
    IssueEvent,
    IssueStory,
    Newsletter,
    NewsletterIssue,
    Partner,
    PartnerEvent,
    PlanningEvent,
    PlanningItem,
    PressClaim,
    Section,
    Series,
    Tag,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from newsroom import inputs
from newsroom.admin_base import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "parent",
        "slug",
        "order",
        "is_active",
        "comment_mode",
        "comments_close_after_days",
    ]
    list_filter = ["is_active", "parent"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    """What readers may subscribe to. Its issues are composed and sent on the newsletters
    desk (/desk/newsletters/), its subscribers change only through their own links."""

    list_display = ["name", "kind", "section", "reporter", "is_active", "position"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["section", "reporter"]


class IssueStoryInline(ReadOnlyInline):
    model = IssueStory
    fields = ["position", "article"]


class IssueEventInline(ReadOnlyInline):
    model = IssueEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor_name", "note"]


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(ReadOnlyAdmin):
    """Newsletter issues, read here for audits; the newsletters desk
    (articles.newsletters.issues) makes every change."""

    list_display = ["subject", "newsletter", "status", "send_at", "started_at", "recipient_count"]
    list_filter = ["status", "newsletter"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    list_select_related = ["newsletter"]
    inlines = [IssueStoryInline, IssueEventInline]


@admin.register(IssueDelivery)
class IssueDeliveryAdmin(ReadOnlyAdmin):
    """Each recipient of each issue, read here to answer "did my newsletter go out?" and
    for audits; sending (articles.newsletters.sending) and the provider's reports
    (articles.newsletters.bounces) make every change. Recipients' addresses are personal
    data: no role carries this page, the desk shows the counts."""

    list_display = [
        "recipient",
        "issue",
        "status",
        "attempts",
        "possible_duplicate",
        "sent_at",
        "delivered_at",
        "opened_at",
    ]
    list_filter = ["status", "possible_duplicate", "issue"]
    search_fields = ["subscription__subscriber__email", "message_id"]
    list_select_related = ["issue", "subscription__subscriber"]
    list_per_page = 100
    # Counting 50,000 rows again for the "show all" link and each filter is not needed.
    show_full_result_count = False

    @admin.display(description=_("e-mail"), ordering="subscription__subscriber__email")
    def recipient(self, delivery):
        return delivery.subscription.subscriber.email


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        obj.name = Tag.normalise(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(Beat)
class BeatAdmin(admin.ModelAdmin):
    list_display = ["profile", "section"]
    list_select_related = ["profile", "section"]


@admin.register(DeskSection)
class DeskSectionAdmin(admin.ModelAdmin):
    """The sections whose submitted stories each editor is told of (editors also choose
    theirs on the desk: /desk/notifications/settings/)."""

    list_display = ["user", "section"]
    list_filter = ["section"]
    list_select_related = ["user", "section"]
    search_fields = ["user__email", "section__name"]


class EventInline(ReadOnlyInline):
    model = ArticleEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor_name", "note"]


class TrashFilter(admin.SimpleListFilter):
    """The changelist leaves spiked stories out unless asked for the trash."""

    title = _("trash")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("only", _("In the trash")), ("all", _("Everything"))]

    def choices(self, changelist):
        for lookup, title in ((None, _("Not in the trash")), *self.lookup_choices):
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup} if lookup else {}, [self.parameter_name]
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "only":
            return queryset.filter(status=Article.Status.SPIKED)
        if self.value() == "all" or request.GET.get("status__exact") == Article.Status.SPIKED:
            return queryset
        return queryset.exclude(status=Article.Status.SPIKED)


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    """Stories are read here; every action goes through articles.workflow."""

    list_display = ["headline", "section", "status", "published_at", "revisions_link"]
    list_per_page = 50
    list_filter = [TrashFilter, "status", "section"]
    search_fields = ["headline", "summary"]
    date_hierarchy = "created_at"
    list_select_related = ["section"]
    inlines = [EventInline]
    actions = ["publish_now", "cancel_schedules", "republish"]

    def get_queryset(self, request):
        # Reporters reach the admin too (their role makes them staff): only their stories.
        stories = super().get_queryset(request)
        if permissions.is_editor(request.user):
            return stories
        return stories.filter(pk__in=selectors.stories_of(request.user).values("pk"))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    @admin.display(description=_("Revisions"))
    def revisions_link(self, article):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_revisions", args=[article.pk]),
            _("Revisions and differences"),
        )

    def get_urls(self):
        return [
            path(
                "<int:article_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="articles_article_revisions",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request, article_id: int):
        """The story's revisions, a diff of any two, and restoring one."""
        article = get_object_or_404(Article, pk=article_id)
        if not role_can(request.user, "articles.view_article"):
            raise PermissionDenied
        if not permissions.can_view(request.user, article):
            raise Http404  # as on the desk: another reporter's draft is not there for them
        revisions = list(article.revisions.all())
        for revision in revisions:
            revision.reason_label = reason_label(revision.reason)
        by_number = {revision.number: revision for revision in revisions}
        if request.method == "POST":
            revision = by_number.get(inputs.number(request.POST.get("restore")))
            if revision is None:
                raise PermissionDenied
            try:
                workflow.restore_revision(
                    article,
                    revision,
                    actor=request.user,
                    base_version=inputs.number(request.POST.get("base_version"), 0),
                )
            except (NotAllowed, StaleVersion) as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Revision #%(number)s restored.") % {"number": revision.number}
                )
            return redirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        newest = revisions[0].number if revisions else 0
        older = by_number.get(inputs.number(request.GET.get("from"), newest - 1))
        newer = by_number.get(inputs.number(request.GET.get("to"), newest))
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Revisions of “%(headline)s”") % {"headline": article.headline},
                "article": article,
                "revisions": revisions,
                "older": older,
                "newer": newer,
                "diff": [
                    (field_label(change.field), change.lines)
                    for change in (
                        diffs.compare(older.content, newer.content) if older and newer else []
                    )
                ],
                "can_restore": permissions.can_edit(request.user, article),
            },
        )

    def _each(self, request, queryset, act, done_message):
        done = 0
        for article in queryset:
            try:
                act(article)
            except (NotAllowed, StoryRefused) as error:
                messages.warning(request, f"{article.headline}: {error}")
            else:
                done += 1
        if done:
            messages.success(request, done_message(done))

    @admin.action(description=_("Publish the selected stories now"))
    def publish_now(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda article: workflow.publish(article, actor=request.user),
            lambda count: ngettext("%d story published.", "%d stories published.", count) % count,
        )

    @admin.action(description=_("Cancel the schedule of the selected stories"))
    def cancel_schedules(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda article: workflow.cancel_schedule(article, actor=request.user),
            lambda count: (
                ngettext("%d schedule cancelled.", "%d schedules cancelled.", count) % count
            ),
        )

    @admin.action(description=_("Republish the selected stories"))
    def republish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda article: workflow.republish(article, actor=request.user),
            lambda count: (
                ngettext("%d story republished.", "%d stories republished.", count) % count
            ),
        )


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["reporter", "due_at", "status", "decline_reason", "article", "answered_at"]


class PlanningEventInline(ReadOnlyInline):
    model = PlanningEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor_name", "note"]


@admin.register(PlanningItem)
class PlanningItemAdmin(ReadOnlyAdmin):
    """The planning board, read here for audits; the desk's board (articles.planning)
    makes every change."""

    list_display = ["slugline", "section", "target_at", "priority", "status"]
    list_filter = ["status", "priority", "section"]
    search_fields = ["slugline", "angle"]
    date_hierarchy = "target_at"
    list_select_related = ["section"]
    inlines = [AssignmentInline, PlanningEventInline]


@admin.register(PlanningEvent)
class PlanningEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "slugline", "action", "actor_name"]
    list_filter = ["action"]
    search_fields = ["slugline", "actor_name", "note"]


@admin.register(PressClaim)
class PressClaimAdmin(ReadOnlyAdmin):
    """Press-arbitration claims, read here for audits; the desk's claims pages
    (articles.claims) make every change."""

    list_display = ["received_on", "kind", "claimant", "article", "status", "out_of_window"]
    list_filter = ["status", "kind", "out_of_window"]
    search_fields = ["claimant", "article__headline"]
    date_hierarchy = "received_on"
    list_select_related = ["article"]


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address on the public internet. Redirects are not followed."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["partner", "name", "url", "events", "is_active"]


def events_shown(endpoint: WebhookEndpoint) -> str:
    labels = dict(WebhookEvent.choices)
    return ", ".join(str(labels.get(event, event)) for event in endpoint.events)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """A partner's webhook. The signing secret is made with the endpoint and shown once, on
    the page after saving it (and after a rotation); never in a form or a list."""

    form = WebhookEndpointForm
    list_display = [
        "name",
        "partner",
        "url",
        "events_shown",
        "is_active",
        "created_at",
        "deliveries_link",
    ]
    # The partner filter's "-" choice lists the endpoints migration 0019 left unowned.
    list_filter = ["is_active", "partner"]
    list_select_related = ["partner"]
    search_fields = ["name", "url", "partner__name"]
    actions = ["rotate_secrets"]

    @admin.display(description=_("events"))
    def events_shown(self, endpoint):
        return events_shown(endpoint)

    @admin.display(description=_("deliveries"))
    def deliveries_link(self, endpoint):
        url = reverse("admin:articles_webhookdelivery_changelist")
        return format_html(
            '<a href="{}?endpoint__id__exact={}">{}</a>', url, endpoint.pk, _("deliveries")
        )

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_secrets(request, [(obj, obj.secret)])

    @admin.action(
        description=_("Make new signing secrets for the selected endpoints"),
        permissions=["change"],
    )
    def rotate_secrets(self, request, queryset):
        shown = []
        for endpoint in queryset:
            shown.append((endpoint, webhooks.rotate_secret(endpoint)))
            # The admin's history of the endpoint says when its secret changed (not to what).
            self.log_change(request, endpoint, [{"changed": {"fields": ["secret"]}}])
        return self._show_secrets(request, shown)

    def _show_secrets(self, request, shown):
        # Rendered in the POST's answer, never put in a message (a cookie) or a later page.
        response = TemplateResponse(
            request,
            "admin/articles/webhookendpoint/secret.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Signing secret"),
                "opts": self.model._meta,
                "shown": shown,
            },
        )
        response["Cache-Control"] = "no-store"
        return response


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """What each partner was sent and how it went; written only by articles.webhooks."""

    list_display = [
        "created_at",
        "endpoint",
        "event",
        "story",
        "status",
        "attempts",
        "last_status_code",
        "error_shown",
        "finished_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint", "article"]
    list_per_page = 50
    search_fields = ["=uuid", "article__headline"]
    fields = [
        "uuid",
        "endpoint",
        "event",
        "event_id",
        "article",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "started_at",
        "finished_at",
        "payload",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("story"))
    def story(self, delivery):
        return (
            delivery.article.headline
            if delivery.article
            else delivery.payload.get("story", {}).get("headline", "")
        )

    @admin.display(description=_("last error"))
    def error_shown(self, delivery):
        return delivery.last_error[:120]

    @admin.action(description=_("Send the selected deliveries again"))
    def send_again(self, request, queryset):
        sent = 0
        for delivery in queryset:
            try:
                webhooks.redeliver(delivery, actor=request.user)
            except (NotAllowed, StoryRefused) as error:
                messages.warning(request, f"{delivery}: {error}")
            else:
                sent += 1
        if sent:
            messages.success(
                request,
                ngettext("%d delivery queued again.", "%d deliveries queued again.", sent) % sent,
            )


class WebhookEndpointInline(ReadOnlyInline):
    """The partner's endpoints; each is registered and changed on its own page (where its
    address is checked and its secret shown once)."""

    model = WebhookEndpoint
    fields = ["name", "url", "events_list", "is_active"]
    show_change_link = True

    @admin.display(description=_("events"))
    def events_list(self, endpoint):
        return events_shown(endpoint)


class PartnerEventInline(ReadOnlyInline):
    model = PartnerEvent
    fields = ["created_at", "action", "actor_name", "data"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """The content API's partners (articles.api). Made, changed and given new keys through
    articles.partners; a new key is shown once, on the page after the save, never kept."""

    list_display = ["name", "is_active", "rate_per_minute", "key_prefix", "key_rotated_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [WebhookEndpointInline, PartnerEventInline]
    actions = ["rotate_keys"]

    def get_inlines(self, request, obj):
        # A partner being made has no endpoints yet: they are registered once it exists.
        return [PartnerEventInline] if obj is None else self.inlines

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "is_active", "rate_per_minute"]
        return [*self.get_fields(request), "key_prefix", "created_at", "key_rotated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["name", "key_prefix", "created_at", "key_rotated_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # switched off instead: its history stays with it

    def save_model(self, request, obj, form, change):
        if change:
            partners.change_partner(
                obj,
                actor=request.user,
                is_active=obj.is_active,
                rate_per_minute=obj.rate_per_minute,
            )
            return
        partner, key = partners.create_partner(
            obj.name,
            actor=request.user,
            rate_per_minute=obj.rate_per_minute,
            is_active=obj.is_active,
        )
        # The admin goes on with the form's object (its log entry, the next page).
        for field in Partner._meta.concrete_fields:
            setattr(obj, field.attname, getattr(partner, field.attname))
        obj._state.adding, obj._state.db = False, partner._state.db
        request.new_partner_keys = [(partner, key)]

    def response_add(self, request, obj, post_url_continue=None):
        return self._keys_page(request, request.new_partner_keys)

    @admin.action(description=_("Give the selected partners new keys"))
    def rotate_keys(self, request, queryset):
        keys = [(partner, partners.rotate_key(partner, actor=request.user)) for partner in queryset]
        return self._keys_page(request, keys)

    def _keys_page(self, request, keys):
        response = TemplateResponse(
            request,
            "admin/articles/partner/keys.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("API keys"),
                "keys": keys,
            },
        )
        # The page holds working keys: no cache, no back-button copy.
        response["Cache-Control"] = "no-store"
        return response
