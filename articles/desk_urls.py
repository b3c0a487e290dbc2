from django.urls import path

from articles.views.desk import (
    claims,
    front,
    history,
    newsletters,
    notes,
    notifications,
    planning,
    preview_links,
    review,
    sharing,
    stories,
    trash,
)

app_name = "story_desk"

urlpatterns = [
    path("", stories.dashboard, name="dashboard"),
    path("articles/new/", stories.story_new, name="new"),
    path("articles/<int:article_id>/edit/", stories.story_edit, name="edit"),
    path("articles/<int:article_id>/autosave/", stories.story_autosave, name="autosave"),
    path("articles/<int:article_id>/release/", stories.story_release, name="release"),
    path("articles/<int:article_id>/preview/", stories.story_preview, name="preview"),
    path("articles/<int:article_id>/history/", history.history, name="history"),
    path("articles/<int:article_id>/decide/<str:decision>/", review.decide, name="decide"),
    path("articles/<int:article_id>/spike/", trash.spike, name="spike"),
    path(
        "articles/<int:article_id>/share-links/",
        preview_links.share_link_create,
        name="share-link-create",
    ),
    path(
        "share-links/<int:link_id>/revoke/",
        preview_links.share_link_revoke,
        name="share-link-revoke",
    ),
    path(
        "articles/<int:article_id>/sharing/<int:delivery_id>/rerun/",
        sharing.share_rerun,
        name="share-rerun",
    ),
    path("articles/<int:article_id>/notes/", notes.note_post, name="note-post"),
    path(
        "articles/<int:article_id>/notes/<int:note_id>/resolve/",
        notes.note_resolve,
        name="note-resolve",
    ),
    path(
        "articles/<int:article_id>/notes/<int:note_id>/reopen/",
        notes.note_reopen,
        name="note-reopen",
    ),
    path(
        "articles/<int:article_id>/notes/colleagues/",
        notes.colleagues,
        name="note-colleagues",
    ),
    path("front/", front.front, name="front"),
    path("queue/", review.queue, name="queue"),
    path("schedule/", review.schedule, name="schedule"),
    path("trash/", trash.trash, name="trash"),
    path("trash/<int:article_id>/restore/", trash.restore, name="restore"),
    path("notifications/", notifications.inbox, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.mark_read,
        name="notification-read",
    ),
    path("notifications/read-all/", notifications.mark_all_read, name="notifications-read-all"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification-settings",
    ),
    # The planning board (기획) and its assignments (배정).
    path("planning/", planning.board, name="planning"),
    path("planning/new/", planning.item_new, name="planning-new"),
    path("planning/<int:item_id>/", planning.item, name="planning-item"),
    path("planning/<int:item_id>/move/", planning.item_move, name="planning-move"),
    path("planning/<int:item_id>/cancel/", planning.item_cancel, name="planning-cancel"),
    path("planning/<int:item_id>/assign/", planning.item_assign, name="planning-assign"),
    path(
        "planning/assignments/<int:assignment_id>/accept/",
        planning.assignment_accept,
        name="assignment-accept",
    ),
    path(
        "planning/assignments/<int:assignment_id>/decline/",
        planning.assignment_decline,
        name="assignment-decline",
    ),
    path(
        "planning/assignments/<int:assignment_id>/start/",
        planning.assignment_start,
        name="assignment-start",
    ),
    # Press-arbitration claims (언론중재법: 정정·반론·추후보도 청구).
    path("claims/", claims.claim_list, name="claims"),
    path("claims/<int:claim_id>/", claims.claim_detail, name="claim"),
    path("claims/<int:claim_id>/answer/", claims.claim_answer, name="claim-answer"),
    path("claims/<int:claim_id>/publish/", claims.claim_publish, name="claim-publish"),
    path("claims/<int:claim_id>/close/", claims.claim_close, name="claim-close"),
    path("claims/<int:claim_id>/notice/", claims.claim_notice, name="claim-notice"),
    path("articles/<int:article_id>/claims/new/", claims.claim_new, name="claim-new"),
    # Newsletters (뉴스레터): composing and sending issues. The issues' addresses come before
    # a newsletter's own (a slug is one path segment).
    path("newsletters/", newsletters.newsletter_list, name="newsletters"),
    path(
        "newsletters/issues/<int:issue_id>/",
        newsletters.issue_page,
        name="newsletter-issue",
    ),
    path(
        "newsletters/issues/<int:issue_id>/preview/",
        newsletters.issue_preview,
        name="newsletter-preview",
    ),
    path(
        "newsletters/issues/<int:issue_id>/test/",
        newsletters.issue_test,
        name="newsletter-test",
    ),
    path(
        "newsletters/issues/<int:issue_id>/send/",
        newsletters.issue_send,
        name="newsletter-send",
    ),
    path(
        "newsletters/issues/<int:issue_id>/schedule/",
        newsletters.issue_schedule,
        name="newsletter-schedule",
    ),
    path(
        "newsletters/issues/<int:issue_id>/unschedule/",
        newsletters.issue_unschedule,
        name="newsletter-unschedule",
    ),
    path(
        "newsletters/issues/<int:issue_id>/cancel/",
        newsletters.issue_cancel,
        name="newsletter-cancel",
    ),
    path(
        "newsletters/issues/<int:issue_id>/stop/",
        newsletters.issue_stop,
        name="newsletter-stop",
    ),
    path(
        "newsletters/issues/<int:issue_id>/progress/",
        newsletters.issue_progress,
        name="newsletter-progress",
    ),
    path("newsletters/<str:slug>/", newsletters.newsletter_page, name="newsletter"),
    path("newsletters/<str:slug>/new/", newsletters.issue_new, name="newsletter-new"),
]
