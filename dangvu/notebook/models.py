from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.orgs.models import Member


class ReminderMail(models.Model):
    """The day a member was last sent their reminders: one mail a day, however often
    `send_reminders` runs (cron, and housekeeping each time it starts)."""

    member = models.OneToOneField(Member, models.CASCADE, primary_key=True, related_name="+",
                                  verbose_name=_("member"))
    sent_on = models.DateField(_("last sent on"))

    class Meta:
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
