"""The generated archive's readers and comments (the command generate_archive): comments
with replies, votes and reports spread over the stories with the skew of a real site (most
stories have few or none, a few have tens of thousands), in bulk.

Every comment gets what comments.moderation would have left: its row (counts equal to its
vote and report rows), its "posted" history entry (with what the desk's queue reads of it),
a "rejected" or "deleted" entry when it was taken down, "reported" entries for its reports,
and its reader's standing. Readers are signed up as accounts.membership.sign_up does (the
consents and the "joined" entry), with unusable passwords. Left out, and why:
- the "voted" history entry of each vote (about as many rows as comments): only the daily
  vote cap reads it, for today's votes, and the generated votes are all in the past;
- allauth's e-mail address rows: nobody signs in as a generated reader.
"""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from accounts import legal
from accounts.models import AccountEvent, Consent, User
from articles.archive import stories as archive_stories
from articles.archive.bulk import Progress, Table, Writer, as_json
from comments.models import (
    Comment,
    CommentReport,
    CommentVote,
    ModerationAction,
    ReaderStanding,
    Reason,
)

# Plain strings: psycopg's COPY would write an enum member's name, not its value.
PUBLISHED, PENDING, REJECTED, DELETED = (
    Comment.Status.PUBLISHED.value,
    Comment.Status.PENDING.value,
    Comment.Status.REJECTED.value,
    Comment.Status.DELETED.value,
)
HOLDS = (
    Comment.Hold.NEW_READER.value,
    Comment.Hold.NEW_READER.value,
    Comment.Hold.LINK.value,
    Comment.Hold.MOSTLY_REJECTED.value,
)
# A story's thread is at most this big, and the biggest few are that big: the page's
# worst case.
HOT_COMMENTS = 20_000
HOT_STORIES = 3
REPLY_SHARE = 0.25
REJECTED_SHARE = 0.03
DELETED_SHARE = 0.015
REPORTED_SHARE = 0.004
BATCH = 20_000

NICKNAME_STARTS = (
    "여의도",
    "판교",
    "강남",
    "부산",
    "세종",
    "대구",
    "광주",
    "인천",
    "제주",
    "출근길",
    "퇴근길",
    "동네",
    "새내기",
    "은퇴",
    "월급날",
    "주말",
    "시골",
    "바닷가",
)
NICKNAME_ENDS = (
    "개미",
    "직장인",
    "사장",
    "엄마",
    "아빠",
    "투자자",
    "독자",
    "회사원",
    "농부",
    "학생",
    "연구원",
    "기사님",
    "주부",
    "선생",
)

OPENERS = ("", "", "", "음… ", "기사 잘 읽었습니다. ", "솔직히 ", "궁금한데요, ", "흠. ")
SENTENCES = (
    "{topic} 얘기는 몇 년째 같은 소리인 것 같네요.",
    "{company} 실적 발표 보면 답이 나오겠죠.",
    "현장에서 일하는 입장에서는 체감이 전혀 다릅니다.",
    "이런 기사는 숫자 출처까지 같이 나오면 좋겠어요.",
    "{topic} 문제는 결국 속도가 관건이라고 봅니다.",
    "주변에서도 {topic} 때문에 걱정하는 사람이 많아요.",
    "정부가 이번에는 제대로 대책을 내놓았으면 합니다.",
    "{company} 주주로서 반가운 소식이네요.",
    "좋은 분석입니다. 후속 기사도 기대할게요.",
    "작년에도 비슷한 전망이 있었는데 결과는 달랐죠.",
    "{topic} 관련해서는 지방 얘기도 다뤄 주세요.",
    "결국 월급은 그대로인데 물가만 오르네요.",
    "{company} 협력업체 상황도 취재해 주시면 좋겠습니다.",
    "이 정도면 장기적으로 보고 가야 할 듯합니다.",
    "기사 제목이 내용보다 조금 과한 것 같아요.",
    "{topic}는 해외 사례랑 비교해 보면 더 잘 보일 것 같네요.",
    "댓글 보니 생각이 다들 비슷하네요.",
    "내년 이맘때 이 기사를 다시 읽어 보고 싶네요.",
)
REPLIES = (
    "저도 같은 생각입니다.",
    "그건 좀 다르게 봐야 하지 않을까요?",
    "맞아요, 현장은 더 심각합니다.",
    "출처가 어디인지 궁금하네요.",
    "동의합니다. 특히 {topic} 부분이요.",
    "그렇게 단정하긴 이르다고 봅니다.",
    "좋은 지적이십니다.",
    "작년 기사 찾아보면 비슷한 얘기가 있어요.",
    "{company} 쪽 입장도 들어 봐야겠죠.",
    "ㅎㅎ 공감합니다.",
)
LINK_TEXT = " 자세한 내용은 example.com/report 에 정리돼 있습니다."
REJECTION_NOTES = ("", "", "댓글 운영 원칙에 따라 비공개 처리했습니다.")


def reader_count(comments: int) -> int:
    """About one reader per 40 comments: a few write most of them."""
    return max(50, min(50_000, comments // 40))


@dataclass
class Readers:
    first_id: int
    nicknames: list[str]
    ip_hashes: list[str]
    weights: list[float]  # cumulative: how much each one writes

    def pick(self, rng: random.Random, count: int) -> list[int]:
        return rng.choices(range(len(self.nicknames)), cum_weights=self.weights, k=count)


def readers(writer: Writer, count: int, rng: random.Random, *, joined_before: datetime) -> Readers:
    """`count` readers signed up (nickname, consents, "joined") before `joined_before`."""
    first = writer.reserve(User, count)
    nicknames, hashes, user_rows, consent_rows, event_rows = [], [], [], [], []
    versions = {kind: legal.CURRENT_VERSIONS[kind] for kind in legal.REQUIRED_AT_SIGNUP}
    for number in range(count):
        pk = first + number
        # Unique whatever else is in the table: the number is the account's own id.
        nickname = f"{rng.choice(NICKNAME_STARTS)}{rng.choice(NICKNAME_ENDS)}{pk}"[-12:]
        email = f"reader{pk}@{archive_stories.DOMAIN}"
        joined = joined_before - timedelta(days=rng.uniform(1, 3000))
        nicknames.append(nickname)
        hashes.append(hashlib.sha256(f"archive-reader-{pk}".encode()).hexdigest())
        user_rows.append((pk, make_password(None), email, nickname, joined))
        consent_rows.extend((pk, kind, version, joined) for kind, version in versions.items())
        event_rows.append(
            (
                pk,
                email,
                "joined",
                pk,
                nickname,
                as_json({"nickname": nickname, "consents": versions}),
                joined,
            )
        )
    writer.write(Table(User, ["id", "password", "email", "nickname", "date_joined"]), user_rows)
    writer.write(Table(Consent, ["user_id", "kind", "version", "given_at"]), consent_rows)
    writer.write(
        Table(
            AccountEvent,
            ["user_id", "user_email", "action", "actor_id", "actor_name", "data", "created_at"],
        ),
        event_rows,
    )
    # A few write a great deal; most now and then.
    cumulative, total = [], 0.0
    for _ in range(count):
        total += rng.paretovariate(1.2)
        cumulative.append(total)
    return Readers(first, nicknames, hashes, cumulative)


def spread(story_count: int, comments: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """How many comments each story gets: the hot few (the newest stories' biggest
    threads, up to HOT_COMMENTS each), then the rest with a long tail, four stories in ten
    with none. Returns (counts by story index, the hot stories' indexes)."""
    counts = [0] * story_count
    hot_size = min(HOT_COMMENTS, comments // 10)
    hot_count = min(HOT_STORIES, max(1, comments // (HOT_COMMENTS * 5))) if hot_size else 0
    recent = list(range(max(0, story_count - max(hot_count, story_count // 20)), story_count))
    hot = rng.sample(recent, min(hot_count, len(recent)))
    for index in hot:
        counts[index] = hot_size
    left = comments - hot_size * len(hot)
    weights = [
        0.0 if index in hot or rng.random() < 0.4 else rng.lognormvariate(0, 1.6)
        for index in range(story_count)
    ]
    if left > 0 and sum(weights) > 0:
        for index, number in Counter(
            rng.choices(range(story_count), weights=weights, k=left)
        ).items():
            counts[index] += number
    return counts, hot


class CommentWriter:
    def __init__(
        self,
        writer: Writer,
        people: Readers,
        moderators: list[tuple[int, str]],
        rng: random.Random,
        *,
        now: datetime,
        pending: int,
        total: int,
    ):
        self.writer, self.people, self.moderators, self.rng, self.now = (
            writer,
            people,
            moderators,
            rng,
            now,
        )
        self.pending = pending
        self.tables = {
            "comment": Table(
                Comment,
                [
                    "id",
                    "story_id",
                    "author_id",
                    "parent_id",
                    "body",
                    "status",
                    "like_count",
                    "dislike_count",
                    "report_count",
                    "open_reports",
                    "ip_hash",
                    "hold_reason",
                    "rejection_reason",
                    "moderator_note",
                    "created_at",
                    "status_changed_at",
                ],
            ),
            "vote": Table(CommentVote, ["comment_id", "voter_id", "value", "created_at"]),
            "report": Table(
                CommentReport, ["comment_id", "reporter_id", "reason", "created_at"], note=""
            ),
            "action": Table(
                ModerationAction,
                [
                    "comment_id",
                    "story_id",
                    "action",
                    "from_status",
                    "to_status",
                    "actor_id",
                    "actor_name",
                    "reader_id",
                    "reader_name",
                    "note",
                    "data",
                    "created_at",
                ],
            ),
        }
        self.rejected: Counter = Counter()  # by reader index
        self.wrote: set[int] = set()

    def _text(self, pattern_list, company: str, topic: str, sentences: int) -> str:
        rng = self.rng
        body = rng.choice(OPENERS) + " ".join(
            rng.choice(pattern_list).format(company=company, topic=topic) for _ in range(sentences)
        )
        return body

    def write(self, written: "archive_stories.Written", counts: list[int]) -> int:
        rng, people, now = self.rng, self.people, self.now
        total = sum(counts)
        first = self.writer.reserve(Comment, total)
        next_id = first
        authors = people.pick(rng, total)
        # Exactly as many held as asked: the moderators' queue is measured at its size.
        held = set(rng.sample(range(total), min(self.pending, total)))
        rows = {name: [] for name in self.tables}
        progress = Progress("comments")
        made = 0
        reader_count = len(people.nicknames)
        for index, count in enumerate(counts):
            if not count:
                continue
            story_id = written.ids[index]
            published = written.published_at[index]
            company, topic = written.companies[index], written.topics[index]
            # Minutes after publication: most within hours, a tail over days; never later
            # than now.
            horizon = max(1.0, (now - published).total_seconds() / 60 - 1)
            delays = sorted(min(horizon, rng.lognormvariate(4.5, 1.3)) for _ in range(count))
            shown_tops: list[tuple[int, datetime]] = []
            for delay in delays:
                pk, next_id = next_id, next_id + 1
                author = authors[made]
                made += 1
                created = published + timedelta(minutes=delay)
                parent = None
                if shown_tops and rng.random() < REPLY_SHARE:
                    parent = rng.choice(shown_tops[-50:])
                    created = max(created, parent[1] + timedelta(seconds=30))
                    body = self._text(REPLIES, company, topic, 1)
                else:
                    body = self._text(SENTENCES, company, topic, rng.randint(1, 3))
                draw = rng.random()
                likes = dislikes = reports = 0
                hold = rejection = note = ""
                changed = created
                if made - 1 in held:
                    status = PENDING
                    hold = rng.choice(HOLDS)
                    if hold == Comment.Hold.LINK.value:
                        body += LINK_TEXT
                elif draw < REJECTED_SHARE:
                    status = REJECTED
                    rejection = rng.choice(Reason.values)
                    note = rng.choice(REJECTION_NOTES)
                    changed = created + timedelta(minutes=rng.randint(5, 600))
                    self.rejected[author] += 1
                elif draw < REJECTED_SHARE + DELETED_SHARE:
                    status = DELETED
                    changed = created + timedelta(minutes=rng.randint(1, 120))
                else:
                    status = PUBLISHED
                    likes = int(rng.paretovariate(2.2)) - 1
                    dislikes = int(rng.paretovariate(3.5)) - 1
                    if rng.random() < REPORTED_SHARE:
                        reports = rng.randint(1, 3)
                changed = min(changed, now)
                reader_id = people.first_id + author
                nickname = people.nicknames[author]
                self.wrote.add(author)
                # Each vote and report from another reader, once: the counts are theirs.
                chosen = []
                if likes + dislikes + reports:
                    wanted = min(reader_count, likes + dislikes + reports + 1)
                    chosen = [v for v in rng.sample(range(reader_count), wanted) if v != author]
                    chosen = chosen[: likes + dislikes + reports]
                    likes = min(likes, len(chosen))
                    dislikes = min(dislikes, len(chosen) - likes)
                    reports = len(chosen) - likes - dislikes
                rows["comment"].append(
                    (
                        pk,
                        story_id,
                        reader_id,
                        parent[0] if parent else None,
                        body,
                        status,
                        likes,
                        dislikes,
                        reports,
                        reports,
                        people.ip_hashes[author],
                        hold,
                        rejection,
                        note,
                        created,
                        changed,
                    )
                )
                at_post = PENDING if status == PENDING else PUBLISHED
                rows["action"].append(
                    (
                        pk,
                        story_id,
                        "posted",
                        "",
                        at_post,
                        reader_id,
                        nickname,
                        reader_id,
                        nickname,
                        "",
                        as_json({"bytes": len(body.encode())}),
                        created,
                    )
                )
                if status == REJECTED:
                    moderator_id, moderator_name = rng.choice(self.moderators)
                    rows["action"].append(
                        (
                            pk,
                            story_id,
                            "rejected",
                            PUBLISHED,
                            REJECTED,
                            moderator_id,
                            moderator_name,
                            reader_id,
                            nickname,
                            note,
                            as_json({"reason": rejection}),
                            changed,
                        )
                    )
                elif status == DELETED:
                    rows["action"].append(
                        (
                            pk,
                            story_id,
                            "deleted",
                            PUBLISHED,
                            DELETED,
                            reader_id,
                            nickname,
                            reader_id,
                            nickname,
                            "",
                            as_json({}),
                            changed,
                        )
                    )
                elif parent is None and status == PUBLISHED:
                    shown_tops.append((pk, created))
                for position, voter in enumerate(chosen):
                    when = min(now, created + timedelta(minutes=rng.randint(1, 2000)))
                    voter_id = people.first_id + voter
                    if position < likes + dislikes:
                        value = "like" if position < likes else "dislike"
                        rows["vote"].append((pk, voter_id, value, when))
                        continue
                    reason = rng.choice(Reason.values)
                    rows["report"].append((pk, voter_id, reason, when))
                    rows["action"].append(
                        (
                            pk,
                            story_id,
                            "reported",
                            status,
                            status,
                            voter_id,
                            people.nicknames[voter],
                            reader_id,
                            nickname,
                            "",
                            as_json({"reason": reason}),
                            when,
                        )
                    )
                if len(rows["comment"]) >= BATCH:
                    self._flush(rows)
                    progress.update(made, total)
        self._flush(rows)
        progress.done(f"{made:,} comments and replies")
        return made

    def _flush(self, rows: dict[str, list]) -> None:
        for name, table in self.tables.items():
            self.writer.write(table, rows[name])
            rows[name].clear()

    def standings(self) -> int:
        """Each reader who wrote: their record with the moderators (rejections)."""
        people = self.people
        table = Table(ReaderStanding, ["user_id", "rejected_count"])
        return self.writer.write(
            table,
            ((people.first_id + author, self.rejected[author]) for author in sorted(self.wrote)),
        )
