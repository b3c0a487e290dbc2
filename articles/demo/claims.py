"""The demo's press-arbitration claim (언론중재법): one 정정보도 claim, received the day after a
published interview came out, open on the claims desk with its notice shown on the story, so the
desk's deadlines and the reader's notice can both be seen."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from articles import claims
from articles.models import Article, PressClaim

EDITOR = "editor@example.com"
HEADLINE = '다온소재 대표 "소재 국산화, 이제는 품질 싸움"'
CLAIMANT = "한결소재 주식회사 (대리인 법무법인 가람)"
DEMAND = (
    "기사에 인용된 '경쟁사 제품의 수율이 60%대에 머문다'는 대목의 경쟁사는 당사로 특정되며, "
    "당사 제품의 수율은 90%를 넘으므로 사실과 다릅니다. 같은 크기의 정정보도를 청구합니다."
)


def load(stdout, now: datetime) -> None:
    article = Article.objects.filter(headline=HEADLINE).first()
    if article is None:
        return
    # The claimant read the story the day it came out and wrote the next day (or today, for
    # a story out today): within every window of Art. 14.
    learned_on = timezone.localdate(article.published_at)
    received_on = max(learned_on, timezone.localdate(now) - timedelta(days=1))
    claim = PressClaim.objects.filter(article=article, claimant=CLAIMANT).first()
    created = claim is None
    if created:
        claim = claims.record_claim(
            article,
            actor=User.objects.get(email=EDITOR),
            kind=PressClaim.Kind.CORRECTION,
            claimant=CLAIMANT,
            received_on=received_on,
            learned_on=learned_on,
            demand=DEMAND,
            notice_shown=True,
        )
    # Demo data only: the claim's dates follow the time of loading, as the stories' do.
    PressClaim.objects.filter(pk=claim.pk).update(received_on=received_on, learned_on=learned_on)
    stdout.write(
        f"Press claims: {int(created)} new, 1 open 정정보도 claim on the claims desk, its notice "
        "on the story."
    )
