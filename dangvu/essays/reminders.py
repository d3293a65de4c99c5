"""Reminders of essays due soon or returned for rework: shown in the sổ tay, and
e-mailed when the operator has configured e-mail (EMAIL_HOST)."""

import datetime

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from dangvu.essays.notebook import essays_asked_of
from dangvu.orgs.models import Member


def due_reminders(member: Member, today: datetime.date) -> list[str]:
    lines = []
    for campaign, essay in essays_asked_of(member, today)["reminders"]:
        if essay is not None:
            lines.append(_("Your essay for “%(t)s” was returned: rework it and submit again.") % {"t": campaign.title})
        else:
            lines.append(_("Your essay for “%(t)s” is due by %(d)s.") % {
                "t": campaign.title, "d": campaign.essay_deadline.strftime("%d/%m/%Y")})
    return lines


def send_reminders(today: datetime.date, members=None) -> int:
    """One e-mail per member with something due; returns how many were sent."""
    sent = 0
    members = members if members is not None else Member.objects.exclude(email="").select_related("unit")
    with translation.override("vi"):
        for member in members:
            lines = due_reminders(member, today)
            if lines and member.email:
                send_mail(_("dangvu: essays due"), "\n".join(lines), None, [member.email])
                sent += 1
    return sent
