from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from comments import totals

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class PhotoFactory(factory.django.DjangoModelFactory):
    """A library row without its files: for pages and tags that only read rows. Tests that
    need the picture itself upload it through media.library."""

    class Meta:
        model = "media.Photo"

    content_hash = factory.Sequence(lambda n: f"{n + 1:064x}")
    original = factory.LazyAttribute(
        lambda photo: f"originals/{photo.content_hash[:2]}/{photo.content_hash}.jpg"
    )
    format = "JPEG"
    width = 1600
    height = 1200
    byte_size = 250_000
    caption = factory.Sequence(lambda n: f"사진 설명 {n}")
    uploaded_by = None


class RenditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "media.Rendition"

    photo = factory.SubFactory(PhotoFactory)
    spec = "w320"
    format = "JPEG"
    width = 320
    height = 240
    file = factory.LazyAttributeSequence(
        lambda rendition, n: (
            f"photos/{rendition.photo.content_hash[:2]}/{rendition.photo.content_hash[:16]}"
            f"-{rendition.spec}-{n:012x}.{'webp' if rendition.format == 'WEBP' else 'jpg'}"
        )
    )


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Section"

    name = factory.Sequence(lambda n: f"산업 {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Series"

    name = factory.Sequence(lambda n: f"반도체 공급망 {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A story's row as it stands, without articles.workflow: no revision, history, bylines
    or search entry. For tests that only need a story to exist; a test whose setup's side
    effects matter walks the story through the workflow (tests.stories.Desk). A published
    or unpublished story gets its publication time, a scheduled one its publishing time."""

    class Meta:
        model = "articles.Article"

    headline = factory.Sequence(lambda n: f"기사 {n}")
    body = "<p>반도체 수출이 석 달째 늘었다.</p>"
    section = factory.SubFactory(SectionFactory)
    status = "draft"
    published_at = factory.LazyAttribute(
        lambda story: timezone.now() if story.status in ("published", "unpublished") else None
    )
    scheduled_publish_at = factory.LazyAttribute(
        lambda story: timezone.now() + timedelta(days=1) if story.status == "scheduled" else None
    )


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Newsletter"

    name = factory.Sequence(lambda n: f"아침 브리핑 {n}")
    slug = factory.Sequence(lambda n: f"briefing-{n}")
    kind = "briefing"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Subscriber"

    email = factory.Sequence(lambda n: f"subscriber{n}@example.com")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription (set status="pending" for one not yet confirmed)."""

    class Meta:
        model = "articles.Subscription"

    subscriber = factory.SubFactory(SubscriberFactory)
    newsletter = factory.SubFactory(NewsletterFactory)
    status = "confirmed"
    consent_version = "2026-12-08"
    confirmed_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment's row, published, without comments.moderation's rules, throttles and
    like counts: for pages that only list comments. Tests of posting go through moderation.
    The story's kept comment counts follow it, as moderation keeps them."""

    class Meta:
        model = "comments.Comment"
        skip_postgeneration_save = True

    story = factory.SubFactory(ArticleFactory, status="published")
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"댓글 {n}")

    @factory.post_generation
    def story_counts(self, create, extracted, **kwargs):
        if create:
            totals.recount(self.story_id)
