"""Stories made the way the desk makes them (`Desk`: written by a reporter, published by the
editor, every step through articles.workflow), and the small newsroom they are filed in
(`Newsroom`). The fixtures `desk` and `newsroom` in tests/conftest.py hand them out."""

import re
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

import time_machine
from django.utils import timezone

from accounts import roles
from articles import sanitize, workflow
from articles.models import Article, Section, Series
from tests.factories import UserFactory

Status = Article.Status
# Where a story's body marks a photo: replaced by the placeholder of the story's Nth use.
PHOTO_TOKEN = re.compile(r"\[\[photo:(\d+)\]\]")


@dataclass
class Newsroom:
    industry: Section  # a top section
    electronics: Section  # its subsection
    finance: Section  # another top section
    series: Series


class Desk:
    """Stories made the way the desk makes them: written by a reporter, published by the
    editor, every step through articles.workflow."""

    def __init__(self, reporter, editor, section):
        self.reporter, self.editor, self.section = reporter, editor, section
        self._serial = 0

    def staff(self, byline: str):
        """Another reporter, for bylines."""
        self._serial += 1
        user = UserFactory(email=f"byline{self._serial}@example.com")
        roles.grant_role(user, roles.Role.REPORTER, actor=None)
        profile = user.staff_profile
        profile.byline_name = byline
        profile.save(update_fields=["byline_name"])
        return user

    def story(
        self,
        headline: str = "반도체 수출 석 달째 증가",
        *,
        state: str = Status.PUBLISHED,
        at: datetime | None = None,
        author=None,
        section: Section | None = None,
        body: str = "<p>반도체 수출이 석 달째 늘었다.</p>",
        photo_uses: list[dict] | None = None,
        **content,
    ) -> Article:
        """A story walked to `state`; published (or submitted) at `at` when given. A body's
        `[[photo:N]]` becomes the placeholder of the story's Nth photo use."""
        writer = author or self.reporter
        with time_machine.travel(at, tick=False) if at else nullcontext():
            story = workflow.create(
                actor=writer,
                section=section or self.section,
                headline=headline,
                body=PHOTO_TOKEN.sub("", body),
                **({"photo_uses": photo_uses} if photo_uses else {}),
                **content,
            )
            if photo_uses and PHOTO_TOKEN.search(body):
                uses = list(story.photo_uses.order_by("order", "pk"))
                story = self.edit(
                    story,
                    actor=writer,
                    body=PHOTO_TOKEN.sub(
                        lambda match: sanitize.placeholder(uses[int(match[1])].pk), body
                    ),
                )
            if state == Status.DRAFT:
                return _fresh(story)
            if writer == self.editor and state == Status.PUBLISHED:
                return _fresh(workflow.publish(story, actor=self.editor))
            story = workflow.submit(story, actor=writer)
            if state == Status.SUBMITTED:
                return _fresh(story)
            if state == Status.RETURNED:
                return _fresh(
                    workflow.return_for_changes(
                        story, actor=self.editor, note="출처를 밝혀 주세요."
                    )
                )
            if state == Status.SCHEDULED:
                moment = timezone.now() + timedelta(days=1)
                return _fresh(workflow.schedule(story, actor=self.editor, at=moment))
            story = workflow.publish(story, actor=self.editor)
            if state == Status.PUBLISHED:
                return _fresh(story)
            if state == Status.UNPUBLISHED:
                return _fresh(
                    workflow.unpublish(
                        story,
                        actor=self.editor,
                        reason="소송 위험 (내부 메모)",
                        public_note="당사자의 요청으로 기사를 내렸습니다.",
                    )
                )
        raise ValueError(state)

    def edit(self, story: Article, *, actor=None, **content) -> Article:
        story.refresh_from_db()
        return _fresh(
            workflow.save(
                story, actor=actor or self.editor, base_version=story.version, content=content
            )
        )

    def correct(self, story: Article, note: str, **content) -> Article:
        story.refresh_from_db()
        return _fresh(
            workflow.correct(
                story,
                actor=self.editor,
                base_version=story.version,
                note=note,
                content=content or None,
            )
        )

    def many(self, count: int, *, start: datetime | None = None, prefix="기사", **options):
        """`count` published stories, one a minute apart from `start` (default: `count`
        minutes ago), oldest first."""
        start = start or timezone.now() - timedelta(minutes=count + 1)
        return [
            self.story(f"{prefix} {number:03d}", at=start + timedelta(minutes=number), **options)
            for number in range(1, count + 1)
        ]


def _fresh(article: Article) -> Article:
    article.refresh_from_db()
    return article
