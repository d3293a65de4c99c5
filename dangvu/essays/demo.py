"""The demo's essays for a campaign: nearly all handed in, written to be read (demo_writing.py),
with a few planted copies and thin ones returned and reworked in the closed campaigns."""

import datetime

from django.utils import timezone
from tqdm import tqdm

from dangvu.essays.demo_writing import reflection_essay
from dangvu.essays.models import Essay, EssayStatus, ReturnReason


def campaign_essays(rng, campaign, doc, members, *, open_: bool, today, progress: bool) -> int:
    """~99.5% submit a closed campaign (60% so far for the open one); about 2 in 1,000
    are returned as thin or copied and reworked, as in the district's 13 of 5,875."""
    submit_rate = 0.6 if open_ else 0.995
    now = timezone.now()

    def written(member) -> str:
        return reflection_essay(rng, doc=f"Nghị quyết số {doc.reference}", number=str(doc.number),
                                place=member.unit.name, year=campaign.start.year, held=campaign.start + datetime.timedelta(days=2))

    from dangvu.study.participation import first_days

    first_day = first_days(campaign, [m.pk for m in members])  # nobody writes before they take part
    rows, previous = [], None
    for m in tqdm(members, desc=campaign.title[:40], disable=not progress, leave=False):
        if rng.random() >= submit_rate:
            continue
        roll = rng.random()
        if roll < 0.0012 and previous is not None and rows:
            text = previous[: len(previous) * 4 // 5].rsplit(" ", 1)[0]  # most of the essay before it
            kind = ReturnReason.COPIED
        elif roll < 0.0022:
            text = campaign.documents.first().text + " Bản thân tôi nhất trí cao."
            kind = ReturnReason.THIN
        else:
            text = written(m)
            kind = None
        previous = text
        # handed in 3 to 28 days into the campaign, never after today
        submitted = min(now, now - datetime.timedelta(days=(today - campaign.start).days - rng.randrange(3, 28)))
        earliest = now - datetime.timedelta(days=(today - first_day[m.pk]).days)
        if earliest > now:
            continue
        submitted = max(submitted, earliest)
        essay = Essay(campaign=campaign, member=m, text=text, submitted_at=submitted, status=EssayStatus.SUBMITTED)
        if not open_:
            if kind is not None:  # returned, then reworked and accepted
                essay.was_returned, essay.return_reason, essay.version = True, kind, 2
                essay.reviewer_note = "Bài sao chép, đề nghị tự viết lại" if kind == ReturnReason.COPIED else \
                    "Bài viết sơ sài, chưa liên hệ bản thân"
                essay.text = written(m)
            essay.status = EssayStatus.PASSED
        rows.append(essay)
    Essay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
