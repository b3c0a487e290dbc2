"""What comes back from sent issues, at one address for every language (outside the
language prefixes, never page-cached): the open-tracking image and the mail providers'
tracking webhooks (django-anymail's views, for the providers whose webhooks anymail checks
with the shared secret alone; Mailgun's and MailerSend's also need their own signing keys
and are left out until the site uses them, SendGrid's is no longer supported by anymail)."""

from anymail.webhooks.amazon_ses import AmazonSESTrackingWebhookView
from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.sparkpost import SparkPostTrackingWebhookView
from django.urls import path

from articles.views.newsletter_tracking import opened, provider_webhook

app_name = "newsletter-tracking"

PROVIDERS = {
    "amazon_ses": AmazonSESTrackingWebhookView,
    "brevo": BrevoTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "sparkpost": SparkPostTrackingWebhookView,
}

urlpatterns = [
    path("opened/<str:token>/", opened, name="opened"),
    *(
        path(
            f"provider/{name}/tracking/",
            provider_webhook(view.as_view()),
            name=f"{name}-tracking",
        )
        for name, view in PROVIDERS.items()
    ),
]
