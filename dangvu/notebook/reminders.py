"""The daily reminder mail: one e-mail per member with something to do, listing every area's
lines (dangvu.lib.reminders), at most once a day however often it runs."""

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dangvu.lib.reminders import lines_for_many
from dangvu.notebook.models import ReminderMail
from dangvu.orgs.models import ACTIVE_STATUSES, Member


def _claim(member: Member, today: datetime.date) -> bool:
    """Marks today's mail to the member as sent unless it already was. Called inside the
    transaction that sends it: the row stays locked until the mail has gone (a second run at the
    same time waits, then finds it sent), and a mail that fails leaves no mark."""
    if ReminderMail.objects.filter(member=member, sent_on__lt=today).update(sent_on=today):
        return True
    try:
        with transaction.atomic():
            ReminderMail.objects.create(member=member, sent_on=today)
    except IntegrityError:
        return False
    return True


BATCH = 500  # members whose lines are read together: each area's rule costs a few queries a batch


def batches(members):
    """The members (a queryset) BATCH at a time, read by key: the run holds one batch at a time."""
    after = 0
    while batch := list(members.filter(pk__gt=after).order_by("pk")[:BATCH]):
        after = batch[-1].pk
        yield batch


def send_reminders(today: datetime.date) -> int:
    """One e-mail to each member (with an address, still in the Party) who has something to do
    and was not sent one today; returns how many were sent."""
    members = (Member.objects.filter(status__in=ACTIVE_STATUSES).exclude(email="")
               .exclude(pk__in=ReminderMail.objects.filter(sent_on__gte=today).values("member_id"))
               .select_related("unit"))
    sent = 0
    with translation.override("vi"):
        for batch in batches(members):
            found = lines_for_many(batch, today)
            for member in batch:
                lines = found[member.pk]
                if not lines:
                    continue
                with transaction.atomic():
                    if not _claim(member, today):
                        continue
                    body = "\n".join(f"- {line}" for line in lines)
                    send_mail(_("dangvu: things to do"), body, None, [member.email])
                sent += 1
    return sent
